import Foundation
import SwitchboardCore

/// `--format csv`: the timeline, one RFC 4180 row per record, after a header and a first row
/// (kind `log.verification`) that says whether the log is intact and its head hash.
struct CSVTimeline: ReportFormatWriter {
    static let header = ["seq", "at", "actor", "role", "kind", "event", "fields", "hash"]

    private let rows: Spool

    init() throws {
        rows = try Spool()
    }

    mutating func add(_ record: LogRecord) throws {
        let entry = TimelineEntry(record: record)
        try rows.write(Self.row([String(record.seq), TimeText.iso8601(record.at), entry.actor, entry.role, record.kind, entry.event,
                                 Self.fields(record.entry.fields), record.hash]))
    }

    func write(_ report: IncidentReport, to output: ReportOutput) throws {
        try output.write(Self.row(Self.header))
        try output.write(Self.row(["", TimeText.iso8601(report.report.generatedAt), report.report.generator, "", "log.verification",
                                   report.verification.statement, "", report.verification.head ?? ""]))
        try output.write(rows)
    }

    static func row(_ fields: [String]) -> String {
        fields.map(Escape.csvField).joined(separator: ",") + "\r\n"
    }

    /// The record's own fields as one JSON object (sorted keys), so the CSV loses nothing.
    static func fields(_ fields: [String: JSONValue]) -> String {
        guard !fields.isEmpty else { return "" }
        return JSONTimeline.object(fields)
    }
}

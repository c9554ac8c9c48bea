import Foundation
import SwitchboardCore

/// `--format csv`: the timeline, one RFC 4180 row per record, after a header and a first row
/// (kind `log.verification`) that says whether the log is intact and its head hash.
struct CSVTimeline: ReportFormatWriter {
    static let header = ["seq", "at", "actor", "role", "kind", "event", "fields", "hash"]

    private let spool: Spool

    init() throws {
        spool = try Spool()
    }

    let rows: @Sendable (TimelineEntry) -> [String] = { entry in
        [CSVTimeline.row([String(entry.seq), TimeText.iso8601(entry.at), entry.actor, entry.role, entry.kind, entry.event,
                          CSVTimeline.fields(entry.fields), entry.hash])]
    }

    mutating func add(_ entry: TimelineEntry, rows: [String]) throws {
        for row in rows { try spool.write(row) }
    }

    func write(_ report: IncidentReport, to output: ReportOutput) throws {
        try output.write(Self.row(Self.header))
        try output.write(Self.row(["", TimeText.iso8601(report.report.generatedAt), report.report.generator, "", "log.verification",
                                   report.verification.statement, "", report.verification.head ?? ""]))
        try output.write(spool)
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

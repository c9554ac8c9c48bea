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

    let spools = 1

    let rows: @Sendable (TimelineEntry, inout SliceRows) -> Void = { entry, rows in
        rows[0].append(entry.seq)
        rows[0].append(",")
        rows[0].append(iso8601: entry.time)
        rows[0].append(",")
        rows[0].append(entry.actor, escaping: .csvField)
        rows[0].append(",")
        rows[0].append(entry.role, escaping: .csvField)
        rows[0].append(",")
        rows[0].append(entry.kind, escaping: .csvField)
        rows[0].append(",")
        rows[0].append(entry.event, escaping: .csvField)
        rows[0].append(",")
        // The record's own fields as one JSON object (sorted keys), so the CSV loses nothing.
        if entry.hasFields { entry.appendFieldsAsCSVField(to: &rows[0]) }
        rows[0].append(",")
        rows[0].append(entry.hash)
        rows[0].append("\r\n")
    }

    mutating func add(_ rows: SliceRows) throws {
        try spool.write(rows[0])
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
}

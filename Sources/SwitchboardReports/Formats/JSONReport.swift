import Foundation
import SwitchboardCore

/// `--format json`: the whole report, machine-readable (snake_case keys, UTC times with
/// milliseconds, durations in seconds), with `timeline` first: every record of the log, its own
/// fields under `fields`. The timeline's rows are written into the report as the log is read
/// (JSON's members have no order), the rest after them: a long log's JSON needs no spool as
/// large as itself.
struct JSONReport: ReportFormatWriter {
    private let output: ReportOutput
    private var rowsBegun = false

    init(streamingTo output: ReportOutput) {
        self.output = output
    }

    let spools = 1

    /// Each entry after a comma: the first is written without it.
    let rows: @Sendable (TimelineEntry, inout SliceRows) -> Void = { entry, rows in
        rows[0].append(",\n    ")
        JSONTimeline.append(entry: entry, to: &rows[0])
    }

    mutating func add(_ rows: SliceRows) throws {
        guard !rows[0].isEmpty else { return }
        if rowsBegun {
            return try output.write(rows[0])
        }
        try output.write(Self.timelineStart)
        try output.write(rows[0], droppingFirst: 1)
        rowsBegun = true
    }

    func write(_ report: IncidentReport, to output: ReportOutput) throws {
        if !rowsBegun { try output.write(Self.timelineStart) }
        let encoded = String(decoding: try Self.encoder.encode(report), as: UTF8.self)
        // The report's own members follow the timeline, in the object it opened.
        try output.write("\n  ],\n" + encoded.drop { $0 != "\n" }.dropFirst() + "\n")
    }

    private static let timelineStart = "{\n  \"timeline\" : ["

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(TimeText.iso8601(date))
        }
        return encoder
    }()
}

/// Records and their fields as JSON, written by hand: a million timeline entries go through here.
enum JSONTimeline {
    /// A record: its common fields, its own under `fields`, and `event`, what it says in words.
    /// Keys in sorted order, as every object here.
    static func append(entry: TimelineEntry, to row: inout RowBytes) {
        row.append(#"{"actor":"#)
        row.append(entry.actor, escaping: .json)
        row.append(#","at":""#)
        row.append(iso8601: entry.time)
        row.append(#"","drill":"#)
        row.append(entry.drill ? "true" : "false")
        row.append(#","event":"#)
        row.append(entry.event, escaping: .json)
        row.append(#","fields":"#)
        entry.appendFields(to: &row)
        row.append(#","hash":""#)
        row.append(entry.hash)
        row.append(#"","kind":"#)
        row.append(entry.kind, escaping: .json)
        if !entry.role.isEmpty {
            row.append(#","role":"#)
            row.append(entry.role, escaping: .json)
        }
        row.append(#","seq":"#)
        row.append(entry.seq)
        row.append("}")
    }

    static func append(object fields: [String: JSONValue], to row: inout RowBytes) {
        row.append("{")
        for (index, key) in fields.keys.sorted().enumerated() {
            if index > 0 { row.append(",") }
            row.append(key, escaping: .json)
            row.append(":")
            append(value: fields[key]!, to: &row)
        }
        row.append("}")
    }

    static func append(value: JSONValue, to row: inout RowBytes) {
        switch value {
        case .string(let text): row.append(text, escaping: .json)
        case .int(let number): row.append(number)
        case .double(let number):
            if number.isFinite { row.append(string: "\(number)") } else { row.append(String(number), escaping: .json) }
        case .bool(let flag): row.append(flag ? "true" : "false")
        case .null: row.append("null")
        case .array(let items):
            row.append("[")
            for (index, item) in items.enumerated() {
                if index > 0 { row.append(",") }
                append(value: item, to: &row)
            }
            row.append("]")
        case .object(let fields): append(object: fields, to: &row)
        }
    }
}

extension String {
    var trimmingTrailingWhitespace: String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}

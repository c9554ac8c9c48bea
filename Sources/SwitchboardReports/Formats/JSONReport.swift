import Foundation
import SwitchboardCore

/// `--format json`: the whole report, machine-readable (snake_case keys, UTC times with
/// milliseconds, durations in seconds), with `timeline`: every record of the log, its own
/// fields under `fields`.
struct JSONReport: ReportFormatWriter {
    private let timeline: Spool

    init() throws {
        timeline = try Spool()
    }

    let spools = 1

    /// Each entry after a comma: the spool's first is written without it.
    let rows: @Sendable (TimelineEntry, inout SliceRows) -> Void = { entry, rows in
        rows[0].append(",\n    ")
        JSONTimeline.append(entry: entry, to: &rows[0])
    }

    mutating func add(_ rows: SliceRows) throws {
        try timeline.write(rows[0], droppingFirst: timeline.isEmpty ? 1 : 0)
    }

    func write(_ report: IncidentReport, to output: ReportOutput) throws {
        let encoded = String(decoding: try Self.encoder.encode(report), as: UTF8.self)
        // The timeline goes in as the object's last member, streamed from its spool.
        guard let closing = encoded.lastIndex(of: "}") else { return }
        try output.write(String(encoded[..<closing]).trimmingTrailingWhitespace + ",\n  \"timeline\" : [")
        try output.write(timeline)
        try output.write("\n  ]\n}\n")
    }

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

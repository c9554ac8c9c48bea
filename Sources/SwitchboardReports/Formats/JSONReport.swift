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

    mutating func add(_ record: LogRecord) throws {
        try timeline.write((timeline.count == 0 ? "\n    " : ",\n    ") + JSONTimeline.record(record))
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
    static func record(_ record: LogRecord) -> String {
        var object: [String: JSONValue] = [
            "seq": .int(record.seq), "at": .string(TimeText.iso8601(record.at)), "actor": .string(record.actor),
            "kind": .string(record.kind), "drill": .bool(record.entry.drill), "hash": .string(record.hash),
            "event": .string(RecordText.line(for: record.entry)), "fields": .object(record.entry.fields),
        ]
        if let role = record.entry.role { object["role"] = .string(role) }
        return self.object(object)
    }

    static func object(_ fields: [String: JSONValue]) -> String {
        "{" + fields.keys.sorted().map { "\(Escape.jsonString($0)):\(value(fields[$0]!))" }.joined(separator: ",") + "}"
    }

    static func value(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): Escape.jsonString(text)
        case .int(let number): String(number)
        case .double(let number): number.isFinite ? "\(number)" : Escape.jsonString(String(number))
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .array(let items): "[" + items.map(self.value).joined(separator: ",") + "]"
        case .object(let fields): object(fields)
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

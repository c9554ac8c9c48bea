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

    let rows: @Sendable (TimelineEntry) -> [String] = { [JSONTimeline.entry($0)] }

    mutating func add(_ entry: TimelineEntry, rows: [String]) throws {
        for row in rows { try timeline.write((timeline.count == 0 ? "\n    " : ",\n    ") + row) }
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
    static func entry(_ entry: TimelineEntry) -> String {
        var text = "{\"actor\":" + Escape.jsonString(entry.actor) + ",\"at\":\"" + TimeText.iso8601(entry.at) + "\",\"drill\":"
        text += (entry.drill ? "true" : "false") + ",\"event\":" + Escape.jsonString(entry.event) + ",\"fields\":" + object(entry.fields)
        text += ",\"hash\":\"" + entry.hash + "\",\"kind\":" + Escape.jsonString(entry.kind)
        if !entry.role.isEmpty { text += ",\"role\":" + Escape.jsonString(entry.role) }
        return text + ",\"seq\":" + String(entry.seq) + "}"
    }

    static func object(_ fields: [String: JSONValue]) -> String {
        if fields.count == 1, let (key, only) = fields.first { return "{" + Escape.jsonString(key) + ":" + value(only) + "}" }
        return "{" + fields.keys.sorted().map { "\(Escape.jsonString($0)):\(value(fields[$0]!))" }.joined(separator: ",") + "}"
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

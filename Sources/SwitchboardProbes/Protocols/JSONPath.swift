import Foundation
import SwitchboardCore

/// A path to one value in a JSON document: `status.indicator`, `components[0].status`,
/// `data.result[-1].value[1]`, `["key.with.dots"].x`. A leading `$.` is allowed. Negative
/// indexes count from the end.
struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    enum Step: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    let steps: [Step]
    let description: String

    init(parsing text: String) throws(JSONPathError) {
        description = text
        var characters = Substring(text)
        if characters.hasPrefix("$") {
            characters = characters.dropFirst()
            if characters.first == "." { characters = characters.dropFirst() }
        }
        var steps: [Step] = []
        var expectKey = true
        while let first = characters.first {
            if first == "[" {
                characters = characters.dropFirst()
                if characters.first == "\"" || characters.first == "'" {
                    let quote = characters.removeFirst()
                    var key = ""
                    var closed = false
                    while let character = characters.first {
                        characters = characters.dropFirst()
                        if character == "\\", let escaped = characters.first {
                            key.append(escaped)
                            characters = characters.dropFirst()
                        } else if character == quote {
                            closed = true
                            break
                        } else {
                            key.append(character)
                        }
                    }
                    guard closed, characters.first == "]" else { throw JSONPathError(text, "a quoted key needs a closing quote and ']'") }
                    steps.append(.key(key))
                } else {
                    let digits = characters.prefix { $0 != "]" }
                    guard characters.dropFirst(digits.count).first == "]", let index = Int(digits) else {
                        throw JSONPathError(text, "expected [INDEX] or [\"KEY\"], got '[\(digits.prefix(20))'")
                    }
                    steps.append(.index(index))
                    characters = characters.dropFirst(digits.count)
                }
                characters = characters.dropFirst() // ]
                expectKey = false
            } else if first == "." {
                guard !steps.isEmpty, !expectKey else { throw JSONPathError(text, "an empty name before '.'") }
                characters = characters.dropFirst()
                expectKey = true
            } else {
                guard expectKey else { throw JSONPathError(text, "expected '.' or '[' after ']'") }
                let name = characters.prefix { $0 != "." && $0 != "[" }
                guard !name.contains(where: { $0 == "]" || $0 == "\"" || $0.isWhitespace }) else {
                    throw JSONPathError(text, "'\(name)' is not a plain name (quote it: [\"\(name)\"])")
                }
                steps.append(.key(String(name)))
                characters = characters.dropFirst(name.count)
                expectKey = false
            }
        }
        guard !steps.isEmpty else { throw JSONPathError(text, "the path is empty") }
        guard !expectKey else { throw JSONPathError(text, "the path ends with '.'") }
        self.steps = steps
    }

    /// The value at this path, or nil when some step does not exist.
    func value(in document: JSONValue) -> JSONValue? {
        var current = document
        for step in steps {
            switch (step, current) {
            case (.key(let key), .object(let object)):
                guard let next = object[key] else { return nil }
                current = next
            case (.index(let index), .array(let array)):
                let position = index < 0 ? array.count + index : index
                guard array.indices.contains(position) else { return nil }
                current = array[position]
            default:
                return nil
            }
        }
        return current
    }
}

/// A JSON path that cannot be read.
struct JSONPathError: Error, Equatable, CustomStringConvertible {
    var path: String
    var reason: String

    init(_ path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    var description: String { "invalid JSON path '\(path)': \(reason)" }
}

extension JSONValue {
    /// Parses a JSON document (any value at the top, as RFC 8259 allows).
    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// The value as a number, for a metric.
    var numberValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// The value as a person reads it in a summary: strings bare, numbers compact, containers as
    /// compact JSON.
    var displayText: String {
        switch self {
        case .string(let value): value
        case .int(let value): String(value)
        case .double(let value): MetricValue.format(value)
        case .bool(let value): value ? "true" : "false"
        case .null: "null"
        case .array, .object:
            (try? String(decoding: JSONEncoder().encode(self), as: UTF8.self)) ?? "?"
        }
    }
}

/// What a JSON value in a response means: the value at `path` is a metric (named by the path),
/// and, when lists are given, decides the status by which list holds it (compared as text, so
/// `ok: [none]` matches "none", `ok: [0]` matches 0 and `ok: [true]` matches true). A value in
/// none of the lists is unknown: the probe cannot say what it means. `text` names a second
/// value shown beside it in the summary (a status page's description).
struct JSONCheck: Sendable, Equatable {
    var path: JSONPath
    var ok: [String] = []
    var warning: [String] = []
    var critical: [String] = []
    var text: JSONPath?

    struct Outcome: Equatable {
        var status: ProbeStatus
        var summary: String
        var metric: Metric?
    }

    func evaluate(_ body: [UInt8]) -> Outcome {
        let document: JSONValue
        do {
            document = try JSONValue.parse(body)
        } catch {
            let start = String(decoding: body.prefix(60), as: UTF8.self)
            return Outcome(status: .unknown, summary: "the body is not JSON: '\(SummaryText.oneLine(start, limit: 40))'")
        }
        guard let value = path.value(in: document) else {
            return Outcome(status: .unknown, summary: "no value at \(path) in the JSON")
        }
        let shown = SummaryText.oneLine(value.displayText, limit: 60)
        let metric = Metric(name: path.description,
                            value: value.numberValue.map { .number($0, unit: "") } ?? SummaryText.metricText(value.displayText))
        var summary = "\(path): \(shown)"
        if let text, let described = text.value(in: document) {
            summary += " · \(SummaryText.oneLine(described.displayText, limit: 80))"
        }
        let listed = value.displayText
        let status: ProbeStatus
        if ok.isEmpty && warning.isEmpty && critical.isEmpty {
            status = .ok
        } else if critical.contains(listed) {
            status = .critical
        } else if warning.contains(listed) {
            status = .warning
        } else if ok.contains(listed) {
            status = .ok
        } else {
            return Outcome(status: .unknown, summary: "\(summary) (not listed under ok, warning or critical)", metric: metric)
        }
        return Outcome(status: status, summary: summary, metric: metric)
    }
}

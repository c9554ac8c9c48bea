import Crypto
import Foundation

/// Something to append to an incident's action log: what happened, who did it, and the fields
/// of its kind. The log gives it its place (`seq`) and seals it into the hash chain.
public struct LogEntry: Sendable, Equatable {
    public var kind: String
    public var actor: String
    public var role: String?
    public var at: Date
    public var drill: Bool
    public var fields: [String: JSONValue]

    public init(kind: String, actor: String, role: String? = nil, at: Date, drill: Bool = false,
                fields: [String: JSONValue] = [:]) {
        self.kind = kind
        self.actor = actor
        self.role = role
        self.at = at
        self.drill = drill
        self.fields = fields
    }

    public subscript(field: String) -> JSONValue? { fields[field] }
}

/// One line of `incidents/<id>.jsonl`, as written: the entry, its place in the log, and the
/// SHA-256 chain that makes any later edit, deletion, insertion or reordering detectable.
public struct LogRecord: Sendable, Equatable {
    /// Keys every record has; the kind's own fields sit beside them at the top level.
    public static let commonKeys: Set<String> = ["seq", "at", "incident", "actor", "role", "kind", "drill", "prev", "hash"]

    public var seq: Int
    public var incident: String
    public var entry: LogEntry
    /// The hash of the record before, or `HashChain.genesis` for the first.
    public var prev: String
    /// SHA-256 of this record's line without its hash field, in hex.
    public var hash: String

    public var kind: String { entry.kind }
    public var at: Date { entry.at }
    public var actor: String { entry.actor }
    public subscript(field: String) -> JSONValue? { entry.fields[field] }
}

/// Why a line is not a sound log record.
public struct LogLineProblem: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The line format and its hash chain.
///
/// A record's line is a JSON object with sorted keys whose last member is `"hash"`: the SHA-256,
/// in hex, of the exact bytes of the same object without that member. Hashing the bytes as
/// written (not a re-encoding) means any change to a line, even one a JSON parser would not
/// notice, is detected. `prev` carries the hash of the record before, so the records form a chain.
public enum HashChain {
    public static let genesis = String(repeating: "0", count: 64)
    /// `,"hash":"` + 64 hex digits + `"}`.
    static let hashSuffixLength = 9 + 64 + 2

    /// Encodes `entry` as record `seq` of `incident`, chained to `prev`. Returns the line without
    /// its newline.
    public static func seal(_ entry: LogEntry, incident: String, seq: Int, prev: String) -> (line: [UInt8], record: LogRecord) {
        var object = entry.fields.filter { !LogRecord.commonKeys.contains($0.key) }
        object["seq"] = .int(seq)
        object["at"] = .string(TimeText.iso8601(entry.at))
        object["incident"] = .string(incident)
        object["actor"] = .string(entry.actor)
        if let role = entry.role { object["role"] = .string(role) }
        object["kind"] = .string(entry.kind)
        object["drill"] = .bool(entry.drill)
        object["prev"] = .string(prev)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a dictionary of JSON values cannot fail.
        let body = Array((try? encoder.encode(object)) ?? Data("{}".utf8))
        let hash = hexDigest(body)
        let line = body.dropLast() + Array(#","hash":"\#(hash)"}"#.utf8)
        var sealed = entry
        sealed.fields = object.filter { !LogRecord.commonKeys.contains($0.key) }
        return (Array(line), LogRecord(seq: seq, incident: incident, entry: sealed, prev: prev, hash: hash))
    }

    /// Reads a line back, checking its own hash (not yet its place in the chain).
    public static func open(_ line: some Collection<UInt8>) -> Result<LogRecord, LogLineProblem> {
        let bytes = Array(line)
        guard bytes.count > hashSuffixLength, bytes.first == UInt8(ascii: "{") else {
            return .failure(LogLineProblem("not a log record"))
        }
        let suffixStart = bytes.count - hashSuffixLength
        let suffix = bytes[suffixStart...]
        guard suffix.starts(with: Array(#","hash":""#.utf8)), suffix.suffix(2).elementsEqual(Array(#""}"#.utf8)) else {
            return .failure(LogLineProblem("no hash at the end of the record"))
        }
        let written = String(decoding: suffix.dropFirst(9).prefix(64), as: UTF8.self)
        let body = Array(bytes[..<suffixStart]) + [UInt8(ascii: "}")]
        guard hexDigest(body) == written else {
            return .failure(LogLineProblem("its hash does not match its content: edited after it was written"))
        }
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(body)) else {
            return .failure(LogLineProblem("not valid JSON"))
        }
        guard let seq = object["seq"]?.int, let atText = object["at"]?.string, let at = TimeText.date(iso8601: atText),
              let incident = object["incident"]?.string, let actor = object["actor"]?.string,
              let kind = object["kind"]?.string, let prev = object["prev"]?.string else {
            return .failure(LogLineProblem("a required field (seq, at, incident, actor, kind, prev) is missing or malformed"))
        }
        let entry = LogEntry(kind: kind, actor: actor, role: object["role"]?.string, at: at, drill: object["drill"]?.bool ?? false,
                             fields: object.filter { !LogRecord.commonKeys.contains($0.key) })
        return .success(LogRecord(seq: seq, incident: incident, entry: entry, prev: prev, hash: written))
    }

    static func hexDigest(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}

/// Checks records one after another: each must be sound, belong to the same incident, carry the
/// next `seq`, and chain to the record before. Fed line by line, it verifies a log of any length
/// in constant memory.
public struct ChainVerifier: Sendable {
    public private(set) var recordCount = 0
    public private(set) var lastHash = HashChain.genesis
    public private(set) var incident: String?

    public init() {}

    /// Checks the next line (1-based `lineNumber`, for the message); on success the record is
    /// returned and becomes the one the next must chain to.
    public mutating func check(_ line: some Collection<UInt8>, lineNumber: Int) -> Result<LogRecord, LogLineProblem> {
        let record: LogRecord
        switch HashChain.open(line) {
        case .failure(let problem):
            return .failure(LogLineProblem("line \(lineNumber): \(problem.message)"))
        case .success(let opened):
            record = opened
        }
        let expected = recordCount + 1
        let name = "line \(lineNumber) (seq \(record.seq))"
        if let incident, record.incident != incident {
            return .failure(LogLineProblem("\(name): belongs to incident '\(record.incident)', not '\(incident)'"))
        }
        if record.seq > expected {
            return .failure(LogLineProblem("\(name): seq jumps from \(expected - 1) to \(record.seq): records were deleted"))
        }
        if record.seq < expected {
            return .failure(LogLineProblem("\(name): expected seq \(expected): records were inserted or reordered"))
        }
        if record.prev != lastHash {
            return .failure(LogLineProblem("\(name): does not chain to the record before it: inserted, reordered or forged"))
        }
        recordCount = record.seq
        lastHash = record.hash
        incident = record.incident
        return .success(record)
    }
}

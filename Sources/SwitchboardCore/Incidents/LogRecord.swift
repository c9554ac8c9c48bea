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
    /// For a seq that jumps ahead: the seq that was expected there, which a verifier may find
    /// further on (the records were reordered) or not (deleted).
    public var expectedSeq: Int?
    public init(_ message: String, expectedSeq: Int? = nil) {
        self.message = message
        self.expectedSeq = expectedSeq
    }
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
        // Encoding a dictionary of JSON values cannot fail: non-finite numbers are written as words.
        let body = Array((try? encoder.encode(object)) ?? Data("{}".utf8))
        let hash = hexDigest(body)
        let line = body.dropLast() + Array(#","hash":"\#(hash)"}"#.utf8)
        var sealed = entry
        sealed.at = entry.at.roundedToMilliseconds
        sealed.fields = object.filter { !LogRecord.commonKeys.contains($0.key) }
        return (Array(line), LogRecord(seq: seq, incident: incident, entry: sealed, prev: prev, hash: hash))
    }

    /// Reads a line back, checking its own hash (not yet its place in the chain).
    public static func open(_ line: some Collection<UInt8>) -> Result<LogRecord, LogLineProblem> {
        let sealed: (body: [UInt8], hash: String)
        switch checkHash(Array(line)) {
        case .success(let checked): sealed = checked
        case .failure(let problem): return .failure(problem)
        }
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(sealed.body)) else {
            return .failure(LogLineProblem("not valid JSON"))
        }
        guard let seq = object["seq"]?.int, let at = object["at"]?.string.flatMap(TimeText.date(iso8601:))?.roundedToMilliseconds,
              let incident = object["incident"]?.string, let actor = object["actor"]?.string,
              let kind = object["kind"]?.string, let prev = object["prev"]?.string else {
            return .failure(LogLineProblem(requiredFieldsProblem))
        }
        let entry = LogEntry(kind: kind, actor: actor, role: object["role"]?.string, at: at,
                             drill: object["drill"]?.bool ?? false,
                             fields: object.filter { !LogRecord.commonKeys.contains($0.key) })
        return .success(LogRecord(seq: seq, incident: incident, entry: entry, prev: prev, hash: sealed.hash))
    }

    static let requiredFieldsProblem = "a required field (seq, at, incident, actor, kind, prev) is missing or malformed"

    /// What the chain needs of a line, checked: its own hash, valid JSON, and the fields every
    /// record has present. Cheaper than `open` (nothing else is decoded), for verifying long logs.
    public static func link(_ line: some Collection<UInt8>) -> Result<ChainLink, LogLineProblem> {
        let sealed: (body: [UInt8], hash: String)
        switch checkHash(Array(line)) {
        case .success(let checked): sealed = checked
        case .failure(let problem): return .failure(problem)
        }
        let common: CommonFields
        do {
            common = try JSONDecoder().decode(CommonFields.self, from: Data(sealed.body))
        } catch DecodingError.dataCorrupted {
            return .failure(LogLineProblem("not valid JSON"))
        } catch {
            return .failure(LogLineProblem(requiredFieldsProblem))
        }
        return .success(ChainLink(seq: common.seq, incident: common.incident, kind: common.kind, prev: common.prev, hash: sealed.hash))
    }

    /// Checks that a line ends in its hash and that the hash matches the rest; returns the
    /// object without its hash member (what was hashed) and the hash.
    private static func checkHash(_ bytes: [UInt8]) -> Result<(body: [UInt8], hash: String), LogLineProblem> {
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
        return .success((body, written))
    }

    /// The fields every record has, as written.
    private struct CommonFields: Decodable {
        var seq: Int
        var at: String
        var incident: String
        var actor: String
        var kind: String
        var prev: String
    }

    static func hexDigest(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
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
        switch HashChain.open(line) {
        case .failure(let problem):
            return .failure(LogLineProblem("line \(lineNumber): \(problem.message)"))
        case .success(let record):
            let link = ChainLink(seq: record.seq, incident: record.incident, kind: record.kind, prev: record.prev, hash: record.hash)
            return follow(link, lineNumber: lineNumber).map { record }
        }
    }

    /// Checks the next line's place in the chain, from a `HashChain.link` read (which can be done
    /// for many lines at once, on several cores).
    public mutating func follow(_ read: Result<ChainLink, LogLineProblem>, lineNumber: Int) -> Result<ChainLink, LogLineProblem> {
        switch read {
        case .failure(let problem):
            return .failure(LogLineProblem("line \(lineNumber): \(problem.message)"))
        case .success(let link):
            return follow(link, lineNumber: lineNumber).map { link }
        }
    }

    private mutating func follow(_ link: ChainLink, lineNumber: Int) -> Result<Void, LogLineProblem> {
        let expected = recordCount + 1
        let name = "line \(lineNumber) (seq \(link.seq))"
        if let incident, link.incident != incident {
            return .failure(LogLineProblem("\(name): belongs to incident '\(link.incident)', not '\(incident)'"))
        }
        if link.seq > expected {
            return .failure(LogLineProblem("\(name): seq jumps from \(expected - 1) to \(link.seq): records were deleted",
                                           expectedSeq: expected))
        }
        if link.seq < expected {
            return .failure(LogLineProblem("\(name): expected seq \(expected): records were inserted or reordered"))
        }
        if link.prev != lastHash {
            return .failure(LogLineProblem("\(name): does not chain to the record before it: inserted, reordered or forged"))
        }
        recordCount = link.seq
        lastHash = link.hash
        incident = link.incident
        return .success(())
    }
}

/// What places a record in its chain, and its kind: read from every line.
public struct ChainLink: Sendable, Equatable {
    public var seq: Int
    public var incident: String
    public var kind: String
    public var prev: String
    public var hash: String
}

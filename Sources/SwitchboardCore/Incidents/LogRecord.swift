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
        let bytes = Array(line)
        let hash: String
        switch checkHash(bytes) {
        case .success(let checked): hash = checked
        case .failure(let problem): return .failure(problem)
        }
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(body(of: bytes))) else {
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
        return .success(LogRecord(seq: seq, incident: incident, entry: entry, prev: prev, hash: hash))
    }

    static let requiredFieldsProblem = "a required field (seq, at, incident, actor, kind, prev) is missing or malformed"

    /// What the chain needs of a line, checked: its own hash, valid JSON, and the fields every
    /// record has present. Cheaper than `open` (nothing else is decoded), for verifying long logs:
    /// the line is scanned as bytes, and only a line the scan cannot vouch for goes through the
    /// general decoder (which then says what is wrong with it).
    public static func link(_ line: some Collection<UInt8>) -> Result<ChainLink, LogLineProblem> {
        link(Array(line))
    }

    /// `link` of a line already in an array: read by the million, it is not copied.
    public static func link(_ bytes: [UInt8]) -> Result<ChainLink, LogLineProblem> {
        let hash: String
        switch checkHash(bytes) {
        case .success(let checked): hash = checked
        case .failure(let problem): return .failure(problem)
        }
        switch bytes.withUnsafeBufferPointer(scanCommonFields) {
        case .fields(let common):
            return .success(ChainLink(seq: common.seq, incident: common.incident, kind: common.kind, prev: common.prev, hash: hash))
        case .invalid:
            return .failure(LogLineProblem("not valid JSON"))
        case .missing:
            return .failure(LogLineProblem(requiredFieldsProblem))
        case .unusual:
            // Read as `open` reads it, so both accept the same lines.
            guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(body(of: bytes))) else {
                return .failure(LogLineProblem("not valid JSON"))
            }
            guard let seq = object["seq"]?.int, object["at"]?.string != nil, let incident = object["incident"]?.string,
                  object["actor"]?.string != nil, let kind = object["kind"]?.string, let prev = object["prev"]?.string else {
                return .failure(LogLineProblem(requiredFieldsProblem))
            }
            return .success(ChainLink(seq: seq, incident: incident, kind: kind, prev: prev, hash: hash))
        }
    }

    /// What scanning a line's bytes found.
    private enum Scanned {
        case fields(CommonFields)
        /// Not JSON.
        case invalid
        /// JSON, without one of the fields every record has (or with one of another type).
        case missing
        /// JSON the scan leaves to the general decoder: an escaped key, a key twice, a seq written
        /// as other than a plain integer.
        case unusual
    }

    /// The fields every record has.
    private enum CommonField {
        case seq, at, incident, actor, kind, prev
    }

    /// The common fields of a whole line (its hash member included: it is JSON as well).
    private static func scanCommonFields(_ line: UnsafeBufferPointer<UInt8>) -> Scanned {
        var scanner = JSONByteScanner(line)
        var seq: Int?
        // Each string field as read ("" for `at` and `actor`, which need only be strings), in
        // CommonField order but for seq: no dictionary, as this runs a million times.
        var texts: (at: String?, incident: String?, actor: String?, kind: String?, prev: String?)
        var wrongType = false
        func field(_ key: Range<Int>) -> CommonField? {
            if scanner.bytes(key, are: "seq") { return .seq }
            if scanner.bytes(key, are: "at") { return .at }
            if scanner.bytes(key, are: "incident") { return .incident }
            if scanner.bytes(key, are: "actor") { return .actor }
            if scanner.bytes(key, are: "kind") { return .kind }
            if scanner.bytes(key, are: "prev") { return .prev }
            return nil
        }
        /// Reads a string field once; nil is a line the general decoder must read.
        func read(_ slot: inout String?, keep: Bool) -> Scanned? {
            guard slot == nil else { return .unusual }
            guard scanner.next == UInt8(ascii: "\"") else {
                guard scanner.skipValue() else { return .invalid }
                slot = ""
                wrongType = true
                return nil
            }
            if keep {
                guard let value = scanner.string() else { return .invalid }
                slot = value
            } else {
                guard scanner.skipString() else { return .invalid }
                slot = ""
            }
            return nil
        }
        guard scanner.take(UInt8(ascii: "{")) else { return .invalid }
        repeat {
            scanner.skipSpace()
            // Keys as we write them: plain ASCII, compared as bytes.
            guard let key = scanner.plainString() else { return scanner.next == UInt8(ascii: "\"") ? .unusual : .invalid }
            scanner.skipSpace()
            guard scanner.take(UInt8(ascii: ":")) else { return .invalid }
            scanner.skipSpace()
            var stop: Scanned?
            switch field(key) {
            case .seq?:
                guard seq == nil, let value = scanner.integer(), let fits = Int(exactly: value) else { return .unusual }
                seq = fits
            case .at?: stop = read(&texts.at, keep: false)
            case .incident?: stop = read(&texts.incident, keep: true)
            case .actor?: stop = read(&texts.actor, keep: false)
            case .kind?: stop = read(&texts.kind, keep: true)
            case .prev?: stop = read(&texts.prev, keep: true)
            case nil: if !scanner.skipValue() { stop = .invalid }
            }
            if let stop { return stop }
            scanner.skipSpace()
        } while scanner.take(UInt8(ascii: ","))
        guard scanner.take(UInt8(ascii: "}")) else { return .invalid }
        scanner.skipSpace()
        guard scanner.atEnd else { return .invalid }
        guard !wrongType, let seq, texts.at != nil, texts.actor != nil, let incident = texts.incident, let kind = texts.kind,
              let prev = texts.prev else { return .missing }
        return .fields(CommonFields(seq: seq, incident: incident, kind: kind, prev: prev))
    }

    /// The object without its hash member: what was hashed.
    private static func body(of line: [UInt8]) -> [UInt8] {
        Array(line[..<(line.count - hashSuffixLength)]) + [UInt8(ascii: "}")]
    }

    /// Checks that a line ends in its hash and that the hash matches the rest; returns the hash.
    private static func checkHash(_ bytes: [UInt8]) -> Result<String, LogLineProblem> {
        guard bytes.count > hashSuffixLength, bytes.first == UInt8(ascii: "{") else {
            return .failure(LogLineProblem("not a log record"))
        }
        let suffixStart = bytes.count - hashSuffixLength
        let suffix = bytes[suffixStart...]
        guard suffix.starts(with: Array(#","hash":""#.utf8)), suffix.suffix(2).elementsEqual(Array(#""}"#.utf8)) else {
            return .failure(LogLineProblem("no hash at the end of the record"))
        }
        // The body is hashed in place: what precedes the hash member, then the closing brace.
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<suffixStart])) }
        hasher.update(data: [UInt8(ascii: "}")])
        var matches = true
        for (offset, byte) in hasher.finalize().enumerated() {
            let at = suffixStart + 9 + offset * 2
            matches = matches && bytes[at] == hexDigits[Int(byte >> 4)] && bytes[at + 1] == hexDigits[Int(byte & 0x0F)]
        }
        guard matches else {
            return .failure(LogLineProblem("its hash does not match its content: edited after it was written"))
        }
        return .success(String(decoding: suffix.dropFirst(9).prefix(64), as: UTF8.self))
    }

    /// What the chain needs of the fields every record has (`at` and `actor` need only be there).
    private struct CommonFields {
        var seq: Int
        var incident: String
        var kind: String
        var prev: String
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func hexDigest(_ bytes: [UInt8]) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
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

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

/// A record that is nothing but words (a note), read without building the general record.
public struct TextRecord: Sendable, Equatable {
    public var seq: Int
    public var at: Date
    public var actor: String
    public var role: String?
    public var kind: String
    public var drill: Bool
    public var text: String
    public var hash: RecordHash
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
        if let opened = line.withContiguousStorageIfAvailable({ open(bytes: $0) }) { return opened }
        return Array(line).withUnsafeBufferPointer { open(bytes: $0) }
    }

    /// `open` of bytes in place. `incident`, the incident the line is expected to belong to, is
    /// shared by the record when it does.
    public static func open(bytes: UnsafeBufferPointer<UInt8>, incident expected: String? = nil) -> Result<LogRecord, LogLineProblem> {
        let hash: RecordHash
        do { hash = try checkHash(bytes) } catch { return .failure(error) }
        if let record = scanRecord(bytes, hash: hash, expected: expected) { return .success(record) }
        // What the byte scanner leaves (a key twice, an odd number, a field of the wrong type) is
        // read by the general decoder, from the bytes that were hashed, which says what is wrong.
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(body(of: bytes))) else {
            return .failure(LogLineProblem("not valid JSON"))
        }
        guard let seq = object["seq"]?.int,
              let at = object["at"]?.string.flatMap(TimeText.date(iso8601:))?.roundedToMilliseconds,
              let incident = object["incident"]?.string, let actor = object["actor"]?.string,
              let kind = object["kind"]?.string, let prev = object["prev"]?.string else {
            return .failure(LogLineProblem(requiredFieldsProblem))
        }
        let entry = LogEntry(kind: kind, actor: actor, role: object["role"]?.string, at: at,
                             drill: object["drill"]?.bool ?? false,
                             fields: object.filter { !LogRecord.commonKeys.contains($0.key) })
        return .success(LogRecord(seq: seq, incident: incident, entry: entry, prev: prev, hash: hash.description))
    }

    /// The record of a line whose link was read (its hash checked): read whole without hashing
    /// it again; nil if it cannot be read.
    public static func record(bytes: UnsafeBufferPointer<UInt8>, link: ChainLink) -> LogRecord? {
        if let record = scanRecord(bytes, hash: link.hash, expected: link.incident) { return record }
        return try? open(bytes: bytes, incident: link.incident).get()
    }

    /// A note read straight from its line, whose link was read: only when it has nothing but the
    /// common fields and its text, as notes are written; nil for anything else (read it whole).
    /// Most of a long log is notes; a report reads a million of them.
    public static func note(bytes line: UnsafeBufferPointer<UInt8>, link: ChainLink) -> TextRecord? {
        guard link.kind == LogKind.note else { return nil }
        if let values = link.noteValues, let at = TimeText.writtenTime(UnsafeBufferPointer(rebasing: line[values.at])) {
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: line[range]), as: UTF8.self) }
            return TextRecord(seq: link.seq, at: at, actor: text(values.actor), role: values.role.map(text), kind: link.kind,
                              drill: values.drill, text: text(values.text), hash: link.hash)
        }
        var scanner = JSONByteScanner(line)
        var at: Date?, actor: String?, role: String?, text: String?, drill = false
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = scanner.plainString(), scanner.take(UInt8(ascii: ":")) else { return nil }
            if scanner.bytes(key, are: "at") {
                guard at == nil, let range = scanner.plainString(),
                      let date = TimeText.writtenTime(UnsafeBufferPointer(rebasing: line[range])) else { return nil }
                at = date
            } else if scanner.bytes(key, are: "actor") {
                guard actor == nil, let value = scanner.string() else { return nil }
                actor = value
            } else if scanner.bytes(key, are: "role") {
                guard role == nil, let value = scanner.string() else { return nil }
                role = value
            } else if scanner.bytes(key, are: "text") {
                guard text == nil, let value = scanner.string() else { return nil }
                text = value
            } else if scanner.bytes(key, are: "drill") {
                guard let value = scanner.boolean() else { return nil }
                drill = value
            } else if scanner.bytes(key, are: "seq") || scanner.bytes(key, are: "incident") || scanner.bytes(key, are: "kind")
                        || scanner.bytes(key, are: "prev") || scanner.bytes(key, are: "hash") {
                // Read (and checked) by the link already: passed over as fast as their shapes allow.
                guard scanner.plainString() != nil || scanner.integer() != nil || scanner.skipValue() else { return nil }
            } else {
                return nil
            }
        } while scanner.take(UInt8(ascii: ","))
        guard scanner.take(UInt8(ascii: "}")), scanner.atEnd, let at, let actor, let text else { return nil }
        return TextRecord(seq: link.seq, at: at, actor: actor, role: role, kind: link.kind, drill: drill, text: text, hash: link.hash)
    }

    /// A whole line read by the byte scanner: the common fields straight into the record, the
    /// kind's own into its fields. Nil for anything the general decoder must read.
    private static func scanRecord(_ line: UnsafeBufferPointer<UInt8>, hash: RecordHash, expected: String?) -> LogRecord? {
        var scanner = JSONByteScanner(line)
        var seq: Int?, at: Date?, incident: String?, actor: String?, role: String?, kind: String?, prev: String?, drill: Bool?
        var sawHash = false
        var fields: [String: JSONValue] = [:]
        func text(_ slot: inout String?) -> Bool {
            guard slot == nil, let value = scanner.string() else { return false }
            slot = value
            return true
        }
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        repeat {
            scanner.skipSpace()
            guard let key = scanner.plainString() else { return nil }
            scanner.skipSpace()
            guard scanner.take(UInt8(ascii: ":")) else { return nil }
            scanner.skipSpace()
            if scanner.bytes(key, are: "seq") {
                guard seq == nil, let value = scanner.integer(), let fits = Int(exactly: value) else { return nil }
                seq = fits
            } else if scanner.bytes(key, are: "at") {
                guard at == nil, let range = scanner.plainString(),
                      let date = TimeText.writtenTime(UnsafeBufferPointer(rebasing: line[range])) else { return nil }
                at = date
            } else if scanner.bytes(key, are: "incident") {
                if incident == nil, var expected, let range = scanner.plainString(),
                   expected.withUTF8({ $0.count == range.count && memcmp($0.baseAddress!, line.baseAddress! + range.lowerBound, range.count) == 0 }) {
                    incident = expected
                } else if !text(&incident) { return nil }
            } else if scanner.bytes(key, are: "actor") {
                guard text(&actor) else { return nil }
            } else if scanner.bytes(key, are: "role") {
                guard text(&role) else { return nil }
            } else if scanner.bytes(key, are: "kind") {
                guard text(&kind) else { return nil }
            } else if scanner.bytes(key, are: "prev") {
                guard text(&prev) else { return nil }
            } else if scanner.bytes(key, are: "drill") {
                guard drill == nil, let value = scanner.boolean() else { return nil }
                drill = value
            } else if scanner.bytes(key, are: "hash") {
                guard !sawHash, scanner.plainString() != nil else { return nil }
                sawHash = true
            } else {
                guard let name = String(validating: UnsafeBufferPointer(rebasing: line[key]), as: UTF8.self),
                      let value = scanner.value(depth: 1), fields.updateValue(value, forKey: name) == nil else { return nil }
            }
            scanner.skipSpace()
        } while scanner.take(UInt8(ascii: ","))
        guard scanner.take(UInt8(ascii: "}")) else { return nil }
        scanner.skipSpace()
        guard scanner.atEnd, let seq, let at, let incident, let actor, let kind, let prev else { return nil }
        let entry = LogEntry(kind: kind, actor: actor, role: role, at: at, drill: drill ?? false, fields: fields)
        return LogRecord(seq: seq, incident: incident, entry: entry, prev: prev, hash: hash.description)
    }

    static let requiredFieldsProblem = "a required field (seq, at, incident, actor, kind, prev) is missing or malformed"

    /// What the chain needs of a line, checked: its own hash, valid JSON, and the fields every
    /// record has present. Cheaper than `open` (nothing else is decoded), for verifying long logs:
    /// the line is scanned as bytes, and only a line the scan cannot vouch for goes through the
    /// general decoder (which then says what is wrong with it). `incident`, the incident the
    /// line is expected to belong to, is shared by the link when it does: a million links then
    /// build no string.
    public static func link(_ line: some Collection<UInt8>, incident: String? = nil) -> Result<ChainLink, LogLineProblem> {
        if let linked = line.withContiguousStorageIfAvailable({ link(bytes: $0, incident: incident) }) { return linked }
        return Array(line).withUnsafeBufferPointer { link(bytes: $0, incident: incident) }
    }

    /// `link` of bytes in place.
    public static func link(bytes: UnsafeBufferPointer<UInt8>, incident expected: String? = nil) -> Result<ChainLink, LogLineProblem> {
        Result { () throws(LogLineProblem) in try checkedLink(bytes: bytes, incident: expected) }
    }

    /// `link` of bytes in place, throwing what is wrong: the link is returned as it is made,
    /// not copied into a result (a million lines are read through here).
    public static func checkedLink(bytes: UnsafeBufferPointer<UInt8>, incident expected: String? = nil) throws(LogLineProblem) -> ChainLink {
        let hash = try checkHash(bytes)
        let common: CommonFields
        do throws(Unscanned) {
            if let note = scanWrittenNote(bytes, expected: expected) {
                common = note
            } else {
                common = try scanCommonFields(bytes, expected: expected)
            }
        } catch .invalid {
            throw LogLineProblem("not valid JSON")
        } catch .missing {
            throw LogLineProblem(requiredFieldsProblem)
        } catch {
            // Read as `open` reads it, so both accept the same lines.
            guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(body(of: bytes))) else {
                throw LogLineProblem("not valid JSON")
            }
            guard let seq = object["seq"]?.int, object["at"]?.string != nil, let incident = object["incident"]?.string,
                  object["actor"]?.string != nil, let kind = object["kind"]?.string, let prevText = object["prev"]?.string else {
                throw LogLineProblem(requiredFieldsProblem)
            }
            return ChainLink(seq: seq, incident: incident, kind: kind, prev: .written(prevText), hash: hash)
        }
        return ChainLink(seq: common.seq, incident: common.incident, kind: common.kind, prev: common.prev, hash: hash,
                         noteValues: common.noteValues)
    }

    /// Why scanning a line's bytes did not read its common fields.
    private enum Unscanned: Error {
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

    /// The common fields of a note as the log writes it (most of a long log): its members in
    /// the order the writer sorts them, each plain ASCII, without spaces, its hash member last
    /// (`checkHash` has read it). Read by taking each member where it must be, with no key to
    /// look up; nil for any other line, which `scanCommonFields` reads (and reads the same).
    private static func scanWrittenNote(_ line: UnsafeBufferPointer<UInt8>, expected: String?) -> CommonFields? {
        var scanner = JSONByteScanner(line)
        func plain() -> Range<Int>? {
            guard let (range, isASCII) = scanner.plainStringBytes(), isASCII else { return nil }
            return range
        }
        guard scanner.word(#"{"actor":"#), let actor = plain(), scanner.word(#","at":"#), let at = plain() else { return nil }
        var drill = false
        if scanner.word(#","drill":"#) {
            guard let value = scanner.boolean() else { return nil }
            drill = value
        }
        guard scanner.word(#","incident":"#), let incidentRange = plain(),
              scanner.word(#","kind":"note","prev":"#), let prevRange = plain(), prevRange.count == 64 else { return nil }
        var role: Range<Int>?
        if scanner.word(#","role":"#) {
            guard let range = plain() else { return nil }
            role = range
        }
        guard scanner.word(#","seq":"#), let seq = scanner.integer().flatMap({ Int(exactly: $0) }), scanner.word(#","text":"#),
              let text = plain(), scanner.index == line.count - hashSuffixLength else { return nil }
        let incidentBytes = UnsafeBufferPointer(rebasing: line[incidentRange])
        // The expected incident is shared rather than built again.
        let incident = if var expected, expected.withUTF8({ JSONByteScanner.same($0, incidentBytes) }) {
            expected
        } else {
            String(decoding: incidentBytes, as: UTF8.self)
        }
        let prev = RecordHash(bytes: UnsafeBufferPointer(rebasing: line[prevRange]))
        return CommonFields(seq: seq, incident: incident, kind: LogKind.note, prev: .hash(prev),
                            noteValues: NoteValues(at: at, actor: actor, role: role, text: text, drill: drill))
    }

    /// The common fields of a whole line (its hash member included: it is JSON as well).
    private static func scanCommonFields(_ line: UnsafeBufferPointer<UInt8>, expected: String?) throws(Unscanned) -> CommonFields {
        var scanner = JSONByteScanner(line)
        var seq: Int?
        // Each string field as read ("" for `at` and `actor`, which need only be strings), in
        // CommonField order but for seq: no dictionary, as this runs a million times.
        var texts: (at: String?, incident: String?, actor: String?, kind: String?)
        var prev: ChainLink.Prev?
        var wrongType = false
        /// Where a note's values are, while every member seen is a note's, written plainly.
        var note = (at: nil as Range<Int>?, actor: nil as Range<Int>?, role: nil as Range<Int>?, text: nil as Range<Int>?,
                    drill: false, plain: true)
        /// A string value without escapes, in ASCII (so valid UTF-8 as it is): its range.
        func plainASCII() -> Range<Int>? {
            let start = scanner.index
            guard let (range, isASCII) = scanner.plainStringBytes() else { return nil }
            guard isASCII else {
                scanner.index = start
                return nil
            }
            return range
        }
        /// Reads a string field that need only be a string, as `read` does; and where its value
        /// is, for a note, when it is plain ASCII.
        func readKeepingRange(_ slot: inout String?) -> (Unscanned?, Range<Int>?) {
            guard slot == nil, let plain = plainASCII() else {
                note.plain = false
                return (read(&slot, keep: false), nil)
            }
            slot = ""
            return (nil, plain)
        }
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
        func read(_ slot: inout String?, keep: Bool) -> Unscanned? {
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
        guard scanner.take(UInt8(ascii: "{")) else { throw .invalid }
        repeat {
            scanner.skipSpace()
            // Keys as we write them: plain ASCII, compared as bytes.
            guard let key = scanner.plainString() else { throw scanner.next == UInt8(ascii: "\"") ? .unusual : .invalid }
            scanner.skipSpace()
            guard scanner.take(UInt8(ascii: ":")) else { throw .invalid }
            scanner.skipSpace()
            var stop: Unscanned?
            switch field(key) {
            case .seq?:
                guard seq == nil, let value = scanner.integer(), let fits = Int(exactly: value) else { throw .unusual }
                seq = fits
            case .at?: (stop, note.at) = readKeepingRange(&texts.at)
            case .incident?:
                // The expected incident, compared as bytes, is shared rather than built again;
                // any other is read from where it starts.
                let start = scanner.index
                if texts.incident == nil, var expected, let range = scanner.plainString(),
                   expected.withUTF8({ JSONByteScanner.same($0, UnsafeBufferPointer(rebasing: line[range])) }) {
                    texts.incident = expected
                } else {
                    scanner.index = start
                    stop = read(&texts.incident, keep: true)
                }
            case .actor?: (stop, note.actor) = readKeepingRange(&texts.actor)
            case .kind?: stop = read(&texts.kind, keep: true)
            case .prev?:
                guard prev == nil else { throw .unusual }
                if let range = scanner.plainString() {
                    let bytes = UnsafeBufferPointer(rebasing: line[range])
                    let hash = bytes.count == 64 ? RecordHash(bytes: bytes) : nil
                    if let hash, hash.isASCII {
                        prev = .hash(hash)
                    } else {
                        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalid }
                        prev = .written(text)
                    }
                } else if scanner.next == UInt8(ascii: "\"") {
                    guard let text = scanner.string() else { throw .invalid }
                    prev = .written(text)
                } else {
                    guard scanner.skipValue() else { throw .invalid }
                    wrongType = true
                    prev = .written("")
                }
            case nil:
                // A note's own members are kept where they are; anything else is skipped.
                if scanner.bytes(key, are: "text"), note.text == nil, let range = plainASCII() {
                    note.text = range
                } else if scanner.bytes(key, are: "role"), note.role == nil, let range = plainASCII() {
                    note.role = range
                } else if scanner.bytes(key, are: "drill"), let drill = scanner.boolean() {
                    note.drill = drill
                } else {
                    if !scanner.bytes(key, are: "hash") { note.plain = false }
                    if !scanner.skipValue() { stop = .invalid }
                }
            }
            if let stop { throw stop }
            scanner.skipSpace()
        } while scanner.take(UInt8(ascii: ","))
        guard scanner.take(UInt8(ascii: "}")) else { throw .invalid }
        scanner.skipSpace()
        guard scanner.atEnd else { throw .invalid }
        guard !wrongType, let seq, texts.at != nil, texts.actor != nil, let incident = texts.incident, let kind = texts.kind,
              let prev else { throw .missing }
        let noteValues = if kind == LogKind.note, note.plain, let at = note.at, let actor = note.actor, let text = note.text {
            NoteValues(at: at, actor: actor, role: note.role, text: text, drill: note.drill)
        } else {
            nil as NoteValues?
        }
        return CommonFields(seq: seq, incident: incident, kind: kind, prev: prev, noteValues: noteValues)
    }

    /// The object without its hash member: what was hashed.
    private static func body(of line: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        Array(line[..<(line.count - hashSuffixLength)]) + [UInt8(ascii: "}")]
    }

    private static let hashMemberStart: StaticString = #","hash":""#
    private static let closingBrace: [UInt8] = [UInt8(ascii: "}")]

    /// Checks that a line ends in its hash and that the hash matches the rest; returns the hash.
    private static func checkHash(_ bytes: UnsafeBufferPointer<UInt8>) throws(LogLineProblem) -> RecordHash {
        guard bytes.count > hashSuffixLength, bytes[0] == UInt8(ascii: "{") else {
            throw LogLineProblem("not a log record")
        }
        let suffixStart = bytes.count - hashSuffixLength
        guard memcmp(bytes.baseAddress! + suffixStart, hashMemberStart.utf8Start, 9) == 0,
              bytes[bytes.count - 2] == UInt8(ascii: "\""), bytes[bytes.count - 1] == UInt8(ascii: "}") else {
            throw LogLineProblem("no hash at the end of the record")
        }
        // The body is hashed in place: what precedes the hash member, then the closing brace.
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[..<suffixStart])))
        closingBrace.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        let hash = RecordHash(digest: hasher.finalize())
        guard hash == RecordHash(bytes: UnsafeBufferPointer(rebasing: bytes[(suffixStart + 9)...])) else {
            throw LogLineProblem("its hash does not match its content: edited after it was written")
        }
        return hash
    }

    /// What the chain needs of the fields every record has (`at` and `actor` need only be there).
    private struct CommonFields {
        var seq: Int
        var incident: String
        var kind: String
        var prev: ChainLink.Prev
        var noteValues: NoteValues?
    }

    static func hexDigest(_ bytes: [UInt8]) -> String {
        RecordHash(digest: SHA256.hash(data: bytes)).description
    }
}

/// Checks records one after another: each must be sound, belong to the same incident, carry the
/// next `seq`, and chain to the record before. Fed line by line, it verifies a log of any length
/// in constant memory.
public struct ChainVerifier: Sendable {
    public private(set) var recordCount = 0
    public private(set) var lastRecordHash = RecordHash.genesis
    public private(set) var incident: String?

    public init() {}

    /// A verifier that goes on from `link`, a record already checked in its place: the chain
    /// of a long log is checked in slices, each from the line before it.
    public init(continuingAfter link: ChainLink) {
        recordCount = link.seq
        lastRecordHash = link.hash
        incident = link.incident
    }

    /// The hash of the last record checked, as the log writes it.
    public var lastHash: String { lastRecordHash.description }

    /// Checks the next line (1-based `lineNumber`, for the message); on success the record is
    /// returned and becomes the one the next must chain to.
    public mutating func check(_ line: some Collection<UInt8>, lineNumber: Int) -> Result<LogRecord, LogLineProblem> {
        follow(HashChain.open(line), lineNumber: lineNumber)
    }

    /// Checks the next record's place in the chain, from a `HashChain.open` read.
    public mutating func follow(_ read: Result<LogRecord, LogLineProblem>, lineNumber: Int) -> Result<LogRecord, LogLineProblem> {
        switch read {
        case .failure(let problem):
            return .failure(LogLineProblem("line \(lineNumber): \(problem.message)"))
        case .success(let record):
            return Result { () throws(LogLineProblem) in
                try follow(ChainLink(record), lineNumber: lineNumber)
                return record
            }
        }
    }

    /// Checks the next line's place in the chain, from a `HashChain.link` read (which can be done
    /// for many lines at once, on several cores).
    public mutating func follow(_ read: Result<ChainLink, LogLineProblem>, lineNumber: Int) -> Result<ChainLink, LogLineProblem> {
        switch read {
        case .failure(let problem):
            return .failure(LogLineProblem("line \(lineNumber): \(problem.message)"))
        case .success(let link):
            return Result { () throws(LogLineProblem) in
                try follow(link, lineNumber: lineNumber)
                return link
            }
        }
    }

    /// Checks the next line's place in the chain, from a `HashChain.checkedLink` read.
    public mutating func follow(_ link: borrowing ChainLink, lineNumber: Int) throws(LogLineProblem) {
        let expected = recordCount + 1
        if let incident, link.incident != incident {
            throw LogLineProblem("line \(lineNumber) (seq \(link.seq)): belongs to incident '\(link.incident)', not '\(incident)'")
        }
        if link.seq > expected {
            throw LogLineProblem("line \(lineNumber) (seq \(link.seq)): seq jumps from \(expected - 1) to \(link.seq): records were deleted",
                                 expectedSeq: expected)
        }
        if link.seq < expected {
            throw LogLineProblem("line \(lineNumber) (seq \(link.seq)): expected seq \(expected): records were inserted or reordered")
        }
        guard link.prev.matches(lastRecordHash) else {
            throw LogLineProblem("line \(lineNumber) (seq \(link.seq)): does not chain to the record before it: inserted, reordered or forged")
        }
        recordCount = link.seq
        lastRecordHash = link.hash
        if incident == nil { incident = link.incident }
    }
}

/// Where a note's own values are in its line, found as its link was read: a note written as
/// notes are (its text and the fields every record has, each string without escapes and in
/// ASCII) is then read without scanning its line again. A long log is mostly notes.
public struct NoteValues: Sendable, Equatable {
    public var at: Range<Int>
    public var actor: Range<Int>
    public var role: Range<Int>?
    public var text: Range<Int>
    public var drill: Bool
}

/// What places a record in its chain, and its kind: read from every line.
public struct ChainLink: Sendable, Equatable {
    /// A record's `prev` as written: a hash, or (in a damaged or forged line) any other text.
    public enum Prev: Sendable, Equatable {
        case hash(RecordHash)
        case written(String)

        func matches(_ hash: RecordHash) -> Bool {
            switch self {
            case .hash(let written): written == hash
            case .written(let text): RecordHash(hex: text) == hash
            }
        }

        public var text: String {
            switch self {
            case .hash(let hash): hash.description
            case .written(let text): text
            }
        }
    }

    public var seq: Int
    public var incident: String
    public var kind: String
    public var prev: Prev
    public var hash: RecordHash
    /// For a note written as notes are: where its values are in its line.
    public var noteValues: NoteValues?

    public init(seq: Int, incident: String, kind: String, prev: Prev, hash: RecordHash, noteValues: NoteValues? = nil) {
        self.seq = seq
        self.incident = incident
        self.kind = kind
        self.prev = prev
        self.hash = hash
        self.noteValues = noteValues
    }

    /// The link of a record read whole.
    public init(_ record: LogRecord) {
        self.init(seq: record.seq, incident: record.incident, kind: record.kind, prev: .written(record.prev),
                  hash: RecordHash(hex: record.hash) ?? .genesis)
    }
}

import Crypto
import Foundation
import SwitchboardCore

extension StateDirectory {
    /// The folder of an incident's readings journals, one file per console that followed it:
    /// `incidents/<id>.readings/`.
    public func journalFolder(for incident: String) -> String { incidentsPath + "/\(incident).readings" }

    /// The journals of an incident, by file name relative to the incidents folder
    /// (`<id>.readings/<console>.jsonl`, as seal records name them), oldest console first.
    public func journals(of incident: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: journalFolder(for: incident))) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted().map { "\(incident).readings/\($0)" }
    }

    /// The absolute path of a journal named relative to the incidents folder.
    public func journalPath(_ name: String) -> String { incidentsPath + "/" + name }

    /// Seals for the journals of consoles that stopped without sealing all they wrote (killed,
    /// or the machine lost power), given how far the log has sealed each: a console resuming the
    /// incident, or whoever closes it, appends them so those readings stay vouched for.
    public func sealsForStoppedConsoles(of incident: String, sealed: [String: Int]) -> [JournalSeal] {
        journals(of: incident).compactMap { name in
            try? ReadingsJournalFile.sealAfterItsConsole(name, in: self, sealed: sealed[name] ?? 0)
        }
    }
}

/// The `readings.sealed` record that ties a journal's bytes so far into the incident's hash
/// chain: any later edit, deletion or reordering of those bytes no longer matches it.
public struct JournalSeal: Sendable, Equatable {
    /// The journal, relative to the incidents folder.
    public var journal: String
    public var bytes: Int
    /// SHA-256 of the journal's first `bytes` bytes, in hex.
    public var sha256: String
    public var readings: Int
    /// Readings not written because the disk refused them for too long (a gap in the journal).
    public var dropped: Int

    public init(journal: String, bytes: Int, sha256: String, readings: Int, dropped: Int = 0) {
        self.journal = journal
        self.bytes = bytes
        self.sha256 = sha256
        self.readings = readings
        self.dropped = dropped
    }

    public func entry(actor: String, at date: Date) -> LogEntry {
        var fields: [String: JSONValue] = ["journal": .string(journal), "bytes": .int(bytes), "sha256": .string(sha256),
                                           "readings": .int(readings)]
        if dropped > 0 { fields["dropped"] = .int(dropped) }
        return LogEntry(kind: LogKind.readingsSealed, actor: actor, at: date, fields: fields)
    }

    /// Reads a seal back from its record; nil for another kind or a malformed one.
    public init?(_ record: LogRecord) {
        guard record.kind == LogKind.readingsSealed, let journal = record["journal"]?.string, let bytes = record["bytes"]?.int,
              let sha256 = record["sha256"]?.string, let readings = record["readings"]?.int else { return nil }
        self.init(journal: journal, bytes: bytes, sha256: sha256, readings: readings, dropped: record["dropped"]?.int ?? 0)
    }
}

/// One console's readings journal, open for appending. Lines are buffered and written together
/// (the console flushes once a second, so a crash loses at most the last second), hashed as they
/// are written so a seal costs nothing, and fsynced when sealed. The console holds an exclusive
/// `flock` on it for as long as it runs: the lock going away is how the next console knows it
/// stopped (a pid can be reused, a host name shared).
///
/// Not thread-safe: one owner (the console's log writer) uses it.
public final class ReadingsJournalFile {
    /// Buffered lines beyond this while the disk refuses writes are dropped, whole readings at a
    /// time, and counted in the next seal; the readings after the gap are written in full.
    public static let pendingLimit = 8 << 20

    /// Relative to the incidents folder.
    public let name: String
    public let path: String
    public let incident: String
    private let descriptor: Int32
    private var encoder = JournalEncoder()
    private var pending: [UInt8] = []
    private var hasher = SHA256()
    public private(set) var bytesWritten = 0
    public private(set) var readings = 0
    public private(set) var dropped = 0
    /// The byte count of the last seal made.
    public private(set) var sealedBytes = -1

    private init(name: String, path: String, incident: String, descriptor: Int32) {
        self.name = name
        self.path = path
        self.incident = incident
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Creates the journal of `header.console` for `header.incident` and buffers its header.
    public static func create(in directory: StateDirectory, header: JournalHeader) throws -> ReadingsJournalFile {
        let folder = directory.journalFolder(for: header.incident)
        if mkdir(folder, 0o700) != 0, errno != EEXIST { throw StoreError.errno("cannot create", path: folder) }
        let name = "\(header.incident).readings/\(header.console).jsonl"
        let path = directory.journalPath(name)
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StoreError.errno("cannot create", path: path) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let failure = StoreError.errno("cannot lock", path: path)
            close(descriptor)
            throw failure
        }
        let journal = ReadingsJournalFile(name: name, path: path, incident: header.incident, descriptor: descriptor)
        journal.pending = journal.encoder.encode(.header(header))
        return journal
    }

    /// Buffers a line; `flush` writes it.
    public func append(_ line: JournalLine) {
        if case .reading = line, pending.count > Self.pendingLimit {
            dropped += 1
            // What follows the gap must not be read as a change from what was dropped.
            encoder.forgetPrevious()
            return
        }
        pending += encoder.encode(line)
        if case .reading = line { readings += 1 }
    }

    public var hasPending: Bool { !pending.isEmpty }

    /// Writes what is buffered (no fsync: a crash of the process loses nothing written).
    public func flush() throws {
        guard !pending.isEmpty else { return }
        var written = 0
        while written < pending.count {
            let count = pending.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, pending.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                let failure = StoreError.errno("cannot write to", path: path)
                hash(pending[..<written])
                pending.removeFirst(written)
                throw failure
            }
            written += count
        }
        hash(pending[...])
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes and syncs what is buffered, and returns the seal of everything written so far;
    /// nil when nothing was written since the last seal.
    public func seal() throws -> JournalSeal? {
        try flush()
        guard bytesWritten != sealedBytes else { return nil }
        guard fsync(descriptor) == 0 else { throw StoreError.errno("cannot sync", path: path) }
        sealedBytes = bytesWritten
        return JournalSeal(journal: name, bytes: bytesWritten, sha256: Self.hex(hasher), readings: readings, dropped: dropped)
    }

    private func hash(_ bytes: ArraySlice<UInt8>) {
        hasher.update(data: bytes)
        bytesWritten += bytes.count
    }

    static func hex(_ hasher: SHA256) -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// A journal read back: who wrote it, what it held when it began, and every reading after.
public struct JournalContents: Sendable {
    public var name: String
    public var header: JournalHeader
    public var snapshot: SiteSnapshot?
    public var readings: [ProbeResult]
    /// Bytes after the last complete line: a crash while writing.
    public var tornBytes: Int

    public init(name: String, header: JournalHeader, snapshot: SiteSnapshot?, readings: [ProbeResult], tornBytes: Int) {
        self.name = name
        self.header = header
        self.snapshot = snapshot
        self.readings = readings
        self.tornBytes = tornBytes
    }

    /// Reads a whole journal. A damaged line ends the reading there, with the line's number.
    public static func read(_ name: String, in directory: StateDirectory) throws -> JournalContents {
        var snapshot: SiteSnapshot?
        var readings: [ProbeResult] = []
        let (header, torn) = try scan(name, in: directory) { line in
            switch line {
            case .snapshot(let read): snapshot = read
            case .reading(let reading): readings.append(reading)
            case .header: break
            }
        }
        return JournalContents(name: name, header: header, snapshot: snapshot, readings: readings, tornBytes: torn)
    }

    /// The site as the journal's console last held it: its snapshot with every reading folded
    /// in, line by line (an 8-hour journal is never held whole).
    public static func finalSite(of name: String, in directory: StateDirectory, siteName: String, isDemo: Bool,
                                 specs: [ProbeSpec]) throws -> SiteState? {
        var site: SiteState?
        _ = try scan(name, in: directory) { line in
            switch line {
            case .snapshot(let snapshot): site = SiteState(siteName: siteName, isDemo: isDemo, specs: specs, snapshot: snapshot)
            case .reading(let reading): if site != nil { SiteReducer.reduce(&site!, .probeResult(reading)) }
            case .header: break
            }
        }
        return site
    }

    /// Reads a journal line by line: its header first, then a snapshot, then readings, in bounded
    /// memory. Returns the header and the bytes of a torn last line.
    static func scan(_ name: String, in directory: StateDirectory,
                     _ each: (JournalLine) throws -> Void) throws -> (header: JournalHeader, tornBytes: Int) {
        var reader = JournalReader(path: directory.journalPath(name))
        let torn = try reader.readNew(each)
        if let damage = reader.damage { throw StoreError(damage) }
        guard let header = reader.header else { throw StoreError("\(reader.path): the journal is empty") }
        return (header, torn)
    }

    /// A snapshot line holds every probe's history: far longer than a log record may be.
    static let journalLineLimit = 256 << 20
}

/// Reads a journal from where it last stopped: a journal a running console is still writing is
/// read again as it grows, without changing or locking it. Lines must come as header, snapshot,
/// then readings; the first line that does not is damage, and nothing after it is read.
public struct JournalReader: Sendable {
    public let path: String
    public private(set) var header: JournalHeader?
    private var hasSnapshot = false
    private var decoder = JournalDecoder()
    private var offset: off_t = 0
    private var lineNumber = 0
    /// The first damaged line and why, with the path.
    public private(set) var damage: String?

    public init(path: String) {
        self.path = path
    }

    /// Passes each complete line written since the last read to `each` (at most `limit` of
    /// them; the next read goes on from there), and returns the bytes of a partial last line
    /// (still being written, or torn by a crash): it is read again next time. A file that
    /// cannot be opened or read throws.
    @discardableResult
    public mutating func readNew(limit: Int = .max, _ each: (JournalLine) throws -> Void) throws -> Int {
        guard damage == nil else { return 0 }
        let descriptor = try openRegularFile(path, O_RDONLY)
        defer { close(descriptor) }
        struct Damaged: Error { var message: String }
        struct Enough: Error {}
        var read = 0
        do {
            let tail = try LogLines.scan(descriptor, from: offset, path: path, lineLimit: JournalContents.journalLineLimit) { line, end in
                guard read < limit else { throw Enough() }
                read += 1
                lineNumber += 1
                let read = decoder.decode(line)
                switch read {
                case .success(.header(let read)) where lineNumber == 1: header = read
                case .success(.snapshot) where header != nil: hasSnapshot = true
                case .success(.reading) where hasSnapshot: break
                case .success: throw Damaged(message: "line \(lineNumber) is out of place (header, snapshot, then readings)")
                case .failure(let problem): throw Damaged(message: "line \(lineNumber): \(problem.message)")
                }
                offset = end
                try each(try read.get())
            }
            return tail.partial.count
        } catch is Enough {
            return 0
        } catch let damaged as Damaged {
            damage = "\(path): \(damaged.message)"
        } catch let overlong as LogLines.OverlongLine {
            damage = "\(path): \(overlong.message)"
        }
        return 0
    }
}

extension ReadingsJournalFile {
    /// Seals the journal `name` for a console that stopped without sealing all it wrote (killed,
    /// or the power went): a torn last line is moved aside first, as the log's is. Nil when the
    /// log already seals all of it (`sealed` bytes), or its console still runs (holds its lock;
    /// this holds it meanwhile, so two consoles never repair one journal at once).
    public static func sealAfterItsConsole(_ name: String, in directory: StateDirectory, sealed: Int) throws -> JournalSeal? {
        let path = directory.journalPath(name)
        let descriptor = try openRegularFile(path, O_RDWR)
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, Int(info.st_size) > sealed, flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return nil }
        var hasher = SHA256()
        var bytes = 0
        var lines = 0
        let tail = try LogLines.read(descriptor, from: 0, path: path, lineLimit: JournalContents.journalLineLimit) { line, _ in
            lines += 1
            hasher.update(data: line)
            hasher.update(data: [UInt8(ascii: "\n")])
            bytes += line.count + 1
        }
        if !tail.partial.isEmpty { _ = try LogLines.moveAside(tail, of: descriptor, path: path) }
        guard fsync(descriptor) == 0 else { throw StoreError.errno("cannot sync", path: path) }
        return JournalSeal(journal: name, bytes: bytes, sha256: hex(hasher), readings: max(0, lines - 2))
    }
}

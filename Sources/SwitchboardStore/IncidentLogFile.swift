import Foundation
import SwitchboardCore

/// One incident's action log, open for appending and following. Several processes (two
/// consoles, `switchboard note` from a shell) may hold the same file: every read and append
/// happens under an exclusive `flock`, each append first catches up on what the others wrote,
/// so the chain stays whole. An append returns only after the record is fsynced.
///
/// Not thread-safe: one owner (the console's log writer, or a command) uses it.
public final class IncidentLogFile {
    public let path: String
    public let incident: String
    private let descriptor: Int32
    private var verifier = ChainVerifier()
    /// The end of the last complete line read.
    private var consumed: off_t = 0
    private var linesRead = 0

    /// A crash's partial last line, moved aside so the log can go on.
    public struct TornTail: Sendable, Equatable {
        public var bytes: Int
        public var movedTo: String

        /// The `log.repaired` record that keeps the repair in the log itself.
        func entry(at date: Date) -> LogEntry {
            LogEntry(kind: LogKind.repaired, actor: "switchboard", at: date,
                     fields: ["torn_bytes": .int(bytes), "moved_to": .string(movedTo)])
        }
    }

    /// What an append or a read found: records others appended (and, last, the one appended),
    /// and a torn tail repaired on the way.
    public struct Update: Sendable {
        public var records: [LogRecord] = []
        public var repairedTail: TornTail?
        /// The entry was redundant and not written.
        public var skipped = false
    }

    private init(path: String, incident: String, descriptor: Int32) {
        self.path = path
        self.incident = incident
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Creates a new, empty log for `incident`; fails if it exists.
    public static func create(in directory: StateDirectory, incident: String) throws -> IncidentLogFile {
        try directory.prepare()
        let path = directory.logPath(for: incident)
        let descriptor = Glibc.open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw StoreError("an incident '\(incident)' already exists") }
            throw StoreError.errno("cannot create", path: path)
        }
        // The new name must survive a crash too.
        let folder = Glibc.open(directory.incidentsPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
        return IncidentLogFile(path: path, incident: incident, descriptor: descriptor)
    }

    /// Opens an existing log for appending. Nothing is read until `readNew` or `append`.
    public static func open(in directory: StateDirectory, incident: String) throws -> IncidentLogFile {
        let path = directory.logPath(for: incident)
        let descriptor = Glibc.open(path, O_RDWR | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw StoreError("no incident '\(incident)' in \(directory.incidentsPath)") }
            throw StoreError.errno("cannot open", path: path)
        }
        return IncidentLogFile(path: path, incident: incident, descriptor: descriptor)
    }

    /// Reads what was appended since the last read, by this process or any other, repairing a
    /// torn tail (and logging the repair, at `now`). `each` sees every record in order, so a long
    /// log is folded without being held.
    @discardableResult
    public func readNew(now: Date = Date(), _ each: (LogRecord) -> Void = { _ in }) throws -> TornTail? {
        try locked {
            let tail = try catchUp(each)
            guard let torn = try repair(tail) else { return nil }
            each(try write(torn.entry(at: now)))
            return torn
        }
    }

    /// Appends `entry` after catching up; returns once it is on disk. `redundant` sees the
    /// records others appended since the last read and may decide, under the lock, that the
    /// entry says nothing new (two consoles seeing the same probe change log it once); the
    /// entry is then not written and `skipped` is set.
    public func append(_ entry: LogEntry, unless redundant: (_ caughtUp: [LogRecord]) -> Bool = { _ in false }) throws -> Update {
        try locked {
            var update = Update()
            let tail = try catchUp { update.records.append($0) }
            if let torn = try repair(tail) {
                update.repairedTail = torn
                update.records.append(try write(torn.entry(at: entry.at)))
            }
            if redundant(update.records) {
                update.skipped = true
                return update
            }
            update.records.append(try write(entry))
            return update
        }
    }

    /// Appends `entry` unless the log already says it: `state` is the incident as the caller
    /// last folded it, brought up to date with what others appended since (two consoles seeing
    /// the same probe change, or sealing the same journal, log it once).
    public func append(_ entry: LogEntry, unlessAlreadyIn state: IncidentState) throws -> Update {
        try append(entry) { caughtUp in
            guard !caughtUp.isEmpty else { return state.alreadyLogged(entry) }
            var current = state
            for record in caughtUp where record.seq > current.recordCount { current.apply(record) }
            return current.alreadyLogged(entry)
        }
    }

    /// The number of records read or written so far.
    public var recordCount: Int { verifier.recordCount }

    // MARK: - Under the lock

    private func locked<T>(_ body: () throws -> T) throws -> T {
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw StoreError.errno("cannot lock", path: path) }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    private func catchUp(_ each: (LogRecord) -> Void) throws -> LogLines.Tail {
        try LogLines.read(descriptor, from: consumed, path: path) { line, end in
            linesRead += 1
            switch verifier.check(line, lineNumber: linesRead) {
            case .success(let record):
                guard record.incident == incident else {
                    throw StoreError("\(path): line \(linesRead) belongs to incident '\(record.incident)'")
                }
                consumed = end
                each(record)
            case .failure(let problem):
                linesRead -= 1
                throw StoreError("the log \(path) is damaged (\(problem.message)); nothing more is appended to it")
            }
        }
    }

    /// Moves a partial last line aside and truncates the log to its last complete record.
    private func repair(_ tail: LogLines.Tail) throws -> TornTail? {
        guard !tail.partial.isEmpty else { return nil }
        return TornTail(bytes: tail.partial.count, movedTo: try LogLines.moveAside(tail, of: descriptor, path: path))
    }

    private func write(_ entry: LogEntry) throws -> LogRecord {
        let (line, _) = HashChain.seal(entry, incident: incident, seq: verifier.recordCount + 1, prev: verifier.lastHash)
        do {
            try LogLines.writeAll(line + [UInt8(ascii: "\n")], to: descriptor, path: path)
            guard fsync(descriptor) == 0 else { throw StoreError.errno("cannot sync", path: path) }
        } catch {
            // Leave no partial or unsynced line behind: the entry is retried whole.
            ftruncate(descriptor, consumed)
            throw error
        }
        linesRead += 1
        guard case .success(let record) = verifier.check(line, lineNumber: linesRead) else {
            preconditionFailure("a freshly sealed record does not verify")
        }
        consumed += off_t(line.count + 1)
        return record
    }
}

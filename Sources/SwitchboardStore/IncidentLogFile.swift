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
    /// T+0 of a drill, read from its first record: every record of a drill is marked as one and
    /// carries its scenario time, whoever writes it (a console, or `switchboard note`).
    private var drillEpoch: Date?

    /// What a repair of the log's last line did: a crash's partial line moved aside so the log
    /// can go on, or the newline added after a last record that is whole but lacks it (an editor
    /// stripped it). A record that is whole is never moved aside.
    public enum Repair: Sendable, Equatable {
        case tornTail(bytes: Int, movedTo: String)
        case newlineAdded(seq: Int)

        /// The `log.repaired` record that keeps the repair in the log itself.
        func entry(at date: Date) -> LogEntry {
            switch self {
            case .tornTail(let bytes, let movedTo):
                LogEntry(kind: LogKind.repaired, actor: "switchboard", at: date,
                         fields: ["torn_bytes": .int(bytes), "moved_to": .string(movedTo)])
            case .newlineAdded(let seq):
                LogEntry(kind: LogKind.repaired, actor: "switchboard", at: date, fields: ["newline_added_after": .int(seq)])
            }
        }

        /// One line for the person: what was found and what was done.
        public var notice: String {
            switch self {
            case .tornTail(let bytes, let movedTo):
                "truncated tail: a crash left \(bytes) bytes of a partial record; moved aside to \(movedTo), the log continues"
            case .newlineAdded(let seq):
                "record #\(seq) lacked its final newline (the file was edited?); the newline was added, the record kept"
            }
        }
    }

    /// What an append or a read found: records others appended (and, last, the one appended),
    /// and a last line repaired on the way.
    public struct Update: Sendable {
        public var records: [LogRecord] = []
        public var repairedTail: Repair?
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
        let descriptor = Glibc.open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
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
        let descriptor = try openRegularFile(path, O_RDWR | O_APPEND,
                                             missing: StoreError("no incident '\(incident)' in \(directory.incidentsPath)"))
        return IncidentLogFile(path: path, incident: incident, descriptor: descriptor)
    }

    /// Reads what was appended since the last read, by this process or any other, repairing the
    /// last line (and logging the repair, at `now`). `each` sees every record in order, so a long
    /// log is folded without being held.
    @discardableResult
    public func readNew(now: Date = Date(), _ each: (LogRecord) -> Void = { _ in }) throws -> Repair? {
        try locked {
            let tail = try catchUp(each)
            guard let repair = try repair(tail, each) else { return nil }
            each(try write(repair.entry(at: now)))
            return repair
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
            if let repair = try repair(tail, { update.records.append($0) }) {
                update.repairedTail = repair
                update.records.append(try write(repair.entry(at: entry.at)))
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
                noteDrill(record)
                consumed = end
                each(record)
            case .failure(let problem):
                linesRead -= 1
                throw StoreError("the log \(path) is damaged (\(problem.message)); nothing more is appended to it")
            }
        }
    }

    /// Under the lock, what follows the last newline is never a write in progress (writers hold
    /// the lock): a last record whole but for its newline gets the newline and is kept (`each`
    /// sees it); anything else is a torn line, moved aside, and the log cut to its last record.
    private func repair(_ tail: LogLines.Tail, _ each: (LogRecord) -> Void) throws -> Repair? {
        guard !tail.partial.isEmpty else { return nil }
        var extended = verifier
        if case .success(let record) = extended.check(tail.partial, lineNumber: linesRead + 1), record.incident == incident {
            try LogLines.writeAll([UInt8(ascii: "\n")], to: descriptor, path: path)
            guard fsync(descriptor) == 0 else { throw StoreError.errno("cannot sync", path: path) }
            verifier = extended
            linesRead += 1
            consumed = tail.end + off_t(tail.partial.count + 1)
            each(record)
            return .newlineAdded(seq: record.seq)
        }
        return .tornTail(bytes: tail.partial.count, movedTo: try LogLines.moveAside(tail, of: descriptor, path: path))
    }

    private func noteDrill(_ record: LogRecord) {
        guard record.seq == 1, record.entry.drill else { return }
        drillEpoch = record["epoch"]?.string.flatMap(TimeText.date(iso8601:)) ?? record.at
    }

    private func write(_ entry: LogEntry) throws -> LogRecord {
        var entry = entry
        // A drill's opening names its T+0; every record after is stamped from it.
        let opening = verifier.recordCount == 0 && entry.drill
        if let drillEpoch = opening ? entry["epoch"]?.string.flatMap(TimeText.date(iso8601:)) ?? entry.at : drillEpoch {
            entry.drill = true
            entry.fields["scenario_ms"] = .int(Int((entry.at.timeIntervalSince(drillEpoch) * 1000).rounded()))
        }
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
        noteDrill(record)
        consumed += off_t(line.count + 1)
        return record
    }
}

import Dispatch
import Foundation
import SwitchboardCore
import SwitchboardStore

/// Does the console's incident I/O on a queue of its own, so a slow disk never stalls the
/// screen: opens and resumes incidents, appends entries in the order they were asked for (each
/// fsynced before it is acknowledged), follows what other consoles and shells append, and keeps
/// this console's readings journal, sealing it into the log as it grows.
///
/// When a write fails (disk full, I/O error) the entry and every one after it are held in order
/// and retried every `retryInterval`; the console shows a banner until a write succeeds.
/// Nothing is dropped: `finish()` hands back whatever could still not be written.
///
/// Readings are written to the journal once a second (a crash loses at most that second) and
/// sealed into the log every `sealInterval`, before the incident is closed, and when the console
/// stops. On resuming an incident, the writer reads back what the last console held, and seals
/// what consoles that were killed left unsealed.
///
/// Thread-safety: everything but the `let`s is touched only on `queue`, which is why the class
/// can be `@unchecked Sendable`.
public final class ActionLogWriter: @unchecked Sendable {
    /// Who is writing and for which site: the journal's header, and the probes a journal read
    /// back is folded against.
    public struct Console: Sendable {
        public var actor: String
        public var started: Date
        public var siteName: String
        public var isDemo: Bool
        public var specs: [ProbeSpec]

        public init(actor: String, started: Date, siteName: String, isDemo: Bool, specs: [ProbeSpec]) {
            self.actor = actor
            self.started = started
            self.siteName = siteName
            self.isDemo = isDemo
            self.specs = specs
        }
    }

    /// How often readings are written to the journal: a console killed outright loses at most this much.
    public static let journalFlushInterval: DispatchTimeInterval = .seconds(1)
    /// A drill's facilitator writes its readings sooner: players' consoles are fed from them,
    /// and at ×60 a second of real time is a minute of the scenario.
    public static let drillJournalFlushInterval: DispatchTimeInterval = .milliseconds(50)

    private let directory: StateDirectory
    private let console: Console
    private let retryInterval: DispatchTimeInterval
    private let sealInterval: DispatchTimeInterval
    private let journalFlushInterval: DispatchTimeInterval
    private let now: @Sendable () -> Date
    private let post: @Sendable (ActionLogEvent) -> Void
    private let queue = DispatchQueue(label: "switchboard.action-log")
    /// Reads back earlier consoles' journals, which may take seconds after a long incident:
    /// the log is followed and written meanwhile.
    private let restoreQueue = DispatchQueue(label: "switchboard.journal-restore", qos: .utility)

    private var log: IncidentLogFile?
    /// The followed incident as this writer has folded it, for de-duplication and closing.
    private var incident: IncidentState?
    /// Entries asked for and not yet on disk, oldest first; `acknowledged` is false for the
    /// writer's own seals, which the console did not ask for.
    private var held: [(entry: LogEntry, acknowledged: Bool)] = []
    private var retryScheduled = false
    private var watch: DirectoryWatch?
    private let recorder: ReadingsRecorder
    private let earlier: EarlierJournals
    private var journalFlushScheduled = false
    private var sealScheduled = false
    /// Why the state directory cannot be written, when it cannot: the followed incident is then
    /// shown as on disk, and what the console logs is held until the log opens for writing.
    private var readOnly: String?

    /// `now` is the console's clock, for the times of the records the writer makes itself.
    public init(directory: StateDirectory, console: Console, retryInterval: DispatchTimeInterval = .seconds(2),
                sealInterval: DispatchTimeInterval = .seconds(60), journalFlushInterval: DispatchTimeInterval = journalFlushInterval,
                now: @escaping @Sendable () -> Date, post: @escaping @Sendable (ActionLogEvent) -> Void) {
        self.directory = directory
        self.console = console
        self.retryInterval = retryInterval
        self.sealInterval = sealInterval
        self.journalFlushInterval = journalFlushInterval
        self.now = now
        self.post = post
        let identity = ReadingsRecorder.Identity.current(actor: console.actor, started: console.started)
        recorder = ReadingsRecorder(directory: directory, identity: identity)
        earlier = EarlierJournals(directory: directory,
                                  site: .init(name: console.siteName, isDemo: console.isDemo, specs: console.specs))
    }

    /// Starts following: the incident `id`, else the newest open one, if any. Returns at once.
    public func start(resuming id: String?) {
        queue.async { [self] in
            do {
                try directory.prepare()
            } catch {
                // Still show an open incident as it is on disk, read-only; opening a new one will
                // say why it cannot.
                readOnly = "\(error)"
            }
            watchDirectory()
            if let id {
                attach(id, notice: nil)
            } else {
                let (open, unreadable) = directory.openIncidents()
                guard let newest = open.first else {
                    // An open incident may be among them: say so rather than "no incident open" alone.
                    if !unreadable.isEmpty {
                        post(.refused("cannot read " + unreadable.map {
                            "\($0.id): " + "\($0.problem)".replacingOccurrences(of: directory.logPath(for: $0.id), with: "its log")
                        }.joined(separator: " · ")))
                    }
                    return
                }
                let others = open.dropFirst().map(\.id)
                let notice = others.isEmpty ? nil
                    : "\(others.count) more open: \(others.joined(separator: ", ")) · start with --incident ID to follow another"
                attach(newest.id, notice: notice)
            }
        }
    }

    public func submit(_ request: ActionLogRequest) {
        queue.async { [self] in
            switch request {
            case .open(let title, let severity, let actor, let at, let earlierChanges):
                open(title: title, severity: severity, actor: actor, at: at, earlierChanges: earlierChanges)
            case .append(let entry):
                // The readings up to the close are sealed before it, this console's and those
                // of consoles that were killed: nothing follows a close but seals.
                if entry.kind == LogKind.closed, let incident {
                    holdSeal()
                    held += directory.sealsForStoppedConsoles(of: incident.id, sealed: incident.sealedJournalBytes)
                        .map { ($0.entry(actor: console.actor, at: now()), false) }
                }
                held.append((entry, true))
                flush()
            }
        }
    }

    /// Records what the console applied in the readings journal of the followed incident.
    public func journal(_ request: JournalRequest) {
        queue.async { [self] in
            switch request {
            case .begin(let id, let snapshot):
                // A restore that took long may begin for an incident this writer no longer follows.
                guard let incident, incident.isOpen, incident.id == id, recorder.journal?.incident != id else { return }
                do {
                    if let seal = try recorder.begin(incident: incident.id, snapshot: snapshot) { held.append((seal.entry(actor: console.actor, at: now()), false)) }
                    flush()
                } catch {
                    post(.journalFailed("\(error)"))
                }
            case .reading(let reading):
                guard recorder.journal != nil else { return }
                recorder.record(reading)
                scheduleJournalWrites()
            }
        }
    }

    /// Waits until everything asked for so far is written or has failed once more, seals the
    /// readings journal; returns what is still held, for the caller to report.
    public func finish() -> [LogEntry] {
        queue.sync {
            holdSeal()
            flush()
            watch = nil
            recorder.end()
            return held.filter(\.acknowledged).map(\.entry)
        }
    }

    /// Waits until everything asked for so far has run (a write or its failure, a resume).
    public func settle() {
        queue.sync { flush() }
    }

    // MARK: - On the queue

    private func open(title: String, severity: Severity, actor: String, at: Date, earlierChanges: [LogEntry]) {
        if let incident, incident.isOpen {
            post(.refused("incident \(incident.id) was opened meanwhile by \(incident.openedBy); this console follows it"))
            return
        }
        do {
            let (state, log) = try directory.openIncident(title: title, severity: severity, actor: actor, at: at,
                                                          earlierChanges: earlierChanges)
            self.log = log
            incident = state
            watchDirectory()
            post(.attached(state, notice: nil))
            post(.restored(incident: state.id, nil))
        } catch {
            post(.refused("cannot open the incident: \(error)"))
        }
    }

    private func attach(_ id: String, notice: String?) {
        if readOnly != nil {
            attachReadOnly(id, notice: notice, because: nil)
            return
        }
        do {
            let (state, log, repaired) = try directory.resumeIncident(id, now: now())
            guard state.isOpen else { return }
            self.log = log
            incident = state
            var notices = [notice].compactMap { $0 }
            if let repaired { notices.insert(repaired.notice, at: 0) }
            post(.attached(state, notice: notices.isEmpty ? nil : notices.joined(separator: " · ")))
            flush()
            restoreQueue.async { [self] in
                post(.restored(incident: id, earlier.restore(incident: id)))
                let seals = directory.sealsForStoppedConsoles(of: id, sealed: state.sealedJournalBytes)
                guard !seals.isEmpty else { return }
                queue.async { [self] in
                    held += seals.map { ($0.entry(actor: console.actor, at: now()), false) }
                    flush()
                }
            }
        } catch {
            attachReadOnly(id, notice: notice, because: "\(error)")
        }
    }

    /// Follows an incident whose log this console cannot write (a read-only state directory or
    /// file): shown as it is on disk with a banner saying why, never as "no incident open".
    private func attachReadOnly(_ id: String, notice: String?, because reason: String?) {
        let state: IncidentState
        do { state = try directory.readIncident(id) } catch {
            post(.refused("cannot follow incident \(id): \(reason ?? "\(error)")"))
            return
        }
        guard state.isOpen else { return }
        readOnly = readOnly ?? reason
        incident = state
        post(.attached(state, notice: notice))
        post(.writeFailed(readOnlyReason))
    }

    private var readOnlyReason: String {
        "READ-ONLY: \(readOnly ?? "the log cannot be written") · the incident is shown as on disk"
    }

    /// Opens the followed log for writing once it can be (the directory was made writable
    /// again), catching up with what it holds.
    private func reopenForWriting() -> Bool {
        guard let snapshot = incident else { return false }
        do {
            try directory.prepare()
            let reopened = try IncidentLogFile.open(in: directory, incident: snapshot.id)
            var read: [LogRecord] = []
            try reopened.readNew(now: now()) { read.append($0) }
            log = reopened
            readOnly = nil
            foldOthers(read)
            return true
        } catch {
            return false
        }
    }

    /// Writes held entries in order until one fails.
    private func flush() {
        var records: [LogRecord] = []
        var acknowledged = 0
        defer {
            if !records.isEmpty || acknowledged > 0 { post(.records(records, acknowledged: acknowledged)) }
        }
        if log == nil, incident != nil, !held.isEmpty, !reopenForWriting() {
            post(.writeFailed(readOnlyReason))
            scheduleRetry()
            return
        }
        while let (entry, counts) = held.first {
            guard let log, let snapshot = incident else {
                held.removeFirst()
                if counts { acknowledged += 1 }
                if counts, entry.kind != LogKind.probeChanged {
                    post(.refused("not logged, no incident is open: \(entry.kind) \(entry.fields["text"]?.string ?? "")"))
                }
                continue
            }
            do {
                let update = try log.append(entry, unlessAlreadyIn: snapshot)
                held.removeFirst()
                if counts { acknowledged += 1 }
                fold(update.records, into: &records)
            } catch {
                // The banner has one row: which log is known, the reason is the news.
                post(.writeFailed("\(error)".replacingOccurrences(of: log.path, with: "the log")))
                scheduleRetry()
                return
            }
        }
    }

    /// Folds records others wrote (those already folded are passed over) and tells the console.
    private func foldOthers(_ read: [LogRecord]) {
        var records: [LogRecord] = []
        fold(read, into: &records)
        if !records.isEmpty { post(.records(records, acknowledged: 0)) }
    }

    private func fold(_ new: [LogRecord], into records: inout [LogRecord]) {
        for record in new where record.seq > (incident?.recordCount ?? 0) {
            incident?.apply(record)
            records.append(record)
        }
        if let incident, !incident.isOpen {
            // Closed, perhaps by another console: what this one recorded since its last seal is
            // sealed after the close, the only record that may follow it.
            if let log, let seal = try? recorder.seal() {
                _ = try? log.append(seal.entry(actor: console.actor, at: now()))
            }
            recorder.end()
            self.incident = nil
            log = nil
        }
    }

    /// Seals what the journal recorded since its last seal, as the next entry to write.
    private func holdSeal() {
        do {
            if let seal = try recorder.seal() { held.append((seal.entry(actor: console.actor, at: now()), false)) }
        } catch {
            post(.journalFailed("\(error)"))
        }
    }

    /// Writes the journal within `journalFlushInterval` of a reading, and seals it within `sealInterval`.
    private func scheduleJournalWrites() {
        if !journalFlushScheduled {
            journalFlushScheduled = true
            queue.asyncAfter(deadline: .now() + journalFlushInterval) { [self] in
                journalFlushScheduled = false
                do { try recorder.flush() } catch { post(.journalFailed("\(error)")) }
            }
        }
        if !sealScheduled {
            sealScheduled = true
            queue.asyncAfter(deadline: .now() + sealInterval) { [self] in
                sealScheduled = false
                guard recorder.journal != nil else { return }
                holdSeal()
                flush()
            }
        }
    }

    private func scheduleRetry() {
        guard !retryScheduled else { return }
        retryScheduled = true
        queue.asyncAfter(deadline: .now() + retryInterval) { [self] in
            retryScheduled = false
            flush()
        }
    }

    /// Follows the incidents folder: another console's append to the followed log, or a new
    /// incident opened elsewhere while this console follows none.
    private func watchDirectory() {
        guard watch == nil else { return }
        watch = try? DirectoryWatch(path: directory.incidentsPath, queue: queue) { [weak self] names in
            self?.filesChanged(names)
        }
    }

    private func filesChanged(_ names: [String]) {
        if let log {
            guard names.contains(where: { log.path.hasSuffix("/" + $0) }) else { return }
            var read: [LogRecord] = []
            do { try log.readNew(now: now()) { read.append($0) } } catch { post(.writeFailed("\(error)")) }
            foldOthers(read)
            return
        }
        if let snapshot = incident {
            // Followed read-only: what others append is read without a lock of our own.
            guard names.contains(snapshot.id + ".jsonl"), let all = try? directory.records(of: snapshot.id) else { return }
            foldOthers(all)
            return
        }
        for name in Set(names) where name.hasSuffix(".jsonl") {
            let id = String(name.dropLast(6))
            // A log just created has no record yet; its first append brings another event.
            guard let state = try? directory.readIncident(id), state.isOpen else { continue }
            attach(id, notice: "\(state.openedBy) opened this incident from another console or shell")
            return
        }
    }
}

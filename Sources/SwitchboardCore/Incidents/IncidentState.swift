import Foundation

/// The record kinds Switchboard writes, and the fields each carries beside the common ones.
public enum LogKind {
    /// `title`, `severity`.
    public static let opened = "incident.opened"
    /// `severity`.
    public static let severity = "incident.severity"
    /// `summary`, `head` (the hash of the record before, for reviewers to keep).
    public static let closed = "incident.closed"
    /// `milestone` (`Milestone`: mitigated, resolved, …) and `occurred_at`, which may be earlier
    /// than the record (set after the fact); an `amendment` with `occurred_at` moves it.
    public static let milestone = "incident.milestone"
    /// `assigned` (the role: scribe, communications, facilities, …), `person`.
    public static let roleAssigned = "role.assigned"
    /// `from`, `to`; `offered` when it waits for the receiving console to accept, `accepted`
    /// (`console` or `voice`) when command changed hands with it.
    public static let handoff = "command.handoff"
    /// `text`.
    public static let note = "note"
    /// `text`: something to be done.
    public static let todo = "todo"
    /// `todo` (the seq of the to-do), `text`.
    public static let todoDone = "todo.done"
    /// `spare` (its id in the site config), `item`, `count`, `by` (who used it): the site's
    /// count on hand goes down for this incident.
    public static let spareUsed = "spare.used"
    /// `text`: a decision taken, in the words of whoever took it.
    public static let decision = "decision"
    /// `probe`, `from`, `to`, `summary`, `observed_at`; `before_open` for changes seen before
    /// the incident was declared.
    public static let probeChanged = "probe.changed"
    /// `amends` (the seq corrected), `text`.
    public static let amendment = "amendment"
    /// `template`, `channel`, `audience`, `subject`, `text` (exactly as sent); `runbook` and `step`
    /// when a runbook's `notify:` step opened it.
    public static let commsSent = "comms.sent"
    /// `torn_bytes`, `moved_to`: a crash left a partial last line, moved aside on the next start;
    /// or `newline_added_after` (a seq): a whole last record lacked its newline, which was added.
    public static let repaired = "log.repaired"
    /// `journal` (a console's readings journal, relative to the incidents folder), `bytes`,
    /// `sha256` (of its first `bytes` bytes), `readings`, `dropped` (readings a full disk lost):
    /// ties the readings a console drew from into the chain. Not shown in the log pane.
    public static let readingsSealed = "readings.sealed"

    // Drills. Every record of a drill carries `drill: true` and `scenario_ms`, its scenario time.
    /// `inject` (its number in the scenario; 0 for one written by hand), `from`, `to`, `message`,
    /// `by_hand` when the facilitator played it ahead or wrote it, `probes` it drives.
    public static let drillInject = "drill.inject"
    /// `action` (start, pause, resume, speed, jump, end), `speed`, `paused`, and where the
    /// scenario clock stood: `elapsed_ms` at `wall_at` (real time), for players' clocks to follow.
    public static let drillControl = "drill.control"
    /// `objective`, `text`, `note` (strength, improvement or observation): an evaluator's note.
    public static let drillEvaluation = "drill.evaluation"

    // Runbooks. Every step record carries `runbook`, `step`, the step's `text`, and `next` when
    // the runbook moved on (a step id, or `end`).
    /// `runbook`, `title`, `next` (its first step), `trigger` when a suggestion was accepted.
    public static let runbookStarted = "runbook.started"
    /// `round` (the how-many-th time), `auto` and `evidence` (the readings) when a wait completed it.
    public static let stepDone = "step.done"
    /// `reason`.
    public static let stepSkipped = "step.skipped"
    /// `reason`.
    public static let stepBlocked = "step.blocked"
    /// The step is open again and current.
    public static let stepReopened = "step.reopened"
    /// `within` (seconds): its deadline passed; `next` is its `on_timeout`.
    public static let stepOverdue = "step.overdue"
    // A runbook question answered is a `decision` with `question`, `answer`, `round` and `next`.
}

/// The moments of an incident a review measures from and to, beside those the log has by
/// itself (opened, runbook started): set by the commander, when they happened, and correctable.
public enum Milestone: String, Sendable, CaseIterable {
    /// Callers or clients stopped being served as they should (else: the first probe change).
    case impactStarted = "impact-started"
    /// Someone or something noticed (else: the console's first probe change).
    case detected
    /// The harm stopped growing: a workaround, traffic moved, the generator on load.
    case mitigated
    /// Service as it was before, for callers and clients.
    case resolved
}

/// When a milestone happened, as last set or corrected, and by which record.
public struct MilestoneTime: Sendable, Equatable {
    public var occurredAt: Date
    /// The `incident.milestone` record that set it.
    public var seq: Int
    public var by: String
    /// Why it was moved, when an amendment moved it.
    public var correction: String?
}

/// The incident severities, most severe first.
public enum Severity: String, Sendable, CaseIterable {
    case sev1, sev2, sev3, sev4
}

/// An incident as its action log tells it: what it is, who holds command, who holds which
/// role, whether it is closed, and its records. Built only by folding records, so a console that
/// restarts, or a second console, arrives at exactly the same state.
public struct IncidentState: Sendable, Equatable {
    /// Records kept for the log pane (at least this many, fewer than twice as many); older ones
    /// stay in the file.
    public static let recentLimit = 2_000

    public var id: String
    public var title: String
    public var severity: Severity
    public var openedAt: Date
    public var openedBy: String
    /// A drill, not a real incident: its records carry `drill: true` and it lives apart.
    public var isDrill: Bool { drill != nil }
    /// How the drill has gone: its scenario, clock and the injects played.
    public var drill: DrillProgress?
    public var commander: String
    /// Role → person, in the order first assigned.
    public var roles: [(role: String, person: String)] { roleOrder.compactMap { role in rolePeople[role].map { (role, $0) } } }
    public var closedAt: Date?
    public var closingSummary: String?
    public var closedBy: String?
    public var recordCount = 0
    public var lastHash = HashChain.genesis
    /// The newest records, oldest first, but for seals of the readings journals.
    public var recent: [LogRecord] = []
    /// The seqs that `amendment` records correct.
    public var amendedSeqs: Set<Int> = []
    /// Each probe's state as last logged (`probe.changed`'s `to`), so a change several consoles
    /// see is logged once.
    public var loggedProbeStatus: [String: String] = [:]
    /// The runbooks started in this incident, in the order they were started.
    public var runbooks: [RunbookRun] = []
    /// How many bytes of each readings journal (by name) the log has sealed.
    public var sealedJournalBytes: [String: Int] = [:]
    /// The records that are seals of readings journals, which the log pane does not show.
    public var sealCount = 0
    /// When the last client update was sent (the comms cadence counts from it); messages to
    /// staff or callers do not count.
    public var lastClientUpdateAt: Date?
    public var commsSentCount = 0
    /// Command offered to someone whose console has not accepted it yet.
    public var pendingHandover: PendingHandover?
    /// The name the commander's console logs as, when they accepted command there under another
    /// name (`dana` for "Dana Ortiz"): what that console logs carries the commander's role.
    public var commanderConsole: String?
    /// To-dos logged and not yet done, oldest first.
    public var openTodos: [(seq: Int, text: String)] { todoOrder.compactMap { seq in todoTexts[seq].map { (seq, $0) } } }
    /// How many of each spare (by id) this incident used.
    public var sparesUsed: [String: Int] = [:]
    /// The milestones set so far.
    public var milestones: [Milestone: MilestoneTime] = [:]

    /// Command offered by `from` to `to`, waiting for `to`'s console.
    public struct PendingHandover: Sendable, Equatable {
        public var from: String
        public var to: String
        public var at: Date
    }

    private var roleOrder: [String] = []
    private var rolePeople: [String: String] = [:]
    private var todoOrder: [Int] = []
    private var todoTexts: [Int: String] = [:]

    public var isOpen: Bool { closedAt == nil }

    /// `closed 2026-11-27 14:22 UTC by alice: utility back`, once closed.
    public var closure: String? {
        guard let closedAt else { return nil }
        let when = TimeText.iso8601(closedAt).prefix(16).replacingOccurrences(of: "T", with: " ")
        return "closed \(when) UTC by \(closedBy ?? "someone")" + (closingSummary.map { ": \($0)" } ?? "")
    }

    /// Whether logging `entry` would say nothing new, because another console logged the same
    /// thing first: a probe change to the state the log already has for that probe, a runbook
    /// already running, a step already done that many times, a deadline already logged as passed.
    public func alreadyLogged(_ entry: LogEntry) -> Bool {
        switch entry.kind {
        case LogKind.probeChanged:
            guard let probe = entry["probe"]?.string else { return false }
            return loggedProbeStatus[probe] != nil && loggedProbeStatus[probe] == entry["to"]?.string
        case LogKind.runbookStarted:
            return entry["runbook"]?.string.flatMap(run(of:)).map { !$0.isFinished } ?? false
        case LogKind.todoDone:
            // Ticked off on two consoles at once: logged once.
            return entry["todo"]?.int.map { todoTexts[$0] == nil } ?? false
        case LogKind.readingsSealed:
            // Two consoles sealing a killed console's journal seal it once.
            guard let journal = entry["journal"]?.string, let bytes = entry["bytes"]?.int else { return false }
            return (sealedJournalBytes[journal] ?? -1) >= bytes
        case LogKind.stepDone, LogKind.decision, LogKind.stepOverdue:
            guard let runbook = entry["runbook"]?.string, let step = entry["step"]?.string, let run = run(of: runbook) else { return false }
            let progress = run.progress(of: step)
            if entry.kind == LogKind.stepOverdue { return progress.overdue }
            return progress.rounds >= (entry["round"]?.int ?? 1) && progress.outcome != nil
        default:
            return false
        }
    }

    /// Each runbook run not finished, with the step it stands at (`stepText` gives a step's words
    /// from the runbook; its id otherwise): what closing would leave behind, said before it.
    public func unfinishedRuns(stepText: (_ runbook: String, _ step: String) -> String? = { _, _ in nil }) -> [String] {
        runbooks.filter { !$0.isFinished }.map { run in
            let step = run.current.map { stepText(run.runbookID, $0) ?? $0 } ?? ""
            return "\(Sanitizer.line(run.title)), at: \(Sanitizer.line(step))"
        }
    }

    /// The newest run of a runbook in this incident.
    public func run(of runbookID: String) -> RunbookRun? {
        runbooks.last { $0.runbookID == runbookID }
    }

    /// The record with this seq, if it is among the recent ones.
    public func record(seq: Int) -> LogRecord? {
        // In seq order, with gaps where seals were left out: a binary search.
        var (low, high) = (0, recent.count)
        while low < high {
            let middle = (low + high) / 2
            if recent[middle].seq < seq { low = middle + 1 } else { high = middle }
        }
        return low < recent.count && recent[low].seq == seq ? recent[low] : nil
    }

    /// The role a person acts in, for the `role` field of what they log.
    public func role(of person: String) -> String? {
        if person == commander || person == commanderConsole { return "incident commander" }
        return roleOrder.first { rolePeople[$0] == person }
    }

    /// Starts the state from an `incident.opened` record; nil for any other record.
    public init?(opening record: LogRecord) {
        guard record.kind == LogKind.opened else { return nil }
        id = record.incident
        title = record["title"]?.string ?? "(untitled)"
        severity = record["severity"]?.string.flatMap(Severity.init(rawValue:)) ?? .sev3
        openedAt = record.at
        openedBy = record.actor
        drill = DrillProgress(opening: record)
        commander = record.actor
        apply(record)
    }

    /// Folds the next record in.
    public mutating func apply(_ record: LogRecord) {
        switch record.kind {
        case LogKind.severity:
            if let severity = record["severity"]?.string.flatMap(Severity.init(rawValue:)) { self.severity = severity }
        case LogKind.handoff:
            guard let to = record["to"]?.string else { break }
            if record["offered"]?.bool == true {
                pendingHandover = PendingHandover(from: record["from"]?.string ?? commander, to: to, at: record.at)
            } else {
                commander = to
                commanderConsole = record["accepted"]?.string == LogEntry.Handover.console.rawValue && record.actor != to ? record.actor : nil
                pendingHandover = nil
            }
        case LogKind.todo:
            todoOrder.append(record.seq)
            todoTexts[record.seq] = record["text"]?.string ?? ""
        case LogKind.todoDone:
            if let seq = record["todo"]?.int {
                todoTexts[seq] = nil
                todoOrder.removeAll { $0 == seq }
            }
        case LogKind.spareUsed:
            if let spare = record["spare"]?.string { sparesUsed[spare, default: 0] += max(0, record["count"]?.int ?? 1) }
        case LogKind.roleAssigned:
            if let role = record["assigned"]?.string, let person = record["person"]?.string {
                if rolePeople[role] == nil { roleOrder.append(role) }
                rolePeople[role] = person
            }
        case LogKind.drillControl, LogKind.drillInject:
            drill?.apply(record)
        case LogKind.closed:
            closedAt = record.at
            closingSummary = record["summary"]?.string
            closedBy = record.actor
        case LogKind.milestone:
            if let name = record["milestone"]?.string.flatMap(Milestone.init(rawValue:)),
               let occurred = record["occurred_at"]?.string.flatMap(TimeText.date(iso8601:)) {
                milestones[name] = MilestoneTime(occurredAt: occurred, seq: record.seq, by: record.actor)
            }
        case LogKind.amendment:
            if let seq = record["amends"]?.int { amendedSeqs.insert(seq) }
            if let seq = record["amends"]?.int, let occurred = record["occurred_at"]?.string.flatMap(TimeText.date(iso8601:)),
               let name = milestones.first(where: { $0.value.seq == seq })?.key {
                milestones[name]?.occurredAt = occurred
                milestones[name]?.correction = record["text"]?.string
            }
        case LogKind.commsSent:
            if record["cadence"]?.bool ?? CommsTemplate.namesClients(record["audience"]?.string) { lastClientUpdateAt = record.at }
            commsSentCount += 1
        case LogKind.probeChanged:
            if let probe = record["probe"]?.string, let to = record["to"]?.string { loggedProbeStatus[probe] = to }
        case LogKind.readingsSealed:
            sealCount += 1
            if let journal = record["journal"]?.string, let bytes = record["bytes"]?.int { sealedJournalBytes[journal] = bytes }
        case LogKind.runbookStarted:
            if let run = RunbookRun(started: record) {
                runbooks.removeAll { $0.runbookID == run.runbookID }
                runbooks.append(run)
            }
        case LogKind.stepDone, LogKind.stepSkipped, LogKind.stepBlocked, LogKind.stepReopened, LogKind.stepOverdue, LogKind.decision:
            if let runbook = record["runbook"]?.string, let index = runbooks.lastIndex(where: { $0.runbookID == runbook }) {
                runbooks[index].apply(record)
            }
        default:
            break
        }
        recordCount = record.seq
        lastHash = record.hash
        // Seals are bookkeeping for `log verify`, not something that happened: the log pane
        // does not show them.
        guard record.kind != LogKind.readingsSealed else { return }
        recent.append(record)
        // Trimmed a batch at a time: folding a log of a million records stays linear.
        if recent.count >= Self.recentLimit * 2 { recent.removeFirst(recent.count - Self.recentLimit) }
    }

    public static func == (lhs: IncidentState, rhs: IncidentState) -> Bool {
        lhs.id == rhs.id && lhs.recordCount == rhs.recordCount && lhs.lastHash == rhs.lastHash
    }
}

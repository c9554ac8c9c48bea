import Foundation

/// How far one started runbook has got, as the action log tells it: which step is current and
/// what became of each step. Every record names where the runbook went next (`next`), so the
/// fold needs no runbook definition, and a reviewer reading the log sees the path taken.
public struct RunbookRun: Sendable, Equatable {
    /// What became of a step.
    public enum Outcome: Sendable, Equatable {
        /// `automatic` when a `wait:` condition completed it.
        case done(automatic: Bool)
        case skipped(reason: String)
        case blocked(reason: String)
        /// A question answered.
        case answered(String)
    }

    /// One step's history in this run.
    public struct StepProgress: Sendable, Equatable {
        public var outcome: Outcome?
        /// When the outcome was logged, and by whom.
        public var outcomeAt: Date?
        public var outcomeBy: String?
        /// When the step last became current: its elapsed time and deadline count from here.
        public var activatedAt: Date?
        /// How many times it was done (a recurring step is done again and again).
        public var rounds = 0
        public var lastDoneAt: Date?
        /// Its deadline passed and was logged.
        public var overdue = false
        /// When the runbook last moved on from it (or ended) while it was current: an overdue
        /// step's lateness stops counting here.
        public var leftAt: Date?
    }

    public var runbookID: String
    public var title: String
    public var startedAt: Date
    public var startedBy: String
    /// The step the runbook is on; nil once it has reached its end.
    public var current: String?
    public var steps: [String: StepProgress] = [:]

    public var isFinished: Bool { current == nil }

    public func progress(of step: String) -> StepProgress {
        steps[step] ?? StepProgress()
    }

    /// Starts a run from a `runbook.started` record.
    init?(started record: LogRecord) {
        guard record.kind == LogKind.runbookStarted, let id = record["runbook"]?.string else { return nil }
        runbookID = id
        title = record["title"]?.string ?? id
        startedAt = record.at
        startedBy = record.actor
        move(to: record["next"]?.string, at: record.at)
    }

    /// Folds in a step record of this run.
    mutating func apply(_ record: LogRecord) {
        guard let step = record["step"]?.string else { return }
        var progress = self.progress(of: step)
        switch record.kind {
        case LogKind.stepDone:
            progress.outcome = .done(automatic: record["auto"]?.bool ?? false)
            progress.rounds += 1
            progress.lastDoneAt = record.at
        case LogKind.decision:
            progress.outcome = .answered(record["answer"]?.string ?? "")
            progress.rounds += 1
            progress.lastDoneAt = record.at
        case LogKind.stepSkipped:
            progress.outcome = .skipped(reason: record["reason"]?.string ?? "")
        case LogKind.stepBlocked:
            progress.outcome = .blocked(reason: record["reason"]?.string ?? "")
        case LogKind.stepOverdue:
            progress.overdue = true
        case LogKind.stepReopened:
            progress.outcome = nil
            progress.overdue = false
        default:
            return
        }
        if record.kind != LogKind.stepOverdue && record.kind != LogKind.stepReopened {
            progress.outcomeAt = record.at
            progress.outcomeBy = record.actor
        }
        steps[step] = progress
        if record.kind == LogKind.stepReopened {
            move(to: step, at: record.at)
        } else if let next = record["next"]?.string {
            move(to: next, at: record.at)
        }
    }

    /// Makes `step` current (`end` or nil finishes the run). Entering a step again, as a loop in
    /// the procedure does, starts it afresh.
    private mutating func move(to step: String?, at: Date) {
        if let left = current, left != step { steps[left, default: StepProgress()].leftAt = at }
        guard let step, step != Runbook.end else {
            current = nil
            return
        }
        current = step
        var progress = self.progress(of: step)
        progress.activatedAt = at
        progress.leftAt = nil
        if case .done = progress.outcome { progress.outcome = nil }
        if case .answered = progress.outcome { progress.outcome = nil }
        progress.overdue = false
        steps[step] = progress
    }
}

extension LogEntry {
    /// A runbook started; `first` is its first step.
    public static func runbookStarted(_ runbook: Runbook, trigger: String?, actor: String, role: String?, at: Date) -> LogEntry {
        var fields: [String: JSONValue] = ["runbook": .string(runbook.id), "title": .string(Sanitizer.line(runbook.title)),
                                           "next": .string(runbook.steps.first?.id ?? Runbook.end)]
        if let trigger { fields["trigger"] = .string(trigger) }
        return LogEntry(kind: LogKind.runbookStarted, actor: actor, role: role, at: at, fields: fields)
    }

    /// A step record: `kind` is one of the `step.*` kinds or `decision`; `next` is where the
    /// runbook goes (nil: it stays where it is; `end`: it is finished); `extra` holds the kind's
    /// own fields (reason, answer, evidence, …).
    public static func step(_ kind: String, runbook: String, step: RunbookStep, next: String?, extra: [String: JSONValue] = [:],
                            actor: String, role: String?, at: Date) -> LogEntry {
        var fields = extra
        fields["runbook"] = .string(runbook)
        fields["step"] = .string(step.id)
        if fields["text"] == nil { fields["text"] = .string(Sanitizer.line(step.text)) }
        if let next { fields["next"] = .string(next) }
        return LogEntry(kind: kind, actor: actor, role: role, at: at, fields: fields)
    }
}

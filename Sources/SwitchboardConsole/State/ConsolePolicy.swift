import Foundation
import SwitchboardCore

/// What the console decides on its own, in one place: a hard probe change is logged, a step
/// whose `wait:` holds is done (with the readings as evidence), a step whose deadline passed is
/// overdue. A live or drill console asks after every input and feeds the answer back as
/// `.decided`; a replay never asks, so replaying a log re-derives nothing and writes nothing.
/// Two consoles deciding the same thing log it once: the writer drops what the log already says.
public enum ConsolePolicy {
    /// What to log, given the state after an input and the probe changes that input made.
    public static func decisions(in state: ConsoleState, changes: [StateChange]) -> [LogEntry] {
        probeChanges(changes, state) + runbookDecisions(state)
    }

    /// Hard probe changes go into the open incident's log (or the one being opened, which the
    /// writer holds them for), stamped when the console logged them; `observed_at` says when the
    /// change happened (a probe found stale became so a moment before).
    /// A drill player's console logs none: its panes mirror the facilitator's readings, and the
    /// facilitator's console logs their changes, except a probe's silence: on a scenario clock
    /// that jumps ahead every probe is silent until it reads again, which the scenario did not
    /// play. So a drill logs no fall into STALE, and a reading out of it is a change from what the
    /// probe showed before (none, for a first reading: logged only when it is a problem).
    private static func probeChanges(_ changes: [StateChange], _ state: ConsoleState) -> [LogEntry] {
        guard state.incident != nil || state.session.opening else { return [] }
        var changes = changes
        if state.incident?.drill != nil {
            guard state.library.scenario != nil else { return [] }
            changes = changes.compactMap { change in
                guard change.to != .stale else { return nil }
                guard change.from == .stale else { return change }
                let before = change.beforeSilence ?? .pending
                if before == change.to || (before == .pending && change.to == .ok) { return nil }
                var unsilenced = change
                unsilenced.from = before
                return unsilenced
            }
        }
        return changes.map { .probeChanged($0, actor: state.session.actor, at: state.site.now) }
    }

    /// A current step whose wait holds is done (unless it sends a message: that is done when the
    /// message is sent, so a wait never completes it without one); one whose deadline passed is overdue.
    private static func runbookDecisions(_ state: ConsoleState) -> [LogEntry] {
        guard let incident = state.incident else { return [] }
        let now = state.site.now
        let actor = state.session.actor
        var entries: [LogEntry] = []
        for run in incident.runbooks {
            guard let runbook = state.runbooks.runbook(run.runbookID), let currentID = run.current,
                  let step = runbook.step(currentID) else { continue }
            let progress = run.progress(of: currentID)
            guard progress.outcome == nil else { continue }
            if let wait = step.wait, step.notify == nil, state.reading(of: wait, of: step, in: runbook) == .truth(.yes),
               !state.session.isPending(LogKind.stepDone, runbook: runbook.id, step: step.id) {
                var evidence: [String: JSONValue] = ["auto": .bool(true), "round": .int(progress.rounds + 1),
                                                     "evidence": .object(wait.evidence(in: state.site)),
                                                     "condition": .string(wait.text)]
                evidence.merge(state.checkRecord(of: step, in: runbook)) { $1 }
                if let holdFor = step.holdFor, let since = state.holds[ConsoleState.holdKey(runbook, step)] {
                    evidence["held_since"] = .string(TimeText.iso8601(since))
                    evidence["for"] = .int(Int(holdFor.seconds))
                }
                entries.append(.step(LogKind.stepDone, runbook: runbook.id, step: step, next: runbook.next(after: step.id) ?? Runbook.end,
                                     extra: evidence, actor: actor, role: incident.role(of: actor), at: now))
            } else if let within = step.within, !progress.overdue, let activated = progress.activatedAt,
                      now >= activated.addingTimeInterval(within.seconds),
                      !state.session.isPending(LogKind.stepOverdue, runbook: runbook.id, step: step.id) {
                entries.append(.step(LogKind.stepOverdue, runbook: runbook.id, step: step, next: step.onTimeout,
                                     extra: ["within": .int(Int(within.seconds))], actor: actor, role: incident.role(of: actor), at: now))
            }
        }
        return entries
    }
}

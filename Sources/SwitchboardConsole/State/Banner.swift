import Foundation
import SwitchboardCore

/// The line under the header, when there is something to say: derived from the state each time
/// it is drawn, so a replay shows the same banner the console showed.
public struct Banner: Sendable, Equatable {
    public enum Tone: Sendable, Equatable {
        /// The log cannot be written, or something failed.
        case problem
        /// Worth knowing: a repaired tail, an incident opened elsewhere.
        case notice
        /// The runbooks want attention: a suggestion, a step due again.
        case prompt
    }

    public var text: String
    public var tone: Tone
    /// What Esc hides, for a prompt.
    public var id: BannerID?
}

extension ConsoleState {
    /// A log that cannot be written outranks any news; then a notice; then a recurring step due
    /// again; then the newest runbook suggestion. Prompts the person hid stay hidden.
    public var banner: Banner? {
        if let failure = session.logFailure {
            return Banner(text: "NOT LOGGED (\(session.unsaved.count) held, retrying): \(Sanitizer.line(failure))", tone: .problem)
        }
        if let notice = viewer.notice {
            return Banner(text: Sanitizer.line(notice.text), tone: notice.isProblem ? .problem : .notice)
        }
        return (reminders + suggestionPrompts).first { $0.id.map { !viewer.hidden.contains($0) } ?? true }
    }

    /// Recurring steps of running runbooks that are due again, one banner per step and round.
    var reminders: [Banner] {
        guard let incident else { return [] }
        var banners: [Banner] = []
        for run in incident.runbooks where !run.isFinished {
            guard let runbook = runbooks.runbook(run.runbookID) else { continue }
            for step in runbook.steps {
                guard let every = step.every else { continue }
                let progress = run.progress(of: step.id)
                guard progress.rounds > 0, let last = progress.lastDoneAt, site.now >= last.addingTimeInterval(every.seconds) else { continue }
                banners.append(Banner(text: "↻ due again (every \(every.configText)): \(Sanitizer.line(step.text)) · "
                                          + "\(Sanitizer.line(runbook.title)) · d when done",
                                      tone: .prompt,
                                      id: .reminder(runbook: runbook.id, step: step.id, round: progress.rounds)))
            }
        }
        return banners
    }

    /// The runbooks suggested now, newest first, each with what made it true.
    var suggestionPrompts: [Banner] {
        suggestions.reversed().compactMap { id in
            guard let runbook = runbooks.runbook(id), let trigger = runbook.triggers.first(where: { $0.evaluate(in: site).isYes })
            else { return nil }
            let seen = trigger.probeIDs.first.flatMap { site.probe($0) }
                .map { "\($0.spec.id): \($0.latest?.observation.summary ?? trigger.text)" } ?? trigger.text
            // The runbook and the key first: the reading may be long and the row is cut at the edge.
            return Banner(text: "⚑ \(Sanitizer.line(runbook.title)) runbook? r to start · \(seen)", tone: .prompt,
                          id: .suggestion(runbook: id))
        }
    }
}

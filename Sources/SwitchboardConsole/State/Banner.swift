import Foundation
import SwitchboardCore

/// A line under the header, when there is something to say: derived from the state each time
/// it is drawn, so a replay shows the same banners the console showed.
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
    /// Whether Esc can hide it: anything but a log that cannot be written.
    public var hideable = true
}

extension ConsoleState {
    /// Every banner, most important first: a log that cannot be written outranks any news; then
    /// a notice; then recurring steps due again; then the runbooks suggested, best match first.
    /// Prompts the person hid stay hidden. The view stacks as many as it has room for.
    public var banners: [Banner] {
        var banners: [Banner] = []
        if let failure = session.logFailure {
            let held = session.unsaved.isEmpty ? "" : "NOT LOGGED (\(session.unsaved.count) held, retrying): "
            banners.append(Banner(text: held + Sanitizer.line(failure), tone: .problem, hideable: false))
        }
        if let notice = viewer.notice {
            banners.append(Banner(text: Sanitizer.line(notice.text), tone: notice.isProblem ? .problem : .notice))
        }
        // The newest inject first, then what asks for action (a hand-over, a step due again, a
        // runbook to start), then the older injects not yet hidden.
        let shown = { (banner: Banner) in banner.id.map { !viewer.hidden.contains($0) } ?? true }
        let injects = injectPrompts.filter(shown)
        return banners + injects.prefix(1) + (handoverPrompts + reminders + suggestionPrompts).filter(shown) + injects.dropFirst()
    }

    /// The most important banner.
    public var banner: Banner? { banners.first }

    /// The runbooks suggested now, the best match first: the one whose triggers hold the most
    /// (all of one runbook's rather than one of another's two), then the more severe, then in
    /// library order. On a UPS on battery, "Utility power failure" (its one trigger holds)
    /// comes before "Generator fails to start" (one of its two).
    public var rankedSuggestions: [String] {
        func score(_ id: String) -> (holding: Double, severity: Int, order: Int) {
            let order = runbooks.runbooks.firstIndex { $0.id == id } ?? Int.max
            guard let runbook = runbooks.runbook(id), !runbook.triggers.isEmpty else { return (0, Int.max, order) }
            let holding = runbook.triggers.filter { $0.evaluate(in: site).isYes }.count
            return (Double(holding) / Double(runbook.triggers.count),
                    runbook.severity.flatMap { Severity.allCases.firstIndex(of: $0) } ?? Severity.allCases.count, order)
        }
        return suggestions.map { ($0, score($0)) }.sorted { left, right in
            let (a, b) = (left.1, right.1)
            if a.holding != b.holding { return a.holding > b.holding }
            if a.severity != b.severity { return a.severity < b.severity }
            return a.order < b.order
        }.map(\.0)
    }

    /// The drill's injects, newest first, each for everyone in the exercise to read until Esc
    /// hides it: two played in the same second are two banners, so the older is not missed.
    /// A console that joins late gets those played before it, after its other prompts.
    var injectPrompts: [Banner] {
        guard let incident, let drill = incident.drill else { return [] }
        return incident.recent.reversed().filter { $0.kind == LogKind.drillInject }.map { inject in
            // The message first: a row cuts the end, and who it is from and for can wait for `v`.
            let route = [inject["from"]?.string, inject["to"]?.string].compactMap { $0.map(Sanitizer.line) }.joined(separator: " → ")
            let message = Sanitizer.line(inject["message"]?.string ?? "")
            return Banner(text: "✱ \(TimeText.scenario(drill.elapsed(at: inject.at))) \(message)\(route.isEmpty ? "" : " (\(route))")",
                          tone: .prompt, id: .inject(seq: inject.seq))
        }
    }

    /// Command offered and not yet accepted: to the console it is offered to, a prompt to accept;
    /// to the others, that it is waiting.
    var handoverPrompts: [Banner] {
        guard let incident, let pending = incident.pendingHandover else { return [] }
        let id = BannerID.handover(to: pending.to, at: pending.at)
        if reference.person(pending.to, isServedBy: session.actor) {
            return [Banner(text: "⚑ \(Sanitizer.line(pending.from)) hands command of this incident to you · h to accept", tone: .prompt, id: id)]
        }
        return [Banner(text: "command offered to \(Sanitizer.line(pending.to)) at \(TimeText.clock(pending.at)) · waiting for their console to accept",
                       tone: .notice, id: id)]
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

    /// The runbooks suggested now, best match first, each with what made it true.
    var suggestionPrompts: [Banner] {
        rankedSuggestions.compactMap { id in
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

import Foundation
import SwitchboardCore
import TerminalUI

/// One runbook step in full (Enter in the stepper): what to do and why, the live readings behind
/// its conditions, its deadline and recurrence, the message it sends, whom to call, and what the
/// log says was done about it.
struct StepDetailView {
    let theme: Theme

    static let labelWidth = 12

    func lines(for step: RunbookStep, of runbook: Runbook, run: RunbookRun, state: ConsoleState, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        let textWidth = max(20, width - Self.labelWidth)
        func field(_ label: String, _ value: String, style: Style = .plain) {
            for (index, text) in DialogView.wrap(Sanitizer.line(value), width: textWidth).enumerated() {
                var line = StyledLine((index == 0 ? label : "").padded(toWidth: Self.labelWidth), style: theme.label)
                line.append(text, style: style)
                lines.append(line)
            }
        }
        let now = state.site.now
        let progress = run.progress(of: step.id)
        let number = (runbook.index(of: step.id) ?? 0) + 1
        field("Runbook", "\(runbook.title) · \(StepperView.progressText(run, runbook))")
        field("Step", "\(number). \(step.text)", style: .plain.with(.bold))
        field("State", stateText(step, in: run, now: now))
        if let detail = step.detail { field("Detail", detail) }

        for (label, condition, note) in [("Check", step.check, "shown live beside the step"),
                                         ("Waits for", step.wait, "the step completes when it holds")] {
            guard let condition else { continue }
            let mark = StepperView(theme: theme).conditionMark(state.reading(of: condition, of: step, in: runbook))
            var line = StyledLine(label.padded(toWidth: Self.labelWidth), style: theme.label)
            line.append(mark.text + " ", style: mark.style)
            line.append(Sanitizer.line(condition.text))
            let holds = condition == step.heldCondition ? step.holdFor : nil
            if let holds { line.append(" for \(holds.configText)", style: .plain.with(.bold)) }
            line.append("  (\(note)\(holds == nil ? "" : ", without a break"))", style: theme.dim)
            lines.append(line)
            if case .unknown(let why) = condition.evaluate(in: state.site) { field("", "cannot tell: \(why)", style: theme.dim) }
            for probeID in condition.probeIDs { field("", reading(of: probeID, for: condition, in: state.site), style: theme.dim) }
        }
        if let within = step.within {
            field("Deadline", "within \(within.configText) of becoming current" + (step.onTimeout.map { " · then: \($0)" } ?? ""))
        }
        if let every = step.every { field("Repeats", "every \(every.configText) · done \(progress.rounds) time\(progress.rounds == 1 ? "" : "s")") }
        if step.isQuestion {
            field("Answers", step.choices.map { "\($0.answer) \(theme.glyphs.arrow) \($0.target)" }.joined(separator: " · "))
        }
        if let notify = step.notify {
            if let template = state.reference.template(notify) {
                field("Message", "\(notify): \(template.channel)" + (template.audience.map { " to \($0)" } ?? ""))
                if let subject = template.subject { field("", "Subject: \(subject)", style: theme.dim) }
                field("", template.body, style: theme.dim)
            } else {
                field("Message", "\(notify): not in the site's comms", style: theme.style(for: .warning))
            }
        }
        if let id = step.spare {
            if let spare = state.reference.spare(id) {
                let onHand = spare.onHand(after: state.incident?.sparesUsed[id] ?? 0).map { " · \($0) on hand" } ?? ""
                field("Spare", "takes 1 × \(spare.item)\(onHand)" + (spare.location.map { " · \($0)" } ?? "") + " (logged when done)")
            } else {
                field("Spare", "\(id): not in the site's spares", style: theme.style(for: .warning))
            }
        }
        let contactIDs = step.contacts + runbook.contacts.filter { !step.contacts.contains($0) }
        for (index, id) in contactIDs.enumerated() {
            field(index == 0 ? "Contacts" : "", state.reference.contact(id)?.line ?? "\(id) (not in the site's contacts)")
        }

        let history = state.incident?.recent.filter { $0["runbook"]?.string == runbook.id && $0["step"]?.string == step.id } ?? []
        if !history.isEmpty {
            lines.append(StyledLine())
            lines.append(StyledLine("Logged", style: theme.label.with(.bold)))
            let text = LogText(theme: theme)
            for record in history {
                var line = StyledLine("  \(TimeText.clock(record.at)) #\(record.seq) \(Sanitizer.line(record.actor)) ", style: theme.dim)
                line.append(LogText.tag(for: record.kind) + " ", style: text.tagStyle(for: record.entry))
                line.spans += text.line(for: record.entry).spans
                lines.append(line)
            }
        }
        lines.append(StyledLine())
        lines.append(StyledLine(step.isQuestion ? "d  answer    s  skip    b  blocked    u  reopen    n  note"
                                                : "d  done    s  skip    b  blocked    u  reopen    n  note", style: theme.dim))
        return lines
    }

    private func stateText(_ step: RunbookStep, in run: RunbookRun, now: Date) -> String {
        let progress = run.progress(of: step.id)
        let isCurrent = run.current == step.id
        var parts: [String] = []
        let by = [progress.outcomeBy.map { "by \($0)" }, progress.outcomeAt.map { "at \(TimeText.clock($0))" }].compactMap { $0 }
            .joined(separator: " ")
        switch progress.outcome {
        case .done(let automatic)?: parts.append((automatic ? "done by itself (its wait held) " : "done ") + by)
        case .answered(let answer)?: parts.append("answered '\(answer)' \(by)")
        case .skipped(let reason)?: parts.append("skipped \(by): \(reason)")
        case .blocked(let reason)?: parts.append("blocked \(by): \(reason)")
        case nil: parts.append(isCurrent ? "current" : "not done")
        }
        if progress.overdue { parts.append("overdue") }
        if let clock = StepperView.clock(step, in: run, now: now, drill: nil), progress.outcome == nil || step.every != nil {
            parts.append(clock.text)
        }
        return parts.joined(separator: " · ")
    }

    /// `ups-main OK · ups.status OB · battery.charge 83%`: a probe's status and the metrics the condition reads.
    private func reading(of probeID: String, for condition: Condition, in site: SiteState) -> String {
        guard let probe = site.probe(probeID) else { return "\(probeID): no such probe" }
        var parts = ["\(probeID) \(site.displayStatus(of: probe).word)"]
        for (mention, metric) in condition.mentions where mention.probe == probeID {
            guard let metric else { continue }
            parts.append("\(metric) " + (probe.latest?.observation.metric(metric)?.display ?? "—"))
        }
        return parts.joined(separator: " · ")
    }
}

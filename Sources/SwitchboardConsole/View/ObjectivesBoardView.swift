import Foundation
import SwitchboardCore
import TerminalUI

/// The facilitator's objectives board (`o`): each objective of the drill with the expectations
/// tied to it, live: met at T+…, late, missed, answered otherwise, pending with the time left, or
/// not yet injected; and the rating the after-action report will propose. Scored by the same
/// `DrillScore` fold as the report, from the drill's records.
struct ObjectivesBoardView {
    let theme: Theme

    /// The board's lines, `width` columns wide: an objective or an expectation too long for a
    /// line goes on to the next, indented, never cut.
    func lines(_ scenario: DrillScenario, incident: IncidentState, now: Date, width: Int) -> [StyledLine] {
        guard let progress = incident.drill else { return [] }
        var score = DrillScore(scenario)
        for record in incident.recent { score.apply(record, epoch: progress.epoch) }
        let elapsed = progress.elapsed(at: now)
        var lines = Self.wrapped(StyledLine(), "\(Sanitizer.line(scenario.title)) · \(TimeText.scenario(elapsed)) · "
                                     + "\(progress.fired.count) of \(scenario.injects.count) injects played", style: theme.dim, width: width)
            + [StyledLine("rating so far: P no challenges · S some · M major · U unable · – not yet", style: theme.dim)]
        let groups = scenario.objectives.map { Optional($0.id) } + [nil]
        for objective in groups {
            let entries = score.entries.filter { $0.expectation.objective == objective }
            guard !entries.isEmpty || objective != nil else { continue }
            lines.append(StyledLine())
            // The rating first, then the objective, wrapped under itself.
            let rating = objective.flatMap { score.rating(of: $0, at: elapsed) }
            let heading = StyledLine("[\(objective == nil ? " " : rating ?? "–")] ", style: rating == "P" ? theme.style(for: .ok)
                                     : rating == "S" ? theme.style(for: .warning) : rating == nil ? theme.dim : theme.style(for: .critical))
            lines += Self.wrapped(heading, objective.map { Sanitizer.line(scenario.objective($0)?.text ?? $0) } ?? "Not tied to an objective",
                                  style: theme.label.with(.bold), width: width)
            for entry in entries { lines += self.lines(for: entry, elapsed: elapsed, width: width) }
        }
        return lines
    }

    private func lines(for entry: DrillScore.Entry, elapsed: TimeInterval, width: Int) -> [StyledLine] {
        let (mark, words, style): (String, String, Style)
        switch entry.status(at: elapsed) {
        case .notInjected: (mark, words, style) = ("·", "not yet injected", theme.dim)
        case .pending:
            (mark, words, style) = ("…", "pending, \(TimeText.countdown((entry.deadline ?? elapsed) - elapsed)) left", .plain)
        case .met(let at): (mark, words, style) = ("✔", "met at \(TimeText.scenario(at))", theme.style(for: .ok))
        case .late(let at): (mark, words, style) = ("▲", "late, at \(TimeText.scenario(at))", theme.style(for: .warning))
        case .missed: (mark, words, style) = ("✖", "missed", theme.style(for: .critical))
        case .wrongAnswer(let answer, let at):
            (mark, words, style) = ("✖", "answered '\(Sanitizer.line(answer))' at \(TimeText.scenario(at))", theme.style(for: .critical))
        }
        var line = StyledLine("  \(mark) ", style: style)
        line.append(words.padded(toWidth: 22), style: style)
        line.append(" #\(entry.inject) ", style: theme.dim)
        var lines = Self.wrapped(line, Sanitizer.line(entry.expectation.text), style: .plain, width: width)
        let within = " within \(DrillScenario.timeText(entry.expectation.within))"
        if lines[lines.count - 1].width + DisplayWidth.of(within) <= width {
            lines[lines.count - 1].append(within, style: theme.dim)
        } else {
            lines.append(StyledLine(String(repeating: " ", count: line.width) + within.dropFirst(), style: theme.dim))
        }
        return lines
    }

    /// `lead` followed by `text` wrapped to `width`, its next lines indented under its first.
    private static func wrapped(_ lead: StyledLine, _ text: String, style: Style, width: Int) -> [StyledLine] {
        let indent = lead.width
        let rows = DialogView.wrap(text, width: max(10, width - indent))
        var first = lead
        first.append(rows.first ?? "", style: style)
        return [first] + rows.dropFirst().map { StyledLine(String(repeating: " ", count: indent) + $0, style: style) }
    }
}

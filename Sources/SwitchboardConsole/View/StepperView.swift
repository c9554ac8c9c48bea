import Foundation
import SwitchboardCore
import TerminalUI

/// The runbook stepper: the shown runbook's steps, the current one marked, each with its state,
/// the live reading of its condition, and its clock (elapsed, time left, overdue, due again).
struct StepperView {
    let theme: Theme

    func draw(_ state: ConsoleState, in rect: Rect, into buffer: inout CellBuffer) {
        guard !rect.isEmpty, let (run, runbook) = state.shownRun else { return }
        let (titleRow, rows) = rect.splitTop(1)
        let focused = state.viewer.focus == .stepper
        buffer.fill(titleRow, with: theme.glyphs.rule, style: theme.dim)
        var x = titleRow.x
        x += buffer.write(" RUNBOOK ", x: x, y: titleRow.y, style: focused ? theme.focusedPaneTitle : theme.paneTitle)
        x += buffer.write(" " + Sanitizer.line(runbook.title) + " ", x: x, y: titleRow.y, style: .plain.with(.bold),
                          limit: max(0, titleRow.maxX - x - 24))
        let running = state.incident?.runbooks.filter { !$0.isFinished }.count ?? 0
        var note = Self.progressText(run, runbook)
        if running > 1 { note += " · \(running) running ← →" }
        note = " \(note) "
        if titleRow.maxX - x - 1 >= DisplayWidth.of(note) {
            buffer.write(note, x: titleRow.maxX - DisplayWidth.of(note) - 1, y: titleRow.y, style: theme.dim)
        }
        guard !rows.isEmpty else { return }

        let selected = state.selectedStepIndex(run, runbook)
        let first = min(max(0, selected - rows.height / 2), max(0, runbook.steps.count - rows.height))
        let numberWidth = String(runbook.steps.count).count
        for (offset, step) in runbook.steps.enumerated().dropFirst(first).prefix(rows.height).map({ $0 }).enumerated() {
            let (index, step) = (step.offset, step.element)
            let y = rows.y + offset
            let progress = run.progress(of: step.id)
            let isCurrent = run.current == step.id
            let mark = Self.mark(progress, isCurrent: isCurrent)
            var column = rows.x
            column += buffer.write(focused && index == selected ? theme.glyphs.selectionMarker : " ", x: column, y: y)
            column += buffer.write(theme.glyphs.step[mark] ?? " ", x: column, y: y, style: style(for: mark))
            column += buffer.write(" " + String(index + 1).padded(toWidth: numberWidth, alignRight: true) + " ", x: column, y: y,
                                   style: theme.dim)

            var right = StyledLine()
            if let condition = step.check ?? (progress.outcome == nil ? step.wait : nil) {
                let reading = conditionMark(state.reading(of: condition, of: step, in: runbook))
                right.append(reading.text, style: reading.style)
                right.append(" ")
            }
            if let clock = Self.clock(step, in: run, now: state.site.now, drill: state.incident?.drill) {
                right.append(clock.text, style: style(for: clock.tone))
            }
            let rightWidth = right.width
            let textRoom = rows.maxX - column - rightWidth - 2
            let textStyle: Style = isCurrent ? .plain.with(.bold) : (progress.outcome == nil ? .plain : theme.dim)
            buffer.write(Sanitizer.line(step.text).truncated(toWidth: max(0, textRoom)), x: column, y: y, style: textStyle)
            if rightWidth > 0, textRoom > 8 { buffer.write(right, x: rows.maxX - rightWidth - 1, y: y, limit: rightWidth) }
            if focused && index == selected {
                buffer.restyle(Rect(x: rows.x, y: y, width: rows.width, height: 1)) { $0.with(theme.selection.attributes) }
            }
        }
    }

    /// `step 3 of 9 · 4m`, or `finished · 1 skipped` once the runbook has reached its end.
    static func progressText(_ run: RunbookRun, _ runbook: Runbook) -> String {
        guard let current = run.current, let index = runbook.index(of: current) else {
            let outcomes = runbook.steps.compactMap { run.progress(of: $0.id).outcome }
            let skipped = outcomes.filter { if case .skipped = $0 { true } else { false } }.count
            let blocked = outcomes.filter { if case .blocked = $0 { true } else { false } }.count
            return (["finished"] + (skipped > 0 ? ["\(skipped) skipped"] : []) + (blocked > 0 ? ["\(blocked) blocked"] : []))
                .joined(separator: " · ")
        }
        return "step \(index + 1) of \(runbook.steps.count)"
    }

    static func mark(_ progress: RunbookRun.StepProgress, isCurrent: Bool) -> Theme.StepMark {
        switch progress.outcome {
        case .done?, .answered?: .done
        case .skipped?: .skipped
        case .blocked?: .blocked
        case nil: progress.overdue ? .overdue : (isCurrent ? .current : .pending)
        }
    }

    enum Tone { case quiet, normal, warning, critical }

    /// The step's clock: time left before its deadline or how long it is overdue, how long it
    /// has been current, when it was done, when a recurring step is due again. Lateness stops
    /// counting when the runbook moves on from the step, and a finished runbook's steps are due
    /// no more.
    /// In a drill, when it was done is scenario time (`T+12:30`).
    static func clock(_ step: RunbookStep, in run: RunbookRun, now: Date, drill: DrillProgress?) -> (text: String, tone: Tone)? {
        let progress = run.progress(of: step.id)
        let isCurrent = run.current == step.id
        if let every = step.every, progress.rounds > 0, let last = progress.lastDoneAt, !run.isFinished {
            let due = last.addingTimeInterval(every.seconds)
            return now >= due ? ("DUE AGAIN", .warning) : ("again in \(TimeText.countdown(due.timeIntervalSince(now)))", .quiet)
        }
        switch progress.outcome {
        case .done(let automatic)?:
            let at = progress.outcomeAt ?? now
            return ((automatic ? "auto " : "done ") + (drill.map { TimeText.scenario($0.elapsed(at: at)) } ?? String(TimeText.clock(at).prefix(5))),
                    .quiet)
        case .answered(let answer)?: return ("→ " + Sanitizer.line(answer), .quiet)
        case .skipped?: return ("skipped", .quiet)
        case .blocked?: return ("BLOCKED", .warning)
        case nil: break
        }
        if progress.overdue, let activated = progress.activatedAt, let within = step.within {
            guard let left = progress.leftAt else {
                return ("OVERDUE +\(TimeText.countdown(now.timeIntervalSince(activated) - within.seconds))", .critical)
            }
            let late = left.timeIntervalSince(activated) - within.seconds
            return (late < 1 ? "timed out" : "late +\(TimeText.countdown(late))", .warning)
        }
        guard isCurrent, let activated = progress.activatedAt else { return nil }
        if let within = step.within {
            let left = activated.addingTimeInterval(within.seconds).timeIntervalSince(now)
            return left > 0 ? ("\(TimeText.countdown(left)) left", left < 60 ? .warning : .normal)
                : ("OVERDUE +\(TimeText.countdown(-left))", .critical)
        }
        return (TimeText.countdown(now.timeIntervalSince(activated)), .quiet)
    }

    func style(for tone: Tone) -> Style {
        switch tone {
        case .quiet: theme.dim
        case .normal: .plain
        case .warning: theme.style(for: .warning)
        case .critical: theme.style(for: .critical)
        }
    }

    func style(for mark: Theme.StepMark) -> Style {
        switch mark {
        case .done: theme.style(for: .ok)
        case .current: .plain.with(.bold)
        case .skipped, .pending: theme.dim
        case .blocked: theme.style(for: .warning)
        case .overdue: theme.style(for: .critical)
        }
    }

    /// A step condition's reading as its mark: ✓ ✗ ?, or how much longer it has to hold.
    func conditionMark(_ reading: StepConditionReading) -> (text: String, style: Style) {
        switch reading {
        case .truth(let value): truth(value)
        case .holding(let remaining): ("holding \(TimeText.countdown(remaining))", theme.style(for: .warning))
        }
    }

    /// A condition's reading as a one-column mark and its style.
    func truth(_ truth: Truth) -> (text: String, style: Style) {
        switch truth {
        case .yes: (theme.glyphs.truth.yes, theme.style(for: .ok))
        case .no: (theme.glyphs.truth.no, theme.style(for: .critical))
        case .unknown: (theme.glyphs.truth.unknown, theme.style(for: .unknown))
        }
    }
}

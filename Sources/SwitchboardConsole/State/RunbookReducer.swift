import Foundation
import SwitchboardCore
import TerminalUI

/// The runbook side of the console: suggestions when triggers become true, the `r` list, and
/// the stepper's keys. Every change to a run is a log entry; the run itself is only ever folded
/// from the log. What time and the probes do to running steps (a wait that holds, a deadline
/// that passes) is `ConsolePolicy`'s to decide.
extension Reduction {
    // MARK: - Suggestions

    /// Keeps the runbooks whose triggers hold and that are not running, in the order they became
    /// true, and forgets a hidden suggestion once it no longer holds.
    mutating func updateSuggestions() {
        let holding = Set(state.runbooks.runbooks.filter { runbook in
            !(state.incident?.run(of: runbook.id).map { !$0.isFinished } ?? false)
                && runbook.triggers.contains { $0.evaluate(in: state.site).isYes }
        }.map(\.id))
        let kept = state.suggestions.filter(holding.contains)
        // Every reading comes here: change nothing (and copy nothing) unless something changed.
        if kept.count != holding.count || kept.count != state.suggestions.count {
            state.suggestions = kept + state.runbooks.runbooks.map(\.id).filter { holding.contains($0) && !kept.contains($0) }
        }
        func stale(_ id: BannerID) -> Bool { if case .suggestion(let runbook) = id { !holding.contains(runbook) } else { false } }
        if state.viewer.hidden.contains(where: stale) { state.viewer.hidden = state.viewer.hidden.filter { !stale($0) } }
    }

    /// Follows since when each `for:` condition of a running runbook has held: it starts at the
    /// first reading that makes it true (`at`, the reading's own time, so a replay that ticks
    /// differently starts it at the same instant), and any reading that does not breaks it.
    mutating func updateHolds(at instant: Date? = nil) {
        guard !state.holds.isEmpty || state.incident?.runbooks.contains(where: { !$0.isFinished }) == true else { return }
        var holds: [String: Date] = [:]
        for run in state.incident?.runbooks ?? [] where !run.isFinished {
            guard let runbook = state.runbooks.runbook(run.runbookID) else { continue }
            for step in runbook.steps {
                guard let condition = step.heldCondition, condition.evaluate(in: state.site).isYes else { continue }
                let key = ConsoleState.holdKey(runbook, step)
                holds[key] = state.holds[key] ?? instant ?? state.site.now
            }
        }
        state.holds = holds
    }

    // MARK: - Log

    /// After the incident changed: start the runbook the incident was opened for, let each
    /// stepper's selection follow its current step again when the runbook moves on, and show a
    /// runbook just started.
    mutating func runbooksAfterLogChange(from before: IncidentState?) {
        defer { updateHolds() }
        guard let incident = state.incident else {
            if state.viewer.focus == .stepper { state.viewer.focus = .timeline }
            updateSuggestions()
            return
        }
        if let pending = state.session.runbookAfterOpening, !state.session.opening {
            state.session.runbookAfterOpening = nil
            if let runbook = state.runbooks.runbook(pending.id) { start(runbook, trigger: pending.trigger) }
        }
        for run in incident.runbooks {
            let previous = before?.id == incident.id ? before?.run(of: run.runbookID) : nil
            guard previous?.current != run.current || previous == nil else { continue }
            state.viewer.stepCursors[run.runbookID] = nil
            if previous == nil, before?.id == incident.id { state.viewer.chosenRunbook = nil }
        }
        updateSuggestions()
    }

    // MARK: - Keys

    /// `r`: the runbook list.
    mutating func openRunbookList() {
        state.viewer.show(.runbooks(RunbookPicker()))
    }

    mutating func handlePickerKey(_ key: Key, _ picker: RunbookPicker) {
        var picker = picker
        let entries = RunbookPickerEntry.entries(state, filter: picker.filter.trimmed)
        switch key {
        case .escape:
            state.viewer.close()
            return
        case .up: picker.cursor.move(by: -1, in: entries.count)
        case .down, .tab: picker.cursor.move(by: 1, in: entries.count)
        case .pageUp: picker.cursor.move(by: -10, in: entries.count)
        case .pageDown: picker.cursor.move(by: 10, in: entries.count)
        case .enter:
            guard !entries.isEmpty else { return }
            choose(entries[picker.cursor.clamped(to: entries.count)])
            return
        default:
            if picker.filter.handle(key) { picker.cursor = ListCursor() }
        }
        state.viewer.update(.runbooks(picker))
    }

    private mutating func choose(_ entry: RunbookPickerEntry) {
        switch entry {
        case .running(let runbook, _):
            state.viewer.close()
            state.viewer.chosenRunbook = runbook.id
            state.viewer.focus = .stepper
        case .suggested(let runbook), .available(let runbook):
            state.viewer.close()
            let trigger = runbook.triggers.first { $0.evaluate(in: state.site).isYes }?.text
            state.viewer.hidden.insert(.suggestion(runbook: runbook.id))
            if state.incident == nil {
                guard !state.session.opening else {
                    showHint("the incident is being opened; start the runbook once it is")
                    return
                }
                state.session.runbookAfterOpening = PendingRunbook(id: runbook.id, trigger: trigger)
                startForm(.openIncident)
                if var form = state.viewer.form {
                    form.prefill(title: runbook.title, severity: runbook.severity,
                                 explanation: "No incident is open: opening one starts \(Sanitizer.line(runbook.title)).")
                    state.viewer.update(.form(form))
                }
            } else {
                start(runbook, trigger: trigger)
            }
        case .broken(let broken):
            showHint("broken: \(broken.problems.first?.description ?? "unreadable") · switchboard check lists every problem")
        }
    }

    private mutating func start(_ runbook: Runbook, trigger: String?) {
        guard let incident = state.incident else { return }
        log(.runbookStarted(runbook, trigger: trigger, actor: state.session.actor, role: incident.role(of: state.session.actor),
                            at: state.site.now))
        // Shown once started, even when the person had chosen another runbook to show.
        state.viewer.chosenRunbook = runbook.id
        state.viewer.focus = .stepper
    }

    /// `d`, `s`, `b`, `u` on the selected step (or `step`, from its detail view).
    mutating func stepKey(_ key: Character, step chosen: RunbookStep? = nil) {
        guard let (run, runbook) = state.shownRun, let step = chosen ?? state.selectedStep, let incident = state.incident else {
            showHint(state.incident == nil ? "no incident is open · r starts a runbook" : "no runbook is running · r starts one")
            return
        }
        state.viewer.close()
        let progress = run.progress(of: step.id)
        let isCurrent = run.current == step.id
        switch key {
        case "d":
            if step.isQuestion {
                startForm(.decision(runbook: runbook.id, step: step.id))
                return
            }
            if case .done = progress.outcome, step.every == nil {
                showHint("already done · u reopens it")
                return
            }
            guard !state.session.isPending(LogKind.stepDone, runbook: runbook.id, step: step.id) else {
                showHint("saving… the step is being logged as done")
                return
            }
            if let check = step.check, state.reading(of: check, of: step, in: runbook) != .truth(.yes) {
                // Done over a failing check is a decision, with its reason on record, not a slip of a key.
                startForm(.doneOverCheck(runbook: runbook.id, step: step.id))
                return
            }
            complete(step, of: runbook, run: run, incident: incident, why: nil)
        case "s", "b":
            startForm(.stepReason(skip: key == "s", runbook: runbook.id, step: step.id))
        case "u":
            guard progress.outcome != nil || progress.overdue || !isCurrent else {
                showHint("this step is open already")
                return
            }
            log(.step(LogKind.stepReopened, runbook: runbook.id, step: step, next: nil, actor: state.session.actor,
                      role: incident.role(of: state.session.actor), at: state.site.now))
        default:
            break
        }
    }

    /// Marks `step` done: through its message when it has one (the step is done when the
    /// message is sent), else at once. `why` is the reason given for doing so over its check.
    private mutating func complete(_ step: RunbookStep, of runbook: Runbook, run: RunbookRun, incident: IncidentState, why: String?) {
        guard let notify = step.notify else {
            logStepDone(step, of: runbook, run: run, incident: incident, why: why)
            return
        }
        guard let template = state.reference.template(notify) else {
            showHint("message template '\(notify)' is missing from the site's comms")
            logStepDone(step, of: runbook, run: run, incident: incident, why: why)
            return
        }
        startComposer(template, notifyStep: StepReference(runbook: runbook.id, step: step.id, doneOverCheckWhy: why))
    }

    /// The override form submitted: the step done with the reason; nil, or what is missing.
    mutating func markDoneOverCheck(runbook runbookID: String, step stepID: String, why: String, incident: IncidentState) -> String? {
        guard let runbook = state.runbooks.runbook(runbookID), let step = runbook.step(stepID), let run = incident.run(of: runbookID)
        else { return "the runbook is no longer running" }
        guard !why.isEmpty else { return "say why it is done though the check does not hold" }
        complete(step, of: runbook, run: run, incident: incident, why: why)
        return nil
    }

    /// Logs `step` done (another round of it, for a recurring step), moving the runbook on when
    /// it is the current step. The record says how the step's check read at that moment and on
    /// what readings, whether or not it held.
    mutating func logStepDone(_ step: RunbookStep, of runbook: Runbook, run: RunbookRun, incident: IncidentState, why: String?) {
        if let id = step.spare, let spare = state.reference.spare(id) {
            log(.spareUsed(spare, count: 1, by: state.session.actor, actor: state.session.actor, role: incident.role(of: state.session.actor),
                           at: state.site.now))
        }
        var extra: [String: JSONValue] = ["round": .int(run.progress(of: step.id).rounds + 1)]
        extra.merge(state.checkRecord(of: step, in: runbook)) { $1 }
        if let why { extra["why"] = .string(Sanitizer.line(why)) }
        if let notify = step.notify { extra["notify"] = .string(notify) }
        let next = run.current == step.id ? runbook.next(after: step.id) ?? Runbook.end : nil
        log(.step(LogKind.stepDone, runbook: runbook.id, step: step, next: next, extra: extra, actor: state.session.actor,
                  role: incident.role(of: state.session.actor), at: state.site.now))
    }

    /// `n` in the stepper: a note about the selected step.
    mutating func stepNote() {
        guard let (_, runbook) = state.shownRun, let step = state.selectedStep else { return }
        startForm(.stepNote(runbook: runbook.id, step: step.id))
    }

    /// The form for a runbook purpose; nil when the runbook or step is gone.
    /// ` (then: Start the generator by hand)`: where passing the current step takes the runbook.
    private func afterward(skip: Bool, runbookID: String, step: RunbookStep) -> String {
        guard let runbook = state.runbooks.runbook(runbookID) else { return "" }
        let next = skip ? runbook.next(after: step.id) : runbook.next(afterBlocking: step.id)
        return " (then: \(next.flatMap { runbook.step($0).map { Sanitizer.line($0.text) } } ?? "the runbook ends"))"
    }

    func runbookForm(_ purpose: Form.Purpose) -> Form? {
        switch purpose {
        case .decision(let runbookID, let stepID):
            guard let step = state.runbooks.runbook(runbookID)?.step(stepID) else { return nil }
            return Form(purpose: purpose, title: "Decide",
                        fields: [.choice(label: "Answer", options: step.choices.map(\.answer), selected: 0),
                                 .text(label: "Why", input: TextInput(), placeholder: "optional: what the decision rests on")],
                        explanation: Sanitizer.line(step.text) + " (← → to choose; logged as a decision)")
        case .stepReason(let skip, let runbookID, let stepID):
            guard let step = state.runbooks.runbook(runbookID)?.step(stepID) else { return nil }
            let isCurrent = state.incident?.run(of: runbookID)?.current == stepID
            return Form(purpose: purpose, title: skip ? "Skip this step" : "Mark this step blocked",
                        fields: [.text(label: "Why", input: TextInput(),
                                       placeholder: skip ? "why it does not apply" : "what stops it, e.g. vendor not answering")],
                        explanation: Sanitizer.line(step.text) + (isCurrent ? afterward(skip: skip, runbookID: runbookID, step: step) : ""))
        case .doneOverCheck(let runbookID, let stepID):
            guard let runbook = state.runbooks.runbook(runbookID), let step = runbook.step(stepID), let check = step.check else { return nil }
            let problem: String
            switch state.reading(of: check, of: step, in: runbook) {
            case .truth(.yes): problem = "Check holds"
            case .truth(.no): problem = "Check fails"
            case .truth(.unknown): problem = "Check cannot tell"
            case .holding(let remaining): problem = "Check has not held long enough (\(TimeText.countdown(remaining)) to go)"
            }
            return Form(purpose: purpose, title: "\(problem) — mark done anyway?",
                        fields: [.text(label: "Why", input: TextInput(), placeholder: "e.g. confirmed by hand: probe reads the old panel")],
                        explanation: "\(Sanitizer.line(check.text)) · now: \(Sanitizer.line(check.readingsText(in: state.site))) · "
                            + "the check and its readings are logged with the step")
        case .stepNote(let runbookID, let stepID):
            guard let step = state.runbooks.runbook(runbookID)?.step(stepID) else { return nil }
            return Form(purpose: purpose, title: "Note on this step",
                        fields: [.text(label: "Note", input: TextInput(), placeholder: "what was seen or done")],
                        explanation: Sanitizer.line(step.text))
        default:
            return nil
        }
    }

    /// ← → in the stepper: the previous or next running runbook.
    mutating func switchRunbook(by offset: Int) {
        guard let incident = state.incident else { return }
        let ids = incident.runbooks.filter { state.runbooks.runbook($0.runbookID) != nil }.map(\.runbookID)
        guard ids.count > 1, let index = ids.firstIndex(of: state.shownRunbookID ?? "") else {
            showHint("one runbook is running · r starts another")
            return
        }
        state.viewer.chosenRunbook = ids[(index + offset + ids.count) % ids.count]
    }

    mutating func moveStepSelection(by step: Int) {
        guard let (run, runbook) = state.shownRun else { return }
        var cursor = ListCursor(state.selectedStepIndex(run, runbook))
        cursor.move(by: step, in: runbook.steps.count)
        state.viewer.stepCursors[runbook.id] = cursor.index
    }

    /// The entry a submitted runbook form logs.
    func runbookEntry(for form: Form) -> Result<LogEntry, FormProblem> {
        guard let incident = state.incident else { return .failure(FormProblem("the incident is no longer open")) }
        let actor = state.session.actor
        let role = incident.role(of: actor)
        let now = state.site.now
        switch form.purpose {
        case .stepReason(let skip, let runbookID, let stepID):
            guard let runbook = state.runbooks.runbook(runbookID), let step = runbook.step(stepID), let run = incident.run(of: runbookID)
            else { return .failure(FormProblem("the runbook is no longer running")) }
            guard !form.text(0).isEmpty else { return .failure(FormProblem(skip ? "say why it is skipped" : "say what blocks it")) }
            let next = run.current == stepID ? (skip ? runbook.next(after: stepID) : runbook.next(afterBlocking: stepID)) ?? Runbook.end : nil
            return .success(.step(skip ? LogKind.stepSkipped : LogKind.stepBlocked, runbook: runbookID, step: step, next: next,
                                  extra: ["reason": .string(Sanitizer.line(form.text(0)))], actor: actor, role: role, at: now))
        case .decision(let runbookID, let stepID):
            guard let runbook = state.runbooks.runbook(runbookID), let step = runbook.step(stepID), let run = incident.run(of: runbookID),
                  let choice = step.choices.first(where: { $0.answer == form.choice(0) })
            else { return .failure(FormProblem("the runbook is no longer running")) }
            var extra: [String: JSONValue] = ["question": .string(Sanitizer.line(step.text)), "answer": .string(choice.answer),
                                              "round": .int(run.progress(of: stepID).rounds + 1),
                                              "text": .string(Sanitizer.line("\(step.text) → \(choice.answer)"))]
            if !form.text(1).isEmpty { extra["why"] = .string(Sanitizer.line(form.text(1))) }
            return .success(.step(LogKind.decision, runbook: runbookID, step: step, next: choice.target, extra: extra,
                                  actor: actor, role: role, at: now))
        case .stepNote(let runbookID, let stepID):
            guard !form.text(0).isEmpty else { return .failure(FormProblem("nothing to log yet")) }
            var entry = LogEntry.remark(.note, text: form.text(0), actor: actor, role: role, at: now)
            entry.fields["runbook"] = .string(runbookID)
            entry.fields["step"] = .string(stepID)
            return .success(entry)
        default:
            return .failure(FormProblem("not a runbook form"))
        }
    }
}

/// The runbook list's entries in order: running, suggested, the rest, then broken files.
/// Worked out from the state alone, for the list's keys and its view alike.
enum RunbookPickerEntry {
    case running(Runbook, RunbookRun)
    case suggested(Runbook)
    case available(Runbook)
    case broken(BrokenRunbook)

    var name: String {
        switch self {
        case .running(let runbook, _), .suggested(let runbook), .available(let runbook): runbook.title + " " + runbook.id
        case .broken(let broken): (broken.title ?? "") + " " + (broken.id ?? "") + " " + broken.file
        }
    }

    static func entries(_ state: ConsoleState, filter: String) -> [RunbookPickerEntry] {
        let runs = state.incident?.runbooks ?? []
        var entries: [RunbookPickerEntry] = []
        for run in runs.reversed() where !run.isFinished {
            if let runbook = state.runbooks.runbook(run.runbookID) { entries.append(.running(runbook, run)) }
        }
        let running = Set(entries.compactMap { if case .running(let runbook, _) = $0 { runbook.id } else { nil } })
        let suggested = state.rankedSuggestions.filter { !running.contains($0) }
        entries += suggested.compactMap { state.runbooks.runbook($0) }.map(RunbookPickerEntry.suggested)
        entries += state.runbooks.runbooks.filter { !running.contains($0.id) && !suggested.contains($0.id) }
            .map(RunbookPickerEntry.available)
        entries += state.runbooks.broken.map(RunbookPickerEntry.broken)
        let words = filter.lowercased().split(separator: " ")
        guard !words.isEmpty else { return entries }
        return entries.filter { entry in
            let name = entry.name.lowercased()
            return words.allSatisfy { name.contains($0) }
        }
    }
}

/// Why a form cannot be submitted yet, shown in the form.
struct FormProblem: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

extension Form {
    /// Fills the open-incident form from a runbook about to be started with it.
    mutating func prefill(title: String, severity: Severity?, explanation: String) {
        fields[0] = .text(label: "Title", input: TextInput(Sanitizer.line(title)), placeholder: "")
        if let severity, let index = Severity.allCases.firstIndex(of: severity) {
            fields[1] = .choice(label: "Severity", options: Severity.allCases.map { $0.rawValue.uppercased() }, selected: index)
        }
        self.explanation = explanation
    }
}

import Foundation
import SwitchboardCore
import TerminalUI

/// The runbook side of the console: suggestions when triggers become true, the `r` list, the
/// stepper's keys, and what time and the probes do to running steps (a `wait:` that holds
/// completes its step, a `within:` that passes makes it overdue, an `every:` reminds again).
/// Every change to a run is a log entry; the run itself is only ever folded from the log.
extension ConsoleReducer {
    // MARK: - Site and clock

    /// Re-evaluates triggers, waits, deadlines and reminders against the site as it is now.
    static func runbooksAfterSiteChange(_ state: inout ConsoleState) {
        updateSuggestions(&state)
        guard let incident = state.incident else { return }
        let now = state.site.now
        for run in incident.runbooks {
            guard let runbook = state.runbooks.runbook(run.runbookID) else { continue }
            if let currentID = run.current, let step = runbook.step(currentID) {
                let progress = run.progress(of: currentID)
                if let wait = step.wait, progress.outcome == nil, wait.evaluate(in: state.site).isYes,
                   !isPending(LogKind.stepDone, runbook: runbook.id, step: step.id, state) {
                    let evidence: [String: JSONValue] = ["auto": .bool(true), "round": .int(progress.rounds + 1),
                                                         "evidence": .object(wait.evidence(in: state.site)),
                                                         "condition": .string(wait.text)]
                    log(.step(LogKind.stepDone, runbook: runbook.id, step: step, next: runbook.next(after: step.id) ?? Runbook.end,
                              extra: evidence, actor: state.actor, role: incident.role(of: state.actor), at: now), &state)
                } else if let within = step.within, progress.outcome == nil, !progress.overdue,
                          let activated = progress.activatedAt, now >= activated.addingTimeInterval(within.seconds),
                          !isPending(LogKind.stepOverdue, runbook: runbook.id, step: step.id, state) {
                    log(.step(LogKind.stepOverdue, runbook: runbook.id, step: step, next: step.onTimeout,
                              extra: ["within": .int(Int(within.seconds))], actor: state.actor,
                              role: incident.role(of: state.actor), at: now), &state)
                }
            }
            for step in runbook.steps {
                guard let every = step.every else { continue }
                let progress = run.progress(of: step.id)
                let key = "\(runbook.id)/\(step.id)"
                guard progress.rounds > 0, let last = progress.lastDoneAt, now >= last.addingTimeInterval(every.seconds),
                      (state.remindedRounds[key] ?? 0) < progress.rounds else { continue }
                state.remindedRounds[key] = progress.rounds
                state.prompt = RunbookPrompt(text: "↻ due again (every \(every.configText)): \(Sanitizer.line(step.text)) · "
                                                 + "\(Sanitizer.line(runbook.title)) · d when done")
            }
        }
    }

    /// Suggests each runbook whose trigger has just become true and that is not running.
    private static func updateSuggestions(_ state: inout ConsoleState) {
        let before = Set(state.suggestions)
        state.suggestions = state.runbooks.runbooks.filter { runbook in
            !(state.incident?.run(of: runbook.id).map { !$0.isFinished } ?? false)
                && runbook.triggers.contains { $0.evaluate(in: state.site).isYes }
        }.map(\.id)
        for id in state.suggestions where !before.contains(id) {
            guard let runbook = state.runbooks.runbook(id), let trigger = runbook.triggers.first(where: { $0.evaluate(in: state.site).isYes })
            else { continue }
            let seen = trigger.probeIDs.first.flatMap { state.site.probe($0) }
                .map { "\($0.spec.id): \($0.latest?.observation.summary ?? trigger.text)" } ?? trigger.text
            // The runbook and the key first: the reading may be long and the row is cut at the edge.
            state.prompt = RunbookPrompt(text: "⚑ \(Sanitizer.line(runbook.title)) runbook? r to start · \(seen)", suggestedRunbook: id)
            return
        }
        if let id = state.prompt?.suggestedRunbook, !state.suggestions.contains(id) {
            state.prompt = nil
        }
    }

    /// Whether an entry of this kind for this step is already on its way to the log.
    private static func isPending(_ kind: String, runbook: String, step: String, _ state: ConsoleState) -> Bool {
        state.unsaved.contains { $0.kind == kind && $0["runbook"]?.string == runbook && $0["step"]?.string == step }
    }

    // MARK: - Log

    /// After the incident changed: start the runbook the incident was opened for, keep each
    /// stepper's selection on its current step, and show a run when none is shown.
    static func runbooksAfterLogChange(from before: IncidentState?, _ state: inout ConsoleState) {
        guard let incident = state.incident else {
            state.shownRunbook = nil
            if state.focus == .stepper { state.focus = .timeline }
            return
        }
        if let pending = state.runbookAfterOpening, !state.openingIncident {
            state.runbookAfterOpening = nil
            if let runbook = state.runbooks.runbook(pending.id) { start(runbook, trigger: pending.trigger, &state) }
        }
        for run in incident.runbooks {
            let previous = before?.id == incident.id ? before?.run(of: run.runbookID) : nil
            guard previous?.current != run.current || previous == nil,
                  let runbook = state.runbooks.runbook(run.runbookID) else { continue }
            if let current = run.current, let index = runbook.index(of: current) { state.stepSelection[run.runbookID] = index }
            if previous == nil, before?.id == incident.id { state.shownRunbook = run.runbookID }
        }
        if state.shownRun == nil {
            state.shownRunbook = incident.runbooks.last { !$0.isFinished && state.runbooks.runbook($0.runbookID) != nil }?.runbookID
                ?? incident.runbooks.last { state.runbooks.runbook($0.runbookID) != nil }?.runbookID
        }
        updateSuggestions(&state)
    }

    // MARK: - Keys

    /// `r`: the runbook list.
    static func openRunbookList(_ state: inout ConsoleState) {
        state.overlay = .runbooks(RunbookPicker())
    }

    /// The runbook list's entries in order: running, suggested, the rest, then broken files.
    enum PickerEntry: Equatable {
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

        static func == (lhs: PickerEntry, rhs: PickerEntry) -> Bool { lhs.name == rhs.name }
    }

    static func pickerEntries(_ state: ConsoleState, filter: String) -> [PickerEntry] {
        let runs = state.incident?.runbooks ?? []
        var entries: [PickerEntry] = []
        for run in runs.reversed() where !run.isFinished {
            if let runbook = state.runbooks.runbook(run.runbookID) { entries.append(.running(runbook, run)) }
        }
        let running = Set(entries.compactMap { if case .running(let runbook, _) = $0 { runbook.id } else { nil } })
        let suggested = state.suggestions.filter { !running.contains($0) }
        entries += suggested.compactMap { state.runbooks.runbook($0) }.map(PickerEntry.suggested)
        entries += state.runbooks.runbooks.filter { !running.contains($0.id) && !suggested.contains($0.id) }.map(PickerEntry.available)
        entries += state.runbooks.broken.map(PickerEntry.broken)
        let words = filter.lowercased().split(separator: " ")
        guard !words.isEmpty else { return entries }
        return entries.filter { entry in
            let name = entry.name.lowercased()
            return words.allSatisfy { name.contains($0) }
        }
    }

    static func handlePickerKey(_ key: Key, _ picker: RunbookPicker, _ state: inout ConsoleState) {
        var picker = picker
        let entries = pickerEntries(state, filter: picker.filter.trimmed)
        switch key {
        case .escape:
            state.overlay = nil
            return
        case .up: picker.selection = max(0, picker.selection - 1)
        case .down, .tab: picker.selection = min(max(0, entries.count - 1), picker.selection + 1)
        case .pageUp: picker.selection = max(0, picker.selection - 10)
        case .pageDown: picker.selection = min(max(0, entries.count - 1), picker.selection + 10)
        case .enter:
            guard entries.indices.contains(picker.selection) else { return }
            choose(entries[picker.selection], &state)
            return
        default:
            if picker.filter.handle(key) { picker.selection = 0 }
        }
        state.overlay = .runbooks(picker)
    }

    private static func choose(_ entry: PickerEntry, _ state: inout ConsoleState) {
        switch entry {
        case .running(let runbook, _):
            state.overlay = nil
            state.shownRunbook = runbook.id
            state.focus = .stepper
        case .suggested(let runbook), .available(let runbook):
            state.overlay = nil
            let trigger = runbook.triggers.first { $0.evaluate(in: state.site).isYes }?.text
            if state.prompt?.suggestedRunbook == runbook.id { state.prompt = nil }
            if state.incident == nil {
                guard !state.openingIncident else {
                    showHint("the incident is being opened; start the runbook once it is", &state)
                    return
                }
                state.runbookAfterOpening = (runbook.id, trigger)
                startForm(.openIncident, &state)
                state.form?.prefill(title: runbook.title, severity: runbook.severity,
                                    explanation: "No incident is open: opening one starts \(Sanitizer.line(runbook.title)).")
            } else {
                start(runbook, trigger: trigger, &state)
            }
        case .broken(let broken):
            showHint("broken: \(broken.problems.first?.description ?? "unreadable") · switchboard check lists every problem", &state)
        }
    }

    private static func start(_ runbook: Runbook, trigger: String?, _ state: inout ConsoleState) {
        guard let incident = state.incident else { return }
        log(.runbookStarted(runbook, trigger: trigger, actor: state.actor, role: incident.role(of: state.actor), at: state.site.now), &state)
        state.shownRunbook = runbook.id
        state.stepSelection[runbook.id] = 0
        state.focus = .stepper
    }

    /// `d`, `s`, `b`, `u` on the selected step (or `step`, from its detail view).
    static func stepKey(_ key: Character, step chosen: RunbookStep? = nil, _ state: inout ConsoleState) {
        guard let (run, runbook) = state.shownRun, let step = chosen ?? state.selectedStep, let incident = state.incident else {
            showHint(state.incident == nil ? "no incident is open · r starts a runbook" : "no runbook is running · r starts one", &state)
            return
        }
        state.overlay = nil
        let progress = run.progress(of: step.id)
        let isCurrent = run.current == step.id
        switch key {
        case "d":
            if step.isQuestion {
                startForm(.decision(runbook: runbook.id, step: step.id), &state)
                return
            }
            if case .done = progress.outcome, step.every == nil {
                showHint("already done · u reopens it", &state)
                return
            }
            guard !isPending(LogKind.stepDone, runbook: runbook.id, step: step.id, state) else {
                showHint("saving… the step is being logged as done", &state)
                return
            }
            if let notify = step.notify {
                guard let template = state.reference.template(notify) else {
                    showHint("message template '\(notify)' is missing from the site's comms", &state)
                    logStepDone(step, of: runbook, run: run, incident: incident, &state)
                    return
                }
                // The step is done when its message is sent.
                startComposer(template, notifyStep: StepReference(runbook: runbook.id, step: step.id), &state)
                return
            }
            logStepDone(step, of: runbook, run: run, incident: incident, &state)
        case "s", "b":
            startForm(.stepReason(skip: key == "s", runbook: runbook.id, step: step.id), &state)
        case "u":
            guard progress.outcome != nil || progress.overdue || !isCurrent else {
                showHint("this step is open already", &state)
                return
            }
            log(.step(LogKind.stepReopened, runbook: runbook.id, step: step, next: nil, actor: state.actor,
                      role: incident.role(of: state.actor), at: state.site.now), &state)
        default:
            break
        }
    }

    /// Logs `step` done (another round of it, for a recurring step), moving the runbook on when
    /// it is the current step.
    static func logStepDone(_ step: RunbookStep, of runbook: Runbook, run: RunbookRun, incident: IncidentState,
                            _ state: inout ConsoleState) {
        var extra: [String: JSONValue] = ["round": .int(run.progress(of: step.id).rounds + 1)]
        if let notify = step.notify { extra["notify"] = .string(notify) }
        let next = run.current == step.id ? runbook.next(after: step.id) ?? Runbook.end : nil
        log(.step(LogKind.stepDone, runbook: runbook.id, step: step, next: next, extra: extra, actor: state.actor,
                  role: incident.role(of: state.actor), at: state.site.now), &state)
    }

    /// `n` in the stepper: a note about the selected step.
    static func stepNote(_ state: inout ConsoleState) {
        guard let (_, runbook) = state.shownRun, let step = state.selectedStep else { return }
        startForm(.stepNote(runbook: runbook.id, step: step.id), &state)
    }

    /// The form for a runbook purpose; nil when the runbook or step is gone.
    static func runbookForm(_ purpose: Form.Purpose, _ state: ConsoleState) -> Form? {
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
                        explanation: Sanitizer.line(step.text) + (isCurrent ? " (the runbook moves on)" : ""))
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
    static func switchRunbook(by offset: Int, _ state: inout ConsoleState) {
        guard let incident = state.incident else { return }
        let ids = incident.runbooks.filter { state.runbooks.runbook($0.runbookID) != nil }.map(\.runbookID)
        guard ids.count > 1, let index = ids.firstIndex(of: state.shownRunbook ?? "") else {
            showHint("one runbook is running · r starts another", &state)
            return
        }
        state.shownRunbook = ids[(index + offset + ids.count) % ids.count]
    }

    static func moveStepSelection(by step: Int, _ state: inout ConsoleState) {
        guard let (_, runbook) = state.shownRun else { return }
        let current = state.stepSelection[runbook.id] ?? 0
        state.stepSelection[runbook.id] = min(max(0, current.addingReportingOverflow(step).partialValue), runbook.steps.count - 1)
    }

    /// The entry a submitted runbook form logs.
    static func runbookEntry(for form: Form, _ state: ConsoleState) -> Result<LogEntry, FormProblem> {
        guard let incident = state.incident else { return .failure(FormProblem("the incident is no longer open")) }
        let role = incident.role(of: state.actor)
        let now = state.site.now
        switch form.purpose {
        case .stepReason(let skip, let runbookID, let stepID):
            guard let runbook = state.runbooks.runbook(runbookID), let step = runbook.step(stepID), let run = incident.run(of: runbookID)
            else { return .failure(FormProblem("the runbook is no longer running")) }
            guard !form.text(0).isEmpty else { return .failure(FormProblem(skip ? "say why it is skipped" : "say what blocks it")) }
            let next = run.current == stepID ? runbook.next(after: stepID) ?? Runbook.end : nil
            return .success(.step(skip ? LogKind.stepSkipped : LogKind.stepBlocked, runbook: runbookID, step: step, next: next,
                                  extra: ["reason": .string(Sanitizer.line(form.text(0)))], actor: state.actor, role: role, at: now))
        case .decision(let runbookID, let stepID):
            guard let runbook = state.runbooks.runbook(runbookID), let step = runbook.step(stepID), let run = incident.run(of: runbookID),
                  let choice = step.choices.first(where: { $0.answer == form.choice(0) })
            else { return .failure(FormProblem("the runbook is no longer running")) }
            var extra: [String: JSONValue] = ["question": .string(Sanitizer.line(step.text)), "answer": .string(choice.answer),
                                              "round": .int(run.progress(of: stepID).rounds + 1),
                                              "text": .string(Sanitizer.line("\(step.text) → \(choice.answer)"))]
            if !form.text(1).isEmpty { extra["why"] = .string(Sanitizer.line(form.text(1))) }
            return .success(.step(LogKind.decision, runbook: runbookID, step: step, next: choice.target, extra: extra,
                                  actor: state.actor, role: role, at: now))
        case .stepNote(let runbookID, let stepID):
            guard !form.text(0).isEmpty else { return .failure(FormProblem("nothing to log yet")) }
            var entry = LogEntry.remark(.note, text: form.text(0), actor: state.actor, role: role, at: now)
            entry.fields["runbook"] = .string(runbookID)
            entry.fields["step"] = .string(stepID)
            return .success(entry)
        default:
            return .failure(FormProblem("not a runbook form"))
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

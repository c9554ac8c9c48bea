import Foundation
import SwitchboardCore
import TerminalUI

/// How far back the probe changes seen before an incident was declared are recorded in it, and
/// the roles `a` offers (command itself changes hands with `h`).
extension ConsoleReducer {
    public static let changesBeforeOpening: TimeInterval = 15 * 60
    static let roles = ["deputy", "scribe", "communications", "facilities", "telephony", "network", "liaison"]
}

/// The incident side of the console: log events folded into the followed incident, and the
/// forms that turn what the person types into log entries.
extension Reduction {
    // MARK: - Log events

    mutating func apply(_ event: ActionLogEvent) {
        switch event {
        case .attached(let incident, let notice):
            state.session.incident = incident
            state.session.opening = false
            state.viewer.timelineCursor = ListCursor()
            if let notice { state.viewer.notice = Notice(text: notice, isProblem: notice.hasPrefix("truncated tail")) }
        case .restored(let id, let held):
            guard state.incident?.id == id else { return }
            if let held { SiteReducer.reduce(&state.site, .restored(held)) }
            // From here on the journal records every reading this console applies.
            effects.append(.journal(.begin(incident: id, SiteSnapshot(state.site))))
        case .records(let records, let acknowledged):
            // Only someone reading back through the log needs the count (it lists every record).
            let countBefore = state.viewer.timelineCursor.index > 0 ? state.timelineCount : 0
            state.session.unsaved.removeFirst(min(acknowledged, state.session.unsaved.count))
            if acknowledged > 0 { state.session.logFailure = nil }
            guard var incident = state.incident else { return }
            for record in records where record.seq > incident.recordCount { incident.apply(record) }
            if incident.isOpen {
                state.session.incident = incident
                // Someone reading back through the log keeps their place as new lines arrive on top.
                if state.viewer.timelineCursor.index > 0 {
                    state.viewer.timelineCursor.index = max(0, state.viewer.timelineCursor.index + state.timelineCount - countBefore)
                }
            } else {
                closed(incident)
            }
        case .writeFailed(let reason):
            state.session.logFailure = reason
        case .refused(let reason):
            state.session.opening = false
            state.viewer.notice = Notice(text: reason, isProblem: true)
        case .journalFailed(let reason):
            state.viewer.notice = Notice(text: "readings journal: \(reason) · the action log is not affected", isProblem: true)
        }
    }

    private mutating func closed(_ incident: IncidentState) {
        let who = incident.recent.last?.actor ?? "someone"
        let summary = incident.closingSummary.map { ": \($0)" } ?? ""
        state.viewer.notice = Notice(text: "incident \(incident.id) closed by \(who)\(summary) · \(incident.recordCount) records, last hash "
                                     + String(incident.lastHash.prefix(12)), isProblem: false)
        state.session.incident = nil
        state.viewer.timelineCursor = ListCursor()
        state.viewer.search = nil
        state.viewer.modals.removeAll { modal in
            switch modal {
            case .logRecord, .incident: true
            default: false
            }
        }
    }

    // MARK: - Keys

    mutating func requestQuit() {
        if state.incident != nil || !state.session.unsaved.isEmpty {
            state.viewer.show(.confirmQuit)
        } else {
            effects.append(.quit)
        }
    }

    mutating func incidentKey() {
        if state.incident != nil {
            state.viewer.show(.incident(scroll: Scroll()))
        } else if state.session.opening {
            showHint("the incident is being opened")
        } else {
            startForm(.openIncident)
        }
    }

    /// The open incident; without one, says so in the footer.
    mutating func openIncidentOrHint() -> IncidentState? {
        if state.incident == nil { showHint("no incident is open · i opens one") }
        return state.incident
    }

    mutating func amendSelected() {
        guard openIncidentOrHint() != nil else { return }
        guard state.viewer.focus == .timeline else {
            showHint("select a log record first (Tab to the action log), then a corrects it")
            return
        }
        guard case .record(let record) = selectedTimelineItem else {
            showHint("only a logged record can be corrected")
            return
        }
        startForm(.amend(seq: record.seq))
    }

    mutating func startSearch() {
        guard state.incident != nil else {
            showHint("/ searches the action log of an open incident · i opens one")
            return
        }
        state.viewer.search = LogSearch(query: state.viewer.search?.query ?? TextInput(), editing: true)
        state.viewer.focus = .timeline
    }

    mutating func startForm(_ purpose: Form.Purpose) {
        if purpose != .openIncident, openIncidentOrHint() == nil { return }
        if let form = form(for: purpose) {
            state.viewer.show(.form(form))
        } else {
            state.viewer.close()
        }
    }

    /// The empty form for `purpose`; every purpose but opening needs the open incident.
    private func form(for purpose: Form.Purpose) -> Form? {
        let incident = state.incident
        let actor = state.session.actor
        let id = incident?.id ?? ""
        switch purpose {
        case .stepReason, .decision, .stepNote, .doneOverCheck:
            return runbookForm(purpose)
        case .inject, .evaluation:
            return drillForm(purpose)
        case .openIncident:
            return Form(
                purpose: .openIncident, title: "Open an incident",
                fields: [
                    .text(label: "Title", input: TextInput(), placeholder: "what is happening, e.g. UPS on battery"),
                    .choice(label: "Severity", options: Severity.allCases.map { $0.rawValue.uppercased() }, selected: 2),
                ],
                explanation: "You take command as \(actor). Probe changes of the last "
                    + "\(Int(ConsoleReducer.changesBeforeOpening / 60)) minutes are logged with it.")
        case .remark:
            return Form(purpose: .remark, title: "Add to the log",
                        fields: [.choice(label: "Kind", options: RemarkKind.allCases.map(\.rawValue), selected: 0),
                                 .text(label: "Text", input: TextInput(), placeholder: "what was seen, done or decided")],
                        explanation: "Logged as \(actor) in \(id).")
                .focusing(1)
        case .handover, .assignRole, .useSpare:
            return peopleForm(purpose)
        case .severity:
            return Form(purpose: .severity, title: "Change the severity",
                        fields: [.choice(label: "Severity", options: Severity.allCases.map { $0.rawValue.uppercased() },
                                         selected: Severity.allCases.firstIndex(of: incident?.severity ?? .sev3) ?? 2)],
                        explanation: "Now \((incident?.severity ?? .sev3).rawValue.uppercased()). ← → to choose.")
        case .close:
            // A review measures to the resolution: asked for here when it was never set.
            let resolved: [Form.Field] = incident?.milestones[.resolved] == nil
                ? [.text(label: "Resolved at", input: TextInput("now"), placeholder: TypedTime.examples)] : []
            return Form(purpose: .close, title: "Close the incident",
                        fields: [.text(label: "Summary", input: TextInput(), placeholder: "what happened and how it ended")] + resolved,
                        explanation: closingExplanation(incident))
        case .amend(let seq):
            if let milestone = milestone(setBy: seq, in: incident) {
                return Form(purpose: .amend(seq: seq), title: "Move the \(milestone.name.rawValue) milestone (#\(seq))",
                            fields: [.text(label: "Happened at", input: TextInput(TimeText.clock(milestone.time.occurredAt)),
                                           placeholder: TypedTime.examples),
                                     .text(label: "Why", input: TextInput(), placeholder: "how the right time is known")],
                            explanation: "Records are never rewritten: the correction is a new record pointing at #\(seq).")
                    .focusing(0)
            }
            return Form(purpose: .amend(seq: seq), title: "Correct record #\(seq)",
                        fields: [.text(label: "Correction", input: TextInput(), placeholder: "what the record should have said")],
                        explanation: "Records are never rewritten: the correction is a new record pointing at #\(seq).")
        case .milestone:
            let set = incident?.milestones ?? [:]
            let next = [Milestone.mitigated, .resolved, .impactStarted, .detected].first { set[$0] == nil } ?? .resolved
            return Form(purpose: .milestone, title: "Set a milestone",
                        fields: [.choice(label: "Milestone", options: Milestone.allCases.map(\.rawValue),
                                         selected: Milestone.allCases.firstIndex(of: next) ?? 0),
                                 .text(label: "Happened at", input: TextInput("now"), placeholder: TypedTime.examples)],
                        explanation: "UTC, or -10m for ten minutes ago. Set: "
                            + (set.isEmpty ? "none yet" : Milestone.allCases.compactMap { name in
                                set[name].map { "\(name.rawValue) \(TimeText.clock($0.occurredAt))" } }.joined(separator: ", "))
                            + ". a on its record moves it later.")
        }
    }

    /// The milestone record `seq` set, if it still sets one.
    private func milestone(setBy seq: Int, in incident: IncidentState?) -> (name: Milestone, time: MilestoneTime)? {
        incident?.milestones.first { $0.value.seq == seq }.map { ($0.key, $0.value) }
    }

    /// A time typed in a form for something that has happened: a clock time is the last such
    /// moment, and it cannot be in the future.
    private func pastTime(_ text: String, now: Date) -> Result<Date, LogLineProblem> {
        guard let time = TypedTime.parse(text, relativeTo: now, clockTime: .lastBefore(now)) else {
            return .failure(LogLineProblem("not a time: '\(Sanitizer.line(text))' (try \(TypedTime.examples))"))
        }
        guard time <= now.addingTimeInterval(1) else { return .failure(LogLineProblem("that is in the future")) }
        return .success(time)
    }

    /// What closing leaves behind, said before it is done: runbooks not finished (and where
    /// each stands), to-dos still open.
    private func closingExplanation(_ incident: IncidentState?) -> String {
        let ends = "Closing ends \(incident?.id ?? "") for every console following it."
        var open: [String] = []
        let running = incident?.unfinishedRuns { state.runbooks.runbook($0)?.step($1)?.text } ?? []
        if !running.isEmpty {
            let listed = running.map { "• \($0)" }.joined(separator: " ")
            open.append("\(running.count) runbook\(running.count == 1 ? " is" : "s are") not finished: \(listed).")
        }
        let todos = incident?.openTodos ?? []
        if !todos.isEmpty {
            let listed = todos.prefix(5).map { "• \(Sanitizer.line($0.text))" }.joined(separator: " ")
                + (todos.count > 5 ? " (+\(todos.count - 5) more)" : "")
            open.append("\(todos.count) to-do\(todos.count == 1 ? " is" : "s are") still open: \(listed). Esc and t ticks them off.")
        }
        return (open + [ends]).joined(separator: " ")
    }

    mutating func handleFormKey(_ key: Key, _ form: Form) {
        var form = form
        switch key {
        case .escape:
            if form.purpose == .openIncident { state.session.runbookAfterOpening = nil }
            state.viewer.close()
        case .enter:
            // Closed first: what the form does may open the next thing (a step's message).
            state.viewer.close()
            if let problem = submit(form) {
                form.problem = problem
                state.viewer.modals.append(.form(form))
            }
        default:
            form.handle(key)
            state.viewer.update(.form(form))
        }
    }

    /// Turns a filled form into log requests; returns why it cannot be submitted yet.
    private mutating func submit(_ form: Form) -> String? {
        let now = state.site.now
        let actor = state.session.actor
        if form.purpose == .openIncident {
            let title = form.text(0)
            guard !title.isEmpty else { return "a title is needed" }
            let severity = Severity(rawValue: form.choice(1).lowercased()) ?? .sev3
            let earlier = state.site.changes.filter { now.timeIntervalSince($0.at) <= ConsoleReducer.changesBeforeOpening }
                .map { LogEntry.probeChanged($0, actor: actor, at: now, beforeOpen: true) }
            effects.append(.log(.open(title: Sanitizer.line(title), severity: severity, actor: actor, at: now, earlierChanges: earlier)))
            state.session.opening = true
            state.viewer.notice = nil
            state.viewer.focus = .timeline
            return nil
        }
        guard let incident = state.incident else { return "the incident is no longer open" }
        if case .doneOverCheck(let runbookID, let stepID) = form.purpose {
            return markDoneOverCheck(runbook: runbookID, step: stepID, why: form.text(0), incident: incident)
        }
        let role = incident.role(of: actor)
        let entry: LogEntry
        switch form.purpose {
        case .openIncident:
            return nil
        case .remark:
            guard !form.text(1).isEmpty else { return "nothing to log yet" }
            entry = .remark(RemarkKind(rawValue: form.choice(0)) ?? .note, text: form.text(1), actor: actor, role: role, at: now)
        case .handover, .assignRole, .useSpare:
            switch peopleEntry(for: form, incident: incident) {
            case .success(let peopleEntry): entry = peopleEntry
            case .failure(let problem): return problem.message
            }
        case .severity:
            guard let severity = Severity(rawValue: form.choice(0).lowercased()), severity != incident.severity else {
                return "that is the severity already"
            }
            entry = .severity(severity, actor: actor, role: role, at: now)
        case .close:
            guard !form.text(0).isEmpty else { return "a one-line summary is needed to close" }
            if form.fields.count > 1 {
                switch pastTime(form.text(1), now: now) {
                case .success(let resolved): log(.milestone(.resolved, occurredAt: resolved, actor: actor, role: role, at: now))
                case .failure(let problem): return "resolved at: \(problem.message)"
                }
            }
            entry = .closed(summary: form.text(0), actor: actor, role: role, at: now)
        case .amend(let seq):
            if milestone(setBy: seq, in: incident) != nil {
                guard !form.text(1).isEmpty else { return "say why it moves" }
                switch pastTime(form.text(0), now: now) {
                case .success(let time): entry = .amendment(of: seq, text: form.text(1), occurredAt: time, actor: actor, role: role, at: now)
                case .failure(let problem): return problem.message
                }
            } else {
                guard !form.text(0).isEmpty else { return "type the correction" }
                entry = .amendment(of: seq, text: form.text(0), actor: actor, role: role, at: now)
            }
        case .milestone:
            guard let name = Milestone(rawValue: form.choice(0)) else { return "choose a milestone" }
            switch pastTime(form.text(1), now: now) {
            case .success(let time): entry = .milestone(name, occurredAt: time, actor: actor, role: role, at: now)
            case .failure(let problem): return problem.message
            }
        case .doneOverCheck:
            return nil
        case .stepReason, .decision, .stepNote:
            switch runbookEntry(for: form) {
            case .success(let runbookEntry): entry = runbookEntry
            case .failure(let problem): return problem.message
            }
        case .inject, .evaluation:
            switch drillEntry(for: form) {
            case .success(let drillEntry): entry = drillEntry
            case .failure(let problem): return problem.message
            }
        }
        log(entry)
        return nil
    }
}

extension Form {
    func focusing(_ field: Int) -> Form {
        var copy = self
        copy.focused = field
        return copy
    }
}

import Foundation
import SwitchboardCore
import TerminalUI

/// The incident side of the console: log events folded into the followed incident, and the
/// forms that turn what the person types into log entries.
extension ConsoleReducer {
    /// How far back the probe changes seen before an incident was declared are recorded in it.
    public static let changesBeforeOpening: TimeInterval = 15 * 60
    /// The roles `a` offers; command itself changes hands with `h`.
    static let roles = ["deputy", "scribe", "communications", "facilities", "telephony", "network", "liaison"]

    // MARK: - Log events

    static func apply(_ event: ActionLogEvent, _ state: inout ConsoleState) {
        switch event {
        case .attached(let incident, let notice):
            state.incident = incident
            state.openingIncident = false
            state.timelineScroll = 0
            if let notice { state.notice = Notice(text: notice, isProblem: notice.hasPrefix("truncated tail")) }
        case .records(let records, let acknowledged):
            let countBefore = state.timelineCount
            state.unsaved.removeFirst(min(acknowledged, state.unsaved.count))
            if acknowledged > 0 { state.logFailure = nil }
            guard var incident = state.incident else { return }
            for record in records where record.seq > incident.recordCount { incident.apply(record) }
            if incident.isOpen {
                state.incident = incident
                // Someone reading back through the log keeps their place as new lines arrive on top.
                if state.timelineScroll > 0 { state.timelineScroll = max(0, state.timelineScroll + state.timelineCount - countBefore) }
            } else {
                closed(incident, &state)
            }
        case .writeFailed(let reason):
            state.logFailure = reason
        case .refused(let reason):
            state.openingIncident = false
            state.notice = Notice(text: reason, isProblem: true)
        }
    }

    private static func closed(_ incident: IncidentState, _ state: inout ConsoleState) {
        let who = incident.recent.last?.actor ?? "someone"
        let summary = incident.closingSummary.map { ": \($0)" } ?? ""
        state.notice = Notice(text: "incident \(incident.id) closed by \(who)\(summary) · \(incident.recordCount) records, last hash "
                              + String(incident.lastHash.prefix(12)), isProblem: false)
        state.incident = nil
        state.timelineScroll = 0
        state.search = nil
        if case .logRecord = state.overlay { state.overlay = nil }
        if case .incident = state.overlay { state.overlay = nil }
    }

    /// Hard probe changes go into the open incident's log (the writer drops the ones another
    /// console logged first).
    static func logProbeChanges(_ changes: [StateChange], _ state: inout ConsoleState) {
        guard state.incident != nil || state.openingIncident else { return }
        for change in changes {
            log(.probeChanged(change, actor: state.actor, at: change.at), &state)
        }
    }

    static func log(_ entry: LogEntry, _ state: inout ConsoleState) {
        state.unsaved.append(entry)
        state.logRequests.append(.append(entry))
    }

    // MARK: - Keys

    static func requestQuit(_ state: inout ConsoleState) {
        if state.incident != nil || !state.unsaved.isEmpty {
            state.overlay = .confirmQuit
        } else {
            state.quitRequested = true
        }
    }

    static func incidentKey(_ state: inout ConsoleState) {
        if state.incident != nil {
            state.overlay = .incident(scroll: 0)
        } else if state.openingIncident {
            showHint("the incident is being opened", &state)
        } else {
            startForm(.openIncident, &state)
        }
    }

    static func amendSelected(_ state: inout ConsoleState) {
        guard state.incident != nil else {
            showHint("no incident is open · i opens one", &state)
            return
        }
        guard state.focus == .timeline else {
            showHint("select a log record first (Tab to the action log), then a corrects it", &state)
            return
        }
        guard case .record(let record) = selectedTimelineItem(state) else {
            showHint("only a logged record can be corrected", &state)
            return
        }
        startForm(.amend(seq: record.seq), &state)
    }

    static func startSearch(_ state: inout ConsoleState) {
        guard state.incident != nil else {
            showHint("/ searches the action log of an open incident · i opens one", &state)
            return
        }
        state.search = LogSearch(query: state.search?.query ?? TextInput(), editing: true)
        state.focus = .timeline
    }

    static func startForm(_ purpose: Form.Purpose, _ state: inout ConsoleState) {
        if purpose != .openIncident, state.incident == nil {
            showHint("no incident is open · i opens one", &state)
            return
        }
        state.form = form(for: purpose, state)
        state.overlay = nil
    }

    /// The empty form for `purpose`; every purpose but opening needs the open incident.
    private static func form(for purpose: Form.Purpose, _ state: ConsoleState) -> Form? {
        let incident = state.incident
        let actor = state.actor
        let id = incident?.id ?? ""
        switch purpose {
        case .stepReason, .decision, .stepNote:
            return runbookForm(purpose, state)
        case .openIncident:
            return Form(
                purpose: .openIncident, title: "Open an incident",
                fields: [
                    .text(label: "Title", input: TextInput(), placeholder: "what is happening, e.g. UPS on battery"),
                    .choice(label: "Severity", options: Severity.allCases.map { $0.rawValue.uppercased() }, selected: 2),
                ],
                explanation: "You take command as \(actor). Probe changes of the last "
                    + "\(Int(changesBeforeOpening / 60)) minutes are logged with it.")
        case .remark:
            return Form(purpose: .remark, title: "Add to the log",
                        fields: [.choice(label: "Kind", options: RemarkKind.allCases.map(\.rawValue), selected: 0),
                                 .text(label: "Text", input: TextInput(), placeholder: "what was seen, done or decided")],
                        explanation: "Logged as \(actor) in \(id).")
                .focusing(1)
        case .handover:
            return Form(purpose: .handover, title: "Hand over command",
                        fields: [.text(label: "To", input: TextInput(), placeholder: "who takes command")],
                        explanation: "\(incident?.commander ?? "") holds command now.")
        case .assignRole:
            return Form(purpose: .assignRole, title: "Assign a role",
                        fields: [.choice(label: "Role", options: roles, selected: 0),
                                 .text(label: "Person", input: TextInput(), placeholder: "who takes the role")],
                        explanation: "Command itself changes hands with h.")
                .focusing(1)
        case .severity:
            return Form(purpose: .severity, title: "Change the severity",
                        fields: [.choice(label: "Severity", options: Severity.allCases.map { $0.rawValue.uppercased() },
                                         selected: Severity.allCases.firstIndex(of: incident?.severity ?? .sev3) ?? 2)],
                        explanation: "Now \((incident?.severity ?? .sev3).rawValue.uppercased()). ← → to choose.")
        case .close:
            return Form(purpose: .close, title: "Close the incident",
                        fields: [.text(label: "Summary", input: TextInput(), placeholder: "what happened and how it ended")],
                        explanation: "Closing ends \(id) for every console following it.")
        case .amend(let seq):
            return Form(purpose: .amend(seq: seq), title: "Correct record #\(seq)",
                        fields: [.text(label: "Correction", input: TextInput(), placeholder: "what the record should have said")],
                        explanation: "Records are never rewritten: the correction is a new record pointing at #\(seq).")
        }
    }

    static func handleFormKey(_ key: Key, _ state: inout ConsoleState) {
        guard var form = state.form else { return }
        switch key {
        case .escape:
            if form.purpose == .openIncident { state.runbookAfterOpening = nil }
            state.form = nil
        case .enter:
            if let problem = submit(form, &state) {
                form.problem = problem
                state.form = form
            } else {
                state.form = nil
            }
        default:
            form.handle(key)
            state.form = form
        }
    }

    /// Turns a filled form into log requests; returns why it cannot be submitted yet.
    private static func submit(_ form: Form, _ state: inout ConsoleState) -> String? {
        let now = state.site.now
        let actor = state.actor
        if form.purpose == .openIncident {
            let title = form.text(0)
            guard !title.isEmpty else { return "a title is needed" }
            let severity = Severity(rawValue: form.choice(1).lowercased()) ?? .sev3
            let earlier = state.site.changes.filter { now.timeIntervalSince($0.at) <= changesBeforeOpening }
                .map { LogEntry.probeChanged($0, actor: actor, at: now, beforeOpen: true) }
            state.logRequests.append(.open(title: Sanitizer.line(title), severity: severity, actor: actor, at: now,
                                           earlierChanges: earlier))
            state.openingIncident = true
            state.notice = nil
            state.focus = .timeline
            return nil
        }
        guard let incident = state.incident else { return "the incident is no longer open" }
        let role = incident.role(of: actor)
        let entry: LogEntry
        switch form.purpose {
        case .openIncident:
            return nil
        case .remark:
            guard !form.text(1).isEmpty else { return "nothing to log yet" }
            entry = .remark(RemarkKind(rawValue: form.choice(0)) ?? .note, text: form.text(1), actor: actor, role: role, at: now)
        case .handover:
            let person = form.text(0)
            guard !person.isEmpty else { return "say who takes command" }
            guard person != incident.commander else { return "\(person) already holds command" }
            entry = .handoff(from: incident.commander, to: person, actor: actor, role: role, at: now)
        case .assignRole:
            guard !form.text(1).isEmpty else { return "say who takes the role" }
            entry = .roleAssigned(form.choice(0), to: form.text(1), actor: actor, role: role, at: now)
        case .severity:
            guard let severity = Severity(rawValue: form.choice(0).lowercased()), severity != incident.severity else {
                return "that is the severity already"
            }
            entry = .severity(severity, actor: actor, role: role, at: now)
        case .close:
            guard !form.text(0).isEmpty else { return "a one-line summary is needed to close" }
            entry = .closed(summary: form.text(0), actor: actor, role: role, at: now)
        case .amend(let seq):
            guard !form.text(0).isEmpty else { return "type the correction" }
            entry = .amendment(of: seq, text: form.text(0), actor: actor, role: role, at: now)
        case .stepReason, .decision, .stepNote:
            switch runbookEntry(for: form, state) {
            case .success(let runbookEntry): entry = runbookEntry
            case .failure(let problem): return problem.message
            }
        }
        log(entry, &state)
        state.overlay = nil
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

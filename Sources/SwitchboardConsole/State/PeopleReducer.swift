import Foundation
import SwitchboardCore
import TerminalUI

/// The site's people and things during an incident: hand-overs that the receiving console
/// accepts, roles picked from the staff list, spares taken from the shelf (`x`), and to-dos
/// ticked off (`t`). What is shown with `p` is the same reference data.
extension Reduction {
    /// The staff as pick-list entries: name, with their usual role and phone beside it.
    var staffOptions: [Form.PickOption] {
        state.reference.staff.map { member in
            Form.PickOption(member.name, detail: [member.role, member.phone].compactMap { $0 }.joined(separator: " · "))
        }
    }

    /// The spares as pick-list entries: the item, with how many are on hand and where.
    var spareOptions: [Form.PickOption] {
        state.reference.spares.map { spare in
            let onHand = spare.onHand(after: state.incident?.sparesUsed[spare.id] ?? 0).map { "\($0) on hand" }
            return Form.PickOption(spare.item, detail: [onHand, spare.location].compactMap { $0 }.joined(separator: " · "))
        }
    }

    /// `h`: accepts command offered to this console; otherwise hands command over.
    mutating func handoverKey() {
        guard let incident = openIncidentOrHint() else { return }
        if let pending = incident.pendingHandover, state.reference.person(pending.to, isServedBy: state.session.actor) {
            log(.handoff(from: pending.from, to: pending.to, .console, actor: state.session.actor,
                         role: incident.role(of: state.session.actor), at: state.site.now))
            showHint("you take command of \(incident.id) from \(pending.from)")
            return
        }
        startForm(.handover)
    }

    /// `x`: logs a spare part taken from the shelf.
    mutating func useSpareKey() {
        guard openIncidentOrHint() != nil else { return }
        guard !state.reference.spares.isEmpty else {
            showHint("the site config lists no spares (spares:)")
            return
        }
        startForm(.useSpare)
    }

    /// `t`: the open to-dos.
    mutating func openTodoList() {
        guard let incident = openIncidentOrHint() else { return }
        guard !incident.openTodos.isEmpty else {
            showHint("no open to-dos · n logs one (kind todo)")
            return
        }
        state.viewer.show(.todos(ListCursor()))
    }

    mutating func handleTodoListKey(_ key: Key, _ cursor: ListCursor) {
        let todos = state.incident?.openTodos ?? []
        var cursor = cursor
        switch key {
        case .escape, .character("q"), .character("t"):
            state.viewer.close()
            return
        case .up, .character("k"): cursor.move(by: -1, in: todos.count)
        case .down, .character("j"), .tab: cursor.move(by: 1, in: todos.count)
        case .enter, .character("d"):
            guard let incident = state.incident, !todos.isEmpty else { return }
            let todo = todos[cursor.clamped(to: todos.count)]
            guard !state.session.unsaved.contains(where: { $0.kind == LogKind.todoDone && $0["todo"]?.int == todo.seq }) else {
                showHint("saving… the to-do is being logged as done")
                return
            }
            log(.todoDone(seq: todo.seq, text: todo.text, actor: state.session.actor, role: incident.role(of: state.session.actor),
                          at: state.site.now))
            if todos.count == 1 { state.viewer.close() }
            return
        default:
            break
        }
        state.viewer.update(.todos(cursor))
    }

    /// The forms of this side of the console.
    func peopleForm(_ purpose: Form.Purpose) -> Form? {
        let incident = state.incident
        switch purpose {
        case .handover:
            let pending = incident?.pendingHandover.map { " Offered to \($0.to), not yet accepted." } ?? ""
            return Form(purpose: .handover, title: "Hand over command",
                        fields: [.pick(label: "To", input: TextInput(), options: staffOptions, picked: nil),
                                 .choice(label: "Accepted", options: ["on their console", "by voice, here"], selected: 0)],
                        explanation: "\(incident?.commander ?? "") holds command now.\(pending) On their console, h accepts it; "
                            + "a hand-over by voice changes command now.")
        case .assignRole:
            return Form(purpose: .assignRole, title: "Assign a role",
                        fields: [.choice(label: "Role", options: ConsoleReducer.roles, selected: 0),
                                 .pick(label: "Person", input: TextInput(), options: staffOptions, picked: nil)],
                        explanation: "Command itself changes hands with h.")
                .focusing(1)
        case .useSpare:
            return Form(purpose: .useSpare, title: "Use a spare part",
                        fields: [.pick(label: "Spare", input: TextInput(), options: spareOptions, picked: nil),
                                 .text(label: "Count", input: TextInput("1"), placeholder: "how many"),
                                 .pick(label: "By", input: TextInput(state.session.actor), options: staffOptions, picked: nil)],
                        explanation: "Logged as spare.used; the count on hand goes down for this incident.")
        default:
            return nil
        }
    }

    /// The entry a submitted people form logs, or what is missing.
    func peopleEntry(for form: Form, incident: IncidentState) -> Result<LogEntry, FormProblem> {
        let actor = state.session.actor
        let role = incident.role(of: actor)
        let now = state.site.now
        switch form.purpose {
        case .handover:
            let person = form.text(0)
            guard !person.isEmpty else { return .failure(FormProblem("say who takes command")) }
            guard person != incident.commander else { return .failure(FormProblem("\(person) already holds command")) }
            let byVoice = form.choice(1) == "by voice, here"
            return .success(.handoff(from: incident.commander, to: person, byVoice ? .voice : .offered, actor: actor, role: role, at: now))
        case .assignRole:
            guard !form.text(1).isEmpty else { return .failure(FormProblem("say who takes the role")) }
            return .success(.roleAssigned(form.choice(0), to: form.text(1), actor: actor, role: role, at: now))
        case .useSpare:
            let chosen = form.text(0)
            guard let spare = state.reference.spares.first(where: {
                $0.item.caseInsensitiveCompare(chosen) == .orderedSame || $0.id.caseInsensitiveCompare(chosen) == .orderedSame
            }) else { return .failure(FormProblem("pick one of the site's spares (↑ ↓)")) }
            guard let count = Int(form.text(1)), (1...10_000).contains(count) else {
                return .failure(FormProblem("the count is a whole number, 1 or more"))
            }
            let by = form.text(2).isEmpty ? actor : form.text(2)
            return .success(.spareUsed(spare, count: count, by: by, actor: actor, role: role, at: now))
        default:
            return .failure(FormProblem("not a people form"))
        }
    }
}

import Foundation
import SwitchboardCore
import TerminalUI

/// The site's reference data where the commander needs it (`p`): who holds which incident role
/// now, the on-site staff with their phones, the vendors with contract numbers, hours and
/// escalation notes, and the spares with how many are left on the shelf.
struct PeopleView {
    let theme: Theme

    func lines(_ state: ConsoleState) -> [StyledLine] {
        let reference = state.reference
        var lines: [StyledLine] = []
        func heading(_ text: String) {
            if !lines.isEmpty { lines.append(StyledLine()) }
            lines.append(StyledLine(text, style: theme.label.with(.bold)))
        }
        func row(_ columns: [(String, Int)], detail: String = "", style: Style = .plain) {
            var line = StyledLine("  ")
            for (index, (text, width)) in columns.enumerated() {
                line.append(Sanitizer.line(text).truncated(toWidth: width - 1).padded(toWidth: width),
                            style: index == 0 ? style.with(.bold) : style)
            }
            if !detail.isEmpty { line.append(Sanitizer.line(detail), style: theme.dim) }
            lines.append(line)
        }
        func indented(_ text: String) { lines.append(StyledLine("      " + Sanitizer.line(text), style: theme.dim)) }

        if let incident = state.incident {
            heading("Incident roles now · \(incident.id)")
            row([("incident commander", 22), (incident.commander, 24)])
            if let pending = incident.pendingHandover {
                row([("command offered to", 22), (pending.to, 24)], detail: "at \(TimeText.clock(pending.at)), not yet accepted",
                    style: theme.style(for: .warning))
            }
            for role in incident.roles { row([(role.role, 22), (role.person, 24)]) }
        }

        heading("On-site staff")
        if reference.staff.isEmpty { lines.append(StyledLine("  none listed (staff: in the site config)", style: theme.dim)) }
        for member in reference.staff {
            let holding = state.incident.map { incident in
                ([incident.commander.caseInsensitiveCompare(member.name) == .orderedSame ? "incident commander" : nil]
                 + incident.roles.filter { $0.person.caseInsensitiveCompare(member.name) == .orderedSame }.map(\.role))
                    .compactMap { $0 }
            } ?? []
            row([(member.name, 20), (member.role ?? "", 16), (member.phone ?? "", 18)],
                detail: holding.isEmpty ? "" : "now: " + holding.joined(separator: ", "))
            for extra in [member.email, member.notes].compactMap({ $0 }) { indented(extra) }
        }

        heading("Vendor contacts")
        if reference.contacts.isEmpty { lines.append(StyledLine("  none listed (contacts: in the site config)", style: theme.dim)) }
        for contact in reference.contacts {
            row([(contact.name, 38), (contact.phone ?? "", 18)], detail: contact.hours ?? "")
            if let contract = contact.contract { indented("contract " + contract) }
            for extra in [contact.email, contact.notes].compactMap({ $0 }) { indented(extra) }
        }

        heading("Spares" + (state.incident == nil ? "" : " · on hand for this incident"))
        if reference.spares.isEmpty { lines.append(StyledLine("  none listed (spares: in the site config)", style: theme.dim)) }
        for spare in reference.spares {
            let used = state.incident?.sparesUsed[spare.id] ?? 0
            let onHand = spare.onHand(after: used)
            let count = onHand.map { "\($0) on hand" } ?? "count not kept"
            row([(spare.item, 38), (count, 12)], detail: [spare.location, used > 0 ? "\(used) used" : nil].compactMap { $0 }.joined(separator: " · "),
                style: onHand == 0 ? theme.style(for: .warning) : .plain)
            if let notes = spare.notes { indented(notes) }
        }
        lines.append(StyledLine())
        lines.append(StyledLine("h  hand over · x  use a spare · t  to-dos · i then a  assign a role", style: theme.dim))
        return lines
    }
}

/// The open to-dos (`t`): what was logged as to be done and is not done yet, oldest first.
struct TodoListView {
    let theme: Theme

    func draw(cursor: ListCursor, state: ConsoleState, in screen: Rect, into buffer: inout CellBuffer) {
        let inner = DialogView.width(in: screen) - 4
        let todos = state.incident?.openTodos ?? []
        let selected = cursor.clamped(to: todos.count)
        let shown = max(1, screen.height - 8)
        let first = min(max(0, selected - shown + 1), max(0, todos.count - shown))
        var lines: [StyledLine] = [StyledLine()]
        for (index, todo) in todos.enumerated().dropFirst(first).prefix(shown) {
            let marked = { (style: Style) in index == selected ? style.with(theme.selection.attributes) : style }
            let saving = state.session.unsaved.contains { $0.kind == LogKind.todoDone && $0["todo"]?.int == todo.seq }
            var line = StyledLine(index == selected ? theme.glyphs.selectionMarker + " " : "  ", style: marked(.plain))
            line.append("#\(todo.seq) ".padded(toWidth: 7), style: marked(theme.dim))
            line.append(Sanitizer.line(todo.text).truncated(toWidth: max(0, inner - 9 - (saving ? 9 : 0))), style: marked(.plain))
            if saving { line.append(" saving…", style: marked(theme.dim)) }
            lines.append(line)
        }
        lines.append(StyledLine())
        lines.append(StyledLine("d or Enter  done · ↑↓  choose · Esc  close", style: theme.dim))
        DialogView(theme: theme).drawBox(title: "Open to-dos (\(todos.count))", lines: lines, in: screen, into: &buffer)
    }
}

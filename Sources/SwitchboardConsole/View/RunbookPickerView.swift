import SwitchboardCore
import TerminalUI

/// The `r` list over the console: running runbooks first (Enter shows them), then the ones
/// whose triggers hold, then the rest, then broken files with their first problem. Typing filters.
struct RunbookPickerView {
    let theme: Theme

    func draw(_ picker: RunbookPicker, state: ConsoleState, in rect: Rect, into buffer: inout CellBuffer) {
        buffer.fill(rect)
        let (titleRow, rest) = rect.splitTop(1)
        let (filterRow, listAndFooter) = rest.splitTop(2)
        let (list, footer) = listAndFooter.splitTop(listAndFooter.height - 2)
        buffer.fill(titleRow, style: theme.header)
        let count = state.runbooks.runbooks.count
        buffer.write(" runbooks · \(count) ready" + (state.runbooks.broken.isEmpty ? "" : " · \(state.runbooks.broken.count) broken"),
                     x: titleRow.x, y: titleRow.y, style: theme.header, limit: titleRow.width)

        var x = filterRow.x + 1
        x += buffer.write("filter: ", x: x, y: filterRow.y, style: theme.label)
        let (visible, cursor) = DialogView.window(picker.filter, width: filterRow.maxX - x - 2)
        buffer.write(visible.isEmpty ? "" : visible, x: x, y: filterRow.y)
        buffer.restyle(Rect(x: x + cursor, y: filterRow.y, width: 1, height: 1)) { $0.with(.reverse) }

        let entries = RunbookPickerEntry.entries(state, filter: picker.filter.trimmed)
        if entries.isEmpty {
            buffer.write("  no runbook matches", x: list.x, y: list.y, style: theme.dim, limit: list.width)
        }
        let selected = picker.cursor.clamped(to: entries.count)
        let first = min(max(0, selected - list.height + 1), max(0, entries.count - list.height))
        for (offset, entry) in entries.enumerated().dropFirst(first).prefix(list.height).map({ $0 }).enumerated() {
            let y = list.y + offset
            var column = list.x + 1
            let isSelected = entry.offset == selected
            column += buffer.write(isSelected ? theme.glyphs.selectionMarker + " " : "  ", x: column, y: y)
            let (tag, tagStyle, name, note) = describe(entry.element)
            column += buffer.write(tag.padded(toWidth: 10), x: column, y: y, style: tagStyle)
            column += buffer.write(Sanitizer.line(name), x: column, y: y, style: .plain.with(.bold), limit: max(0, list.maxX - column - 2))
            buffer.write("  " + note, x: column, y: y, style: theme.dim, limit: max(0, list.maxX - column - 1))
            if isSelected { buffer.restyle(Rect(x: list.x, y: y, width: list.width, height: 1)) { $0.with(theme.selection.attributes) } }
        }

        var keys = footer.x
        let action: String
        switch entries.indices.contains(selected) ? entries[selected] : nil {
        case .running?: action = "show"
        case .broken?: action = "why broken"
        case nil: action = "—"
        default: action = state.incident == nil ? "open an incident and start" : "start"
        }
        for (key, text) in [("Enter", action), ("↑↓", "choose"), ("type", "filter"), ("Esc", "close")] {
            keys += buffer.write(" \(key) ", x: keys, y: footer.maxY - 1, style: theme.key)
            keys += buffer.write(" \(text) ", x: keys, y: footer.maxY - 1)
        }
    }

    private func describe(_ entry: RunbookPickerEntry) -> (String, Style, String, String) {
        switch entry {
        case .running(let runbook, let run):
            return ("RUNNING", theme.label.with(.bold), runbook.title, StepperView.progressText(run, runbook))
        case .suggested(let runbook):
            return ("SUGGESTED", theme.style(for: .warning), runbook.title,
                    runbook.triggers.map(\.text).joined(separator: " or "))
        case .available(let runbook):
            return ("", .plain, runbook.title, "\(runbook.id) · \(runbook.steps.count) step\(runbook.steps.count == 1 ? "" : "s")" + (runbook.severity.map { " · \($0.rawValue)" } ?? ""))
        case .broken(let broken):
            return ("BROKEN", theme.style(for: .critical), broken.title ?? broken.id ?? broken.file,
                    broken.problems.first?.description ?? "")
        }
    }
}

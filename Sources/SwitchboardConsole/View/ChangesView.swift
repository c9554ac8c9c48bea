import Foundation
import SwitchboardCore
import TerminalUI

/// The recent state changes, newest first: what changed, when, from what to what. Until an
/// incident is opened these are the console's memory only, and the title says so.
struct ChangesView {
    let theme: Theme

    func draw(_ state: ConsoleState, in rect: Rect, into buffer: inout CellBuffer) {
        guard !rect.isEmpty else { return }
        let focused = state.focus == .changes
        let (titleRow, rows) = rect.splitTop(1)
        buffer.fill(titleRow, with: theme.glyphs.rule, style: theme.dim)
        buffer.write(" RECENT CHANGES ", x: titleRow.x, y: titleRow.y, style: focused ? theme.focusedPaneTitle : theme.paneTitle)
        let note = " not logged: no incident open "
        buffer.write(note, x: titleRow.maxX - DisplayWidth.of(note) - 1, y: titleRow.y, style: theme.dim)

        let changes = state.site.changes
        guard !changes.isEmpty else {
            if !rows.isEmpty {
                buffer.write("  no changes since \(TimeText.clock(state.site.startedAt)) UTC",
                             x: rows.x, y: rows.y, style: theme.dim, limit: rows.width)
            }
            return
        }
        let scroll = min(state.changesScroll, changes.count - 1)
        let first = max(0, scroll - rows.height + 1)
        let newestFirst = changes.reversed().dropFirst(first).prefix(rows.height)
        let idWidth = ProbeRowView.idWidth(for: state.site)
        for (offset, change) in newestFirst.enumerated() {
            let y = rows.y + offset
            var x = rows.x
            let isSelected = focused && first + offset == scroll
            x += buffer.write(isSelected ? theme.glyphs.selectionMarker : " ", x: x, y: y)
            x += buffer.write(TimeText.clock(change.at) + " ", x: x, y: y, style: theme.dim)
            x += buffer.write(change.probeID.padded(toWidth: idWidth) + " ", x: x, y: y, style: .plain.with(.bold))
            x += buffer.write(Theme.word(for: change.from).padded(toWidth: 5), x: x, y: y, style: theme.style(for: change.from))
            x += buffer.write(" \(theme.glyphs.arrow) ", x: x, y: y, style: theme.dim)
            x += buffer.write(Theme.word(for: change.to).padded(toWidth: 6), x: x, y: y, style: theme.style(for: change.to))
            buffer.write(change.summary.truncated(toWidth: rows.maxX - x - 1), x: x, y: y)
            if isSelected { buffer.restyle(Rect(x: rows.x, y: y, width: rows.width, height: 1)) { $0.with(theme.selection.attributes) } }
        }
    }
}

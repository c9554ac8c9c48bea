import Foundation
import SwitchboardCore
import TerminalUI

/// The column beside or under the panes, newest first. While an incident is open it is the
/// action log: every record, colour-coded by kind, entries not yet on disk marked as unsaved,
/// filtered by `/`. Without an incident it lists the recent state changes, which are the
/// console's memory only, and its title says so.
struct TimelineView {
    let theme: Theme

    func draw(_ state: ConsoleState, in rect: Rect, into buffer: inout CellBuffer) {
        guard !rect.isEmpty else { return }
        let (titleRow, rows) = rect.splitTop(1)
        buffer.fill(titleRow, with: theme.glyphs.rule, style: theme.dim)
        if let incident = state.incident {
            drawLog(incident, state, title: titleRow, rows: rows, into: &buffer)
        } else {
            drawChanges(state, title: titleRow, rows: rows, into: &buffer)
        }
    }

    private func drawTitle(_ title: String, note: String, focused: Bool, in row: Rect, into buffer: inout CellBuffer) {
        let used = buffer.write(" \(title) ", x: row.x, y: row.y, style: focused ? theme.focusedPaneTitle : theme.paneTitle)
        let room = row.width - used - 2
        guard room > 4 else { return }
        let text = " " + note.truncated(toWidth: room - 2) + " "
        buffer.write(text, x: row.maxX - DisplayWidth.of(text) - 1, y: row.y, style: theme.dim)
    }

    // MARK: - The action log

    private func drawLog(_ incident: IncidentState, _ state: ConsoleState, title: Rect, rows: Rect, into buffer: inout CellBuffer) {
        let focused = state.viewer.focus == .timeline
        let items = state.timelineItems
        let shown = incident.recordCount - incident.sealCount
        var note = "\(shown) record\(shown == 1 ? "" : "s")"
        if !state.session.unsaved.isEmpty { note += " · \(state.session.unsaved.count) unsaved" }
        if let search = state.viewer.search {
            note = "/\(search.query.text) · \(items.count) match\(items.count == 1 ? "" : "es")" + (search.editing ? "" : " · Esc clears")
        }
        drawTitle("ACTION LOG", note: note, focused: focused, in: title, into: &buffer)
        guard !rows.isEmpty else { return }
        guard !items.isEmpty else {
            buffer.write(state.viewer.search == nil ? "  no records yet" : "  no record matches", x: rows.x, y: rows.y,
                         style: theme.dim, limit: rows.width)
            return
        }
        let scroll = state.viewer.timelineCursor.clamped(to: items.count)
        let first = max(0, scroll - rows.height + 1)
        let text = LogText(theme: theme)
        let actorWidth = min(10, max(5, incident.recent.suffix(200).map { DisplayWidth.of($0.actor) }.max() ?? 5))
        let seqWidth = String(incident.recordCount + state.session.unsaved.count).count + 1
        for (offset, item) in items.dropFirst(first).prefix(rows.height).enumerated() {
            let y = rows.y + offset
            let entry = item.entry
            var x = rows.x
            x += buffer.write(focused && first + offset == scroll ? theme.glyphs.selectionMarker : " ", x: x, y: y)
            // A drill's log is on scenario time: T+12:30, as wide as a clock.
            let time = incident.drill.map { TimeText.scenario($0.elapsed(at: entry.at)).padded(toWidth: 8, alignRight: true) }
                ?? TimeText.clock(entry.at)
            x += buffer.write(time + " ", x: x, y: y, style: theme.dim)
            switch item {
            case .record(let record):
                x += buffer.write("#\(record.seq)".padded(toWidth: seqWidth) + " ", x: x, y: y, style: theme.dim)
            case .unsaved:
                x += buffer.write("…".padded(toWidth: seqWidth) + " ", x: x, y: y, style: theme.dim)
            }
            x += buffer.write(Sanitizer.line(entry.actor).truncated(toWidth: actorWidth).padded(toWidth: actorWidth) + " ",
                              x: x, y: y)
            x += buffer.write(LogText.tag(for: entry.kind).padded(toWidth: 6) + " ", x: x, y: y, style: text.tagStyle(for: entry))
            var line = text.line(for: entry)
            switch item {
            case .record(let record) where incident.amendedSeqs.contains(record.seq):
                line.append(" (corrected)", style: theme.style(for: .warning))
            case .unsaved:
                // First, so a long line cannot push it out of sight.
                let marker = state.session.logFailure == nil
                    ? StyledLine.Span(text: "saving… ", style: theme.dim)
                    : StyledLine.Span(text: "NOT SAVED · ", style: theme.style(for: .critical))
                line.spans.insert(marker, at: 0)
            default:
                break
            }
            buffer.write(line, x: x, y: y, limit: rows.maxX - x - 1)
            if case .unsaved = item {
                buffer.restyle(Rect(x: rows.x, y: y, width: x - rows.x, height: 1)) { $0.with(.dim) }
            }
            if focused && first + offset == scroll {
                buffer.restyle(Rect(x: rows.x, y: y, width: rows.width, height: 1)) { $0.with(theme.selection.attributes) }
            }
        }
    }

    // MARK: - Recent changes, before an incident

    private func drawChanges(_ state: ConsoleState, title: Rect, rows: Rect, into buffer: inout CellBuffer) {
        let focused = state.viewer.focus == .timeline
        let note = state.session.opening ? "opening the incident…" : "not logged: no incident open · i opens one"
        drawTitle("RECENT CHANGES", note: note, focused: focused, in: title, into: &buffer)
        let changes = state.site.changes
        guard !changes.isEmpty else {
            if !rows.isEmpty {
                buffer.write("  no changes since \(TimeText.clock(state.site.startedAt)) UTC",
                             x: rows.x, y: rows.y, style: theme.dim, limit: rows.width)
            }
            return
        }
        let scroll = state.viewer.timelineCursor.clamped(to: changes.count)
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
            x += buffer.write(change.from.word.padded(toWidth: 5), x: x, y: y, style: theme.style(for: change.from))
            x += buffer.write(" \(theme.glyphs.arrow) ", x: x, y: y, style: theme.dim)
            x += buffer.write(change.to.word.padded(toWidth: 6), x: x, y: y, style: theme.style(for: change.to))
            buffer.write(change.summary.truncated(toWidth: rows.maxX - x - 1), x: x, y: y)
            if isSelected { buffer.restyle(Rect(x: rows.x, y: y, width: rows.width, height: 1)) { $0.with(theme.selection.attributes) } }
        }
    }
}

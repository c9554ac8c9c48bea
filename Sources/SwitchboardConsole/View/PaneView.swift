import Foundation
import SwitchboardCore
import TerminalUI

/// What a pane shows in the rows it has: every probe in config order when they fit. When they do
/// not, the problems first (critical, warning, unknown, stale), the selected probe while the pane
/// has focus, and the rest folded into one last row, so a problem is never the row left out.
enum PaneRows: Equatable {
    /// A probe, by its index in the pane.
    case probe(Int)
    /// The probes there was no room for.
    case folded([ProbeState])
    /// A pane of one row: its worst problem, and what else it holds, at the row's end.
    case probeAndFolded(Int, [ProbeState])

    static func fitting(_ probes: [ProbeState], in site: SiteState, rows: Int, selected: Int?) -> [PaneRows] {
        guard probes.count > rows else { return probes.indices.map(PaneRows.probe) }
        guard rows > 0 else { return [] }
        let severity = probes.map { site.displayStatus(of: $0).severity }
        let problems = probes.indices.filter { severity[$0] >= DisplayStatus.stale.severity }
            .sorted { severity[$0] != severity[$1] ? severity[$0] > severity[$1] : $0 < $1 }
        // One row for what is folded; with one row only, the worst problem if there is one.
        if rows == 1 {
            guard let worst = problems.first else { return [.folded(probes)] }
            return [.probeAndFolded(worst, probes.indices.filter { $0 != worst }.map { probes[$0] })]
        }
        var shown = Array(problems.prefix(rows - 1))
        if let selected, !shown.contains(selected) {
            if shown.count == rows - 1 { shown.removeLast() }
            shown.append(selected)
        }
        let hidden = probes.indices.filter { !shown.contains($0) }.map { probes[$0] }
        return shown.map(PaneRows.probe) + [.folded(hidden)]
    }
}

/// One status pane: a title row with the pane's worst status, then a row per probe.
struct PaneView {
    let theme: Theme

    func draw(_ pane: Pane, state: ConsoleState, in rect: Rect, into buffer: inout CellBuffer) {
        guard !rect.isEmpty else { return }
        let focused = state.viewer.focus == .pane(pane)
        let probes = state.site.probes(in: pane)
        drawTitle(pane, worst: state.site.worstStatus(in: pane), count: probes.count, focused: focused,
                  at: rect.splitTop(1).top, into: &buffer)
        let rows = rect.splitTop(1).rest
        guard !rows.isEmpty else { return }
        guard !probes.isEmpty else {
            buffer.write("  no probes in this pane", x: rows.x, y: rows.y, style: theme.dim, limit: rows.width)
            return
        }
        let selected = state.viewer.paneCursors[pane, default: ListCursor()].clamped(to: probes.count)
        let rowView = ProbeRowView(theme: theme, idWidth: ProbeRowView.idWidth(for: state.site))
        let shown = PaneRows.fitting(probes, in: state.site, rows: rows.height, selected: focused ? selected : nil)
        for (offset, row) in shown.enumerated() {
            let rect = Rect(x: rows.x, y: rows.y + offset, width: rows.width, height: 1)
            switch row {
            case .probe(let index):
                rowView.draw(probes[index], site: state.site, selected: focused && index == selected, in: rect, into: &buffer)
            case .folded(let hidden):
                drawFolded(hidden, site: state.site, in: rect, into: &buffer)
            case .probeAndFolded(let index, let hidden):
                let counts = foldedCounts(hidden, site: state.site)
                let width = counts.map { DisplayWidth.of($0.text) + 1 }.reduce(1, +)
                let split = rect.splitLeft(max(0, rect.width - width))
                rowView.draw(probes[index], site: state.site, selected: focused && index == selected, in: split.left, into: &buffer)
                var x = split.rest.x + 1
                for count in counts { x += buffer.write(count.text + " ", x: x, y: rect.y, style: count.style, limit: rect.maxX - x) }
            }
        }
    }

    /// `  +1 CRIT  +3 OK   fw-primary fw-standby crm-vendor`: what the pane had no room for,
    /// counted by status, worst first, then their ids as room allows.
    private func drawFolded(_ hidden: [ProbeState], site: SiteState, in rect: Rect, into buffer: inout CellBuffer) {
        var x = rect.x + 2
        for count in foldedCounts(hidden, site: site) {
            x += buffer.write(count.text, x: x, y: rect.y, style: count.style, limit: rect.maxX - x)
            x += 2
        }
        let ids = " " + hidden.map(\.spec.id).joined(separator: " ")
        buffer.write(ids, x: x, y: rect.y, style: theme.dim, limit: max(0, rect.maxX - x - 1))
    }

    /// `+1 CRIT`, `+3 OK`: the folded probes counted by status, worst first, problems in their style.
    private func foldedCounts(_ hidden: [ProbeState], site: SiteState) -> [(text: String, style: Style)] {
        let statuses = hidden.map(site.displayStatus(of:))
        return DisplayStatus.allCases.sorted { $0.severity > $1.severity }.compactMap { status in
            let count = statuses.filter { $0 == status }.count
            guard count > 0 else { return nil }
            return ("+\(count) \(status.word)", status == .ok || status == .pending ? theme.dim : theme.style(for: status))
        }
    }

    private func drawTitle(_ pane: Pane, worst: DisplayStatus?, count: Int, focused: Bool, at rect: Rect,
                           into buffer: inout CellBuffer) {
        let titleStyle = focused ? theme.focusedPaneTitle : theme.paneTitle
        buffer.fill(rect, with: theme.glyphs.rule, style: theme.dim)
        var x = rect.x
        x += buffer.write(" \(pane.title) ", x: x, y: rect.y, style: titleStyle)
        if let worst {
            x += buffer.write(" ", x: x, y: rect.y, style: theme.dim)
            x += buffer.write(" \(theme.glyphs.status[worst] ?? "") \(worst.word) ", x: x, y: rect.y,
                              style: theme.style(for: worst))
        }
        let countText = " \(count) probe\(count == 1 ? "" : "s") "
        buffer.write(countText, x: rect.maxX - DisplayWidth.of(countText) - 1, y: rect.y, style: theme.dim)
    }
}

/// One probe's row: status badge, id, summary, main value, sparkline, time in this state.
struct ProbeRowView {
    let theme: Theme
    let idWidth: Int

    /// The id column fits the site's longest id, within reason, so every pane lines up.
    static func idWidth(for site: SiteState) -> Int {
        min(18, max(8, site.probes.map { DisplayWidth.of($0.spec.id) }.max() ?? 0))
    }

    /// Column widths, chosen by the row's width.
    struct Columns {
        var value = 8
        var sparkline: Int
        var age = 5

        init(width: Int) {
            sparkline = width >= 110 ? 16 : 8
        }
    }

    func draw(_ probe: ProbeState, site: SiteState, selected: Bool, in rect: Rect, into buffer: inout CellBuffer) {
        let columns = Columns(width: rect.width)
        let status = site.displayStatus(of: probe)
        let statusStyle = theme.style(for: status)
        var x = rect.x
        x += buffer.write(selected ? theme.glyphs.selectionMarker : " ", x: x, y: rect.y)
        x += buffer.write("\(theme.glyphs.status[status] ?? "?") \(status.word)".padded(toWidth: 7),
                          x: x, y: rect.y, style: statusStyle)
        x += 1
        x += buffer.write(probe.spec.id.padded(toWidth: idWidth), x: x, y: rect.y, style: .plain.with(.bold))
        x += 1
        let age = probe.since.map { TimeText.age(site.now.timeIntervalSince($0)) } ?? "—"
        if let queue = probe.latest?.observation, queue.metric("target") != nil {
            drawQueue(queue, probe: probe, status: status, in: Rect(x: x, y: rect.y, width: rect.maxX - x - columns.age - 1, height: 1),
                      into: &buffer)
            buffer.write(age.padded(toWidth: columns.age, alignRight: true), x: rect.maxX - columns.age, y: rect.y, style: theme.dim)
            if selected { buffer.restyle(rect) { $0.with(theme.selection.attributes) } }
            return
        }

        // A probe with no numbers to show lends the value and sparkline columns to its summary.
        let value = probe.mainMetric?.value.display ?? ""
        let showsNumbers = !value.isEmpty || !probe.series.isEmpty
        let numbersWidth = showsNumbers ? 1 + columns.value + 1 + columns.sparkline : 0
        let summaryWidth = max(0, rect.maxX - x - numbersWidth - 1 - columns.age - 1)
        buffer.write(summary(probe, status: status).padded(toWidth: summaryWidth), x: x, y: rect.y,
                     style: status == .pending || status == .stale ? theme.dim : .plain)
        x += summaryWidth

        if showsNumbers {
            x += 1
            x += buffer.write(value.padded(toWidth: columns.value, alignRight: true), x: x, y: rect.y)
            x += 1
            x += buffer.write(Sparkline.render(probe.series, width: columns.sparkline, glyphs: theme.glyphs.sparkline),
                              x: x, y: rect.y, style: theme.label)
        }
        x += 1
        buffer.write(age.padded(toWidth: columns.age, alignRight: true), x: x, y: rect.y, style: theme.dim)

        if selected { buffer.restyle(rect) { $0.with(theme.selection.attributes) } }
    }

    /// A queue's row (kind `agents`): service level against target and its trend, calls
    /// waiting and the longest wait, agents needed against staffed (red when short), then
    /// free, busy and away agents as room allows. Figures kept from before a feed broke are dim.
    private func drawQueue(_ reading: ProbeObservation, probe: ProbeState, status: DisplayStatus, in rect: Rect,
                           into buffer: inout CellBuffer) {
        func number(_ name: String) -> Int? { reading.metric(name)?.number.map { Int(saturating: $0.rounded()) } }
        let kept = status == .stale
        let plain = kept ? theme.dim : Style.plain
        var x = rect.x
        let level = number("service_level").map { "\($0)%" } ?? "—"
        let target = number("target").map { "/\($0)%" } ?? ""
        let belowTarget = (reading.metric("service_level")?.number ?? 100) < (reading.metric("target")?.number ?? 0)
        let levelStyle = kept ? theme.dim : belowTarget ? theme.style(for: .warning) : Style.plain.with(.bold)
        x += buffer.write((level + target).padded(toWidth: 8, alignRight: true), x: x, y: rect.y, style: levelStyle)
        x += 1
        x += buffer.write(Sparkline.render(probe.series, width: 8, glyphs: theme.glyphs.sparkline), x: x, y: rect.y, style: theme.label)
        let waiting = number("waiting") ?? 0
        let wait = waiting == 0 ? "none waiting" : "\(waiting) wait \(TimeText.countdown(reading.metric("longest_wait")?.number ?? 0))"
        var parts: [(String, Style)] = [(wait, plain)]
        if let needed = number("agents.needed"), let staffed = number("agents.staffed") {
            let short = needed > staffed
            parts.append(("need \(needed) have \(staffed)", kept ? theme.dim : short ? theme.style(for: .critical) : plain))
        } else if reading.metric("traffic") != nil {
            parts.append(("cannot keep up", kept ? theme.dim : theme.style(for: .critical)))
        }
        if let free = number("agents.available"), let busy = number("agents.busy"), let away = number("agents.away") {
            parts.append(("\(free) free \(busy) busy \(away) away", kept ? theme.dim : theme.label))
        }
        for (text, style) in parts {
            guard x + 2 + DisplayWidth.of(text) <= rect.maxX else { break }
            x += buffer.write("  " + text, x: x, y: rect.y, style: style)
        }
    }

    private func summary(_ probe: ProbeState, status: DisplayStatus) -> String {
        if status != .stale, let soft = probe.softProblem, let latest = probe.latest {
            let word = DisplayStatus(soft.status).word.lowercased()
            return "soft \(word) \(soft.attempt)/\(soft.of) · \(latest.observation.summary)"
        }
        switch status {
        case .pending:
            return "waiting for the first result"
        case .stale where probe.latest?.observation.keptFrom != nil:
            return probe.latest?.observation.summary ?? ""
        case .stale:
            let last = probe.latest.map { "last answer \(TimeText.clock($0.at)): \($0.observation.summary)" } ?? "never answered"
            return "no answer for \(Int(probe.spec.interval.seconds * 2))s+ · \(last)"
        default:
            return probe.latest?.observation.summary ?? ""
        }
    }
}

/// A sparkline of recent values, newest on the right. The scale starts at zero (or the lowest
/// value, if negative) so a small wobble on a large value does not look like a spike.
enum Sparkline {
    static func render(_ values: [Double], width: Int, glyphs: [Character]) -> String {
        guard width > 0 else { return "" }
        let recent = values.suffix(width)
        // Scaled by the finite values; an infinite one (a plugin's `1e400`) draws at the edge.
        let finite = recent.filter(\.isFinite)
        guard let lowest = finite.min(), let high = finite.max() else { return String(repeating: " ", count: width) }
        let low = min(0, lowest)
        let levels = glyphs.count - 1
        let line = recent.map { value -> Character in
            guard high > low else { return glyphs[0] }
            let level = Int(saturating: ((value - low) / (high - low) * Double(levels)).rounded())
            return glyphs[min(max(0, level), levels)]
        }
        return String(repeating: " ", count: width - line.count) + String(line)
    }
}

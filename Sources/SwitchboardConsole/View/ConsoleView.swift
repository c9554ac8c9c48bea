import Foundation
import SwitchboardCore
import TerminalUI

/// Draws the console: a pure function from `ConsoleState` to a `CellBuffer`.
public struct ConsoleView: Sendable {
    public let theme: Theme

    public init(theme: Theme) {
        self.theme = theme
    }

    public func render(_ state: ConsoleState) -> CellBuffer {
        var buffer = CellBuffer(size: state.size)
        if state.isTooSmall {
            drawTooSmall(state.size, into: &buffer)
            return buffer
        }
        let counts = Dictionary(Pane.allCases.map { ($0, state.site.probes(in: $0).count) }, uniquingKeysWith: +)
        let layout = ConsoleLayout(size: state.size, probeCounts: counts)
        drawHeader(state, in: layout.header, into: &buffer)
        for region in layout.panes {
            PaneView(theme: theme).draw(region.pane, state: state, in: region.rect, into: &buffer)
        }
        ChangesView(theme: theme).draw(state, in: layout.changes, into: &buffer)
        drawFooter(state, in: layout.footer, into: &buffer)
        switch state.overlay {
        case .probeDetail(let id, let scroll):
            if let probe = state.site.probe(id) {
                let lines = ProbeDetailView(theme: theme).lines(for: probe, site: state.site)
                OverlayFrame(theme: theme).draw(title: "\(probe.spec.id) · details", lines: lines, scroll: scroll,
                                                in: buffer.bounds, into: &buffer)
            }
        case .help(let scroll):
            OverlayFrame(theme: theme).draw(title: "keys", lines: HelpView(theme: theme).lines, scroll: scroll,
                                            in: buffer.bounds, into: &buffer)
        case nil:
            break
        }
        return buffer
    }

    private func drawHeader(_ state: ConsoleState, in rect: Rect, into buffer: inout CellBuffer) {
        buffer.fill(rect, style: theme.header)
        var x = rect.x + 1
        x += buffer.write("SWITCHBOARD", x: x, y: rect.y, style: theme.header)
        x += buffer.write("  ", x: x, y: rect.y, style: theme.header)
        let marker = state.site.isDemo ? " DEMO " : " LIVE "
        x += buffer.write(marker, x: x, y: rect.y, style: state.site.isDemo ? theme.demoMarker : theme.liveMarker)
        let clock = "\(TimeText.clock(state.site.now)) UTC "
        let right = "no incident open  " + clock
        let siteRoom = rect.maxX - x - DisplayWidth.of(right) - 4
        x += buffer.write("  " + Sanitizer.line(state.site.siteName).truncated(toWidth: siteRoom), x: x, y: rect.y, style: theme.header)
        buffer.write(right, x: rect.maxX - DisplayWidth.of(right), y: rect.y, style: theme.header)
    }

    private func drawFooter(_ state: ConsoleState, in rect: Rect, into buffer: inout CellBuffer) {
        if let hint = state.hint {
            buffer.fill(rect, style: theme.hint)
            buffer.write(" " + hint.text, x: rect.x, y: rect.y, style: theme.hint, limit: rect.width)
            return
        }
        let keys: [(String, String)] = [
            ("Tab", "pane"), ("↑↓", "select"), ("Enter", "details"), ("?", "help"), ("q", "quit"),
        ]
        var x = rect.x
        for (key, action) in keys {
            let needed = DisplayWidth.of(key) + DisplayWidth.of(action) + 3
            guard x + needed <= rect.maxX else { break }
            x += buffer.write(" \(key) ", x: x, y: rect.y, style: theme.key)
            x += buffer.write(" \(action) ", x: x, y: rect.y)
        }
        if state.site.isDemo {
            let note = "demo site: no switchboard.yaml found"
            if rect.maxX - x - 1 >= DisplayWidth.of(note) {
                buffer.write(note, x: rect.maxX - DisplayWidth.of(note) - 1, y: rect.y, style: theme.dim)
            }
        }
    }

    private func drawTooSmall(_ size: Size, into buffer: inout CellBuffer) {
        let minimum = ConsoleState.minimumSize
        let lines = [
            "terminal too small",
            "need \(minimum.width)×\(minimum.height), have \(size.width)×\(size.height)",
            "enlarge the window · q quits",
        ]
        let top = max(0, (size.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let text = line.truncated(toWidth: size.width)
            buffer.write(text, x: max(0, (size.width - DisplayWidth.of(text)) / 2), y: top + index,
                         style: index == 0 ? theme.label.with(.bold) : .plain)
        }
    }
}

import Foundation
import SwitchboardCore
import TerminalUI

/// Input to the console: something happened to the site, a key was pressed, or the terminal changed size.
public enum ConsoleInput: Sendable, Equatable {
    case site(SiteEvent)
    case key(Key)
    case resize(Size)
}

/// Folds console input into `ConsoleState`. Site events go to the site reducer; keys move focus,
/// selection and overlays. Like the site reducer it is pure and does no I/O.
public enum ConsoleReducer {
    static let hintDuration: TimeInterval = 4

    public static func reduce(_ state: inout ConsoleState, _ input: ConsoleInput) {
        switch input {
        case .site(let event):
            SiteReducer.reduce(&state.site, event)
            if let hint = state.hint, hint.until <= state.site.now { state.hint = nil }
        case .resize(let size):
            state.size = size
        case .key(let key):
            if state.overlay != nil {
                handleOverlayKey(key, &state)
            } else {
                handleKey(key, &state)
            }
        }
    }

    private static func handleKey(_ key: Key, _ state: inout ConsoleState) {
        switch key {
        case .tab: moveFocus(by: 1, &state)
        case .backTab: moveFocus(by: -1, &state)
        case .up, .character("k"): moveSelection(by: -1, &state)
        case .down, .character("j"): moveSelection(by: 1, &state)
        case .pageUp: moveSelection(by: -10, &state)
        case .pageDown: moveSelection(by: 10, &state)
        case .home: moveSelection(by: -Int.max / 2, &state)
        case .end: moveSelection(by: Int.max / 2, &state)
        case .enter: openDetail(&state)
        case .character("?"): state.overlay = .help(scroll: 0)
        case .character("q"): state.quitRequested = true
        case .escape: state.hint = nil
        case .control("l"): break // the run loop redraws the whole screen
        default: showUnknownKey(key, &state)
        }
    }

    private static func handleOverlayKey(_ key: Key, _ state: inout ConsoleState) {
        switch key {
        case .escape, .character("q"), .enter:
            state.overlay = nil
        case .character("?"):
            if case .help = state.overlay { state.overlay = nil } else { state.overlay = .help(scroll: 0) }
        case .up, .character("k"): scrollOverlay(by: -1, &state)
        case .down, .character("j"): scrollOverlay(by: 1, &state)
        case .pageUp: scrollOverlay(by: -(state.size.height - 4), &state)
        case .pageDown, .character(" "): scrollOverlay(by: state.size.height - 4, &state)
        case .home: scrollOverlay(by: -Int.max / 2, &state)
        case .end: scrollOverlay(by: Int.max / 2, &state)
        default: break
        }
    }

    private static func moveFocus(by step: Int, _ state: inout ConsoleState) {
        let order = ConsoleState.focusOrder(state.site)
        let current = order.firstIndex(of: state.focus) ?? 0
        state.focus = order[((current + step) % order.count + order.count) % order.count]
    }

    private static func moveSelection(by step: Int, _ state: inout ConsoleState) {
        switch state.focus {
        case .pane(let pane):
            let count = state.site.probes(in: pane).count
            guard count > 0 else { return }
            let current = state.selection[pane] ?? 0
            state.selection[pane] = min(max(0, current.addingReportingOverflow(step).partialValue), count - 1)
        case .changes:
            // The list is newest first: down goes back in time.
            let limit = max(0, state.site.changes.count - 1)
            state.changesScroll = min(max(0, state.changesScroll.addingReportingOverflow(step).partialValue), limit)
        }
    }

    private static func openDetail(_ state: inout ConsoleState) {
        switch state.focus {
        case .pane(let pane):
            guard let probe = state.selectedProbe(in: pane) else { return }
            state.overlay = .probeDetail(probeID: probe.spec.id, scroll: 0)
        case .changes:
            let changes = state.site.changes
            guard !changes.isEmpty else { return }
            let change = changes[changes.count - 1 - min(state.changesScroll, changes.count - 1)]
            state.overlay = .probeDetail(probeID: change.probeID, scroll: 0)
        }
    }

    /// Scrolls an overlay, never past its last page, so scrolling back always moves at once.
    private static func scrollOverlay(by step: Int, _ state: inout ConsoleState) {
        func clamped(_ scroll: Int, lines: Int) -> Int {
            OverlayFrame.clampedScroll(scroll.addingReportingOverflow(step).partialValue, lineCount: lines,
                                       visible: OverlayFrame.visibleLines(in: state.size))
        }
        // The line count does not depend on the theme; any theme will do to count.
        let theme = Theme.make(color: false, unicode: false)
        switch state.overlay {
        case .probeDetail(let id, let scroll):
            guard let probe = state.site.probe(id) else { return }
            let lines = ProbeDetailView(theme: theme).lines(for: probe, site: state.site).count
            state.overlay = .probeDetail(probeID: id, scroll: clamped(scroll, lines: lines))
        case .help(let scroll):
            state.overlay = .help(scroll: clamped(scroll, lines: HelpView(theme: theme).lines.count))
        case nil:
            break
        }
    }

    private static func showUnknownKey(_ key: Key, _ state: inout ConsoleState) {
        let name: String
        switch key {
        case .character(let character): name = "'\(Sanitizer.line(String(character)))'"
        case .control(let letter): name = "Ctrl-\(letter.uppercased())"
        default: name = "that key"
        }
        state.hint = Hint(text: "\(name) does nothing here · ? shows the keys", until: state.site.now.addingTimeInterval(hintDuration))
    }
}

import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardConsole
import TerminalUI

@Suite("Console reducer: keys move focus, selection and overlays")
struct ConsoleReducerTests {
    func state(_ keys: [Key]) -> TestConsole {
        var state = Fixtures.state(size: Size(width: 80, height: 24))
        state.press(keys)
        return state
    }

    @Test("Tab walks the panes in screen order, then recent changes, and wraps; Shift-Tab goes back")
    func focus() {
        #expect(state([]).viewer.focus == .pane(.power))
        #expect(state([.tab]).viewer.focus == .pane(.network))
        #expect(state([.tab, .tab, .tab, .tab]).viewer.focus == .timeline)
        #expect(state([.tab, .tab, .tab, .tab, .tab]).viewer.focus == .pane(.power))
        #expect(state([.backTab]).viewer.focus == .timeline)
    }

    @Test("Tab skips panes that have no probes")
    func skipsEmptyPanes() {
        let spec = ProbeSpec(id: "only", pane: .telephony, kind: "simulated")
        var state = TestConsole(ConsoleState(site: SiteState(siteName: "x", isDemo: false, specs: [spec], startedAt: Fixtures.start),
                                             size: Size(width: 80, height: 24)))
        #expect(state.viewer.focus == .pane(.telephony))
        state.send(.key(.tab))
        #expect(state.viewer.focus == .timeline)
    }

    @Test("arrows and j/k move the selection within the pane and stop at its ends")
    func selection() {
        #expect(state([.tab, .down]).selectedProbe(in: .network)?.spec.id == "isp-b")
        #expect(state([.tab, .character("j"), .character("j"), .character("j"), .character("j")])
            .selectedProbe(in: .network)?.spec.id == "fw-standby")
        #expect(state([.tab, .up, .character("k")]).selectedProbe(in: .network)?.spec.id == "isp-a")
        #expect(state([.tab, .end]).selectedProbe(in: .network)?.spec.id == "fw-standby")
    }

    @Test("Enter opens the selected probe's details; Esc closes them")
    func details() {
        #expect(state([.tab, .down, .enter]).viewer.modal == .probeDetail(probeID: "isp-b", scroll: Scroll()))
        #expect(state([.tab, .down, .enter, .escape]).viewer.modal == nil)
    }

    @Test("Enter on a recent change opens that probe's details")
    func changeDetails() {
        let state = state([.backTab, .enter])
        guard case .probeDetail(let id, _) = state.viewer.modal else {
            Issue.record("no detail open")
            return
        }
        #expect(id == state.site.changes.last?.probeID)
    }

    @Test("? opens help and toggles it closed; q closes an overlay before it quits")
    func helpAndQuit() {
        #expect(state([.character("?")]).viewer.modal == .help(scroll: Scroll()))
        #expect(state([.character("?"), .character("?")]).viewer.modal == nil)
        // F1 too, as in htop and mc; another F-key is named in the footer.
        #expect(state([.function(1)]).viewer.modal == .help(scroll: Scroll()))
        #expect(state([.function(1), .function(1)]).viewer.modal == nil)
        #expect(state([.function(5)]).viewer.hint?.text == "F5 does nothing here · ? shows the keys")
        #expect(!state([.character("?"), .character("q")]).quitRequested)
        #expect(state([.character("q")]).quitRequested)
    }

    @Test("keys that do nothing say so in the footer, and the hint goes away by itself")
    func unknownKey() {
        var state = state([.character("z")])
        #expect(state.viewer.hint?.text == "'z' does nothing here · ? shows the keys")
        state.send(.site(.clock(state.site.now.addingTimeInterval(5))))
        #expect(state.viewer.hint == nil)
    }

    @Test("a resize changes the size the view draws at")
    func resize() {
        var state = state([])
        state.send(.resize(Size(width: 60, height: 15)))
        #expect(state.isTooSmall)
        state.send(.resize(Size(width: 100, height: 30)))
        #expect(!state.isTooSmall)
    }

    @Test("key storms never move selection or scroll out of range")
    func storms() {
        let keys: [Key] = Array(repeating: .pageDown, count: 50) + Array(repeating: .up, count: 3)
        let pane = state([.tab] + keys)
        #expect(pane.selectedProbe(in: .network)?.spec.id == "isp-a")
        let changes = state([.backTab] + Array(repeating: .pageDown, count: 50))
        #expect(changes.viewer.timelineCursor.index == changes.site.changes.count - 1)
        #expect(state([.backTab] + Array(repeating: .pageDown, count: 50) + [.home]).viewer.timelineCursor.index == 0)
    }

    @Test("in recent changes (newest first) down moves to older changes")
    func changesDirection() {
        let state = state([.backTab, .down, .enter])
        let changes = state.site.changes
        #expect(state.viewer.timelineCursor.index == 1)
        #expect(state.viewer.modal == .probeDetail(probeID: changes[changes.count - 2].probeID, scroll: Scroll()))
    }

    @Test("overlays never scroll past their last page, so scrolling back moves at once")
    func overlayScroll() {
        let scrolled = state([.character("?")] + Array(repeating: .pageDown, count: 20))
        guard case .help(let bottom) = scrolled.viewer.modal else {
            Issue.record("help closed")
            return
        }
        #expect(bottom.top > 0)
        var back = scrolled
        back.send(.key(.up))
        #expect(back.viewer.modal == .help(scroll: Scroll(top: bottom.top - 1)))
    }
}

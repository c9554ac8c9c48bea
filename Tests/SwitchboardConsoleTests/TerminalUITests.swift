import Testing
@testable import SwitchboardConsole
import SwitchboardCore
@testable import TerminalUI

@Suite("Cell buffer and text fitting")
struct CellBufferTests {
    @Test("writing clips at the limit and the edge")
    func clipping() {
        var buffer = CellBuffer(size: Size(width: 10, height: 2))
        #expect(buffer.write("hello world", x: 2, y: 0, limit: 5) == 5)
        #expect(buffer.lines[0] == "  hello")
        buffer.write("abcdefghijkl", x: 5, y: 1)
        #expect(buffer.lines[1] == "     abcde")
    }

    @Test("wide characters take two cells and are never cut in half")
    func wide() {
        var buffer = CellBuffer(size: Size(width: 6, height: 1))
        #expect(buffer.write("東京x", x: 0, y: 0) == 5)
        #expect(buffer.lines[0] == "東京x")
        buffer.write("ab", x: 1, y: 0) // overwrites the right half of 東 and the left half of 京
        #expect(buffer.lines[0] == " ab x") // 京 lost its left half, so it is blanked
        var narrow = CellBuffer(size: Size(width: 3, height: 1))
        narrow.write("a東京", x: 0, y: 0)
        #expect(narrow.lines[0] == "a東")
    }

    @Test("truncation adds an ellipsis and respects display width")
    func truncation() {
        #expect("switchboard".truncated(toWidth: 6) == "switc…")
        #expect("東京東京".truncated(toWidth: 5) == "東京…")
        #expect("ok".padded(toWidth: 4, alignRight: true) == "  ok")
    }

    @Test("display width: combining marks add nothing, CJK and emoji two")
    func widths() {
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("東") == 2)
        #expect(DisplayWidth.of("🔥") == 2)
        #expect(DisplayWidth.of("·") == 1)
    }

    @Test("grapheme clusters are measured as the terminal places them; what terminals fuse differently is dropped",
          arguments: [
              ("👨\u{200D}👩\u{200D}👧", 6, "👨👩👧"), // ZWJ family: its people, every terminal alike
              ("🇺🇸", 2, "🇺🇸"), // a flag: two regional indicators of one column
              ("👍🏽", 2, "👍"), // skin-tone modifier dropped
              ("❤️", 1, "❤"), // variation selector dropped: text presentation
              ("का", 2, "का"), // Devanagari vowel sign AA is a spacing mark: its own column
              ("x\u{334}\u{321}\u{31B}", 1, "x\u{334}\u{321}\u{31B}"), // combining marks join their base
              ("ab\u{202E}cd\u{2066}e\u{061C}", 5, "abcde"), // bidi overrides, isolates and marks stripped
          ])
    func clusterWidths(_ text: String, _ columns: Int, _ drawn: String) {
        #expect(DisplayWidth.of(text) == columns)
        var buffer = CellBuffer(size: Size(width: 10, height: 1))
        #expect(buffer.write(text, x: 0, y: 0) == columns)
        #expect(buffer.lines[0] == drawn)
        let cells = (0..<columns).map { buffer[$0, 0].text }
        #expect(cells.allSatisfy { !$0.unicodeScalars.contains(where: DisplayWidth.isDropped) })
    }

    @Test("sparklines scale from zero so small wobbles stay small")
    func sparkline() {
        let glyphs = Theme.Glyphs.unicode.sparkline
        #expect(Sparkline.render([100, 99, 100], width: 4, glyphs: glyphs) == " ███")
        #expect(Sparkline.render([0, 50, 100], width: 3, glyphs: glyphs) == "▁▅█")
        #expect(Sparkline.render([], width: 3, glyphs: glyphs) == "   ")
    }
}

@Suite("Console layout")
struct ConsoleLayoutTests {
    let counts: [Pane: Int] = [.power: 2, .network: 5, .telephony: 3, .agents: 2]

    @Test("at 80×24 every pane gets its title and all its rows, and recent changes the rest")
    func standard() {
        let layout = ConsoleLayout(size: Size(width: 80, height: 24), probeCounts: counts)
        #expect(layout.panes.map(\.rect.height) == [3, 6, 4, 3])
        #expect(layout.timeline == Rect(x: 0, y: 17, width: 80, height: 6))
        #expect(layout.footer.y == 23)
    }

    @Test("when probes outnumber rows, panes share what is left and recent changes keep their minimum")
    func crowded() {
        let layout = ConsoleLayout(size: Size(width: 80, height: 24), probeCounts: [.power: 10, .network: 10, .telephony: 10, .agents: 10])
        #expect(layout.timeline.height == ConsoleLayout.minimumTimelineRows)
        #expect(layout.panes.allSatisfy { $0.rect.height >= 2 })
        #expect(layout.panes.last!.rect.maxY == layout.timeline.y)
    }

    @Test("from 150 columns recent changes stand to the right of the panes")
    func sideBySide() {
        let layout = ConsoleLayout(size: Size(width: 150, height: 40), probeCounts: counts)
        #expect(layout.timeline.x > layout.panes[0].rect.maxX - 1)
        #expect(layout.timeline.height == 38)
    }
}

import Testing
@testable import SwitchboardCore

@Suite("Sanitizing outside text")
struct SanitizerTests {
    @Test("CSI colour and cursor sequences are removed")
    func csi() {
        #expect(Sanitizer.line("\u{1B}[31mred\u{1B}[0m and \u{1B}[2J\u{1B}[Hclear") == "red and clear")
    }

    @Test("OSC title changes and hyperlinks are removed, with BEL or ST terminators")
    func osc() {
        #expect(Sanitizer.line("a\u{1B}]0;pwned\u{07}b") == "ab")
        #expect(Sanitizer.line("a\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\b") == "alinkb")
    }

    @Test("C0 and C1 controls, DEL and bidi overrides are dropped; tabs become spaces")
    func controls() {
        #expect(Sanitizer.line("a\u{07}b\u{08}c\u{7F}d\u{9B}31me\u{202E}f\tg") == "abcdef g")
    }

    @Test("one-line text folds line breaks; multi-line text keeps them")
    func lines() {
        #expect(Sanitizer.line("first\nsecond\r\nthird") == "first ⏎ second ⏎ third")
        #expect(Sanitizer.multiline("first\n\u{1B}[1msecond") == "first\nsecond")
    }

    @Test("invalid UTF-8 becomes replacement characters, never raw bytes")
    func invalidUTF8() {
        let text = Sanitizer.line(Sanitizer.decode([0x61, 0xFF, 0xFE, 0x62]))
        #expect(text == "a\u{FFFD}\u{FFFD}b")
    }

    @Test("ordinary text, including non-Latin scripts, is untouched")
    func plain() {
        #expect(Sanitizer.line("on battery · 83 % · Zürich 東京") == "on battery · 83 % · Zürich 東京")
    }
}

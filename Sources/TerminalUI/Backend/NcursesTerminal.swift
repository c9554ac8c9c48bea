import CNcursesw
import Glibc

/// The ncurses backend: the only type in Switchboard that calls curses.
///
/// It diffs each frame against the previous one and puts only changed cells, then flushes with a
/// single `doupdate()`. Colour pairs are allocated on first use. Debian's ncurses is not thread
/// safe: create, use and shut this down on one thread.
public final class NcursesTerminal: TerminalBackend {
    public enum SetupError: Error, CustomStringConvertible {
        case notATerminal
        case cannotInitialise(term: String)

        public var description: String {
            switch self {
            case .notATerminal:
                "the console needs a terminal, but standard input or output is not one"
            case .cannotInitialise(let term):
                "cannot initialise the terminal (TERM=\(term.isEmpty ? "unset" : term))"
            }
        }
    }

    public let inputDescriptor: Int32 = STDIN_FILENO
    public private(set) var size: Size
    public let supportsColor: Bool
    public let supportsUnicode: Bool

    private var screen: OpaquePointer?
    private var previous: CellBuffer?
    /// What has arrived of a paste whose end marker has not yet.
    private var pasting: String?
    private var pairs: [PairKey: Int16] = [:]
    private var isActive = true

    private struct PairKey: Hashable {
        var foreground: Color
        var background: Color
    }

    /// Takes over the terminal. `colorAllowed` is false when the user asked for no colour (`NO_COLOR`).
    public init(colorAllowed: Bool) throws(SetupError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        setlocale(LC_ALL, "")
        supportsUnicode = sb_locale_is_utf8() != 0
        CrashRestore.saveModes()
        guard let screen = sb_newterm() else {
            throw .cannotInitialise(term: getenv("TERM").map { String(cString: $0) } ?? "")
        }
        self.screen = screen
        set_term(screen)
        set_escdelay(25)
        cbreak()
        noecho()
        nonl()
        keypad(sb_stdscr(), true)
        nodelay(sb_stdscr(), true)
        curs_set(0)
        // Do not check for pending keys in the middle of an update: a frame goes out in one write.
        typeahead(-1)
        // Bracketed paste: the terminal marks pasted text, which arrives as one `.paste`.
        define_key(Self.pasteStart, Self.pasteStartCode)
        define_key(Self.pasteEnd, Self.pasteEndCode)
        // Shift-← and Shift-→ as xterm, tmux and most terminals send them, whatever terminfo says.
        define_key(Self.shiftLeft, KEY_SLEFT)
        define_key(Self.shiftRight, KEY_SRIGHT)
        Self.emit(Self.bracketedPasteOn)
        CrashRestore.install(extra: Self.bracketedPasteOff)
        var color = false
        if colorAllowed, has_colors() {
            start_color()
            use_default_colors()
            color = true
        }
        supportsColor = color
        size = Size(width: Int(sb_cols()), height: Int(sb_lines()))
    }

    public func present(_ frame: CellBuffer) {
        guard isActive else { return }
        let full = previous?.size != frame.size
        if full { werase(sb_stdscr()) }
        var text: [wchar_t] = []
        for y in 0..<min(frame.size.height, size.height) {
            for x in 0..<min(frame.size.width, size.width) {
                let cell = frame[x, y]
                if cell.text.isEmpty { continue } // right half of a wide character
                if !full, let previous, previous[x, y] == cell { continue }
                text.removeAll(keepingCapacity: true)
                for scalar in cell.text.unicodeScalars.prefix(CellBuffer.scalarsPerCell) { text.append(wchar_t(bitPattern: scalar.value)) }
                text.append(0)
                _ = sb_put_cell(Int32(y), Int32(x), text, attributes(cell.style.attributes), pair(for: cell.style))
            }
        }
        wnoutrefresh(sb_stdscr())
        doupdate()
        previous = frame
    }

    public func readKeys() -> [Key] {
        guard isActive else { return [] }
        var keys: [Key] = []
        var code: wint_t = 0
        while true {
            let result = wget_wch(sb_stdscr(), &code)
            if result == ERR { break }
            if result == KEY_CODE_YES, Int32(code) == Self.pasteStartCode {
                pasting = pasting ?? ""
            } else if result == KEY_CODE_YES, Int32(code) == Self.pasteEndCode {
                if let text = pasting { keys.append(.paste(text)) }
                pasting = nil
            } else if pasting != nil {
                // Inside a paste every key is text: Enter a line break, the rest as typed.
                if result == KEY_CODE_YES {
                    if Int32(code) == KEY_ENTER { pasting?.append("\n") }
                } else if let scalar = Unicode.Scalar(UInt32(code)) {
                    pasting?.unicodeScalars.append(scalar)
                }
                if let text = pasting, text.utf8.count > Self.pasteLimit { // an end marker lost: do not hold on forever
                    keys.append(.paste(text))
                    pasting = ""
                }
            } else if result == KEY_CODE_YES {
                // KEY_RESIZE only echoes our own resizeterm(): window changes arrive as SIGWINCH on
                // the owner. Answering it with another resize would loop forever.
                if Int32(code) != sb_key_resize() {
                    keys.append(Self.decode(functionKey: Int32(code)))
                }
            } else if let scalar = Unicode.Scalar(UInt32(code)) {
                keys.append(Self.decode(scalar))
            }
        }
        return keys
    }

    public func refreshSize() {
        guard isActive else { return }
        var rows: Int32 = 0
        var cols: Int32 = 0
        if sb_terminal_size(STDOUT_FILENO, &rows, &cols) == 0, rows > 0, cols > 0 {
            resizeterm(rows, cols)
        }
        size = Size(width: Int(sb_cols()), height: Int(sb_lines()))
        previous = nil
        clearok(sb_stdscr(), true)
    }

    public func suspend() {
        guard isActive else { return }
        Self.emit(Self.bracketedPasteOff)
        def_prog_mode()
        curs_set(1)
        endwin()
    }

    public func resume() {
        guard isActive else { return }
        reset_prog_mode()
        Self.emit(Self.bracketedPasteOn)
        curs_set(0)
        refreshSize()
    }

    public func shutdown() {
        guard isActive else { return }
        isActive = false
        Self.emit(Self.bracketedPasteOff)
        curs_set(1)
        endwin()
        CrashRestore.uninstall()
        if let screen { delscreen(screen) }
        screen = nil
    }

    deinit {
        shutdown()
    }

    private func attributes(_ attributes: Attributes) -> attr_t {
        var result = sb_attr_normal()
        if attributes.contains(.bold) { result |= sb_attr_bold() }
        if attributes.contains(.dim) { result |= sb_attr_dim() }
        if attributes.contains(.reverse) { result |= sb_attr_reverse() }
        if attributes.contains(.underline) { result |= sb_attr_underline() }
        return result
    }

    private func pair(for style: Style) -> Int16 {
        guard supportsColor, style.foreground != .default || style.background != .default else { return 0 }
        let key = PairKey(foreground: style.foreground, background: style.background)
        if let existing = pairs[key] { return existing }
        let number = Int16(pairs.count + 1)
        guard Int32(number) < sb_color_pairs() else { return 0 }
        init_pair(number, Int16(style.foreground.rawValue), Int16(style.background.rawValue))
        pairs[key] = number
        return number
    }

    private static let pasteStart = "\u{1B}[200~"
    private static let pasteEnd = "\u{1B}[201~"
    /// Key codes of our own for the paste markers, above every curses key.
    private static let pasteStartCode = Int32(KEY_MAX) + 1
    private static let pasteEndCode = Int32(KEY_MAX) + 2
    private static let pasteLimit = 1 << 20
    private static let shiftLeft = "\u{1B}[1;2D"
    private static let shiftRight = "\u{1B}[1;2C"
    private static let bracketedPasteOn = "\u{1B}[?2004h"
    private static let bracketedPasteOff = "\u{1B}[?2004l"

    /// Writes a mode change straight to the terminal, in order with what curses wrote.
    private static func emit(_ sequence: String) {
        fflush(nil)
        _ = sequence.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
    }

    private static func decode(_ scalar: Unicode.Scalar) -> Key {
        switch scalar.value {
        case 0x0A, 0x0D: .enter
        case 0x09: .tab
        case 0x1B: .escape
        case 0x08, 0x7F: .backspace
        case 0x01...0x1A: .control(Character(Unicode.Scalar(scalar.value + 0x60)!))
        default: .character(Character(scalar))
        }
    }

    private static func decode(functionKey code: Int32) -> Key {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_SLEFT: .shiftLeft
        case KEY_SRIGHT: .shiftRight
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_BTAB: .backTab
        case KEY_ENTER: .enter
        case KEY_BACKSPACE: .backspace
        case (KEY_F0 + 1)...(KEY_F0 + 12): .function(Int(code - KEY_F0))
        default: .other(code)
        }
    }
}

import SwitchboardCore
import TerminalUI

/// Styles and symbols for the console. Every status is told apart by a word and a symbol as well
/// as by colour, so the screen reads the same on a monochrome terminal or with `NO_COLOR`.
public struct Theme: Sendable {
    public var header: Style
    public var demoMarker: Style
    public var liveMarker: Style
    public var paneTitle: Style
    public var focusedPaneTitle: Style
    public var selection: Style
    public var dim: Style
    public var label: Style
    public var key: Style
    public var hint: Style
    public var statusStyles: [DisplayStatus: Style]
    public var glyphs: Glyphs

    /// Symbols, in Unicode or plain ASCII for terminals whose locale is not UTF-8.
    public struct Glyphs: Sendable {
        public var status: [DisplayStatus: String]
        public var sparkline: [Character]
        public var rule: Character
        public var selectionMarker: String
        public var arrow: String

        public static let unicode = Glyphs(
            status: [.ok: "✔", .warning: "▲", .critical: "✖", .unknown: "?", .stale: "◌", .pending: "…"],
            sparkline: Array("▁▂▃▄▅▆▇█"), rule: "─", selectionMarker: "▸", arrow: "→")
        public static let ascii = Glyphs(
            status: [.ok: "+", .warning: "!", .critical: "X", .unknown: "?", .stale: "~", .pending: "."],
            sparkline: Array("_.-=+*#@"), rule: "-", selectionMarker: ">", arrow: "->")
    }

    public func style(for status: DisplayStatus) -> Style { statusStyles[status] ?? .plain }

    /// The short word for a status, always five columns or fewer.
    public static func word(for status: DisplayStatus) -> String {
        switch status {
        case .ok: "OK"
        case .warning: "WARN"
        case .critical: "CRIT"
        case .unknown: "UNKN"
        case .stale: "STALE"
        case .pending: "WAIT"
        }
    }

    public static func make(color: Bool, unicode: Bool) -> Theme {
        let glyphs: Glyphs = unicode ? .unicode : .ascii
        if color {
            return Theme(
                header: Style(foreground: .white, background: .blue, attributes: .bold),
                demoMarker: Style(foreground: .black, background: .yellow, attributes: .bold),
                liveMarker: Style(foreground: .black, background: .green, attributes: .bold),
                paneTitle: Style(foreground: .cyan, attributes: .bold),
                focusedPaneTitle: Style(foreground: .black, background: .cyan, attributes: .bold),
                selection: Style(attributes: .reverse),
                dim: Style(attributes: .dim),
                label: Style(foreground: .cyan),
                key: Style(foreground: .black, background: .white),
                hint: Style(foreground: .black, background: .yellow),
                statusStyles: [
                    .ok: Style(foreground: .green),
                    .warning: Style(foreground: .yellow, attributes: .bold),
                    .critical: Style(foreground: .red, attributes: .bold),
                    .unknown: Style(foreground: .magenta, attributes: .bold),
                    .stale: Style(foreground: .blue, attributes: .bold),
                    .pending: Style(attributes: .dim),
                ],
                glyphs: glyphs)
        }
        return Theme(
            header: Style(attributes: [.reverse, .bold]),
            demoMarker: Style(attributes: [.bold, .underline]),
            liveMarker: Style(attributes: [.bold]),
            paneTitle: Style(attributes: .bold),
            focusedPaneTitle: Style(attributes: [.reverse, .bold]),
            selection: Style(attributes: .reverse),
            dim: Style(attributes: .dim),
            label: Style(attributes: .bold),
            key: Style(attributes: .reverse),
            hint: Style(attributes: [.reverse, .bold]),
            statusStyles: [
                .ok: .plain,
                .warning: Style(attributes: .bold),
                .critical: Style(attributes: [.bold, .underline]),
                .unknown: Style(attributes: .underline),
                .stale: Style(attributes: .dim),
                .pending: Style(attributes: .dim),
            ],
            glyphs: glyphs)
    }
}

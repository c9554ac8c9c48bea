import SwitchboardCore
import TerminalUI

/// Styles and symbols for the console. Every status is told apart by a word and a symbol as well
/// as by colour, so the screen reads the same on a monochrome terminal or with `NO_COLOR`.
public struct Theme: Sendable {
    public var header: Style
    public var demoMarker: Style
    public var liveMarker: Style
    /// ` REVIEW ` in the header: a recorded incident, not the site now.
    public var reviewMarker: Style
    /// ` DRILL ` in the header, in reverse video: an exercise, not an outage.
    public var drillMarker: Style
    public var paneTitle: Style
    public var focusedPaneTitle: Style
    public var selection: Style
    public var dim: Style
    public var label: Style
    public var key: Style
    public var hint: Style
    /// The red row under the header when the log cannot be written.
    public var problemBanner: Style
    /// The row under the header for news about the log (an incident opened elsewhere).
    public var noticeBanner: Style
    public var severityStyles: [Severity: Style]
    public var statusStyles: [DisplayStatus: Style]
    public var glyphs: Glyphs

    /// Symbols, in Unicode or plain ASCII for terminals whose locale is not UTF-8.
    public struct Glyphs: Sendable {
        public var status: [DisplayStatus: String]
        public var sparkline: [Character]
        public var rule: Character
        public var selectionMarker: String
        public var arrow: String
        /// Box drawing: horizontal, vertical, then the corners top-left, top-right, bottom-left, bottom-right.
        public var box: [Character]
        /// A runbook step's state in the stepper, one column each.
        public var step: [StepMark: String]
        /// A condition's live reading: holds, does not hold, cannot tell.
        public var truth: (yes: String, no: String, unknown: String)

        public static let unicode = Glyphs(
            status: [.ok: "✔", .warning: "▲", .critical: "✖", .unknown: "?", .stale: "◌", .pending: "…"],
            sparkline: Array("▁▂▃▄▅▆▇█"), rule: "─", selectionMarker: "▸", arrow: "→", box: Array("─│┌┐└┘"),
            step: [.pending: "·", .current: "▶", .done: "✔", .skipped: "↷", .blocked: "⊘", .overdue: "!"],
            truth: ("✓", "✗", "?"))
        public static let ascii = Glyphs(
            status: [.ok: "+", .warning: "!", .critical: "X", .unknown: "?", .stale: "~", .pending: "."],
            sparkline: Array("_.-=+*#@"), rule: "-", selectionMarker: ">", arrow: "->", box: Array("-|++++"),
            step: [.pending: ".", .current: ">", .done: "+", .skipped: "~", .blocked: "#", .overdue: "!"],
            truth: ("y", "n", "?"))
    }

    /// The states a runbook step is drawn in.
    public enum StepMark: Sendable {
        case pending, current, done, skipped, blocked, overdue
    }

    public func style(for status: DisplayStatus) -> Style { statusStyles[status] ?? .plain }
    public func style(for severity: Severity) -> Style { severityStyles[severity] ?? .plain }

    public static func make(color: Bool, unicode: Bool) -> Theme {
        let glyphs: Glyphs = unicode ? .unicode : .ascii
        if color {
            return Theme(
                header: Style(foreground: .white, background: .blue, attributes: .bold),
                demoMarker: Style(foreground: .black, background: .yellow, attributes: .bold),
                liveMarker: Style(foreground: .black, background: .green, attributes: .bold),
                reviewMarker: Style(foreground: .white, background: .magenta, attributes: .bold),
                drillMarker: Style(attributes: [.reverse, .bold]),
                paneTitle: Style(foreground: .cyan, attributes: .bold),
                focusedPaneTitle: Style(foreground: .black, background: .cyan, attributes: .bold),
                selection: Style(attributes: .reverse),
                dim: Style(attributes: .dim),
                label: Style(foreground: .cyan),
                key: Style(foreground: .black, background: .white),
                hint: Style(foreground: .black, background: .yellow),
                problemBanner: Style(foreground: .white, background: .red, attributes: .bold),
                noticeBanner: Style(foreground: .black, background: .cyan),
                severityStyles: [
                    .sev1: Style(foreground: .white, background: .red, attributes: .bold),
                    .sev2: Style(foreground: .black, background: .yellow, attributes: .bold),
                    .sev3: Style(foreground: .black, background: .white, attributes: .bold),
                    .sev4: Style(foreground: .black, background: .white),
                ],
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
            reviewMarker: Style(attributes: [.bold, .underline]),
            // The header is in reverse video already: the marker is the header's opposite.
            drillMarker: Style(attributes: [.bold, .underline]),
            paneTitle: Style(attributes: .bold),
            focusedPaneTitle: Style(attributes: [.reverse, .bold]),
            selection: Style(attributes: .reverse),
            dim: Style(attributes: .dim),
            label: Style(attributes: .bold),
            key: Style(attributes: .reverse),
            hint: Style(attributes: [.reverse, .bold]),
            problemBanner: Style(attributes: [.reverse, .bold]),
            noticeBanner: Style(attributes: .reverse),
            severityStyles: [
                .sev1: Style(attributes: [.bold, .underline]),
                .sev2: Style(attributes: .bold),
                .sev3: .plain,
                .sev4: .plain,
            ],
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

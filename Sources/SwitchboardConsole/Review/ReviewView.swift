import Foundation
import SwitchboardCore
import TerminalUI

/// Draws a review: the console's own frame of the replayed state, at the reviewer's terminal
/// size, with ` REVIEW ` in the header where the console says ` LIVE `, and the footer's row
/// given to where the cursor stands: play state, whose console, and a strip of the incident's
/// span with its markers. Every other cell is the console's.
public struct ReviewView: Sendable {
    public let theme: Theme

    public init(theme: Theme) {
        self.theme = theme
    }

    public func frame(_ review: Review) -> ConsoleView.Frame {
        var frame = ConsoleView(theme: theme, marker: (" REVIEW ", theme.reviewMarker)).frame(review.shown)
        guard !review.shown.isTooSmall else { return frame }
        let size = review.shown.size
        let footer = Rect(x: 0, y: size.height - 1, width: size.width, height: 1)
        if let help = review.help {
            frame.scrollLimit = OverlayFrame(theme: theme).draw(title: "review keys", lines: helpLines, scroll: help,
                                                                in: frame.buffer.bounds, into: &frame.buffer)
            return frame
        }
        // The console's footer keeps what it is in the middle of: a search being typed, its hint.
        if let search = review.shown.viewer.search, search.editing { return frame }
        if review.shown.viewer.hint != nil, review.hint == nil { return frame }
        frame.buffer.fill(footer)
        if let prompt = review.timePrompt {
            drawPrompt(prompt, in: footer, into: &frame.buffer)
        } else if let hint = review.hint {
            frame.buffer.fill(footer, style: theme.hint)
            frame.buffer.write(" " + hint, x: footer.x, y: footer.y, style: theme.hint, limit: footer.width)
        } else {
            drawStrip(review, in: footer, into: &frame.buffer)
        }
        return frame
    }

    private func drawPrompt(_ prompt: TextInput, in row: Rect, into buffer: inout CellBuffer) {
        let label = "go to: "
        var x = row.x + buffer.write(label, x: row.x, y: row.y, style: .plain.with(.bold))
        let help = "14:09 · 14:09:30 · +12m · -90s · Enter go · Esc cancel"
        let room = row.maxX - x - 1
        let (visible, column) = DialogView.window(prompt, width: max(1, room - (room > 40 + DisplayWidth.of(help) ? DisplayWidth.of(help) + 2 : 0)))
        buffer.write(visible, x: x, y: row.y)
        x += column
        buffer.restyle(Rect(x: x, y: row.y, width: 1, height: 1)) { $0.with(.reverse) }
        if room > 40 + DisplayWidth.of(help) {
            buffer.write(help, x: row.maxX - DisplayWidth.of(help) - 1, y: row.y, style: theme.dim)
        }
    }

    // MARK: - The strip

    /// ` ▶ ×4  alice  ├──▲──•─◆┃──✉───┤ +1h05m/8h00m`: play state and speed, whose console,
    /// the span with its markers and the cursor, and how far into the incident the cursor is.
    private func drawStrip(_ review: Review, in row: Rect, into buffer: inout CellBuffer) {
        let unicode = theme.glyphs.rule == "─"
        var x = row.x
        let play = review.playing ? (unicode ? " ▶" : " >") : (unicode ? " ❚❚" : " ||")
        x += buffer.write(play + " ×\(review.speed) ", x: x, y: row.y, style: theme.key)
        let console = review.replayedConsole.map { " " + Sanitizer.line($0).truncated(toWidth: 12) + " " } ?? " log only "
        x += buffer.write(console, x: x, y: row.y, style: theme.label)
        if review.integrity.isProblem {
            x += buffer.write(unicode ? " ✖ DAMAGED " : " X DAMAGED ", x: x, y: row.y, style: theme.problemBanner)
        }
        if let progress = review.readingProgress {
            x += buffer.write(" reading \(Int(progress * 100))% ", x: x, y: row.y, style: theme.hint)
        }
        let elapsed = " +\(TimeText.age(review.instant.timeIntervalSince(review.start)))/\(TimeText.age(review.spanEnd.timeIntervalSince(review.start))) "
        let right = row.maxX - DisplayWidth.of(elapsed)
        buffer.write(elapsed, x: right, y: row.y, style: theme.dim)
        let strip = Rect(x: x + 1, y: row.y, width: right - x - 2, height: 1)
        guard strip.width >= 10 else { return }
        drawSpan(review, in: strip, unicode: unicode, into: &buffer)
    }

    private func drawSpan(_ review: Review, in strip: Rect, unicode: Bool, into buffer: inout CellBuffer) {
        let span = max(1, review.spanEnd.timeIntervalSince(review.start))
        let inner = strip.width - 2
        func column(_ at: Date) -> Int {
            strip.x + 1 + min(inner - 1, max(0, Int((at.timeIntervalSince(review.start) / span * Double(inner - 1)).rounded())))
        }
        buffer.write(unicode ? "├" : "|", x: strip.x, y: strip.y, style: theme.dim)
        buffer.write(String(repeating: String(theme.glyphs.rule), count: inner), x: strip.x + 1, y: strip.y, style: theme.dim)
        buffer.write(unicode ? "┤" : "|", x: strip.maxX - 1, y: strip.y, style: theme.dim)
        // What is not read yet is dotted: the cursor cannot go there yet.
        if review.end < review.spanEnd {
            let from = column(review.end) + 1
            buffer.write(String(repeating: unicode ? "·" : ".", count: max(0, strip.maxX - 1 - from)), x: from, y: strip.y, style: theme.dim)
        }
        // One marker a column: the most telling kind, and of probe changes the worst.
        var shown: [Int: ReviewMarker] = [:]
        for marker in review.markers {
            let x = column(marker.at)
            if let held = shown[x], !Self.outranks(marker, held) { continue }
            shown[x] = marker
        }
        for (x, marker) in shown {
            let (glyph, style) = self.glyph(marker, unicode: unicode)
            buffer.write(glyph, x: x, y: strip.y, style: style)
        }
        let cursor = column(review.instant)
        if shown[cursor] == nil { buffer.write(unicode ? "┃" : "#", x: cursor, y: strip.y, style: .plain.with(.bold)) }
        buffer.restyle(Rect(x: cursor, y: strip.y, width: 1, height: 1)) { $0.with(.reverse) }
    }

    private static func outranks(_ marker: ReviewMarker, _ held: ReviewMarker) -> Bool {
        if marker.kind != held.kind { return marker.kind < held.kind }
        return (marker.status?.severity ?? 0) > (held.status?.severity ?? 0)
    }

    /// The symbol and colour of a marker: told apart by the symbol without colour.
    func glyph(_ marker: ReviewMarker, unicode: Bool) -> (String, Style) {
        switch marker.kind {
        case .incident: (unicode ? "■" : "#", Style(foreground: .white, attributes: .bold))
        case .handover: (unicode ? "⚑" : "H", theme.style(for: .warning))
        case .decision: (unicode ? "◆" : "D", Style(foreground: .magenta, attributes: .bold))
        case .message: (unicode ? "✉" : "M", Style(foreground: .cyan, attributes: .bold))
        case .inject: (unicode ? "✱" : "I", Style(foreground: .yellow))
        case .probe:
            (theme.glyphs.status[marker.status ?? .unknown] ?? "!", theme.style(for: marker.status ?? .unknown))
        case .step: (unicode ? "•" : "*", theme.label)
        }
    }

    // MARK: - Help

    static let entries: HelpView.Entries = [
        ("Moving through time", [
            ("Space", "play / pause (real time × the speed)"),
            ("+  -", "faster / slower: ×1 ×2 ×4 … ×64"),
            ("← →", "previous / next record of the log"),
            ("Shift-← Shift-→", "one minute back / on"),
            ("[  ]", "previous / next marker (with a search: match)"),
            ("0 … 9", "jump to 0 %, 10 %, … 90 % of the incident"),
            ("g  G", "the start / the end (the end follows a live log)"),
            ("t", "go to a time: 14:09, 14:09:30, +12m, -90s; in a drill T+5:00"),
        ]),
        ("Looking closer, as in the console", [
            ("Tab / Shift-Tab", "next / previous pane, the stepper, the log"),
            ("↑ ↓  or  k j", "select a probe, a step or a log record"),
            ("Enter", "details of the selected probe, step or record"),
            ("/", "search the log · Enter keeps the filter · Esc clears"),
            ("i  p", "the incident's details · people, contacts, spares"),
            ("v", "in a drill: the inject on top, in full"),
            ("Esc", "close details, hide the banner"),
        ]),
        ("Leaving", [
            ("q", "quit (review never writes anything)"),
        ]),
    ]

    private var helpLines: [StyledLine] {
        let unicode = theme.glyphs.rule == "─"
        let legend = ReviewMarker.Kind.allCases.map { kind in
            let sample = ReviewMarker.sample(kind)
            let (glyph, style) = self.glyph(sample, unicode: unicode)
            var line = StyledLine("  " + glyph.padded(toWidth: 20), style: style)
            line.append(kind == .probe ? kind.name + " (its new status)" : kind.name)
            return line
        }
        return HelpView(theme: theme).lines(for: Self.entries, legends: [("The strip along the bottom", legend)])
    }
}

extension ReviewMarker {
    /// A marker of `kind`, for the legend.
    static func sample(_ kind: Kind) -> ReviewMarker {
        ReviewMarker(kind: kind, at: Date(timeIntervalSince1970: 0), seq: 0, status: kind == .probe ? .critical : nil)
    }

    init(kind: Kind, at: Date, seq: Int, status: DisplayStatus?) {
        self.kind = kind
        self.at = at
        self.seq = seq
        self.status = status
    }
}

import SwitchboardCore
import TerminalUI

/// The keys, as `?` shows them. Only keys that do something are listed.
struct HelpView {
    let theme: Theme

    static let entries: [(section: String, keys: [(String, String)])] = [
        ("Moving around", [
            ("Tab / Shift-Tab", "next / previous pane, recent changes last"),
            ("↑ ↓  or  k j", "select a probe, or scroll the recent changes"),
            ("PgUp PgDn Home End", "move further"),
        ]),
        ("Looking closer", [
            ("Enter", "details of the selected probe or change"),
            ("Esc  or  q", "close details or this help"),
            ("Ctrl-L", "redraw the screen"),
        ]),
        ("Leaving", [
            ("q", "quit the console"),
            ("Ctrl-C", "quit the console"),
        ]),
    ]

    var lines: [StyledLine] {
        var lines: [StyledLine] = []
        for (section, keys) in Self.entries {
            if !lines.isEmpty { lines.append(StyledLine()) }
            lines.append(StyledLine(section, style: theme.label.with(.bold)))
            for (key, action) in keys {
                var line = StyledLine("  " + key.padded(toWidth: 20), style: .plain.with(.bold))
                line.append(action)
                lines.append(line)
            }
        }
        lines.append(StyledLine())
        lines.append(StyledLine("Statuses", style: theme.label.with(.bold)))
        for (status, meaning) in [
            (DisplayStatus.ok, "fine"), (.warning, "needs attention"), (.critical, "down or failing"),
            (.unknown, "the probe could not tell"), (.stale, "no answer within twice the interval"),
            (.pending, "no result yet"),
        ] {
            var line = StyledLine("  " + "\(theme.glyphs.status[status] ?? "") \(Theme.word(for: status))".padded(toWidth: 20),
                                  style: theme.style(for: status))
            line.append(meaning)
            lines.append(line)
        }
        lines.append(StyledLine())
        lines.append(StyledLine("Times are UTC.", style: theme.dim))
        return lines
    }
}

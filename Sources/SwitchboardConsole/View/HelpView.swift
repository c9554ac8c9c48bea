import SwitchboardCore
import TerminalUI

/// The keys, as `?` shows them. Only keys that do something are listed.
struct HelpView {
    let theme: Theme

    typealias Entries = [(section: String, keys: [(String, String)])]

    static let entries: Entries = [
        ("Moving around", [
            ("Tab / Shift-Tab", "next / previous pane, the stepper, the timeline"),
            ("↑ ↓  or  k j", "select a probe, a log record or a change"),
            ("PgUp PgDn Home End", "move further"),
        ]),
        ("Looking closer", [
            ("Enter", "details of the selected probe, record or change"),
            ("Esc  or  q", "close details or this help"),
            ("Ctrl-L", "redraw the screen"),
        ]),
        ("The incident", [
            ("i", "open an incident; during one, its details, where"),
            ("", "s severity · a roles · h hand over · x close"),
            ("n", "add a note, to-do or decision to the log"),
            ("t", "the open to-dos · d ticks one off"),
            ("h", "hand over command; offered to you: accept it"),
            ("p", "people, contacts and spares: who holds which role"),
            ("x", "use a spare part (the count on hand goes down)"),
            ("a", "correct the selected log record (an amendment)"),
            ("m", "a milestone: mitigated, resolved, … now or when it was"),
            ("/", "search the log · Enter keeps the filter · Esc clears"),
        ]),
        ("Runbooks", [
            ("r", "runbooks: running, suggested, the rest · type to filter"),
            ("d", "the selected step done (a question: answer it)"),
            ("s  b", "skip the step · mark it blocked (both ask why)"),
            ("u", "reopen the step and make it current"),
            ("n", "in the stepper: a note on the selected step"),
            ("← →  or  [ ]", "in the stepper: the other running runbooks"),
            ("Enter", "in the stepper: the step's detail, contacts, readings"),
        ]),
        ("Customer messages", [
            ("c", "write to clients or callers from a message template"),
            ("", "the header counts down to the next update due"),
            ("Tab", "in the message: the blanks, the subject, the text"),
            ("Ctrl-O", "edit the text in $EDITOR (or $VISUAL)"),
            ("Ctrl-D", "send: logs it as sent, with its exact text"),
        ]),
        ("A drill, on every console in it", [
            ("v", "read the inject on top (else the latest) in full"),
        ]),
        ("A drill, on the facilitator's console", [
            ("Space", "pause / resume the scenario clock"),
            ("+  -", "faster / slower: ×1 ×2 ×4 ×8 ×15 ×30 ×60"),
            (">", "on to the next inject and play it now"),
            ("!", "play an inject by hand, or your own words to a role"),
            ("e", "an evaluator's note on an objective (players do not see it)"),
            ("o", "the objectives board: what was expected, met, late or missed"),
        ]),
        ("In a form", [
            ("Tab  ← →", "next field · change a choice"),
            ("↑ ↓", "in a name or spare: pick from the list (typing narrows it)"),
            ("Enter  Esc", "done · cancel"),
            ("Ctrl-U  Ctrl-W", "clear the field · delete a word"),
        ]),
        ("Leaving", [
            ("q", "quit (asks first while an incident is open;"),
            ("", "the incident stays open and is resumed next time)"),
            ("Ctrl-C", "quit the console"),
        ]),
    ]

    var lines: [StyledLine] { lines(for: Self.entries) }

    /// The keys of `entries`, then `legends` (each a titled list of symbols), then the statuses.
    func lines(for entries: Entries, legends: [(title: String, lines: [StyledLine])] = []) -> [StyledLine] {
        var lines: [StyledLine] = []
        for (section, keys) in entries {
            if !lines.isEmpty { lines.append(StyledLine()) }
            lines.append(StyledLine(section, style: theme.label.with(.bold)))
            for (key, action) in keys {
                var line = StyledLine("  " + key.padded(toWidth: 20), style: .plain.with(.bold))
                line.append(action)
                lines.append(line)
            }
        }
        for legend in legends {
            lines.append(StyledLine())
            lines.append(StyledLine(legend.title, style: theme.label.with(.bold)))
            lines += legend.lines
        }
        lines.append(StyledLine())
        lines.append(StyledLine("Statuses", style: theme.label.with(.bold)))
        for (status, meaning) in [
            (DisplayStatus.ok, "fine"), (.warning, "needs attention"), (.critical, "down or failing"),
            (.unknown, "the probe could not tell"), (.stale, "no answer within twice the interval"),
            (.pending, "no result yet"),
        ] {
            var line = StyledLine("  " + "\(theme.glyphs.status[status] ?? "") \(status.word)".padded(toWidth: 20),
                                  style: theme.style(for: status))
            line.append(meaning)
            lines.append(line)
        }
        lines.append(StyledLine())
        lines.append(StyledLine("Times are UTC; in a drill, on the scenario clock (it pauses and jumps).", style: theme.dim))
        return lines
    }
}

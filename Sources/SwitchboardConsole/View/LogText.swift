import SwitchboardCore
import TerminalUI

/// How log records read on screen: a short tag and style per kind, and one line of text. Every
/// string from the log is sanitized here: another process may have written it.
struct LogText {
    let theme: Theme

    /// At most six columns.
    static func tag(for kind: String) -> String {
        switch kind {
        case LogKind.opened: "OPEN"
        case LogKind.severity: "SEV"
        case LogKind.closed: "CLOSE"
        case LogKind.roleAssigned: "ROLE"
        case LogKind.handoff: "CMD"
        case LogKind.note: "NOTE"
        case LogKind.todo: "TODO"
        case LogKind.todoDone: "TODO✓"
        case LogKind.spareUsed: "SPARE"
        case LogKind.decision: "DECIDE"
        case LogKind.probeChanged: "PROBE"
        case LogKind.amendment: "AMEND"
        case LogKind.repaired: "REPAIR"
        case LogKind.runbookStarted: "RUNBK"
        case LogKind.stepDone: "DONE"
        case LogKind.stepSkipped: "SKIP"
        case LogKind.stepBlocked: "BLOCK"
        case LogKind.stepReopened: "REOPEN"
        case LogKind.stepOverdue: "LATE"
        case LogKind.commsSent: "SENT"
        case LogKind.milestone: "MILE"
        default: String(Sanitizer.line(kind).uppercased().prefix(6))
        }
    }

    func tagStyle(for entry: LogEntry) -> Style {
        switch entry.kind {
        case LogKind.opened, LogKind.closed, LogKind.severity, LogKind.milestone: theme.label.with(.bold)
        case LogKind.roleAssigned, LogKind.handoff: theme.label
        case LogKind.todo, LogKind.amendment: theme.style(for: .warning)
        case LogKind.decision: Style.plain.with(.bold)
        case LogKind.repaired, LogKind.stepOverdue: theme.style(for: .critical)
        case LogKind.runbookStarted: theme.label.with(.bold)
        case LogKind.stepDone: theme.style(for: .ok)
        case LogKind.commsSent: theme.label.with(.bold)
        case LogKind.stepBlocked: theme.style(for: .warning)
        case LogKind.probeChanged: theme.style(for: Self.status(entry["to"]))
        default: .plain
        }
    }

    /// The record's content in one line, as styled pieces.
    func line(for entry: LogEntry) -> StyledLine {
        func text(_ key: String) -> String { Sanitizer.line(entry[key]?.string ?? "") }
        switch entry.kind {
        case LogKind.opened:
            return StyledLine("\(text("severity").uppercased()) \(text("title")) · \(entry.actor) takes command")
        case LogKind.severity:
            return StyledLine("severity now \(text("severity").uppercased())")
        case LogKind.closed:
            return StyledLine("closed: \(text("summary"))")
        case LogKind.roleAssigned:
            return StyledLine("\(text("person")) is \(text("assigned"))")
        case LogKind.handoff:
            if entry["offered"]?.bool == true { return StyledLine("\(text("from")) offers command to \(text("to"))") }
            let how = entry["accepted"]?.string == "voice" ? " (by voice)" : entry["accepted"]?.string == "console" ? " (accepted on their console)" : ""
            return StyledLine("command handed from \(text("from")) to \(text("to"))\(how)")
        case LogKind.todoDone:
            return StyledLine("done: \(text("text"))")
        case LogKind.spareUsed:
            return StyledLine("\(entry["count"]?.int ?? 1) × \(text("item")) used by \(text("by"))")
        case LogKind.probeChanged:
            let from = Self.status(entry["from"])
            let to = Self.status(entry["to"])
            var line = StyledLine(text("probe") + " ", style: .plain.with(.bold))
            line.append(Theme.word(for: from), style: theme.style(for: from))
            line.append(" \(theme.glyphs.arrow) ", style: theme.dim)
            line.append(Theme.word(for: to), style: theme.style(for: to))
            line.append(" " + text("summary"))
            if entry["before_open"]?.bool == true {
                let seen = entry["observed_at"]?.string.flatMap(TimeText.date(iso8601:)).map { TimeText.clock($0) } ?? "?"
                line.append(" (seen \(seen), before opening)", style: theme.dim)
            }
            return line
        case LogKind.amendment:
            let moved = entry["occurred_at"]?.string.flatMap(TimeText.date(iso8601:)).map { "moves it to \(TimeText.clock($0)): " } ?? ""
            return StyledLine("corrects #\(entry["amends"]?.int.map(String.init) ?? "?"): \(moved)\(text("text"))")
        case LogKind.milestone:
            let occurred = entry["occurred_at"]?.string.flatMap(TimeText.date(iso8601:))
            var line = StyledLine("\(text("milestone")) at \(occurred.map { TimeText.clock($0) } ?? "?")")
            if let occurred, entry.at.timeIntervalSince(occurred) >= 60 { line.append(" (set at \(TimeText.clock(entry.at)))", style: theme.dim) }
            return line
        case LogKind.runbookStarted:
            return StyledLine("started runbook \(text("title"))" + (entry["trigger"] == nil ? "" : " (suggested: \(text("trigger")))"))
        case LogKind.stepDone:
            var line = StyledLine(text("text"))
            if entry["auto"]?.bool == true { line.append(" (by itself: \(text("condition")) held)", style: theme.dim) }
            if let state = entry["check_state"]?.string, state != "holds" {
                line.append(" · check \(state == "fails" ? "failed" : state == "holding" ? "not held long enough" : "unknown")"
                            + (entry["why"] == nil ? "" : ": \(text("why"))"), style: theme.style(for: .warning))
            }
            return line
        case LogKind.stepSkipped, LogKind.stepBlocked:
            var line = StyledLine(text("text"))
            line.append(" \(entry.kind == LogKind.stepSkipped ? "skipped" : "blocked"): \(text("reason"))", style: theme.dim)
            return line
        case LogKind.stepReopened:
            return StyledLine("reopened: \(text("text"))")
        case LogKind.stepOverdue:
            let minutes = (entry["within"]?.int).map { Duration.seconds($0).configText } ?? "?"
            return StyledLine("overdue (within \(minutes)): \(text("text"))" + (entry["next"] == nil ? "" : " · now \(text("next"))"))
        case LogKind.commsSent:
            var line = StyledLine(text("channel") + (entry["audience"] == nil ? "" : " → \(text("audience"))") + ": ", style: theme.label)
            line.append(entry["subject"] == nil ? text("text") : text("subject"))
            return line
        case LogKind.repaired:
            if let seq = entry["newline_added_after"]?.int { return StyledLine("record #\(seq) lacked its final newline; added, the record kept") }
            return StyledLine("a crash left a partial record (\(entry["torn_bytes"]?.int ?? 0) bytes), moved aside to \(text("moved_to"))")
        default:
            if let words = entry["text"]?.string { return StyledLine(Sanitizer.line(words)) }
            return StyledLine(entry.fields.keys.sorted().joined(separator: ", "), style: theme.dim)
        }
    }

    static func status(_ value: JSONValue?) -> DisplayStatus {
        value?.string.flatMap(DisplayStatus.init(rawValue:)) ?? .unknown
    }
}

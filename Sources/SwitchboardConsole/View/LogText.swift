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
        case LogKind.drillInject: "INJECT"
        case LogKind.drillControl: "DRILL"
        case LogKind.drillEvaluation: "EVAL"
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
        case LogKind.commsSent, LogKind.drillInject: theme.label.with(.bold)
        case LogKind.stepBlocked: theme.style(for: .warning)
        case LogKind.probeChanged: theme.style(for: Self.status(entry["to"]))
        default: .plain
        }
    }

    /// The record's content in one line, as styled pieces: the words every report uses too
    /// (`RecordText`), with colour where the kind has some.
    func line(for entry: LogEntry) -> StyledLine {
        func text(_ key: String) -> String { Sanitizer.line(entry[key]?.string ?? "") }
        switch entry.kind {
        case LogKind.probeChanged:
            let from = Self.status(entry["from"])
            let to = Self.status(entry["to"])
            var line = StyledLine(text("probe") + " ", style: .plain.with(.bold))
            line.append(from.word, style: theme.style(for: from))
            line.append(" \(theme.glyphs.arrow) ", style: theme.dim)
            line.append(to.word, style: theme.style(for: to))
            line.append(" " + text("summary"))
            line.append(RecordText.beforeOpening(entry), style: theme.dim)
            return line
        case LogKind.milestone:
            var line = StyledLine(RecordText.milestone(entry))
            line.append(RecordText.milestoneSetLater(entry), style: theme.dim)
            return line
        case LogKind.stepDone:
            var line = StyledLine(text("text"))
            line.append(RecordText.stepDoneAutomatically(entry), style: theme.dim)
            line.append(RecordText.checkNotHeld(entry), style: theme.style(for: .warning))
            return line
        case LogKind.stepSkipped, LogKind.stepBlocked:
            var line = StyledLine(text("text"))
            line.append(RecordText.stepReason(entry), style: theme.dim)
            return line
        case LogKind.commsSent:
            var line = StyledLine(RecordText.commsHeading(entry), style: theme.label)
            line.append(entry["subject"] == nil ? text("text") : text("subject"))
            return line
        default:
            return StyledLine(RecordText.line(for: entry))
        }
    }

    static func status(_ value: JSONValue?) -> DisplayStatus {
        value?.string.flatMap(DisplayStatus.init(rawValue:)) ?? .unknown
    }
}

import Foundation

/// What a log record says, in one line of plain words: the console's log pane (which adds
/// colour to some kinds) and every report read records the same way. Every string from the log
/// is sanitized here: another process may have written it.
public enum RecordText {
    public static func line(for entry: LogEntry) -> String {
        func text(_ key: String) -> String { Sanitizer.line(entry[key]?.string ?? "") }
        switch entry.kind {
        case LogKind.note:
            // The kind most of a long log is made of: first.
            return text("text")
        case LogKind.opened:
            return "\(text("severity").uppercased()) \(text("title")) · \(Sanitizer.line(entry.actor)) takes command"
        case LogKind.severity:
            return "severity now \(text("severity").uppercased())"
        case LogKind.closed:
            return "closed: \(text("summary"))"
        case LogKind.roleAssigned:
            return "\(text("person")) is \(text("assigned"))"
        case LogKind.handoff:
            if entry["offered"]?.bool == true { return "\(text("from")) offers command to \(text("to"))" }
            let how = entry["accepted"]?.string == "voice" ? " (by voice)" : entry["accepted"]?.string == "console" ? " (accepted on their console)" : ""
            return "command handed from \(text("from")) to \(text("to"))\(how)"
        case LogKind.todoDone:
            return "done: \(text("text"))"
        case LogKind.spareUsed:
            return "\(entry["count"]?.int ?? 1) × \(text("item")) used by \(text("by"))"
        case LogKind.probeChanged:
            return "\(text("probe")) \(statusWord(entry["to"], from: entry["from"])) \(text("summary"))" + beforeOpening(entry)
        case LogKind.amendment:
            return "corrects #\(entry["amends"]?.int.map(String.init) ?? "?"): \(milestoneMove(entry))\(text("text"))"
        case LogKind.milestone:
            return milestone(entry) + milestoneSetLater(entry)
        case LogKind.runbookStarted:
            return "started runbook \(text("title"))" + (entry["trigger"] == nil ? "" : " (suggested: \(text("trigger")))")
        case LogKind.stepDone:
            return text("text") + stepDoneAutomatically(entry) + checkNotHeld(entry)
        case LogKind.stepSkipped, LogKind.stepBlocked:
            return text("text") + stepReason(entry)
        case LogKind.stepReopened:
            return "reopened: \(text("text"))"
        case LogKind.stepOverdue:
            let minutes = (entry["within"]?.int).map { Duration.seconds($0).configText } ?? "?"
            return "overdue (within \(minutes)): \(text("text"))" + (entry["next"] == nil ? "" : " · now \(text("next"))")
        case LogKind.commsSent:
            return commsHeading(entry) + (entry["subject"] == nil ? text("text") : text("subject"))
        case LogKind.drillInject:
            let route = [entry["from"]?.string, entry["to"]?.string].compactMap { $0.map(Sanitizer.line) }.joined(separator: " → ")
            return (route.isEmpty ? "" : route + ": ") + text("message") + (entry["by_hand"]?.bool == true ? " (played by hand)" : "")
        case LogKind.drillControl:
            let at = entry["elapsed_ms"]?.int.map { TimeText.scenario(Double($0) / 1000) } ?? ""
            let speed = entry["speed"].map { value -> String in
                if case .double(let number) = value { return "×" + MetricValue.format(number) }
                return value.int.map { "×\($0)" } ?? ""
            } ?? ""
            switch entry["action"]?.string {
            case "start": return "drill started at \(at), \(speed)"
            case "pause": return "drill paused at \(at)"
            case "resume": return "drill resumed at \(at), \(speed)"
            case "speed": return "drill speed now \(speed) at \(at)"
            case "jump": return "drill jumped to \(at)"
            case "end": return "the scenario's time is up at \(at): clock stopped (Space runs it on)"
            default: return "drill \(text("action")) at \(at)"
            }
        case LogKind.drillEvaluation:
            return "\(text("note"))" + (entry["objective"] == nil ? "" : " on \(text("objective"))") + ": \(text("text"))"
        case LogKind.readingsSealed:
            return "readings journal sealed: \(entry["readings"]?.int ?? 0) readings, \(entry["bytes"]?.int ?? 0) bytes of \(text("journal"))"
        case LogKind.repaired:
            if let seq = entry["newline_added_after"]?.int { return "record #\(seq) lacked its final newline; added, the record kept" }
            return "a crash left a partial record (\(entry["torn_bytes"]?.int ?? 0) bytes), moved aside to \(text("moved_to"))"
        default:
            if let words = entry["text"]?.string { return Sanitizer.line(words) }
            return entry.fields.keys.sorted().joined(separator: ", ")
        }
    }

    // The parts the console draws in a style of their own.

    /// `OK → CRIT`.
    public static func statusWord(_ to: JSONValue?, from: JSONValue?) -> String {
        "\(DisplayStatus.word(from)) → \(DisplayStatus.word(to))"
    }

    /// ` (seen 14:02:11, before opening)` for a probe change seen before the incident was declared.
    public static func beforeOpening(_ entry: LogEntry) -> String {
        guard entry["before_open"]?.bool == true else { return "" }
        let seen = entry["observed_at"]?.string.flatMap(TimeText.date(iso8601:)).map { TimeText.clock($0) } ?? "?"
        return " (seen \(seen), before opening)"
    }

    /// `moves it to 14:09:00: ` for an amendment that moves a milestone.
    public static func milestoneMove(_ entry: LogEntry) -> String {
        entry["occurred_at"]?.string.flatMap(TimeText.date(iso8601:)).map { "moves it to \(occurredText($0, loggedAt: entry.at)): " } ?? ""
    }

    /// `mitigated at 14:09:00`.
    public static func milestone(_ entry: LogEntry) -> String {
        let occurred = entry["occurred_at"]?.string.flatMap(TimeText.date(iso8601:))
        return "\(Sanitizer.line(entry["milestone"]?.string ?? "")) at \(occurred.map { occurredText($0, loggedAt: entry.at) } ?? "?")"
    }

    /// When a milestone happened: the time of day, with its date when that is not the day it
    /// was logged (`23:59` typed at 14:08 is yesterday's, and says so).
    private static func occurredText(_ occurred: Date, loggedAt: Date) -> String {
        TimeText.dateTime(occurred).prefix(10) == TimeText.dateTime(loggedAt).prefix(10) ? TimeText.clock(occurred) : TimeText.dateTime(occurred)
    }

    /// ` (set at 14:30:00)` for a milestone set a minute or more after it happened.
    public static func milestoneSetLater(_ entry: LogEntry) -> String {
        guard let occurred = entry["occurred_at"]?.string.flatMap(TimeText.date(iso8601:)), entry.at.timeIntervalSince(occurred) >= 60
        else { return "" }
        return " (set at \(TimeText.clock(entry.at)))"
    }

    /// ` (by itself: generator is ok held)` for a step a wait completed.
    public static func stepDoneAutomatically(_ entry: LogEntry) -> String {
        entry["auto"]?.bool == true ? " (by itself: \(Sanitizer.line(entry["condition"]?.string ?? "")) held)" : ""
    }

    /// ` · check failed: why` for a step marked done while its check did not hold.
    public static func checkNotHeld(_ entry: LogEntry) -> String {
        guard let state = entry["check_state"]?.string, state != "holds" else { return "" }
        let words = state == "fails" ? "failed" : state == "holding" ? "not held long enough" : "unknown"
        return " · check \(words)" + (entry["why"] == nil ? "" : ": \(Sanitizer.line(entry["why"]?.string ?? ""))")
    }

    /// ` skipped: why` or ` blocked: why`.
    public static func stepReason(_ entry: LogEntry) -> String {
        " \(entry.kind == LogKind.stepSkipped ? "skipped" : "blocked"): \(Sanitizer.line(entry["reason"]?.string ?? ""))"
    }

    /// `client-email → clients: ` before a message's subject.
    public static func commsHeading(_ entry: LogEntry) -> String {
        Sanitizer.line(entry["channel"]?.string ?? "") + (entry["audience"] == nil ? "" : " → \(Sanitizer.line(entry["audience"]?.string ?? ""))")
            + ": "
    }
}

extension DisplayStatus {
    /// `OK`, `WARN`, `CRIT`, `UNKN`, `STALE`, `WAIT`: the status as the panes and the log name it.
    public var word: String {
        switch self {
        case .ok: "OK"
        case .warning: "WARN"
        case .critical: "CRIT"
        case .unknown: "UNKN"
        case .stale: "STALE"
        case .pending: "WAIT"
        }
    }

    /// The word for a status as a record writes it (`"critical"`); UNKN for anything else.
    public static func word(_ value: JSONValue?) -> String {
        (value?.string.flatMap(DisplayStatus.init(rawValue:)) ?? .unknown).word
    }
}

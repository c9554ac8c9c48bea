import Foundation

/// The entries Switchboard appends, one constructor per kind, so the console and the command
/// line write the same fields. Text from people is sanitized here, before it is sealed.
extension LogEntry {
    /// A note, to-do or decision: kinds that carry only the person's words.
    public static func remark(_ kind: RemarkKind, text: String, actor: String, role: String?, at: Date) -> LogEntry {
        LogEntry(kind: kind.rawValue, actor: actor, role: role, at: at, fields: ["text": .string(Sanitizer.line(text))])
    }

    public static func severity(_ severity: Severity, actor: String, role: String?, at: Date) -> LogEntry {
        LogEntry(kind: LogKind.severity, actor: actor, role: role, at: at, fields: ["severity": .string(severity.rawValue)])
    }

    /// `role` is one of the incident roles other than command (command changes hands with `handoff`).
    public static func roleAssigned(_ assigned: String, to person: String, actor: String, role: String?, at: Date) -> LogEntry {
        LogEntry(kind: LogKind.roleAssigned, actor: actor, role: role, at: at,
                 fields: ["assigned": .string(Sanitizer.line(assigned)), "person": .string(Sanitizer.line(person))])
    }

    /// How command changes hands: offered, until the receiving console accepts it; accepted
    /// there; or accepted by voice, logged by the one handing over.
    public enum Handover: String, Sendable {
        case offered
        case console
        case voice
    }

    public static func handoff(from commander: String, to person: String, _ handover: Handover, actor: String, role: String?,
                               at: Date) -> LogEntry {
        var fields: [String: JSONValue] = ["from": .string(commander), "to": .string(Sanitizer.line(person))]
        if handover == .offered { fields["offered"] = .bool(true) } else { fields["accepted"] = .string(handover.rawValue) }
        return LogEntry(kind: LogKind.handoff, actor: actor, role: role, at: at, fields: fields)
    }

    /// A to-do (record `seq`) done.
    public static func todoDone(seq: Int, text: String, actor: String, role: String?, at: Date) -> LogEntry {
        LogEntry(kind: LogKind.todoDone, actor: actor, role: role, at: at, fields: ["todo": .int(seq), "text": .string(Sanitizer.line(text))])
    }

    /// `count` of a site spare used by `person`.
    public static func spareUsed(_ spare: Spare, count: Int, by person: String, actor: String, role: String?, at: Date) -> LogEntry {
        LogEntry(kind: LogKind.spareUsed, actor: actor, role: role, at: at,
                 fields: ["spare": .string(spare.id), "item": .string(Sanitizer.line(spare.item)), "count": .int(count),
                          "by": .string(Sanitizer.line(person))])
    }

    public static func closed(summary: String, actor: String, role: String?, at: Date) -> LogEntry {
        LogEntry(kind: LogKind.closed, actor: actor, role: role, at: at, fields: ["summary": .string(Sanitizer.line(summary))])
    }

    /// A correction of record `seq`: the record itself is never rewritten. `occurredAt` moves
    /// the milestone record `seq` set to another time.
    public static func amendment(of seq: Int, text: String, occurredAt: Date? = nil, actor: String, role: String?, at: Date) -> LogEntry {
        var fields: [String: JSONValue] = ["amends": .int(seq), "text": .string(Sanitizer.line(text))]
        if let occurredAt { fields["occurred_at"] = .string(TimeText.iso8601(occurredAt)) }
        return LogEntry(kind: LogKind.amendment, actor: actor, role: role, at: at, fields: fields)
    }

    /// `milestone` happened at `occurredAt` (now, or earlier: set after the fact).
    public static func milestone(_ milestone: Milestone, occurredAt: Date, actor: String, role: String?, at: Date) -> LogEntry {
        LogEntry(kind: LogKind.milestone, actor: actor, role: role, at: at,
                 fields: ["milestone": .string(milestone.rawValue), "occurred_at": .string(TimeText.iso8601(occurredAt))])
    }

    /// A customer message as it was sent, with where it went. `notifyStep` names the runbook step
    /// that asked for it.
    public static func commsSent(template: CommsTemplate, subject: String?, text: String, notifyStep: (runbook: String, step: String)?,
                                 actor: String, role: String?, at: Date) -> LogEntry {
        var fields: [String: JSONValue] = [
            "template": .string(template.id),
            "channel": .string(template.channel),
            "text": .string(Sanitizer.multiline(text)),
            "cadence": .bool(template.countsForCadence),
        ]
        if let audience = template.audience { fields["audience"] = .string(audience) }
        if let subject { fields["subject"] = .string(Sanitizer.line(subject)) }
        if let notifyStep {
            fields["runbook"] = .string(notifyStep.runbook)
            fields["step"] = .string(notifyStep.step)
        }
        return LogEntry(kind: LogKind.commsSent, actor: actor, role: role, at: at, fields: fields)
    }

    /// A hard probe-state change with the reading that made it. `beforeOpen` marks a change seen
    /// before the incident was declared, recorded when it was opened.
    public static func probeChanged(_ change: StateChange, actor: String, at: Date, beforeOpen: Bool = false) -> LogEntry {
        var fields: [String: JSONValue] = [
            "probe": .string(change.probeID),
            "from": .string(change.from.rawValue),
            "to": .string(change.to.rawValue),
            "summary": .string(Sanitizer.line(change.summary)),
            "observed_at": .string(TimeText.iso8601(change.at)),
        ]
        if !change.metrics.isEmpty {
            fields["reading"] = .object(Dictionary(change.metrics.map { ($0.name, JSONValue($0.value)) },
                                                   uniquingKeysWith: { first, _ in first }))
        }
        if beforeOpen { fields["before_open"] = .bool(true) }
        return LogEntry(kind: LogKind.probeChanged, actor: actor, at: at, fields: fields)
    }
}

/// The kinds of record that hold only what a person wrote.
public enum RemarkKind: String, Sendable, CaseIterable {
    case note
    case todo
    case decision
}

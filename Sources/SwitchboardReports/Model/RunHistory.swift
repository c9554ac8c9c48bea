import Foundation
import SwitchboardCore

/// One run of a runbook as its records tell it, step by step: when each step became current,
/// what became of it and when, who did it, its deadline, its decision, the readings a wait
/// completed on and how its check read when it was marked done. Unlike `RunbookRun`, which
/// keeps only where a run is now, this keeps what a reviewer asks afterwards.
struct RunHistory {
    let id: String
    let title: String
    let startedAt: Date
    let startedBy: String
    let startSeq: Int
    let trigger: String?
    /// The runbook as the site defines it now, for the step order and texts.
    let definition: Runbook?
    private(set) var current: String?
    private(set) var finishedAt: Date?
    private var steps: [String: Step] = [:]
    private var order: [String] = []

    struct Step {
        var text = ""
        var startedAt: Date?
        var endedAt: Date?
        var lastActivated: Date?
        /// When the runbook last moved on from it while it was current.
        var leftAt: Date?
        var outcome: String?
        var reason: String?
        var answer: String?
        var why: String?
        var by: String?
        var rounds = 0
        var overdue = false
        var within: Double?
        var waitEvidence: String?
        var check: String?
        var checkState: String?
        var checkEvidence: String?
    }

    init(started record: LogRecord, definition: Runbook?) {
        id = record["runbook"]?.string ?? ""
        title = record["title"]?.string ?? id
        startedAt = record.at
        startedBy = record.actor
        startSeq = record.seq
        trigger = record["trigger"]?.string
        self.definition = definition
        move(to: record["next"]?.string, at: record.at)
    }

    mutating func apply(_ record: LogRecord) {
        guard let stepID = record["step"]?.string else { return }
        var step = steps[stepID] ?? Step()
        if step.text.isEmpty, let text = record["text"]?.string, record.kind != LogKind.decision { step.text = text }
        switch record.kind {
        case LogKind.stepDone:
            step.outcome = record["auto"]?.bool == true ? "done by itself" : "done"
            step.rounds += 1
            if let evidence = record["evidence"] { step.waitEvidence = Self.readings(evidence) }
            if let check = record["check"]?.string {
                step.check = check
                step.checkState = record["check_state"]?.string
                step.checkEvidence = record["check_evidence"].map(Self.readings)
            }
            if let why = record["why"]?.string { step.why = why }
        case LogKind.decision:
            step.outcome = "answered"
            step.answer = record["answer"]?.string
            step.why = record["why"]?.string
            step.rounds += 1
            if step.text.isEmpty { step.text = record["question"]?.string ?? "" }
        case LogKind.stepSkipped:
            step.outcome = "skipped"
            step.reason = record["reason"]?.string
        case LogKind.stepBlocked:
            step.outcome = "blocked"
            step.reason = record["reason"]?.string
        case LogKind.stepOverdue:
            step.overdue = true
            step.within = record["within"]?.int.map(Double.init)
        case LogKind.stepReopened:
            step.outcome = nil
        default:
            return
        }
        if [LogKind.stepDone, LogKind.decision, LogKind.stepSkipped, LogKind.stepBlocked].contains(record.kind) {
            step.endedAt = record.at
            step.by = record.actor
        }
        remember(stepID, step)
        if record.kind == LogKind.stepReopened {
            move(to: stepID, at: record.at)
        } else if let next = record["next"]?.string {
            move(to: next, at: record.at)
        }
    }

    private mutating func remember(_ id: String, _ step: Step) {
        if steps[id] == nil { order.append(id) }
        steps[id] = step
    }

    private mutating func move(to stepID: String?, at date: Date) {
        if let left = current, left != stepID { steps[left]?.leftAt = date }
        guard let stepID, stepID != Runbook.end else {
            current = nil
            finishedAt = date
            return
        }
        current = stepID
        finishedAt = nil
        var step = steps[stepID] ?? Step()
        if step.startedAt == nil { step.startedAt = date }
        step.lastActivated = date
        step.leftAt = nil
        remember(stepID, step)
    }

    /// `ups-main.ups.status = OB DISCHRG, generator.state = running`: the readings a record kept.
    static func readings(_ value: JSONValue) -> String {
        guard case .object(let fields) = value else { return RecordValue.text(value) }
        return fields.keys.sorted().map { "\($0) = \(RecordValue.text(fields[$0]!))" }.joined(separator: ", ")
    }

    func report(until end: Date) -> IncidentReport.RunbookReport {
        let defined = definition?.steps.map(\.id) ?? []
        let ids = defined + order.filter { !defined.contains($0) }
        let stepReports = ids.map { id -> IncidentReport.StepReport in
            let step = steps[id] ?? Step()
            let text = step.text.isEmpty ? definition?.step(id)?.text ?? id : step.text
            let outcome = step.outcome ?? (current == id ? "current" : step.startedAt == nil ? "not reached"
                : step.overdue ? "timed out" : "not done")
            let within = step.within ?? definition?.step(id)?.within?.seconds
            var overdueBy: Double?
            if step.overdue, let within, let activated = step.lastActivated {
                // Lateness stops counting when the step ended, or the runbook moved on from it.
                overdueBy = max(0, (step.endedAt ?? step.leftAt ?? end).timeIntervalSince(activated.addingTimeInterval(within)))
            }
            return .init(id: id, text: text, outcome: outcome, reason: step.reason, answer: step.answer, why: step.why,
                         startedAt: step.startedAt, endedAt: step.endedAt, leftAt: step.outcome == nil ? step.leftAt : nil,
                         tookSeconds: step.startedAt.flatMap { start in step.endedAt.map { $0.timeIntervalSince(start) } },
                         by: step.by, rounds: step.rounds, overdue: step.overdue, withinSeconds: step.overdue ? within : nil,
                         overdueBySeconds: overdueBy, waitEvidence: step.waitEvidence, check: step.check, checkState: step.checkState,
                         checkEvidence: step.checkEvidence)
        }
        return .init(id: id, title: title, startedAt: startedAt, startedBy: startedBy, trigger: trigger,
                     finishedAt: current == nil ? finishedAt : nil, steps: stepReports)
    }
}

/// A record's value as text: `41.5`, `OB DISCHRG`, `41.5 %` for a number with its unit.
enum RecordValue {
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): Sanitizer.line(text)
        case .int(let number): String(number)
        case .double(let number): MetricValue.format(number)
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .array(let items): items.map(text).joined(separator: ", ")
        case .object(let fields):
            if let number = fields["value"], let unit = fields["unit"]?.string { "\(text(number)) \(Sanitizer.line(unit))" }
            else { fields.keys.sorted().map { "\($0): \(text(fields[$0]!))" }.joined(separator: ", ") }
        }
    }
}

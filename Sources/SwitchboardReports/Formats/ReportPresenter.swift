import Foundation
import SwitchboardCore

/// The report as the document templates read it: every time, duration and figure already in
/// words, every list a list of dictionaries. One presenter serves the Markdown and HTML
/// documents; `escape` is what text from the log needs in the document (Markdown escapes its
/// markup here; HTML leaves it to the template engine, which escapes every value).
struct ReportPresenter {
    let report: IncidentReport
    let escape: (String) -> String

    /// The context of the document templates.
    var context: [String: Any] {
        let incident = report.incident
        return clean([
            "title": escape(incident.title),
            "id": escape(incident.id),
            "site": escape(incident.site),
            "drill": incident.drill,
            "generator": escape(report.report.generator),
            "generated": ReportText.time(report.report.generatedAt),
            "verification": verification,
            "severity": incident.severity.uppercased(),
            "severities": incident.severities.count > 1
                ? incident.severities.map { "\($0.severity.uppercased()) at \(ReportText.clock($0.at))" }.joined(separator: ", ") : "",
            "opened": ReportText.time(incident.openedAt),
            "openedBy": escape(incident.openedBy),
            "status": incident.status,
            "closed": incident.closedAt.map(ReportText.time) ?? "",
            "closedBy": escape(incident.closedBy ?? ""),
            "closingSummary": escape(incident.closingSummary ?? ""),
            "isClosed": incident.closedAt != nil,
            "duration": ReportText.duration(incident.durationSeconds),
            "lastRecord": ReportText.time(incident.lastRecordAt),
            "commanders": incident.commanders.map { command in
                "\(escape(command.person)) \(ReportText.clock(command.from))–\(command.until.map(ReportText.clock) ?? "")"
            }.joined(separator: ", "),
            "milestones": report.milestones.map { milestone in
                clean(["name": milestone.name, "time": milestone.at.map(ReportText.time) ?? "not set", "source": escape(milestone.source)])
            },
            "durations": report.durations.map { interval in
                ["name": interval.name, "anchors": "\(interval.from) → \(interval.to)", "meaning": escape(interval.meaning),
                 "value": interval.seconds.map(ReportText.duration) ?? "unknown"]
            },
            "hasQueues": !report.serviceLevels.isEmpty,
            "queues": report.serviceLevels.map(queue),
            "runbooks": report.runbooks.map(runbook),
            "hasRunbooks": !report.runbooks.isEmpty,
            "decisions": report.decisions.map(decision),
            "hasDecisions": !report.decisions.isEmpty,
            "commsSummary": escape(report.comms.summary),
            "cadence": "first within \(ReportText.duration(report.comms.firstSeconds)) of opening, then every "
                + ReportText.duration(report.comms.everySeconds),
            "messages": report.comms.messages.map(message),
            "hasMessages": !report.comms.messages.isEmpty,
            "gaps": report.comms.gaps.map { gap in
                ["due": ReportText.time(gap.dueAt), "until": ReportText.time(gap.until), "late": ReportText.duration(gap.lateBySeconds),
                 "filled": gap.filled]
            },
            "hasGaps": !report.comms.gaps.isEmpty,
            "spares": report.sparesUsed.map { spare in
                ["time": ReportText.time(spare.at), "item": escape(spare.item), "count": spare.count, "by": escape(spare.by)]
            },
            "hasSpares": !report.sparesUsed.isEmpty,
            "roles": report.roles.map { role in
                ["time": ReportText.time(role.at), "role": escape(role.role), "person": escape(role.person), "by": escape(role.by)]
            },
            "hasRoles": !report.roles.isEmpty,
            "handovers": report.handovers.map { handover in
                ["time": ReportText.time(handover.at), "from": escape(handover.from), "to": escape(handover.to),
                 "how": handover.how == "offered" ? "offered, waiting for their console" : "accepted (\(handover.how))",
                 "by": escape(handover.by)]
            },
            "hasHandovers": !report.handovers.isEmpty,
            "people": people(time: ReportText.clock),
            "todos": report.openTodos.map { todo in
                ["time": ReportText.time(todo.at), "text": escape(todo.text), "by": escape(todo.by), "seq": todo.seq]
            },
            "hasTodos": !report.openTodos.isEmpty,
            "followUps": report.followUps.map { followUp in
                clean(["action": escape(followUp.action), "owner": escape(followUp.owner),
                       "due": followUp.due.map { String(ReportText.time($0).prefix(10)) } ?? "—", "notes": escape(followUp.notes ?? "")])
            },
            "hasActions": !report.followUps.isEmpty || !report.openTodos.isEmpty,
            "noteCount": report.noteCount == 1 ? "1 note was" : "\(report.noteCount) notes were",
        ])
    }

    /// A template's view of a dictionary: an empty text is no value at all, so a section on it
    /// (`{{#trigger}}…{{/trigger}}`) is left out, as for a missing one.
    /// Who acted, with the first and last time each did, in `time`'s words.
    func people(time: (Date) -> String) -> [[String: Any]] {
        report.people.map { person in
            ["name": escape(person.name), "positions": escape(person.positions.joined(separator: ", ")),
             "staffRole": escape(person.staffRole ?? ""), "records": person.records,
             "from": time(person.firstAt), "to": time(person.lastAt)] as [String: Any]
        }
    }

    private func clean(_ values: [String: Any]) -> [String: Any] {
        values.filter { !(($0.value as? String)?.isEmpty ?? false) }
    }

    private var verification: [String: Any] {
        let verification = report.verification
        return ["statement": escape(verification.statement), "intact": verification.intact, "head": verification.head ?? "",
                "records": verification.records, "problem": escape(verification.problem ?? ""), "readings": escape(verification.readings)]
    }

    private func queue(_ queue: IncidentReport.QueueImpact) -> [String: Any] {
        func at(_ date: Date?) -> String { date.map { " at \(ReportText.clock($0))" } ?? "" }
        return [
            "queue": escape(queue.queue), "probe": escape(queue.probe),
            "target": queue.target.map(ReportText.percent) ?? "—",
            "lowest": queue.lowestServiceLevel.map { ReportText.percent($0) + at(queue.lowestAt) } ?? "—",
            "below": MetricValue.format(queue.minutesBelowTarget) + " min",
            "waiting": queue.peakWaiting.map { "\($0)\(at(queue.peakWaitingAt))" } ?? "—",
            "longestWait": queue.longestWaitSeconds.map(ReportText.duration) ?? "—",
            "short": queue.peakAgentsShort.map { "\($0)\(at(queue.peakAgentsShortAt))" } ?? "none",
            "readBy": escape(queue.readBy), "readings": queue.readings,
        ]
    }

    private func runbook(_ runbook: IncidentReport.RunbookReport) -> [String: Any] {
        clean([
            "title": escape(runbook.title), "id": escape(runbook.id), "started": ReportText.time(runbook.startedAt),
            "startedBy": escape(runbook.startedBy), "trigger": escape(runbook.trigger ?? ""),
            "finished": runbook.finishedAt.map(ReportText.time) ?? "still running at the end of the log",
            "steps": runbook.steps.map { step in
                var notes: [String] = []
                if let reason = step.reason { notes.append("\(step.outcome == "blocked" ? "blocked" : "skipped"): \(reason)") }
                if let answer = step.answer { notes.append("answer: \(answer)" + (step.why.map { " — \($0)" } ?? "")) }
                else if let why = step.why { notes.append("why: \(why)") }
                if step.overdue {
                    let late = step.overdueBySeconds.flatMap { $0 >= 1 ? " by \(ReportText.duration($0))" : nil } ?? ""
                    notes.append("overdue: not done within \(step.withinSeconds.map(ReportText.duration) ?? "its deadline")\(late)")
                }
                if let evidence = step.waitEvidence { notes.append("completed on \(evidence)") }
                if let state = step.checkState {
                    notes.append("check \(step.check ?? "") \(state == "holds" ? "held" : state == "fails" ? "did not hold" : "was \(state)")"
                        + (step.checkEvidence.map { " (\($0))" } ?? ""))
                }
                if step.rounds > 1 { notes.append("done \(step.rounds) times") }
                return [
                    "id": escape(step.id), "text": escape(step.text), "outcome": step.outcome,
                    "problem": step.overdue || step.outcome == "blocked" || step.outcome == "timed out" || step.outcome == "not done" || step.outcome == "skipped" || step.checkState.map { $0 != "holds" } == true,
                    "started": step.startedAt.map(ReportText.clock) ?? "—", "took": step.tookSeconds.map(ReportText.duration) ?? "—",
                    "by": escape(step.by ?? ""), "notes": escape(notes.joined(separator: "; ")),
                ] as [String: Any]
            },
        ])
    }

    private func decision(_ decision: IncidentReport.Decision) -> [String: Any] {
        clean(["time": ReportText.time(decision.at), "by": escape(decision.by), "question": escape(decision.question ?? ""),
         "answer": escape(decision.answer ?? ""), "text": escape(decision.text), "seq": decision.seq])
    }

    private func message(_ message: IncidentReport.Message) -> [String: Any] {
        var cadence = ""
        if let due = message.dueAt {
            let late = message.lateBySeconds ?? 0
            cadence = late > 0 ? "late by \(ReportText.duration(late)) (due \(ReportText.clock(due)))" : "on time (due \(ReportText.clock(due)))"
        }
        // A fence longer than any run of backticks in the text, so nothing in it closes the block.
        let longestRun = message.text.split(whereSeparator: { $0 != "`" }).map(\.count).max() ?? 0
        return clean([
            "time": ReportText.time(message.at), "by": escape(message.by), "channel": escape(message.channel),
            "audience": escape(message.audience ?? ""), "subject": escape(message.subject ?? ""), "template": escape(message.template),
            "text": message.text, "timing": cadence, "late": (message.lateBySeconds ?? 0) > 0, "seq": message.seq,
            "fence": String(repeating: "`", count: max(3, longestRun + 1)),
        ])
    }
}

import Foundation
import SwitchboardCore

/// Folds an incident's verified records, then its consoles' readings, into an `IncidentReport`.
/// The incident itself is folded by the same `IncidentState` the console uses, so the report
/// and the console agree on who held command, which milestones are set and what is open; the
/// rest (the history of each step, the cadence of client updates, each queue's service) is
/// gathered here. Memory is bounded by the incident's shape, not the log's length: long lists
/// are capped (`listLimit`), lanes and charts downsampled.
public struct ReportBuilder {
    /// At most this many of each list are kept (decisions, messages, hand-overs…); the timeline
    /// the writer streams holds every record.
    public static let listLimit = 1_000
    /// Points kept of each lane or chart.
    static let seriesLimit = 600

    let site: ReportSite
    private(set) var incident: IncidentState?
    /// Whether `incident` is set: asked of every record, without copying the state to ask it.
    private var opened: Bool { if case .some = incident { true } else { false } }
    private var severities = CappedList<IncidentReport.SeverityChange>(limit: listLimit)
    private var commanders = CappedList<IncidentReport.Command>(limit: listLimit)
    private var decisions = CappedList<IncidentReport.Decision>(limit: listLimit)
    private var messages = CappedList<IncidentReport.Message>(limit: listLimit)
    private var gaps = CappedList<IncidentReport.Gap>(limit: listLimit)
    private var spares = CappedList<IncidentReport.SpareUse>(limit: listLimit)
    private var roles = CappedList<IncidentReport.RoleAssignment>(limit: listLimit)
    private var handovers = CappedList<IncidentReport.Handover>(limit: listLimit)
    private var people: [String: IncidentReport.Person] = [:]
    private var peopleOrder: [String] = []
    private var runs: [RunHistory] = []
    private var lanes: [String: Lane] = [:]
    private var laneOrder: [String] = []
    /// The earliest non-OK probe change seen, of any probe and of each probe.
    private var firstProblem: (at: Date, probe: String, seq: Int)?
    private var firstProblemByProbe: [String: (at: Date, seq: Int)] = [:]
    private var earliestObserved: Date?
    private var nextClientUpdateDue: Date?
    private var clientUpdates = 0
    public private(set) var lastRecordAt: Date?
    private(set) var noteCount = 0
    private var queues: [QueueKey: QueueHistory] = [:]
    private var queueOrder: [QueueKey] = []
    /// The status each probe had when the first journal began, for lanes of probes that never changed.
    private var startingStatus: [String: String] = [:]

    public init(site: ReportSite) {
        self.site = site
    }

    // MARK: - Records

    /// Folds in notes read straight from their lines, written in a row by one person in one
    /// role: notes, most of a long log, change nothing the incident's state holds. They are
    /// counted (the writer streams their words).
    public mutating func add(notes: Int, by actor: String, role: String?, from first: Date, until last: Date) {
        guard opened else { return }
        lastRecordAt = last
        noteCount += notes
        count(actor: actor, role: role, at: first)
        lastCounted?.records += notes - 1
        lastCounted?.lastAt = last
    }

    /// Folds in the next record of the log, in order.
    public mutating func add(_ record: LogRecord) {
        lastRecordAt = record.at
        if record.kind == LogKind.note, opened {
            noteCount += 1
            count(actor: record.actor, role: record.entry.role, at: record.at)
            return
        }
        if !opened {
            guard let opened = IncidentState(opening: record) else { return }
            incident = opened
            severities.append(.init(at: record.at, severity: opened.severity.rawValue, by: record.actor))
            commanders.append(.init(person: record.actor, from: record.at, until: nil))
            nextClientUpdateDue = record.at.addingTimeInterval(site.reference.commsCadence.first)
        } else {
            incident?.apply(record)
        }
        guard record.kind != LogKind.readingsSealed else { return }
        count(actor: record.actor, role: record.entry.role, at: record.at)
        switch record.kind {
        case LogKind.severity:
            if let severity = record["severity"]?.string { severities.append(.init(at: record.at, severity: severity, by: record.actor)) }
        case LogKind.handoff:
            handoff(record)
        case LogKind.roleAssigned:
            if let role = record["assigned"]?.string, let person = record["person"]?.string {
                roles.append(.init(at: record.at, role: role, person: person, by: record.actor))
                position(person, holds: role, at: record.at)
            }
        case LogKind.spareUsed:
            spares.append(.init(at: record.at, spare: record["spare"]?.string ?? "", item: record["item"]?.string ?? "",
                                count: record["count"]?.int ?? 1, by: record["by"]?.string ?? record.actor))
        case LogKind.decision:
            decisions.append(.init(seq: record.seq, at: record.at, by: record.actor, runbook: record["runbook"]?.string,
                                   step: record["step"]?.string, question: record["question"]?.string, answer: record["answer"]?.string,
                                   text: record["question"] == nil ? record["text"]?.string ?? "" : record["why"]?.string ?? ""))
        case LogKind.commsSent:
            message(record)
        case LogKind.probeChanged:
            probeChanged(record)
        case LogKind.runbookStarted:
            runs.append(RunHistory(started: record, definition: record["runbook"]?.string.flatMap(site.runbooks.runbook)))
        default:
            break
        }
        if let runbook = record["runbook"]?.string, record.kind != LogKind.runbookStarted,
           let index = runs.lastIndex(where: { $0.id == runbook }) {
            runs[index].apply(record)
        }
    }

    private mutating func count(actor: String, role: String?, at: Date) {
        // The same person logs many records in a row: theirs are counted at hand, and added to
        // the person when someone else logs.
        if lastCounted?.name != actor || lastCounted?.role != role {
            flushCounted()
            if people[actor] == nil {
                peopleOrder.append(actor)
                people[actor] = IncidentReport.Person(name: actor, positions: [], staffRole: site.staffMember(actor)?.role,
                                                      records: 0, firstAt: at, lastAt: at)
            }
            if let role { position(actor, holds: role, at: at) }
            lastCounted = (actor, role, 0, at)
        }
        lastCounted?.records += 1
        lastCounted?.lastAt = at
    }

    /// Records counted for the last person and role, not yet added to their count.
    private var lastCounted: (name: String, role: String?, records: Int, lastAt: Date)?

    private mutating func flushCounted() {
        guard let counted = lastCounted else { return }
        people[counted.name]?.records += counted.records
        people[counted.name]?.lastAt = counted.lastAt
        lastCounted = nil
    }

    /// Notes that `person` held `role` (an ICS position).
    private mutating func position(_ person: String, holds role: String, at: Date) {
        if people[person] == nil {
            peopleOrder.append(person)
            people[person] = IncidentReport.Person(name: person, positions: [], staffRole: site.staffMember(person)?.role,
                                                   records: 0, firstAt: at, lastAt: at)
        }
        if people[person]?.positions.contains(role) == false { people[person]?.positions.append(role) }
    }

    private mutating func handoff(_ record: LogRecord) {
        guard let to = record["to"]?.string else { return }
        let offered = record["offered"]?.bool == true
        handovers.append(.init(at: record.at, from: record["from"]?.string ?? "", to: to,
                               how: offered ? "offered" : record["accepted"]?.string ?? "console", by: record.actor))
        guard !offered else { return }
        commanders.updateLast { $0.until = record.at }
        commanders.append(.init(person: to, from: record.at, until: nil))
        position(to, holds: "incident commander", at: record.at)
    }

    private mutating func message(_ record: LogRecord) {
        let countsForCadence = record["cadence"]?.bool ?? CommsTemplate.namesClients(record["audience"]?.string)
        var message = IncidentReport.Message(
            seq: record.seq, at: record.at, by: record.actor, template: record["template"]?.string ?? "",
            channel: record["channel"]?.string ?? "", audience: record["audience"]?.string, subject: record["subject"]?.string,
            text: record["text"]?.string ?? "", countsForCadence: countsForCadence, dueAt: nil, lateBySeconds: nil)
        if countsForCadence, let due = nextClientUpdateDue {
            message.dueAt = due
            message.lateBySeconds = max(0, record.at.timeIntervalSince(due))
            if record.at > due { gaps.append(.init(dueAt: due, until: record.at, lateBySeconds: record.at.timeIntervalSince(due), filled: true)) }
            nextClientUpdateDue = record.at.addingTimeInterval(site.reference.commsCadence.every)
            clientUpdates += 1
        }
        messages.append(message)
    }

    private mutating func probeChanged(_ record: LogRecord) {
        guard let probe = record["probe"]?.string, let to = record["to"]?.string else { return }
        let observed = record["observed_at"]?.string.flatMap(TimeText.date(iso8601:)) ?? record.at
        earliestObserved = min(earliestObserved ?? observed, observed)
        if lanes[probe] == nil {
            laneOrder.append(probe)
            lanes[probe] = Lane(before: record["from"]?.string)
        }
        lanes[probe]?.spells.append(.init(from: observed, status: to))
        lanes[probe]?.note(to)
        guard to != DisplayStatus.ok.rawValue, to != DisplayStatus.pending.rawValue else { return }
        if firstProblem == nil || observed < firstProblem!.at { firstProblem = (observed, probe, record.seq) }
        if firstProblemByProbe[probe] == nil || observed < firstProblemByProbe[probe]!.at { firstProblemByProbe[probe] = (observed, record.seq) }
    }

    // MARK: - Readings

    /// What a console held when its journal began: the status each probe had then.
    public mutating func add(snapshot: SiteSnapshot) {
        for probe in snapshot.probes where startingStatus[probe.id] == nil {
            if let status = probe.hardStatus { startingStatus[probe.id] = DisplayStatus(status).rawValue }
        }
    }

    /// A reading a console applied, from its journal (`journal` numbers the journal, `actor` says whose).
    public mutating func add(reading: ProbeResult, journal: Int, actor: String) {
        let observation = reading.observation
        guard let level = observation.metric("service_level")?.number else { return }
        let key = QueueKey(journal: journal, probe: reading.probeID)
        if queues[key] == nil {
            queueOrder.append(key)
            queues[key] = QueueHistory(queue: observation.metric("queue")?.display ?? reading.probeID, readBy: actor)
        }
        queues[key]?.add(level: level, target: observation.metric("target")?.number, waiting: observation.metric("waiting")?.number,
                         longestWait: observation.metric("longest_wait")?.number, short: observation.metric("agents.short")?.number,
                         at: reading.at)
    }

    // MARK: - The report

    /// The report, once every record and reading is in; nil when no record opened an incident.
    public func finish(verification: IncidentReport.Verification, generatedAt: Date, generator: String) -> IncidentReport? {
        guard let incident, let lastRecordAt else { return nil }
        let end = incident.closedAt ?? lastRecordAt
        let milestones = self.milestones(incident)
        let resolvedAt = milestones.first { $0.name == Milestone.resolved.rawValue }?.at
        var commanders = self.commanders.elements
        if let last = commanders.indices.last, commanders[last].until == nil, incident.closedAt != nil { commanders[last].until = end }
        var gaps = self.gaps.elements
        if let due = nextClientUpdateDue, end > due {
            gaps.append(.init(dueAt: due, until: end, lateBySeconds: end.timeIntervalSince(due), filled: false))
        }
        let start = min(earliestObserved ?? incident.openedAt, incident.openedAt)
        return IncidentReport(
            report: .init(generatedAt: generatedAt, generator: generator),
            verification: verification,
            incident: .init(id: incident.id, title: incident.title, site: site.name, drill: incident.isDrill,
                            status: incident.isOpen ? "open" : "closed", severity: incident.severity.rawValue,
                            severities: severities.elements, openedAt: incident.openedAt, openedBy: incident.openedBy,
                            closedAt: incident.closedAt, closedBy: incident.closedBy, closingSummary: incident.closingSummary,
                            lastRecordAt: lastRecordAt, durationSeconds: end.timeIntervalSince(incident.openedAt), commanders: commanders),
            milestones: milestones,
            durations: Self.durations(milestones, openedAt: incident.openedAt, closedAt: incident.closedAt),
            runbooks: runs.map { $0.report(until: end) },
            decisions: decisions.elements,
            serviceLevels: queueReports(until: end),
            comms: commsReport(gaps: gaps),
            sparesUsed: spares.elements,
            roles: roles.elements,
            handovers: handovers.elements,
            openTodos: incident.openTodos.prefix(Self.listLimit).map { todo in
                let record = incident.record(seq: todo.seq)
                return .init(seq: todo.seq, at: record?.at ?? incident.openedAt, by: record?.actor ?? "", text: todo.text)
            },
            followUps: site.reference.followUps.map { followUp in
                .init(id: followUp.id, action: followUp.action, owner: followUp.owner,
                      due: followUp.due.map { (resolvedAt ?? end).addingTimeInterval($0.seconds) }, notes: followUp.notes)
            },
            people: countedPeople(),
            probes: probeLanes(start: start),
            noteCount: noteCount)
    }

    private func countedPeople() -> [IncidentReport.Person] {
        var builder = self
        builder.flushCounted()
        return peopleOrder.compactMap { builder.people[$0] }
    }

    /// The moments a review measures between, each with where its time comes from.
    private func milestones(_ incident: IncidentState) -> [IncidentReport.MilestoneTime] {
        func set(_ milestone: Milestone) -> IncidentReport.MilestoneTime? {
            guard let time = incident.milestones[milestone] else { return nil }
            var source = "set by \(time.by) (record #\(time.seq))"
            if let correction = time.correction { source += ", moved: \(correction)" }
            return .init(name: milestone.rawValue, at: time.occurredAt, source: source)
        }
        // What is derived keeps the anchors in order: a probe problem seen only after the incident
        // was opened did not detect it, nor can it date the impact that was detected; with none
        // before, both are left for the commander to set (never made up). What was set stands.
        let opened = incident.openedAt
        let problemBeforeOpening = firstProblem.flatMap { $0.at <= opened ? $0 : nil }
        let triggered = Set(runs.compactMap(\.definition).flatMap { $0.triggers.flatMap(\.probeIDs) })
        let impact: IncidentReport.MilestoneTime
        if let set = set(.impactStarted) {
            impact = set
        } else if let first = firstProblemByProbe.filter({ triggered.contains($0.key) && $0.value.at <= opened })
            .min(by: { $0.value.at < $1.value.at }) {
            impact = .init(name: Milestone.impactStarted.rawValue, at: first.value.at,
                           source: "derived: the first problem of \(first.key), which a runbook of this incident triggers on (record #\(first.value.seq))")
        } else if let first = problemBeforeOpening {
            impact = .init(name: Milestone.impactStarted.rawValue, at: first.at,
                           source: "derived: the first problem of any probe, \(first.probe) (record #\(first.seq))")
        } else {
            impact = .init(name: Milestone.impactStarted.rawValue, at: nil,
                           source: "not set, and no probe problem was logged before the incident opened: set it with m, "
                               + "or 'switchboard incident milestone impact-started --at TIME'")
        }
        let detected = set(.detected) ?? problemBeforeOpening.map {
            .init(name: Milestone.detected.rawValue, at: $0.at, source: "derived: the console showed \($0.probe)'s problem (record #\($0.seq))")
        } ?? .init(name: Milestone.detected.rawValue, at: nil,
                   source: "not set, and no probe problem was logged before the incident opened: set it with m, "
                       + "or 'switchboard incident milestone detected --at TIME'")
        let acknowledged = IncidentReport.MilestoneTime(name: "acknowledged", at: opened,
                                                        source: "the incident opened by \(incident.openedBy) (record #1)")
        let runbook = runs.first.map {
            IncidentReport.MilestoneTime(name: "runbook-started", at: $0.startedAt, source: "\($0.title) started by \($0.startedBy) (record #\($0.startSeq))")
        } ?? .init(name: "runbook-started", at: nil, source: "no runbook was started")
        func commanderSets(_ milestone: Milestone) -> IncidentReport.MilestoneTime {
            set(milestone) ?? .init(name: milestone.rawValue, at: nil,
                                    source: "not set: m in the console, or 'switchboard incident milestone \(milestone.rawValue) --at TIME'")
        }
        return [impact, detected, acknowledged, runbook, commanderSets(.mitigated), commanderSets(.resolved)]
    }

    /// The intervals between milestones, each naming both anchors.
    static func durations(_ milestones: [IncidentReport.MilestoneTime], openedAt: Date, closedAt: Date?) -> [IncidentReport.Interval] {
        func at(_ name: String) -> Date? { milestones.first { $0.name == name }?.at }
        func between(_ name: String, _ from: String, _ to: String, _ meaning: String) -> IncidentReport.Interval {
            let seconds = at(from).flatMap { start in at(to).map { $0.timeIntervalSince(start) } }
            return .init(name: name, from: from, to: to, seconds: seconds, meaning: meaning)
        }
        var intervals = [
            between("time to detect", "impact-started", "detected",
                    "from impact started to detected; what some call MTTD"),
            between("time to acknowledge", "detected", "acknowledged",
                    "from detected to the incident opened (acknowledged); what some call MTTA"),
            between("time to start the runbook", "acknowledged", "runbook-started",
                    "from the incident opened to its first runbook started"),
            between("time to mitigate", "impact-started", "mitigated",
                    "from impact started to mitigated (the harm stopped growing)"),
            between("time to resolve", "impact-started", "resolved",
                    "from impact started to resolved (service as before); what is often called MTTR, here for this one incident, "
                        + "from impact, not from detection or the incident opening"),
        ]
        intervals.append(.init(name: "incident open", from: "acknowledged", to: "closed", seconds: closedAt.map { $0.timeIntervalSince(openedAt) },
                               meaning: "from the incident opened to it closed"))
        return intervals
    }

    private func commsReport(gaps: [IncidentReport.Gap]) -> IncidentReport.CommsReport {
        let cadence = site.reference.commsCadence
        let late = messages.elements.filter { ($0.lateBySeconds ?? 0) > 0 }
        let longest = gaps.map(\.lateBySeconds).max()
        var summary = "\(messages.total) message\(messages.total == 1 ? "" : "s") sent, \(clientUpdates) of them client updates"
        if gaps.isEmpty {
            summary += clientUpdates > 0 ? "; the cadence was kept" : ""
        } else {
            summary += "; cadence missed \(gaps.count) time\(gaps.count == 1 ? "" : "s")"
                + (late.isEmpty ? "" : " (\(late.count) update\(late.count == 1 ? "" : "s") sent late)")
                + (longest.map { ", at worst by \(ReportText.duration($0))" } ?? "")
        }
        return .init(firstSeconds: cadence.first, everySeconds: cadence.every, messages: messages.elements, gaps: gaps, summary: summary)
    }

    private func queueReports(until end: Date) -> [IncidentReport.QueueImpact] {
        // Each queue from one console's readings: the first journal that has it.
        var seen: Set<String> = []
        return queueOrder.sorted { $0.journal < $1.journal }.compactMap { key in
            guard !seen.contains(key.probe), let history = queues[key] else { return nil }
            seen.insert(key.probe)
            return history.report(probe: key.probe, until: end)
        }.sorted { $0.probe < $1.probe }
    }

    private func probeLanes(start: Date) -> [IncidentReport.ProbeLane] {
        var result: [IncidentReport.ProbeLane] = []
        for spec in site.specs {
            if let lane = lanes[spec.id] {
                result.append(lane.report(probe: spec.id, pane: spec.pane, start: start, startingStatus: startingStatus[spec.id]))
            } else if let status = startingStatus[spec.id] {
                result.append(.init(probe: spec.id, pane: spec.pane.rawValue, spells: [.init(from: start, status: status)], worst: status))
            }
        }
        // Probes the log names that the site no longer has.
        for probe in laneOrder where !site.specs.contains(where: { $0.id == probe }) {
            result.append(lanes[probe]!.report(probe: probe, pane: nil, start: start, startingStatus: startingStatus[probe]))
        }
        return result
    }
}

/// One probe's status over the incident, downsampled past `seriesLimit` spells.
private struct Lane {
    var before: String?
    var spells = BoundedSeries<IncidentReport.Spell>(limit: ReportBuilder.seriesLimit) { first, second in
        .init(from: first.from, status: Lane.worse(first.status, second.status))
    }
    var worst = DisplayStatus.ok.rawValue

    init(before: String?) {
        self.before = before
        if let before { note(before) }
    }

    mutating func note(_ status: String) { worst = Lane.worse(worst, status) }

    static func worse(_ first: String, _ second: String) -> String {
        let rank = { (status: String) in DisplayStatus(rawValue: status)?.severity ?? 0 }
        return rank(second) > rank(first) ? second : first
    }

    func report(probe: String, pane: Pane?, start: Date, startingStatus: String?) -> IncidentReport.ProbeLane {
        var spells = self.spells.elements
        // Before its first change, the probe was as that change says it came from.
        if let first = spells.first, first.from > start, let before = before ?? startingStatus {
            spells.insert(.init(from: start, status: before), at: 0)
        }
        return .init(probe: probe, pane: pane?.rawValue ?? "unknown", spells: spells, worst: worst)
    }
}

/// Which console's readings of which probe.
private struct QueueKey: Hashable {
    var journal: Int
    var probe: String
}

/// One queue's readings from one console, folded as they come.
private struct QueueHistory {
    var queue: String
    var readBy: String
    var target: Double?
    var lowest: (level: Double, at: Date)?
    var belowSeconds: Double = 0
    var peakWaiting: (count: Int, at: Date)?
    var longestWait: Double?
    var peakShort: (count: Int, at: Date)?
    var readings = 0
    var last: (level: Double, target: Double?, at: Date)?
    var series = BoundedSeries<IncidentReport.Point>(limit: ReportBuilder.seriesLimit) { first, second in
        first.value <= second.value ? first : .init(at: first.at, value: second.value)
    }

    init(queue: String, readBy: String) {
        self.queue = queue
        self.readBy = readBy
    }

    mutating func add(level: Double, target: Double?, waiting: Double?, longestWait: Double?, short: Double?, at: Date) {
        readings += 1
        if let target { self.target = target }
        // Under target from one reading to the next.
        if let last, let lastTarget = last.target, last.level < lastTarget, at > last.at { belowSeconds += at.timeIntervalSince(last.at) }
        last = (level, target ?? self.target, at)
        if lowest == nil || level < lowest!.level { lowest = (level, at) }
        if let waiting, peakWaiting == nil || Int(waiting) > peakWaiting!.count { peakWaiting = (Int(waiting), at) }
        if let longestWait { self.longestWait = max(self.longestWait ?? 0, longestWait) }
        if let short, short > 0, peakShort == nil || Int(short) > peakShort!.count { peakShort = (Int(short), at) }
        series.append(.init(at: at, value: level))
    }

    func report(probe: String, until end: Date) -> IncidentReport.QueueImpact {
        var below = belowSeconds
        if let last, let lastTarget = last.target, last.level < lastTarget, end > last.at { below += end.timeIntervalSince(last.at) }
        return .init(probe: probe, queue: queue, target: target, lowestServiceLevel: lowest?.level, lowestAt: lowest?.at,
                     minutesBelowTarget: (below / 60 * 10).rounded() / 10, peakWaiting: peakWaiting?.count, peakWaitingAt: peakWaiting?.at,
                     longestWaitSeconds: longestWait, peakAgentsShort: peakShort?.count, peakAgentsShortAt: peakShort?.at,
                     readings: readings, readBy: readBy, series: series.elements)
    }
}

import Foundation
import SwitchboardCore
import SwitchboardReports
import SwitchboardStore

/// An incident written to a real state directory, record by record at fixed times, with its
/// console's readings journal sealed into the log: the utility power fails, the generator will
/// not start until it is started by hand, a queue's service level dips under target, clients
/// are told (late, twice), command changes hands, and it is resolved and closed. Every time is
/// `t0` plus whole seconds, so each figure a report prints can be worked out by hand.
struct ScriptedIncident {
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000) // 2026-11-18 11:06:40 UTC
    static let generatedAt = Date(timeIntervalSince1970: 1_795_100_000)

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static let runbookYAML = """
        id: power
        title: Utility power failure
        severity: sev1
        triggers: ["ups-main.ups.status has OB"]
        steps:
          - id: confirm
            do: Confirm the UPS carries the load
            check: "ups-main.ups.status has OB"
          - id: generator
            do: Verify the generator took the load
            wait: "generator is ok"
            within: 2m
            on_timeout: manual
            next: notify
          - id: manual
            do: Start the generator by hand
          - id: notify
            do: Tell clients service may be degraded
            notify: client-degraded
          - id: power-back
            ask: Is utility power expected back within 30 minutes?
            choices: {yes: end, no: relocate}
          - id: relocate
            do: Prepare to route calls to the alternate center
        """

    static var site: ReportSite {
        let context = RunbookContext(
            probes: ["ups-main": ProbeDeclaration(kind: "nut", metrics: nil), "generator": ProbeDeclaration(kind: "exec", metrics: nil),
                     "queue-sales": ProbeDeclaration(kind: "agents", metrics: nil)],
            comms: ["client-degraded", "client-update"])
        let runbook = try! RunbookLoader(context: context).load(yaml: runbookYAML, file: "power.yaml")
        return ReportSite(
            name: "Phoenix contact center",
            specs: [ProbeSpec(id: "ups-main", pane: .power, kind: "nut"), ProbeSpec(id: "generator", pane: .power, kind: "exec"),
                    ProbeSpec(id: "isp-a", pane: .network, kind: "exec"), ProbeSpec(id: "queue-sales", pane: .agents, kind: "agents")],
            runbooks: RunbookLibrary(runbooks: [runbook]),
            reference: SiteReference(
                staff: [StaffMember(name: "alice", role: "facilities lead"), StaffMember(name: "Bob Ng", role: "network engineer", user: "bob")],
                spares: [Spare(id: "ups-battery", item: "UPS battery module", count: 4)],
                comms: [CommsTemplate(id: "client-degraded", channel: "client-email", audience: "all clients", body: "x"),
                        CommsTemplate(id: "client-update", channel: "client-email", audience: "all clients", body: "x")],
                commsCadence: CommsCadence(first: 300, every: 1200),
                followUps: [FollowUp(id: "csat", action: "Send the client satisfaction survey to every client affected",
                                     owner: "Client services lead", due: .seconds(3 * 86_400), notes: "after, not during"),
                            FollowUp(id: "review", action: "Hold the post-incident review", owner: "Site manager", due: .seconds(7 * 86_400))]))
    }

    let directory: StateDirectory
    let id: String
    var logPath: String { directory.logPath(for: id) }

    /// Writes the incident into a new state directory under the system's temporary folder;
    /// `extraNotes` more notes by bob after his first.
    static func write(extraNotes: Int = 0) throws -> ScriptedIncident {
        let directory = StateDirectory(path: NSTemporaryDirectory() + "sb-report-\(UUID().uuidString)")
        let (state, log) = try directory.openIncident(title: "Utility power failure | generator", severity: .sev2, actor: "alice", at: t0)
        let journal = try ReadingsJournalFile.create(in: directory, header: JournalHeader(
            incident: state.id, console: "20261118-094640-opsdesk-4121", actor: "alice", host: "opsdesk", pid: 4121, started: t0))
        func reading(_ probe: String, _ status: ProbeStatus, _ summary: String, _ seconds: Double, _ metrics: [Metric]) -> ProbeResult {
            ProbeResult(probeID: probe, observation: ProbeObservation(status: status, summary: summary, metrics: metrics),
                        at: at(seconds), duration: .milliseconds(5))
        }
        func number(_ name: String, _ value: Double, _ unit: String = "") -> Metric { Metric(name: name, value: .number(value, unit: unit)) }
        func queueReading(_ seconds: Double) -> ProbeResult {
            let level: Double = seconds < 300 ? 90 : seconds < 420 ? 75 : seconds == 420 ? 72 : seconds < 600 ? 78 : 85
            let waiting: Double = seconds == 420 ? 9 : level < 80 ? 5 : 1
            let short: Double = seconds == 420 ? 3 : level < 80 ? 1 : 0
            return reading("queue-sales", level < 80 ? .warning : .ok, "SL \(Int(level))% / 80%", seconds, [
                Metric(name: "queue", value: .text("sales")), number("service_level", level, "%"), number("target", 80, "%"),
                number("waiting", waiting), number("longest_wait", waiting * 10, "s"), number("agents.short", short)])
        }
        journal.append(.snapshot(SiteSnapshot(at: t0, startedAt: t0.addingTimeInterval(-600), probes: [
            .init(id: "ups-main", latest: reading("ups-main", .warning, "on battery", -30, [Metric(name: "ups.status", value: .text("OB DISCHRG"))]),
                  hardStatus: .warning, problemStreak: 1, since: at(-30), history: [], staleRecorded: false),
            .init(id: "generator", latest: reading("generator", .ok, "standby", -10, []), hardStatus: .ok, problemStreak: 0,
                  since: at(-600), history: [], staleRecorded: false),
            .init(id: "isp-a", latest: reading("isp-a", .ok, "PING OK", -5, []), hardStatus: .ok, problemStreak: 0,
                  since: at(-600), history: [], staleRecorded: false),
        ])))
        for seconds in stride(from: 0.0, through: 1500, by: 30) { journal.append(.reading(queueReading(seconds))) }

        var records = 0
        func append(_ entry: LogEntry) throws {
            records = try log.append(entry).records.last?.seq ?? records
        }
        func step(_ kind: String, _ stepID: String, next: String?, _ seconds: Double, by actor: String = "alice",
                  _ extra: [String: JSONValue] = [:]) throws {
            let runbook = site.runbooks.runbook("power")!
            try append(.step(kind, runbook: "power", step: runbook.step(stepID)!, next: next, extra: extra, actor: actor,
                          role: actor == "alice" ? "incident commander" : "scribe", at: at(seconds)))
        }
        try append(.probeChanged(StateChange(at: at(-30), probeID: "ups-main", from: .ok, to: .warning, summary: "on battery · 100%",
                                          metrics: [Metric(name: "ups.status", value: .text("OB DISCHRG"))]),
                              actor: "alice", at: t0, beforeOpen: true))
        if let seal = try journal.seal() { try append(seal.entry(actor: "alice", at: at(1))) }
        try append(.runbookStarted(site.runbooks.runbook("power")!, trigger: "ups-main.ups.status has OB", actor: "alice",
                                role: "incident commander", at: at(20)))
        try step(LogKind.stepDone, "confirm", next: "generator", 50, ["round": .int(1), "check": .string("ups-main.ups.status has OB"),
                 "check_state": .string("holds"), "check_evidence": .object(["ups-main.ups.status": .string("OB DISCHRG")])])
        try append(.probeChanged(StateChange(at: at(58), probeID: "generator", from: .ok, to: .critical, summary: "start failed (alarm 23)"),
                              actor: "alice", at: at(60)))
        try step(LogKind.stepOverdue, "generator", next: "manual", 170, ["within": .int(120)])
        try append(.roleAssigned("scribe", to: "bob", actor: "alice", role: "incident commander", at: at(200)))
        try append(.spareUsed(site.reference.spare("ups-battery")!, count: 1, by: "bob", actor: "bob", role: "scribe", at: at(230)))
        try step(LogKind.stepDone, "manual", next: "notify", 260, ["round": .int(1)])
        try append(.probeChanged(StateChange(at: at(268), probeID: "generator", from: .critical, to: .ok, summary: "running, on load"),
                              actor: "alice", at: at(270)))
        try append(.commsSent(template: site.reference.template("client-degraded")!, subject: "Service may be degraded",
                           text: "Dear client,\nour site runs on generator power; calls may wait longer.\n`ref 23` | Phoenix",
                           notifyStep: ("power", "notify"), actor: "alice", role: "incident commander", at: at(330)))
        try step(LogKind.stepDone, "notify", next: "power-back", 335, ["round": .int(1), "notify": .string("client-degraded")])
        try step(LogKind.decision, "power-back", next: "relocate", 400, ["question": .string("Is utility power expected back within 30 minutes?"),
                 "answer": .string("no"), "round": .int(1), "why": .string("utility ETA 2 h"),
                 "text": .string("Is utility power expected back within 30 minutes? → no")])
        try step(LogKind.stepSkipped, "relocate", next: "end", 420, ["reason": .string("the generator carries the load")])
        try append(.handoff(from: "alice", to: "bob", .console, actor: "bob", role: "scribe", at: at(500)))
        try append(.milestone(.mitigated, occurredAt: at(280), actor: "bob", role: "incident commander", at: at(600)))
        try append(.amendment(of: records, text: "the generator took the load at 11:11:10", occurredAt: at(270), actor: "bob",
                           role: "incident commander", at: at(700)))
        try append(.remark(.note, text: "generator fuel 80% <ok> & holding", actor: "bob", role: "incident commander", at: at(900)))
        for number in 0..<extraNotes {
            try append(.remark(.note, text: "round \(number + 1): fuel checked", actor: "bob", role: "incident commander", at: at(901 + Double(number))))
        }
        try append(.remark(.todo, text: "refuel the generator", actor: "bob", role: "incident commander", at: at(1000)))
        try append(.commsSent(template: site.reference.template("client-update")!, subject: nil, text: "Update: still on generator power.",
                           notifyStep: nil, actor: "bob", role: "incident commander", at: at(1600)))
        try append(.probeChanged(StateChange(at: at(1695), probeID: "ups-main", from: .warning, to: .ok, summary: "on line"),
                              actor: "alice", at: at(1700)))
        try append(.milestone(.resolved, occurredAt: at(1700), actor: "bob", role: "incident commander", at: at(1750)))
        if let seal = try journal.seal() { try append(seal.entry(actor: "alice", at: at(1799))) }
        try append(.closed(summary: "utility power restored; no calls lost", actor: "bob", role: "incident commander", at: at(1800)))
        return ScriptedIncident(directory: directory, id: state.id)
    }

    func report(_ format: ReportFormat, to path: String? = nil) throws -> (text: String, verification: IncidentReport.Verification) {
        let output = path ?? directory.path + "/report.\(format.rawValue)"
        let verification = try IncidentReporter.write(logPath: logPath, site: Self.site, options: .init(
            format: format, outputPath: output, generatedAt: Self.generatedAt, generator: "switchboard test"))
        return (try String(contentsOfFile: output, encoding: .utf8), verification)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory.path)
    }
}

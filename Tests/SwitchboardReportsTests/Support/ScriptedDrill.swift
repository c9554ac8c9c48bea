import Foundation
import SwitchboardCore
import SwitchboardReports
import SwitchboardStore

/// A drill written to a real state directory at fixed scenario times, played from a scenario
/// file on disk: pat starts the runbook in time and confirms the UPS late, nobody tells the
/// clients, the decision is answered the other way, a note meets an expectation tied to no
/// objective; the facilitator pauses, speeds up and writes an inject of their own; an evaluator
/// notes a strength and an area for improvement. Every figure of the after-action report can
/// be worked out by hand from this file.
struct ScriptedDrill {
    static let t0 = ScriptedIncident.t0

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static let scenarioYAML = """
        id: scripted-power
        title: Power fails | the scripted drill
        audience: new techs
        description: The power fails and the team follows the procedure.
        duration: 20m
        objectives:
          - {id: power, text: Start the procedure and confirm the UPS}
          - {id: clients, text: Tell the clients within 5 minutes}
          - {id: decide, text: Decide on the utility's estimate}
          - {id: unused, text: An objective no inject reaches}
        start:
          ups-main: {status: ok, summary: on line}
        injects:
          - at: 1m
            from: Facilities
            to: Incident commander
            message: The lights go out.
            set: {ups-main: {status: warning, summary: on battery, metrics: {ups.status: OB DISCHRG}}}
            expect:
              - {runbook: power, within: 2m, objective: power}
              - {step: power/confirm, within: 3m, objective: power}
          - at: 3m
            message: Clients call in.
            expect:
              - {comms: client-degraded, within: 5m, objective: clients}
          - at: 6m
            message: "The utility: three hours."
            expect:
              - {decision: power/power-back, answer: "no", within: 5m, objective: decide}
              - {note: alarm, within: 4m}
          - at: 15m
            message: Never played.
            expect:
              - {note: never, within: 1m, objective: unused}
        """

    static var context: ScenarioContext {
        ScenarioContext(probes: ["ups-main": ProbeDeclaration(kind: "nut", metrics: nil), "generator": ProbeDeclaration(kind: "exec", metrics: nil)],
                        runbooks: ScriptedIncident.site.runbooks, comms: ["client-degraded", "client-update"])
    }

    let directory: StateDirectory
    let id: String
    let scenarioFile: String
    var logPath: String { directory.drills.logPath(for: id) }

    static func write() throws -> ScriptedDrill {
        let directory = StateDirectory(path: NSTemporaryDirectory() + "sb-drill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let file = directory.path + "/scripted-power.yaml"
        try scenarioYAML.write(toFile: file, atomically: true, encoding: .utf8)
        let scenario = try DrillScenarioLoader(context: context).load(yaml: scenarioYAML, file: file)
        let (state, log) = try directory.drills.openIncident(.drillOpened(
            scenario, sha256: DrillScenario.digest(of: Data(scenarioYAML.utf8)), speed: 60, actor: "fran", at: t0, wall: t0))
        func append(_ entry: LogEntry) throws { _ = try log.append(entry) }
        func inject(_ number: Int, _ seconds: Double) throws {
            let inject = scenario.inject(number)!
            try append(.drillInject(inject, from: inject.from, to: inject.to, message: inject.message, byHand: false, actor: "fran", at: at(seconds)))
        }
        let runbook = ScriptedIncident.site.runbooks.runbook("power")!
        func step(_ kind: String, _ stepID: String, next: String?, _ seconds: Double, _ extra: [String: JSONValue] = [:]) throws {
            try append(.step(kind, runbook: "power", step: runbook.step(stepID)!, next: next, extra: extra, actor: "pat",
                             role: "incident commander", at: at(seconds)))
        }

        try inject(1, 60)
        try append(.runbookStarted(runbook, trigger: nil, actor: "pat", role: "incident commander", at: at(90)))
        try append(.drillEvaluation(objective: "power", note: "strength", text: "pat found the runbook at once", actor: "eve", at: at(120)))
        try inject(2, 180)
        try append(.drillControl("pause", setting: .init(elapsed: 270, since: at(270), speed: 60, paused: true), actor: "fran", at: at(270)))
        try append(.drillControl("speed", setting: .init(elapsed: 270, since: at(270), speed: 4, paused: false), actor: "fran", at: at(270)))
        try step(LogKind.stepDone, "confirm", next: "generator", 300, ["round": .int(1)])
        try append(.drillInject(nil, from: "CEO", to: "Incident commander", message: "How long will this last?", byHand: true,
                                actor: "fran", at: at(330)))
        try inject(3, 360)
        try append(.remark(.note, text: "Alarm 23 on the generator panel", actor: "pat", role: "incident commander", at: at(420)))
        try step(LogKind.decision, "power-back", next: "end", 480, ["answer": .string("yes"), "round": .int(1),
                 "question": .string("Is utility power expected back within 30 minutes?")])
        try append(.drillEvaluation(objective: "clients", note: "improvement", text: "nobody owned client messages", actor: "eve", at: at(540)))
        try append(.drillEvaluation(objective: nil, note: "observation", text: "the room was calm", actor: "eve", at: at(600)))
        try append(.closed(summary: "drill over", actor: "fran", role: "facilitator", at: at(720)))
        return ScriptedDrill(directory: directory, id: state.id, scenarioFile: file)
    }

    /// The after-action report, Markdown or (to a `.html` path) a page.
    func report(to path: String? = nil) throws -> String {
        let output = path ?? directory.path + "/aar.md"
        let context = Self.context
        try IncidentReporter.write(logPath: logPath, site: ScriptedIncident.site, options: .init(
            format: .aar, outputPath: output, generatedAt: ScriptedIncident.generatedAt, generator: "switchboard test",
            scenario: { _, file in DrillLibrary.load(files: [file], context: context).scenarios.first }))
        return try String(contentsOfFile: output, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory.path)
    }
}

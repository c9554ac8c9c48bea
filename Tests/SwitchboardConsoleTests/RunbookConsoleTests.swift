import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardConsole
import TerminalUI

@Suite("Console: runbooks and the stepper")
struct RunbookConsoleTests {
    static let yaml = """
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
            wait: "generator.state == running"
            within: 2m
            on_timeout: manual
            next: notify
          - id: manual
            do: Start the generator by hand
          - id: notify
            do: Tell clients service may be degraded
            every: 20m
          - id: back
            ask: Is power expected back within 30 minutes?
            choices: {yes: end, no: relocate}
          - id: relocate
            do: Prepare to relocate
        """

    static func runbook() throws -> Runbook {
        let context = RunbookContext(probes: Dictionary(uniqueKeysWithValues: Fixtures.specs.map { ($0.id, nil) }))
        return try RunbookLoader(context: context).load(yaml: yaml, file: "power.yaml")
    }

    /// Presses each key and lets the log answer what it queued, as the writer does between keys.
    static func press(_ keys: [Key], _ state: inout ConsoleState, _ log: inout ScriptedLog) {
        for key in keys {
            IncidentConsoleTests.press([key], &state)
            log.answer(&state)
        }
    }

    /// What the reducer queued for the log about runbooks (probe changes aside).
    static func runbookRequests(_ state: ConsoleState) -> [ActionLogRequest] {
        state.logRequests.filter { if case .append(let entry) = $0 { entry.kind != LogKind.probeChanged } else { true } }
    }

    static func ups(_ status: String, at seconds: Double) -> ConsoleInput {
        Fixtures.result("ups-main", status == "OL" ? .ok : .warning, status == "OL" ? "on line" : "on battery · 83%",
                        at: seconds, metrics: [Metric(name: "ups.status", value: .text(status)), Fixtures.number("battery.charge", 83, "%")])
    }

    static func at(_ seconds: Double) -> ConsoleInput { .site(.clock(Fixtures.start.addingTimeInterval(seconds))) }

    /// The fixture console as alice, with the power runbook loaded and the UPS gone on battery at 41 s.
    static func onBattery() throws -> (ConsoleState, ScriptedLog) {
        var state = Fixtures.state(size: Size(width: 80, height: 24))
        state.actor = "alice"
        state.runbooks = RunbookLibrary(runbooks: [try runbook()])
        ConsoleReducer.reduce(&state, ups("OB", at: 41))
        return (state, ScriptedLog())
    }

    /// The runbook started through the suggestion, with an incident opened for it.
    static func started() throws -> (ConsoleState, ScriptedLog) {
        var (state, log) = try onBattery()
        press([.character("r"), .enter, .enter], &state, &log)
        return (state, log)
    }

    static func run(_ state: ConsoleState) throws -> RunbookRun {
        try #require(state.incident?.run(of: "power"))
    }

    @Test("a trigger becoming true suggests the runbook; it goes when the trigger no longer holds")
    func suggestion() throws {
        var (state, _) = try Self.onBattery()
        #expect(state.suggestions == ["power"])
        #expect(state.prompt?.text == "⚑ Utility power failure runbook? r to start · ups-main: on battery · 83%")
        let screen = ConsoleView(theme: .make(color: false, unicode: true)).render(state).text
        #expect(screen.contains("Utility power failure runbook? r to start"))
        ConsoleReducer.reduce(&state, Self.ups("OL", at: 46))
        #expect(state.suggestions.isEmpty)
        #expect(state.prompt == nil)
    }

    @Test("r lists the suggested runbook first; starting it without an incident opens one for it")
    func startWithoutIncident() throws {
        var (state, log) = try Self.onBattery()
        IncidentConsoleTests.press([.character("r")], &state)
        #expect(ConsoleReducer.pickerEntries(state, filter: "").first == .suggested(try Self.runbook()))
        IncidentConsoleTests.press([.enter], &state)
        #expect(state.form?.purpose == .openIncident)
        #expect(state.form?.text(0) == "Utility power failure" && state.form?.choice(1) == "SEV1")
        Self.press([.enter], &state, &log)
        let started = try #require(log.records.last)
        #expect(started.kind == LogKind.runbookStarted)
        #expect(started["trigger"]?.string == "ups-main.ups.status has OB" && started["next"]?.string == "confirm")
        #expect(try Self.run(state).current == "confirm")
        #expect(state.shownRunbook == "power" && state.focus == .stepper)
        #expect(state.suggestions.isEmpty && state.prompt == nil)
    }

    @Test("d marks the step done and moves on; a wait that holds completes its step with the readings as evidence")
    func doneAndWait() throws {
        var (state, log) = try Self.started()
        // A second d before the first is on disk does not log the step twice.
        IncidentConsoleTests.press([.character("d"), .character("d")], &state)
        #expect(Self.runbookRequests(state).count == 1)
        #expect(state.hint?.text == "saving… the step is being logged as done")
        log.answer(&state)
        #expect(log.records.last?.kind == LogKind.stepDone && log.records.last?["next"]?.string == "generator")
        #expect(try Self.run(state).current == "generator")
        #expect(state.selectedStep?.id == "generator")

        ConsoleReducer.reduce(&state, Fixtures.result("generator", .ok, "running, on load", at: 50,
                                                      metrics: [Metric(name: "state", value: .text("running"))]))
        log.answer(&state)
        let auto = try #require(log.records.last)
        #expect(auto.kind == LogKind.stepDone && auto["auto"]?.bool == true && auto["next"]?.string == "notify")
        #expect(auto["evidence"] == .object(["generator": .object(["status": .string("ok"), "state": .string("running")])]))
        #expect(try Self.run(state).progress(of: "generator").outcome == .done(automatic: true))
        #expect(try Self.run(state).current == "notify")
        // Another reading does not log it twice.
        ConsoleReducer.reduce(&state, Fixtures.result("generator", .ok, "running, on load", at: 55,
                                                      metrics: [Metric(name: "state", value: .text("running"))]))
        #expect(Self.runbookRequests(state).isEmpty)
    }

    @Test("a deadline that passes is logged as overdue once and follows on_timeout")
    func deadline() throws {
        var (state, log) = try Self.started()
        Self.press([.character("d")], &state, &log)
        let activated = try #require(try Self.run(state).progress(of: "generator").activatedAt)
        let since = activated.timeIntervalSince(Fixtures.start)
        ConsoleReducer.reduce(&state, Self.at(since + 60))
        #expect(Self.runbookRequests(state).isEmpty)
        let stepper = ConsoleView(theme: .make(color: false, unicode: true)).render(state).text
        #expect(stepper.contains("1:00 left"))
        ConsoleReducer.reduce(&state, Self.at(since + 120))
        log.answer(&state)
        let overdue = try #require(log.records.last)
        #expect(overdue.kind == LogKind.stepOverdue && overdue["within"]?.int == 120 && overdue["next"]?.string == "manual")
        #expect(try Self.run(state).current == "manual")
        #expect(try Self.run(state).progress(of: "generator").overdue)
        ConsoleReducer.reduce(&state, Self.at(since + 130))
        log.answer(&state)
        ConsoleReducer.reduce(&state, Self.at(since + 131))
        #expect(Self.runbookRequests(state).isEmpty)
        #expect(ConsoleView(theme: .make(color: false, unicode: true)).render(state).text.contains("OVERDUE +0:11"))
    }

    @Test("s and b ask why and log the reason; u reopens a step and makes it current")
    func skipBlockReopen() throws {
        var (state, log) = try Self.started()
        Self.press([.character("s")], &state, &log)
        #expect(state.form?.title == "Skip this step")
        Self.press([.enter], &state, &log)
        #expect(state.form?.problem == "say why it is skipped")
        Self.press(IncidentConsoleTests.type("load already on generator") + [.enter], &state, &log)
        #expect(log.records.last?.kind == LogKind.stepSkipped && log.records.last?["reason"]?.string == "load already on generator")
        #expect(try Self.run(state).current == "generator")

        Self.press([.character("b")] + IncidentConsoleTests.type("generator room locked") + [.enter], &state, &log)
        #expect(try Self.run(state).progress(of: "generator").outcome == .blocked(reason: "generator room locked"))
        #expect(try Self.run(state).current == "notify")

        // Back to the blocked step with k, then u.
        Self.press([.character("k"), .character("k"), .character("u")], &state, &log)
        #expect(state.selectedStep?.id == "generator")
        #expect(log.records.last?.kind == LogKind.stepReopened)
        #expect(try Self.run(state).current == "generator")
        #expect(try Self.run(state).progress(of: "generator").outcome == nil)
    }

    @Test("a question asks for the answer, logs a decision and branches")
    func decision() throws {
        var (state, log) = try Self.started()
        // confirm, then the generator step done by hand, then notify: on to the question.
        Self.press([.character("d"), .character("d"), .character("d")], &state, &log)
        #expect(try Self.run(state).current == "back")
        Self.press([.character("d")], &state, &log)
        #expect(state.form?.purpose == .decision(runbook: "power", step: "back"))
        Self.press([.right, .tab] + IncidentConsoleTests.type("utility says 2 h") + [.enter], &state, &log)
        let decision = try #require(log.records.last)
        #expect(decision.kind == LogKind.decision && decision["answer"]?.string == "no" && decision["next"]?.string == "relocate")
        #expect(decision["why"]?.string == "utility says 2 h")
        #expect(decision["text"]?.string == "Is power expected back within 30 minutes? → no")
        #expect(try Self.run(state).current == "relocate")
        Self.press([.character("d")], &state, &log)
        #expect(try Self.run(state).isFinished)
        #expect(ConsoleView(theme: .make(color: false, unicode: true)).render(state).text.contains("finished"))
    }

    @Test("a recurring step reminds again when it is due, once per round, and is done again")
    func recurrence() throws {
        var (state, log) = try Self.started()
        Self.press([.character("d"), .character("d"), .character("d")], &state, &log)
        let done = try #require(try Self.run(state).progress(of: "notify").lastDoneAt).timeIntervalSince(Fixtures.start)
        ConsoleReducer.reduce(&state, Self.at(done + 19 * 60))
        #expect(state.prompt == nil)
        ConsoleReducer.reduce(&state, Self.at(done + 20 * 60))
        #expect(state.prompt?.text.hasPrefix("↻ due again (every 20m): Tell clients service may be degraded") == true)
        IncidentConsoleTests.press([.escape], &state)
        ConsoleReducer.reduce(&state, Self.at(done + 21 * 60))
        #expect(state.prompt == nil)
        // Select the recurring step and do it again.
        Self.press([.character("k"), .character("d")], &state, &log)
        #expect(log.records.last?["step"]?.string == "notify" && log.records.last?["round"]?.int == 2)
        #expect(try Self.run(state).progress(of: "notify").rounds == 2)
        // Doing it again does not move the runbook back.
        #expect(try Self.run(state).current == "back")
    }

    @Test("folding the log from the start gives the same runs: a restarted console resumes each runbook where it was")
    func resume() throws {
        var (state, log) = try Self.started()
        Self.press([.character("d")] + [.character("s")] + IncidentConsoleTests.type("n/a") + [.enter], &state, &log)
        var replayed = try #require(IncidentState(opening: log.records[0]))
        for record in log.records.dropFirst() { replayed.apply(record) }
        #expect(replayed.runbooks == state.incident?.runbooks)
        #expect(replayed.run(of: "power")?.current == "notify")

        var restarted = Fixtures.state(size: Size(width: 80, height: 24))
        restarted.runbooks = state.runbooks
        ConsoleReducer.reduce(&restarted, .log(.attached(replayed, notice: nil)))
        #expect(restarted.shownRunbook == "power")
        #expect(restarted.selectedStep?.id == "notify")
    }

    @Test("a step change another console logged first is not logged again")
    func dedup() throws {
        var (state, log) = try Self.started()
        Self.press([.character("d")], &state, &log)
        let incident = try #require(state.incident)
        let runbook = try Self.runbook()
        let generator = try #require(runbook.step("generator"))
        let auto = LogEntry.step(LogKind.stepDone, runbook: "power", step: generator, next: "notify",
                                 extra: ["auto": .bool(true), "round": .int(1)], actor: "bob", role: nil, at: Fixtures.start)
        #expect(!incident.alreadyLogged(auto))
        var after = incident
        after.apply(log.seal(auto))
        #expect(after.alreadyLogged(auto))
        #expect(after.alreadyLogged(.runbookStarted(runbook, trigger: nil, actor: "bob", role: nil, at: Fixtures.start)))
    }
}

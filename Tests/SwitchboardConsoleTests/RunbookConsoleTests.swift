import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardConsole
import SwitchboardProbes
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
        let context = RunbookContext(probes: Dictionary(uniqueKeysWithValues: Fixtures.specs.map { ($0.id, ProbeDeclaration(kind: $0.kind, metrics: nil)) }))
        return try RunbookLoader(context: context).load(yaml: yaml, file: "power.yaml")
    }

    static func ups(_ status: String, at seconds: Double) -> ConsoleInput {
        Fixtures.result("ups-main", status == "OL" ? .ok : .warning, status == "OL" ? "on line" : "on battery · 83%",
                        at: seconds, metrics: [Metric(name: "ups.status", value: .text(status)), Fixtures.number("battery.charge", 83, "%")])
    }

    static func at(_ seconds: Double) -> ConsoleInput { .site(.clock(Fixtures.start.addingTimeInterval(seconds))) }

    /// The fixture console as alice, with the power runbook loaded and the UPS gone on battery at 41 s.
    static func onBattery() throws -> (TestConsole, ScriptedLog) {
        var state = Fixtures.state(size: Size(width: 80, height: 24), actor: "alice",
                                   library: SiteLibrary(runbooks: RunbookLibrary(runbooks: [try runbook()])))
        state.send(ups("OB", at: 41))
        return (state, ScriptedLog())
    }

    /// The runbook started through the suggestion, with an incident opened for it.
    static func started() throws -> (TestConsole, ScriptedLog) {
        var (state, log) = try onBattery()
        state.press([.character("r"), .enter, .enter], answering: &log)
        return (state, log)
    }

    static func run(_ state: TestConsole) throws -> RunbookRun {
        try #require(state.incident?.run(of: "power"))
    }

    @Test("a trigger becoming true suggests the runbook; it goes when the trigger no longer holds")
    func suggestion() throws {
        var (state, _) = try Self.onBattery()
        #expect(state.suggestions == ["power"])
        #expect(state.banner?.text == "⚑ Utility power failure runbook? r to start · ups-main: on battery · 83%")
        let screen = ConsoleView(theme: .make(color: false, unicode: true)).render(state).text
        #expect(screen.contains("Utility power failure runbook? r to start"))
        state.send(Self.ups("OL", at: 46))
        #expect(state.suggestions.isEmpty)
        #expect(state.banner == nil)
    }

    @Test("r lists the suggested runbook first; starting it without an incident opens one for it")
    func startWithoutIncident() throws {
        var (state, log) = try Self.onBattery()
        state.press([.character("r")])
        guard case .suggested(let first)? = RunbookPickerEntry.entries(state.state, filter: "").first else {
            Issue.record("the suggested runbook is not first")
            return
        }
        #expect(first == (try Self.runbook()))
        state.press([.enter])
        #expect(state.viewer.form?.purpose == .openIncident)
        #expect(state.viewer.form?.text(0) == "Utility power failure" && state.viewer.form?.choice(1) == "SEV1")
        state.press([.enter], answering: &log)
        let started = try #require(log.records.last)
        #expect(started.kind == LogKind.runbookStarted)
        #expect(started["trigger"]?.string == "ups-main.ups.status has OB" && started["next"]?.string == "confirm")
        #expect(try Self.run(state).current == "confirm")
        #expect(state.shownRunbookID == "power" && state.viewer.focus == .stepper)
        #expect(state.suggestions.isEmpty && state.banner == nil)
    }

    @Test("d marks the step done and moves on; a wait that holds completes its step with the readings as evidence")
    func doneAndWait() throws {
        var (state, log) = try Self.started()
        // A second d before the first is on disk does not log the step twice.
        state.press([.character("d"), .character("d")])
        #expect(state.runbookRequests.count == 1)
        #expect(state.viewer.hint?.text == "saving… the step is being logged as done")
        log.answer(&state)
        #expect(log.records.last?.kind == LogKind.stepDone && log.records.last?["next"]?.string == "generator")
        #expect(try Self.run(state).current == "generator")
        #expect(state.selectedStep?.id == "generator")

        state.send(Fixtures.result("generator", .ok, "running, on load", at: 50,
                                                      metrics: [Metric(name: "state", value: .text("running"))]))
        log.answer(&state)
        let auto = try #require(log.records.last)
        #expect(auto.kind == LogKind.stepDone && auto["auto"]?.bool == true && auto["next"]?.string == "notify")
        #expect(auto["evidence"] == .object(["generator": .object(["status": .string("ok"), "state": .string("running")])]))
        #expect(try Self.run(state).progress(of: "generator").outcome == .done(automatic: true))
        #expect(try Self.run(state).current == "notify")
        // Another reading does not log it twice.
        state.send(Fixtures.result("generator", .ok, "running, on load", at: 55,
                                                      metrics: [Metric(name: "state", value: .text("running"))]))
        #expect(state.runbookRequests.isEmpty)
    }

    @Test("a deadline that passes is logged as overdue once and follows on_timeout; the step left behind stops counting")
    func deadline() throws {
        var (state, log) = try Self.started()
        state.press([.character("d")], answering: &log)
        let activated = try #require(try Self.run(state).progress(of: "generator").activatedAt)
        let since = activated.timeIntervalSince(Fixtures.start)
        state.send(Self.at(since + 60))
        #expect(state.runbookRequests.isEmpty)
        let stepper = ConsoleView(theme: .make(color: false, unicode: true)).render(state).text
        #expect(stepper.contains("1:00 left"))
        state.send(Self.at(since + 120))
        log.answer(&state)
        let overdue = try #require(log.records.last)
        #expect(overdue.kind == LogKind.stepOverdue && overdue["within"]?.int == 120 && overdue["next"]?.string == "manual")
        #expect(try Self.run(state).current == "manual")
        #expect(try Self.run(state).progress(of: "generator").overdue)
        state.send(Self.at(since + 130))
        log.answer(&state)
        state.send(Self.at(since + 131))
        #expect(state.runbookRequests.isEmpty)
        let left = ConsoleView(theme: .make(color: false, unicode: true)).render(state).text
        #expect(left.contains("timed out") && !left.contains("OVERDUE"))
    }

    @Test("s and b ask why and log the reason; u reopens a step and makes it current")
    func skipBlockReopen() throws {
        var (state, log) = try Self.started()
        state.press([.character("s")], answering: &log)
        #expect(state.viewer.form?.title == "Skip this step")
        state.press([.enter], answering: &log)
        #expect(state.viewer.form?.problem == "say why it is skipped")
        state.press(IncidentConsoleTests.type("load already on generator") + [.enter], answering: &log)
        #expect(log.records.last?.kind == LogKind.stepSkipped && log.records.last?["reason"]?.string == "load already on generator")
        #expect(try Self.run(state).current == "generator")

        // Blocked, a step with a fallback goes where its deadline would: the generator will not
        // start, so it is started by hand.
        state.press([.character("b")], answering: &log)
        let manual = try #require(state.runbooks.runbook("power")?.step("manual"))
        #expect(state.viewer.form?.explanation.hasSuffix("(then: \(manual.text))") == true, "\(state.viewer.form?.explanation ?? "")")
        state.press(IncidentConsoleTests.type("generator room locked") + [.enter], answering: &log)
        #expect(try Self.run(state).progress(of: "generator").outcome == .blocked(reason: "generator room locked"))
        #expect(try Self.run(state).current == "manual")
        #expect(log.records.last?["next"]?.string == "manual")

        // Back to the blocked step with k, then u.
        state.press([.character("k"), .character("u")], answering: &log)
        #expect(state.selectedStep?.id == "generator")
        #expect(log.records.last?.kind == LogKind.stepReopened)
        #expect(try Self.run(state).current == "generator")
        #expect(try Self.run(state).progress(of: "generator").outcome == nil)
    }

    @Test("closing with a runbook not finished says which, and where it stands, before it is done")
    func closingSaysWhatIsUnfinished() throws {
        var (state, log) = try Self.started()
        state.press([.character("d")], answering: &log)
        state.press([.character("i"), .character("x")], answering: &log)
        let run = try Self.run(state)
        let current = try #require(run.current)
        let step = try #require(state.runbooks.runbook("power")?.step(current))
        #expect(state.viewer.form?.explanation.hasPrefix("1 runbook is not finished: • \(run.title), at: \(step.text). Closing ends") == true,
                "\(state.viewer.form?.explanation ?? "no form")")
    }

    @Test("a question asks for the answer, logs a decision and branches")
    func decision() throws {
        var (state, log) = try Self.started()
        // confirm, then the generator step done by hand, then notify: on to the question.
        state.press([.character("d"), .character("d"), .character("d")], answering: &log)
        #expect(try Self.run(state).current == "back")
        state.press([.character("d")], answering: &log)
        #expect(state.viewer.form?.purpose == .decision(runbook: "power", step: "back"))
        state.press([.right, .tab] + IncidentConsoleTests.type("utility says 2 h") + [.enter], answering: &log)
        let decision = try #require(log.records.last)
        #expect(decision.kind == LogKind.decision && decision["answer"]?.string == "no" && decision["next"]?.string == "relocate")
        #expect(decision["why"]?.string == "utility says 2 h")
        #expect(decision["text"]?.string == "Is power expected back within 30 minutes? → no")
        #expect(try Self.run(state).current == "relocate")
        state.press([.character("d")], answering: &log)
        #expect(try Self.run(state).isFinished)
        #expect(ConsoleView(theme: .make(color: false, unicode: true)).render(state).text.contains("finished"))
    }

    @Test("a recurring step reminds again when it is due, once per round, and is done again")
    func recurrence() throws {
        var (state, log) = try Self.started()
        state.press([.character("d"), .character("d"), .character("d")], answering: &log)
        let done = try #require(try Self.run(state).progress(of: "notify").lastDoneAt).timeIntervalSince(Fixtures.start)
        state.send(Self.at(done + 19 * 60))
        #expect(state.banner == nil)
        state.send(Self.at(done + 20 * 60))
        #expect(state.banner?.text.hasPrefix("↻ due again (every 20m): Tell clients service may be degraded") == true)
        state.press([.escape])
        state.send(Self.at(done + 21 * 60))
        #expect(state.banner == nil)
        // Select the recurring step and do it again.
        state.press([.character("k"), .character("d")], answering: &log)
        #expect(log.records.last?["step"]?.string == "notify" && log.records.last?["round"]?.int == 2)
        #expect(try Self.run(state).progress(of: "notify").rounds == 2)
        // Doing it again does not move the runbook back.
        #expect(try Self.run(state).current == "back")

        // Once the runbook is finished its recurring step is due no more.
        state.press([.character("j"), .character("d"), .enter], answering: &log)
        #expect(try Self.run(state).isFinished)
        state.send(Self.at(done + 60 * 60))
        #expect(state.banners.isEmpty)
        let stepper = ConsoleView(theme: .make(color: false, unicode: true)).render(state).text
        #expect(!stepper.contains("DUE AGAIN") && !stepper.contains("again in"))
    }

    @Test("the shipped 'Utility power failure': after a manual generator start the UPS is still confirmed back on line")
    func utilityPowerTimeoutPath() throws {
        let demo = try SiteConfigLoader(catalog: .builtIn).load(yaml: DemoSite.yaml, file: "demo", isDemo: true)
        let path = ShippedRunbooks.folder + "/utility-power-failure.yaml"
        let runbook = try RunbookLoader(context: RunbookContext(config: demo)).load(yaml: String(contentsOfFile: path, encoding: .utf8), file: path)
        var state = Fixtures.state(size: Size(width: 80, height: 24), library: SiteLibrary(runbooks: RunbookLibrary(runbooks: [runbook])))
        var log = ScriptedLog()
        state.send(Fixtures.result("generator", .warning, "standby", at: 41, metrics: [Metric(name: "state", value: .text("standby"))]))
        state.send(Self.ups("OB", at: 41))
        state.press([.character("r"), .enter, .enter], answering: &log)
        state.press([.character("d"), .character("d")], answering: &log)
        let run = try #require(state.incident?.run(of: "utility-power-failure"))
        #expect(run.current == "generator")
        let activated = try #require(run.progress(of: "generator").activatedAt).timeIntervalSince(Fixtures.start)
        state.send(Self.at(activated + 120))
        log.answer(&state)
        #expect(state.incident?.run(of: "utility-power-failure")?.current == "manual-start")
        state.send(Fixtures.result("generator", .ok, "running", at: activated + 125, metrics: [Metric(name: "state", value: .text("running"))]))
        state.press([.character("d")], answering: &log)
        #expect(state.incident?.run(of: "utility-power-failure")?.current == "ups-recharging")
    }

    @Test("folding the log from the start gives the same runs: a restarted console resumes each runbook where it was")
    func resume() throws {
        var (state, log) = try Self.started()
        state.press([.character("d")] + [.character("s")] + IncidentConsoleTests.type("n/a") + [.enter], answering: &log)
        var replayed = try #require(IncidentState(opening: log.records[0]))
        for record in log.records.dropFirst() { replayed.apply(record) }
        #expect(replayed.runbooks == state.incident?.runbooks)
        #expect(replayed.run(of: "power")?.current == "notify")

        var restarted = Fixtures.state(size: Size(width: 80, height: 24))
        restarted.library.runbooks = state.runbooks
        restarted.send(.log(.attached(replayed, notice: nil)))
        #expect(restarted.shownRunbookID == "power")
        #expect(restarted.selectedStep?.id == "notify")
    }

    @Test("a step change another console logged first is not logged again")
    func dedup() throws {
        var (state, log) = try Self.started()
        state.press([.character("d")], answering: &log)
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

    @Test("a runbook started again is shown, even when another was chosen with ← →")
    func restartedRunbookIsShown() throws {
        var (state, log) = IncidentConsoleTests.withIncident()
        state.library.runbooks = RunbookLibrary(runbooks: [
            Runbook(id: "one", title: "First", steps: [RunbookStep(id: "a", text: "Do the first thing")], file: "one.yaml"),
            Runbook(id: "two", title: "Second", steps: [RunbookStep(id: "b", text: "Do the second thing")], file: "two.yaml"),
        ])
        func start(_ filter: String) {
            state.press([.character("r")] + IncidentConsoleTests.type(filter) + [.enter], answering: &log)
        }
        start("first")
        state.press([.character("d")], answering: &log)
        #expect(state.incident?.run(of: "one")?.isFinished == true)
        start("second")
        state.press([.left, .right], answering: &log)
        #expect(state.shownRunbookID == "two")
        start("first")
        #expect(state.incident?.run(of: "one")?.isFinished == false)
        #expect(state.shownRunbookID == "one")
    }

    @Test("on a UPS on battery the shipped 'Utility power failure' is suggested first; 'Generator fails to start' once it fails")
    func bestMatchFirst() throws {
        let demo = try SiteConfigLoader(catalog: .builtIn).load(yaml: DemoSite.yaml, file: "demo", isDemo: true)
        let loader = RunbookLoader(context: RunbookContext(config: demo))
        // Library order puts the generator's first.
        let runbooks = try ["generator-fails-to-start", "utility-power-failure"].map { name in
            let path = ShippedRunbooks.folder + "/\(name).yaml"
            return try loader.load(yaml: String(contentsOfFile: path, encoding: .utf8), file: path)
        }
        var state = Fixtures.state(size: Size(width: 80, height: 24), library: SiteLibrary(runbooks: RunbookLibrary(runbooks: runbooks)))
        state.send(Fixtures.result("generator", .ok, "standby", at: 41, metrics: [Metric(name: "state", value: .text("standby"))]))
        state.send(Self.ups("OB", at: 41))
        #expect(state.rankedSuggestions == ["utility-power-failure"])
        #expect(state.banners.first?.text.hasPrefix("⚑ Utility power failure runbook?") == true)
        state.send(Fixtures.result("generator", .critical, "start failed", at: 46, metrics: [Metric(name: "state", value: .text("failed"))]))
        #expect(Set(state.rankedSuggestions) == ["utility-power-failure", "generator-fails-to-start"])
    }

    @Test("the runbook whose triggers hold the most is suggested first, then the more severe, then in library order")
    func ranking() throws {
        func runbook(_ id: String, _ severity: Severity, _ triggers: [String]) throws -> Runbook {
            Runbook(id: id, title: id, severity: severity, triggers: try triggers.map { try Condition(parsing: $0) },
                    steps: [RunbookStep(id: "a", text: "Do it")], file: "\(id).yaml")
        }
        let library = RunbookLibrary(runbooks: [
            try runbook("half", .sev1, ["ups-main.ups.status has OB", "generator is critical"]),
            try runbook("whole-sev2", .sev2, ["ups-main.ups.status has OB"]),
            try runbook("whole-sev1", .sev1, ["ups-main.ups.status has OB"]),
        ])
        var state = Fixtures.state(size: Size(width: 80, height: 24), library: SiteLibrary(runbooks: library))
        state.send(Self.ups("OB", at: 41))
        #expect(state.rankedSuggestions == ["whole-sev1", "whole-sev2", "half"])
        state.press([.character("r")])
        let listed = RunbookPickerEntry.entries(state.state, filter: "").prefix(3).compactMap { entry -> String? in
            if case .suggested(let runbook) = entry { runbook.id } else { nil }
        }
        #expect(listed == ["whole-sev1", "whole-sev2", "half"])
    }

    @Test("a notice never hides a suggestion: banners stack, the most important first")
    func bannersStack() throws {
        var (state, _) = try Self.onBattery()
        state.send(.log(.refused("incident 20261118-0946-x was opened meanwhile by bob; this console follows it")))
        let banners = state.banners.map(\.text)
        #expect(banners.count == 2)
        #expect(banners[0].hasPrefix("incident 20261118-0946-x was opened meanwhile"))
        #expect(banners[1].hasPrefix("⚑ Utility power failure runbook?"))
        let lines = ConsoleView(theme: .make(color: false, unicode: true)).render(state).lines
        #expect(lines[1].contains("opened meanwhile by bob"))
        #expect(lines[2].contains("Utility power failure runbook? r to start"))
        // Esc hides the notice first, then the suggestion.
        state.press([.escape])
        #expect(state.banners.map(\.text).first?.hasPrefix("⚑ Utility power failure") == true)
        state.press([.escape])
        #expect(state.banners.isEmpty)
    }

    @Test("a wait with for: completes only after holding that long without a break, counting down, with the hold as evidence")
    func waitThatMustHold() throws {
        let yaml = """
            id: isp
            title: Primary ISP down
            severity: sev2
            triggers: ["isp-a is critical"]
            steps:
              - id: fail-back
                do: When ISP A has been clean for a minute, fail back
                wait: "isp-a is ok"
                for: 1m
            """
        let context = RunbookContext(probes: Dictionary(uniqueKeysWithValues: Fixtures.specs.map { ($0.id, ProbeDeclaration(kind: $0.kind, metrics: nil)) }))
        let runbook = try RunbookLoader(context: context).load(yaml: yaml, file: "isp.yaml")
        #expect(runbook.steps[0].holdFor == .seconds(60))
        var state = Fixtures.state(size: Size(width: 80, height: 24), actor: "alice",
                                   library: SiteLibrary(runbooks: RunbookLibrary(runbooks: [runbook])))
        var log = ScriptedLog()
        func ispA(_ status: ProbeStatus, at seconds: Double) {
            state.send(Self.at(seconds))
            state.send(Fixtures.result("isp-a", status, status == .ok ? "rta 12 ms" : "no answer", at: seconds))
        }
        func stepper() -> String { ConsoleView(theme: .make(color: false, unicode: true)).render(state).text }
        ispA(.critical, at: 45)
        state.press([.character("r"), .enter, .enter], answering: &log)
        #expect(state.incident?.run(of: "isp")?.current == "fail-back")

        for second in stride(from: 50.0, through: 75, by: 5) { ispA(.ok, at: second) }
        #expect(stepper().contains("holding 0:35"))
        #expect(!stepper().contains("✓"))
        ispA(.critical, at: 80)  // a flap: the count starts again
        #expect(stepper().contains("✗"))
        for second in stride(from: 85.0, through: 140, by: 5) { ispA(.ok, at: second) }
        #expect(state.runbookRequests.isEmpty)
        #expect(stepper().contains("holding 0:05"))
        ispA(.ok, at: 145)
        log.answer(&state)
        let done = try #require(log.records.last)
        #expect(done.kind == LogKind.stepDone && done["auto"]?.bool == true)
        #expect(done["held_since"]?.string == TimeText.iso8601(Fixtures.start.addingTimeInterval(85)))
        #expect(done["for"]?.int == 60)
        #expect(state.incident?.run(of: "isp")?.isFinished == true)
    }

    @Test("for: needs a wait or a check to hold")
    func forWithoutCondition() throws {
        let yaml = """
            id: isp
            title: Primary ISP down
            steps:
              - id: fail-back
                do: Fail back
                for: 30m
            """
        let context = RunbookContext(probes: Dictionary(uniqueKeysWithValues: Fixtures.specs.map { ($0.id, ProbeDeclaration(kind: $0.kind, metrics: nil)) }))
        let error = #expect(throws: (any Error).self) { try RunbookLoader(context: context).load(yaml: yaml, file: "isp.yaml") }
        #expect("\(error.map { "\($0)" } ?? "")".contains("isp.yaml:6:"))
        #expect("\(error.map { "\($0)" } ?? "")".contains("'for' is how long a wait or check must hold"))
    }

    @Test("d over a failing check asks why and logs the check's state and readings; a check that holds is logged as holding")
    func doneOverFailingCheck() throws {
        var (state, log) = try Self.started()
        state.send(Self.ups("OL", at: 45))  // power back before "confirm" was ticked: its check fails
        state.press([.character("d")], answering: &log)
        #expect(state.viewer.form?.title == "Check fails — mark done anyway?")
        #expect(state.viewer.form?.explanation.hasPrefix("ups-main.ups.status has OB · now: ups-main ok, ups.status OL · ") == true,
                "what the probe reads now: \(state.viewer.form?.explanation ?? "")")
        #expect(state.runbookRequests.isEmpty)
        state.press([.enter], answering: &log)
        #expect(state.viewer.form?.problem == "say why it is done though the check does not hold")
        state.press(IncidentConsoleTests.type("saw it on the UPS panel") + [.enter], answering: &log)
        let overridden = try #require(log.records.last)
        #expect(overridden.kind == LogKind.stepDone && overridden["step"]?.string == "confirm")
        #expect(overridden["check"]?.string == "ups-main.ups.status has OB" && overridden["check_state"]?.string == "fails")
        #expect(overridden["why"]?.string == "saw it on the UPS panel")
        #expect(overridden["check_evidence"] == .object(["ups-main": .object(["status": .string("ok"), "ups.status": .string("OL")])]))
        #expect(state.viewer.form == nil)
        #expect(ConsoleView(theme: .make(color: false, unicode: true)).render(state).text.contains("Confirm the UPS carries the load · check failed: saw"))

        // Escape leaves the step as it was; a check that holds is done at once, its state on record.
        state.press([.up, .character("u")], answering: &log)
        #expect(try Self.run(state).current == "confirm")
        state.press([.character("d"), .escape], answering: &log)
        #expect(state.viewer.form == nil && state.runbookRequests.isEmpty)
        #expect(try Self.run(state).current == "confirm")
        state.send(Self.ups("OB", at: 50))
        state.press([.character("d")], answering: &log)
        let held = try #require(log.records.last)
        #expect(held.kind == LogKind.stepDone && held["check_state"]?.string == "holds" && held["why"] == nil)
    }
}

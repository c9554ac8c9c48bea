import Foundation
import Testing
@testable import SwitchboardCore
import SwitchboardProbes

private let defaultStart = "  ups-main: {status: ok, metrics: {battery.charge: 100}}"

/// A scenario whose header takes lines 1 to 9, so the injects start on line 10.
private func drillYAML(start: String = defaultStart, duration: String = "30m", injects: String) -> String {
    """
    id: t
    title: T
    duration: \(duration)
    objectives:
      - id: power-response
        text: Respond
    start:
    \(start)
    injects:
    \(injects)

    """
}

/// Drill scenarios (`runbooks/drills/*.yaml`): every mistake a facilitator can make comes back as
/// FILE:LINE:COLUMN with what was expected, all at once, and the shipped scenarios load cleanly.
@Suite("Drill scenario files: format and validation")
struct DrillScenarioLoaderTests {
    static let probes: [String: ProbeDeclaration] = [
        "ups-main": ProbeDeclaration(kind: "nut", metrics: DeclaredMetrics(
            [("ups.status", .text(values: [])), ("battery.charge", .number(unit: "%")), ("battery.runtime", .number(unit: "min"))],
            complete: true)),
        "generator": ProbeDeclaration(kind: "exec", metrics: DeclaredMetrics(
            [("state", .text(values: ["running", "standby", "failed"])), ("fuel", .number(unit: "%"))], complete: true)),
    ]

    static let runbookYAML = """
        id: utility-power-failure
        title: Utility power failure
        steps:
          - id: confirm-ups
            do: Confirm the UPS carries the load
          - id: manual-start
            do: Start the generator by hand
          - id: power-back
            ask: Is power expected back within 30 minutes?
            choices: {yes: end, no: relocate}
          - id: relocate
            do: Prepare to relocate
        """

    /// The site a scenario is checked against: two probes, one runbook, two message templates.
    static func context() throws -> ScenarioContext {
        let runbook = try RunbookLoader(context: RunbookContext(probes: probes, contacts: [], comms: ["client-degraded", "client-update"]))
            .load(yaml: runbookYAML, file: "power.yaml")
        return ScenarioContext(probes: probes, runbooks: RunbookLibrary(runbooks: [runbook]), comms: ["client-degraded", "client-update"])
    }

    static func load(_ yaml: String) throws -> DrillScenario {
        try DrillScenarioLoader(context: try context()).load(yaml: yaml, file: "drill.yaml")
    }

    /// Every problem in `yaml`, as `LINE:COLUMN: message`.
    static func problems(_ yaml: String) throws -> [String] {
        let loader = DrillScenarioLoader(context: try context())
        do {
            _ = try loader.load(yaml: yaml, file: "drill.yaml")
            return []
        } catch {
            return error.items.map { item in item.location.map { "\($0.line):\($0.column): \(item.message)" } ?? item.message }
        }
    }

    private static func scenario(start: String = defaultStart, duration: String = "30m", injects: String) -> String {
        drillYAML(start: start, duration: duration, injects: injects)
    }

    static let valid = """
        id: power-drill
        title: Power drill
        audience: new techs
        description: The lights go out.
        duration: 40m
        objectives:
          - id: power-response
            text: Start the procedure
          - id: clients-informed
            text: Tell clients
        start:
          ups-main: {status: ok, summary: on line, metrics: {ups.status: OL, battery.charge: 100}}
        injects:
          - at: 2m
            from: Facilities
            to: Incident commander
            message: The lights go out.
            set: {ups-main: {status: warning, summary: on battery, metrics: {ups.status: OB DISCHRG}}}
            ramp: {ups-main: {battery.charge: {to: 20, over: 20m}}}
            expect:
              - {runbook: utility-power-failure, within: 2m, objective: power-response}
              - {comms: client-degraded, within: 5m, objective: clients-informed}
          - at: 5m
            message: Generator start failure
            set: {generator: {status: critical, metrics: {state: failed}}}
            expect:
              - {step: utility-power-failure/manual-start, within: 5m, objective: power-response}
              - {decision: utility-power-failure/power-back, answer: "no", within: 15m}
              - {note: alarm 23, within: 90s, objective: power-response}
          - at: 40m
            message: Power is back.
        """

    @Test("every key of the format is read, with units from the site's probes and the injects numbered in order")
    func valid() throws {
        let scenario = try Self.load(Self.valid)
        #expect(scenario.id == "power-drill" && scenario.title == "Power drill" && scenario.file == "drill.yaml")
        #expect(scenario.audience == "new techs" && scenario.description == "The lights go out.")
        #expect(scenario.duration == 2400)
        #expect(scenario.objectives.map(\.id) == ["power-response", "clients-informed"])
        #expect(scenario.objective("clients-informed")?.text == "Tell clients")
        #expect(scenario.start["ups-main"] == ScenarioReading(status: .ok, summary: "on line", metrics: [
            ("ups.status", .text("OL")), ("battery.charge", .number(100, unit: "%"))]))
        #expect(scenario.injects.map(\.number) == [1, 2, 3])
        #expect(scenario.injects.map(\.at) == [120, 300, 2400])

        let first = try #require(scenario.inject(1))
        #expect(first.from == "Facilities" && first.to == "Incident commander" && first.message == "The lights go out.")
        #expect(first.set["ups-main"] == ScenarioReading(status: .warning, summary: "on battery", metrics: [("ups.status", .text("OB DISCHRG"))]))
        #expect(first.ramp == ["ups-main": ["battery.charge": DrillScenario.Ramp(to: 20, over: 1200)]])
        #expect(first.location == SourceLocation(file: "drill.yaml", line: 14, column: 9))
        #expect(first.expect.map(\.action) == [.runbook("utility-power-failure"), .comms("client-degraded")])
        #expect(first.expect.map(\.within) == [120, 300])
        #expect(first.expect.map(\.objective) == ["power-response", "clients-informed"])
        #expect(first.expect.first?.location == SourceLocation(file: "drill.yaml", line: 21, column: 19))

        let second = try #require(scenario.inject(2))
        #expect(second.from == nil && second.to == nil && second.probes == ["generator"])
        #expect(second.expect.map(\.action) == [.step(runbook: "utility-power-failure", step: "manual-start"),
                                                .decision(runbook: "utility-power-failure", step: "power-back", answer: "no"),
                                                .note("alarm 23")])
        #expect(second.expect.map(\.within) == [300, 900, 90])
        #expect(second.expect.map(\.objective) == ["power-response", nil, "power-response"])
        #expect(second.expect.map(\.text) == ["mark utility-power-failure/manual-start done", "answer utility-power-failure/power-back 'no'",
                                              "note 'alarm 23'"])
        #expect(scenario.inject(3)?.probes == [] && scenario.inject(3)?.expect == [])
        #expect(scenario.inject(4) == nil)
        #expect(scenario.drivenProbes == ["ups-main", "generator"])
    }

    @Test("times are 0, seconds, minutes and hours; an inject at the very end is allowed")
    func times() throws {
        let scenario = try Self.load(Self.scenario(duration: "1h30m", injects: """
              - {at: 0, message: A}
              - {at: 0s, message: B}
              - {at: 90s, message: C}
              - {at: 2m, message: D}
              - {at: 1h, message: E}
              - {at: 1h30m, message: F}
            """))
        #expect(scenario.duration == 5400)
        #expect(scenario.injects.map(\.at) == [0, 0, 90, 120, 3600, 5400])
    }

    @Test("each kind of problem is reported at its line and column",
          arguments: [
              // Probes the site does not have, in start, set and ramp.
              (drillYAML(start: "  ups-mian: {status: ok}", injects: "  - {at: 1m, message: M}"),
               "8:3: no probe 'ups-mian' in the site (known: generator, ups-main)"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    set: {generatr: {status: critical}}"),
               "12:11: no probe 'generatr' in the site (known: generator, ups-main)"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    ramp: {upsmain: {battery.charge: {to: 20, over: 5m}}}"),
               "12:12: no probe 'upsmain' in the site (known: generator, ups-main)"),
              // Runbooks, steps, answers, templates and objectives the expectations name.
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - runbook: utility-power\n        within: 2m"),
               "13:18: no runbook 'utility-power' (known: utility-power-failure)"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - step: utility-power-failure/manual-strat\n        within: 2m"),
               "13:15: no step 'manual-strat' in runbook utility-power-failure (known: confirm-ups, manual-start, power-back, relocate)"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - step: utility-power/manual-start\n        within: 2m"),
               "13:15: no runbook 'utility-power' (known: utility-power-failure)"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - step: manual-start\n        within: 2m"),
               "13:15: expected runbook/step, got 'manual-start'"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - comms: client-degarded\n        within: 2m"),
               "13:16: no message template 'client-degarded' in the site's comms (known: client-degraded, client-update)"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - runbook: utility-power-failure\n        within: 2m\n        objective: power"),
               "15:20: no objective 'power' (known: power-response)"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - decision: utility-power-failure/power-back\n        answer: maybe\n        within: 2m"),
               "14:17: 'maybe' is not an answer to utility-power-failure/power-back (answers: yes, no)"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - decision: utility-power-failure/confirm-ups\n        within: 2m"),
               "13:19: utility-power-failure/confirm-ups is not a question: expect it as a step"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - runbook: utility-power-failure\n        answer: \"no\"\n        within: 2m"),
               "14:17: 'answer' goes with a decision"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - runbook: utility-power-failure\n        comms: client-update\n        within: 2m"),
               "13:9: an expectation names one thing, not runbook and comms"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - within: 2m"),
               "13:9: an expectation names what is expected: runbook, step, decision, comms or note"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - note: \"  \"\n        within: 2m"),
               "13:15: a note expectation needs words"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - runbook: utility-power-failure"),
               "13:9: missing required key 'within'"),
              // Bad and negative times.
              (drillYAML(injects: "  - at: soon\n    message: M"), "10:9: expected a duration like 30s, 5m or 1h, got 'soon'"),
              (drillYAML(injects: "  - at: -1m\n    message: M"), "10:9: a scenario time cannot be negative, got '-1m'"),
              (drillYAML(duration: "-5m", injects: "  - at: 1m\n    message: M"), "3:11: a scenario time cannot be negative, got '-5m'"),
              (drillYAML(duration: "a while", injects: "  - at: 1m\n    message: M"), "3:11: expected a duration like 30s, 5m or 1h, got 'a while'"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - runbook: utility-power-failure\n        within: -2m"),
               "14:17: a scenario time cannot be negative, got '-2m'"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - runbook: utility-power-failure\n        within: 0s"),
               "14:17: 'within' needs a time, more than 0"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    ramp: {ups-main: {battery.charge: {to: 20, over: 0s}}}"),
               "12:54: a ramp needs a time to ramp over, more than 0"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    ramp: {ups-main: {battery.charge: {to: low, over: 5m}}}"),
               "12:44: expected the value it ramps to, got 'low'"),
              // An inject past the end, out of time order, or driving a probe another inject drives at the same time.
              (drillYAML(injects: "  - at: 45m\n    message: M"), "10:9: at 45m is past the scenario's end (duration 30m)"),
              (drillYAML(duration: "0s", injects: "  - at: 45m\n    message: M"), "3:11: a scenario needs a duration longer than 0s, got '0s'"),
              (drillYAML(injects: "  - {at: 10m, message: A}\n  - {at: 5m, message: B}"),
               "11:10: at 5m comes before the inject above it (10m): list injects in time order"),
              (drillYAML(injects: "  - {at: 5m, message: A, set: {ups-main: {status: warning}}}\n"
                        + "  - {at: 5m, message: B, ramp: {ups-main: {battery.charge: {to: 50, over: 1m}}}}"),
               "11:10: drives ups-main at 5m as the inject at line 10 does: they overlap"),
              (drillYAML(injects: "  - {at: 1m, message: A, ramp: {ups-main: {battery.charge: {to: 50, over: 10m}}}}\n"
                        + "  - {at: 5m, message: B, ramp: {ups-main: {battery.charge: {to: 20, over: 5m}}}}"),
               "11:10: ramps ups-main.battery.charge while the inject at line 10 still ramps it (until 11m): they overlap"),
              // Metrics not of the shape the probe declares.
              (drillYAML(injects: "  - at: 1m\n    message: M\n    ramp: {ups-main: {ups.status: {to: 20, over: 5m}}}"),
               "12:23: ups-main.ups.status is text: it cannot ramp"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    set: {ups-main: {metrics: {battery.charge: full}}}"),
               "12:32: ups-main.battery.charge is a number: 'full' is not one"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    set: {generator: {metrics: {state: exploded}}}"),
               "12:33: generator.state is one of running, standby, failed: 'exploded' is not"),
              // Readings.
              (drillYAML(injects: "  - at: 1m\n    message: M\n    set: {ups-main: {status: sad}}"),
               "12:30: expected ok, warning, critical or unknown, got 'sad'"),
              // Unknown keys, at every level.
              ("id: t\ntitle: T\nowner: me\nduration: 30m\ninjects: []\n",
               "3:1: unknown key 'owner' (expected one of: id, title, audience, description, duration, objectives, start, injects)"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    mesage: M"),
               "12:5: unknown key 'mesage' (expected one of: at, from, to, message, set, ramp, expect)"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    set: {ups-main: {state: ok}}"),
               "12:22: unknown key 'state' (expected one of: status, summary, metrics)"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    ramp: {ups-main: {battery.charge: {to: 20, for: 5m}}}"),
               "12:48: unknown key 'for' (expected one of: to, over)"),
              (drillYAML(injects: "  - at: 1m\n    message: M\n    expect:\n      - runbook: utility-power-failure\n        withn: 2m"),
               "14:9: unknown key 'withn' (expected one of: runbook, step, decision, answer, comms, note, within, objective)"),
              ("id: t\ntitle: T\nduration: 30m\nobjectives:\n  - {id: a, txt: A}\ninjects: []\n",
               "5:13: unknown key 'txt' (expected one of: id, text)"),
              // Missing and malformed keys.
              (drillYAML(injects: "  - at: 1m"), "10:5: missing required key 'message'"),
              ("id: t\ntitle: T\nduration: 30m\n", "1:1: missing required key 'injects'"),
              ("id: Power Drill\ntitle: T\nduration: 30m\ninjects: []\n",
               "1:5: a scenario id is lowercase letters, digits and dashes, got 'Power Drill'"),
              ("id: t\ntitle: T\nduration: 30m\nobjectives:\n  - {id: a, text: A}\n  - {id: a, text: B}\ninjects: []\n",
               "6:10: duplicate objective id 'a'"),
          ])
    func problems(yaml: String, expected: String) throws {
        let found = try Self.problems(yaml)
        #expect(found == [expected])
    }

    @Test("a metric the probe does not report is a warning at its line and column, and the scenario still loads")
    func unreportedMetrics() throws {
        let scenario = try Self.load(drillYAML(start: "  ups-main: {status: ok, metrics: {batery.charge: 100}}",
                                               injects: "  - at: 1m\n    message: M\n    ramp: {ups-main: {battery.chrage: {to: 20, over: 5m}}}"))
        let reports = "(it reports: ups.status, battery.charge, battery.runtime)"
        #expect(scenario.warnings.map { "\($0.location!.line):\($0.location!.column): \($0.message)" } == [
            "8:36: warning: probe 'ups-main' reports no metric 'batery.charge', so no runbook here reads it \(reports)",
            "12:23: warning: probe 'ups-main' reports no metric 'battery.chrage', so no runbook here reads it \(reports)",
        ])
        #expect(try Self.load(Self.valid).warnings.isEmpty)
        // With a problem too, the warning is said beside it.
        #expect(try Self.problems(drillYAML(injects: "  - at: 1m\n    message: M\n    ramp: {ups-main: {battery.chrage: {to: 20, over: 5m}}}\n  - at: 45m\n    message: N")) == [
            "12:23: warning: probe 'ups-main' reports no metric 'battery.chrage', so no runbook here reads it \(reports)",
            "13:9: at 45m is past the scenario's end (duration 30m)",
        ])
    }

    @Test("a YAML syntax error is reported at its line and column, with the file name")
    func syntaxError() throws {
        // A key indented off its mapping: found where it stands.
        let misindented = Self.scenario(injects: "  - at: 1m\n    message: M\n   from: X\n  - {at: 2m, message: N}")
        #expect(try Self.problems(misindented) == ["12:4: YAML syntax: while parsing a block collection did not find expected '-' indicator"])
        // An unclosed list: found where the parser gives up, at the end of the file.
        do {
            _ = try Self.load(Self.scenario(injects: "  - at: 1m\n    message: [unclosed\n"))
            Issue.record("a syntax error loaded")
        } catch let error as ConfigDiagnostics {
            #expect(error.description == "drill.yaml:13:1: YAML syntax: while parsing a flow sequence did not find expected ',' or ']'")
        }
        #expect(try Self.problems("") == ["the file is empty (expected a drill scenario: id, title, duration, objectives, injects)"])
    }

    @Test("each diagnostic prints as FILE:LINE:COLUMN: message")
    func description() throws {
        do {
            _ = try Self.load(Self.scenario(injects: "  - at: 45m\n    message: M"))
            Issue.record("an inject past the end loaded")
        } catch let error as ConfigDiagnostics {
            #expect(error.description == "drill.yaml:10:9: at 45m is past the scenario's end (duration 30m)")
        }
    }

    @Test("an unknown key, at the top or in an inject, is one problem: the rest is still checked")
    func unknownKeysHideNothing() throws {
        let yaml = "id: t\ntitle: T\nowner: me\nduration: 30m\ninjects:\n  - at: 1m\n    mesage: M\n    set: {generatr: {status: critical}}\n"
        #expect(try Self.problems(yaml) == [
            "3:1: unknown key 'owner' (expected one of: id, title, audience, description, duration, objectives, start, injects)",
            "6:5: missing required key 'message'",
            "7:5: unknown key 'mesage' (expected one of: at, from, to, message, set, ramp, expect)",
            "8:11: no probe 'generatr' in the site (known: generator, ups-main)",
        ])
        let withMessage = "id: t\ntitle: T\nduration: 30m\ninjects:\n  - at: 1m\n    message: M\n    mesage: M\n    set: {generatr: {status: critical}}\n"
        #expect(try Self.problems(withMessage) == [
            "7:5: unknown key 'mesage' (expected one of: at, from, to, message, set, ramp, expect)",
            "8:11: no probe 'generatr' in the site (known: generator, ups-main)",
        ])
    }

    @Test("every problem is reported at once, in the order of the file")
    func severalProblems() throws {
        let yaml = Self.scenario(start: "  ups-mian: {status: ok}", injects: """
              - at: 10m
                message: A
                ramp: {ups-main: {battery.charge: {to: 50, over: 10m}}}
                expect:
                  - {comms: nope, within: 2m}
                  - {runbook: utility-power-failure, within: 2m, objective: clients}
              - at: 5m
                message: B
                set: {generatr: {status: critical}}
              - at: 15m
                message: C
                ramp: {ups-main: {battery.charge: {to: 20, over: 5m}}}
              - at: 45m
                message: D
            """)
        let found = try Self.problems(yaml)
        #expect(found == [
            "8:3: no probe 'ups-mian' in the site (known: generator, ups-main)",
            "14:17: no message template 'nope' in the site's comms (known: client-degraded, client-update)",
            "15:65: no objective 'clients' (known: power-response)",
            "16:9: at 5m comes before the inject above it (10m): list injects in time order",
            "18:11: no probe 'generatr' in the site (known: generator, ups-main)",
            "19:9: ramps ups-main.battery.charge while the inject at line 10 still ramps it (until 20m): they overlap",
            "22:9: at 45m is past the scenario's end (duration 30m)",
        ])
    }

    @Test("injects at the same time may drive different probes; a ramp may start where another ends; a set may follow a ramp")
    func noFalseOverlaps() throws {
        let scenario = try Self.load(Self.scenario(injects: """
              - {at: 1m, message: A, ramp: {ups-main: {battery.charge: {to: 50, over: 10m}}}}
              - {at: 1m, message: B, set: {generator: {status: critical}}}
              - {at: 5m, message: C, ramp: {ups-main: {battery.runtime: {to: 5, over: 10m}}}}
              - {at: 11m, message: D, ramp: {ups-main: {battery.charge: {to: 20, over: 5m}}}}
              - {at: 12m, message: E, set: {ups-main: {status: critical}}}
              - {at: 13m, message: F, set: {ups-main: {metrics: {battery.charge: 40}}}}
              - {at: 14m, message: G, ramp: {ups-main: {battery.charge: {to: 10, over: 5m}}}}
            """))
        // F's set ends D's ramp, as the timeline plays it: G's ramp overlaps nothing.
        #expect(scenario.injects.map(\.number) == [1, 2, 3, 4, 5, 6, 7])
    }

    // MARK: - The library and the shipped scenarios

    /// The built-in demo site, and the example of a real site (the demo's probes, read by real kinds).
    static func site(_ name: String) throws -> SiteConfig {
        let loader = SiteConfigLoader(catalog: .builtIn)
        guard name == "examples/site.yaml" else { return try loader.load(yaml: DemoSite.yaml, file: DemoSite.source, isDemo: true) }
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(name).path
        return try loader.load(yaml: String(contentsOfFile: path, encoding: .utf8), file: path)
    }

    @Test("every shipped scenario loads cleanly against the site and the shipped runbooks, as `switchboard check` checks them",
          arguments: ["demo", "examples/site.yaml"])
    func shippedScenarios(site: String) throws {
        var config = try Self.site(site)
        if config.isDemo { config.runbookPaths = [ShippedRunbooks.folder] }
        let runbooks = RunbookLibrary.load(paths: config.runbookPaths, context: RunbookContext(config: config))
        #expect(runbooks.problems.map(\.description) == [])
        let files = DrillLibrary.files(inRunbookPaths: config.runbookPaths)
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: ShippedRunbooks.folder + "/drills").filter { $0.hasSuffix(".yaml") }
        #expect(files.count == onDisk.count && !files.isEmpty)
        #expect(files.allSatisfy(DrillLibrary.isScenarioFile))

        let drills = DrillLibrary.load(files: files, context: ScenarioContext(config: config, runbooks: runbooks))
        #expect(drills.problems.map(\.description) == [])
        #expect(drills.scenarios.count == files.count)
        for scenario in drills.scenarios {
            #expect(!scenario.injects.isEmpty, "\(scenario.id) has no injects")
            #expect(!scenario.objectives.isEmpty, "\(scenario.id) has no objectives")
            #expect(scenario.injects.map(\.at) == scenario.injects.map(\.at).sorted(), "\(scenario.id)")
            #expect(scenario.injects.allSatisfy { $0.at <= scenario.duration }, "\(scenario.id)")
            #expect(drills.scenario(scenario.id) == scenario && drills.scenario(scenario.file) == scenario)
            // Every objective is trained by at least one expectation.
            let trained = Set(scenario.injects.flatMap(\.expect).compactMap(\.objective))
            for objective in scenario.objectives {
                #expect(trained.contains(objective.id), "\(scenario.id): objective \(objective.id) has no expectation")
            }
        }
        #expect(drills.scenario("power-generator-fails") != nil)
    }

    @Test("the library keeps a broken scenario and a second use of an id aside with their problems; others still load")
    func library() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sb-drills-\(UUID().uuidString)")
        let drills = folder.appendingPathComponent("drills")
        try FileManager.default.createDirectory(at: drills, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.valid.write(to: drills.appendingPathComponent("a-power.yaml"), atomically: true, encoding: .utf8)
        try Self.valid.replacingOccurrences(of: "title: Power drill", with: "title: Again")
            .write(to: drills.appendingPathComponent("b-again.yaml"), atomically: true, encoding: .utf8)
        try Self.scenario(injects: "  - at: 45m\n    message: M").write(to: drills.appendingPathComponent("c-late.yaml"), atomically: true, encoding: .utf8)
        try "notes".write(to: drills.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)

        let files = DrillLibrary.files(inRunbookPaths: [folder.path, folder.appendingPathComponent("missing").path])
        #expect(files.map { ($0 as NSString).lastPathComponent } == ["a-power.yaml", "b-again.yaml", "c-late.yaml"])
        let library = DrillLibrary.load(files: files + [drills.appendingPathComponent("gone.yaml").path], context: try Self.context())
        #expect(library.scenarios.map(\.id) == ["power-drill"])
        #expect(library.scenario("power-drill")?.title == "Power drill")
        #expect(library.broken.count == 3)
        #expect(library.problems.count == 3)
        #expect(library.problems.prefix(2).map(\.description) == [
            "\(drills.path)/b-again.yaml: scenario id 'power-drill' is already used by \(drills.path)/a-power.yaml",
            "\(drills.path)/c-late.yaml:10:9: at 45m is past the scenario's end (duration 30m)",
        ])
        #expect(library.problems.last?.description.hasPrefix("\(drills.path)/gone.yaml: cannot read") == true)
        #expect(DrillLibrary.isScenarioFile("runbooks/drills/x.yaml") && !DrillLibrary.isScenarioFile("runbooks/x.yaml"))
    }

    @Test("a scenario's digest is the SHA-256 of its bytes")
    func digest() {
        #expect(DrillScenario.digest(of: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

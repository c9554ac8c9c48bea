import Foundation
import Testing
import SwitchboardCore
import SwitchboardProbes

@Suite("Runbook files: format and validation")
struct RunbookLoaderTests {
    static let context = RunbookContext(
        probes: ["ups-main": ProbeDeclaration(kind: "nut", metrics: DeclaredMetrics(
                    [("ups.status", .text(values: ["OL", "OB", "LB"])), ("battery.charge", .number(unit: "%")),
                     ("battery.runtime", .number(unit: "s"))], complete: true)),
                 "generator": ProbeDeclaration(kind: "exec", metrics: DeclaredMetrics(
                    [("state", .text(values: ["running", "standby", "failed"])), ("fuel", .number(unit: "%"))], complete: true)),
                 "isp-a": ProbeDeclaration(kind: "exec", metrics: nil)],
        contacts: ["utility", "generator-vendor"], comms: ["client-degraded"])

    static func load(_ yaml: String) throws(ConfigDiagnostics) -> Runbook {
        try RunbookLoader(context: context).load(yaml: yaml, file: "power.yaml")
    }

    /// Every problem in `yaml`, as `LINE:COLUMN: message`.
    static func problems(_ yaml: String) -> [String] {
        do {
            _ = try load(yaml)
            return []
        } catch {
            return error.items.map { item in item.location.map { "\($0.line):\($0.column): \(item.message)" } ?? item.message }
        }
    }

    static let valid = """
        id: utility-power-failure
        title: Utility power failure
        severity: sev1
        triggers: ["ups-main.ups.status has OB"]
        contacts: [utility]
        steps:
          - id: confirm-ups
            do: Confirm the UPS carries the load
            check: "ups-main.ups.status has OB"
          - id: generator
            do: Verify the generator took the load
            wait: "generator.state == running"
            within: 2m
            on_timeout: manual-start
            next: notify
          - id: manual-start
            do: Start the generator by hand
            contacts: [generator-vendor]
          - id: notify
            do: Tell clients
            notify: client-degraded
            every: 20m
          - id: power-back
            ask: Is power expected back within 30 minutes?
            choices: {yes: end, no: relocate}
          - id: relocate
            do: Prepare to relocate
        """

    @Test("every key of the format is read")
    func valid() throws {
        let runbook = try Self.load(Self.valid)
        #expect(runbook.id == "utility-power-failure" && runbook.severity == .sev1 && runbook.contacts == ["utility"])
        #expect(runbook.triggers.map(\.text) == ["ups-main.ups.status has OB"])
        #expect(runbook.steps.map(\.id) == ["confirm-ups", "generator", "manual-start", "notify", "power-back", "relocate"])
        let generator = try #require(runbook.step("generator"))
        #expect(generator.within == .seconds(120) && generator.onTimeout == "manual-start" && generator.wait?.text == "generator.state == running")
        #expect(runbook.step("notify")?.every == .seconds(1200) && runbook.step("notify")?.notify == "client-degraded")
        #expect(runbook.step("power-back")?.choices == [.init(answer: "yes", target: "end"), .init(answer: "no", target: "relocate")])
        #expect(runbook.next(after: "generator") == "notify")
        #expect(runbook.next(after: "confirm-ups") == "generator")
        #expect(runbook.next(after: "relocate") == nil)
    }

    @Test("each kind of problem is reported at its line and column",
          arguments: [
              ("steps:\n  - id: a\n    do: [unclosed\n", "4:1: YAML syntax: while parsing a flow sequence did not find expected ',' or ']'"),
              ("id: x\ntitle: X\nowner: me\nsteps: [{id: a, do: A}]\n",
               "3:1: unknown key 'owner' (expected one of: id, title, description, severity, triggers, contacts, steps)"),
              ("id: x\ntitle: X\nsteps:\n  - id: a\n    do: A\n    dow: typo\n",
               "6:5: unknown key 'dow' (expected one of: id, do, detail, check, wait, for, within, on_timeout, ask, choices, notify, spare, every, next, contacts)"),
              ("id: x\ntitle: X\nsteps:\n  - id: a\n    do: A\n  - id: a\n    do: B\n", "6:9: duplicate step id 'a' (first at line 4)"),
              ("id: x\ntitle: X\nsteps:\n  - id: a\n    do: A\n    next: nowhere\n",
               "4:9: step 'a': next goes to 'nowhere', which is not a step of this runbook (steps: a; or 'end')"),
              ("id: x\ntitle: X\nsteps:\n  - id: a\n    do: A\n    check: \"ups-main.ups.status has OB and ups-mian is ok\"\n",
               "6:44: no probe 'ups-mian' on this site (probes: generator, isp-a, ups-main)"),
              ("id: x\ntitle: X\nsteps:\n  - id: a\n    do: A\n    wait: generator.fule < 20\n",
               "6:21: probe 'generator' reports no metric 'fule' (it reports: state, fuel)"),
              ("id: x\ntitle: X\nsteps:\n  - id: a\n    do: A\n    check: ups-main is sad\n",
               "6:24: expected a status (ok, warning, critical, unknown, stale), got 'sad'"),
              ("id: x\ntitle: X\ncontacts: [utility, plumber]\nsteps: [{id: a, do: A}]\n",
               "3:21: no contact 'plumber' in the site's contacts (known: generator-vendor, utility)"),
              ("id: x\ntitle: X\nsteps:\n  - id: a\n    do: A\n    notify: client-degarded\n",
               "6:13: no message template 'client-degarded' in the site's comms (known: client-degraded)"),
              ("id: x\ntitle: X\nsteps:\n  - id: a\n    do: A\n    next: end\n  - id: b\n    do: B\n",
               "7:9: step 'b' can never be reached (no step leads to it)"),
              ("id: x\ntitle: X\nsteps:\n  - id: a\n    ask: Go?\n", "5:10: a question needs 'choices:' (answer: step to go to)"),
              ("id: x\ntitle: X\nsteps:\n  - id: a\n    do: A\n    on_timeout: a\n", "6:17: 'on_timeout' needs a deadline: add 'within:'"),
              ("id: Power\ntitle: X\nsteps: [{id: a, do: A}]\n", "1:5: runbook id 'Power' may only hold a-z, 0-9 and '-'"),
              ("id: x\ntitle: X\nsteps: []\n", "3:8: a runbook needs at least one step"),
          ])
    func problems(yaml: String, expected: String) {
        #expect(Self.problems(yaml) == [expected])
    }

    @Test("several problems in one step are all reported, without false alarms about the flow")
    func severalProblems() {
        let yaml = "id: x\ntitle: X\nsteps:\n  - id: a\n    do: A\n    next: b\n  - id: b\n    do: B\n"
            + "    check: generator.fule < 20\n    notify: nope\n    within: soon\n"
        #expect(Self.problems(yaml) == [
            "9:22: probe 'generator' reports no metric 'fule' (it reports: state, fuel)",
            "10:13: no message template 'nope' in the site's comms (known: client-degraded)",
            "11:13: expected a duration like 30s, 5m or 1h, got 'soon'",
        ])
    }

    @Test("a probe whose metrics only its readings tell accepts any metric name")
    func undeclaredMetrics() throws {
        _ = try Self.load("id: x\ntitle: X\nsteps:\n  - id: a\n    do: A\n    check: isp-a.rta < 100\n")
    }

    @Test("a folder loads every runbook; a broken file and a duplicate id are kept aside with their problems")
    func library() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sb-runbooks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("drills"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.valid.write(to: folder.appendingPathComponent("a-power.yaml"), atomically: true, encoding: .utf8)
        try "id: utility-power-failure\ntitle: Again\nsteps: [{id: a, do: A}]\n"
            .write(to: folder.appendingPathComponent("b-again.yaml"), atomically: true, encoding: .utf8)
        try "id: broken\ntitle: Broken one\nsteps: [{id: a, do: A, check: nope is ok}]\n"
            .write(to: folder.appendingPathComponent("c-broken.yml"), atomically: true, encoding: .utf8)
        try "not a runbook".write(to: folder.appendingPathComponent("drills/scenario.yaml"), atomically: true, encoding: .utf8)
        try "notes".write(to: folder.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)

        let library = RunbookLibrary.load(paths: [folder.path, folder.appendingPathComponent("missing").path], context: Self.context)
        #expect(library.runbooks.map(\.id) == ["utility-power-failure"])
        #expect(library.broken.map { $0.title ?? $0.file } == ["Again", "Broken one", folder.appendingPathComponent("missing").path])
        #expect(library.broken[0].problems.map(\.message) == ["duplicate runbook id 'utility-power-failure' (also in \(folder.path)/a-power.yaml)"])
        #expect(library.broken[1].problems.first?.description.hasSuffix("c-broken.yml:3:31: no probe 'nope' on this site (probes: generator, isp-a, ups-main)") == true)
        #expect(library.broken[2].problems.map(\.message) == ["no such runbook file or folder"])
    }

    @Test("every shipped runbook validates against the demo site")
    func shippedRunbooks() throws {
        let config = try SiteConfigLoader(catalog: .builtIn).load(yaml: DemoSite.yaml, file: DemoSite.source, isDemo: true)
        let library = RunbookLibrary.load(paths: [ShippedRunbooks.folder], context: RunbookContext(config: config))
        #expect(library.problems.map(\.description) == [])
        let ids = Set(library.runbooks.map(\.id))
        for required in ["utility-power-failure", "generator-fails-to-start", "primary-isp-down", "both-isps-down", "sip-trunk-outage",
                         "pbx-acd-failure", "network-core-failure", "saas-vendor-outage", "facility-unusable", "replace-failed-part",
                         "vendor-escalation", "sla-breach", "customer-communications", "alternate-center-routing",
                         "disaster-recovery-declaration"] {
            #expect(ids.contains(required), "missing shipped runbook \(required)")
        }
    }

    static func runbook(check: String) -> String {
        """
        id: t
        title: T
        steps:
          - id: a
            do: Look
            check: "\(check)"
        """
    }

    @Test("a condition that can never be right is refused: a time against a plain number, another unit, a word the metric never says")
    func unitsAndWords() {
        #expect(Self.problems(Self.runbook(check: "ups-main.battery.runtime >= 15")) == [
            "6:22: ups-main.battery.runtime is a time (in s): compare it with a time, such as 15m, 90s or 250ms"])
        #expect(Self.problems(Self.runbook(check: "ups-main.battery.runtime >= 15m")) == [])
        #expect(Self.problems(Self.runbook(check: "ups-main.battery.charge > 50ms")) == ["6:22: ups-main.battery.charge is in %, not ms"])
        #expect(Self.problems(Self.runbook(check: "generator.state == runing")) == [
            "6:23: generator.state is one of running, standby, failed: 'runing' never matches"])
        #expect(Self.problems(Self.runbook(check: "ups-main.ups.status == 'OB LB'")) == [])
        #expect(Self.problems(Self.runbook(check: "ups-main.battery.charge == low")) == ["6:22: ups-main.battery.charge is a number (in %): 'low' is not one"])
    }

    @Test("a metric a probe does not declare is a warning, with the probe's kind: only its readings will tell")
    func undeclaredWarns() throws {
        let runbook = try Self.load(Self.runbook(check: "isp-a.rta < 80ms"))
        #expect(runbook.warnings.map(\.description) == [
            "power.yaml:6:19: warning: probe 'isp-a' (kind exec) declares no metrics, so 'rta' is known only from its readings "
                + "(list it under the probe's metrics:)"])
        var partial = Self.context
        partial.probes["ups-main"]?.metrics?.complete = false
        let nut = try RunbookLoader(context: partial).load(yaml: Self.runbook(check: "ups-main.ups.temperature < 40"), file: "t.yaml")
        #expect(nut.warnings.first?.message.hasPrefix("warning: probe 'ups-main' (kind nut) may not report 'ups.temperature'") == true)
        #expect(Self.problems(Self.runbook(check: "generator.coolant < 100")).first?.contains("reports no metric 'coolant'") == true)
    }

    @Test("every shipped runbook validates against a site of real kinds (examples/site.yaml), without a warning")
    func realSite() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/site.yaml").path
        let config = try SiteConfigLoader(catalog: .builtIn).load(yaml: String(contentsOfFile: example, encoding: .utf8), file: example)
        #expect(Set(config.probes.map(\.spec.kind)).isSuperset(of: ["nut", "exec", "stream", "http", "sip", "tcp", "agents"]))
        let library = RunbookLibrary.load(paths: config.runbookPaths, context: RunbookContext(config: config))
        #expect(library.problems.map(\.description) == [])
        #expect(library.runbooks.flatMap(\.warnings).map(\.description) == [])
        #expect(library.runbooks.count == 15)
    }

    @Test("an exec plugin's metrics are numbers: a word declared for one is refused")
    func execDeclaresNumbers() {
        let yaml = "site: t\nprobes:\n  - id: g\n    pane: power\n    kind: exec\n    command: [/bin/true]\n    metrics: {state: [running, failed]}\n"
        #expect(throws: ConfigDiagnostics.self) { try SiteConfigLoader(catalog: .builtIn).load(yaml: yaml, file: "t.yaml") }
        do {
            _ = try SiteConfigLoader(catalog: .builtIn).load(yaml: yaml, file: "t.yaml")
        } catch {
            #expect(error.description.contains("t.yaml:7:22: a plugin's performance data are numbers: 'state' cannot be a word"))
        }
    }
}

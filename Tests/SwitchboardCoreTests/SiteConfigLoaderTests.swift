import Testing
@testable import SwitchboardCore
@testable import SwitchboardProbes

/// Every user mistake in `switchboard.yaml` must come back as FILE:LINE:COLUMN with what was expected.
@Suite("Site config loading and errors")
struct SiteConfigLoaderTests {
    let loader = SiteConfigLoader(catalog: .builtIn)

    func problems(_ yaml: String) -> [ConfigDiagnostic] {
        do {
            _ = try loader.load(yaml: yaml, file: "site.yaml")
            return []
        } catch {
            return error.items
        }
    }

    /// Expects exactly one problem, at the given line and column, whose message contains `text`.
    func expectProblem(_ yaml: String, line: Int, column: Int, _ text: String,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let found = problems(yaml)
        #expect(found.count == 1, "\(found)", sourceLocation: sourceLocation)
        guard let problem = found.first else { return }
        #expect(problem.location?.line == line, "\(problem)", sourceLocation: sourceLocation)
        #expect(problem.location?.column == column, "\(problem)", sourceLocation: sourceLocation)
        #expect(problem.message.contains(text), "\(problem)", sourceLocation: sourceLocation)
        #expect(problem.description.hasPrefix("site.yaml:\(line):\(column): "), sourceLocation: sourceLocation)
    }

    static let oneProbe = """
        site: Phoenix
        probes:
          - id: ups-main
            pane: power
            kind: simulated
            interval: 5s
            timeout: 3s
            metric: battery.charge
            warn: "battery.charge=50:"
            crit: {battery.charge: "20:"}
            metrics:
              battery.charge: {start: 100, min: 90, max: 100}
        """

    @Test("a valid config loads with its probes, schedule and thresholds")
    func valid() throws {
        let config = try loader.load(yaml: Self.oneProbe, file: "site.yaml")
        #expect(config.site == "Phoenix")
        #expect(!config.isDemo)
        let spec = try #require(config.probes.first?.spec)
        #expect(spec.id == "ups-main")
        #expect(spec.pane == .power)
        #expect(spec.interval == .seconds(5))
        #expect(spec.timeout == .seconds(3))
        #expect(spec.mainMetric == "battery.charge")
        #expect(spec.thresholds == [MetricThreshold(metric: "battery.charge", warning: try .init(parsing: "50:"),
                                                    critical: try .init(parsing: "20:"))])
        #expect(spec.location == SourceLocation(file: "site.yaml", line: 3, column: 5))
    }

    @Test("YAML syntax errors give the parser's line and column")
    func syntaxError() {
        expectProblem("site: x\nprobes:\n  - id: a\n   pane: power\n", line: 4, column: 4, "YAML syntax")
    }

    @Test("an unknown top-level key is named, with the keys that are allowed")
    func unknownTopLevelKey() {
        expectProblem("site: x\nprobez: []\n", line: 2, column: 1, "unknown key 'probez'")
    }

    @Test("an unknown probe key points at the key")
    func unknownProbeKey() {
        expectProblem(Self.oneProbe.replacingOccurrences(of: "    timeout: 3s", with: "    timeout: 3s\n    colour: red"),
                      line: 8, column: 5, "unknown key 'colour'")
    }

    @Test("a wrong type says what was expected and what was found")
    func wrongType() {
        expectProblem(Self.oneProbe.replacingOccurrences(of: "interval: 5s", with: "interval: fast"),
                      line: 6, column: 15, "expected a duration like 30s, 5m or 1h, got 'fast'")
        expectProblem("site: x\nprobes: {a: 1}\n", line: 2, column: 9, "expected a list of probes")
    }

    @Test("a duplicate probe id points at the second one and names the first")
    func duplicateID() {
        let yaml = Self.oneProbe + "\n" + Self.oneProbe.split(separator: "\n").dropFirst(2).joined(separator: "\n")
        expectProblem(yaml, line: 13, column: 5, "duplicate probe id 'ups-main' (first defined at line 3)")
    }

    @Test("an unknown pane lists the panes")
    func unknownPane() {
        expectProblem(Self.oneProbe.replacingOccurrences(of: "pane: power", with: "pane: hvac"),
                      line: 4, column: 11, "unknown pane 'hvac' (expected one of: power, network, telephony, agents)")
    }

    @Test("an unknown kind lists the kinds")
    func unknownKind() {
        expectProblem(Self.oneProbe.replacingOccurrences(of: "kind: simulated", with: "kind: snmp"),
                      line: 5, column: 11, "unknown probe kind 'snmp'")
    }

    @Test("a bad threshold range names the metric and the reason")
    func badThreshold() {
        expectProblem(Self.oneProbe.replacingOccurrences(of: "\"battery.charge=50:\"", with: "\"battery.charge=50:10\""),
                      line: 9, column: 11, "invalid range '50:10'")
    }

    @Test("a duplicate key is one line at its second occurrence, however big the file")
    func duplicateKey() {
        let duplicated = Self.oneProbe.replacingOccurrences(of: "    timeout: 3s", with: "    timeout: 3s\n    pane: network")
        expectProblem(duplicated, line: 8, column: 5, "duplicate key 'pane', first at line 4")
        let padding = String(repeating: "# a long comment that pads the file out\n", count: 20_000)
        let found = problems(duplicated + "\n" + padding)
        #expect(found.count == 1)
        #expect(found.first.map { !$0.description.contains("\n") && $0.description.count < 200 } == true,
                "one short line, never the file: \(found.first?.description.prefix(300) ?? "")")
    }

    @Test("a NUL byte is reported by line and column")
    func nulByte() {
        expectProblem("site: x\nprobes: []\nru\0nbooks: x\n", line: 3, column: 3, "a NUL byte")
    }

    @Test("a runbooks folder that does not exist is reported at its line in the config")
    func missingRunbooksFolder() throws {
        let config = try loader.load(yaml: Self.oneProbe + "\nrunbooks:\n  - runbooks/nowhere\n", file: "/tmp/site.yaml")
        let library = RunbookLibrary.load(paths: config.runbookPaths, declaredAt: config.runbookPathLocations,
                                          context: RunbookContext(config: config))
        #expect(library.problems.map(\.description)
                == ["/tmp/site.yaml:14:5: no such runbook file or folder: /tmp/runbooks/nowhere"])
    }

    @Test("a missing required key names it, at the probe")
    func missingKey() {
        expectProblem(Self.oneProbe.replacingOccurrences(of: "    pane: power\n", with: ""),
                      line: 3, column: 5, "missing required key 'pane'")
    }

    @Test("a timeout longer than the interval is refused")
    func timeoutOverInterval() {
        expectProblem(Self.oneProbe.replacingOccurrences(of: "timeout: 3s", with: "timeout: 1m"),
                      line: 7, column: 14, "timeout 1m is longer than the interval 5s")
    }

    @Test("attempts is read, defaults to 1, and must be 1 to 100")
    func attempts() throws {
        #expect(try loader.load(yaml: Self.oneProbe, file: "site.yaml").probes[0].spec.attempts == 1)
        let three = Self.oneProbe.replacingOccurrences(of: "timeout: 3s", with: "timeout: 3s\n    attempts: 3")
        #expect(try loader.load(yaml: three, file: "site.yaml").probes[0].spec.attempts == 3)
        expectProblem(Self.oneProbe.replacingOccurrences(of: "timeout: 3s", with: "timeout: 3s\n    attempts: 0"),
                      line: 8, column: 15, "expected a number of attempts from 1 to 100, got 0")
    }

    @Test("kind-specific options are checked by the kind, with positions")
    func kindOptions() {
        expectProblem(Self.oneProbe.replacingOccurrences(of: "{start: 100, min: 90, max: 100}", with: "{start: 100, min: 90, max: 95}"),
                      line: 12, column: 23, "expected min ≤ start ≤ max")
    }

    @Test("several problems are all reported, in order")
    func several() {
        let yaml = Self.oneProbe
            .replacingOccurrences(of: "pane: power", with: "pane: hvac")
            + "\n  - id: Bad_ID\n    pane: power\n    kind: simulated\n"
        let found = problems(yaml)
        #expect(found.map { $0.location?.line } == [4, 13])
    }

    @Test("the comms cadence and alternate sites are read, and their mistakes located")
    func cadenceAndAlternateSites() throws {
        let yaml = Self.oneProbe + """

            comms_cadence: {first: 10m, every: 30m}
            alternate_sites:
              - {id: tucson, name: Tucson contact center, agents: 20, queues: [sales]}
              - {id: remote, agents: 8}
            """
        let reference = try loader.load(yaml: yaml, file: "site.yaml").reference
        #expect(reference.commsCadence == CommsCadence(first: 600, every: 1800))
        #expect(reference.alternateSites == [AlternateSite(id: "tucson", name: "Tucson contact center", agents: 20, queues: ["sales"]),
                                             AlternateSite(id: "remote", agents: 8)])
        #expect(reference.alternateSites[0].takes(queue: "sales") && !reference.alternateSites[0].takes(queue: "support"))
        #expect(reference.alternateSites[1].takes(queue: "support"), "no queues listed: it takes any")
        #expect(try loader.load(yaml: Self.oneProbe, file: "site.yaml").reference.commsCadence == CommsCadence(first: 300, every: 1200))

        expectProblem(Self.oneProbe + "\ncomms_cadence: {first: soon}\n", line: 13, column: 24, "expected a duration")
        expectProblem(Self.oneProbe + "\ncomms_cadence: {every: 20m, often: 5m}\n", line: 13, column: 29, "unknown key 'often'")
        expectProblem(Self.oneProbe + "\nalternate_sites:\n  - {id: tucson, agents: lots}\n", line: 14, column: 26, "a number of agents")
        expectProblem(Self.oneProbe + "\nalternate_sites:\n  - {id: tucson}\n", line: 14, column: 5, "agents")
    }

    @Test("follow-ups are read with their owner and due time, and their mistakes located")
    func followUps() throws {
        let yaml = Self.oneProbe + """

            follow_ups:
              - {id: csat-survey, action: Send the client satisfaction survey, owner: Client services lead, due: 3d, notes: "after, not during"}
              - {id: review, action: Hold the post-incident review, owner: Site manager}
            """
        let reference = try loader.load(yaml: yaml, file: "site.yaml").reference
        #expect(reference.followUps == [
            FollowUp(id: "csat-survey", action: "Send the client satisfaction survey", owner: "Client services lead", due: .seconds(3 * 86_400),
                     notes: "after, not during"),
            FollowUp(id: "review", action: "Hold the post-incident review", owner: "Site manager"),
        ])
        expectProblem(Self.oneProbe + "\nfollow_ups:\n  - {id: csat, action: Survey, owner: CS, due: soon}\n", line: 14, column: 48, "expected a duration")
        expectProblem(Self.oneProbe + "\nfollow_ups:\n  - {id: csat, action: Survey}\n", line: 14, column: 5, "owner")
        expectProblem(Self.oneProbe + "\nfollow_ups:\n  - {id: csat, action: Survey, owner: CS, when: 3d}\n", line: 14, column: 43, "unknown key 'when'")
    }

    @Test("a template counts toward the client-update cadence when its audience names clients, or as its cadence: says")
    func templateCadence() throws {
        let yaml = Self.oneProbe + """

            comms:
              client-update: {channel: client-email, audience: all clients, body: Update}
              staff-sms: {channel: sms, audience: on-site and standby staff, body: Come in}
              ivr: {channel: ivr-announcement, audience: callers, body: Waits are long}
              status-page: {channel: status-page, audience: public, body: Degraded, cadence: true}
              account-managers: {channel: email, audience: client account managers, body: FYI, cadence: false}
            """
        let comms = try loader.load(yaml: yaml, file: "site.yaml").reference.comms
        #expect(comms.filter(\.countsForCadence).map(\.id) == ["client-update", "status-page"])
        expectProblem(Self.oneProbe + "\ncomms:\n  x: {channel: sms, body: Hi, cadence: sometimes}\n", line: 14, column: 40, "expected true or false, got 'sometimes'")
    }

    @Test("an empty file says so")
    func empty() {
        #expect(problems("").first?.message.contains("empty") == true)
        #expect(problems("# only a comment\n\n").first?.message.contains("empty") == true)
    }

    @Test("the built-in demo site and the starter config validate")
    func builtInSitesValidate() throws {
        let demo = try loader.load(yaml: DemoSite.yaml, file: DemoSite.source, isDemo: true)
        #expect(demo.isDemo)
        #expect(Set(demo.probes.map(\.spec.pane)) == Set(Pane.allCases))
        #expect(demo.probes.count >= 12)
        _ = try loader.load(yaml: StarterConfig.yaml, file: "switchboard.yaml")
    }
}

import Foundation
import Testing
@testable import SwitchboardCore
@testable import SwitchboardProbes

/// `kind: agents`: a queue's statistics from a file or over HTTP, judged with Erlang C; a feed
/// that breaks keeps its last good figures on screen, marked stale.
@Suite("Agents probes")
struct AgentsProbeTests {
    /// The README's example queue: 120 calls in 15 minutes at 240 s, 30 agents logged in, 2 away.
    static func json() -> String {
        """
        {"interval_seconds": 900, "threshold_seconds": 20, "queues": [
          {"queue": "sales", "name": "Sales", "offered": 120, "answered": 110, "answered_within": 95, "abandoned": 10,
           "short_abandoned": 3, "waiting": 4, "longest_wait_seconds": 75, "handle_seconds": 240, "answer_wait_seconds": 2400,
           "agents": {"logged_in": 30, "available": 4, "on_call": 22, "wrap_up": 2, "away": 2}},
          {"queue": "support", "offered": 40, "answered": 38, "answered_within": 30, "abandoned": 2, "waiting": 0,
           "longest_wait_seconds": 0, "handle_seconds": 400, "agents": {"logged_in": 3, "available": 0, "on_call": 3, "wrap_up": 0, "away": 0}}
        ]}
        """
    }

    static let csv = """
        # exported by the ACD
        queue,interval_seconds,offered,answered,answered_within,abandoned,short_abandoned,waiting,longest_wait_seconds,handle_seconds,logged_in,available,on_call,wrap_up,away
        sales,900,120,110,95,10,3,4,75,240,30,4,22,2,2

        """

    static func folder(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("agents-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return directory
    }

    @Test("a JSON file: service level by the abandon treatment, Erlang C staffing, the figures as metrics")
    func jsonFile() async throws {
        let directory = try Self.folder(["queues.json": Self.json()])
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("queues.json").path
        let counted = await observe(try loadProbe(kind: "agents", "file: \(path)\nqueue: sales\ntarget: 80/20")).observation
        // 95 of 120 offered: 79.2 %, under 80 %. 120 calls in 900 s at 240 s: 32 Erlangs for 28 staffed agents.
        #expect(counted.metric("service_level") == .number(79.2, unit: "%"))
        #expect(counted.metric("traffic") == .number(32, unit: "Erl"))
        #expect(counted.metric("agents.staffed") == .number(28, unit: ""))
        #expect(counted.status == .critical, "28 agents cannot keep up with 32 Erlangs: \(counted.summary)")
        #expect(counted.summary.hasPrefix("79% / 80% in 20 s · 4 waiting, longest 1:15 · cannot keep up: 28 staffed for 32 Erlangs"))
        #expect(counted.metric("asa") == .number(22, unit: "s"), "2400 s of queue time over 110 answered")
        #expect(counted.metric("queue") == .text("sales"))

        let excluded = await observe(try loadProbe(kind: "agents", "file: \(path)\nqueue: sales\ntarget: 80% in 20s\nabandons: excluded"))
            .observation
        #expect(excluded.metric("service_level") == .number(86.4, unit: "%"), "95 of 110")
        let short = await observe(try loadProbe(kind: "agents", "file: \(path)\nqueue: sales\ntarget: 80/20\nabandons: short-excluded"))
            .observation
        #expect(short.metric("service_level") == .number(81.2, unit: "%"), "95 of 117")

        // Fewer calls (90 in 15 minutes: 24 Erlangs): staffed enough, and Erlang C says how many are needed.
        let fewer = Self.json().replacingOccurrences(of: "\"offered\": 120, \"answered\": 110, \"answered_within\": 95, \"abandoned\": 10",
                                                     with: "\"offered\": 90, \"answered\": 85, \"answered_within\": 80, \"abandoned\": 5")
        try fewer.write(toFile: path, atomically: true, encoding: .utf8)
        let quieter = await observe(try loadProbe(kind: "agents", "file: \(path)\nqueue: sales\ntarget: 80/20\nabandons: excluded"))
            .observation
        let needed = try #require(quieter.metric("agents.needed")?.number)
        let erlang = try #require(ErlangC(callsPerInterval: 90, intervalSeconds: 900, averageHandleSeconds: 240))
        #expect(Int(needed) == erlang.agentsNeeded(serviceLevel: 0.8, thresholdSeconds: 20))
        #expect(quieter.metric("agents.short") == .number(max(0, needed - 28), unit: ""))
    }

    @Test("a CSV file is read by its extension, or by format:")
    func csvFile() async throws {
        let directory = try Self.folder(["queues.csv": Self.csv, "export.txt": Self.csv])
        defer { try? FileManager.default.removeItem(at: directory) }
        let byName = await observe(try loadProbe(kind: "agents", "file: \(directory.path)/queues.csv\nqueue: sales\ntarget: 80/20"))
            .observation
        #expect(byName.metric("service_level") == .number(79.2, unit: "%"), "\(byName.summary)")
        let byFormat = await observe(try loadProbe(kind: "agents", "file: \(directory.path)/export.txt\nformat: csv\nqueue: sales\ntarget: 80/20"))
            .observation
        #expect(byFormat.metric("service_level") == .number(79.2, unit: "%"))
    }

    @Test("a feed that breaks keeps the last good figures, marked stale, with the reason; conditions on it read unknown")
    func brokenFeedKeepsLastReading() async throws {
        let directory = try Self.folder(["queues.json": Self.json()])
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("queues.json").path
        let probe = try loadProbe(kind: "agents", "file: \(path)\nqueue: sales\ntarget: 80/20")
        let neverRead = try loadProbe(kind: "agents", "file: \(directory.path)/missing.json\nqueue: sales\ntarget: 80/20")

        let missing = await observe(neverRead).observation
        #expect(missing.status == .unknown)
        #expect(missing.summary == "\(directory.path)/missing.json: no such file")
        #expect(missing.metrics.isEmpty && missing.keptFrom == nil, "nothing good to keep yet")

        let good = await observe(probe).observation
        #expect(good.keptFrom == nil)
        let cases: [(String, String)] = [
            (String(Self.json().prefix(300)), "not valid JSON"),
            ("\u{0}\u{1}garbage\u{FF}", "not valid JSON"),
            (Self.json().replacingOccurrences(of: "\"available\": 4", with: "\"available\": \"x\""),
             "queues[0].agents.available: expected a whole number"),
            (Self.json().replacingOccurrences(of: "\"sales\"", with: "\"retail\""), "the feed has no queue 'sales' (it has: retail, support)"),
        ]
        for (text, reason) in cases {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let broken = await observe(probe).observation
            #expect(broken.status == .unknown)
            #expect(broken.summary.contains(reason), "\(broken.summary)")
            #expect(broken.summary.contains("· figures from "))
            #expect(broken.metrics == good.metrics, "the last good figures stay")
            #expect(broken.keptFrom != nil)
        }

        // On screen: stale, and a condition on it is unknown rather than a guess.
        var site = SiteState(siteName: "t", isDemo: false, specs: [probe.spec], startedAt: Date())
        let broken = await observe(probe).observation
        SiteReducer.reduce(&site, .probeResult(ProbeResult(probeID: "probe", observation: broken, at: Date(), duration: .zero)))
        #expect(site.displayStatus(of: try #require(site.probe("probe"))) == .stale)
        let condition = try Condition(parsing: "probe.service_level < 80")
        #expect(condition.evaluate(in: site) == .unknown("probe is stale"))

        try Self.json().write(toFile: path, atomically: true, encoding: .utf8)
        let again = await observe(probe).observation
        #expect(again.keptFrom == nil && again.metric("service_level") != nil, "a good feed is read again")
    }

    @Test("over HTTP from a real server: JSON, CSV by its name, and a missing feed")
    func overHTTP() async throws {
        let directory = try Self.folder(["queues.json": Self.json(), "queues.csv": Self.csv])
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await LocalHTTPServer(directory: directory.path)
        let base = "http://127.0.0.1:\(server.port)"
        let json = await observe(try loadProbe(kind: "agents", "url: \(base)/queues.json\nqueue: sales\ntarget: 80/20")).observation
        #expect(json.metric("service_level") == .number(79.2, unit: "%"), "\(json.summary)")
        let csv = await observe(try loadProbe(kind: "agents", "url: \(base)/queues.csv\nqueue: sales\ntarget: 80/20")).observation
        #expect(csv.metric("service_level") == .number(79.2, unit: "%"), "\(csv.summary)")
        let missing = await observe(try loadProbe(kind: "agents", "url: \(base)/nothing.json\nqueue: sales\ntarget: 80/20")).observation
        #expect(missing.status == .unknown)
        #expect(missing.summary == "\(base)/nothing.json answered 404 Not Found", "\(missing.summary)")
    }

    @Test("options are checked with positions")
    func options() {
        #expect(probeProblems(kind: "agents", "queue: sales\ntarget: 80/20")
                == ["t.yaml:3:5: expected one of url, file or simulate: where the queue statistics come from"])
        #expect(probeProblems(kind: "agents", "file: a.json\nurl: http://x/\nqueue: sales\ntarget: 80/20")
                == ["t.yaml:3:5: expected only one of url, file or simulate, got url and file"])
        #expect(probeProblems(kind: "agents", "file: a.json\nqueue: sales\ntarget: most")
                == ["t.yaml:10:13: expected a target such as 80/20 or \"80% in 20s\", got 'most'"])
        #expect(probeProblems(kind: "agents", "file: a.json\nqueue: sales\ntarget: 80/20\nabandons: sometimes")
                == ["t.yaml:11:15: unknown treatment 'sometimes' (expected counted, excluded or short-excluded)"])
        #expect(probeProblems(kind: "agents", "file: a.json\ntarget: 80/20") == ["t.yaml:3:5: missing required key 'queue'"])
        #expect(probeProblems(kind: "agents", "simulate: {calls_per_hour: 100, handle_time: 4m}\ntarget: 80/20")
                == ["t.yaml:8:15: missing required key 'agents'"])
    }

    @Test("targets read as 80/20 or 80% in 20s")
    func targets() {
        #expect(ServiceTarget(text: "80/20") == ServiceTarget(percent: 80, thresholdSeconds: 20))
        #expect(ServiceTarget(text: "90 % in 15 s") == ServiceTarget(percent: 90, thresholdSeconds: 15))
        #expect(ServiceTarget(text: "80.5% in 30s") == ServiceTarget(percent: 80.5, thresholdSeconds: 30))
        for bad in ["", "80", "180/20", "80/0", "eighty/20", "80/20/5"] { #expect(ServiceTarget(text: bad) == nil, "\(bad)") }
    }

    @Test("a simulated queue surges on the clock: more calls, fewer agents, a service level that falls and recovers")
    func simulatedSurge() throws {
        let node = try ConfigNode.parse(yaml: "{calls_per_hour: 150, handle_time: 4m, agents: 16, away: 1, seed: 3, "
                                        + "surge: {every: 8m, for: 2m, calls: 1.25, agents: -1}}", file: "t.yaml", expected: "")
        let simulation = try QueueSimulation(node, interval: .seconds(5))
        let quiet = Date(timeIntervalSince1970: 1_800_000_000 - 1_800_000_000.truncatingRemainder(dividingBy: 480) + 300)
        var calm: QueueSnapshot?
        for step in 0..<30 { calm = simulation.next(queue: "sales", thresholdSeconds: 20, at: quiet.addingTimeInterval(Double(step) * 5)) }
        let before = try #require(calm)
        #expect(before.loggedIn == 16)
        let calmLevel = try #require(QueueAssessment(before, target: ServiceTarget(percent: 80, thresholdSeconds: 20), abandons: .counted)
            .serviceLevel)
        #expect(calmLevel > 0.8, "\(calmLevel)")

        let surgeStart = quiet.addingTimeInterval(180) // the next whole 8 minutes
        var during = before
        for step in 0..<24 { during = simulation.next(queue: "sales", thresholdSeconds: 20, at: surgeStart.addingTimeInterval(Double(step) * 5)) }
        #expect(during.loggedIn == 15)
        #expect(during.offered > before.offered)
        let surgeLevel = try #require(QueueAssessment(during, target: ServiceTarget(percent: 80, thresholdSeconds: 20), abandons: .counted)
            .serviceLevel)
        #expect(surgeLevel < calmLevel - 0.1, "the rolling service level falls: \(calmLevel) → \(surgeLevel)")
    }
}

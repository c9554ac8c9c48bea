import Foundation
import Synchronization
import Testing
import Yams
@testable import SwitchboardCore
@testable import SwitchboardProbes

/// Any instant will do for a simulation that does not run on the clock.
private let noon = Date(timeIntervalSince1970: 1_795_003_200)

@Suite("Simulated probes")
struct SimulatedProbeTests {
    func probe(_ options: String, interval: String = "5s") throws -> SimulatedProbe {
        let yaml = "site: t\nprobes:\n  - id: sim\n    pane: network\n    kind: simulated\n    interval: \(interval)\n"
            + options.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        let config = try SiteConfigLoader(catalog: .builtIn).load(yaml: yaml, file: "t.yaml")
        return try #require(config.probes.first?.probe as? SimulatedProbe)
    }

    @Test("walks stay within their bounds and report their unit and decimals")
    func bounds() async throws {
        let sim = try probe("metrics:\n  latency: {start: 20, min: 10, max: 30, step: 8, unit: ms, decimals: 1}\nseed: 3")
        for _ in 0..<500 {
            let observation = await sim.observe(at: noon)
            guard case .number(let value, let unit) = observation.metric("latency") else {
                Issue.record("latency missing")
                return
            }
            #expect((10...30).contains(value))
            #expect(unit == "ms")
            #expect((value * 10).rounded() == value * 10)
        }
    }

    @Test("the same seed gives the same values")
    func seeded() async throws {
        let options = "metrics:\n  x: {start: 50, min: 0, max: 100, step: 5}\nseed: 42"
        let first = try probe(options), second = try probe(options)
        for _ in 0..<20 {
            let a = await first.observe(at: noon), b = await second.observe(at: noon)
            #expect(a == b)
        }
    }

    @Test("a glitch sets its values, status and summary, then recovers")
    func glitch() async throws {
        // every == interval: the glitch starts on the first observation and lasts two.
        let sim = try probe("""
            summary: "fine {{link.state}}"
            metrics:
              link.state: up
              latency: {start: 20, min: 10, max: 30, step: 1}
            glitches:
              - every: 5s
                for: 10s
                status: critical
                summary: "down {{link.state}} {{latency}}"
                set: {link.state: down, latency: 300}
            seed: 1
            """)
        let during = await sim.observe(at: noon)
        #expect(during.status == .critical)
        #expect(during.metric("link.state") == .text("down"))
        #expect(during.summary.hasPrefix("down down "))
        _ = await sim.observe(at: noon)
        // The glitch may start again (its chance is 1), so look at the model, not the luck:
        // a probe whose glitch never repeats recovers to its base values.
        let calm = try probe("""
            summary: "fine {{link.state}}"
            metrics:
              link.state: up
            glitches:
              - {every: 10m, for: 5s, status: critical, set: {link.state: down}}
            seed: 1
            """)
        let normal = await calm.observe(at: noon)
        #expect(normal.status == .ok)
        #expect(normal.summary == "fine up")
    }

    @Test("glitches naming unknown metrics are refused at load, with the position")
    func unknownGlitchMetric() {
        #expect(throws: ConfigDiagnostics.self) {
            try probe("metrics:\n  a: 1\nglitches:\n  - {every: 1m, for: 5s, set: {b: 2}}")
        }
    }

    @Test("summaries are plain text: nothing is HTML-escaped")
    func templateIsText() async throws {
        let sim = try probe("summary: \"A&B <{{v}}>\"\nmetrics:\n  v: \"x&y\"")
        #expect(await sim.observe(at: noon).summary == "A&B <x&y>")
    }
}

@Suite("Probe scheduler")
struct ProbeSchedulerTests {
    /// A probe that takes as long as it is told, for timeout tests.
    final class SlowProbe: Probe {
        static let kind = "slow"
        static let optionKeys: [String] = []
        init(spec: ProbeSpec, options: ConfigMapping) {}
        init() {}
        func observe(at _: Date) async -> ProbeObservation {
            try? await Task.sleep(for: .seconds(600))
            return ProbeObservation(status: .ok, summary: "finished")
        }
    }

    @Test("a probe that does not answer within its timeout is cancelled and reported unknown")
    func timeout() async {
        let spec = ProbeSpec(id: "slow", pane: .power, kind: "slow", interval: .seconds(1), timeout: .milliseconds(200))
        let clock = ContinuousClock()
        let start = clock.now
        let result = await ProbeScheduler.observeOnce(ConfiguredProbe(spec: spec, probe: SlowProbe()))
        #expect(result.observation.status == .unknown)
        #expect(result.observation.summary == "timed out after 200ms")
        // Cancelled, not waited out: far sooner than the probe's ten minutes, with room for a
        // machine whose every core is busy with other tests.
        #expect(clock.now - start < .seconds(120))
    }

    @Test("configured thresholds are applied to what the probe reported")
    func thresholds() async throws {
        let yaml = """
            site: t
            probes:
              - id: ups
                pane: power
                kind: simulated
                crit: "charge=20:"
                metrics:
                  charge: 10
            """
        let config = try SiteConfigLoader(catalog: .builtIn).load(yaml: yaml, file: "t.yaml")
        let result = await ProbeScheduler.observeOnce(config.probes[0])
        #expect(result.observation.status == .critical)
        #expect(result.probeID == "ups")
    }

    @Test("the scheduler delivers results from every probe, and stops")
    func delivers() async throws {
        let config = try SiteConfigLoader(catalog: .builtIn).load(yaml: DemoSite.yaml, file: "demo", isDemo: true)
        let scheduler = ProbeScheduler(probes: config.probes, clock: WallClock())
        let (stream, continuation) = AsyncStream<String>.makeStream()
        scheduler.start { continuation.yield($0.probeID) }
        var seen = Set<String>()
        for await id in stream {
            seen.insert(id)
            if seen.count == config.probes.count { break }
        }
        scheduler.stop()
        #expect(seen == Set(config.probes.map(\.spec.id)))
    }

    @Test("the scheduler paces each probe by the console's clock and stamps readings with its time")
    func pacedByTheClock() async throws {
        let yaml = """
            site: t
            probes:
              - {id: fast, pane: power, kind: simulated, interval: 5s, metrics: {x: 1}}
              - {id: slow, pane: power, kind: simulated, interval: 20s, metrics: {x: 2}}
            """
        let config = try SiteConfigLoader(catalog: .builtIn).load(yaml: yaml, file: "t.yaml")
        let clock = ManualClock(now: noon)
        let scheduler = ProbeScheduler(probes: config.probes, clock: clock)
        let delivered = Mutex<[ProbeResult]>([])
        scheduler.start { result in delivered.withLock { $0.append(result) } }
        defer { scheduler.stop() }
        // The clock moves only here, once both probes wait for their turn (a probe delivers its
        // reading before it sleeps again; the first comes after a moment of real time).
        for second in 1...40 {
            await clock.sleepers(atLeast: 2)
            clock.advance(to: noon.addingTimeInterval(Double(second)))
        }
        await clock.sleepers(atLeast: 2)
        let seen = delivered.withLock { $0 }.map { ($0.probeID, $0.at.timeIntervalSince(noon)) }
        let fast = seen.filter { $0.0 == "fast" }.map(\.1)
        let slow = seen.filter { $0.0 == "slow" }.map(\.1)
        // First runs read at the clock's start; then each keeps its own period on the clock.
        #expect(fast.first == 0 && slow.first == 0, "\(seen)")
        #expect(fast.count == 9 && slow.count == 3, "\(seen)")
        #expect(zip(fast, fast.dropFirst()).allSatisfy { $1 - $0 == 5 })
        #expect(zip(slow, slow.dropFirst()).allSatisfy { $1 - $0 == 20 })
        #expect(fast.allSatisfy { $0 == $0.rounded() }, "stamped with the clock's time, whole seconds here")
    }

    @Test("the concurrency limiter never lets more than its limit run at once")
    func limiter() async {
        let limiter = ConcurrencyLimiter(limit: 3)
        actor Counter {
            var running = 0, peak = 0
            func enter() { running += 1; peak = max(peak, running) }
            func leave() { running -= 1 }
        }
        let counter = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    await limiter.acquire()
                    await counter.enter()
                    await Task.yield()
                    await counter.leave()
                    await limiter.release()
                }
            }
        }
        #expect(await counter.peak <= 3)
    }
}

import Foundation
import SwitchboardConsole
import SwitchboardCore
import SwitchboardProbes
import SwitchboardStore

extension LogBenchmark {
    /// `switchboard-log-bench drill SPEED INJECTS`: a scenario of INJECTS injects 5 scenario
    /// seconds apart, each driving the demo site's UPS, played at SPEED on the wall clock by the
    /// facilitator console's own parts: the scenario clock's sleeper posts each inject into an
    /// event inbox, a thread waiting on the inbox as the console's loop does stamps it with the
    /// scenario clock and computes the readings the inject drives. Prints how late each inject
    /// was stamped against its scenario time (budget at ×60: 100 ms of scenario time).
    static func drill(speed: Int, injects count: Int) throws {
        let demo = try SiteConfigLoader(catalog: .builtIn).load(yaml: DemoSite.yaml, file: "demo", isDemo: true)
        let context = ScenarioContext(config: demo, runbooks: RunbookLibrary())
        var yaml = "id: bench\ntitle: inject timing\nduration: \(5 * count + 5)s\ninjects:\n"
        for number in 1...count {
            let status = number.isMultiple(of: 2) ? "ok" : "warning"
            yaml += "  - {at: \(5 * number)s, message: \"inject \(number)\", set: {ups-main: {status: \(status), summary: \"step \(number)\"}}}\n"
        }
        let scenario = try DrillScenarioLoader(context: context).load(yaml: yaml, file: "bench.yaml")
        let specs = demo.probes.map(\.spec)

        let clock = ScenarioClock(epoch: Date(), base: WallClock(), speed: Double(speed))
        let playback = ScenarioPlayback(scenario: scenario, clock: clock)
        let inbox = try EventInbox<Int>()
        let player = Task.detached { await playback.postInjectsOnTime { inbox.post($0) } }
        defer { player.cancel() }

        var lateness: [Double] = []
        while lateness.count < count {
            var descriptor = pollfd(fd: inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 10_000) > 0 else { throw StoreError("no inject came within 10 s") }
            for number in inbox.drain() {
                let stamped = clock.now().timeIntervalSince(clock.epoch)
                _ = playback.play(number, specs: specs)
                lateness.append(stamped - scenario.inject(number)!.at)
            }
        }
        lateness.sort()
        func figure(_ fraction: Double) -> String {
            let seconds = lateness[min(lateness.count - 1, Int(Double(lateness.count) * fraction))]
            return String(format: "%.0f ms (%.2f ms real)", seconds * 1000, seconds * 1000 / Double(speed))
        }
        print("drill at ×\(speed): \(count) injects, 5 scenario seconds apart, stamped after their scenario time by")
        print("  p50 \(figure(0.5)) · p90 \(figure(0.9)) · p99 \(figure(0.99)) · max \(figure(1.0)) · earliest \(figure(0))")
    }
}

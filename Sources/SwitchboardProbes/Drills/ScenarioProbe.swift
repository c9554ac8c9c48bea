import Foundation
import Synchronization
import SwitchboardCore

/// A drill being played on the facilitator's console: the scenario, its clock, and the injects
/// played so far, which the probes the scenario drives read from. The console tells it each
/// inject it plays (at once, before the log has it) and what the log says was played (after a
/// restart, or what another facilitator's console played).
public final class ScenarioPlayback: Sendable {
    public let scenario: DrillScenario
    public let clock: ScenarioClock
    private let timeline: ScenarioTimeline
    private let fired = Mutex<[FiredInject]>([])

    public init(scenario: DrillScenario, clock: ScenarioClock) {
        self.scenario = scenario
        self.clock = clock
        timeline = ScenarioTimeline(scenario)
    }

    /// Inject `number` was played at scenario time `at` (once).
    public func played(_ number: Int, at: TimeInterval) {
        fired.withLock { fired in
            if !fired.contains(where: { $0.number == number }) { fired.append(FiredInject(number: number, at: at)) }
        }
    }

    /// The injects the log says were played: these are the ones that count.
    public func sync(_ logged: [FiredInject]) {
        fired.withLock { fired in
            let pending = fired.filter { own in !logged.contains { $0.number == own.number } }
            fired = logged + pending
        }
    }

    /// Posts each inject's number as the scenario clock reaches its time (a pause holds them, a
    /// jump brings them at once), in time order; returns when all are posted or when cancelled.
    public func postInjectsOnTime(_ post: @Sendable (Int) -> Void) async {
        for inject in scenario.injects.sorted(by: { $0.at < $1.at }) {
            do { try await clock.sleep(until: clock.epoch.addingTimeInterval(inject.at)) } catch { return }
            post(inject.number)
        }
    }

    /// Plays inject `number` now; returns the readings of the probes it drives, as they are now
    /// (with the site's thresholds on them, as the scheduler would apply them).
    public func play(_ number: Int, specs: [ProbeSpec]) -> [ProbeResult] {
        let now = clock.now()
        played(number, at: now.timeIntervalSince(clock.epoch))
        guard let inject = scenario.inject(number) else { return [] }
        return inject.probes.sorted().compactMap { probe in
            guard let spec = specs.first(where: { $0.id == probe }), let observation = observation(of: probe, at: now) else { return nil }
            return ProbeResult(probeID: probe, observation: spec.thresholds.apply(to: observation), at: now, duration: .zero)
        }
    }

    /// What `probe` reads at `date` on the scenario clock; nil for a probe the scenario does not drive.
    /// An inject whose time has come counts as played at its time even before the console has
    /// played it: the console plays it at that instant, and a reading taken in between (a probe
    /// woken by the same tick, a jump to the inject) must not show the world before it.
    public func observation(of probe: String, at date: Date) -> ProbeObservation? {
        let time = date.timeIntervalSince(clock.epoch)
        let played = fired.withLock { $0 }
        let due = scenario.injects.filter { inject in inject.at <= time && !played.contains { $0.number == inject.number } }
            .map { FiredInject(number: $0.number, at: $0.at) }
        return timeline.observation(of: probe, at: time, fired: played + due)
    }
}

/// A probe a drill scenario drives: its readings are the scenario's at the console's (scenario)
/// time. It takes the place of the site's probe of the same id on the facilitator's console.
public struct ScenarioProbe: Probe {
    public static let kind = "scenario"
    public static let optionKeys: [String] = []

    let probeID: String
    let playback: ScenarioPlayback

    public init(probeID: String, playback: ScenarioPlayback) {
        self.probeID = probeID
        self.playback = playback
    }

    /// Not made from config: a drill puts it in place of a site probe.
    public init(spec: ProbeSpec, options: ConfigMapping) throws {
        throw options.node.error("kind 'scenario' is not for switchboard.yaml: a drill scenario drives probes by their ids")
    }

    public func observe(at now: Date) async -> ProbeObservation {
        playback.observation(of: probeID, at: now) ?? ProbeObservation(status: .unknown, summary: "not driven by the scenario")
    }
}

/// A site probe that is not driven by the scenario, under `switchboard drill --simulate-all`: it
/// reads as steady and healthy, so nothing outside the scenario distracts the players.
public struct SteadyProbe: Probe {
    public static let kind = "steady"
    public static let optionKeys: [String] = []

    public init() {}

    public init(spec: ProbeSpec, options: ConfigMapping) throws {
        throw options.node.error("kind 'steady' is not for switchboard.yaml: a drill with --simulate-all uses it")
    }

    public func observe(at now: Date) async -> ProbeObservation {
        ProbeObservation(status: .ok, summary: "steady (simulated for the drill)")
    }
}

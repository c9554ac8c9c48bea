import Foundation
import Synchronization
import SwitchboardCore

/// A queue made up for the demo site and drills: calls arrive around `calls_per_hour`, agents
/// answer them as Erlang C says they would, and the figures are those of a rolling 15-minute
/// interval, so a surge shows up gradually and recovers the same way.
///
/// A `surge` comes on the wall clock (`every` whole multiple of its period, for `for`): the demo
/// times its queues' surges with the trunk flaps of the same period, as calls re-presented from
/// a lost trunk and softphones reconnecting would.
///
/// ```yaml
/// simulate:
///   calls_per_hour: 240
///   handle_time: 5m
///   agents: 24                  # logged in
///   away: 2                     # on break, in training
///   surge: {every: 8m, for: 2m, calls: 1.6, agents: -4}
/// ```
final class QueueSimulation: Sendable {
    static let keys = ["calls_per_hour", "handle_time", "agents", "away", "surge", "seed"]
    static let intervalSeconds = 15.0 * 60

    struct Surge: Sendable {
        var every: Double
        var length: Double
        var callFactor: Double
        var agentChange: Int

        func isOn(at date: Date) -> Bool {
            date.timeIntervalSince1970.truncatingRemainder(dividingBy: every) < length
        }
    }

    struct Running: Sendable {
        var random: SplitMix64
        /// Smoothed over the rolling interval.
        var serviceLevel: Double?
        var callsPerHour: Double
        var abandonRate = 0.02
    }

    let callsPerHour: Double
    let handleSeconds: Double
    let agents: Int
    let away: Int
    let surge: Surge?
    /// How much of the 15-minute interval one reading replaces.
    let weight: Double
    private let running: Mutex<Running>

    init(_ node: ConfigNode, interval: Duration) throws {
        let fields = try node.mapping("a simulated queue (calls_per_hour, handle_time, agents)", allowedKeys: Self.keys)
        callsPerHour = try fields.required("calls_per_hour").double("calls per hour", in: 0...1_000_000)
        handleSeconds = try fields.required("handle_time").duration().seconds
        agents = try fields.required("agents").integer("a number of agents", in: 1...10_000)
        away = try fields["away"]?.integer("a number of agents", in: 0...10_000) ?? 0
        surge = try fields["surge"].map { node in
            let surge = try node.mapping("a surge (every, for, calls, agents)", allowedKeys: ["every", "for", "calls", "agents"])
            return Surge(every: try surge.required("every").duration().seconds, length: try surge.required("for").duration().seconds,
                         callFactor: try surge["calls"]?.double("a factor such as 1.5", in: 0...100) ?? 1,
                         agentChange: try surge["agents"]?.integer("a change in agents", in: -10_000...10_000) ?? 0)
        }
        weight = min(1, interval.seconds / Self.intervalSeconds * 4)
        let seed = try fields["seed"].map { UInt64(truncatingIfNeeded: try $0.integer()) } ?? UInt64.random(in: 0...UInt64.max)
        running = Mutex(Running(random: SplitMix64(seed: seed), callsPerHour: callsPerHour))
    }

    /// The next reading at `date`.
    func next(queue: String, thresholdSeconds: Double, at date: Date) -> QueueSnapshot {
        running.withLock { state in
            let surging = surge?.isOn(at: date) ?? false
            let wobble = 1 + (state.random.unit() * 2 - 1) * 0.06
            let goal = callsPerHour * (surging ? surge?.callFactor ?? 1 : 1) * wobble
            state.callsPerHour += (goal - state.callsPerHour) * 0.3 // calls arrive at once; the interval's figures lag
            let loggedIn = max(1, agents + (surging ? surge?.agentChange ?? 0 : 0))
            let staffed = max(0, loggedIn - away)
            let erlang = ErlangC(arrivalRatePerSecond: state.callsPerHour / 3600, averageHandleSeconds: handleSeconds)
            let traffic = erlang?.trafficErlangs ?? 0
            let instant: (level: Double, wait: Double, waiting: Double)
            switch erlang?.projection(agents: staffed, thresholdSeconds: thresholdSeconds) {
            case .projected(let chance, let level, let speed)?:
                instant = (level, speed, chance * Double(staffed) * 0.5)
            default:
                instant = (0.25, handleSeconds, traffic - Double(staffed) + 3)
            }
            let level = state.serviceLevel.map { $0 + (instant.level - $0) * weight } ?? instant.level
            state.serviceLevel = level
            state.abandonRate += ((surging ? 0.09 : 0.02) - state.abandonRate) * weight

            let offered = Int((state.callsPerHour * Self.intervalSeconds / 3600).rounded())
            let abandoned = Int((Double(offered) * state.abandonRate).rounded())
            let answered = offered - abandoned
            let within = min(answered, Int((Double(offered) * level).rounded()))
            let busy = min(staffed, Int(traffic.rounded()))
            let wrapUp = Int((Double(busy) * 0.15).rounded())
            let waiting = max(0, Int((instant.waiting * (0.8 + state.random.unit() * 0.4)).rounded()))
            return QueueSnapshot(
                queue: queue, intervalSeconds: Self.intervalSeconds, thresholdSeconds: thresholdSeconds,
                offered: offered, answered: answered, answeredWithinThreshold: within, abandoned: abandoned,
                shortAbandoned: abandoned / 3, waiting: waiting,
                longestWaitSeconds: waiting == 0 ? 0 : (instant.wait * (2 + state.random.unit())).rounded(),
                averageHandleSeconds: handleSeconds, totalAnswerWaitSeconds: instant.wait * Double(answered),
                loggedIn: loggedIn, available: staffed - busy, onCall: busy - wrapUp, wrapUp: wrapUp, away: away)
        }
    }
}

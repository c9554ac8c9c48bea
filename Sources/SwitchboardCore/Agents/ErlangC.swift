import Foundation

/// Erlang C (M/M/N: Poisson arrivals, exponential handle times, callers wait and never hang up):
/// what N agents would achieve against an arrival rate and handle time, and how many agents a
/// service-level target needs — the numbers a commander weighs before moving staff or routing
/// work to an alternate site.
///
/// Everything goes through the Erlang B recursion B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)),
/// then C = N·B / (N − A·(1 − B)): no factorials and no powers, so it stays finite and exact
/// enough for thousands of agents.
public struct ErlangC: Sendable, Equatable {
    /// What N agents would achieve, or that they cannot keep up.
    public enum Projection: Sendable, Equatable {
        /// N ≤ A: calls arrive faster than the agents can handle them and the queue grows
        /// without bound; Erlang C has no steady state to report.
        case cannotKeepUp
        /// The steady state: the share of calls that wait at all, the share answered within
        /// the threshold (0…1), and the average speed of answer in seconds.
        case projected(probabilityOfWaiting: Double, serviceLevel: Double, averageSpeedOfAnswerSeconds: Double)
    }

    /// No queue has more agents than this; `agentsNeeded` stops searching here.
    public static let maximumAgents = 1_000_000

    public let arrivalRatePerSecond: Double
    public let averageHandleSeconds: Double

    /// nil when either is negative or not finite.
    public init?(arrivalRatePerSecond: Double, averageHandleSeconds: Double) {
        guard arrivalRatePerSecond >= 0, averageHandleSeconds >= 0,
              (arrivalRatePerSecond * averageHandleSeconds).isFinite else { return nil }
        self.arrivalRatePerSecond = arrivalRatePerSecond
        self.averageHandleSeconds = averageHandleSeconds
    }

    /// `callsPerInterval` calls arriving over `intervalSeconds`; nil when the interval is not
    /// positive or a value is negative or not finite.
    public init?(callsPerInterval: Double, intervalSeconds: Double, averageHandleSeconds: Double) {
        guard intervalSeconds > 0 else { return nil }
        self.init(arrivalRatePerSecond: callsPerInterval / intervalSeconds, averageHandleSeconds: averageHandleSeconds)
    }

    /// The offered load A = λ·AHT: how many agents would be busy all the time.
    public var trafficErlangs: Double { arrivalRatePerSecond * averageHandleSeconds }

    /// The share of calls that wait at all; nil when `agents` cannot keep up (N ≤ A).
    public func probabilityOfWaiting(agents: Int) -> Double? {
        guard Double(agents) > trafficErlangs else { return nil }
        return waiting(agents: agents, blocking: Self.erlangB(traffic: trafficErlangs, servers: agents))
    }

    /// The share of calls answered within `thresholdSeconds` (below 0 counts as 0):
    /// 1 − Pw·e^(−(N − A)·T / AHT); nil when `agents` cannot keep up.
    public func serviceLevel(agents: Int, thresholdSeconds: Double) -> Double? {
        guard let waiting = probabilityOfWaiting(agents: agents) else { return nil }
        return serviceLevel(agents: agents, probabilityOfWaiting: waiting, thresholdSeconds: thresholdSeconds)
    }

    /// The average speed of answer in seconds, Pw·AHT / (N − A); nil when `agents` cannot keep up.
    public func averageSpeedOfAnswer(agents: Int) -> Double? {
        guard let waiting = probabilityOfWaiting(agents: agents) else { return nil }
        return waiting * averageHandleSeconds / (Double(agents) - trafficErlangs)
    }

    /// Everything `agents` would achieve at once, or `.cannotKeepUp`.
    public func projection(agents: Int, thresholdSeconds: Double) -> Projection {
        guard let waiting = probabilityOfWaiting(agents: agents),
              let speed = averageSpeedOfAnswer(agents: agents) else { return .cannotKeepUp }
        return .projected(
            probabilityOfWaiting: waiting,
            serviceLevel: serviceLevel(agents: agents, probabilityOfWaiting: waiting, thresholdSeconds: thresholdSeconds),
            averageSpeedOfAnswerSeconds: speed)
    }

    /// The fewest agents whose service level reaches `target` (0…1) within `thresholdSeconds`.
    ///
    /// The search starts at ⌊A⌋ + 1, the fewest agents who can keep up, and carries the Erlang B
    /// recursion forward one agent at a time. Without traffic that gives 1: an open queue needs
    /// someone to answer its first call, and `projection` agrees that 0 agents cannot keep up.
    /// nil when the target is not in 0..<1 (Erlang C never answers every call within a
    /// threshold) or needs more than `maximumAgents`.
    public func agentsNeeded(serviceLevel target: Double, thresholdSeconds: Double) -> Int? {
        let traffic = trafficErlangs
        guard target >= 0, target < 1, traffic < Double(Self.maximumAgents) else { return nil }
        var blocking = 1.0
        for agents in 1...Self.maximumAgents {
            blocking = traffic * blocking / (Double(agents) + traffic * blocking)
            guard Double(agents) > traffic else { continue }
            let waiting = waiting(agents: agents, blocking: blocking)
            if serviceLevel(agents: agents, probabilityOfWaiting: waiting, thresholdSeconds: thresholdSeconds) >= target {
                return agents
            }
        }
        return nil
    }

    /// Erlang B: the share of calls lost when `traffic` Erlangs are offered to `servers` lines
    /// with no queue (also what sizes trunk channels). Fewer than one server loses every call.
    public static func erlangB(traffic: Double, servers: Int) -> Double {
        var blocking = 1.0
        for server in stride(from: 1, through: servers, by: 1) {
            blocking = traffic * blocking / (Double(server) + traffic * blocking)
        }
        return blocking
    }

    /// Erlang C from Erlang B for the same N and A; only for N > A, where the denominator is
    /// at least N − A > 0.
    private func waiting(agents: Int, blocking: Double) -> Double {
        let servers = Double(agents)
        return servers * blocking / (servers - trafficErlangs * (1 - blocking))
    }

    private func serviceLevel(agents: Int, probabilityOfWaiting waiting: Double, thresholdSeconds: Double) -> Double {
        // No call waits (no traffic, or it underflowed): every call is in time, and the
        // exponent below may be 0/0 when the handle time is 0.
        guard waiting > 0 else { return 1 }
        let exponent = -(Double(agents) - trafficErlangs) * max(0, thresholdSeconds) / averageHandleSeconds
        return 1 - waiting * exp(exponent)
    }
}

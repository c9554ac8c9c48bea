import Foundation

/// A queue's service-level objective: `percent` of calls answered within `thresholdSeconds`
/// (`80/20`, or `80% in 20s`).
public struct ServiceTarget: Sendable, Equatable {
    public var percent: Double
    public var thresholdSeconds: Double

    public init(percent: Double, thresholdSeconds: Double) {
        self.percent = percent
        self.thresholdSeconds = thresholdSeconds
    }

    /// Reads `80/20`, `80% in 20s`, `80 % in 20 s`; nil for anything else.
    public init?(text: String) {
        let pattern = #"^\s*(\d+(?:\.\d+)?)\s*%?\s*(?:/|in)\s*(\d+(?:\.\d+)?)\s*s?\s*$"#
        guard let match = text.range(of: pattern, options: .regularExpression) else { return nil }
        let numbers = text[match].split { !"0123456789.".contains($0) }.compactMap { Double($0) }
        guard numbers.count == 2, numbers[0] > 0, numbers[0] < 100, numbers[1] > 0 else { return nil }
        self.init(percent: numbers[0], thresholdSeconds: numbers[1])
    }

    /// `80% in 20 s`.
    public var text: String { "\(MetricValue.format(percent))% in \(MetricValue.format(thresholdSeconds)) s" }
}

/// What a queue's statistics mean against its target: the service level, the staffing Erlang C
/// says the current calls need, and a status, summary and metrics for the AGENTS & SLA pane.
///
/// Status: critical when the agents staffed cannot keep up with the calls arriving (the queue
/// grows without end); warning when the service level is under target or fewer agents are
/// staffed than the target needs; ok otherwise.
public struct QueueAssessment: Sendable {
    public let snapshot: QueueSnapshot
    public let target: ServiceTarget
    /// 0…1; nil in an interval without calls.
    public let serviceLevel: Double?
    /// Agents taking calls: logged in and not away.
    public let staffed: Int
    public let erlang: ErlangC?
    /// The fewest agents that reach the target with the current calls; nil without calls.
    public let needed: Int?
    public let projection: ErlangC.Projection?

    public init(_ snapshot: QueueSnapshot, target: ServiceTarget, abandons: AbandonTreatment) {
        self.snapshot = snapshot
        self.target = target
        serviceLevel = snapshot.serviceLevel(abandons: abandons)
        staffed = max(0, snapshot.loggedIn - snapshot.away)
        let erlang = snapshot.offered > 0
            ? ErlangC(callsPerInterval: Double(snapshot.offered), intervalSeconds: snapshot.intervalSeconds,
                      averageHandleSeconds: snapshot.averageHandleSeconds)
            : nil
        self.erlang = erlang
        needed = erlang?.agentsNeeded(serviceLevel: target.percent / 100, thresholdSeconds: target.thresholdSeconds)
        projection = erlang?.projection(agents: staffed, thresholdSeconds: target.thresholdSeconds)
    }

    public var cannotKeepUp: Bool { projection == .cannotKeepUp }
    public var short: Int { max(0, (needed ?? 0) - staffed) }
    public var belowTarget: Bool { serviceLevel.map { $0 * 100 < target.percent } ?? false }

    public var status: ProbeStatus {
        if cannotKeepUp { return .critical }
        if belowTarget || short > 0 { return .warning }
        return .ok
    }

    /// `71% / 80% in 20 s · 6 waiting, longest 2:14 · short 5: need 43, have 38 · 12 free 30 busy 3 away`
    public var summary: String {
        let level = serviceLevel.map { "\(Int(($0 * 100).rounded()))% / \(target.text)" } ?? "no calls yet / \(target.text)"
        var parts = [level]
        parts.append(snapshot.waiting == 0 ? "none waiting"
                     : "\(snapshot.waiting) waiting, longest \(TimeText.countdown(snapshot.longestWaitSeconds))")
        if cannotKeepUp {
            parts.append("cannot keep up: \(staffed) staffed for \(MetricValue.format(erlang?.trafficErlangs ?? 0)) Erlangs")
        } else if let needed {
            parts.append(short > 0 ? "short \(short): need \(needed), have \(staffed)" : "need \(needed), have \(staffed)")
        }
        parts.append("\(snapshot.available) free \(snapshot.onCall + snapshot.wrapUp) busy \(snapshot.away) away")
        return parts.joined(separator: " · ")
    }

    /// The pane's figures, by the names runbooks use (`queue-sales.service_level < 80`).
    public var metrics: [Metric] {
        func number(_ name: String, _ value: Double, _ unit: String = "") -> Metric { Metric(name: name, value: .number(value, unit: unit)) }
        func count(_ name: String, _ value: Int) -> Metric { number(name, Double(value)) }
        let snapshot = self.snapshot
        var metrics: [Metric] = [Metric(name: "queue", value: .text(snapshot.queue))]
        if let serviceLevel { metrics.append(number("service_level", (serviceLevel * 1000).rounded() / 10, "%")) }
        metrics += [
            number("target", target.percent, "%"), number("threshold", target.thresholdSeconds, "s"),
            count("waiting", snapshot.waiting), number("longest_wait", snapshot.longestWaitSeconds, "s"),
            count("offered", snapshot.offered), count("answered", snapshot.answered), count("abandoned", snapshot.abandoned),
        ]
        if let rate = snapshot.abandonmentRate(excludingShortAbandons: true) { metrics.append(number("abandon_rate", (rate * 1000).rounded() / 10, "%")) }
        if let asa = snapshot.averageSpeedOfAnswerSeconds { metrics.append(number("asa", asa.rounded(), "s")) }
        if let occupancy = snapshot.occupancy { metrics.append(number("occupancy", (occupancy * 100).rounded(), "%")) }
        metrics.append(number("handle_time", snapshot.averageHandleSeconds.rounded(), "s"))
        if let rate = snapshot.arrivalRatePerSecond { metrics.append(number("calls_per_hour", (rate * 3600).rounded())) }
        metrics += [
            count("agents.logged_in", snapshot.loggedIn), count("agents.available", snapshot.available),
            count("agents.on_call", snapshot.onCall), count("agents.wrap_up", snapshot.wrapUp), count("agents.away", snapshot.away),
            count("agents.busy", snapshot.onCall + snapshot.wrapUp), count("agents.staffed", staffed),
        ]
        if let needed {
            metrics += [count("agents.needed", needed), count("agents.short", short)]
        }
        if let erlang { metrics.append(number("traffic", (erlang.trafficErlangs * 10).rounded() / 10, "Erl")) }
        if case .projected(_, let level, let speed)? = projection {
            metrics += [number("projected_sl", (level * 1000).rounded() / 10, "%"), number("expected_wait", speed.rounded(), "s")]
        }
        return metrics
    }

    /// Every metric `metrics` may hold, with its unit, for runbooks checked before any reading.
    public static let declaredMetrics = DeclaredMetrics(
        [("queue", .text(values: []))]
            + [("service_level", "%"), ("target", "%"), ("threshold", "s"), ("waiting", ""), ("longest_wait", "s"), ("offered", ""),
               ("answered", ""), ("abandoned", ""), ("abandon_rate", "%"), ("asa", "s"), ("occupancy", "%"), ("handle_time", "s"),
               ("calls_per_hour", ""), ("agents.logged_in", ""), ("agents.available", ""), ("agents.on_call", ""),
               ("agents.wrap_up", ""), ("agents.away", ""), ("agents.busy", ""), ("agents.staffed", ""), ("agents.needed", ""),
               ("agents.short", ""), ("traffic", "Erl"), ("projected_sl", "%"), ("expected_wait", "s")]
            .map { ($0.0, DeclaredMetrics.Shape.number(unit: $0.1)) },
        complete: true)
}

/// Whether an alternate site's agents would meet a queue's target if its calls were routed
/// there: Erlang C with the queue's current calls per hour and handle time, and the site's agents.
public struct RoutingProjection: Sendable {
    public let site: AlternateSite
    public let target: ServiceTarget
    public let trafficErlangs: Double
    public let projection: ErlangC.Projection
    /// Agents the target needs with these calls; nil if beyond reach.
    public let needed: Int?

    /// Reads the queue's figures from its reading (kind `agents`); nil without calls or target.
    public init?(reading: ProbeObservation, to site: AlternateSite) {
        guard let callsPerHour = reading.metric("calls_per_hour")?.number, callsPerHour > 0,
              let handle = reading.metric("handle_time")?.number,
              let percent = reading.metric("target")?.number, let threshold = reading.metric("threshold")?.number,
              let erlang = ErlangC(arrivalRatePerSecond: callsPerHour / 3600, averageHandleSeconds: handle) else { return nil }
        self.site = site
        target = ServiceTarget(percent: percent, thresholdSeconds: threshold)
        trafficErlangs = erlang.trafficErlangs
        projection = erlang.projection(agents: site.agents, thresholdSeconds: threshold)
        needed = erlang.agentsNeeded(serviceLevel: percent / 100, thresholdSeconds: threshold)
    }

    public var meetsTarget: Bool {
        if case .projected(_, let level, _) = projection { return level * 100 >= target.percent }
        return false
    }
}

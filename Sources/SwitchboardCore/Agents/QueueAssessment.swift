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

/// One queue's calls as an alternate site would receive them: calls per second, handle time and
/// target, read from the queue's reading (kind `agents`).
public struct QueueLoad: Sendable, Equatable {
    /// The probe's id, which the detail view names the queue by.
    public let probeID: String
    /// The feed's queue id (`queue`), which `alternate_sites` lists.
    public let queue: String
    public let arrivalRatePerSecond: Double
    public let averageHandleSeconds: Double
    public let target: ServiceTarget

    public init(probeID: String, queue: String, arrivalRatePerSecond: Double, averageHandleSeconds: Double, target: ServiceTarget) {
        self.probeID = probeID
        self.queue = queue
        self.arrivalRatePerSecond = arrivalRatePerSecond
        self.averageHandleSeconds = averageHandleSeconds
        self.target = target
    }

    /// nil without a target in the reading; a queue without calls now is a load of 0.
    public init?(probeID: String, reading: ProbeObservation) {
        guard let percent = reading.metric("target")?.number, let threshold = reading.metric("threshold")?.number else { return nil }
        self.init(probeID: probeID, queue: reading.metric("queue")?.display ?? probeID,
                  arrivalRatePerSecond: max(0, reading.metric("calls_per_hour")?.number ?? 0) / 3600,
                  averageHandleSeconds: max(0, reading.metric("handle_time")?.number ?? 0),
                  target: ServiceTarget(percent: percent, thresholdSeconds: threshold))
    }

    public var trafficErlangs: Double { arrivalRatePerSecond * averageHandleSeconds }
}

/// Whether an alternate site's agents would meet the targets of several queues routed there
/// together: their calls pooled into one Erlang C queue (calls add up, the handle time is their
/// call-weighted mean), each queue's service level read at its own threshold. Routing every
/// queue there at once is the real question in an evacuation; one queue at a time against all
/// the site's agents would promise the same agents to each.
public struct RoutingProjection: Sendable, Equatable {
    public let site: AlternateSite
    public let queues: [QueueLoad]
    /// The pooled calls; nil when none of the queues has calls now.
    public let erlang: ErlangC?
    public let projection: ErlangC.Projection?
    /// Each queue's projected service level at its threshold (0…1), in `queues` order; empty
    /// when the site cannot keep up or there are no calls.
    public let serviceLevels: [Double]
    /// The fewest agents that meet every queue's target with these calls; nil if beyond reach.
    public let needed: Int?

    public init(queues: [QueueLoad], to site: AlternateSite) {
        self.site = site
        self.queues = queues
        let rate = queues.reduce(0) { $0 + $1.arrivalRatePerSecond }
        let erlang = rate > 0
            ? ErlangC(arrivalRatePerSecond: rate,
                      averageHandleSeconds: queues.reduce(0) { $0 + $1.arrivalRatePerSecond * $1.averageHandleSeconds } / rate)
            : nil
        self.erlang = erlang
        guard let erlang else {
            projection = nil
            serviceLevels = []
            needed = 0
            return
        }
        let tightest = queues.map(\.target.thresholdSeconds).min() ?? 0
        projection = erlang.projection(agents: site.agents, thresholdSeconds: tightest)
        serviceLevels = queues.compactMap { erlang.serviceLevel(agents: site.agents, thresholdSeconds: $0.target.thresholdSeconds) }
        let each = queues.map { erlang.agentsNeeded(serviceLevel: $0.target.percent / 100, thresholdSeconds: $0.target.thresholdSeconds) }
        needed = each.contains(nil) ? nil : each.compactMap { $0 }.max()
    }

    public var trafficErlangs: Double { erlang?.trafficErlangs ?? 0 }
    public var cannotKeepUp: Bool { projection == .cannotKeepUp }

    /// Every queue's target met (trivially so without calls).
    public var meetsTargets: Bool {
        guard erlang != nil else { return true }
        guard serviceLevels.count == queues.count else { return false }
        return zip(queues, serviceLevels).allSatisfy { $0.1 * 100 >= $0.0.target.percent }
    }

    /// The average wait the pooled calls would see; nil when the site cannot keep up or there are no calls.
    public var expectedWaitSeconds: Double? {
        if case .projected(_, _, let speed)? = projection { return speed }
        return nil
    }

    /// The queues `site` takes, all routed there at once; nil when it takes none of them.
    public static func together(_ loads: [QueueLoad], to site: AlternateSite) -> RoutingProjection? {
        let taken = loads.filter { site.takes(queue: $0.queue) || site.takes(queue: $0.probeID) }
        return taken.isEmpty ? nil : RoutingProjection(queues: taken, to: site)
    }

    /// When they do not fit together: the combination of them that does and carries the most
    /// calls (then the most queues), including `keeping` when given; nil when none fits. Sites
    /// take a handful of queues, so every combination is tried (up to `maximumQueues`).
    public func bestFit(keeping probeID: String? = nil) -> RoutingProjection? {
        guard queues.count > 1, queues.count <= Self.maximumQueues else { return nil }
        var best: RoutingProjection?
        for mask in 1..<(1 << queues.count) - 1 {
            let subset = queues.indices.filter { mask & (1 << $0) != 0 }.map { queues[$0] }
            if let probeID, !subset.contains(where: { $0.probeID == probeID }) { continue }
            let routing = RoutingProjection(queues: subset, to: site)
            guard routing.meetsTargets else { continue }
            if let current = best, (current.trafficErlangs, current.queues.count) >= (routing.trafficErlangs, routing.queues.count) { continue }
            best = routing
        }
        return best
    }

    public static let maximumQueues = 12
}

import Foundation

/// An inject as it was played: which one (its number in the scenario), and the scenario time it
/// fired at (its own `at`, or earlier when the facilitator played it ahead by hand).
public struct FiredInject: Sendable, Equatable {
    public var number: Int
    public var at: TimeInterval

    public init(number: Int, at: TimeInterval) {
        self.number = number
        self.at = at
    }
}

/// What the probes a scenario drives read at any scenario time: their starting readings, each
/// fired inject's `set` merged over them in the order they fired, and its ramps moving a metric
/// from the value it had when the inject fired to its target, linearly, over the ramp's time.
/// Pure: the facilitator's console, a test and a benchmark ask it the same question and get the
/// same reading.
public struct ScenarioTimeline: Sendable {
    public let scenario: DrillScenario

    public init(_ scenario: DrillScenario) {
        self.scenario = scenario
    }

    /// The reading of `probe` at scenario time `time`, given the injects fired so far; nil for a
    /// probe the scenario does not drive.
    public func observation(of probe: String, at time: TimeInterval, fired: [FiredInject]) -> ProbeObservation? {
        guard scenario.drivenProbes.contains(probe) else { return nil }
        let start = scenario.start[probe]
        var status = start?.status ?? .ok
        var summary = start?.summary ?? ""
        var metrics = start?.metrics ?? []
        var ramps: [(metric: String, from: Double, to: Double, start: TimeInterval, over: TimeInterval)] = []

        func value(_ metric: String) -> Double? {
            if case .number(let number, _)? = metrics.first(where: { $0.name == metric })?.value { return number }
            return nil
        }
        func unit(_ metric: String) -> String {
            if case .number(_, let unit)? = metrics.first(where: { $0.name == metric })?.value { return unit }
            return ""
        }
        func put(_ metric: String, _ newValue: MetricValue) {
            if let index = metrics.firstIndex(where: { $0.name == metric }) { metrics[index].value = newValue } else { metrics.append((metric, newValue)) }
        }
        /// Moves every running ramp to `instant`, dropping those that have arrived.
        func settle(at instant: TimeInterval) {
            for ramp in ramps {
                let progress = min(1, max(0, (instant - ramp.start) / ramp.over))
                put(ramp.metric, .number(ramp.from + (ramp.to - ramp.from) * progress, unit: unit(ramp.metric)))
            }
            ramps.removeAll { instant >= $0.start + $0.over }
        }

        for fire in fired.filter({ $0.at <= time }).sorted(by: { $0.at < $1.at }) {
            guard let inject = scenario.inject(fire.number), inject.probes.contains(probe) else { continue }
            settle(at: fire.at)
            if let set = inject.set[probe] {
                if let newStatus = set.status { status = newStatus }
                if let newSummary = set.summary { summary = newSummary }
                for metric in set.metrics {
                    put(metric.name, metric.value)
                    ramps.removeAll { $0.metric == metric.name }
                }
            }
            for (metric, ramp) in inject.ramp[probe] ?? [:] {
                ramps.removeAll { $0.metric == metric }
                ramps.append((metric, value(metric) ?? ramp.to, ramp.to, fire.at, ramp.over))
            }
        }
        settle(at: time)
        return ProbeObservation(status: status, summary: summary, metrics: metrics.map { Metric(name: $0.name, value: $0.value) })
    }
}

/// How abandoned calls enter the service level. Platforms and contracts differ, and the same
/// interval can read 79 % or 86 % depending on it, so a site says which one its SLA means.
public enum AbandonTreatment: String, Sendable, CaseIterable {
    /// Every offered call counts: an abandon is a call not answered in time.
    case counted
    /// Abandoned calls are left out: the service level is over offered − abandoned.
    case excluded
    /// Only short abandons are left out: the service level is over offered − short abandons.
    case shortExcluded = "short-excluded"
}

extension QueueSnapshot {
    /// The share of calls answered within the threshold, 0…1, with abandons treated as `abandons`
    /// says; nil when no call counts (an interval without calls is neither 0 % nor 100 %).
    public func serviceLevel(abandons: AbandonTreatment) -> Double? {
        let denominator = switch abandons {
        case .counted: offered
        case .excluded: offered - abandoned
        case .shortExcluded: offered - shortAbandoned
        }
        return ratio(answeredWithinThreshold, denominator)
    }

    /// Average speed of answer: queue time per answered call, in seconds; nil when the platform
    /// did not report the queue time or nothing was answered.
    public var averageSpeedOfAnswerSeconds: Double? {
        guard let totalAnswerWaitSeconds, answered > 0 else { return nil }
        return totalAnswerWaitSeconds / Double(answered)
    }

    /// The share of offered calls that were abandoned, 0…1; nil without calls.
    ///
    /// With `excludingShortAbandons`, short abandons (callers who hung up before anyone could
    /// have answered) leave both the count and the offered calls, as most WFM reports do; without
    /// it every abandon counts against every offered call.
    public func abandonmentRate(excludingShortAbandons: Bool) -> Double? {
        let left = excludingShortAbandons ? shortAbandoned : 0
        return ratio(abandoned - left, offered - left)
    }

    /// The share of staffed time spent on calls: (on call + wrap-up) / (on call + wrap-up +
    /// available); nil when nobody is staffed. Agents away are not staffed.
    public var occupancy: Double? {
        ratio(onCall + wrapUp, onCall + wrapUp + available)
    }

    /// Offered calls per second over the interval; nil when the interval is not positive.
    public var arrivalRatePerSecond: Double? {
        guard intervalSeconds > 0 else { return nil }
        return Double(offered) / intervalSeconds
    }

    private func ratio(_ part: Int, _ whole: Int) -> Double? {
        guard whole > 0 else { return nil }
        return Double(part) / Double(whole)
    }
}

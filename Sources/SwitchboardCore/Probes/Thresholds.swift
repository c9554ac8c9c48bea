import Foundation

/// A range in the monitoring-plugins syntax (`10`, `10:`, `~:10`, `10:20`, `@10:20`).
///
/// A value *alerts* when it lies outside the range, or inside it when the range starts with `@`.
/// This is the grammar every Nagios-compatible check uses for `-w`/`-c`, so operators can copy
/// their existing thresholds.
public struct ThresholdRange: Sendable, Equatable, CustomStringConvertible {
    public var start: Double
    public var end: Double
    public var alertsInside: Bool
    /// The text as written, for display and error messages.
    public var description: String

    public init(parsing text: String) throws(ThresholdSyntaxError) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        let original = String(body)
        guard !body.isEmpty else { throw ThresholdSyntaxError(text: text, reason: "empty range") }
        alertsInside = body.first == "@"
        if alertsInside { body = body.dropFirst() }
        guard !body.isEmpty else { throw ThresholdSyntaxError(text: text, reason: "nothing after @") }
        let startText: Substring
        let endText: Substring
        if let colon = body.firstIndex(of: ":") {
            startText = body[..<colon]
            endText = body[body.index(after: colon)...]
        } else {
            startText = "0"
            endText = body
        }
        if startText == "~" {
            start = -.infinity
        } else if startText.isEmpty {
            start = 0
        } else if let value = Double(startText), value.isFinite {
            start = value
        } else {
            throw ThresholdSyntaxError(text: text, reason: "'\(startText)' is not a number or ~")
        }
        if endText.isEmpty {
            end = .infinity
        } else if let value = Double(endText), value.isFinite {
            end = value
        } else {
            throw ThresholdSyntaxError(text: text, reason: "'\(endText)' is not a number")
        }
        guard start <= end else {
            throw ThresholdSyntaxError(text: text, reason: "start \(MetricValue.format(start)) is above end \(MetricValue.format(end))")
        }
        description = original
    }

    /// Whether `value` should raise an alert under this range.
    public func alerts(on value: Double) -> Bool {
        let inside = value >= start && value <= end
        return alertsInside ? inside : !inside
    }
}

/// A range that does not follow the monitoring-plugins grammar.
public struct ThresholdSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "invalid range '\(text)': \(reason)" }
}

/// Warning and critical ranges for one metric, as configured on a probe.
public struct MetricThreshold: Sendable, Equatable {
    public var metric: String
    public var warning: ThresholdRange?
    public var critical: ThresholdRange?

    public init(metric: String, warning: ThresholdRange? = nil, critical: ThresholdRange? = nil) {
        self.metric = metric
        self.warning = warning
        self.critical = critical
    }

    /// The status this threshold gives a value: critical beats warning; ok when neither alerts.
    public func status(for value: Double) -> ProbeStatus {
        if let critical, critical.alerts(on: value) { return .critical }
        if let warning, warning.alerts(on: value) { return .warning }
        return .ok
    }
}

extension Array where Element == MetricThreshold {
    /// Applies the configured thresholds on top of what the probe itself said: the shown status
    /// is the worse of the two. Thresholds on metrics the probe did not report change nothing.
    public func apply(to observation: ProbeObservation) -> ProbeObservation {
        var result = observation
        for threshold in self {
            guard let value = observation.metric(threshold.metric)?.number else { continue }
            result.status = result.status.worse(threshold.status(for: value))
        }
        return result
    }
}

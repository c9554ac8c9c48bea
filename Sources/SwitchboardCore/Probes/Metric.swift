import Foundation

/// One reading from a probe: a number with its unit (from perfdata or a native protocol) or a
/// string (NUT's `ups.status`, a firmware version).
public enum MetricValue: Sendable, Equatable, Codable {
    case number(Double, unit: String)
    case text(String)

    /// The numeric value, if this is a number.
    public var number: Double? {
        if case .number(let value, _) = self { return value }
        return nil
    }

    /// The value as a person reads it: `98%`, `182 ms`, `0.4`, `OL`.
    public var display: String { display(withUnit: true) }

    /// The value with or without its unit (templates put the unit in their own text).
    public func display(withUnit: Bool) -> String {
        switch self {
        case .number(let value, let unit):
            let number = Self.format(value)
            if unit.isEmpty || !withUnit { return number }
            return unit == "%" ? "\(number)%" : "\(number) \(unit)"
        case .text(let text):
            return text
        }
    }

    /// Formats a number compactly: whole numbers without decimals, others with at most one
    /// decimal below 100 and none above.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }
        let rounded = value.rounded()
        if abs(value - rounded) < 0.05 || abs(value) >= 100 {
            return String(Int64(rounded))
        }
        let tenths = (value * 10).rounded() / 10
        return String(format: "%.1f", tenths)
    }
}

/// A metric as a probe reports it, keeping the order the probe gave.
public struct Metric: Sendable, Equatable, Codable {
    public var name: String
    public var value: MetricValue

    public init(name: String, value: MetricValue) {
        self.name = name
        self.value = value
    }
}

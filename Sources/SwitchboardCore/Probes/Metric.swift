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
    /// decimal below 100 and none above; from a million million on, in powers of ten (`1.8e19`,
    /// a plugin's "unknown" sentinel), so no number is too large to show.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }
        if abs(value) >= 1e15 {
            let exponent = Int(log10(abs(value)).rounded(.down))
            let mantissa = ((value / pow(10, Double(exponent))) * 10).rounded() / 10
            // Rounding may carry into the next power: 9.96e15 is 1e16.
            let (shown, power) = abs(mantissa) >= 10 ? (mantissa / 10, exponent + 1) : (mantissa, exponent)
            let digits = shown == shown.rounded() ? String(Int(shown)) : String(format: "%.1f", shown)
            return "\(digits)e\(power)"
        }
        let rounded = value.rounded()
        if abs(value - rounded) < 0.05 || abs(value) >= 100 {
            return String(Int(rounded))
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

import Foundation

/// What a metric's unit means when a condition compares it: times are converted (a runtime in
/// seconds against `15m`), anything else must match as written (`%`, `V`, `ms` against `ms`).
/// A plain number against a time is refused: `battery.runtime >= 15` does not say whether 15
/// means seconds or minutes, and guessing wrong shows a wrong all-clear.
public enum MetricUnit {
    /// Time units, in seconds. `m` is minutes (monitoring plugins have no metres).
    static let seconds: [String: Double] = ["us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "sec": 1, "m": 60, "min": 60,
                                            "h": 3600, "d": 86_400]

    public static func isTime(_ unit: String) -> Bool { seconds[unit] != nil }

    /// Why `value` in `unit` cannot be compared with a number in `wanted` (nil when it can).
    public static func mismatch(metric: String, unit: String, wanted: String) -> String? {
        if wanted.isEmpty, isTime(unit) {
            return "\(metric) is a time (in \(unit)): compare it with a time, such as 15m, 90s or 250ms"
        }
        if !wanted.isEmpty, unit.isEmpty {
            return "\(metric) has no unit: compare it with a plain number, not \(wanted)"
        }
        if !wanted.isEmpty, wanted != unit, !(isTime(wanted) && isTime(unit)) {
            return "\(metric) is in \(unit), not \(wanted)"
        }
        return nil
    }

    /// `value` in `unit`, in the unit a comparison is made in: seconds for a time, else as it is.
    static func base(_ value: Double, _ unit: String) -> Double {
        value * (seconds[unit] ?? 1)
    }

    /// Splits `15m`, `250ms`, `80%`, `-3.5` into a number and its unit (letters, `%` or `µ`).
    public static func parse(_ text: String) -> (value: Double, unit: String)? {
        let unitStart = text.firstIndex { $0.isLetter || $0 == "%" || $0 == "µ" } ?? text.endIndex
        guard let value = Double(text[..<unitStart]), value.isFinite else { return nil }
        let unit = String(text[unitStart...])
        guard unit.allSatisfy({ $0.isLetter || $0 == "%" || $0 == "µ" }) else { return nil }
        return (value, unit)
    }
}

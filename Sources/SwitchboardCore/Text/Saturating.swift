import Foundation

extension Int {
    /// `value` toward zero, held inside `Int`'s range, and 0 for NaN: for numbers that come from
    /// outside (a plugin's `18446744073709551615`, a runtime of `1e300` seconds), where Swift's
    /// own conversion would stop the console.
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9.223_372_036_854_775e18 {
            self = .max
        } else if value <= -9.223_372_036_854_775e18 {
            self = .min
        } else {
            self.init(value)
        }
    }
}

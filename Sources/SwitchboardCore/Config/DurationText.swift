import Foundation

extension Duration {
    /// The longest duration config takes: a year. Intervals, deadlines and holds beyond it are
    /// a slip of the keyboard (`100000000000000h`), and would overflow the clock's arithmetic.
    public static let configMaximum = Duration.seconds(366 * 86_400)

    /// Parses the durations people write in config: `500ms`, `30s`, `5m`, `1h`, `1h30m`, `3d`, or a
    /// bare number of seconds. Returns nil for anything else, including zero or negative values
    /// and anything longer than `configMaximum`.
    public init?(configText: String) {
        guard let seconds = Self.configSeconds(configText), seconds <= Self.configMaximum.seconds else { return nil }
        self = .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// The seconds a config duration says, however long; nil when it is not one.
    static func configSeconds(_ configText: String) -> Double? {
        let text = configText.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text) { return seconds > 0 && seconds.isFinite ? seconds : nil }
        var total: Double = 0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard let value = Double(number) else { return nil }
            switch unit {
            case "ms": total += value / 1000
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            case "d": total += value * 86_400
            default: return nil
            }
        }
        return total > 0 && total.isFinite ? total : nil
    }

    /// Seconds as a Double, for arithmetic with dates.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The duration as config would write it: `500ms`, `30s`, `5m`, `1h30m`.
    public var configText: String {
        let milliseconds = Int(saturating: (seconds * 1000).rounded())
        if milliseconds % 1000 != 0 { return "\(milliseconds)ms" }
        var secondsLeft = milliseconds / 1000
        var text = ""
        if secondsLeft >= 3600 { text += "\(secondsLeft / 3600)h"; secondsLeft %= 3600 }
        if secondsLeft >= 60 { text += "\(secondsLeft / 60)m"; secondsLeft %= 60 }
        if secondsLeft > 0 || text.isEmpty { text += "\(secondsLeft)s" }
        return text
    }
}

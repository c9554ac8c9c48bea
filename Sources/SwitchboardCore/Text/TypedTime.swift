import Foundation

/// A time a person types: `14:09` or `14:09:30` (UTC, as everything on screen), `+12m` or
/// `-90s` from a reference instant, `now`, or a full ISO 8601 time. A review's cursor, a
/// milestone set after the fact, and `--at` options all read times this way.
public enum TypedTime {
    /// Which day a bare clock time falls on.
    public enum ClockTime: Sendable {
        /// The first such moment at or after this instant's whole second (a review: from the start).
        case firstFrom(Date)
        /// The last such moment at or before this instant (a milestone: it has happened).
        case lastBefore(Date)
    }

    /// What to type, for error messages.
    public static let examples = "14:09, 14:09:30, +12m, -90s, now or 2026-11-27T14:09:00Z"

    /// What to type in a drill, whose times are scenario times, for error messages.
    public static let scenarioExamples = "T+5:00, T+1:02:30, T+90s or T+12m"

    /// `scenarioEpoch`: a drill's T+0, for times typed as the drill shows them (`T+5:00`).
    public static func parse(_ text: String, relativeTo reference: Date, clockTime: ClockTime, scenarioEpoch: Date? = nil) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text == "now" { return reference }
        if let scenarioEpoch, text.uppercased().hasPrefix("T+") {
            return scenarioTime(String(text.dropFirst(2))).map { scenarioEpoch.addingTimeInterval($0) }
        }
        if let sign = text.first, sign == "+" || sign == "-" {
            guard let duration = Duration(configText: String(text.dropFirst())) else { return nil }
            return reference.addingTimeInterval(sign == "+" ? duration.seconds : -duration.seconds)
        }
        if let date = TimeText.date(iso8601: text) { return date }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0.count == 2 }), let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0..<24).contains(hours), (0..<60).contains(minutes) else { return nil }
        let seconds = parts.count == 3 ? Int(parts[2]) : 0
        guard let seconds, (0..<60).contains(seconds) else { return nil }
        let secondOfDay = Double(hours * 3600 + minutes * 60 + seconds)
        switch clockTime {
        case .firstFrom(let from):
            let floor = from.timeIntervalSince1970.rounded(.down)
            var candidate = (floor / 86_400).rounded(.down) * 86_400 + secondOfDay
            if candidate < floor { candidate += 86_400 }
            return Date(timeIntervalSince1970: candidate)
        case .lastBefore(let before):
            let ceiling = before.timeIntervalSince1970
            var candidate = (ceiling / 86_400).rounded(.down) * 86_400 + secondOfDay
            if candidate > ceiling { candidate -= 86_400 }
            return Date(timeIntervalSince1970: candidate)
        }
    }

    /// `5:00`, `1:02:30` (as `TimeText.scenario` writes them), or a duration (`90s`, `12m`).
    private static func scenarioTime(_ text: String) -> TimeInterval? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count > 1 else {
            // T+0 is the drill's start; a duration (which is never 0) otherwise.
            if let number = Double(text.trimmingCharacters(in: CharacterSet(charactersIn: "smh"))), number == 0 { return 0 }
            return Duration(configText: text)?.seconds
        }
        let numbers = parts.compactMap { Int($0) }
        guard parts.count <= 3, numbers.count == parts.count, parts.dropFirst().allSatisfy({ $0.count == 2 }),
              numbers.allSatisfy({ $0 >= 0 }), numbers.dropFirst().allSatisfy({ $0 < 60 }) else { return nil }
        return TimeInterval(numbers.reduce(0) { $0 * 60 + $1 })
    }
}

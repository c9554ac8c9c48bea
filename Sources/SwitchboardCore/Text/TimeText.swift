import Foundation

/// Times and ages as the console prints them: UTC wall clock, and compact ages like `45s`, `12m`, `3h05m`.
public enum TimeText {
    /// `HH:MM:SS` (or `HH:MM`) in UTC. Incidents span sites and people; the log and the screen
    /// agree on UTC.
    public static func clock(_ date: Date, seconds showSeconds: Bool = true) -> String {
        let seconds = Int(saturating: date.timeIntervalSince1970.rounded(.down))
        let daySeconds = ((seconds % 86_400) + 86_400) % 86_400
        guard showSeconds else { return String(format: "%02d:%02d", daySeconds / 3600, daySeconds / 60 % 60) }
        return String(format: "%02d:%02d:%02d", daySeconds / 3600, daySeconds / 60 % 60, daySeconds % 60)
    }

    /// A wait as callers are told it: `40 seconds`, `1 minute`, `4 minutes`, `1 hour 10 minutes`.
    public static func spoken(seconds interval: TimeInterval) -> String {
        let seconds = max(0, Int(saturating: interval.rounded()))
        func plural(_ count: Int, _ unit: String) -> String { "\(count) \(unit)\(count == 1 ? "" : "s")" }
        if seconds < 60 { return plural(seconds, "second") }
        let minutes = (seconds + 30) / 60
        if minutes < 60 { return plural(minutes, "minute") }
        let rest = minutes % 60
        return plural(minutes / 60, "hour") + (rest == 0 ? "" : " " + plural(rest, "minute"))
    }

    /// A compact age: `8s`, `45s`, `12m`, `3h05m`, `2d04h`.
    public static func age(_ interval: TimeInterval) -> String {
        let seconds = max(0, Int(saturating: interval.rounded(.down)))
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 86_400 { return String(format: "%dh%02dm", seconds / 3600, seconds / 60 % 60) }
        return String(format: "%dd%02dh", seconds / 86_400, seconds / 3600 % 24)
    }

    /// A running clock for deadlines and elapsed times: `0:42`, `12:05`, `1:02:05`.
    public static func countdown(_ interval: TimeInterval) -> String {
        let seconds = max(0, Int(saturating: interval.rounded(.down)))
        if seconds < 3600 { return String(format: "%d:%02d", seconds / 60, seconds % 60) }
        return String(format: "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
    }

    /// A drill's scenario time to the nearest second: `T+12:30`, `T+1:02:05` (never before
    /// T+0). Nearest, not down: at ×60 a millisecond of rounding is 60 ms of scenario time, and
    /// an inject due at 2:00 must not read 1:59.
    public static func scenario(_ elapsed: TimeInterval) -> String {
        "T+" + countdown(elapsed.rounded())
    }

    /// `2026-11-23T20:54:01.123Z`: UTC with milliseconds, as the action log stores times.
    /// Written by arithmetic from whole milliseconds (a report writes a million of them;
    /// Foundation's fractional seconds would also truncate 47.918999… to .918).
    public static func iso8601(_ date: Date) -> String {
        utc(date, separator: UInt8(ascii: "T"), milliseconds: true)
    }

    /// `2026-11-23 20:54:01`: the UTC date and time as reports print them.
    public static func dateTime(_ date: Date) -> String {
        utc(date, separator: UInt8(ascii: " "), milliseconds: false)
    }

    /// The most bytes `write(iso8601:into:)` and `write(dateTime:into:)` write.
    public static let utcCapacity = 40

    /// Writes `iso8601(date)` into `buffer`, which holds at least `utcCapacity` bytes; returns
    /// how many it wrote. For rows written as bytes by the million.
    public static func write(iso8601 date: Date, into buffer: UnsafeMutablePointer<UInt8>) -> Int {
        writeUTC(date, separator: UInt8(ascii: "T"), milliseconds: true, into: buffer)
    }

    /// Writes `dateTime(date)` into `buffer`, as `write(iso8601:into:)` does.
    public static func write(dateTime date: Date, into buffer: UnsafeMutablePointer<UInt8>) -> Int {
        writeUTC(date, separator: UInt8(ascii: " "), milliseconds: false, into: buffer)
    }

    private static func utc(_ date: Date, separator: UInt8, milliseconds showMilliseconds: Bool) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utcCapacity) { buffer in
            let count = writeUTC(date, separator: separator, milliseconds: showMilliseconds, into: buffer.baseAddress!)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
        }
    }

    private static func writeUTC(_ date: Date, separator: UInt8, milliseconds showMilliseconds: Bool, into buffer: UnsafeMutablePointer<UInt8>) -> Int {
        let milliseconds = date.millisecondsSince1970
        let (secondsSinceEpoch, millisecond) = floorDivide(milliseconds, 1000)
        let (days, secondOfDay) = floorDivide(secondsSinceEpoch, 86_400)
        // The civil date of a day count (Howard Hinnant's civil_from_days).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var count = 0
        if year < 1600 || year > 9999 {
            // Before the Gregorian calendar (Foundation then counts Julian days) or past four
            // digits: a damaged file's time, written as Foundation writes it.
            let text = Date(timeIntervalSince1970: Double(secondsSinceEpoch)).formatted(Date.ISO8601FormatStyle()).dropLast()
            let written = showMilliseconds ? text + String(format: ".%03dZ", Int(millisecond))
                : text.replacingOccurrences(of: "T", with: String(UnicodeScalar(separator)))
            for byte in written.utf8.prefix(utcCapacity) {
                buffer[count] = byte
                count += 1
            }
            return count
        }
        func put(_ byte: UInt8) {
            buffer[count] = byte
            count += 1
        }
        func twoDigits(_ value: Int64) {
            put(UInt8(truncatingIfNeeded: 48 + value / 10))
            put(UInt8(truncatingIfNeeded: 48 + value % 10))
        }
        twoDigits(year / 100); twoDigits(year % 100); put(45); twoDigits(month); put(45); twoDigits(day)
        put(separator)
        twoDigits(secondOfDay / 3600); put(58); twoDigits(secondOfDay / 60 % 60); put(58); twoDigits(secondOfDay % 60)
        if showMilliseconds {
            put(46); put(UInt8(truncatingIfNeeded: 48 + millisecond / 100)); twoDigits(millisecond % 100); put(90)
        }
        return count
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Reads a time written by `iso8601(_:)` (fractional seconds optional).
    public static func date(iso8601 text: String) -> Date? {
        var text = text
        if let written = text.withUTF8(writtenTime) { return written }
        return (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
    }

    /// `2026-11-23T20:54:01.123Z` or `2026-11-23T20:54:01Z`, the shapes the log writes, read
    /// by arithmetic: a report reads a million of them. Nil for any other shape, which the
    /// general parser reads.
    public static func writtenTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count == 24 || bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              bytes[bytes.count - 1] == UInt8(ascii: "Z") else { return nil }
        // Every digit is read, and any byte that is not one noted, without a branch for each:
        // a report reads a million times.
        var notDigit = 0
        func number(_ range: Range<Int>) -> Int {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) &- 48
                notDigit |= digit | (9 &- digit)
                value = value &* 10 &+ digit
            }
            return value
        }
        let year = number(0..<4), month = number(5..<7), day = number(8..<10)
        let hour = number(11..<13), minute = number(14..<16), second = number(17..<19)
        var millisecond = 0
        if bytes.count == 24 {
            guard bytes[19] == UInt8(ascii: ".") else { return nil }
            millisecond = number(20..<23)
        }
        guard notDigit >= 0, (1...12).contains(month), (1...31).contains(day), year >= 1600, hour < 24, minute < 60, second < 60 else {
            return nil
        }
        // Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = shiftedYear / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        // A day past the month's end (Feb 30) is not a date: the general parser refuses it too.
        guard day <= daysIn(month: month, year: year) else { return nil }
        let milliseconds = ((days * 86_400 + hour * 3600 + minute * 60 + second) * 1000) + millisecond
        return Date(millisecondsSince1970: Int64(milliseconds))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

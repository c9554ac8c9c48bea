import Foundation
import SwitchboardCore

/// How reports write times and durations: UTC, as the console and the log do.
enum ReportText {
    /// `2026-11-23 21:04:33`.
    static func time(_ date: Date) -> String {
        let iso = TimeText.iso8601(date)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(8))
    }

    /// `21:04:33`.
    static func clock(_ date: Date) -> String { TimeText.clock(date) }

    /// `45s`, `4m 12s`, `1h 05m`, `2d 03h`; a negative span (anchors out of order) with a minus.
    static func duration(_ seconds: Double) -> String {
        let sign = seconds < 0 ? "−" : ""
        let total = Int(abs(seconds).rounded())
        if total < 60 { return "\(sign)\(total)s" }
        if total < 3600 { return "\(sign)\(total / 60)m" + (total % 60 == 0 ? "" : String(format: " %02ds", total % 60)) }
        if total < 86_400 { return "\(sign)\(total / 3600)h" + String(format: " %02dm", total / 60 % 60) }
        return "\(sign)\(total / 86_400)d" + String(format: " %02dh", total / 3600 % 24)
    }

    /// A percentage as the agents pane prints it: `72%`, `72.5%`.
    static func percent(_ value: Double) -> String { MetricValue.format(value) + "%" }
}

/// Escaping for the formats whose rows are written as they stream.
enum Escape {
    /// Text for HTML element content and attribute values.
    static func html(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Text for one cell of a Markdown table: no pipe ends the cell, no newline ends the row,
    /// and nothing is read as markup.
    static func markdownCell(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "|", "\\", "*", "_", "`", "[", "]", "<", ">": escaped += "\\"; escaped.unicodeScalars.append(character)
            case "\n", "\r": escaped += " "
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// One field of an RFC 4180 CSV record: quoted when it holds a comma, quote or line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A JSON string, quotes included.
    static func jsonString(_ text: String) -> String {
        var escaped = "\""
        escaped.reserveCapacity(text.utf8.count + 2)
        for character in text.unicodeScalars {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case let scalar where scalar.value < 0x20: escaped += String(format: "\\u%04x", scalar.value)
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped + "\""
    }
}

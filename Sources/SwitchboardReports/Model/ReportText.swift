import Foundation
import SwitchboardCore

/// How reports write times and durations: UTC, as the console and the log do.
enum ReportText {
    /// `2026-11-23 21:04:33`.
    static func time(_ date: Date) -> String { TimeText.dateTime(date) }

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

/// Escaping for the formats whose rows are written as they stream. Every character that needs
/// escaping is ASCII, so the text is walked as UTF-8 bytes; text with nothing to escape (most)
/// is returned as it is.
enum Escape {
    /// Text for HTML element content and attribute values.
    static func html(_ text: String) -> String {
        replacing(text) { byte in
            switch byte {
            case UInt8(ascii: "&"): "&amp;"
            case UInt8(ascii: "<"): "&lt;"
            case UInt8(ascii: ">"): "&gt;"
            case UInt8(ascii: "\""): "&quot;"
            case UInt8(ascii: "'"): "&#39;"
            default: nil
            }
        }
    }

    /// Text for one cell of a Markdown table: no pipe ends the cell, no newline ends the row,
    /// and nothing is read as markup.
    static func markdownCell(_ text: String) -> String {
        replacing(text) { byte in
            switch byte {
            case UInt8(ascii: "|"): "\\|"
            case UInt8(ascii: "\\"): "\\\\"
            case UInt8(ascii: "*"): "\\*"
            case UInt8(ascii: "_"): "\\_"
            case UInt8(ascii: "`"): "\\`"
            case UInt8(ascii: "["): "\\["
            case UInt8(ascii: "]"): "\\]"
            case UInt8(ascii: "<"): "\\<"
            case UInt8(ascii: ">"): "\\>"
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): " "
            default: nil
            }
        }
    }

    /// One field of an RFC 4180 CSV record: quoted when it holds a comma, quote or line break.
    static func csvField(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else { return text }
        return "\"" + replacing(text) { $0 == UInt8(ascii: "\"") ? "\"\"" : nil } + "\""
    }

    /// A JSON string, quotes included.
    static func jsonString(_ text: String) -> String {
        "\"" + replacing(text) { byte in
            switch byte {
            case UInt8(ascii: "\""): "\\\""
            case UInt8(ascii: "\\"): "\\\\"
            case 10: "\\n"
            case 13: "\\r"
            case 9: "\\t"
            case 0..<0x20: String(format: "\\u%04x", byte)
            default: nil
            }
        } + "\""
    }

    /// `text` with each byte `replacement` names replaced; the text itself when none is.
    private static func replacing(_ text: String, _ replacement: (UInt8) -> String?) -> String {
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.firstIndex(where: { replacement($0) != nil }) else { return nil }
            var escaped = Array(bytes[..<first])
            escaped.reserveCapacity(bytes.count + 16)
            for byte in bytes[first...] {
                if let replaced = replacement(byte) { escaped.append(contentsOf: replaced.utf8) } else { escaped.append(byte) }
            }
            return String(decoding: escaped, as: UTF8.self)
        } ?? text
    }
}

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
/// escaping is ASCII, so the text is walked as UTF-8 bytes, and appended as it is up to the
/// next byte to escape: text with nothing to escape (most) is copied whole.
enum Escape {
    enum Style {
        /// HTML element content and attribute values.
        case html
        /// One cell of a Markdown table: no pipe ends the cell, no newline ends the row, and
        /// nothing is read as markup.
        case markdownCell
        /// One field of an RFC 4180 CSV record: quoted when it holds a comma, quote or line break.
        case csvField
        /// A JSON string, quotes included.
        case json

        /// What `byte` is written as, when it is not written as itself.
        func replacement(_ byte: UInt8) -> StaticString? {
            switch self {
            case .html:
                switch byte {
                case UInt8(ascii: "&"): "&amp;"
                case UInt8(ascii: "<"): "&lt;"
                case UInt8(ascii: ">"): "&gt;"
                case UInt8(ascii: "\""): "&quot;"
                case UInt8(ascii: "'"): "&#39;"
                default: nil
                }
            case .markdownCell:
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
            case .csvField:
                byte == UInt8(ascii: "\"") ? "\"\"" : nil
            case .json:
                switch byte {
                case UInt8(ascii: "\""): "\\\""
                case UInt8(ascii: "\\"): "\\\\"
                case 10: "\\n"
                case 13: "\\r"
                case 9: "\\t"
                case 0..<0x20: Self.jsonControl[Int(byte)]
                default: nil
                }
            }
        }

        /// Which bytes `replacement` names, so text is scanned for them without a call per byte.
        fileprivate var replaced: ReplacedBytes {
            switch self {
            case .html: Self.replacedInHTML
            case .markdownCell: Self.replacedInMarkdownCell
            case .csvField: Self.replacedInCSVField
            case .json: Self.replacedInJSON
            }
        }

        private static let replacedInHTML = ReplacedBytes(.html)
        private static let replacedInMarkdownCell = ReplacedBytes(.markdownCell)
        private static let replacedInCSVField = ReplacedBytes(.csvField)
        private static let replacedInJSON = ReplacedBytes(.json)

        /// `\u0000` to `\u001f`.
        private static let jsonControl: [StaticString] = [
            "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
            "\\u0008", "\\u0009", "\\u000a", "\\u000b", "\\u000c", "\\u000d", "\\u000e", "\\u000f",
            "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
            "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
        ]
    }

    static func markdownCell(_ text: String) -> String { escaped(text, .markdownCell) }
    static func csvField(_ text: String) -> String { escaped(text, .csvField) }

    private static func escaped(_ text: String, _ style: Style) -> String {
        var bytes = RowBytes(capacity: text.utf8.count + 2)
        bytes.append(text, escaping: style)
        return bytes.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends UTF-8 text escaped in `style`.
    static func append(utf8: UnsafeBufferPointer<UInt8>, _ style: Style, to bytes: inout RowBytes) {
        switch style {
        case .json:
            bytes.append(UInt8(ascii: "\""))
            appendReplacing(utf8, style, to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        case .csvField:
            guard ReplacedBytes.quotedInCSV.containsAny(of: utf8) else { return bytes.append(bytes: utf8) }
            bytes.append(UInt8(ascii: "\""))
            appendReplacing(utf8, style, to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        case .html, .markdownCell:
            appendReplacing(utf8, style, to: &bytes)
        }
    }

    private static func appendReplacing(_ utf8: UnsafeBufferPointer<UInt8>, _ style: Style, to bytes: inout RowBytes) {
        let replaced = style.replaced
        guard replaced.containsAny(of: utf8) else { return bytes.append(bytes: utf8) }
        var plainFrom = 0
        for index in utf8.indices where replaced.contains(utf8[index]) {
            guard let replacement = style.replacement(utf8[index]) else { continue }
            bytes.append(bytes: UnsafeBufferPointer(rebasing: utf8[plainFrom..<index]))
            bytes.append(replacement)
            plainFrom = index + 1
        }
        bytes.append(bytes: UnsafeBufferPointer(rebasing: utf8[plainFrom...]))
    }
}

/// A set of ASCII bytes, as two words of bits.
private struct ReplacedBytes: @unchecked Sendable {
    /// 1 for a byte in the set, for each of the 256: made once for each set and kept for the
    /// life of the program (a pointer, so reading it counts no reference).
    private let flags: UnsafePointer<UInt8>

    init(_ style: Escape.Style) {
        self.init { style.replacement($0) != nil }
    }

    init(_ member: (UInt8) -> Bool) {
        let flags = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for byte in 0...255 { flags[byte] = member(UInt8(byte)) ? 1 : 0 }
        self.flags = UnsafePointer(flags)
    }

    /// What makes a CSV field quoted.
    static let quotedInCSV = ReplacedBytes { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }

    /// Whether any byte of `text` is in the set: a load per byte and no branch, as most text
    /// has none and is then copied whole.
    func containsAny(of text: UnsafeBufferPointer<UInt8>) -> Bool {
        var found: UInt8 = 0
        for byte in text { found |= flags[Int(byte)] }
        return found != 0
    }

    func contains(_ byte: UInt8) -> Bool {
        flags[Int(byte)] != 0
    }
}

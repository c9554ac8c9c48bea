/// How many terminal columns text takes: 0 for combining marks, 2 for East Asian wide and
/// emoji-presentation characters, 1 otherwise.
///
/// Computed from Unicode properties rather than the C library's `wcwidth`, which depends on the
/// process locale and would make layout (and snapshot tests) differ between environments.
public enum DisplayWidth {
    public static func of(_ character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control:
            return 0
        default:
            break
        }
        if first.properties.isEmojiPresentation { return 2 }
        return isWide(first.value) ? 2 : 1
    }

    public static func of(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// East Asian Wide and Fullwidth ranges.
    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}

extension String {
    /// The text cut to fit `width` columns, ending in `…` when something was cut.
    public func truncated(toWidth width: Int) -> String {
        guard width > 0 else { return "" }
        guard DisplayWidth.of(self) > width else { return self }
        var result = ""
        var used = 0
        for character in self {
            let w = DisplayWidth.of(character)
            if used + w > width - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…"
    }

    /// The text cut or padded with spaces to exactly `width` columns.
    public func padded(toWidth width: Int, alignRight: Bool = false) -> String {
        let fitted = truncated(toWidth: width)
        let padding = String(repeating: " ", count: max(0, width - DisplayWidth.of(fitted)))
        return alignRight ? padding + fitted : fitted + padding
    }
}

/// How many terminal columns text takes, the way the terminal will draw it.
///
/// Terminals place text scalar by scalar with `wcwidth`'s rules (0 for combining marks and format
/// characters, 2 for East Asian wide and emoji-presentation characters, 1 otherwise); only some
/// fuse emoji sequences (ZWJ families, skin tones, `U+FE0F`), and each differently. So the
/// scalars whose effect differs between terminals are dropped before drawing (`isDropped`: ZWJ,
/// variation selectors, skin-tone modifiers, emoji tags, bidi controls), which leaves text every
/// terminal and ncurses measure alike: a family becomes its people, a flag its two letters' width.
///
/// Computed from Unicode properties rather than the C library's `wcwidth`, which depends on the
/// process locale and would make layout (and snapshot tests) differ between environments.
public enum DisplayWidth {
    /// The columns a grapheme cluster takes: the sum of its scalars'.
    public static func of(_ character: Character) -> Int {
        character.unicodeScalars.reduce(0) { $0 + of($1) }
    }

    public static func of(_ text: some StringProtocol) -> Int {
        text.unicodeScalars.reduce(0) { $0 + of($1) }
    }

    /// The columns one scalar advances the cursor by; 0 for one that joins the cell before it
    /// or is dropped.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        if isDropped(scalar) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control:
            return 0
        default:
            break
        }
        switch scalar.value {
        case 0x1160...0x11FF: return 0 // Hangul medial vowels and final consonants join the syllable
        case 0x1F1E6...0x1F1FF: return 1 // regional indicators: a flag is two of them
        default: break
        }
        if scalar.properties.isEmojiPresentation { return 2 }
        return isWide(scalar.value) ? 2 : 1
    }

    /// Scalars never sent to the terminal: controls, bidirectional overrides and isolates (which
    /// would reorder what follows on the row), and the emoji joiners and modifiers that terminals
    /// fuse in different ways.
    public static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, // C0 and C1 controls
             0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, // bidi marks, embeddings, overrides, isolates
             0x200B...0x200D, 0x2060, 0xFEFF, // zero-width space, (non-)joiners, word joiner, BOM
             0xFE00...0xFE0F, 0xE0100...0xE01EF, // variation selectors
             0x1F3FB...0x1F3FF, // skin-tone modifiers
             0xE0000...0xE007F: // tags (subdivision flags)
            return true
        default:
            return false
        }
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

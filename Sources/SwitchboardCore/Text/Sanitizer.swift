/// Makes text from outside (probe output, logs, runbooks) safe to put on the screen.
///
/// Terminal escape sequences (CSI, OSC, DCS and the rest), C0 and C1 control characters, and
/// Unicode format characters that reorder or hide text are removed; tabs become a space; invalid
/// UTF-8 has already become U+FFFD when the bytes were decoded. A single-line summary also folds
/// line breaks into " ⏎ " so one probe cannot push others off the screen.
public enum Sanitizer {
    typealias ScalarIterator = IndexingIterator<Substring.UnicodeScalarView>

    /// Cleans text that may span several lines (detail views): line breaks are kept.
    public static func multiline(_ text: String) -> String {
        if isClean(text, allowingLineBreaks: true) { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { clean(Substring($0)) }
            .joined(separator: "\n")
    }

    /// Cleans pasted text: its line breaks (CR, as terminals send them, LF or CRLF) become `\n`
    /// and tabs a space; everything else as `multiline`.
    public static func pasted(_ text: String) -> String {
        multiline(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\t", with: " "))
    }

    /// Cleans text meant for one line: line breaks are folded.
    public static func line(_ text: String) -> String {
        if isClean(text, allowingLineBreaks: false) { return text }
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { clean($0) }
            .filter { !$0.isEmpty }
        return lines.joined(separator: " ⏎ ")
    }

    /// Decodes bytes from a child process as UTF-8, replacing invalid sequences with U+FFFD.
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `text` has nothing to clean: most text, which is then kept as it is, unscanned
    /// by the slower path that rebuilds it.
    private static func isClean(_ text: String, allowingLineBreaks: Bool) -> Bool {
        // Printable ASCII is clean: a byte loop decides most text, eight bytes at a time.
        var ascii = true
        for byte in text.utf8.dropFirst(printableASCIIPrefix(text)) {
            if byte >= 0x80 {
                ascii = false
                break
            }
            if byte == 0x7F || (byte < 0x20 && !(allowingLineBreaks && byte == 0x0A)) { return false }
        }
        if ascii { return true }
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A where allowingLineBreaks: continue
            case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200B...0x200F, 0x202A...0x202E, 0x2060, 0x2066...0x2069, 0xFEFF: return false
            default: continue
            }
        }
        return true
    }

    /// How many of the text's first bytes are, word by word, printable ASCII.
    private static func printableASCIIPrefix(_ text: String) -> Int {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            let ones: UInt64 = 0x0101_0101_0101_0101, highBits: UInt64 = 0x8080_8080_8080_8080
            var at = 0
            while at + 8 <= bytes.count {
                let word = UnsafeRawPointer(bytes.baseAddress! + at).loadUnaligned(as: UInt64.self)
                // A byte at or over 0x80, under 0x20, or 0x7F (which is 0x80 once one is added).
                let suspicious = word | ((word &- ones &* 0x20) & ~word) | (word &+ ones)
                guard suspicious & highBits == 0 else { break }
                at += 8
            }
            return at
        } ?? 0
    }

    private static func clean(_ text: Substring) -> String {
        var output = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? scalars.next() {
            pending = nil
            switch scalar.value {
            case 0x1B: // ESC: skip the whole sequence it introduces
                pending = skipEscapeSequence(&scalars)
            case 0x9B: // C1 CSI
                pending = skipControlSequence(&scalars)
            case 0x90, 0x9D, 0x9E, 0x9F, 0x98: // C1 DCS, OSC, PM, APC, SOS: skip to the terminator
                pending = skipString(&scalars)
            case 0x09:
                output.append(" ")
            case 0x00...0x1F, 0x7F...0x9F:
                continue
            case 0x061C, 0x200B...0x200F, 0x202A...0x202E, 0x2060, 0x2066...0x2069, 0xFEFF:
                continue // zero-width and bidirectional controls
            default:
                output.append(scalar)
            }
        }
        return String(output)
    }

    /// Skips what follows an ESC; returns a scalar read past the sequence that must still be handled.
    private static func skipEscapeSequence(_ scalars: inout ScalarIterator) -> Unicode.Scalar? {
        guard let next = scalars.next() else { return nil }
        switch next {
        case "[": return skipControlSequence(&scalars)
        case "]", "P", "X", "^", "_": return skipString(&scalars)
        case " "..."/":
            // nF escape: intermediates, then one final byte
            while let scalar = scalars.next() {
                if !(" "..."/").contains(scalar) { return nil }
            }
            return nil
        default:
            return nil // two-character escape such as ESC c or ESC 7
        }
    }

    /// CSI: parameter and intermediate bytes, then one final byte in 0x40–0x7E.
    private static func skipControlSequence(_ scalars: inout ScalarIterator) -> Unicode.Scalar? {
        while let scalar = scalars.next() {
            if (0x40...0x7E).contains(scalar.value) { return nil }
            if !(0x20...0x3F).contains(scalar.value) { return scalar } // malformed: stop, keep the scalar
        }
        return nil
    }

    /// OSC/DCS/PM/APC/SOS: everything up to BEL, ST (ESC \) or C1 ST.
    private static func skipString(_ scalars: inout ScalarIterator) -> Unicode.Scalar? {
        while let scalar = scalars.next() {
            switch scalar.value {
            case 0x07, 0x9C: return nil
            case 0x1B:
                guard let next = scalars.next() else { return nil }
                if next == "\\" { return nil }
            default: continue
            }
        }
        return nil
    }
}

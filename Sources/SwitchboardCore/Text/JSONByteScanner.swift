import Foundation

/// Reads JSON tokens straight from bytes, for the two line formats that are ours and read by
/// the hundred thousand: journal readings (`ReadingLineParser`) and the common fields of log
/// records (`HashChain.link`). It never builds a general JSON value: callers take the tokens
/// they expect and give up (nil) on anything else.
struct JSONByteScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool { index == bytes.count }

    /// The next byte, if any.
    var next: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
            index += 1
        }
    }

    /// A JSON integer that fits an Int64; nil for a fraction or exponent (the general path reads those).
    mutating func integer() -> Int64? {
        let start = index
        var negative = false
        if take(UInt8(ascii: "-")) { negative = true }
        var value: Int64 = 0
        var digits = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
            guard !overflow, !overflow2 else {
                index = start
                return nil
            }
            value = sum
            digits += 1
            index += 1
        }
        let leadingZero = digits > 1 && bytes[start + (negative ? 1 : 0)] == UInt8(ascii: "0")
        guard digits > 0, !leadingZero, index == bytes.count || !Self.continuesNumber(bytes[index]) else {
            index = start
            return nil
        }
        return negative ? -value : value
    }

    static func continuesNumber(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    /// A JSON number, as a Double.
    mutating func number() -> Double? {
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"):
                index += 1
            default:
                guard index > start else { return nil }
                return Self.double(bytes[start..<index])
            }
        }
        return index > start ? Self.double(bytes[start..<index]) : nil
    }

    static func double(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> Double? {
        // JSON's grammar, which Double's parser is looser than: no leading +, no bare dot, no hex or inf.
        guard let first = text.first, first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else { return nil }
        // Nor a leading zero before another digit (`01`).
        let digits = first == UInt8(ascii: "-") ? text.dropFirst() : text[...]
        if digits.count > 1, digits.first == UInt8(ascii: "0"), let second = digits.dropFirst().first,
           second >= UInt8(ascii: "0"), second <= UInt8(ascii: "9") { return nil }
        return Double(String(decoding: text, as: UTF8.self))
    }

    /// A string without escapes, as the range of its bytes (not checked as UTF-8); nil for
    /// anything else, which the caller then reads with `string()` from where it was.
    mutating func plainString() -> Range<Int>? {
        plainStringBytes()?.range
    }

    /// `plainString`, and whether its bytes are all ASCII (then valid UTF-8 as they are), found
    /// in the same pass.
    mutating func plainStringBytes() -> (range: Range<Int>, isASCII: Bool)? {
        let start = index
        guard take(UInt8(ascii: "\"")) else { return nil }
        let base = bytes.baseAddress!
        var at = index
        var highBitsSeen: UInt64 = 0
        // Eight bytes at a time: the lowest byte flagged in a word is the first quote, backslash
        // or control character (a flag above it may be false, never one below).
        while at + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self).littleEndian
            let stops = Self.stops(word)
            if stops != 0 {
                let before = stops.trailingZeroBitCount / 8
                highBitsSeen |= word & Self.highBits & ((1 &<< UInt64(before * 8)) &- 1)
                at += before
                break
            }
            highBitsSeen |= word & Self.highBits
            at += 8
        }
        while at < bytes.count {
            let byte = base[at]
            if byte == UInt8(ascii: "\"") {
                index = at + 1
                return ((start + 1)..<at, highBitsSeen == 0)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            highBitsSeen |= UInt64(byte & 0x80)
            at += 1
        }
        index = start
        return nil
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The high bit of each byte of a word (read little-endian) that may be a quote, a
    /// backslash or under 0x20: exact for the lowest.
    private static func stops(_ word: UInt64) -> UInt64 {
        func zeroBytes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highBits }
        let below0x20 = (word &- ones &* 0x20) & ~word & highBits
        return below0x20 | zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C))
    }

    /// Whether the bytes in `range` are `text`: compared in place, as the keys compared are a
    /// few bytes long (a call to memcmp costs more).
    @inline(__always)
    func bytes(_ range: Range<Int>, are text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard range.count == count else { return false }
        let start = bytes.baseAddress! + range.lowerBound
        for offset in 0..<count where start[offset] != text.utf8Start[offset] { return false }
        return true
    }

    /// Skips a JSON string, checking it as `string()` does, without building it.
    mutating func skipString() -> Bool {
        if let (range, isASCII) = plainStringBytes() {
            // ASCII is UTF-8; anything else is checked as `string()` checks it.
            return isASCII || String(validating: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) != nil
        }
        return string() != nil
    }

    /// A JSON string; nil for a malformed one or a control character in it.
    mutating func string() -> String? {
        // The common case, a string without escapes, found eight bytes at a time; ASCII needs no
        // more checking to be UTF-8.
        if let (range, isASCII) = plainStringBytes() {
            let text = UnsafeBufferPointer(rebasing: bytes[range])
            return isASCII ? String(decoding: text, as: UTF8.self) : String(validating: text, as: UTF8.self)
        }
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        // The common case: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { return nil }
            index += 1
        }
        var scalars = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    guard var code = hex4() else { return nil }
                    if (0xD800...0xDBFF).contains(code) {
                        guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { return nil }
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    return nil
                }
            default:
                if byte < 0x20 { return nil }
                scalars.append(byte)
            }
        }
        return nil
    }

    mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Character(Unicode.Scalar(bytes[index])).hexDigitValue else { return nil }
            value = value * 16 + UInt32(digit)
            index += 1
        }
        return value
    }
}

extension JSONByteScanner {
    /// Skips one JSON value of any kind, checking it is well-formed; false if it is not.
    /// `depth` bounds nesting, as a hostile line could nest without end: as deep as
    /// Foundation's decoder goes, so both accept the same lines.
    mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth < Self.depthLimit, let byte = next else { return false }
        switch byte {
        case UInt8(ascii: "\""): return skipString()
        case UInt8(ascii: "{"):
            index += 1
            skipSpace()
            if take(UInt8(ascii: "}")) { return true }
            repeat {
                skipSpace()
                guard skipString() else { return false }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return false }
                skipSpace()
                guard skipValue(depth: depth + 1) else { return false }
                skipSpace()
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            index += 1
            skipSpace()
            if take(UInt8(ascii: "]")) { return true }
            repeat {
                skipSpace()
                guard skipValue(depth: depth + 1) else { return false }
                skipSpace()
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]"))
        case UInt8(ascii: "t"): return word("true")
        case UInt8(ascii: "f"): return word("false")
        case UInt8(ascii: "n"): return word("null")
        default: return integer() != nil || number() != nil
        }
    }

    /// `true` or `false`.
    mutating func boolean() -> Bool? {
        if word("true") { return true }
        if word("false") { return false }
        return nil
    }

    /// Whether two runs of bytes are the same.
    static func same(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        left.count == right.count && (left.isEmpty || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0)
    }

    /// Takes `text` if the bytes ahead are it.
    @inline(__always)
    mutating func word(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { return false }
        index += count
        return true
    }
}

extension JSONByteScanner {
    /// A whole JSON object of values, read as `JSONValue`'s decoder reads it: a number that is
    /// whole (`3`, `1.0`, `1e2`) and fits an Int is an int, any other a double. Nil for anything
    /// malformed or unusual (a key twice, nesting past `JSONByteScanner.depthLimit`, invalid
    /// UTF-8), which the caller leaves to the general decoder, so both read the same lines alike.
    mutating func object(depth: Int = 0) -> [String: JSONValue]? {
        guard depth < Self.depthLimit, take(UInt8(ascii: "{")) else { return nil }
        var object: [String: JSONValue] = [:]
        skipSpace()
        if take(UInt8(ascii: "}")) { return object }
        repeat {
            skipSpace()
            guard let key = string() else { return nil }
            skipSpace()
            guard take(UInt8(ascii: ":")) else { return nil }
            skipSpace()
            guard let value = value(depth: depth + 1), object.updateValue(value, forKey: key) == nil else { return nil }
            skipSpace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}")) ? object : nil
    }

    /// As deep as Foundation's decoder goes.
    static let depthLimit = 512

    mutating func value(depth: Int) -> JSONValue? {
        guard depth < Self.depthLimit, let byte = next else { return nil }
        switch byte {
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "{"): return object(depth: depth).map(JSONValue.object)
        case UInt8(ascii: "["):
            index += 1
            var items: [JSONValue] = []
            skipSpace()
            if take(UInt8(ascii: "]")) { return .array(items) }
            repeat {
                skipSpace()
                guard let item = value(depth: depth + 1) else { return nil }
                items.append(item)
                skipSpace()
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]")) ? .array(items) : nil
        case UInt8(ascii: "t"): return word("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return word("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return word("null") ? .null : nil
        default:
            if let whole = integer() { return Int(exactly: whole).map(JSONValue.int) }
            guard let number = number(), number.isFinite else { return nil }
            if number == number.rounded(), let whole = Int(exactly: number) { return .int(whole) }
            return .double(number)
        }
    }
}

import Foundation

/// Reads a journal's reading line straight from its bytes. Nearly every line of a journal is a
/// reading, and its shape is ours: a flat object of known keys whose values are numbers,
/// strings, `[number, "unit"]` pairs, an object of those (`m`) or a list of `[name, value]`
/// (`M`). A general JSON parser spends most of an 8-hour journal's read building objects and
/// bridging them; this reads the same bytes in a fraction of the time, so review opens an
/// 8-hour incident within its budget.
///
/// It gives up (nil) on anything it does not expect — another key, a value of another type, an
/// escape it cannot read — and the general path then reads the line and says what is wrong
/// with it, so both paths accept exactly the same lines.
struct ReadingLineParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    static func parse(_ line: some Collection<UInt8>) -> WireReading? {
        let parsed = line.withContiguousStorageIfAvailable { buffer -> WireReading? in
            var parser = ReadingLineParser(buffer)
            return parser.reading()
        }
        if let parsed { return parsed }
        return Array(line).withUnsafeBufferPointer { buffer in
            var parser = ReadingLineParser(buffer)
            return parser.reading()
        }
    }

    private mutating func reading() -> WireReading? {
        var t: Int64?, p: String?, s: ProbeStatus?, ms: Int64?, u: String?, d: String?, k: Int64?
        var m: [String: WireValue]?
        var M: [WireMetric]?
        skipSpace()
        guard take(UInt8(ascii: "{")) else { return nil }
        skipSpace()
        if !take(UInt8(ascii: "}")) {
            repeat {
                skipSpace()
                guard let key = string() else { return nil }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipSpace()
                switch key {
                case "t": guard t == nil, let value = integer() else { return nil }; t = value
                case "p": guard p == nil, let value = string() else { return nil }; p = value
                case "s": guard s == nil, let value = string().flatMap(ProbeStatus.init(rawValue:)) else { return nil }; s = value
                case "ms": guard ms == nil, let value = integer() else { return nil }; ms = value
                case "u": guard u == nil, let value = string() else { return nil }; u = value
                case "d": guard d == nil, let value = string() else { return nil }; d = value
                case "k": guard k == nil, let value = integer() else { return nil }; k = value
                case "m": guard m == nil, let value = changedValues() else { return nil }; m = value
                case "M": guard M == nil, let value = metricList() else { return nil }; M = value
                default: return nil
                }
                skipSpace()
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return nil }
        }
        skipSpace()
        guard index == bytes.count, let t, let p, let s else { return nil }
        return WireReading(t: t, p: p, s: s, ms: ms, u: u, d: d, m: m, M: M, k: k)
    }

    /// `{"name": value, …}`.
    private mutating func changedValues() -> [String: WireValue]? {
        guard take(UInt8(ascii: "{")) else { return nil }
        var values: [String: WireValue] = [:]
        skipSpace()
        if take(UInt8(ascii: "}")) { return values }
        repeat {
            skipSpace()
            guard let name = string() else { return nil }
            skipSpace()
            guard take(UInt8(ascii: ":")) else { return nil }
            skipSpace()
            guard let value = value() else { return nil }
            values[name] = value
            skipSpace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}")) ? values : nil
    }

    /// `[["name", value], …]`.
    private mutating func metricList() -> [WireMetric]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var metrics: [WireMetric] = []
        skipSpace()
        if take(UInt8(ascii: "]")) { return metrics }
        repeat {
            skipSpace()
            guard take(UInt8(ascii: "[")) else { return nil }
            skipSpace()
            guard let name = string() else { return nil }
            skipSpace()
            guard take(UInt8(ascii: ",")) else { return nil }
            skipSpace()
            guard let value = value() else { return nil }
            skipSpace()
            guard take(UInt8(ascii: "]")) else { return nil }
            metrics.append(WireMetric(Metric(name: name, value: value.value)))
            skipSpace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? metrics : nil
    }

    /// A bare number, a string, or `[number or "number", "unit"]`.
    private mutating func value() -> WireValue? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return string().map { WireValue(value: .text($0), bare: false) }
        case UInt8(ascii: "["):
            index += 1
            skipSpace()
            let number: Double
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                guard let text = string(), let parsed = Double(text) else { return nil }
                number = parsed
            } else {
                guard let parsed = self.number() else { return nil }
                number = parsed
            }
            skipSpace()
            guard take(UInt8(ascii: ",")) else { return nil }
            skipSpace()
            guard let unit = string() else { return nil }
            skipSpace()
            guard take(UInt8(ascii: "]")) else { return nil }
            return WireValue(value: .number(number, unit: unit), bare: false)
        default:
            return number().map { WireValue(value: .number($0, unit: ""), bare: true) }
        }
    }

    // MARK: - Tokens

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
            index += 1
        }
    }

    /// A JSON integer that fits an Int64; nil for a fraction or exponent (the general path reads those).
    private mutating func integer() -> Int64? {
        let start = index
        var negative = false
        if take(UInt8(ascii: "-")) { negative = true }
        var value: Int64 = 0
        var digits = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
            guard !overflow, !overflow2 else { return nil }
            value = sum
            digits += 1
            index += 1
        }
        guard digits > 0, index == bytes.count || !Self.continuesNumber(bytes[index]) else {
            index = start
            return nil
        }
        return negative ? -value : value
    }

    private static func continuesNumber(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    /// A JSON number, as a Double.
    private mutating func number() -> Double? {
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

    private static func double(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> Double? {
        // JSON's grammar, which Double's parser is looser than: no leading +, no bare dot, no hex or inf.
        guard let first = text.first, first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else { return nil }
        return Double(String(decoding: text, as: UTF8.self))
    }

    /// A JSON string; nil for a malformed one or a control character in it.
    private mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        // The common case: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                return String(validating: bytes[start..<index], as: UTF8.self)
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

    private mutating func hex4() -> UInt32? {
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

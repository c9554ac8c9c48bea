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
    private var scanner: JSONByteScanner

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        scanner = JSONByteScanner(bytes)
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
        scanner.skipSpace()
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        scanner.skipSpace()
        if !scanner.take(UInt8(ascii: "}")) {
            repeat {
                scanner.skipSpace()
                guard let key = scanner.string() else { return nil }
                scanner.skipSpace()
                guard scanner.take(UInt8(ascii: ":")) else { return nil }
                scanner.skipSpace()
                switch key {
                case "t": guard t == nil, let value = scanner.integer() else { return nil }; t = value
                case "p": guard p == nil, let value = scanner.string() else { return nil }; p = value
                case "s": guard s == nil, let value = scanner.string().flatMap(ProbeStatus.init(rawValue:)) else { return nil }; s = value
                case "ms": guard ms == nil, let value = scanner.integer() else { return nil }; ms = value
                case "u": guard u == nil, let value = scanner.string() else { return nil }; u = value
                case "d": guard d == nil, let value = scanner.string() else { return nil }; d = value
                case "k": guard k == nil, let value = scanner.integer() else { return nil }; k = value
                case "m": guard m == nil, let value = changedValues() else { return nil }; m = value
                case "M": guard M == nil, let value = metricList() else { return nil }; M = value
                default: return nil
                }
                scanner.skipSpace()
            } while scanner.take(UInt8(ascii: ","))
            guard scanner.take(UInt8(ascii: "}")) else { return nil }
        }
        scanner.skipSpace()
        guard scanner.atEnd, let t, let p, let s else { return nil }
        return WireReading(t: t, p: p, s: s, ms: ms, u: u, d: d, m: m, M: M, k: k)
    }

    /// `{"name": value, …}`.
    private mutating func changedValues() -> [String: WireValue]? {
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        var values: [String: WireValue] = [:]
        scanner.skipSpace()
        if scanner.take(UInt8(ascii: "}")) { return values }
        repeat {
            scanner.skipSpace()
            guard let name = scanner.string() else { return nil }
            scanner.skipSpace()
            guard scanner.take(UInt8(ascii: ":")) else { return nil }
            scanner.skipSpace()
            guard let value = value() else { return nil }
            values[name] = value
            scanner.skipSpace()
        } while scanner.take(UInt8(ascii: ","))
        return scanner.take(UInt8(ascii: "}")) ? values : nil
    }

    /// `[["name", value], …]`.
    private mutating func metricList() -> [WireMetric]? {
        guard scanner.take(UInt8(ascii: "[")) else { return nil }
        var metrics: [WireMetric] = []
        scanner.skipSpace()
        if scanner.take(UInt8(ascii: "]")) { return metrics }
        repeat {
            scanner.skipSpace()
            guard scanner.take(UInt8(ascii: "[")) else { return nil }
            scanner.skipSpace()
            guard let name = scanner.string() else { return nil }
            scanner.skipSpace()
            guard scanner.take(UInt8(ascii: ",")) else { return nil }
            scanner.skipSpace()
            guard let value = value() else { return nil }
            scanner.skipSpace()
            guard scanner.take(UInt8(ascii: "]")) else { return nil }
            metrics.append(WireMetric(Metric(name: name, value: value.value)))
            scanner.skipSpace()
        } while scanner.take(UInt8(ascii: ","))
        return scanner.take(UInt8(ascii: "]")) ? metrics : nil
    }

    /// A bare number, a string, or `[number or "number", "unit"]`.
    private mutating func value() -> WireValue? {
        guard let first = scanner.next else { return nil }
        switch first {
        case UInt8(ascii: "\""):
            return scanner.string().map { WireValue(value: .text($0), bare: false) }
        case UInt8(ascii: "["):
            scanner.index += 1
            scanner.skipSpace()
            let number: Double
            if scanner.next == UInt8(ascii: "\"") {
                guard let text = scanner.string(), let parsed = Double(text) else { return nil }
                number = parsed
            } else {
                guard let parsed = scanner.number() else { return nil }
                number = parsed
            }
            scanner.skipSpace()
            guard scanner.take(UInt8(ascii: ",")) else { return nil }
            scanner.skipSpace()
            guard let unit = scanner.string() else { return nil }
            scanner.skipSpace()
            guard scanner.take(UInt8(ascii: "]")) else { return nil }
            return WireValue(value: .number(number, unit: unit), bare: false)
        default:
            return scanner.number().map { WireValue(value: .number($0, unit: ""), bare: true) }
        }
    }
}

import Foundation
import SwitchboardCore

/// The Network UPS Tools network protocol (upsd, TCP port 3493), as far as a monitor needs it:
/// splitting reply lines into words, and reading the reply to `LIST VAR <ups>`. Pure: bytes come
/// in from `NUTProbe`, values go out.
enum NUTProtocol {
    static let defaultPort = 3493
    /// upsd's own limit on a line is 512 bytes; anything longer is not upsd.
    static let lineLimit = 4096

    /// Splits a line into words the way upsd writes them: separated by spaces or tabs, with
    /// `"double quotes"` around words holding spaces (an empty `""` is an empty word) and a
    /// backslash escaping the next character, inside quotes or out.
    static func words(_ line: String) throws(NUTReplyError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quoted = false
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\":
                escaped = true
                inWord = true
            case "\"":
                quoted.toggle()
                inWord = true
            case " " where !quoted, "\t" where !quoted:
                if inWord { words.append(current) }
                current = ""
                inWord = false
            default:
                current.append(character)
                inWord = true
            }
        }
        if escaped { throw NUTReplyError.garbled(line, "a backslash at the end of the line") }
        if quoted { throw NUTReplyError.garbled(line, "a quote that is never closed") }
        if inWord { words.append(current) }
        return words
    }

    /// Reads the reply to `LIST VAR <ups>`, one line at a time:
    /// `BEGIN LIST VAR <ups>`, `VAR <ups> <name> "<value>"`…, `END LIST VAR <ups>`, or `ERR <code>`.
    struct VariableList {
        /// More variables than any UPS or PDU has (a 48-outlet PDU has about a thousand): a
        /// server that goes on is not upsd, and must not fill memory until the deadline.
        static let variableLimit = 4096

        let ups: String
        private(set) var variables: [(name: String, value: String)] = []
        private var begun = false

        init(ups: String) {
            self.ups = ups
        }

        /// A variable name as NUT writes them (`battery.charge`, `outlet.1.status`): it becomes a
        /// metric's name, shown on screen, so nothing else is taken for one.
        static func isVariableName(_ name: String) -> Bool {
            !name.isEmpty && name.count <= 128 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
        }

        /// Takes the next line of the reply; returns true once the list is complete.
        mutating func feed(_ line: String) throws(NUTReplyError) -> Bool {
            let words = try NUTProtocol.words(line)
            if words.first == "ERR" {
                throw .server(code: words.count > 1 ? words[1] : "", detail: words.dropFirst(2).joined(separator: " "))
            }
            if !begun {
                guard words == ["BEGIN", "LIST", "VAR", ups] else { throw .garbled(line, "expected BEGIN LIST VAR \(ups)") }
                begun = true
                return false
            }
            if words == ["END", "LIST", "VAR", ups] { return true }
            guard words.count == 4, words[0] == "VAR", words[1] == ups else {
                throw .garbled(line, "expected VAR \(ups) NAME \"VALUE\" or END LIST VAR \(ups)")
            }
            guard Self.isVariableName(words[2]) else { throw .garbled(line, "not a variable name") }
            guard variables.count < Self.variableLimit else { throw .garbled(line, "more than \(Self.variableLimit) variables") }
            variables.append((words[2], words[3]))
            return false
        }
    }

    /// The reply to `USERNAME` or `PASSWORD`: `OK`, or `ERR <code>`.
    static func acknowledgement(_ line: String) throws(NUTReplyError) {
        let words = try words(line)
        if words.first == "OK" { return }
        if words.first == "ERR" {
            throw .server(code: words.count > 1 ? words[1] : "", detail: words.dropFirst(2).joined(separator: " "))
        }
        throw .garbled(line, "expected OK or ERR")
    }
}

/// A reply upsd should not have sent, or an error it reported.
enum NUTReplyError: Error, Equatable, CustomStringConvertible {
    /// `ERR <code> [detail]` from upsd.
    case server(code: String, detail: String)
    /// A line that is not the protocol: the text (cut short) and what was expected.
    case garbled(String, String)

    var description: String {
        switch self {
        case .server(let code, let detail): SummaryText.oneLine("ERR \(code) \(detail)", limit: 80)
        case .garbled(let line, let expected): "unexpected reply '\(SummaryText.oneLine(line, limit: 60))' (\(expected))"
        }
    }
}

/// What a UPS's variables mean for a person at the console: the status from `ups.status`, a
/// one-line summary, and every variable as a metric (numbers with their units, the rest as text).
enum NUTReading {
    /// Each `ups.status` token: its words in the summary and the status it gives.
    static let tokens: [String: (words: String, status: ProbeStatus)] = [
        "OL": ("on line", .ok),
        "OB": ("on battery", .warning),
        "LB": ("battery low", .critical),
        "HB": ("battery high", .ok),
        "RB": ("replace battery", .warning),
        "CHRG": ("charging", .ok),
        "DISCHRG": ("discharging", .ok),
        "BYPASS": ("on bypass", .warning),
        "CAL": ("calibrating", .warning),
        "OFF": ("output off", .critical),
        "OVER": ("overloaded", .critical),
        "TRIM": ("trimming voltage", .warning),
        "BOOST": ("boosting voltage", .warning),
        "FSD": ("forced shutdown", .critical),
        "ALARM": ("alarm", .warning),
        "TEST": ("self-test", .ok),
        "WAIT": ("waiting for the driver's first reading", .unknown),
    ]

    static func observation(variables: [(name: String, value: String)]) -> ProbeObservation {
        let metrics = variables.map { Metric(name: $0.name, value: metricValue(name: $0.name, text: $0.value)) }
        let values = Dictionary(variables.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let statusText = values["ups.status"], !statusText.trimmingCharacters(in: .whitespaces).isEmpty else {
            return ProbeObservation(status: .unknown, summary: "upsd reports no ups.status for this UPS", metrics: metrics)
        }
        let flags = statusText.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var status = ProbeStatus.ok
        var words: [String] = []
        for flag in flags {
            if let known = tokens[flag.uppercased()] {
                status = status.worse(known.status)
                // "discharging" says nothing "on battery" has not said already.
                if flag.uppercased() == "DISCHRG", flags.contains(where: { $0.uppercased() == "OB" }) { continue }
                words.append(known.words)
            } else {
                words.append(flag)
            }
        }
        // Known flags read as words; an unknown one as upsd sent it, so the whole is cut short.
        var parts = [SummaryText.oneLine(words.joined(separator: ", "), limit: 120)]
        if let charge = values["battery.charge"].flatMap(Double.init) {
            parts.append("\(MetricValue.format(charge)) %")
        }
        if let runtime = values["battery.runtime"].flatMap(Double.init) {
            parts.append("\(runtimeText(seconds: runtime)) left")
        }
        if let load = values["ups.load"].flatMap(Double.init) {
            parts.append("load \(MetricValue.format(load)) %")
        }
        if let alarm = values["ups.alarm"], !alarm.isEmpty {
            parts.append("alarm: \(SummaryText.oneLine(alarm, limit: 80))")
        }
        return ProbeObservation(status: status, summary: parts.joined(separator: " · "), metrics: metrics)
    }

    /// `45 s`, `14 min`, `2 h 05 min`.
    static func runtimeText(seconds: Double) -> String {
        let total = Int(saturating: max(0, seconds).rounded())
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min" }
        let minutes = (total % 3600) / 60
        return "\(total / 3600) h \(minutes < 10 ? "0" : "")\(minutes) min"
    }

    /// A number with the unit NUT's variable naming implies, or the text as it came.
    static func metricValue(name: String, text: String) -> MetricValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }),
              let number = Double(trimmed), number.isFinite else {
            return SummaryText.metricText(text)
        }
        return .number(number, unit: unit(for: name))
    }

    /// The unit NUT's naming implies: the last part of the name that is not a qualifier such as
    /// `nominal` or `low` decides (`battery.charge.low` is a charge, `input.voltage.nominal` a voltage).
    static func unit(for name: String) -> String {
        let qualifiers: Set<Substring> = ["nominal", "low", "high", "warning", "critical", "minimum", "maximum", "min", "max",
                                          "restart", "start", "shutdown", "reboot"]
        let parts = name.split(separator: ".")
        if parts.contains("delay") || parts.contains("timer") || parts.contains("runtime") { return "s" }
        switch parts.last(where: { !qualifiers.contains($0) }) ?? "" {
        case "charge", "load", "efficiency": return "%"
        case "voltage", "transfer": return "V"
        case "current": return "A"
        case "frequency": return "Hz"
        case "temperature": return "C"
        case "realpower": return "W"
        case "power": return "VA"
        default: return ""
        }
    }
}

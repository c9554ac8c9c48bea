/// The output of a monitoring-plugins check, parsed by the plugin development guidelines:
///
/// ```
/// TEXT | PERFDATA
/// LONG TEXT
/// LONG TEXT | MORE PERFDATA
/// MORE PERFDATA
/// ```
///
/// The first line's text is the summary. Later lines are long text until one holds a `|`: the
/// part after it, and every line after that, is more performance data.
public struct PluginOutput: Sendable, Equatable {
    /// A summary is one line a person reads; a plugin printing megabytes on one line is cut here.
    public static let summaryLimit = 1000

    public var summary: String
    public var longText: String
    public var perfdata: [PerfDatum]
    /// Performance-data items that do not follow the grammar, kept so the detail view can show them.
    public var malformed: [String]

    public init(parsing output: String) {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        var perfText: [Substring] = []
        let (firstText, firstPerf) = Self.split(lines.first ?? "")
        let firstLine = firstText.trimmingCharacters(in: .whitespaces)
        summary = firstLine.count > Self.summaryLimit ? firstLine.prefix(Self.summaryLimit - 1) + "…" : firstLine
        if let firstPerf { perfText.append(firstPerf) }

        var long: [Substring] = []
        var inPerfdata = false
        for line in lines.dropFirst() {
            if inPerfdata {
                perfText.append(line)
                continue
            }
            let (text, perf) = Self.split(line)
            long.append(text)
            if let perf {
                perfText.append(perf)
                inPerfdata = true
            }
        }
        longText = long.joined(separator: "\n")
        (perfdata, malformed) = PerfDatum.parseList(perfText.joined(separator: " "))
    }

    private static func split(_ line: Substring) -> (text: Substring, perfdata: Substring?) {
        guard let bar = line.firstIndex(of: "|") else { return (line, nil) }
        return (line[..<bar], line[line.index(after: bar)...])
    }

    /// The observation a check with this output and exit status stands for.
    public func observation(exit: PluginExit) -> ProbeObservation {
        let metrics = perfdata.map { datum in
            Metric(name: datum.label, value: datum.value.map { .number($0, unit: datum.unit) } ?? .text("U"))
        }
        var details = longText
        if !malformed.isEmpty {
            details += (details.isEmpty ? "" : "\n") + "unparsed performance data: " + malformed.joined(separator: " ")
        }
        switch exit {
        case .exited(let code) where (0...3).contains(code):
            let status: ProbeStatus = [.ok, .warning, .critical, .unknown][Int(code)]
            return ProbeObservation(status: status, summary: summary.isEmpty ? "(no output)" : summary,
                                    details: details, metrics: metrics)
        case .exited(let code):
            return ProbeObservation(status: .unknown, summary: "exit code \(code) is not a plugin status (0–3): \(summary)",
                                    details: details, metrics: metrics)
        case .signaled(let signal):
            return ProbeObservation(status: .unknown, summary: "killed by signal \(signal)\(summary.isEmpty ? "" : ": \(summary)")",
                                    details: details, metrics: metrics)
        }
    }
}

/// How a plugin process ended.
public enum PluginExit: Sendable, Equatable {
    case exited(Int32)
    case signaled(Int32)
}

/// One performance-data item: `'label'=value[UOM];[warn];[crit];[min];[max]`.
public struct PerfDatum: Sendable, Equatable {
    public var label: String
    /// Nil for `U` (the plugin could not determine the value).
    public var value: Double?
    public var unit: String
    public var warning: ThresholdRange?
    public var critical: ThresholdRange?
    public var min: Double?
    public var max: Double?

    public init(label: String, value: Double?, unit: String = "", warning: ThresholdRange? = nil,
                critical: ThresholdRange? = nil, min: Double? = nil, max: Double? = nil) {
        self.label = label
        self.value = value
        self.unit = unit
        self.warning = warning
        self.critical = critical
        self.min = min
        self.max = max
    }

    /// Parses space-separated items; returns the good ones and the text of the bad ones.
    static func parseList(_ text: String) -> ([PerfDatum], [String]) {
        var data: [PerfDatum] = []
        var malformed: [String] = []
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard !rest.isEmpty else { break }
            let start = rest.startIndex
            let label: String?
            if rest.first == "'" {
                label = readQuotedLabel(&rest)
            } else {
                let name = rest.prefix { $0 != "=" && $0 != " " }
                rest = rest.dropFirst(name.count)
                label = name.isEmpty ? nil : String(name)
            }
            let fields = rest.first == "=" ? rest.dropFirst().prefix { $0 != " " && $0 != "\t" } : nil
            if let fields { rest = rest[fields.endIndex...] }
            if let label, let fields, let datum = PerfDatum(label: label, fields: fields) {
                data.append(datum)
            } else {
                rest = rest.drop { $0 != " " && $0 != "\t" }
                malformed.append(String(text[start..<rest.startIndex]))
            }
        }
        return (data, malformed)
    }

    /// `'it''s here'` → `it's here`; nil when the closing quote is missing.
    private static func readQuotedLabel(_ rest: inout Substring) -> String? {
        var label = ""
        var index = rest.index(after: rest.startIndex)
        while index < rest.endIndex {
            let character = rest[index]
            index = rest.index(after: index)
            if character == "'" {
                if index < rest.endIndex, rest[index] == "'" {
                    label.append("'")
                    index = rest.index(after: index)
                } else {
                    rest = rest[index...]
                    return label.isEmpty ? nil : label
                }
            } else {
                label.append(character)
            }
        }
        rest = rest[rest.endIndex...]
        return nil
    }

    /// `value[UOM];[warn];[crit];[min];[max]`
    private init?(label: String, fields: Substring) {
        let parts = fields.split(separator: ";", omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty, parts.count <= 5 else { return nil }
        if first == "U" {
            value = nil
            unit = ""
        } else {
            let number = first.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E" }
            guard let parsed = Double(number), parsed.isFinite else { return nil }
            let uom = first.dropFirst(number.count)
            guard uom.allSatisfy({ $0.isLetter || $0 == "%" }) else { return nil }
            value = parsed
            unit = String(uom)
        }
        func range(_ index: Int) -> ThresholdRange?? {
            guard index < parts.count, !parts[index].isEmpty else { return .some(nil) }
            return (try? ThresholdRange(parsing: String(parts[index]))).map { .some($0) }
        }
        func number(_ index: Int) -> Double?? {
            guard index < parts.count, !parts[index].isEmpty else { return .some(nil) }
            return Double(parts[index]).map { .some($0) }
        }
        guard let warning = range(1), let critical = range(2), let min = number(3), let max = number(4) else { return nil }
        self.label = label
        self.warning = warning
        self.critical = critical
        self.min = min
        self.max = max
    }
}

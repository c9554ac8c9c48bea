import Foundation

/// What a condition says about the site right now. `unknown` when the readings it needs are not
/// there (no answer yet, stale, metric missing): the console shows "?" rather than guess, a wait
/// step does not complete on it and a trigger does not fire.
public enum Truth: Sendable, Equatable {
    case yes
    case no
    case unknown(String)

    public var isYes: Bool { self == .yes }

    /// Three-valued (Kleene) logic: `no and unknown` is no, `yes or unknown` is yes.
    static func and(_ left: Truth, _ right: () -> Truth) -> Truth {
        if left == .no { return .no }
        let right = right()
        if right == .no { return .no }
        if case .unknown = left { return left }
        return right
    }

    static func or(_ left: Truth, _ right: () -> Truth) -> Truth {
        if left == .yes { return .yes }
        let right = right()
        if right == .yes { return .yes }
        if case .unknown = left { return left }
        return right
    }

    static func not(_ truth: Truth) -> Truth {
        switch truth {
        case .yes: .no
        case .no: .yes
        case .unknown: truth
        }
    }
}

extension Condition {
    /// Evaluates against the probes' current state.
    public func evaluate(in site: SiteState) -> Truth {
        Self.evaluate(root, in: site)
    }

    private static func evaluate(_ node: Node, in site: SiteState) -> Truth {
        switch node {
        case .and(let left, let right):
            return Truth.and(evaluate(left, in: site)) { evaluate(right, in: site) }
        case .or(let left, let right):
            return Truth.or(evaluate(left, in: site)) { evaluate(right, in: site) }
        case .not(let inner):
            return Truth.not(evaluate(inner, in: site))
        case .status(let mention, let wanted):
            guard let probe = site.probe(mention.probe) else { return .unknown("no probe \(mention.probe)") }
            let status = site.displayStatus(of: probe)
            if status == .pending { return .unknown("\(mention.probe) has not answered yet") }
            return status == wanted ? .yes : .no
        case .metric(let mention, let metric, let comparison, let operand):
            guard let probe = site.probe(mention.probe) else { return .unknown("no probe \(mention.probe)") }
            switch site.displayStatus(of: probe) {
            case .pending: return .unknown("\(mention.probe) has not answered yet")
            case .stale: return .unknown("\(mention.probe) is stale")
            default: break
            }
            guard let value = probe.latest?.observation.metric(metric) else {
                return .unknown("\(mention.probe) reports no \(metric)")
            }
            if case .number(let number, let unit) = value, case .number(_, let wanted) = operand {
                if let mismatch = MetricUnit.mismatch(metric: "\(mention.probe).\(metric)", unit: unit, wanted: wanted) {
                    return .unknown(mismatch)
                }
                guard number.isFinite else { return .unknown("\(mention.probe).\(metric) is \(MetricValue.format(number))") }
            }
            return compare(value, comparison, operand) ? .yes : .no
        }
    }

    /// `has` looks for a word in a text value (NUT's `ups.status` is words like `OB LB`); the
    /// ordering comparisons need numbers, times converted to the same unit; `==`/`!=` compare
    /// numbers as numbers, text as text.
    static func compare(_ value: MetricValue, _ comparison: Comparison, _ operand: Operand) -> Bool {
        switch (value, operand) {
        case (.number(let reported, let unit), .number(let written, let wantedUnit)):
            let number = MetricUnit.base(reported, wantedUnit.isEmpty ? "" : unit)
            let wanted = MetricUnit.base(written, wantedUnit)
            switch comparison {
            case .equal, .has: return number == wanted
            case .notEqual: return number != wanted
            case .less: return number < wanted
            case .lessOrEqual: return number <= wanted
            case .greater: return number > wanted
            case .greaterOrEqual: return number >= wanted
            }
        case (.text(let text), _):
            let wanted = operand.description
            switch comparison {
            case .has: return text.split(whereSeparator: \.isWhitespace).contains { $0 == wanted }
            case .equal: return text == wanted
            case .notEqual: return text != wanted
            default: return false
            }
        case (.number, .text(let wanted)):
            switch comparison {
            case .equal, .has: return value.display(withUnit: false) == wanted
            case .notEqual: return value.display(withUnit: false) != wanted
            default: return false
            }
        }
    }

    /// What the probes this condition reads show now, in words: `ups-main warning, ups.status OB DISCHRG`.
    public func readingsText(in site: SiteState) -> String {
        probeIDs.sorted().compactMap { probeID -> String? in
            guard let probe = site.probe(probeID) else { return nil }
            let metrics = mentions.filter { $0.0.probe == probeID }.compactMap { _, metric in
                metric.flatMap { name in probe.latest?.observation.metric(name).map { "\(name) \($0.display)" } ?? "\(name) not reported" }
            }
            return ([probeID + " " + site.displayStatus(of: probe).rawValue] + Array(Set(metrics)).sorted()).joined(separator: ", ")
        }.joined(separator: "; ")
    }

    /// The readings of the probes this condition reads, as the log keeps them for evidence:
    /// each probe's status and the metrics the condition names.
    public func evidence(in site: SiteState) -> [String: JSONValue] {
        var evidence: [String: JSONValue] = [:]
        for probeID in probeIDs {
            guard let probe = site.probe(probeID) else { continue }
            var reading: [String: JSONValue] = ["status": .string(site.displayStatus(of: probe).rawValue)]
            for (mention, metric) in mentions where mention.probe == probeID {
                guard let metric, let value = probe.latest?.observation.metric(metric) else { continue }
                reading[metric] = JSONValue(value)
            }
            evidence[probeID] = .object(reading)
        }
        return evidence
    }
}

extension JSONValue {
    /// A metric value as the log writes it: a number with its unit, or the text.
    public init(_ value: MetricValue) {
        switch value {
        case .number(let number, let unit):
            let json: JSONValue = number.rounded() == number && abs(number) < 1e15 ? .int(Int(number)) : .double(number)
            self = .object(["value": json, "unit": .string(unit)])
        case .text(let text):
            self = .string(text)
        }
    }
}

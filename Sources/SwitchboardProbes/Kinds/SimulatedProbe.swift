import Foundation
import Synchronization
import SwitchboardCore

/// `kind: simulated`: metrics that wander plausibly within bounds, with occasional gentle
/// glitches that recover by themselves. The built-in demo site is made of these, and drills
/// drive them with scripted values.
///
/// ```yaml
/// - id: isp-a
///   pane: network
///   kind: simulated
///   interval: 5s
///   metric: latency                       # shown in the row and sparkline
///   summary: "{{latency}} ms · loss {{loss}} %"
///   metrics:
///     latency: {start: 18, min: 12, max: 40, step: 2, unit: ms}
///     loss: {start: 0, min: 0, max: 1, step: 0.2, unit: "%", decimals: 1}
///     link: up                            # a fixed text value
///   glitches:
///     - every: 10m                        # on average once in this long
///       for: 40s
///       # regular: true                   # on the wall clock instead: at each whole 10m, for 40s
///       status: warning                   # optional; thresholds may also raise it
///       summary: "latency spike · {{latency}} ms"
///       set: {latency: 190, loss: 4}
///   seed: 7                               # optional: the same seed gives the same values
/// ```
public final class SimulatedProbe: Probe {
    public static let kind = "simulated"
    public static let optionKeys = ["metrics", "summary", "glitches", "seed"]

    /// How one numeric metric wanders.
    struct Walk: Sendable {
        var start: Double
        var range: ClosedRange<Double>
        var step: Double
        var unit: String
        /// Decimal places reported (the walk itself keeps full precision).
        var decimals: Int

        func reported(_ value: Double) -> Double {
            let scale = pow(10, Double(decimals))
            return (value * scale).rounded() / scale
        }
    }

    enum MetricModel: Sendable {
        case walk(Walk)
        case fixed(MetricValue)
    }

    struct Glitch: Sendable {
        /// Chance per observation that the glitch starts.
        var chance: Double
        /// Instead of by chance: on the wall clock, while the time of day modulo `period.every`
        /// is under `period.length` (so probes with the same period glitch together).
        var period: (every: Double, length: Double)?
        /// How many observations it lasts.
        var length: Int
        var status: ProbeStatus?
        var summary: MetricTemplate?
        var targets: [String: MetricValue]
    }

    struct Running: Sendable {
        var values: [String: MetricValue]
        var random: SplitMix64
        var glitch: (index: Int, remaining: Int)?
    }

    private let models: [(name: String, model: MetricModel)]
    private let summary: MetricTemplate?
    private let glitches: [Glitch]
    private let running: Mutex<Running>

    public init(spec: ProbeSpec, options: ConfigMapping) throws {
        let metricsNode = try options.required("metrics")
        var models: [(String, MetricModel)] = []
        for entry in try metricsNode.mapping("a mapping of metric names to values or walks").entries {
            models.append((entry.key, try Self.model(entry.value)))
        }
        self.models = models
        summary = try options["summary"].map { node in try Self.template(node) }
        glitches = try options["glitches"]?.sequence("a list of glitches").map { node in
            try Self.glitch(node, interval: spec.interval, metricNames: models.map(\.0))
        } ?? []
        let seed = try options["seed"].map { UInt64(truncatingIfNeeded: try $0.integer()) }
            ?? UInt64.random(in: 0...UInt64.max)
        var values: [String: MetricValue] = [:]
        for (name, model) in models {
            switch model {
            case .walk(let walk): values[name] = .number(walk.start, unit: walk.unit)
            case .fixed(let value): values[name] = value
            }
        }
        running = Mutex(Running(values: values, random: SplitMix64(seed: seed), glitch: nil))
    }

    /// Its metrics as modelled, numbers with their units. A text value may become any other (a
    /// glitch or a drill sets it): its words are not listed.
    public var declaredMetrics: DeclaredMetrics? {
        DeclaredMetrics(models.map { name, model in
            switch model {
            case .walk(let walk): (name, .number(unit: walk.unit))
            case .fixed(.number(_, let unit)): (name, .number(unit: unit))
            case .fixed(.text): (name, .text(values: []))
            }
        }, complete: true)
    }

    public func observe(at now: Date) async -> ProbeObservation {
        running.withLock { state in
            advance(&state, at: now)
            let glitch = state.glitch.map { glitches[$0.index] }
            let metrics = models.map { name, model in
                let value = state.values[name]!
                guard case .walk(let walk) = model, let number = value.number else { return Metric(name: name, value: value) }
                return Metric(name: name, value: .number(walk.reported(number), unit: walk.unit))
            }
            let texts = Dictionary(uniqueKeysWithValues: metrics.map { ($0.name, $0.value.display(withUnit: false)) })
            let text = (glitch?.summary ?? summary)?.render(texts)
                ?? metrics.first.map { "\($0.name) \($0.value.display)" } ?? ""
            return ProbeObservation(status: glitch?.status ?? .ok, summary: text, metrics: metrics)
        }
    }

    private func advance(_ state: inout Running, at now: Date) {
        let clock = now.timeIntervalSince1970
        if let regular = glitches.firstIndex(where: { $0.period.map { clock.truncatingRemainder(dividingBy: $0.every) < $0.length } ?? false }) {
            state.glitch = (regular, 1)
        } else if var active = state.glitch, glitches[active.index].period == nil {
            active.remaining -= 1
            state.glitch = active.remaining > 0 ? active : nil
        } else {
            state.glitch = nil
            for (index, glitch) in glitches.enumerated() where glitch.period == nil && state.random.unit() < glitch.chance {
                state.glitch = (index, glitch.length)
                break
            }
        }
        let targets = state.glitch.map { glitches[$0.index].targets } ?? [:]
        for (name, model) in models {
            switch (model, targets[name]) {
            case (.walk(let walk), let target):
                let current = state.values[name]?.number ?? walk.start
                let noise = walk.step * (state.random.unit() * 2 - 1)
                let next: Double
                if let goal = target?.number {
                    next = current + 0.6 * (goal - current) + noise * 0.5
                } else {
                    next = min(max(current + noise + 0.15 * (walk.start - current), walk.range.lowerBound),
                               walk.range.upperBound)
                }
                state.values[name] = .number(next, unit: walk.unit)
            case (.fixed(let value), let target):
                state.values[name] = target ?? value
            }
        }
    }

    private static func model(_ node: ConfigNode) throws -> MetricModel {
        guard case .mapping = node.node else {
            let text = try node.string("a value or a walk such as {start: 10, min: 0, max: 20, step: 1}")
            if let number = Double(text) { return .fixed(.number(number, unit: "")) }
            return .fixed(.text(text))
        }
        let fields = try node.mapping(allowedKeys: ["start", "min", "max", "step", "unit", "decimals"])
        let start = try fields.required("start").double()
        let low = try fields["min"]?.double() ?? start
        let high = try fields["max"]?.double() ?? start
        guard low <= start, start <= high else {
            throw node.error("expected min ≤ start ≤ max, got min \(MetricValue.format(low)), start \(MetricValue.format(start)), max \(MetricValue.format(high))")
        }
        let step = try fields["step"]?.double() ?? (high - low) / 20
        return .walk(Walk(start: start, range: low...high, step: abs(step), unit: try fields["unit"]?.string() ?? "",
                         decimals: try fields["decimals"]?.integer("a number of decimal places", in: 0...6) ?? 0))
    }

    private static func glitch(_ node: ConfigNode, interval: Duration, metricNames: [String]) throws -> Glitch {
        let fields = try node.mapping("a glitch", allowedKeys: ["every", "for", "regular", "status", "summary", "set"])
        let every = try fields.required("every").duration()
        let length = try fields.required("for").duration()
        var status: ProbeStatus?
        if let statusNode = fields["status"] {
            let name = try statusNode.string("a status")
            guard let parsed = ProbeStatus(rawValue: name) else {
                throw statusNode.error("unknown status '\(name)' (expected ok, warning, critical or unknown)")
            }
            status = parsed
        }
        var targets: [String: MetricValue] = [:]
        for entry in try fields["set"]?.mapping("a mapping of metric names to values").entries ?? [] {
            guard metricNames.contains(entry.key) else {
                throw entry.keyNode.error("unknown metric '\(entry.key)' (this probe has: \(metricNames.joined(separator: ", ")))")
            }
            let text = try entry.value.string("a value")
            targets[entry.key] = Double(text).map { .number($0, unit: "") } ?? .text(text)
        }
        let regular = try fields["regular"]?.bool() ?? false
        return Glitch(
            chance: min(1, interval.seconds / every.seconds),
            period: regular ? (every.seconds, length.seconds) : nil,
            length: max(1, Int((length.seconds / interval.seconds).rounded(.up))),
            status: status,
            summary: try fields["summary"].map { try template($0) },
            targets: targets)
    }

    private static func template(_ node: ConfigNode) throws -> MetricTemplate {
        let text = try node.string("a summary template")
        do { return try MetricTemplate(text) } catch { throw node.error("invalid summary template: \(error)") }
    }
}

/// A small, fast, seedable random generator (SplitMix64), so a seeded simulation repeats exactly.
struct SplitMix64: Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}

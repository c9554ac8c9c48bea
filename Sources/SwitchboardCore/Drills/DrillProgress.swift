import Foundation

/// A drill as its log tells it: the scenario, T+0, how its clock runs (the facilitator's last
/// control, with where scenario time and real time stood then), and the injects played. Folded
/// from records, so a player's console and a review arrive at the same clock and the same injects.
public struct DrillProgress: Sendable, Equatable {
    public var scenario: String
    /// The scenario file as the facilitator's console found it, to rejoin the drill from.
    public var scenarioFile: String
    public var title: String
    /// T+0.
    public var epoch: Date
    public var facilitator: String
    /// How the scenario clock ran after the last control.
    public var setting: ScenarioClock.Setting
    public var fired: [FiredInject] = []
    public var ended = false
    /// The site's probes the scenario does not drive run steady (`--simulate-all`), not live.
    public var simulateAll: Bool

    /// The drill an `incident.opened` record starts; nil for a real incident.
    init?(opening record: LogRecord) {
        guard record.entry.drill else { return nil }
        scenario = record["scenario"]?.string ?? ""
        scenarioFile = record["scenario_file"]?.string ?? ""
        simulateAll = record["simulate_all"]?.bool ?? false
        title = record["scenario_title"]?.string ?? scenario
        epoch = record["epoch"]?.string.flatMap(TimeText.date(iso8601:)) ?? record.at
        facilitator = record.actor
        let wall = record["wall_at"]?.string.flatMap(TimeText.date(iso8601:)) ?? record.at
        setting = ScenarioClock.Setting(elapsed: record.at.timeIntervalSince(epoch), since: wall,
                                        speed: record["speed"]?.number ?? 1, paused: record["paused"]?.bool ?? false)
    }

    mutating func apply(_ record: LogRecord) {
        switch record.kind {
        case LogKind.drillControl:
            if let elapsed = record["elapsed_ms"]?.int, let wall = record["wall_at"]?.string.flatMap(TimeText.date(iso8601:)) {
                setting = ScenarioClock.Setting(elapsed: Double(elapsed) / 1000, since: wall,
                                                speed: record["speed"]?.number ?? setting.speed,
                                                paused: record["paused"]?.bool ?? setting.paused)
            }
            if record["action"]?.string == "end" { ended = true }
        case LogKind.drillInject:
            if let number = record["inject"]?.int, number > 0 {
                fired.append(FiredInject(number: number, at: record.at.timeIntervalSince(epoch)))
            }
        default:
            break
        }
    }

    /// Scenario seconds at `date` on the scenario clock.
    public func elapsed(at date: Date) -> TimeInterval { date.timeIntervalSince(epoch) }

    public func hasFired(_ number: Int) -> Bool { fired.contains { $0.number == number } }
}

extension LogEntry {
    /// What starts a drill: the `incident.opened` of a drill incident, naming its scenario and T+0.
    public static func drillOpened(_ scenario: DrillScenario, sha256: String, speed: Double, paused: Bool = false,
                                   simulateAll: Bool = false, actor: String, at: Date, wall: Date) -> LogEntry {
        LogEntry(kind: LogKind.opened, actor: actor, role: "facilitator", at: at, drill: true, fields: [
            "title": .string(Sanitizer.line("DRILL: \(scenario.title)")), "severity": .string(Severity.sev2.rawValue),
            "scenario": .string(scenario.id), "scenario_title": .string(Sanitizer.line(scenario.title)),
            "scenario_file": .string(scenario.file), "scenario_sha256": .string(sha256),
            "epoch": .string(TimeText.iso8601(at)), "speed": .double(speed), "paused": .bool(paused), "simulate_all": .bool(simulateAll), "wall_at": .string(TimeText.iso8601(wall)),
        ])
    }

    /// A facilitator's control of the scenario clock, with where it stood after: players' clocks follow it.
    public static func drillControl(_ action: String, setting: ScenarioClock.Setting, actor: String, at: Date) -> LogEntry {
        LogEntry(kind: LogKind.drillControl, actor: actor, role: "facilitator", at: at, drill: true, fields: [
            "action": .string(action), "speed": .double(setting.speed), "paused": .bool(setting.paused),
            "elapsed_ms": .int(Int((setting.elapsed * 1000).rounded())), "wall_at": .string(TimeText.iso8601(setting.since)),
        ])
    }

    /// An inject played: one of the scenario's (`byHand` when played ahead of its time), or
    /// words the facilitator wrote (`inject` nil) for a role.
    public static func drillInject(_ inject: DrillScenario.Inject?, from: String?, to: String?, message: String, byHand: Bool,
                                   actor: String, at: Date) -> LogEntry {
        var fields: [String: JSONValue] = ["inject": .int(inject?.number ?? 0), "message": .string(Sanitizer.line(message)),
                                           "by_hand": .bool(byHand)]
        if let from { fields["from"] = .string(Sanitizer.line(from)) }
        if let to { fields["to"] = .string(Sanitizer.line(to)) }
        if let probes = inject?.probes, !probes.isEmpty { fields["probes"] = .array(probes.sorted().map(JSONValue.string)) }
        return LogEntry(kind: LogKind.drillInject, actor: actor, role: "facilitator", at: at, drill: true, fields: fields)
    }

    /// An evaluator's note on an objective: a strength, an area for improvement, or an observation.
    public static func drillEvaluation(objective: String?, note: String, text: String, actor: String, at: Date) -> LogEntry {
        var fields: [String: JSONValue] = ["note": .string(note), "text": .string(Sanitizer.line(text))]
        if let objective { fields["objective"] = .string(objective) }
        return LogEntry(kind: LogKind.drillEvaluation, actor: actor, role: "evaluator", at: at, drill: true, fields: fields)
    }
}

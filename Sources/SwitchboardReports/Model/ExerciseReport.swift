import Foundation
import SwitchboardCore
import SwitchboardStore

/// What an after-action report says of a drill (HSEEP's AAR/IP): the scenario as played, each
/// objective with its expectations scored and a proposed rating, the evaluators' notes, the
/// injects against what the players did, and the rows of an improvement plan to fill at the hot
/// wash. Every time is scenario time (T+).
struct ExerciseReport {
    struct Expectation {
        var inject: Int
        var injectAt: TimeInterval?
        var action: String
        var within: TimeInterval
        /// `met`, `late`, `missed`, `wrong`, `open` or `unplayed`: how it ended, for styling.
        var outcome: String
        var result: String
    }

    struct Objective {
        var id: String
        var text: String
        /// P, S, M or U; nil when nothing was decided (its injects not played).
        var rating: String?
        var expectations: [Expectation]
        /// Late, missed and wrongly answered expectations: where to improve.
        var shortfalls: [String]
    }

    struct Evaluation {
        var at: TimeInterval
        var objective: String
        var note: String
        var text: String
        var by: String
    }

    /// A line of the inject-versus-action timeline: an inject or a facilitator's control, or a player's action.
    struct Row {
        var at: TimeInterval
        var inject: String
        var action: String
    }

    var scenarioID: String
    var title: String
    var audience: String?
    var description: String?
    var scenarioFile: String
    /// Whether the scenario file is the one played, by its SHA-256; a problem when it is not.
    var scenarioCheck: String
    var scenarioProblem: Bool
    var epoch: Date
    var plannedDuration: TimeInterval?
    var playedUntil: TimeInterval
    var facilitator: String
    var speeds: [Double]
    var pauses: Int
    var injectsPlanned: Int?
    var injectsPlayed: Int
    var injectsByHand: Int
    var freeInjects: Int
    var objectives: [Objective]
    var evaluations: [Evaluation]
    var timeline: [Row]
}

/// Gathers the after-action report from a drill's log as it is read, record by record. A drill
/// is people acting, so what it keeps (the injects, controls, actions and notes, not the
/// readings) stays small; the expectations are scored by the same fold as the facilitator's
/// objectives board.
struct ExerciseBuilder {
    /// The scenario a drill played, found by the id and file its log names.
    typealias ScenarioLookup = @Sendable (_ id: String, _ file: String) -> DrillScenario?

    private let lookup: ScenarioLookup
    private var opened: (id: String, title: String, file: String, digest: String, epoch: Date, facilitator: String, speed: Double)?
    private var scenario: DrillScenario?
    private var score: DrillScore?
    private var speeds: [Double] = []
    private var pauses = 0
    private var injects: (played: Int, byHand: Int, free: Int) = (0, 0, 0)
    private var evaluations: [ExerciseReport.Evaluation] = []
    private var timeline: [ExerciseReport.Row] = []
    /// Who did each action, by record number: the expectations name who met them.
    private var actors: [Int: String] = [:]
    private var lastAt: TimeInterval = 0
    /// The drill was closed: what was not done by then was not done.
    private var closed = false

    init(lookup: @escaping ScenarioLookup) {
        self.lookup = lookup
    }

    /// Records that are the site talking, not people: not in the inject-versus-action timeline.
    private static let machineKinds: Set<String> = [LogKind.probeChanged, LogKind.readingsSealed, LogKind.drillEvaluation]

    mutating func add(_ entry: TimelineEntry) throws {
        guard let opened else {
            try open(entry)
            return
        }
        let at = entry.at.timeIntervalSince(opened.epoch)
        lastAt = max(lastAt, at)
        score?.apply(kind: entry.kind, seq: entry.seq, at: at, fields: entry.fields)
        switch entry.kind {
        case LogKind.drillInject:
            let number = entry.fields["inject"]?.int ?? 0
            injects.played += number > 0 ? 1 : 0
            injects.byHand += number > 0 && entry.fields["by_hand"]?.bool == true ? 1 : 0
            injects.free += number == 0 ? 1 : 0
            timeline.append(.init(at: at, inject: entry.event.string, action: ""))
        case LogKind.drillControl:
            if entry.fields["paused"]?.bool == true, entry.fields["action"]?.string == "pause" { pauses += 1 }
            if let speed = entry.fields["speed"]?.number, !speeds.contains(speed) { speeds.append(speed) }
            timeline.append(.init(at: at, inject: entry.event.string, action: ""))
        case LogKind.closed:
            closed = true
            actors[entry.seq] = entry.actor.string
            timeline.append(.init(at: at, inject: "", action: "\(entry.actor.string): \(entry.event.string)"))
        case LogKind.drillEvaluation:
            let objective = entry.fields["objective"]?.string ?? ""
            evaluations.append(.init(at: at, objective: scenario?.objective(objective)?.text ?? objective,
                                     note: entry.fields["note"]?.string ?? "observation", text: entry.fields["text"]?.string ?? "",
                                     by: entry.actor.string))
        case let kind where Self.machineKinds.contains(kind):
            break
        default:
            actors[entry.seq] = entry.actor.string
            timeline.append(.init(at: at, inject: "", action: "\(entry.actor.string): \(entry.event.string)"))
        }
    }

    /// The drill's first record: its scenario and T+0. Any other log has no after-action report.
    private mutating func open(_ entry: TimelineEntry) throws {
        guard entry.kind == LogKind.opened, entry.drill else {
            throw StoreError("this incident is not a drill: the after-action report (aar) is for drills; "
                             + "use md, html, csv, json or ics214")
        }
        let fields = entry.fields
        let epoch = fields["epoch"]?.string.flatMap(TimeText.date(iso8601:)) ?? entry.at
        let speed = fields["speed"]?.number ?? 1
        opened = (fields["scenario"]?.string ?? "", fields["scenario_title"]?.string ?? entry.event.string, fields["scenario_file"]?.string ?? "",
                  fields["scenario_sha256"]?.string ?? "", epoch, entry.actor.string, speed)
        speeds = [speed]
        lastAt = entry.at.timeIntervalSince(epoch)
        if let found = lookup(fields["scenario"]?.string ?? "", fields["scenario_file"]?.string ?? "") {
            scenario = found
            score = DrillScore(found)
        }
    }

    func finish() -> ExerciseReport? {
        guard let opened else { return nil }
        let (check, problem) = scenarioCheck(opened.id, file: opened.file, digest: opened.digest)
        return ExerciseReport(
            scenarioID: opened.id, title: scenario?.title ?? opened.title, audience: scenario?.audience, description: scenario?.description,
            scenarioFile: scenario?.file ?? opened.file, scenarioCheck: check, scenarioProblem: problem, epoch: opened.epoch,
            plannedDuration: scenario?.duration, playedUntil: lastAt, facilitator: opened.facilitator, speeds: speeds, pauses: pauses,
            injectsPlanned: scenario?.injects.count, injectsPlayed: injects.played, injectsByHand: injects.byHand,
            freeInjects: injects.free, objectives: objectives(), evaluations: evaluations, timeline: timeline)
    }

    /// Whether the scenario scored is the file the drill played.
    private func scenarioCheck(_ id: String, file: String, digest: String) -> (String, Bool) {
        guard let scenario else {
            return ("scenario '\(id)' (\(file)) is not in the site's runbook folders now: the expectations cannot be scored", true)
        }
        guard case .success(let data) = RegularFile.read(scenario.file) else {
            return ("\(scenario.file) cannot be read to check it is the file played", true)
        }
        let now = DrillScenario.digest(of: data)
        if now == digest { return ("the file played (sha256 \(digest.prefix(16))…)", false) }
        return ("\(scenario.file) has changed since the drill (sha256 \(now.prefix(16))…, the drill played \(digest.prefix(16))…): "
                + "the expectations are scored as the file says now", true)
    }

    private func objectives() -> [ExerciseReport.Objective] {
        guard let scenario, let score else { return [] }
        var groups = scenario.objectives.map { (id: $0.id, text: $0.text) }
        if score.entries.contains(where: { $0.expectation.objective == nil }) { groups.append((id: "", text: "Expectations not tied to an objective")) }
        return groups.map { group in
            let entries = score.entries.filter { ($0.expectation.objective ?? "") == group.id }
            let expectations = entries.map(expectation)
            let shortfalls = expectations.filter { ["late", "missed", "wrong"].contains($0.outcome) }.map { "\($0.action): \($0.result)" }
            return .init(id: group.id, text: group.text, rating: group.id.isEmpty ? nil : score.rating(of: group.id, at: judgedAt),
                         expectations: expectations, shortfalls: shortfalls)
        }
    }

    /// When the expectations are judged: at the last record, or, once the drill was closed,
    /// for good (a window still open at the close was not met).
    private var judgedAt: TimeInterval { closed ? .infinity : lastAt }

    private func expectation(_ entry: DrillScore.Entry) -> ExerciseReport.Expectation {
        let by = entry.match.flatMap { actors[$0.seq] }.map { " by \($0)" } ?? ""
        let closes = entry.deadline.map(TimeText.scenario) ?? ""
        let (outcome, result): (String, String) = switch entry.status(at: judgedAt) {
        case .met(let at): ("met", "met at \(TimeText.scenario(at))\(by)")
        case .late(let at): ("late", "late: at \(TimeText.scenario(at))\(by), the window closed at \(closes)")
        case .missed where (entry.deadline ?? 0) > lastAt:
            ("missed", "not done: the drill was closed at \(TimeText.scenario(lastAt)), its window ran to \(closes)")
        case .missed: ("missed", "missed: the window closed at \(closes)")
        case .wrongAnswer(let answer, let at):
            ("wrong", "answered '\(answer)' at \(TimeText.scenario(at))\(by); expected '\(Self.expectedAnswer(entry.expectation) ?? "")'")
        case .pending: ("open", "still open when the drill ended (the window closes at \(closes))")
        case .notInjected: ("unplayed", "not played: inject #\(entry.inject) was not played")
        }
        return .init(inject: entry.inject, injectAt: entry.firedAt, action: entry.expectation.text, within: entry.expectation.within,
                     outcome: outcome, result: result)
    }

    private static func expectedAnswer(_ expectation: DrillScenario.Expectation) -> String? {
        if case .decision(_, _, let answer) = expectation.action { return answer }
        return nil
    }
}

import Foundation
import Mustache
import SwitchboardCore
import SwitchboardStore

/// `--format aar`: a drill's after-action report, in Markdown (or one printable HTML page when
/// the output is a `.html` file), with the improvement plan left for the hot wash to fill.
struct AfterActionReport: ReportFormatWriter {
    private var exercise: ExerciseBuilder
    private let asHTML: Bool

    init(asHTML: Bool, lookup: @escaping ExerciseBuilder.ScenarioLookup) {
        exercise = ExerciseBuilder(lookup: lookup)
        self.asHTML = asHTML
    }

    /// The report keeps what people did, gathered in order: no rows are made ahead per record.
    let spools = 0
    let rows: @Sendable (TimelineEntry, inout SliceRows) -> Void = { _, _ in }
    mutating func add(_ rows: SliceRows) throws {}

    var readsEntries: Bool { true }

    mutating func add(_ entry: TimelineEntry) throws {
        try exercise.add(entry)
    }

    func write(_ report: IncidentReport, to output: ReportOutput) throws {
        guard let drill = exercise.finish() else { throw StoreError("the log holds no record to report on") }
        // Markdown escapes its markup here; in HTML the template engine escapes every value.
        let escape: (String) -> String = if asHTML { { $0 } } else { Escape.markdownCell }
        let presenter = ReportPresenter(report: report, escape: escape)
        var context = presenter.context
        context.merge(ExercisePresenter(exercise: drill, escape: escape).context) { _, exercise in exercise }
        // A drill's people acted in scenario time.
        context["people"] = presenter.people { TimeText.scenario($0.timeIntervalSince(drill.epoch)) }
        if asHTML { context["style"] = HTMLTemplate.style + AfterActionTemplate.style }
        try output.write((asHTML ? Self.html : Self.markdown).render(context))
    }

    static let markdown = SpooledDocument.template(AfterActionTemplate.markdown)
    static let html = SpooledDocument.template(AfterActionTemplate.html)
}

/// The exercise as the after-action templates read it: every time already `T+…`, every list a
/// list of dictionaries.
struct ExercisePresenter {
    let exercise: ExerciseReport
    let escape: (String) -> String

    var context: [String: Any] {
        let drill = exercise
        let planned = drill.injectsPlanned.map { " of \($0)" } ?? ""
        var played = "\(drill.injectsPlayed)\(planned) injects played"
        if drill.injectsByHand > 0 { played += ", \(drill.injectsByHand) ahead of time by hand" }
        if drill.freeInjects > 0 { played += ", \(drill.freeInjects) written by the facilitator" }
        let objectives = drill.objectives.map(objective)
        return [
            "scenarioTitle": escape(drill.title),
            "scenarioID": escape(drill.scenarioID),
            "scenarioFile": escape(drill.scenarioFile),
            "scenarioCheck": escape(drill.scenarioCheck),
            "scenarioProblem": drill.scenarioProblem,
            "audience": escape(drill.audience ?? "not stated in the scenario"),
            "scenarioDescription": escape(drill.description ?? ""),
            "exerciseDate": ReportText.time(drill.epoch),
            "played": "until \(TimeText.scenario(drill.playedUntil))"
                + (drill.plannedDuration.map { " of \(TimeText.scenario($0)) planned" } ?? ""),
            "facilitator": escape(drill.facilitator),
            "pace": "×" + drill.speeds.map(MetricValue.format).joined(separator: ", ×")
                + (drill.pauses > 0 ? "; paused \(drill.pauses) time\(drill.pauses == 1 ? "" : "s")" : ""),
            "injectsPlayed": played,
            "objectives": objectives,
            "hasObjectives": !objectives.isEmpty,
            "strengths": evaluations("strength"),
            "improvements": evaluations("improvement"),
            "observations": evaluations("observation"),
            "hasObservations": drill.evaluations.contains { $0.note == "observation" },
            "exerciseTimeline": drill.timeline.map { row in
                ["at": TimeText.scenario(row.at), "inject": escape(row.inject), "action": escape(row.action)]
            },
            "plan": plan,
        ]
    }

    private func objective(_ objective: ExerciseReport.Objective) -> [String: Any] {
        [
            "text": escape(objective.text),
            "id": escape(objective.id),
            "rating": objective.rating ?? "—",
            "ratingText": objective.rating.map(DrillScore.ratingText) ?? "not rated: none of its expectations came due",
            "expectations": objective.expectations.map { expectation in
                ["inject": "#\(expectation.inject)" + (expectation.injectAt.map { " at \(TimeText.scenario($0))" } ?? ""),
                 "action": escape(expectation.action), "within": ReportText.duration(expectation.within),
                 "outcome": expectation.outcome, "result": escape(expectation.result)]
            },
        ]
    }

    private func evaluations(_ note: String) -> [[String: String]] {
        exercise.evaluations.filter { $0.note == note }.map { evaluation in
            ["at": TimeText.scenario(evaluation.at), "objective": escape(evaluation.objective.isEmpty ? "the exercise" : evaluation.objective),
             "text": escape(evaluation.text), "by": escape(evaluation.by)]
        }
    }

    /// The improvement plan's rows: each objective not performed without challenges, with what
    /// fell short, and each area for improvement an evaluator noted. Corrective action, owner and
    /// due date are for people to agree at the hot wash.
    private var plan: [[String: String]] {
        let objectives = exercise.objectives.filter { !$0.shortfalls.isEmpty }.map { objective in
            ["objective": escape(objective.text), "area": escape(objective.shortfalls.joined(separator: "; "))]
        }
        let notes = exercise.evaluations.filter { $0.note == "improvement" }.map { evaluation in
            ["objective": escape(evaluation.objective.isEmpty ? "the exercise" : evaluation.objective),
             "area": escape("\(evaluation.text) (\(evaluation.by), \(TimeText.scenario(evaluation.at)))")]
        }
        return objectives + notes
    }
}

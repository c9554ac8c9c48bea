import Foundation

/// A tabletop exercise as its facilitator wrote it: a Master Scenario Events List (HSEEP MSEL).
/// Objectives say what the exercise trains; injects, at scenario times, tell the players what
/// happens and drive the probes the scenario names (their readings set, or ramped over time);
/// expectations say what the players should do within a window after an inject, each tied to an
/// objective, so the facilitator sees them met, late or missed, and the after-action report
/// proposes a rating per objective.
public struct DrillScenario: Sendable, Equatable {
    public var id: String
    public var title: String
    public var audience: String?
    public var description: String?
    /// How long the exercise runs, in scenario time.
    public var duration: TimeInterval
    public var objectives: [Objective]
    /// The readings the scenario's probes start from, by probe id.
    public var start: [String: ScenarioReading]
    /// In the order of their `at`.
    public var injects: [Inject]
    public var file: String
    /// What `switchboard check` points out without refusing the scenario (a metric the site's
    /// probe does not report).
    public var warnings: [ConfigDiagnostic] = []

    public struct Objective: Sendable, Equatable {
        public var id: String
        public var text: String
    }

    public struct Inject: Sendable, Equatable {
        /// Its place in the list (1-based), which the log and the facilitator name it by.
        public var number: Int
        /// Scenario time from the start.
        public var at: TimeInterval
        public var from: String?
        public var to: String?
        public var message: String
        /// Readings it sets, by probe id: status, summary and metrics (merged over what was).
        public var set: [String: ScenarioReading]
        /// Metrics it moves over time, by probe id and metric: from their value when it fires.
        public var ramp: [String: [String: Ramp]]
        public var expect: [Expectation]
        public var location: SourceLocation?

        /// The probes it drives.
        public var probes: Set<String> { Set(set.keys).union(ramp.keys) }
    }

    public struct Ramp: Sendable, Equatable {
        public var to: Double
        public var over: TimeInterval
    }

    /// What the players should do after an inject, within `within` of it firing.
    public struct Expectation: Sendable, Equatable {
        public enum Action: Sendable, Equatable {
            case runbook(String)
            case step(runbook: String, step: String)
            /// A runbook question answered (with this answer, when one is expected).
            case decision(runbook: String, step: String, answer: String?)
            /// A message sent from this template.
            case comms(String)
            /// A note whose text holds these words.
            case note(String)
        }

        public var action: Action
        public var within: TimeInterval
        public var objective: String?
        public var location: SourceLocation?

        /// `start runbook utility-power-failure`: the action in words.
        public var text: String {
            switch action {
            case .runbook(let id): "start runbook \(id)"
            case .step(let runbook, let step): "mark \(runbook)/\(step) done"
            case .decision(let runbook, let step, let answer): "answer \(runbook)/\(step)" + (answer.map { " '\($0)'" } ?? "")
            case .comms(let template): "send a message from \(template)"
            case .note(let words): "note '\(words)'"
            }
        }
    }

    /// The probes the scenario drives: those it starts, sets or ramps.
    public var drivenProbes: Set<String> {
        injects.reduce(Set(start.keys)) { $0.union($1.probes) }
    }

    /// A scenario time or window as the scenario file writes it: `2m`, `1h30m`, `0s`.
    public static func timeText(_ time: TimeInterval) -> String {
        time == 0 ? "0s" : Duration.seconds(time).configText
    }

    public func inject(_ number: Int) -> Inject? {
        injects.first { $0.number == number }
    }

    public func objective(_ id: String) -> Objective? {
        objectives.first { $0.id == id }
    }
}

/// A probe's reading as a scenario writes it.
public struct ScenarioReading: Sendable, Equatable {
    public var status: ProbeStatus?
    public var summary: String?
    public var metrics: [(name: String, value: MetricValue)]

    public init(status: ProbeStatus? = nil, summary: String? = nil, metrics: [(name: String, value: MetricValue)] = []) {
        self.status = status
        self.summary = summary
        self.metrics = metrics
    }

    public static func == (lhs: ScenarioReading, rhs: ScenarioReading) -> Bool {
        lhs.status == rhs.status && lhs.summary == rhs.summary && lhs.metrics.map(\.name) == rhs.metrics.map(\.name)
            && lhs.metrics.map(\.value) == rhs.metrics.map(\.value)
    }
}

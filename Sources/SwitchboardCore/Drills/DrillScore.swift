import Foundation

/// How the players are doing against a scenario's expectations, record by record: each
/// expectation of each inject played is met (at a scenario time within its window), late (met
/// after it), missed (its window passed), answered otherwise (a decision with another answer),
/// or pending. The facilitator's objectives board and the after-action report read the same fold.
public struct DrillScore: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        /// Its inject has not been played.
        case notInjected
        case pending
        case met(at: TimeInterval)
        case late(at: TimeInterval)
        case missed
        /// The question was answered, but not as expected.
        case wrongAnswer(String, at: TimeInterval)
    }

    /// One expectation of one inject, as it stands.
    public struct Entry: Sendable, Equatable {
        public var inject: Int
        public var expectation: DrillScenario.Expectation
        /// When its inject fired, and the end of its window.
        public var firedAt: TimeInterval?
        public var deadline: TimeInterval?
        /// The first record that did what it expects, and when.
        public var match: (seq: Int, at: TimeInterval, answer: String?)?

        public static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.inject == rhs.inject && lhs.expectation == rhs.expectation && lhs.firedAt == rhs.firedAt && lhs.match?.seq == rhs.match?.seq
        }

        /// Where it stands at scenario time `now`.
        public func status(at now: TimeInterval) -> Status {
            guard firedAt != nil, let deadline else { return .notInjected }
            if let match {
                if case .decision(_, _, let answer?) = expectation.action, match.answer != answer {
                    return .wrongAnswer(match.answer ?? "", at: match.at)
                }
                return match.at <= deadline ? .met(at: match.at) : .late(at: match.at)
            }
            return now > deadline ? .missed : .pending
        }
    }

    public let scenario: DrillScenario
    public private(set) var entries: [Entry]

    public init(_ scenario: DrillScenario) {
        self.scenario = scenario
        entries = scenario.injects.flatMap { inject in inject.expect.map { Entry(inject: inject.number, expectation: $0) } }
    }

    /// Folds in the next record of the drill's log (`epoch` is its T+0).
    public mutating func apply(_ record: LogRecord, epoch: Date) {
        apply(kind: record.kind, seq: record.seq, at: record.at.timeIntervalSince(epoch), fields: record.entry.fields)
    }

    /// Folds in a record by its parts: its kind, number, scenario time and fields.
    public mutating func apply(kind: String, seq: Int, at: TimeInterval, fields: [String: JSONValue]) {
        if kind == LogKind.drillInject, let number = fields["inject"]?.int {
            for index in entries.indices where entries[index].inject == number && entries[index].firedAt == nil {
                entries[index].firedAt = at
                entries[index].deadline = at + entries[index].expectation.within
            }
            return
        }
        for index in entries.indices where entries[index].match == nil {
            guard let firedAt = entries[index].firedAt, at >= firedAt, Self.matches(entries[index].expectation.action, kind: kind, fields: fields)
            else { continue }
            entries[index].match = (seq, at, fields["answer"]?.string)
        }
    }

    static func matches(_ action: DrillScenario.Expectation.Action, kind: String, fields: [String: JSONValue]) -> Bool {
        switch action {
        case .runbook(let id):
            return kind == LogKind.runbookStarted && fields["runbook"]?.string == id
        case .step(let runbook, let step):
            return kind == LogKind.stepDone && fields["runbook"]?.string == runbook && fields["step"]?.string == step
        case .decision(let runbook, let step, _):
            return kind == LogKind.decision && fields["runbook"]?.string == runbook && fields["step"]?.string == step
        case .comms(let template):
            return kind == LogKind.commsSent && fields["template"]?.string == template
        case .note(let words):
            return kind == LogKind.note && (fields["text"]?.string ?? "").localizedCaseInsensitiveContains(words)
        }
    }

    /// A rating for each objective, as HSEEP proposes them: P performed without challenges (every
    /// expectation met), S with some (some late, none missed), M with major challenges (some
    /// missed, most done), U unable to be performed (most missed). Nil while nothing is decided.
    public func rating(of objective: String, at now: TimeInterval) -> String? {
        let statuses = entries.filter { $0.expectation.objective == objective }.map { $0.status(at: now) }
        let decided = statuses.filter { if case .pending = $0 { false } else if case .notInjected = $0 { false } else { true } }
        guard !decided.isEmpty else { return nil }
        let met = decided.filter { if case .met = $0 { true } else { false } }.count
        let missed = decided.count - met - decided.filter { if case .late = $0 { true } else { false } }.count
        if met == decided.count { return "P" }
        if missed == 0 { return "S" }
        return missed * 2 <= decided.count ? "M" : "U"
    }

    /// The words for a rating.
    public static func ratingText(_ rating: String) -> String {
        switch rating {
        case "P": "performed without challenges"
        case "S": "performed with some challenges"
        case "M": "performed with major challenges"
        default: "unable to be performed"
        }
    }
}

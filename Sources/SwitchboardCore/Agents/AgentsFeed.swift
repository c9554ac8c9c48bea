import Foundation

/// Reads the queue statistics an ACD or WFM platform exports (or a small script turns its API
/// into) for the agents pane: one JSON document or one CSV file per reading, every queue in it.
///
/// Both formats use the same snake_case field names. A feed that is malformed, cut off or
/// inconsistent is refused whole, with one line saying what is wrong and where: half a feed
/// would show a commander numbers that are not there.
public enum AgentsFeed {
    /// Every queue in one JSON document:
    /// `{"interval_seconds": 900, "threshold_seconds": 20, "queues": [{"queue": "sales", …, "agents": {…}}]}`.
    /// `interval_seconds` and `threshold_seconds` at the top are defaults a queue may override.
    public static func parseJSON(_ data: Data) throws(AgentsFeedError) -> [QueueSnapshot] {
        try snapshots(from: JSONQueueRecord.records(in: data))
    }

    /// Every queue in one CSV file: a header row of field names (the agent counts flattened to
    /// `logged_in`, `available`, `on_call`, `wrap_up`, `away`), then one row per queue. Columns
    /// may come in any order; `#` comment lines and blank lines are skipped; fields may be quoted
    /// as RFC 4180 has it.
    public static func parseCSV(_ text: String) throws(AgentsFeedError) -> [QueueSnapshot] {
        try snapshots(from: CSVQueueRecord.records(in: text))
    }

    /// The snapshots of `records` in order, refusing a queue id used twice and a feed without queues.
    private static func snapshots(from records: [some QueueRecord]) throws(AgentsFeedError) -> [QueueSnapshot] {
        var firstPlace: [String: String] = [:]
        var snapshots: [QueueSnapshot] = []
        for record in records {
            let snapshot = try record.snapshot()
            if let first = firstPlace[snapshot.queue] {
                throw record.problem(.queue, "duplicate queue id \(quoted(snapshot.queue)) (first at \(first))")
            }
            firstPlace[snapshot.queue] = record.place
            snapshots.append(snapshot)
        }
        guard !snapshots.isEmpty else { throw AgentsFeedError("no queues") }
        return snapshots
    }

    /// A number as the user wrote it: `12`, `12.5`, `-3`.
    static func show(_ value: Double) -> String {
        Int(exactly: value).map(String.init) ?? "\(value)"
    }

    /// A text value from the feed in double quotes, shortened past 40 characters and cleaned for
    /// one line on a terminal.
    static func quoted(_ text: String) -> String {
        "\"\(Sanitizer.line(text.count > 40 ? text.prefix(40) + "…" : text))\""
    }
}

/// Why a feed was refused: one line a user reads, saying where (`line 4: column "offered"`,
/// `queues[1].agents.available`) and what is wrong.
public struct AgentsFeedError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The feed's fields, spelled as both formats name them.
enum FeedField: String, CaseIterable {
    case queue, name
    case intervalSeconds = "interval_seconds", thresholdSeconds = "threshold_seconds"
    case offered, answered, answeredWithin = "answered_within", abandoned, shortAbandoned = "short_abandoned"
    case waiting, longestWaitSeconds = "longest_wait_seconds"
    case handleSeconds = "handle_seconds", talkSeconds = "talk_seconds", wrapSeconds = "wrap_seconds"
    case answerWaitSeconds = "answer_wait_seconds"
    case loggedIn = "logged_in", available, onCall = "on_call", wrapUp = "wrap_up", away

    /// The agent counts, which JSON keeps in an `agents` object.
    var isAgentCount: Bool { [.loggedIn, .available, .onCall, .wrapUp, .away].contains(self) }

    /// Every queue must have it (`interval_seconds` may come from the JSON top level).
    var isRequired: Bool {
        ![.name, .thresholdSeconds, .shortAbandoned, .talkSeconds, .wrapSeconds, .answerWaitSeconds].contains(self)
    }

    var isText: Bool { self == .queue || self == .name }

    var isCount: Bool {
        isAgentCount || [.offered, .answered, .answeredWithin, .abandoned, .shortAbandoned, .waiting].contains(self)
    }

    /// What a value of this field is, for "expected …, got …".
    var expectation: String {
        isText ? "a string" : isCount ? "a whole number" : "a number of seconds"
    }

    /// What is wrong with a number given for this field, if anything.
    func problem(with value: Double) -> String? {
        if value < 0 { return "must not be negative, got \(AgentsFeed.show(value))" }
        if self == .intervalSeconds, value == 0 { return "must be more than 0, got 0" }
        if isCount, Int(exactly: value) == nil { return "expected a whole number, got \(AgentsFeed.show(value))" }
        return nil
    }
}

/// One queue's fields as a format holds them. The format finds the values and says where they
/// are; what they must be is decided once, in `snapshot()`.
protocol QueueRecord {
    /// Where the queue is, for "first at …": `queues[0]`, `line 3`.
    var place: String { get }
    /// The field's text; nil when absent.
    func string(_ field: FeedField) throws(AgentsFeedError) -> String?
    /// The field's number; nil when absent or empty.
    func number(_ field: FeedField) throws(AgentsFeedError) -> Double?
    /// The error for a required field that has no value.
    func missing(_ field: FeedField) -> AgentsFeedError
    /// An error located at `field`, or at the whole queue when nil.
    func problem(_ field: FeedField?, _ message: String) -> AgentsFeedError
}

extension QueueRecord {
    func snapshot() throws(AgentsFeedError) -> QueueSnapshot {
        guard let id = try string(.queue) else { throw missing(.queue) }
        let queue = id.trimmingCharacters(in: .whitespaces)
        guard !queue.isEmpty else { throw problem(.queue, "must not be empty") }
        let snapshot = QueueSnapshot(
            queue: queue,
            name: try string(.name).flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 },
            intervalSeconds: try required(checked(.intervalSeconds), .intervalSeconds),
            thresholdSeconds: try checked(.thresholdSeconds),
            offered: try required(count(.offered), .offered),
            answered: try required(count(.answered), .answered),
            answeredWithinThreshold: try required(count(.answeredWithin), .answeredWithin),
            abandoned: try required(count(.abandoned), .abandoned),
            shortAbandoned: try count(.shortAbandoned) ?? 0,
            waiting: try required(count(.waiting), .waiting),
            longestWaitSeconds: try required(checked(.longestWaitSeconds), .longestWaitSeconds),
            averageHandleSeconds: try required(checked(.handleSeconds), .handleSeconds),
            averageTalkSeconds: try checked(.talkSeconds),
            averageWrapSeconds: try checked(.wrapSeconds),
            totalAnswerWaitSeconds: try checked(.answerWaitSeconds),
            loggedIn: try required(count(.loggedIn), .loggedIn),
            available: try required(count(.available), .available),
            onCall: try required(count(.onCall), .onCall),
            wrapUp: try required(count(.wrapUp), .wrapUp),
            away: try required(count(.away), .away))
        if let inconsistency = snapshot.inconsistency { throw problem(nil, inconsistency) }
        return snapshot
    }

    /// The field's number once `FeedField.problem(with:)` has nothing against it.
    private func checked(_ field: FeedField) throws(AgentsFeedError) -> Double? {
        guard let value = try number(field) else { return nil }
        if let problem = field.problem(with: value) { throw self.problem(field, problem) }
        return value
    }

    private func count(_ field: FeedField) throws(AgentsFeedError) -> Int? {
        try checked(field).map { Int(exactly: $0)! }  // checked: a count is whole
    }

    private func required<Value>(_ value: Value?, _ field: FeedField) throws(AgentsFeedError) -> Value {
        guard let value else { throw missing(field) }
        return value
    }
}

extension QueueSnapshot {
    /// Counters that cannot all be true at once, said with the feed's field names.
    var inconsistency: String? {
        if answeredWithinThreshold > answered {
            return "answered_within (\(answeredWithinThreshold)) is more than answered (\(answered))"
        }
        if answered + abandoned > offered {
            return "answered (\(answered)) + abandoned (\(abandoned)) is more than offered (\(offered))"
        }
        if shortAbandoned > abandoned {
            return "short_abandoned (\(shortAbandoned)) is more than abandoned (\(abandoned))"
        }
        let states = available + onCall + wrapUp + away
        if states > loggedIn {
            return "available + on_call + wrap_up + away (\(states)) is more than logged_in (\(loggedIn))"
        }
        return nil
    }
}

/// One queue's statistics over a reporting interval, as an ACD or WFM platform exports them: the
/// counters the agents pane shows, and what the service-level and Erlang C math starts from.
///
/// Call counters cover the interval (`intervalSeconds` long); `waiting`, `longestWaitSeconds` and
/// the agent counts are the situation now.
public struct QueueSnapshot: Sendable, Equatable {
    /// The queue's id (a skill, split or queue name on the platform).
    public var queue: String
    /// The name a person reads, when the platform has one.
    public var name: String?
    /// How long the call counters cover: needed for the arrival rate.
    public var intervalSeconds: Double
    /// The service-level threshold the platform counted "answered within" against, if it said.
    public var thresholdSeconds: Double?

    public var offered: Int
    public var answered: Int
    public var answeredWithinThreshold: Int
    public var abandoned: Int
    /// Abandons within the platform's short-abandon time (hang-ups before anyone could answer).
    public var shortAbandoned: Int
    /// Calls in queue now.
    public var waiting: Int
    /// How long the oldest call in queue has waited, now.
    public var longestWaitSeconds: Double
    /// Average handle time: talk + hold + wrap-up.
    public var averageHandleSeconds: Double
    public var averageTalkSeconds: Double?
    public var averageWrapSeconds: Double?
    /// The sum of the queue time of the answered calls, for the average speed of answer.
    public var totalAnswerWaitSeconds: Double?

    public var loggedIn: Int
    public var available: Int
    public var onCall: Int
    public var wrapUp: Int
    public var away: Int

    public init(
        queue: String, name: String? = nil, intervalSeconds: Double, thresholdSeconds: Double? = nil,
        offered: Int, answered: Int, answeredWithinThreshold: Int, abandoned: Int, shortAbandoned: Int = 0,
        waiting: Int, longestWaitSeconds: Double, averageHandleSeconds: Double,
        averageTalkSeconds: Double? = nil, averageWrapSeconds: Double? = nil, totalAnswerWaitSeconds: Double? = nil,
        loggedIn: Int, available: Int, onCall: Int, wrapUp: Int, away: Int
    ) {
        self.queue = queue
        self.name = name
        self.intervalSeconds = intervalSeconds
        self.thresholdSeconds = thresholdSeconds
        self.offered = offered
        self.answered = answered
        self.answeredWithinThreshold = answeredWithinThreshold
        self.abandoned = abandoned
        self.shortAbandoned = shortAbandoned
        self.waiting = waiting
        self.longestWaitSeconds = longestWaitSeconds
        self.averageHandleSeconds = averageHandleSeconds
        self.averageTalkSeconds = averageTalkSeconds
        self.averageWrapSeconds = averageWrapSeconds
        self.totalAnswerWaitSeconds = totalAnswerWaitSeconds
        self.loggedIn = loggedIn
        self.available = available
        self.onCall = onCall
        self.wrapUp = wrapUp
        self.away = away
    }
}

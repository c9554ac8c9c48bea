import Foundation
import Testing
@testable import SwitchboardCore

/// A drill's log as the console writes it: records sealed into the hash chain, at scenario times
/// from T+0.
private struct DrillLog {
    static let epoch = Date(timeIntervalSince1970: 1_795_000_000)
    static let powerFailure = "utility-power-failure"

    let scenario: DrillScenario
    let runbook: Runbook
    var records: [LogRecord] = []
    /// The lines as written to the log file.
    var lines: [[UInt8]] = []
    private var prev = HashChain.genesis

    init(_ scenario: DrillScenario) throws {
        self.scenario = scenario
        runbook = try #require(try DrillScenarioLoaderTests.context().runbooks.runbook(Self.powerFailure))
    }

    static func at(_ seconds: TimeInterval) -> Date { epoch.addingTimeInterval(seconds) }

    mutating func add(_ entry: LogEntry) {
        let (line, record) = HashChain.seal(entry, incident: "drill-1", seq: records.count + 1, prev: prev)
        prev = record.hash
        records.append(record)
        lines.append(line)
    }

    /// Inject `number` played at `seconds` (nil: the facilitator's own words).
    mutating func inject(_ number: Int?, at seconds: TimeInterval, byHand: Bool = false) {
        add(.drillInject(number.flatMap { scenario.inject($0) }, from: nil, to: nil, message: "inject", byHand: byHand, actor: "fac", at: Self.at(seconds)))
    }

    mutating func started(_ runbookID: String = powerFailure, at seconds: TimeInterval) {
        var started = runbook
        started.id = runbookID
        add(.runbookStarted(started, trigger: nil, actor: "ana", role: "commander", at: Self.at(seconds)))
    }

    mutating func done(_ step: String, at seconds: TimeInterval) throws {
        let step = try #require(runbook.step(step))
        add(.step(LogKind.stepDone, runbook: runbook.id, step: step, next: nil, actor: "ana", role: nil, at: Self.at(seconds)))
    }

    mutating func answered(_ step: String, _ answer: String, at seconds: TimeInterval) throws {
        let step = try #require(runbook.step(step))
        add(.step(LogKind.decision, runbook: runbook.id, step: step, next: nil, extra: ["answer": .string(answer)],
                  actor: "ana", role: nil, at: Self.at(seconds)))
    }

    mutating func sent(_ template: String, at seconds: TimeInterval) {
        add(.commsSent(template: CommsTemplate(id: template, channel: "email", body: "Hello"), subject: nil, text: "Hello",
                       notifyStep: nil, actor: "ana", role: nil, at: Self.at(seconds)))
    }

    mutating func note(_ text: String, at seconds: TimeInterval) {
        add(.remark(.note, text: text, actor: "ana", role: nil, at: Self.at(seconds)))
    }

    var score: DrillScore {
        var score = DrillScore(scenario)
        for record in records { score.apply(record, epoch: Self.epoch) }
        return score
    }
}

@Suite("Drill score: expectations met, late, missed or pending, and a rating per objective")
struct DrillScoreTests {
    static let yaml = """
        id: power-drill
        title: Power drill
        duration: 1h
        objectives:
          - {id: power-response, text: Respond}
          - {id: clients-informed, text: Tell clients}
          - {id: decide, text: Decide}
        injects:
          - at: 2m
            message: The lights go out.
            expect:
              - {runbook: utility-power-failure, within: 2m, objective: power-response}
              - {comms: client-degraded, within: 5m, objective: clients-informed}
          - at: 5m
            message: Generator start failure, alarm 23.
            expect:
              - {step: utility-power-failure/manual-start, within: 5m, objective: power-response}
              - {note: alarm 23, within: 5m, objective: power-response}
          - at: 12m
            message: Power back in 3 hours.
            expect:
              - {decision: utility-power-failure/power-back, answer: "no", within: 10m, objective: decide}
          - at: 20m
            message: Any answer will do.
            expect:
              - {decision: utility-power-failure/power-back, within: 5m}
        """

    fileprivate static func log() throws -> DrillLog {
        try DrillLog(try DrillScenarioLoaderTests.load(yaml))
    }

    /// Status of each entry, in the scenario's order: runbook, comms, step, note, decision, any decision.
    static func statuses(_ score: DrillScore, at now: TimeInterval) -> [DrillScore.Status] {
        score.entries.map { $0.status(at: now) }
    }

    @Test("before its inject is played an expectation is not injected, whatever the time")
    func notInjected() throws {
        var log = try Self.log()
        #expect(log.score.entries.map(\.inject) == [1, 1, 2, 2, 3, 4])
        #expect(Self.statuses(log.score, at: 0) == Array(repeating: .notInjected, count: 6))
        // Long past their `at` and window, but the facilitator has not played them.
        log.started(at: 100)
        #expect(Self.statuses(log.score, at: 3000) == Array(repeating: .notInjected, count: 6))
        #expect(log.score.rating(of: "power-response", at: 3000) == nil)
    }

    @Test("after its inject an expectation is pending until its window closes, then missed")
    func pendingThenMissed() throws {
        var log = try Self.log()
        log.inject(1, at: 120)
        let entry = log.score.entries[0]
        #expect(entry.firedAt == 120 && entry.deadline == 240 && entry.match == nil)
        #expect(entry.status(at: 120) == .pending)
        #expect(entry.status(at: 240) == .pending)
        #expect(entry.status(at: 240.001) == .missed)
        #expect(log.score.entries[1].status(at: 420) == .pending && log.score.entries[1].status(at: 421) == .missed)
        #expect(log.score.entries[2].status(at: 1000) == .notInjected)
    }

    @Test("met within the window, with the scenario time it was done; up to the last instant of the window")
    func met() throws {
        var log = try Self.log()
        log.inject(1, at: 120)
        log.started(at: 200)
        log.sent("client-degraded", at: 420)
        let score = log.score
        #expect(score.entries[0].status(at: 3000) == .met(at: 200))
        #expect(score.entries[0].match?.seq == 2)
        #expect(score.entries[1].status(at: 3000) == .met(at: 420))
    }

    @Test("done after the window is late, with its time; what was missed turns late once done")
    func late() throws {
        var log = try Self.log()
        log.inject(1, at: 120)
        log.sent("client-degraded", at: 200)
        #expect(log.score.entries[0].status(at: 300) == .missed)
        log.started(at: 500)
        #expect(log.score.entries[0].status(at: 3000) == .late(at: 500))
        #expect(log.score.entries[1].status(at: 3000) == .met(at: 200))
    }

    @Test("something done before its inject fired does not meet it")
    func doneBeforeInject() throws {
        var log = try Self.log()
        log.started(at: 60)
        log.inject(1, at: 120)
        #expect(log.score.entries[0].status(at: 200) == .pending)
        #expect(log.score.entries[0].status(at: 241) == .missed)
    }

    @Test("each kind of expectation is met only by its own kind of record, naming the same runbook, step or template")
    func matching() throws {
        var log = try Self.log()
        log.inject(1, at: 0)
        log.inject(2, at: 0)
        log.inject(3, at: 0)
        // Near misses: another runbook, step, template or question; words in another kind of record.
        log.started("generator-fails-to-start", at: 10)
        log.note("start runbook utility-power-failure", at: 10)
        log.sent("client-update", at: 10)
        try log.done("confirm-ups", at: 10)
        try log.answered("manual-start", "no", at: 10)
        log.note("alarm 32 on the panel", at: 10)
        #expect(Self.statuses(log.score, at: 20).prefix(5) == [.pending, .pending, .pending, .pending, .pending])

        log.started(at: 20)
        log.sent("client-degraded", at: 21)
        try log.done("manual-start", at: 22)
        log.note("Controller shows ALARM 23, low cranking voltage", at: 23)
        try log.answered("power-back", "no", at: 24)
        #expect(Self.statuses(log.score, at: 30).prefix(5) == [.met(at: 20), .met(at: 21), .met(at: 22), .met(at: 23), .met(at: 24)])
    }

    @Test("a decision answered otherwise is a wrong answer, with the answer and its time; one expecting no answer takes any")
    func wrongAnswer() throws {
        var log = try Self.log()
        log.inject(3, at: 720)
        log.inject(4, at: 1200)
        try log.answered("power-back", "yes", at: 800)
        try log.answered("power-back", "yes", at: 1250)
        let score = log.score
        #expect(score.entries[4].status(at: 3000) == .wrongAnswer("yes", at: 800))
        #expect(score.entries[5].status(at: 3000) == .met(at: 1250))
        #expect(score.rating(of: "decide", at: 3000) == "U")

        var right = try Self.log()
        right.inject(3, at: 720)
        try right.answered("power-back", "no", at: 1400)
        #expect(right.score.entries[4].status(at: 3000) == .late(at: 1400))
    }

    @Test("an inject played ahead by hand opens its window when it is played; playing it again does not move it")
    func byHand() throws {
        var log = try Self.log()
        log.inject(2, at: 150, byHand: true)
        log.inject(2, at: 300)
        log.inject(nil, at: 160)
        let entry = log.score.entries[2]
        #expect(entry.firedAt == 150 && entry.deadline == 450)
        #expect(entry.status(at: 451) == .missed)
        #expect(log.score.entries[0].status(at: 3000) == .notInjected)
        try log.done("manual-start", at: 460)
        #expect(log.score.entries[2].status(at: 3000) == .late(at: 460))
    }

    @Test("a log read back from its lines scores as the records written did")
    func fromLines() throws {
        var log = try Self.log()
        log.inject(1, at: 120)
        log.started(at: 150)
        log.inject(3, at: 720)
        try log.answered("power-back", "yes", at: 800)
        log.sent("client-degraded", at: 900)
        var read = DrillScore(log.scenario)
        for line in log.lines {
            guard case .success(let record) = HashChain.open(line) else {
                Issue.record("a sealed line does not open")
                return
            }
            read.apply(record, epoch: DrillLog.epoch)
        }
        #expect(read == log.score)
        #expect(Self.statuses(read, at: 3000) == [.met(at: 150), .late(at: 900), .notInjected, .notInjected, .wrongAnswer("yes", at: 800), .notInjected])
    }

    @Test("a whole drill scored as the facilitator's board and the after-action report show it")
    func wholeDrill() throws {
        var log = try Self.log()
        log.inject(1, at: 120)
        log.started(at: 150)              // met
        log.inject(2, at: 300)
        log.note("alarm 23 seen", at: 330) // met
        log.sent("client-degraded", at: 480) // late (deadline 420)
        try log.done("manual-start", at: 700) // late (deadline 600)
        log.inject(3, at: 720)
        let score = log.score
        #expect(Self.statuses(score, at: 1000) == [.met(at: 150), .late(at: 480), .late(at: 700), .met(at: 330), .pending, .notInjected])
        #expect(score.rating(of: "power-response", at: 1000) == "S")
        #expect(score.rating(of: "clients-informed", at: 1000) == "S")
        #expect(score.rating(of: "decide", at: 1000) == nil)
        #expect(score.rating(of: "decide", at: 1321) == "U")
        #expect(score.rating(of: "no-such-objective", at: 1000) == nil)
    }

    // MARK: - Ratings

    static let ratingYAML = """
        id: rating
        title: Rating
        duration: 1h
        objectives:
          - {id: o, text: One objective}
        injects:
          - at: 0s
            message: Go.
            expect:
              - {runbook: utility-power-failure, within: 5m, objective: o}
              - {step: utility-power-failure/confirm-ups, within: 5m, objective: o}
              - {comms: client-degraded, within: 5m, objective: o}
              - {note: generator, within: 5m, objective: o}
        """

    /// The objective's rating at `now` when each of its four expectations is done at these times (nil: never).
    static func rating(doneAt times: [TimeInterval?], now: TimeInterval) throws -> String? {
        var log = try DrillLog(try DrillScenarioLoaderTests.load(ratingYAML))
        log.inject(1, at: 0)
        if let at = times[0] { log.started(at: at) }
        if let at = times[1] { try log.done("confirm-ups", at: at) }
        if let at = times[2] { log.sent("client-degraded", at: at) }
        if let at = times[3] { log.note("The generator is running", at: at) }
        return log.score.rating(of: "o", at: now)
    }

    @Test("a rating per objective: P all met, S some late none missed, M some missed (at most half), U most missed",
          arguments: [
              ([100, 200, 250, 300], "P"),
              ([100, 200, 250, 400], "S"),
              ([400, 500, 600, 700], "S"),
              ([100, 200, 400, nil], "M"),
              ([100, 200, nil, nil], "M"),
              ([100, nil, nil, nil], "U"),
              ([nil, nil, nil, nil], "U"),
              ([400, nil, nil, nil], "U"),
          ] as [([TimeInterval?], String)])
    func ratings(times: [TimeInterval?], expected: String) throws {
        #expect(try Self.rating(doneAt: times, now: 1000) == expected)
    }

    @Test("a rating counts only what is decided: nothing while all is pending, and pending expectations do not lower it")
    func ratingWhilePending() throws {
        #expect(try Self.rating(doneAt: [nil, nil, nil, nil], now: 100) == nil)
        #expect(try Self.rating(doneAt: [50, nil, nil, nil], now: 100) == "P")
        #expect(try Self.rating(doneAt: [50, nil, nil, nil], now: 300) == "P")
        #expect(try Self.rating(doneAt: [50, nil, nil, nil], now: 301) == "U")
    }

    @Test("the words for each rating")
    func ratingText() {
        #expect(["P", "S", "M", "U"].map(DrillScore.ratingText) == [
            "performed without challenges", "performed with some challenges", "performed with major challenges", "unable to be performed"])
    }
}

// MARK: - What the driven probes read

@Suite("Scenario timeline: readings set and ramped over scenario time")
struct ScenarioTimelineTests {
    static let yaml = """
        id: timeline
        title: Timeline
        duration: 1h
        start:
          ups-main: {status: ok, summary: on line, metrics: {ups.status: OL, battery.charge: 100, battery.runtime: 40}}
        injects:
          - at: 2m
            message: Power lost.
            set: {ups-main: {status: warning, summary: on battery, metrics: {ups.status: OB}}}
            ramp: {ups-main: {battery.charge: {to: 20, over: 20m}}}
          - at: 5m
            message: Generator start failure.
            set: {generator: {status: critical, summary: start failed, metrics: {state: failed}}}
          - at: 30m
            message: Power is back.
            set: {ups-main: {status: ok, summary: recharging, metrics: {ups.status: OL CHRG}}}
            ramp: {ups-main: {battery.charge: {to: 100, over: 10m}}}
          - at: 40m
            message: Battery replaced.
            set: {ups-main: {metrics: {battery.charge: 55}}}
        """

    static func timeline() throws -> ScenarioTimeline {
        ScenarioTimeline(try DrillScenarioLoaderTests.load(yaml))
    }

    static func charge(_ value: Double) -> MetricValue { .number(value, unit: "%") }

    static func charge(_ timeline: ScenarioTimeline, at time: TimeInterval, fired: [FiredInject]) -> MetricValue? {
        timeline.observation(of: "ups-main", at: time, fired: fired)?.metric("battery.charge")
    }

    static let asScheduled = [FiredInject(number: 1, at: 120), FiredInject(number: 2, at: 300), FiredInject(number: 3, at: 1800),
                              FiredInject(number: 4, at: 2400)]

    @Test("before any inject the probes read their start; a probe the scenario does not drive reads nothing")
    func start() throws {
        let timeline = try Self.timeline()
        let start = try #require(timeline.observation(of: "ups-main", at: 0, fired: []))
        #expect(start.status == .ok && start.summary == "on line")
        #expect(start.metrics == [Metric(name: "ups.status", value: .text("OL")), Metric(name: "battery.charge", value: Self.charge(100)),
                                  Metric(name: "battery.runtime", value: .number(40, unit: "min"))])
        // Driven, with no start: ok, with nothing to say yet.
        #expect(timeline.observation(of: "generator", at: 0, fired: []) == ProbeObservation(status: .ok, summary: ""))
        #expect(timeline.observation(of: "isp-a", at: 0, fired: Self.asScheduled) == nil)
    }

    @Test("a set applies from the time its inject fired, merged over what was, and only once it has fired")
    func set() throws {
        let timeline = try Self.timeline()
        let fired = [FiredInject(number: 1, at: 120), FiredInject(number: 2, at: 300)]
        #expect(timeline.observation(of: "ups-main", at: 119.999, fired: fired)?.status == .ok)
        let after = try #require(timeline.observation(of: "ups-main", at: 120, fired: fired))
        #expect(after.status == .warning && after.summary == "on battery")
        #expect(after.metrics == [Metric(name: "ups.status", value: .text("OB")), Metric(name: "battery.charge", value: Self.charge(100)),
                                  Metric(name: "battery.runtime", value: .number(40, unit: "min"))])
        #expect(timeline.observation(of: "generator", at: 299, fired: fired) == ProbeObservation(status: .ok, summary: ""))
        #expect(timeline.observation(of: "generator", at: 300, fired: fired)
                == ProbeObservation(status: .critical, summary: "start failed", metrics: [Metric(name: "state", value: .text("failed"))]))
        // Past its `at`, but not played: the start still stands.
        #expect(timeline.observation(of: "generator", at: 3000, fired: [FiredInject(number: 1, at: 120)])?.status == .ok)
        // Fired later than the time asked about: not yet applied.
        #expect(timeline.observation(of: "ups-main", at: 1000, fired: [FiredInject(number: 1, at: 1200)])?.status == .ok)
    }

    @Test("a ramp moves a metric linearly from its value when the inject fired: start, a quarter, halfway, end, after the end",
          arguments: [(120.0, 100.0), (420, 80), (720, 60), (1020, 40), (1320, 20), (1700, 20)])
    func ramp(time: TimeInterval, expected: Double) throws {
        #expect(Self.charge(try Self.timeline(), at: time, fired: Self.asScheduled) == Self.charge(expected))
    }

    @Test("a later ramp starts from where the metric stands; a set stops a running ramp")
    func rampFromCurrentValue() throws {
        let timeline = try Self.timeline()
        // As scheduled: back up from 20 to 100 over 10 minutes from 30m; then set to 55 at 40m.
        #expect(Self.charge(timeline, at: 1800, fired: Self.asScheduled) == Self.charge(20))
        #expect(Self.charge(timeline, at: 2100, fired: Self.asScheduled) == Self.charge(60))
        #expect(Self.charge(timeline, at: 2399, fired: Self.asScheduled) != Self.charge(100))
        #expect(Self.charge(timeline, at: 2400, fired: Self.asScheduled) == Self.charge(55))
        #expect(Self.charge(timeline, at: 3000, fired: Self.asScheduled) == Self.charge(55))
        #expect(timeline.observation(of: "ups-main", at: 2100, fired: Self.asScheduled)?.summary == "recharging")

        // Power back played by hand at 12m, while the first ramp stands at 60: from 60 to 100 over 10 minutes.
        let early = [FiredInject(number: 1, at: 120), FiredInject(number: 3, at: 720)]
        #expect(Self.charge(timeline, at: 720, fired: early) == Self.charge(60))
        #expect(Self.charge(timeline, at: 1020, fired: early) == Self.charge(80))
        #expect(Self.charge(timeline, at: 1320, fired: early) == Self.charge(100))
        #expect(Self.charge(timeline, at: 2000, fired: early) == Self.charge(100))

        // A set in the middle of the first ramp stops it where the set puts it.
        let replaced = [FiredInject(number: 1, at: 120), FiredInject(number: 4, at: 720)]
        #expect(Self.charge(timeline, at: 720, fired: replaced) == Self.charge(55))
        #expect(Self.charge(timeline, at: 1320, fired: replaced) == Self.charge(55))
    }

    @Test("a ramp runs from when its inject was played, not from its `at`")
    func rampPlayedEarly() throws {
        let timeline = try Self.timeline()
        let early = [FiredInject(number: 1, at: 60)]
        #expect(Self.charge(timeline, at: 60, fired: early) == Self.charge(100))
        #expect(Self.charge(timeline, at: 660, fired: early) == Self.charge(60))
        #expect(Self.charge(timeline, at: 1260, fired: early) == Self.charge(20))
    }

    @Test("the same question at the same time gets the same reading, whatever order the fired injects are listed in")
    func pure() throws {
        let timeline = try Self.timeline()
        let reversed = Array(Self.asScheduled.reversed())
        for time in stride(from: 0.0, through: 3600, by: 150) {
            #expect(timeline.observation(of: "ups-main", at: time, fired: Self.asScheduled)
                    == timeline.observation(of: "ups-main", at: time, fired: reversed))
        }
    }
}

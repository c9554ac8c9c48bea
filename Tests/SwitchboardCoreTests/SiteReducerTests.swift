import Foundation
import Testing
@testable import SwitchboardCore

@Suite("Site reducer: probe results and time in, state out")
struct SiteReducerTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let spec = ProbeSpec(id: "isp-a", pane: .network, kind: "simulated", interval: .seconds(5), mainMetric: "latency")

    func result(_ status: ProbeStatus, at seconds: Double, latency: Double = 20, summary: String = "fine") -> SiteEvent {
        .probeResult(ProbeResult(
            probeID: "isp-a",
            observation: ProbeObservation(status: status, summary: summary, metrics: [Metric(name: "latency", value: .number(latency, unit: "ms"))]),
            at: Self.start.addingTimeInterval(seconds), duration: .milliseconds(3)))
    }

    func state(after events: [SiteEvent], attempts: Int = 1) -> SiteState {
        var spec = Self.spec
        spec.attempts = attempts
        var state = SiteState(siteName: "Test", isDemo: false, specs: [spec], startedAt: Self.start)
        for event in events { SiteReducer.reduce(&state, event) }
        return state
    }

    @Test("a probe is pending until its first result")
    func pending() {
        let state = state(after: [.clock(Self.start.addingTimeInterval(3))])
        #expect(state.displayStatus(of: state.probes[0]) == .pending)
        #expect(state.changes.isEmpty)
    }

    @Test("results set the status, the time it began, and the history")
    func results() {
        let state = state(after: [result(.ok, at: 1), result(.ok, at: 6, latency: 25), result(.warning, at: 11, latency: 180)])
        let probe = state.probes[0]
        #expect(state.displayStatus(of: probe) == .warning)
        #expect(probe.since == Self.start.addingTimeInterval(11))
        #expect(probe.series == [20, 25, 180])
        #expect(probe.mainMetric?.value == .number(180, unit: "ms"))
    }

    @Test("state changes are recorded with from, to and summary; the first OK is not a change")
    func changes() {
        let state = state(after: [result(.ok, at: 1), result(.critical, at: 6, summary: "down"), result(.ok, at: 11, summary: "back")])
        #expect(state.changes.map { "\($0.from)→\($0.to) \($0.summary)" } == ["ok→critical down", "critical→ok back"])
    }

    @Test("no answer within twice the interval makes a probe stale, recorded once")
    func stale() {
        let state = state(after: [result(.ok, at: 1), .clock(Self.start.addingTimeInterval(10)),
                                  .clock(Self.start.addingTimeInterval(12)), .clock(Self.start.addingTimeInterval(20))])
        #expect(state.displayStatus(of: state.probes[0]) == .stale)
        #expect(state.changes.map(\.to) == [.stale])
        #expect(state.changes.first?.summary.contains("no answer since") == true)
    }

    @Test("a stale probe that answers again leaves stale, and that is recorded")
    func recovers() {
        let state = state(after: [result(.ok, at: 1), .clock(Self.start.addingTimeInterval(20)), result(.ok, at: 21)])
        #expect(state.displayStatus(of: state.probes[0]) == .ok)
        #expect(state.changes.map { "\($0.from)→\($0.to)" } == ["ok→stale", "stale→ok"])
    }

    @Test("a reading that keeps old figures is stale at once, recorded once with its reason, and keeps the trend clean")
    func keptFigures() {
        let kept = SiteEvent.probeResult(ProbeResult(
            probeID: "isp-a",
            observation: ProbeObservation(status: .unknown, summary: "feed cut off · figures from 09:00:01",
                                          metrics: [Metric(name: "latency", value: .number(20, unit: "ms"))],
                                          keptFrom: Self.start.addingTimeInterval(1)),
            at: Self.start.addingTimeInterval(6), duration: .milliseconds(3)))
        let state = state(after: [result(.ok, at: 1), kept, .clock(Self.start.addingTimeInterval(8)), kept,
                                  .clock(Self.start.addingTimeInterval(9)), result(.ok, at: 11)])
        #expect(state.changes.map { "\($0.from)→\($0.to) \($0.summary)" }
                == ["ok→stale feed cut off · figures from 09:00:01", "stale→ok fine"])
        #expect(state.probes[0].series == [20, 20], "kept figures add nothing to the trend")
    }

    @Test("summaries and text metrics from probes are sanitized before they are kept")
    func sanitizes() {
        let event = SiteEvent.probeResult(ProbeResult(
            probeID: "isp-a",
            observation: ProbeObservation(status: .ok, summary: "\u{1B}]0;evil\u{07}ok\u{1B}[2J", details: "a\n\u{1B}[31mb",
                                          metrics: [Metric(name: "mode", value: .text("\u{1B}[5mblink"))]),
            at: Self.start, duration: .zero))
        let latest = state(after: [event]).probes[0].latest
        #expect(latest?.observation.summary == "ok")
        #expect(latest?.observation.details == "a\nb")
        #expect(latest?.observation.metric("mode") == .text("blink"))
    }

    @Test("results for unknown probes are ignored; history is bounded")
    func bounds() {
        var events = (0..<100).map { result(.ok, at: Double($0) * 5) }
        events.append(.probeResult(ProbeResult(probeID: "nope", observation: .init(status: .critical, summary: ""), at: Self.start, duration: .zero)))
        let state = state(after: events)
        #expect(state.probes[0].history.count == ProbeState.historyLimit)
        #expect(state.changes.isEmpty)
    }

    @Test("the pane's worst status ranks critical over warning over unknown over stale over ok")
    func worst() {
        let specs = ["a", "b", "c"].map { ProbeSpec(id: $0, pane: .power, kind: "simulated", interval: .seconds(5)) }
        var state = SiteState(siteName: "T", isDemo: false, specs: specs, startedAt: Self.start)
        func report(_ id: String, _ status: ProbeStatus) {
            SiteReducer.reduce(&state, .probeResult(ProbeResult(probeID: id, observation: .init(status: status, summary: ""),
                                                                at: Self.start.addingTimeInterval(1), duration: .zero)))
        }
        report("a", .ok)
        report("b", .unknown)
        #expect(state.worstStatus(in: .power) == .unknown)
        report("c", .warning)
        #expect(state.worstStatus(in: .power) == .warning)
        report("a", .critical)
        #expect(state.worstStatus(in: .power) == .critical)
        #expect(state.worstStatus(in: .network) == nil)
    }

    @Test("with attempts: 3 a problem stays soft until the third non-OK result in a row")
    func softThenHard() {
        let soft = state(after: [result(.ok, at: 1), result(.critical, at: 6, summary: "refused"), result(.warning, at: 11, summary: "slow")],
                         attempts: 3)
        #expect(soft.displayStatus(of: soft.probes[0]) == .ok)
        #expect(soft.probes[0].softProblem == ProbeState.SoftProblem(status: .warning, attempt: 2, of: 3))
        #expect(soft.changes.isEmpty)

        let hard = state(after: [result(.ok, at: 1), result(.critical, at: 6), result(.warning, at: 11),
                                 result(.critical, at: 16, summary: "refused again")], attempts: 3)
        #expect(hard.displayStatus(of: hard.probes[0]) == .critical)
        #expect(hard.probes[0].softProblem == nil)
        #expect(hard.changes.map { "\($0.from)→\($0.to) \($0.summary)" } == ["ok→critical refused again"])
    }

    @Test("an OK result ends a soft problem silently; recovery from a hard problem is immediate")
    func softRecovery() {
        let blip = state(after: [result(.ok, at: 1), result(.critical, at: 6), result(.ok, at: 11), result(.critical, at: 16)], attempts: 2)
        #expect(blip.displayStatus(of: blip.probes[0]) == .ok)
        #expect(blip.probes[0].softProblem?.attempt == 1)
        #expect(blip.changes.isEmpty)

        let recovered = state(after: [result(.ok, at: 1), result(.critical, at: 6), result(.critical, at: 11), result(.ok, at: 16)],
                              attempts: 2)
        #expect(recovered.changes.map { "\($0.from)→\($0.to)" } == ["ok→critical", "critical→ok"])
        #expect(recovered.probes[0].problemStreak == 0)
    }

    @Test("once a problem is hard, a change to another problem state is shown at once")
    func hardToHard() {
        let state = state(after: [result(.ok, at: 1), result(.warning, at: 6), result(.warning, at: 11), result(.critical, at: 16)],
                          attempts: 2)
        #expect(state.displayStatus(of: state.probes[0]) == .critical)
        #expect(state.changes.map(\.to) == [.warning, .critical])
    }

    @Test("a probe failing from the start stays pending, not OK, until its problem is confirmed")
    func softAtStart() {
        let soft = state(after: [result(.critical, at: 1)], attempts: 2)
        #expect(soft.displayStatus(of: soft.probes[0]) == .pending)
        #expect(soft.changes.isEmpty)
        let hard = state(after: [result(.critical, at: 1), result(.critical, at: 6)], attempts: 2)
        #expect(hard.displayStatus(of: hard.probes[0]) == .critical)
        #expect(hard.changes.map { "\($0.from)→\($0.to)" } == ["pending→critical"])
    }
}

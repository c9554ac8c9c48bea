import Foundation
import Testing
import SwitchboardCore

@Suite("Runbook conditions")
struct ConditionTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    /// A site where ups-main is on battery, the generator answered ok, and isp-a never answered.
    static func site(upsStatus: String = "OB LB", charge: Double = 83) -> SiteState {
        var site = SiteState(siteName: "test", isDemo: false, specs: [
            ProbeSpec(id: "ups-main", pane: .power, kind: "nut", interval: .seconds(5)),
            ProbeSpec(id: "generator", pane: .power, kind: "simulated", interval: .seconds(5)),
            ProbeSpec(id: "isp-a", pane: .network, kind: "exec", interval: .seconds(5)),
        ], startedAt: start)
        SiteReducer.reduce(&site, .probeResult(ProbeResult(probeID: "ups-main", observation: ProbeObservation(
            status: .warning, summary: "on battery", metrics: [
                Metric(name: "ups.status", value: .text(upsStatus)), Metric(name: "battery.charge", value: .number(charge, unit: "%")),
            ]), at: start.addingTimeInterval(1), duration: .milliseconds(3))))
        SiteReducer.reduce(&site, .probeResult(ProbeResult(probeID: "generator", observation: ProbeObservation(
            status: .ok, summary: "running", metrics: [Metric(name: "state", value: .text("running"))]),
            at: start.addingTimeInterval(1), duration: .milliseconds(3))))
        return site
    }

    static func truth(_ text: String, _ site: SiteState = site()) throws -> Truth {
        try Condition(parsing: text).evaluate(in: site)
    }

    @Test("status, metric comparisons, has, dotted metric names")
    func comparisons() throws {
        #expect(try Self.truth("ups-main is warning") == .yes)
        #expect(try Self.truth("ups-main is ok") == .no)
        #expect(try Self.truth("ups-main.ups.status has OB") == .yes)
        #expect(try Self.truth("ups-main.ups.status has OL") == .no)
        #expect(try Self.truth("ups-main.ups.status == 'OB LB'") == .yes)
        #expect(try Self.truth("ups-main.battery.charge < 90") == .yes)
        #expect(try Self.truth("ups-main.battery.charge >= 83") == .yes)
        #expect(try Self.truth("ups-main.battery.charge > 83") == .no)
        #expect(try Self.truth("ups-main.battery.charge != 83") == .no)
        #expect(try Self.truth("generator.state == running") == .yes)
        #expect(try Self.truth("generator.state != \"running\"") == .no)
    }

    @Test("and binds tighter than or; not and parentheses")
    func precedence() throws {
        // or(and(no, yes), yes) = yes; and(or(no, yes), no)... written out:
        #expect(try Self.truth("ups-main is ok and generator is ok or generator.state == running") == .yes)
        #expect(try Self.truth("ups-main is ok and (generator is ok or generator.state == running)") == .no)
        #expect(try Self.truth("not ups-main is ok") == .yes)
        #expect(try Self.truth("not (ups-main.ups.status has OB and generator is ok)") == .no)
    }

    @Test("a probe with no answer, a missing metric or a stale probe make the answer unknown, never a guess")
    func unknowns() throws {
        #expect(try { if case .unknown = try Self.truth("isp-a is ok") { true } else { false } }())
        #expect(try { if case .unknown = try Self.truth("ups-main.battery.runtime < 5") { true } else { false } }())
        // Kleene logic: no and unknown is no; yes or unknown is yes; not unknown stays unknown.
        #expect(try Self.truth("ups-main is ok and isp-a is ok") == .no)
        #expect(try Self.truth("ups-main is warning or isp-a is ok") == .yes)
        #expect(try { if case .unknown = try Self.truth("not isp-a is ok") { true } else { false } }())
        var stale = Self.site()
        SiteReducer.reduce(&stale, .clock(Self.start.addingTimeInterval(60)))
        #expect(try { if case .unknown = try Self.truth("ups-main.ups.status has OB", stale) { true } else { false } }())
    }

    @Test("the evidence holds each probe's status and the metrics the condition reads")
    func evidence() throws {
        let evidence = try Condition(parsing: "ups-main.battery.charge < 90 and generator is ok").evidence(in: Self.site())
        #expect(evidence["ups-main"] == .object(["status": .string("warning"),
                                                 "battery.charge": .object(["value": .int(83), "unit": .string("%")])]))
        #expect(evidence["generator"] == .object(["status": .string("ok")]))
    }

    @Test("parse errors say what was expected and point at the character",
          arguments: [
              ("ups-main.ups.status", "expected a comparison (==, !=, <, <=, >, >= or has) after 'ups-main.ups.status', but the condition ends", 19),
              ("ups-main is broken", "expected a status (ok, warning, critical, unknown, stale), got 'broken'", 12),
              ("(ups-main is ok", "'(' is never closed", 0),
              ("ups-main is ok generator is ok", "unexpected 'generator' after a complete condition (join conditions with and/or)", 15),
              ("ups-main.battery.charge < low", "'<' needs a number, got 'low'", 26),
              ("ups-main = 3", "'=' is not a comparison (expected ==, !=, <, <=, >, >= or has)", 9),
              ("UPS is ok", "'UPS' is not a probe id (a-z, 0-9 and '-')", 0),
              ("ups-main.status is ok", "'is' takes a probe, not a metric: write 'ups-main is STATUS' or compare 'ups-main.status' with == != < <= > >= has", 0),
              ("generator.state == 'running", "unterminated quoted value (no closing ')", 19),
              ("ups-main is ok and", "expected PROBE is STATUS or PROBE.METRIC compared with a value, but the condition ends", 18),
          ])
    func parseErrors(text: String, message: String, offset: Int) {
        #expect(throws: Condition.ParseError(message: message, offset: offset)) { try Condition(parsing: text) }
    }

    /// A site whose UPS reports its runtime in `unit` and whose ISP reports latency in ms.
    static func timed(runtime: Double, unit: String, latency: Double = 185) -> SiteState {
        var site = SiteState(siteName: "test", isDemo: false, specs: [
            ProbeSpec(id: "ups-main", pane: .power, kind: "nut", interval: .seconds(5)),
            ProbeSpec(id: "isp-b", pane: .network, kind: "exec", interval: .seconds(5)),
        ], startedAt: start)
        for (probe, metrics) in [("ups-main", [Metric(name: "battery.runtime", value: .number(runtime, unit: unit)),
                                               Metric(name: "ups.load", value: .number(35, unit: "%"))]),
                                 ("isp-b", [Metric(name: "rta", value: .number(latency, unit: "ms"))])] {
            SiteReducer.reduce(&site, .probeResult(ProbeResult(probeID: probe, observation: ProbeObservation(
                status: .ok, summary: "", metrics: metrics), at: start.addingTimeInterval(1), duration: .zero)))
        }
        return site
    }

    @Test("times compare in their units: 240 s is under 10 minutes, 14 minutes is not 15, 185 ms is over 0.15 s")
    func units() throws {
        let seconds = Self.timed(runtime: 240, unit: "s")
        #expect(try Self.truth("ups-main.battery.runtime < 10m", seconds) == .yes)
        #expect(try Self.truth("ups-main.battery.runtime >= 15m", seconds) == .no)
        #expect(try Self.truth("ups-main.battery.runtime == 4m", seconds) == .yes)
        let minutes = Self.timed(runtime: 14, unit: "min")
        #expect(try Self.truth("ups-main.battery.runtime >= 15m", minutes) == .no)
        #expect(try Self.truth("ups-main.battery.runtime > 800s", minutes) == .yes)
        #expect(try Self.truth("isp-b.rta > 150ms", seconds) == .yes)
        #expect(try Self.truth("isp-b.rta < 0.2s", seconds) == .yes)
        #expect(try Self.truth("ups-main.ups.load < 60", seconds) == .yes, "a percentage against a plain number")
        #expect(try Self.truth("ups-main.ups.load < 60%", seconds) == .yes)
    }

    @Test("a plain number against a time, or another unit, is never true: the condition cannot tell")
    func unitMismatch() throws {
        let site = Self.timed(runtime: 240, unit: "s")
        guard case .unknown(let why) = try Self.truth("ups-main.battery.runtime >= 15", site) else {
            Issue.record("a runtime compared with a plain number was decided")
            return
        }
        #expect(why.contains("is a time (in s)"))
        #expect(try Self.truth("ups-main.ups.load < 60ms", site) != .yes)
        #expect(try Self.truth("not ups-main.battery.runtime >= 15", site) != .yes, "not of unknown is unknown, not ✓")
    }
}

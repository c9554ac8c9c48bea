import Foundation
import Testing
@testable import SwitchboardCore

/// What a message template is filled with (the README's table of values).
@Suite("Message values")
struct CommsFillTests {
    @Test("site, incident, the queues' lowest service level and longest expected wait, typed blanks, every probe's metrics")
    func values() throws {
        let specs = [ProbeSpec(id: "queue-sales", pane: .agents, kind: "agents", interval: .seconds(5)),
                     ProbeSpec(id: "queue-support", pane: .agents, kind: "agents", interval: .seconds(5)),
                     ProbeSpec(id: "ups-main", pane: .power, kind: "nut", interval: .seconds(5))]
        let start = Date(timeIntervalSince1970: 1_800_000_000) // 2027-01-15 08:00:00 UTC
        var site = SiteState(siteName: "Phoenix \u{1B}[31mcenter", isDemo: false, specs: specs, startedAt: start)
        func reading(_ id: String, _ metrics: [Metric]) {
            SiteReducer.reduce(&site, .probeResult(ProbeResult(probeID: id, observation: ProbeObservation(status: .ok, summary: "", metrics: metrics),
                                                               at: start.addingTimeInterval(60), duration: .zero)))
        }
        reading("queue-sales", [Metric(name: "service_level", value: .number(91, unit: "%")),
                                Metric(name: "expected_wait", value: .number(20, unit: "s"))])
        reading("queue-support", [Metric(name: "service_level", value: .number(72.5, unit: "%")),
                                  Metric(name: "expected_wait", value: .number(250, unit: "s"))])
        reading("ups-main", [Metric(name: "battery.charge", value: .number(83, unit: "%")), Metric(name: "ups.status", value: .text("OB LB"))])
        let opened = HashChain.seal(LogEntry(kind: LogKind.opened, actor: "alice", at: start,
                                             fields: ["title": .string("UPS on battery"), "severity": .string("sev2")]),
                                    incident: "20270115-0800-ups-on-battery", seq: 1, prev: HashChain.genesis).record
        let incident = try #require(IncidentState(opening: opened))

        let values = CommsFill.values(site: site, incident: incident, typed: ["eta": "14:30 UTC", "text": ""])
        #expect(values["site"] == "Phoenix center", "text from outside is cleaned")
        #expect(values["incident"] == "UPS on battery")
        #expect(values["incident_id"] == "20270115-0800-ups-on-battery")
        #expect(values["severity"] == "SEV2")
        #expect(values["commander"] == "alice")
        #expect(values["opened"] == "08:00")
        #expect(values["now"] == "08:01")
        #expect(values["service_level"] == "72.5%", "the lowest of the queues")
        #expect(values["expected_wait"] == "4 minutes", "the longest, as callers are told it")
        #expect(values["eta"] == "14:30 UTC")
        #expect(values["text"] == nil, "a blank left empty stays empty")
        #expect(values["ups-main.battery.charge"] == "83", "a bare number")
        #expect(values["ups-main.ups.status"] == "OB LB", "a word as it was read")
        // The unit is written once, by the template.
        #expect(try MetricTemplate("{{site}}: battery {{ups-main.battery.charge}}%").render(values) == "Phoenix center: battery 83%")
    }
}

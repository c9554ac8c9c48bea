import Testing
@testable import SwitchboardCore

@Suite("Monitoring-plugins ranges")
struct ThresholdTests {
    @Test("'10' alerts outside 0…10")
    func plainNumber() throws {
        let range = try ThresholdRange(parsing: "10")
        #expect(!range.alerts(on: 0))
        #expect(!range.alerts(on: 10))
        #expect(range.alerts(on: 10.5))
        #expect(range.alerts(on: -1))
    }

    @Test("'10:' alerts below 10")
    func openEnd() throws {
        let range = try ThresholdRange(parsing: "10:")
        #expect(range.alerts(on: 9.9))
        #expect(!range.alerts(on: 10))
        #expect(!range.alerts(on: 1e9))
    }

    @Test("'~:10' alerts above 10 only")
    func negativeInfinity() throws {
        let range = try ThresholdRange(parsing: "~:10")
        #expect(!range.alerts(on: -1e9))
        #expect(range.alerts(on: 11))
    }

    @Test("'10:20' alerts outside, '@10:20' alerts inside, both inclusive")
    func insideAndOutside() throws {
        let outside = try ThresholdRange(parsing: "10:20")
        let inside = try ThresholdRange(parsing: "@10:20")
        for value in [9.0, 10, 15, 20, 21] {
            #expect(outside.alerts(on: value) == !(10...20).contains(value))
            #expect(inside.alerts(on: value) == (10...20).contains(value))
        }
    }

    @Test("bad ranges are rejected with the reason", arguments: ["", "abc", "20:10", "1:x", "@"])
    func badRanges(_ text: String) {
        #expect(throws: ThresholdSyntaxError.self) { try ThresholdRange(parsing: text) }
    }

    @Test("thresholds make the status worse, never better")
    func applyOnTop() throws {
        let thresholds = [MetricThreshold(metric: "battery.charge", warning: try .init(parsing: "50:"), critical: try .init(parsing: "20:"))]
        func status(_ charge: Double, plugin: ProbeStatus = .ok) -> ProbeStatus {
            thresholds.apply(to: ProbeObservation(status: plugin, summary: "", metrics: [
                Metric(name: "battery.charge", value: .number(charge, unit: "%")),
            ])).status
        }
        #expect(status(80) == .ok)
        #expect(status(45) == .warning)
        #expect(status(10) == .critical)
        #expect(status(80, plugin: .critical) == .critical)
        #expect(status(45, plugin: .unknown) == .warning)
    }
}

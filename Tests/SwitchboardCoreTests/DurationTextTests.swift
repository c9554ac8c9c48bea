import Testing
@testable import SwitchboardCore

@Suite("Durations in config")
struct DurationTextTests {
    @Test("units and combinations parse", arguments: [
        ("500ms", 0.5), ("30s", 30), ("5m", 300), ("1h", 3600), ("1h30m", 5400), ("2.5s", 2.5), ("45", 45),
    ])
    func parses(_ text: String, _ seconds: Double) {
        #expect(Duration(configText: text)?.seconds == seconds)
    }

    @Test("nonsense, zero and negative are rejected", arguments: ["", "fast", "5x", "0s", "-5s", "m", "0"])
    func rejects(_ text: String) {
        #expect(Duration(configText: text) == nil)
    }

    @Test("durations print as config writes them")
    func prints() {
        #expect(Duration.milliseconds(500).configText == "500ms")
        #expect(Duration.seconds(30).configText == "30s")
        #expect(Duration.seconds(5400).configText == "1h30m")
    }
}

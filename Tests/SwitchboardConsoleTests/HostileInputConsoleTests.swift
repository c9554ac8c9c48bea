import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardConsole
import TerminalUI

/// What a hostile probe or person can put in front of the console: it is drawn, never a crash.
@Suite("Console: hostile input")
struct HostileInputConsoleTests {
    static func text(_ state: TestConsole) -> String { ConsoleView(theme: .make(color: false, unicode: true)).render(state).text }

    @Test("a probe reporting the unknown sentinel and 1e20 bytes as its main metric draws, and Enter shows its details")
    func sentinelMetric() throws {
        var state = Fixtures.state(size: Size(width: 80, height: 24))
        let metrics = PluginOutput(parsing: "UNKNOWN - wrapped | unknown=18446744073709551615 rta=1e20ms pl=1e400%")
            .observation(exit: .exited(3)).metrics + [Metric(name: "inf", value: .number(.infinity, unit: ""))]
        for second in stride(from: 41.0, through: 61, by: 5) {
            state.send(Fixtures.result("isp-a", .unknown, "UNKNOWN - wrapped", at: second, metrics: metrics))
            state.send(.site(.clock(Fixtures.start.addingTimeInterval(second))))
        }
        #expect(Self.text(state).contains("isp-a"))
        state.press([.tab])
        while state.selectedProbe(in: .network)?.spec.id != "isp-a" { state.press([.down]) }
        state.press([.enter])
        #expect(state.viewer.modal == .probeDetail(probeID: "isp-a", scroll: Scroll()))
        let detail = Self.text(state)
        #expect(detail.contains("1.8e19") && detail.contains("1e20 ms") && detail.contains("∞"))
    }
}

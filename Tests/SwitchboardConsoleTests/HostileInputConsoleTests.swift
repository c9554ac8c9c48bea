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

    /// A 2,000-character note of numbered words, every one of which must be found.
    static let longNote = (1...250).map { "word\(String(format: "%03d", $0))" }.joined(separator: " ")

    @Test("a 2,000-character note is logged whole, its row ends in …, and its record detail wraps and scrolls the whole text")
    func longNoteShownWhole() throws {
        #expect(Self.longNote.count == 1999)
        var (state, log) = IncidentConsoleTests.withIncident()
        // Pasted, then typed on past the 500 characters a field once stopped at (each key redraws).
        let pasted = Self.longNote.prefix(1400)
        state.press([.character("n"), .paste(String(pasted))] + IncidentConsoleTests.type(String(Self.longNote.dropFirst(1400))) + [.enter])
        #expect(state.session.unsaved.first?["text"]?.string == Self.longNote, "the note was cut before it was logged")
        log.answer(&state)
        let row = try #require(Self.text(state).split(separator: "\n").first { $0.contains("NOTE   word001") })
        #expect(row.hasSuffix("…"), "a cut row must say so: \(row)")

        for _ in 0..<10 where state.viewer.focus != .timeline { state.press([.tab]) }
        state.press([.enter])
        guard case .logRecord? = state.viewer.modal else {
            Issue.record("the record detail did not open: \(String(describing: state.viewer.modal))")
            return
        }
        var seen = ""
        for _ in 0..<40 {
            let screen = Self.text(state)
            seen += screen
            if screen.contains("word250") { break }
            state.press([.pageDown])
        }
        let missing = (1...250).map { "word\(String(format: "%03d", $0))" }.filter { !seen.contains($0) }
        #expect(missing.isEmpty, "words never shown in the record detail: \(missing.prefix(5))")
    }

    @Test("a three-line paste into n is kept whole, on one line, and none of its lines runs as a command")
    func multiLinePaste() throws {
        var (state, log) = IncidentConsoleTests.withIncident()
        state.press([.character("n"), .paste("generator started\rr\rq")])
        #expect(state.viewer.form != nil, "the paste left the note form")
        state.press([.enter])
        #expect(state.session.unsaved.first?["text"]?.string == "generator started r q")
        log.answer(&state)
        #expect(state.viewer.modal == nil && !state.quitRequested)

        state.press([.paste("r\nq")])
        #expect(state.viewer.modal == nil && !state.quitRequested, "a paste outside a field ran as keys")
        #expect(state.viewer.hint?.text.contains("pasted text goes into a field") == true)
    }
}

import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardConsole
import TerminalUI

@Suite("Console: incidents and the action log")
struct IncidentConsoleTests {
    static func type(_ text: String) -> [Key] { text.map(Key.character) }

    /// A console as `alice`, 40 s in, with an incident opened through `i` and answered by the log.
    static func withIncident() -> (TestConsole, ScriptedLog) {
        var state = Fixtures.state(size: Size(width: 80, height: 24), actor: "alice")
        var log = ScriptedLog()
        state.press([.character("i")] + type("UPS on battery") + [.tab, .left, .enter])
        log.answer(&state)
        return (state, log)
    }

    @Test("i opens an incident with its title and severity, and logs the changes seen before it was declared")
    func openIncident() throws {
        var state = Fixtures.state(size: Size(width: 80, height: 24), actor: "alice")
        state.press([.character("i")])
        #expect(state.viewer.form?.purpose == .openIncident)
        state.press(Self.type("UPS on battery") + [.tab, .left, .enter])
        #expect(state.viewer.form == nil)
        #expect(state.session.opening)
        guard case .open(let title, let severity, let actor, _, let earlier) = try #require(state.requests.first) else {
            Issue.record("expected an open request, got \(state.requests)")
            return
        }
        #expect(title == "UPS on battery")
        #expect(severity == .sev2)
        #expect(actor == "alice")
        // The fixture saw isp-a, trunk-b and queue-support change: all before anyone declared.
        #expect(earlier.map { $0["probe"]?.string } == state.site.changes.map(\.probeID))
        #expect(earlier.allSatisfy { $0["before_open"]?.bool == true && $0["observed_at"]?.string != nil })
        let trunk = try #require(earlier.first { $0["probe"]?.string == "trunk-b" })
        #expect(trunk["to"]?.string == "critical")
        #expect(trunk["reading"] == .object(["rtt": .object(["value": .int(0), "unit": .string("ms")])]))

        var log = ScriptedLog()
        log.answer(&state)
        let incident = try #require(state.incident)
        #expect(incident.title == "UPS on battery" && incident.severity == .sev2 && incident.commander == "alice")
        #expect(incident.recordCount == 1 + earlier.count)
        #expect(!state.session.opening)
        let header = ConsoleView(theme: .make(color: false, unicode: true)).render(state).text.split(separator: "\n")[0]
        #expect(header.contains(" SEV2  UPS on battery · 0s · IC alice "))
    }

    @Test("changes older than the look-back are not logged when the incident opens")
    func lookBack() {
        var state = Fixtures.state(size: Size(width: 80, height: 24))
        state.send(.site(.clock(Fixtures.start.addingTimeInterval(40 + ConsoleReducer.changesBeforeOpening))))
        state.press([.character("i")] + Self.type("late") + [.enter])
        guard case .open(_, _, _, _, let earlier) = state.requests.first else {
            Issue.record("no open request")
            return
        }
        // Only what happened in the look-back: the probes going stale with the jump in time, not
        // the fixture's changes of long before.
        #expect(!earlier.isEmpty)
        #expect(earlier.allSatisfy { $0["to"]?.string == "stale" })
    }

    @Test("a form will not submit without what it needs, and says why")
    func formProblems() {
        var state = Fixtures.state(size: Size(width: 80, height: 24))
        state.press([.character("i"), .enter])
        #expect(state.viewer.form?.problem == "a title is needed")
        #expect(state.requests.isEmpty)
        state.press([.escape])
        #expect(state.viewer.form == nil)

        var (open, _) = Self.withIncident()
        open.press([.character("h")] + Self.type("alice") + [.enter])
        #expect(open.viewer.form?.problem == "alice already holds command")
        open.press([.escape, .character("i"), .character("x"), .enter])
        #expect(open.viewer.form?.problem == "a one-line summary is needed to close")
        #expect(open.requests.isEmpty)
    }

    @Test("↓ and ↑ stop at a form's last and first field, so words typed after one press too many land where they are seen; Tab goes round")
    func formArrowsStopAtTheEnds() {
        var state = Fixtures.state(size: Size(width: 80, height: 24))
        state.press([.character("i")] + Self.type("UPS") + [.down, .down, .down])
        #expect(state.viewer.form?.focused == 1)
        state.press([.up, .up, .up] + Self.type(" on battery"))
        #expect(state.viewer.form?.focused == 0)
        #expect(state.viewer.form?.text(0) == "UPS on battery")
        state.press([.tab, .tab])
        #expect(state.viewer.form?.focused == 0)
        state.press([.backTab])
        #expect(state.viewer.form?.focused == 1)
    }

    @Test("keys that need an incident say so when none is open")
    func noIncident() {
        var state = Fixtures.state(size: Size(width: 80, height: 24))
        for key in ["n", "h", "/", "a"] {
            state.press([.character(Character(key))])
            #expect(state.viewer.form == nil)
            #expect(state.viewer.hint?.text.contains("i opens one") == true, "key \(key)")
        }
    }

    @Test("a note is shown as unsaved until the log has it on disk, then as its record")
    func noteLifecycle() throws {
        var (state, log) = Self.withIncident()
        state.press([.character("n")] + Self.type("called the utility") + [.enter])
        #expect(state.session.unsaved.map { $0["text"]?.string } == ["called the utility"])
        #expect(state.session.unsaved.first?.role == "incident commander")
        #expect(state.timelineItems.first == .unsaved(state.session.unsaved[0]))
        let pending = ConsoleView(theme: .make(color: false, unicode: true)).render(state).text
        #expect(pending.contains("NOTE   saving… called the utility"))

        log.answer(&state)
        #expect(state.session.unsaved.isEmpty)
        let record = try #require(state.incident?.recent.last)
        #expect(record.kind == "note" && record["text"]?.string == "called the utility")
        #expect(ConsoleView(theme: .make(color: false, unicode: true)).render(state).text.contains("NOTE   called the utility"))
    }

    @Test("a to-do or a decision is chosen in the same form")
    func remarkKinds() {
        var (state, _) = Self.withIncident()
        state.press([.character("n"), .backTab, .right, .right, .tab] + Self.type("move sales to the alternate site") + [.enter])
        #expect(state.session.unsaved.first?.kind == "decision")
    }

    @Test("hard probe changes during an incident are logged with their reading")
    func probeChanges() {
        var (state, _) = Self.withIncident()
        state.send(Fixtures.result("ups-main", .critical, "on battery · 40%", at: 41,
                                                      metrics: [Fixtures.number("battery.charge", 40, "%")]))
        guard case .append(let entry) = state.requests.last else {
            Issue.record("no append request")
            return
        }
        #expect(entry.kind == "probe.changed")
        #expect(entry["probe"]?.string == "ups-main" && entry["from"]?.string == "ok" && entry["to"]?.string == "critical")
        #expect(entry["reading"] == .object(["battery.charge": .object(["value": .int(40), "unit": .string("%")])]))
        #expect(entry["before_open"] == nil)
    }

    @Test("the incident view changes severity, assigns roles and hands over command")
    func incidentActions() throws {
        var (state, log) = Self.withIncident()
        state.press([.character("i")])
        #expect(state.viewer.modal == .incident(scroll: Scroll()))
        state.press([.character("s"), .left, .enter])
        state.press([.character("i"), .character("a"), .backTab, .right, .tab] + Self.type("bob") + [.enter])
        state.press([.character("h")] + Self.type("carol") + [.tab, .right, .enter])  // by voice
        log.answer(&state)
        #expect(log.records.last?["accepted"]?.string == "voice")
        let incident = try #require(state.incident)
        #expect(incident.severity == .sev1)
        #expect(incident.roles.map { "\($0.role)=\($0.person)" } == ["scribe=bob"])
        #expect(incident.commander == "carol")
        // alice no longer holds command: what she logs now carries no commander role.
        state.press([.character("n")] + Self.type("handed over") + [.enter])
        #expect(state.session.unsaved.last?.role == nil)
    }

    @Test("a record is corrected by an amendment pointing at it, never rewritten")
    func amendment() throws {
        var (state, log) = Self.withIncident()
        state.press([.character("n")] + Self.type("generator started 21:40") + [.enter])
        log.answer(&state)
        let noteSeq = try #require(state.incident?.recordCount)
        state.send(.key(.tab)) // wherever focus is, reach the timeline
        while state.viewer.focus != .timeline { state.send(.key(.tab)) }
        state.press([.home, .character("a")] + Self.type("started 21:43, not 21:40") + [.enter])
        log.answer(&state)
        let incident = try #require(state.incident)
        #expect(incident.record(seq: noteSeq)?["text"]?.string == "generator started 21:40")
        #expect(incident.recent.last?["amends"]?.int == noteSeq)
        #expect(incident.amendedSeqs == [noteSeq])
        #expect(ConsoleView(theme: .make(color: false, unicode: true)).render(state).text.contains("generator started 21:40 (corrected)"))
    }

    @Test("m sets a milestone, now or when it happened; a on its record moves it, with a reason; closing asks when it was resolved")
    func milestones() throws {
        var (state, log) = Self.withIncident()
        let now = Fixtures.start.addingTimeInterval(40)
        // The first not yet set is offered: mitigated, at "now" unless a time is typed.
        state.press([.character("m"), .enter])
        #expect(state.session.unsaved.last?["milestone"]?.string == "mitigated")
        #expect(state.session.unsaved.last?["occurred_at"]?.string == TimeText.iso8601(now))
        log.answer(&state)
        // After the fact: detected (resolved is offered next; ← ← goes back to it), at a clock time before now.
        state.press([.character("m"), .left, .left, .tab, .control("u")] + Self.type(TimeText.clock(now.addingTimeInterval(-300))) + [.enter])
        log.answer(&state)
        var incident = try #require(state.incident)
        #expect(incident.milestones[.mitigated]?.occurredAt == now)
        #expect(incident.milestones[.detected]?.occurredAt == now.addingTimeInterval(-300))
        // Not a time, or in the future: the form says why and stays.
        state.press([.character("m"), .tab, .control("u")] + Self.type("+5m") + [.enter])
        #expect(state.viewer.form?.problem == "that is in the future")
        state.press([.control("u")] + Self.type("lunchtime") + [.enter])
        #expect(state.viewer.form?.problem?.hasPrefix("not a time: 'lunchtime'") == true)
        state.press([.escape])

        // Moved by an amendment on its record: a new time and why.
        let seq = try #require(incident.milestones[.mitigated]?.seq)
        while state.viewer.focus != .timeline { state.send(.key(.tab)) }
        let row = try #require(state.timelineItems.firstIndex { if case .record(let record) = $0 { record.seq == seq } else { false } })
        state.press([.home] + Array(repeating: .down, count: row) + [.character("a")])
        #expect(state.viewer.form?.title == "Move the mitigated milestone (#\(seq))")
        state.press([.control("u")] + Self.type("-2m") + [.tab] + Self.type("generator took the load at 09:45, per the ATS log") + [.enter])
        log.answer(&state)
        incident = try #require(state.incident)
        #expect(incident.milestones[.mitigated]?.occurredAt == now.addingTimeInterval(-120))
        #expect(incident.milestones[.mitigated]?.correction == "generator took the load at 09:45, per the ATS log")
        #expect(log.records.last?.kind == "amendment" && log.records.last?["amends"]?.int == seq)

        // Closing asks when it was resolved, since it was never set.
        state.press([.character("i"), .character("x")] + Self.type("utility back") + [.tab, .control("u")] + Self.type("-1m") + [.enter])
        log.answer(&state)
        let kinds = log.records.suffix(2).map { $0.kind + ($0["milestone"]?.string.map { ":" + $0 } ?? "") }
        #expect(kinds == ["incident.milestone:resolved", "incident.closed"])
    }

    @Test("/ filters the log as you type; Esc clears it")
    func search() {
        var (state, log) = Self.withIncident()
        for text in ["called the utility", "generator started", "utility ETA 2h"] {
            state.press([.character("n")] + Self.type(text) + [.enter])
        }
        log.answer(&state)
        state.press([.character("/")] + Self.type("UTIL"))
        #expect(state.timelineItems.map { $0.entry["text"]?.string } == ["utility ETA 2h", "called the utility"])
        state.press([.enter])
        #expect(state.viewer.search?.editing == false)
        #expect(state.timelineItems.count == 2)
        state.press([.escape])
        #expect(state.viewer.search == nil)
    }

    @Test("a failed write shows a red banner and keeps the entry until a retry succeeds")
    func writeFailure() {
        var (state, log) = Self.withIncident()
        state.press([.character("n")] + Self.type("held note") + [.enter])
        let requests = state.requests
        state.requests.removeAll()
        state.send(.log(.writeFailed("cannot write to the log: No space left on device")))
        let screen = ConsoleView(theme: .make(color: false, unicode: true)).render(state).text
        #expect(screen.contains("NOT LOGGED (1 held, retrying): cannot write to the log: No space left on device"))
        #expect(screen.contains("NOTE   NOT SAVED · held note"))
        state.requests = requests
        log.answer(&state)
        #expect(state.session.logFailure == nil)
        #expect(state.session.unsaved.isEmpty)
    }

    @Test("q asks first while an incident is open; the incident stays open")
    func quitAsks() {
        var (state, _) = Self.withIncident()
        state.press([.character("q")])
        #expect(state.viewer.modal == .confirmQuit)
        #expect(!state.quitRequested)
        state.press([.character("n")])
        #expect(state.viewer.modal == nil && !state.quitRequested)
        state.press([.character("q"), .character("y")])
        #expect(state.quitRequested)
        #expect(state.requests.isEmpty)

        var quiet = Fixtures.state(size: Size(width: 80, height: 24))
        quiet.press([.character("q")])
        #expect(quiet.quitRequested)
    }

    @Test("behind the too-small screen no key acts blind: q quits (asking first, as the screen says), a form being written is kept")
    func keysBehindTooSmall() {
        let view = ConsoleView(theme: .make(color: false, unicode: true))
        var (state, _) = Self.withIncident()
        state.send(.resize(Size(width: 60, height: 15)))
        state.press([.character("n"), .character("i"), .character("x"), .character("c"), .tab, .enter])
        #expect(state.viewer.modal == nil && state.viewer.focus == .timeline && state.requests.isEmpty)
        #expect(view.render(state).text.contains("enlarge the window · q quits"))
        state.press([.character("q")])
        #expect(state.viewer.modal == .confirmQuit && !state.quitRequested)
        #expect(view.render(state).text.contains("quit? q again quits · any other key stays"))
        state.press([.character("z")])
        #expect(state.viewer.modal == nil && !state.quitRequested)
        state.press([.character("q"), .character("q")])
        #expect(state.quitRequested)

        var (writing, _) = Self.withIncident()
        writing.press([.character("n")] + Self.type("generator started"))
        writing.send(.resize(Size(width: 60, height: 15)))
        writing.press(Self.type(" blind q") + [.enter, .escape])
        #expect(view.render(writing).text.contains("enlarge the window to go on writing · Ctrl-C quits"))
        writing.send(.resize(Size(width: 80, height: 24)))
        #expect(writing.viewer.form?.text(1) == "generator started" && writing.requests.isEmpty && !writing.quitRequested)
    }

    @Test("closing elsewhere ends the incident on this console too, with a notice")
    func closedElsewhere() {
        var (state, log) = Self.withIncident()
        let closed = log.seal(.closed(summary: "utility back", actor: "bob", role: nil, at: Fixtures.start.addingTimeInterval(60)))
        state.send(.log(.records([closed], acknowledged: 0)))
        #expect(state.incident == nil)
        #expect(state.viewer.notice?.text.contains("closed by bob: utility back") == true)
    }

    @Test("replaying the log gives the state the live console reached")
    func replayEqualsLive() throws {
        var (live, log) = Self.withIncident()
        live.press([.character("n")] + Self.type("one") + [.enter])
        live.press([.character("i"), .character("s"), .left, .left, .enter])
        live.press([.character("i"), .character("a")] + Self.type("dave") + [.enter])
        live.send(Fixtures.result("ups-main", .critical, "on battery", at: 41))
        live.press([.character("h")] + Self.type("erin") + [.tab, .right, .enter])
        log.answer(&live)

        var replayed = IncidentState(opening: log.records[0])!
        for record in log.records.dropFirst() { replayed.apply(record) }
        var resumed = Fixtures.state(size: Size(width: 80, height: 24), actor: "alice")
        resumed.send(.log(.attached(replayed, notice: nil)))

        let liveIncident = try #require(live.incident)
        let resumedIncident = try #require(resumed.incident)
        #expect(liveIncident == resumedIncident)
        #expect(liveIncident.recent == resumedIncident.recent)
        #expect(liveIncident.commander == "erin" && resumedIncident.commander == "erin")
        #expect(liveIncident.roles.map(\.person) == resumedIncident.roles.map(\.person))
        #expect(liveIncident.severity == resumedIncident.severity)
        #expect(liveIncident.loggedProbeStatus == resumedIncident.loggedProbeStatus)
        #expect(live.timelineItems == resumed.timelineItems)
    }
}

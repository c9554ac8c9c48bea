import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardConsole
import TerminalUI

/// The commander's reference data and what the incident does with it: `p`, hand-overs accepted
/// by the receiving console, roles picked from the staff, spares used, to-dos ticked off.
@Suite("Console: people, hand-overs, spares and to-dos")
struct PeopleConsoleTests {
    static let reference = SiteReference(
        contacts: [Contact(id: "generator-vendor", name: "Sonoran Generator Service", phone: "+1 602 555 0111",
                           contract: "SG-88213 (4 h on-site)", hours: "24/7", notes: "escalate to the service manager after 1 h")],
        staff: [StaffMember(name: "Dana Ortiz", role: "facilities", phone: "+1 602 555 0301", user: "dana"),
                StaffMember(name: "Sam Patel", role: "network", phone: "+1 602 555 0302")],
        spares: [Spare(id: "ups-battery", item: "UPS battery module", location: "Storeroom B shelf 3", count: 4),
                 Spare(id: "fw-appliance", item: "Cold-spare firewall appliance", location: "Storeroom B shelf 1", count: 1)])

    static func type(_ text: String) -> [Key] { IncidentConsoleTests.type(text) }

    /// alice's console with an incident open and the reference data above.
    static func withIncident() -> (TestConsole, ScriptedLog) {
        var (state, log) = IncidentConsoleTests.withIncident()
        state.library.reference = reference
        return (state, log)
    }

    static func text(_ state: TestConsole) -> String { ConsoleView(theme: .make(color: false, unicode: true)).render(state).text }

    @Test("p shows who holds which role now, the staff with phones, vendors with contracts and notes, and spares on hand")
    func peopleView() throws {
        var (state, log) = Self.withIncident()
        state.press([.character("i"), .character("a"), .backTab, .right, .tab] + Self.type("Sam Patel") + [.enter], answering: &log)
        state.press([.character("p")], answering: &log)
        #expect(state.viewer.modal == .people(scroll: Scroll()))
        let screen = Self.text(state)
        #expect(screen.contains("people, contacts and spares"))
        #expect(screen.contains("incident commander    alice"))
        #expect(screen.contains("scribe                Sam Patel"))
        #expect(screen.contains("Dana Ortiz          facilities      +1 602 555 0301"))
        #expect(screen.contains("Sam Patel           network         +1 602 555 0302   now: scribe"))
        #expect(screen.contains("Sonoran Generator Service             +1 602 555 0111   24/7"))
        #expect(screen.contains("contract SG-88213 (4 h on-site)"))
        #expect(screen.contains("escalate to the service manager after 1 h"))
        #expect(screen.contains("UPS battery module                    4 on hand"))
        state.press([.escape])
        #expect(state.viewer.modal == nil)
    }

    @Test("roles and hand-overs pick names from the staff list; free text is still taken")
    func pickFromStaff() throws {
        var (state, log) = Self.withIncident()
        state.press([.character("i"), .character("a")], answering: &log)
        #expect(Self.text(state).contains("Dana Ortiz  facilities · +1 602 555 0301"))
        state.press(Self.type("net") + [.down], answering: &log)
        #expect(state.viewer.form?.text(1) == "Sam Patel", "typing narrows the list, ↓ picks")
        state.press([.right, .left, .home, .end], answering: &log)
        #expect(state.viewer.form?.text(1) == "Sam Patel", "moving the cursor keeps what was picked")
        state.press([.enter], answering: &log)
        #expect(log.records.last?["person"]?.string == "Sam Patel")
        state.press([.character("i"), .character("a")] + Self.type("Kim from the night shift") + [.enter], answering: &log)
        #expect(log.records.last?["person"]?.string == "Kim from the night shift")
    }

    @Test("a hand-over is offered until the receiving console accepts it; then command changes hands")
    func handoverAcceptedByReceiver() throws {
        var (alice, log) = Self.withIncident()
        alice.press([.character("h"), .down, .enter], answering: &log)
        let offer = try #require(log.records.last)
        #expect(offer.kind == LogKind.handoff && offer["to"]?.string == "Dana Ortiz" && offer["offered"]?.bool == true)
        #expect(alice.incident?.commander == "alice", "offered, not yet taken")
        #expect(alice.banner?.text.hasPrefix("command offered to Dana Ortiz at") == true)

        // Dana's console, logging as "dana", follows the same incident.
        var dana = Fixtures.state(size: Size(width: 80, height: 24), actor: "dana")
        dana.library.reference = Self.reference
        var folded = try #require(IncidentState(opening: log.records[0]))
        for record in log.records.dropFirst() { folded.apply(record) }
        dana.send(.log(.attached(folded, notice: nil)))
        #expect(dana.banner?.text == "⚑ alice hands command of this incident to you · h to accept")
        let before = log.records.count
        dana.press([.character("h")], answering: &log)
        let accepted = try #require(log.records.last)
        #expect(log.records.count == before + 1)
        #expect(accepted.kind == LogKind.handoff && accepted.actor == "dana" && accepted["accepted"]?.string == "console")
        #expect(dana.incident?.commander == "Dana Ortiz" && dana.incident?.pendingHandover == nil)
        #expect(dana.incident?.role(of: "dana") == "incident commander", "what her console logs carries the role")
        alice.send(.log(.records([accepted], acknowledged: 0)))
        #expect(alice.incident?.commander == "Dana Ortiz")
        #expect(alice.banners.isEmpty)
        #expect(Self.text(alice).contains("IC Dana Ortiz"))
    }

    @Test("x logs a spare used, by whom; the count on hand goes down for the incident; a step with spare: logs one when done")
    func spares() throws {
        var (state, log) = Self.withIncident()
        state.press([.character("x")], answering: &log)
        #expect(state.viewer.form?.title == "Use a spare part")
        state.press([.enter], answering: &log)
        #expect(state.viewer.form?.problem == "pick one of the site's spares (↑ ↓)")
        state.press(Self.type("battery") + [.down, .tab, .backspace] + Self.type("2") + [.tab, .control("u")] + Self.type("Dana Ortiz")
                    + [.enter], answering: &log)
        let used = try #require(log.records.last)
        #expect(used.kind == LogKind.spareUsed && used["spare"]?.string == "ups-battery" && used["count"]?.int == 2)
        #expect(used["by"]?.string == "Dana Ortiz" && used.actor == "alice")
        #expect(state.incident?.sparesUsed == ["ups-battery": 2])
        state.press([.character("p")], answering: &log)
        #expect(Self.text(state).contains("UPS battery module                    2 on hand"))
        state.press([.escape], answering: &log)

        let runbook = Runbook(id: "swap", title: "Swap the firewall",
                              steps: [RunbookStep(id: "install", text: "Install the cold spare")], file: "swap.yaml")
        var withSpare = runbook
        withSpare.steps[0].spare = "fw-appliance"
        state.library.runbooks = RunbookLibrary(runbooks: [withSpare])
        state.press([.character("r")] + Self.type("swap") + [.enter, .character("d")], answering: &log)
        #expect(log.records.suffix(2).map(\.kind) == [LogKind.spareUsed, LogKind.stepDone])
        #expect(state.incident?.sparesUsed["fw-appliance"] == 1)
    }

    @Test("t lists the open to-dos and ticks one off; closing with to-dos open lists them first")
    func todos() throws {
        var (state, log) = Self.withIncident()
        state.press([.character("t")], answering: &log)
        #expect(state.viewer.hint?.text == "no open to-dos · n logs one (kind todo)")
        for text in ["order fuel", "call the utility back"] {
            state.press([.character("n"), .backTab, .right, .tab] + Self.type(text) + [.enter], answering: &log)
        }
        #expect(state.incident?.openTodos.map(\.text) == ["order fuel", "call the utility back"])
        state.press([.character("t")], answering: &log)
        #expect(Self.text(state).contains("Open to-dos (2)"))
        state.press([.character("d")], answering: &log)
        let done = try #require(log.records.last)
        #expect(done.kind == LogKind.todoDone && done["text"]?.string == "order fuel")
        #expect(state.incident?.openTodos.map(\.text) == ["call the utility back"])
        state.press([.escape, .character("i"), .character("x")], answering: &log)
        #expect(state.viewer.form?.explanation.hasPrefix("1 to-do is still open: • call the utility back.") == true)
        #expect(Self.text(state).contains("call the utility back"))
    }
}

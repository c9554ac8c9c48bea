import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardConsole
import TerminalUI

@Suite("Console: customer messages and their cadence")
struct CommsConsoleTests {
    static let update = CommsTemplate(id: "client-update", channel: "client-email", audience: "all clients",
                                      subject: "Update on {{incident}} at {{site}}",
                                      body: "{{text}}. Service level {{service_level}}. Back by {{eta}}.")
    static let ivr = CommsTemplate(id: "ivr-delay", channel: "ivr-announcement", audience: "callers", subject: nil,
                                   body: "Waits are longer than usual.")

    static func type(_ text: String) -> [Key] { IncidentConsoleTests.type(text) }

    /// An incident open at 40 s, with the two templates configured.
    static func withIncident(cadence: CommsCadence = CommsCadence()) -> (TestConsole, ScriptedLog) {
        var (state, log) = IncidentConsoleTests.withIncident()
        state.library.reference = SiteReference(comms: [update, ivr], commsCadence: cadence)
        return (state, log)
    }

    static func sent(_ log: ScriptedLog) -> [LogRecord] { log.records.filter { $0.kind == LogKind.commsSent } }

    @Test("c needs an open incident and templates, and says so")
    func needsIncidentAndTemplates() {
        var state = Fixtures.state(size: Size(width: 80, height: 24))
        state.library.reference = SiteReference(comms: [Self.update])
        state.press([.character("c")])
        #expect(state.viewer.modal == nil)
        #expect(state.viewer.hint?.text.contains("i opens one") == true)

        var (open, log) = IncidentConsoleTests.withIncident()
        open.press([.character("c")], answering: &log)
        #expect(open.viewer.modal == nil)
        #expect(open.viewer.hint?.text.contains("no message templates") == true)
    }

    @Test("a template filled with live values and the typed blanks is logged as sent with its exact text")
    func composeAndSend() throws {
        var (state, log) = Self.withIncident()
        state.press([.character("c")], answering: &log)
        #expect(state.viewer.modal == .templates(ListCursor()))
        state.press([.enter], answering: &log)
        var composer = try #require(state.viewer.composer)
        #expect(composer.fields == [.eta, .news, .subject, .body])
        #expect(composer.subject?.text == "Update on UPS on battery at Phoenix contact center")
        // The fixture's lowest service level is queue-support's 70 %.
        #expect(composer.body.text == ". Service level 70%. Back by .")

        state.press([.character("1"), .character("4"), .character(":"), .character("3"), .character("0"), .tab]
                   + Self.type("Generator is carrying the load"), answering: &log)
        composer = try #require(state.viewer.composer)
        #expect(composer.body.text == "Generator is carrying the load. Service level 70%. Back by 14:30.")
        #expect(!composer.editedByHand)

        // Into the text: an edit by hand stops the refilling.
        state.press([.tab, .tab, .end, .enter] + Self.type("Thank you."), answering: &log)
        state.press([.tab] + Self.type(" UTC"), answering: &log)
        composer = try #require(state.viewer.composer)
        #expect(composer.editedByHand)
        #expect(composer.body.text == "Generator is carrying the load. Service level 70%. Back by 14:30.\nThank you.")

        state.press([.control("d")], answering: &log)
        #expect(state.viewer.composer?.question == .send)
        #expect(Self.sent(log).isEmpty, "nothing is logged before the confirmation")
        state.press([.character("y")], answering: &log)
        #expect(state.viewer.composer == nil)
        let record = try #require(Self.sent(log).first)
        #expect(record["template"]?.string == "client-update")
        #expect(record["channel"]?.string == "client-email")
        #expect(record["audience"]?.string == "all clients")
        #expect(record["subject"]?.string == "Update on UPS on battery at Phoenix contact center")
        #expect(record["text"]?.string == "Generator is carrying the load. Service level 70%. Back by 14:30.\nThank you.")
        #expect(record.actor == "alice")
        #expect(state.incident?.commsSentCount == 1)
        #expect(state.viewer.hint?.text.contains("client-email to all clients") == true)
    }

    @Test("n at the question goes back to editing; Esc asks before throwing typed text away")
    func cancelAndDiscard() throws {
        var (state, log) = Self.withIncident()
        state.press([.character("c"), .down, .enter], answering: &log)
        #expect(state.viewer.composer?.template.id == "ivr-delay")
        #expect(state.viewer.composer?.fields == [.body])
        state.press([.escape], answering: &log)
        #expect(state.viewer.composer == nil, "nothing typed: Esc closes at once")

        state.press([.character("c"), .down, .enter] + Self.type(" Sorry."), answering: &log)
        state.press([.control("d"), .character("n")], answering: &log)
        #expect(state.viewer.composer?.question == nil)
        state.press([.escape], answering: &log)
        #expect(state.viewer.composer?.question == .discard)
        state.press([.character("x")], answering: &log)
        #expect(state.viewer.composer?.question == nil, "any other key keeps the message")
        #expect(state.viewer.composer?.body.text == "Waits are longer than usual. Sorry.", "the key only answers the question")
        state.press([.escape, .escape], answering: &log)
        #expect(state.viewer.composer == nil)
        #expect(Self.sent(log).isEmpty)
    }

    @Test("an empty message is refused")
    func emptyMessage() throws {
        var (state, log) = Self.withIncident()
        state.press([.character("c"), .down, .enter, .control("u")], answering: &log)
        state.press(Array(repeating: .backspace, count: 40) + [.control("d")], answering: &log)
        #expect(state.viewer.composer?.question == nil)
        #expect(state.viewer.composer?.problem == "the message is empty")
    }

    @Test("Ctrl-O hands the text to the editor and takes back what it saved, or says why not")
    func externalEditor() throws {
        var (state, log) = Self.withIncident()
        state.press([.character("c"), .down, .enter, .control("o")], answering: &log)
        #expect(state.editorRequest == "Waits are longer than usual.")
        #expect(state.viewer.composer?.inEditor == true)
        state.press([.character("z")], answering: &log)
        #expect(state.viewer.composer?.body.text == "Waits are longer than usual.", "keys wait while the editor has the terminal")

        state.send(.editorFinished(text: "Edited\nin vi\n", problem: nil))
        #expect(state.viewer.composer?.body.text == "Edited\nin vi")
        #expect(state.viewer.composer?.editedByHand == true)
        #expect(state.viewer.composer?.inEditor == false)

        state.press([.control("o")], answering: &log)
        state.send(.editorFinished(text: nil, problem: "cannot run nope (set $EDITOR)"))
        #expect(state.viewer.composer?.body.text == "Edited\nin vi")
        #expect(state.viewer.composer?.problem == "cannot run nope (set $EDITOR)")
    }

    /// The power runbook started, its notify step sending `ivr-delay` (with `check`, if given) and selected.
    static func onNotifyStep(check: String? = nil) throws -> (TestConsole, ScriptedLog) {
        var (state, log) = try RunbookConsoleTests.started()
        state.library.reference = SiteReference(comms: [Self.ivr])
        var runbook = try RunbookConsoleTests.runbook()
        let index = try #require(runbook.index(of: "notify"))
        runbook.steps[index].notify = "ivr-delay"
        runbook.steps[index].check = try check.map { try Condition(parsing: $0) }
        state.library.runbooks = RunbookLibrary(runbooks: [runbook])
        state.viewer.focus = .stepper
        state.viewer.stepCursors["power"] = index
        return (state, log)
    }

    @Test("a wait that holds on a notify: step does not complete it without its message")
    func waitOnNotifyStep() throws {
        var (state, log) = try RunbookConsoleTests.started()
        state.library.reference = SiteReference(comms: [Self.ivr])
        var runbook = try RunbookConsoleTests.runbook()
        let index = try #require(runbook.index(of: "generator"))
        runbook.steps[index].notify = "ivr-delay"
        state.library.runbooks = RunbookLibrary(runbooks: [runbook])
        state.press([.character("d")], answering: &log)
        #expect(try RunbookConsoleTests.run(state).current == "generator")
        let before = log.records.count

        state.send(Fixtures.result("generator", .ok, "running, on load", at: 50, metrics: [Metric(name: "state", value: .text("running"))]))
        log.answer(&state)
        #expect(!log.records.dropFirst(before).contains { $0.kind == LogKind.stepDone }, "the wait holds, but the message is not sent")
        #expect(try RunbookConsoleTests.run(state).current == "generator")

        state.viewer.focus = .stepper
        state.viewer.stepCursors["power"] = index
        state.press([.character("d")], answering: &log)
        #expect(state.viewer.composer?.notifyStep == StepReference(runbook: "power", step: "generator"))
        state.press([.control("d"), .character("y")], answering: &log)
        #expect(log.records.suffix(2).map(\.kind) == [LogKind.commsSent, LogKind.stepDone])
    }

    @Test("d on a notify: step writes its message; sending logs it and then the step done")
    func notifyStep() throws {
        var (state, log) = try Self.onNotifyStep()
        state.press([.character("d")], answering: &log)
        let composer = try #require(state.viewer.composer)
        #expect(composer.notifyStep == StepReference(runbook: "power", step: "notify"))
        #expect(log.records.last?.kind != LogKind.stepDone, "the step waits for the message")

        state.press([.control("d"), .character("y")], answering: &log)
        let kinds = log.records.suffix(2).map(\.kind)
        #expect(kinds == [LogKind.commsSent, LogKind.stepDone])
        let sent = try #require(Self.sent(log).last)
        #expect(sent["runbook"]?.string == "power")
        #expect(sent["step"]?.string == "notify")
        let done = try #require(log.records.last)
        #expect(done["notify"]?.string == "ivr-delay")
        #expect(try RunbookConsoleTests.run(state).progress(of: "notify").rounds == 1)
    }

    @Test("a notify: step over a failing check asks why first, writes the message, and logs the reason with the step")
    func notifyStepOverFailingCheck() throws {
        var (state, log) = try Self.onNotifyStep(check: "queue-support is ok")
        state.press([.character("d")], answering: &log)
        #expect(state.viewer.form?.title == "Check fails — mark done anyway?")
        state.press(Self.type("callers must hear it now") + [.enter], answering: &log)
        let composer = try #require(state.viewer.composer)
        #expect(composer.notifyStep == StepReference(runbook: "power", step: "notify", doneOverCheckWhy: "callers must hear it now"))
        state.press([.control("d"), .character("y")], answering: &log)
        let done = try #require(log.records.last)
        #expect(done.kind == LogKind.stepDone && done["check_state"]?.string == "fails" && done["why"]?.string == "callers must hear it now")
    }

    @Test("the header counts down to the first update, shows it overdue, and restarts from each client update sent, not from a message to callers")
    func cadenceInHeader() throws {
        var (state, log) = Self.withIncident(cadence: CommsCadence(first: 5 * 60, every: 20 * 60))
        let opened = try #require(state.incident?.openedAt)
        func header(at seconds: TimeInterval) -> String {
            state.send(.site(.clock(opened.addingTimeInterval(seconds))))
            let view = ConsoleView(theme: Theme.make(color: false, unicode: true))
            return view.render(state).lines[0]
        }
        #expect(header(at: 1).contains("update 4:59"))
        #expect(header(at: 299).contains("update 0:01"))
        #expect(header(at: 361).contains("UPDATE OVERDUE 1m"))

        // An announcement to callers is not a client update: the update is still overdue.
        state.press([.character("c"), .down, .enter, .control("d"), .character("y")], answering: &log)
        #expect(Self.sent(log).last?["cadence"]?.bool == false)
        #expect(state.incident?.lastClientUpdateAt == nil)
        #expect(header(at: 362).contains("UPDATE OVERDUE 1m"))

        state.press([.character("c"), .enter, .control("d"), .character("y")], answering: &log)
        #expect(Self.sent(log).last?["cadence"]?.bool == true)
        let sentAt = try #require(state.incident?.lastClientUpdateAt)
        #expect(state.reference.commsCadence.nextDue(for: try #require(state.incident)) == sentAt.addingTimeInterval(20 * 60))
        #expect(header(at: sentAt.timeIntervalSince(opened) + 60).contains("update 19:00"))
    }
}

@Suite("Text area")
struct TextAreaTests {
    @Test("words wrap at spaces, long words are cut, and line breaks are kept")
    func wrapping() {
        let area = TextArea("one two three\nfour fivesixseveneight")
        let lines = area.lines(width: 9).map(area.text(of:))
        #expect(lines == ["one two ", "three", "four ", "fivesixse", "veneight"])
    }

    @Test("up and down keep the column across wrapped lines; End stays on a wrapped line")
    func movement() {
        var area = TextArea("alpha beta gamma")
        // Wrapped at 6: "alpha ", "beta ", "gamma"; the cursor starts at the end.
        #expect(area.position(in: area.lines(width: 6)) == (row: 2, column: 5))
        _ = area.handle(.up, width: 6)
        #expect(area.position(in: area.lines(width: 6)).row == 1)
        _ = area.handle(.home, width: 6)
        _ = area.handle(.up, width: 6)
        #expect(area.cursor == 0)
        _ = area.handle(.end, width: 6)
        #expect(area.position(in: area.lines(width: 6)).row == 0, "End on a wrapped line stays on it")
        _ = area.handle(.enter, width: 6)
        #expect(area.text == "alpha\n beta gamma")
        _ = area.handle(.backspace, width: 6)
        #expect(area.text == "alpha beta gamma")
    }
}

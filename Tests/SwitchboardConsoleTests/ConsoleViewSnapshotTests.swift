import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardConsole
import TerminalUI

@Suite("Console view snapshots")
struct ConsoleViewSnapshotTests {
    let view = ConsoleView(theme: .make(color: true, unicode: true))

    @Test("80×24: header, all four panes, recent changes and footer fit")
    func standard() throws {
        let buffer = view.render(Fixtures.state(size: Size(width: 80, height: 24)))
        try expectSnapshot(buffer, named: "console-80x24")
        for title in ["POWER", "NETWORK", "TELEPHONY", "AGENTS & SLA", "RECENT CHANGES"] {
            #expect(buffer.text.contains(title))
        }
    }

    @Test("120×40: wider columns and longer sparklines")
    func large() throws {
        try expectSnapshot(view.render(Fixtures.state(size: Size(width: 120, height: 40))), named: "console-120x40")
    }

    @Test("160×40: recent changes stand beside the panes")
    func wide() throws {
        try expectSnapshot(view.render(Fixtures.state(size: Size(width: 160, height: 40))), named: "console-160x40")
    }

    @Test("below 80×24 a clear too-small screen says what is needed")
    func tooSmall() throws {
        let buffer = view.render(Fixtures.state(size: Size(width: 60, height: 15)))
        try expectSnapshot(buffer, named: "too-small-60x15")
        #expect(buffer.text.contains("need 80×24, have 60×15"))
    }

    @Test("probe detail: metrics against thresholds, sanitized output, history")
    func detail() throws {
        var state = Fixtures.state(size: Size(width: 80, height: 24))
        state.viewer.modals = [.probeDetail(probeID: "queue-support", scroll: Scroll())]
        let buffer = view.render(state)
        try expectSnapshot(buffer, named: "detail-queue-support-80x24")
        #expect(!buffer.text.contains("\u{1B}"))
    }

    @Test("a soft problem (attempts: 3) keeps the shown status, and says so in the row and the detail")
    func softProblem() throws {
        var specs = Fixtures.specs
        specs[0].attempts = 3
        var state = TestConsole(ConsoleState(site: SiteState(siteName: "Phoenix", isDemo: false, specs: specs, startedAt: Fixtures.start),
                                             size: Size(width: 80, height: 24)))
        for input in [Fixtures.result("ups-main", .ok, "on line", at: 1),
                      Fixtures.result("ups-main", .critical, "connection refused", at: 6),
                      Fixtures.result("ups-main", .critical, "connection refused", at: 11)] {
            state.send(input)
        }
        let row = view.render(state).text.split(separator: "\n").first { $0.contains("ups-main") } ?? ""
        #expect(row.contains("OK"))
        #expect(row.contains("soft crit 2/3 · connection"))
        state.viewer.modals = [.probeDetail(probeID: "ups-main", scroll: Scroll())]
        try expectSnapshot(view.render(state), named: "detail-soft-80x24")
    }

    @Test("help lists the keys")
    func help() throws {
        var state = Fixtures.state(size: Size(width: 80, height: 24))
        state.viewer.modals = [.help(scroll: Scroll())]
        try expectSnapshot(view.render(state), named: "help-80x24")
    }

    @Test("ASCII symbols for terminals whose locale is not UTF-8")
    func ascii() throws {
        let buffer = ConsoleView(theme: .make(color: false, unicode: false)).render(Fixtures.state(size: Size(width: 80, height: 24)))
        try expectSnapshot(buffer, named: "console-80x24-ascii")
    }

    @Test("statuses are told apart without colour: each has its own style and word")
    func monochrome() {
        let theme = Theme.make(color: false, unicode: true)
        let problems: [DisplayStatus] = [.warning, .critical, .unknown, .stale]
        #expect(Set(problems.map { theme.style(for: $0) }).count == problems.count)
        #expect(problems.allSatisfy { theme.style(for: $0) != theme.style(for: .ok) })
        #expect(Set(DisplayStatus.allCases.map(\.word)).count == DisplayStatus.allCases.count)
        for style in theme.statusStyles.values { #expect(style.foreground == .default && style.background == .default) }
    }

    @Test("the critical probe's badge is drawn in the critical style")
    func criticalStyle() throws {
        let theme = Theme.make(color: true, unicode: true)
        let buffer = ConsoleView(theme: theme).render(Fixtures.state(size: Size(width: 80, height: 24)))
        let row = try #require(buffer.lines.firstIndex { $0.contains("trunk-b") })
        #expect(buffer[1, row].text == "✖")
        #expect(buffer[1, row].style == theme.style(for: .critical))
    }

    /// An incident opened as alice, with a note, a role and a correction logged.
    static func incidentState(size: Size) -> TestConsole {
        var (state, log) = IncidentConsoleTests.withIncident()
        state.viewer.size = size
        state.press([.character("n")] + IncidentConsoleTests.type("called the utility: ETA 2 h") + [.enter])
        state.press([.character("i"), .character("a")] + IncidentConsoleTests.type("bob") + [.enter])
        log.answer(&state)
        return state
    }

    @Test("80×24 during an incident: the header names it, the action log replaces recent changes")
    func incident() throws {
        let buffer = view.render(Self.incidentState(size: Size(width: 80, height: 24)))
        try expectSnapshot(buffer, named: "incident-80x24")
        #expect(buffer.text.contains("ACTION LOG"))
        #expect(!buffer.text.contains("RECENT CHANGES"))
    }

    @Test("160×40 during an incident, with the log beside the panes")
    func incidentWide() throws {
        try expectSnapshot(view.render(Self.incidentState(size: Size(width: 160, height: 40))), named: "incident-160x40")
    }

    @Test("the open-incident form over the console")
    func openForm() throws {
        var state = Fixtures.state(size: Size(width: 80, height: 24))
        state.press([.character("i")] + IncidentConsoleTests.type("Carrier A trunks down") + [.tab, .left])
        try expectSnapshot(view.render(state), named: "form-open-incident-80x24")
    }

    @Test("the incident view: command, roles, the keys that change it")
    func incidentDetail() throws {
        var state = Self.incidentState(size: Size(width: 80, height: 24))
        state.press([.character("i")])
        try expectSnapshot(view.render(state), named: "incident-detail-80x24")
    }

    @Test("a log record in full, and the red banner of a log that cannot be written")
    func recordDetailAndBanner() throws {
        var state = Self.incidentState(size: Size(width: 80, height: 24))
        while state.viewer.focus != .timeline { state.press([.tab]) }
        state.press([.down, .enter])
        try expectSnapshot(view.render(state), named: "record-detail-80x24")
        state.press([.escape, .character("n")] + IncidentConsoleTests.type("held") + [.enter])
        state.send(.log(.writeFailed("cannot sync the log: Input/output error")))
        try expectSnapshot(view.render(state), named: "banner-write-failed-80x24")
    }

    @Test("c: the message templates, then the composer with its blanks filled and the send question")
    func composer() throws {
        var (state, log) = CommsConsoleTests.withIncident()
        state.press([.character("c")], answering: &log)
        try expectSnapshot(view.render(state), named: "templates-80x24")
        state.press([.enter] + CommsConsoleTests.type("14:30 UTC") + [.tab]
                                + CommsConsoleTests.type("the generator carries the load"), answering: &log)
        try expectSnapshot(view.render(state), named: "composer-80x24")
        state.press([.control("d")], answering: &log)
        try expectSnapshot(view.render(state), named: "composer-send-80x24")
    }

    @Test("a queue's row: service level against target, waiting, needed against staffed in red when short; dim when its feed broke")
    func queueRow() throws {
        let theme = Theme.make(color: true, unicode: true)
        let spec = ProbeSpec(id: "queue-sales", pane: .agents, kind: "agents", interval: .seconds(5), mainMetric: "service_level")
        var state = TestConsole(ConsoleState(site: SiteState(siteName: "t", isDemo: false, specs: [spec], startedAt: Fixtures.start),
                                             size: Size(width: 80, height: 24)))
        // 100 calls in 30 minutes at 180 s (10 Erlangs): 14 agents needed, 12 staffed.
        let snapshot = QueueSnapshot(queue: "sales", intervalSeconds: 1800, offered: 100, answered: 100, answeredWithinThreshold: 71,
                                     abandoned: 0, waiting: 6, longestWaitSeconds: 134, averageHandleSeconds: 180,
                                     loggedIn: 13, available: 1, onCall: 10, wrapUp: 1, away: 1)
        let assessment = QueueAssessment(snapshot, target: ServiceTarget(percent: 80, thresholdSeconds: 20), abandons: .counted)
        func show(_ observation: ProbeObservation, at seconds: Double) -> (line: String, buffer: CellBuffer) {
            state.send(.site(.probeResult(ProbeResult(probeID: "queue-sales", observation: observation,
                                                                        at: Fixtures.start.addingTimeInterval(seconds), duration: .zero))))
            let buffer = ConsoleView(theme: theme).render(state)
            return (try! #require(buffer.lines.first { $0.contains("queue-sales") }), buffer)
        }
        let (line, buffer) = show(ProbeObservation(status: assessment.status, summary: assessment.summary, metrics: assessment.metrics), at: 1)
        #expect(line.contains("▲ WARN  queue-sales  71%/80%"), "\(line)")
        #expect(line.contains("6 wait 2:14  need 14 have 12"), "\(line)")
        let row = try #require(buffer.lines.firstIndex { $0.contains("queue-sales") })
        let column = try #require(line.range(of: "need 14").map { line.distance(from: line.startIndex, to: $0.lowerBound) })
        #expect(buffer[column, row].style.foreground == theme.style(for: .critical).foreground, "short of agents shows red")

        let (kept, keptBuffer) = show(ProbeObservation(status: .unknown, summary: "feed cut off · figures from 09:46:41", metrics: assessment.metrics,
                                         keptFrom: Fixtures.start.addingTimeInterval(1)), at: 6)
        #expect(kept.contains("◌ STALE queue-sales  71%/80%"), "\(kept)")
        #expect(keptBuffer[column, row].style.foreground == theme.dim.foreground, "kept figures are dim, not red")
    }

    /// The power runbook started from its suggestion, two steps in (one done, one skipped), the
    /// generator's deadline running.
    static func runbookState(size: Size) throws -> TestConsole {
        var (state, log) = try RunbookConsoleTests.onBattery()
        state.viewer.size = size
        state.press([.character("r"), .enter, .enter, .character("d")], answering: &log)
        state.send(RunbookConsoleTests.at(75))
        return state
    }

    @Test("80×24 with a runbook running: the stepper between the panes and the log")
    func stepper() throws {
        let buffer = view.render(try Self.runbookState(size: Size(width: 80, height: 24)))
        try expectSnapshot(buffer, named: "stepper-80x24")
        #expect(buffer.text.contains("step 2 of 6"))
    }

    @Test("160×40 with a runbook running: the stepper tops the log column")
    func stepperWide() throws {
        try expectSnapshot(view.render(try Self.runbookState(size: Size(width: 160, height: 40))), named: "stepper-160x40")
    }

    @Test("a step in full: detail, live readings, deadline, what was logged")
    func stepDetail() throws {
        var state = try Self.runbookState(size: Size(width: 80, height: 24))
        state.press([.enter])
        try expectSnapshot(view.render(state), named: "step-detail-80x24")
    }

    @Test("the runbook list: running first, then the rest, then broken files")
    func picker() throws {
        var state = try Self.runbookState(size: Size(width: 80, height: 24))
        state.library.runbooks.runbooks.append(Runbook(id: "isp", title: "Primary ISP down", severity: .sev2,
                                               steps: [RunbookStep(id: "a", text: "Fail over")], file: "isp.yaml"))
        state.library.runbooks.broken.append(BrokenRunbook(file: "trunks.yaml", id: "trunks", title: "SIP trunk outage", problems: [
            ConfigDiagnostic(at: SourceLocation(file: "trunks.yaml", line: 7, column: 12), "no probe 'trunk-c' on this site"),
        ]))
        state.press([.character("r")])
        try expectSnapshot(view.render(state), named: "runbook-picker-80x24")
    }
}

@Suite("Panes that cannot show every row")
struct FoldedPaneTests {
    /// 13 probes, all fine but a hosted vendor down (the last of its pane) and a third trunk
    /// degraded, at 80×24 with an incident and a runbook open: the panes get two rows or fewer.
    static func crowded() throws -> TestConsole {
        let ids: [(String, Pane)] = [("ups-main", .power), ("generator", .power),
                                     ("isp-a", .network), ("isp-b", .network), ("fw-primary", .network), ("fw-standby", .network),
                                     ("core-switch", .network), ("crm-vendor", .network),
                                     ("trunk-a", .telephony), ("trunk-b", .telephony), ("trunk-c", .telephony),
                                     ("queue-sales", .agents), ("queue-support", .agents)]
        let specs = ids.map { ProbeSpec(id: $0.0, pane: $0.1, kind: "simulated", interval: .seconds(5)) }
        let steps = (1...6).map { RunbookStep(id: "s\($0)", text: "Step \($0) of the vendor outage procedure") }
        var state = TestConsole(ConsoleState(
            site: SiteState(siteName: "Phoenix", isDemo: false, specs: specs, startedAt: Fixtures.start),
            size: Size(width: 80, height: 24), actor: "alice",
            library: SiteLibrary(runbooks: RunbookLibrary(runbooks: [Runbook(id: "saas", title: "Hosted vendor outage", steps: steps, file: "saas.yaml")]))))
        for (id, _) in ids {
            let status: ProbeStatus = id == "crm-vendor" ? .critical : id == "trunk-c" ? .warning : .ok
            let summary = id == "crm-vendor" ? "hosted CRM · major outage · API 503" : id == "trunk-c" ? "carrier C · 2 of 23 channels" : "fine"
            state.send(Fixtures.result(id, status, summary, at: 1))
        }
        state.send(.site(.clock(Fixtures.start.addingTimeInterval(2))))
        var log = ScriptedLog()
        state.press([.character("i")] + IncidentConsoleTests.type("CRM down") + [.enter], answering: &log)
        state.press([.character("r")] + IncidentConsoleTests.type("vendor") + [.enter], answering: &log)
        return state
    }

    @Test("at 80×24 a pane shows its problems first and folds the OK rows into one line")
    func problemsFirst() throws {
        let state = try Self.crowded()
        let buffer = ConsoleView(theme: .make(color: true, unicode: true)).render(state)
        try expectSnapshot(buffer, named: "folded-panes-80x24")
        let text = buffer.text
        // The critical vendor is the last probe of its pane: once the row that went unseen.
        #expect(text.contains("✖ CRIT  crm-vendor"))
        #expect(text.contains("+5 OK"))
        #expect(text.contains("▲ WARN  trunk-c"))
        #expect(text.contains("step 1 of 6"))
    }

    @Test("with focus, the selected row is shown too; a problem without a row of its own is counted in red")
    func selectedIsShown() throws {
        var state = try Self.crowded()
        while state.viewer.focus != .pane(.network) { state.press([.tab]) }
        state.press([.down, .down])
        let theme = Theme.make(color: true, unicode: true)
        let buffer = ConsoleView(theme: theme).render(state)
        #expect(buffer.text.contains("▸✔ OK    fw-primary"), "\(buffer.text)")
        let folded = try #require(buffer.lines.firstIndex { $0.contains("+1 CRIT  +4 OK") })
        #expect(buffer[2, folded].style == theme.style(for: .critical))
        // Back on the critical one, it has its row again.
        state.press(Array(repeating: .down, count: 3))
        #expect(ConsoleView(theme: theme).render(state).text.contains("▸✖ CRIT  crm-vendor"))
    }
}

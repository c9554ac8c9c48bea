import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardConsole
import SwitchboardProbes
import SwitchboardStore
import TerminalUI

/// The shipped drill scenarios (`runbooks/drills/*.yaml`): each passes `check` against the demo
/// site and the shipped runbooks, and each is played through end to end, at ×60 on a test clock
/// (nothing sleeps), by a facilitator's console and a player's console on one real drill log.
/// The facilitator's console plays the injects as its scenario clock brings them; the player
/// does what every expectation asks, with keys, within its window; the objectives board then
/// says every expectation was met, and every record on disk is marked as a drill's.
@Suite("Drills: the shipped scenarios played through")
struct DrillPlayThroughTests {
    /// The scenarios that ship, by file name (a test below keeps the list equal to the folder).
    static let scenarios = [
        "carrier-outage-sla", "contingent-staff-disruption", "crm-vendor-outage", "facility-unusable",
        "failed-part-from-spares", "isp-primary-then-secondary", "pbx-acd-standby-takeover", "power-generator-fails",
    ]

    /// The demo site as `switchboard drill` loads it without a switchboard.yaml: its config, the
    /// shipped runbooks, and the scenarios in their drills/ folder.
    struct Site {
        var config: SiteConfig
        var runbooks: RunbookLibrary
        var drills: DrillLibrary
        var files: [String]
    }

    static func site() throws -> Site {
        var config = try SiteConfigLoader(catalog: .builtIn).load(yaml: DemoSite.yaml, file: DemoSite.source, isDemo: true)
        config.runbookPaths = [ShippedRunbooks.folder]
        let runbooks = RunbookLibrary.load(paths: config.runbookPaths, declaredAt: config.runbookPathLocations,
                                           context: RunbookContext(config: config))
        let files = DrillLibrary.files(inRunbookPaths: config.runbookPaths)
        let drills = DrillLibrary.load(files: files, context: ScenarioContext(config: config, runbooks: runbooks))
        return Site(config: config, runbooks: runbooks, drills: drills, files: files)
    }

    static func name(of file: String) -> String {
        ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    @Test("every shipped scenario passes check against the demo site and the shipped runbooks")
    func shippedScenariosPassCheck() throws {
        let site = try Self.site()
        #expect(site.runbooks.broken.isEmpty, "\(site.runbooks.problems.map(\.description))")
        #expect(site.files.map(Self.name).sorted() == Self.scenarios, "a scenario ships that this suite does not play")
        #expect(site.drills.problems.isEmpty, "\(site.drills.problems.map(\.description).joined(separator: "\n"))")
        #expect(site.drills.scenarios.map(\.id).sorted() == Self.scenarios)
        for scenario in site.drills.scenarios {
            #expect(!scenario.injects.isEmpty && scenario.injects.contains { !$0.expect.isEmpty }, "\(scenario.id) expects nothing")
            // Every objective is trained by at least one expectation, and every expectation names one.
            let trained = Set(scenario.injects.flatMap(\.expect).compactMap(\.objective))
            #expect(trained == Set(scenario.objectives.map(\.id)), "\(scenario.id): objectives without expectations")
            #expect(scenario.injects.flatMap(\.expect).allSatisfy { $0.objective != nil }, "\(scenario.id): an expectation without an objective")
            // The last window closes before the exercise ends.
            for inject in scenario.injects {
                for expectation in inject.expect {
                    #expect(inject.at + expectation.within <= scenario.duration,
                            "\(expectation.location.map(\.description) ?? scenario.file): \(expectation.text) is due after the drill ends")
                }
            }
        }
    }

    @Test("every step and decision a scenario expects lies on its runbook's flow, taking the answers the scenario expects",
          arguments: scenarios)
    func expectedStepsAreOnTheFlow(_ name: String) throws {
        let site = try Self.site()
        let scenario = try #require(site.drills.scenario(name))
        let expectations = scenario.injects.flatMap(\.expect)
        // The answers the scenario expects, by runbook and question.
        var answers: [String: [String: String]] = [:]
        for case .decision(let runbook, let step, let answer?) in expectations.map(\.action) { answers[runbook, default: [:]][step] = answer }
        for expectation in expectations {
            let (runbookID, stepID): (String, String)
            switch expectation.action {
            case .step(let runbook, let step), .decision(let runbook, let step, _): (runbookID, stepID) = (runbook, step)
            default: continue
            }
            let runbook = try #require(site.runbooks.runbook(runbookID))
            let reachable = Self.reachable(in: runbook, answers: answers[runbookID] ?? [:])
            #expect(reachable.contains(stepID),
                    "\(expectation.location.map(\.description) ?? scenario.file): \(expectation.text): no way to it in \(runbook.file) with the answers the scenario expects")
        }
    }

    /// The steps a run of `runbook` can come to from its first step: on to each step's `next`
    /// (or the one below), to its `on_timeout`, and from a question by the answer given, or any.
    static func reachable(in runbook: Runbook, answers: [String: String]) -> Set<String> {
        var seen: Set<String> = []
        var queue = runbook.steps.first.map { [$0.id] } ?? []
        while let id = queue.popLast() {
            guard seen.insert(id).inserted, let step = runbook.step(id) else { continue }
            var targets: [String?]
            if step.isQuestion {
                targets = step.choices.filter { answers[id] == nil || $0.answer == answers[id] }.map { Runbook.target($0.target) }
            } else {
                targets = [runbook.next(after: id)]
            }
            targets.append(step.onTimeout.flatMap(Runbook.target))
            queue += targets.compactMap { $0 }
        }
        return seen
    }

    @Test("an inject longer than its banner row says v reads it all; v shows it whole on any console in the drill, even after Esc hid it")
    func longInjectReadInFull() throws {
        let site = try Self.site()
        let scenario = try #require(site.drills.scenario("facility-unusable"))
        let inject = try #require(scenario.injects.max { $0.message.count < $1.message.count })
        let rig = try DrillRig(scenario: scenario, site: site)
        rig.advance(to: inject.at)
        rig.send(.drill(.injectDue(inject.number)), to: .facilitator)
        rig.broadcast(.resize(Size(width: 80, height: 24)))
        let lastWords = inject.message.split(separator: " ").suffix(2).joined(separator: " ")

        // What players need to join fits at 80 columns whole, the longest id there is: the hint gives way.
        var joining = rig.state(.facilitator)
        let id = "20261207-1411-" + String(repeating: "x", count: 32) + "-2"
        joining.viewer.notice = Notice(text: "join: switchboard --incident \(id)", isProblem: false)
        #expect(DrillRig.view.render(joining).text.split(separator: "\n")[1].hasSuffix("--incident \(id)"))

        for seat in [DrillRig.Seat.player, .facilitator] {
            let banner = DrillRig.view.render(rig.state(seat)).text.split(separator: "\n")[1]
            #expect(banner.contains("✱") && banner.hasSuffix("… · v reads all · Esc hides"), "\(seat): \(banner)")
            rig.press([.character("v")], at: seat)
            guard case .logRecord(let seq, _)? = rig.state(seat).viewer.modal else {
                Issue.record("\(seat): v showed \(String(describing: rig.state(seat).viewer.modal))")
                continue
            }
            #expect(rig.state(seat).incident?.record(seq: seq)?.kind == LogKind.drillInject)
            let shown = DrillRig.view.render(rig.state(seat)).text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            #expect(shown.contains(lastWords), "\(seat): the inject's end '\(lastWords)' is not shown")
            rig.press([.escape, .escape], at: seat)
            #expect(!DrillRig.view.render(rig.state(seat)).text.contains("✱"), "\(seat): Esc hides the banner")
            rig.press([.character("v")], at: seat)
            #expect(rig.state(seat).viewer.modal == .logRecord(seq: seq, scroll: Scroll()))
        }
        for problem in rig.problems { Issue.record(Comment(rawValue: problem)) }
    }

    @Test("two injects played in the same second are two banners, newest first: Esc on one shows the other, and v reads the one on top")
    func twoInjectsAtOnce() throws {
        let site = try Self.site()
        let scenario = try #require(site.drills.scenario("power-generator-fails"))
        let rig = try DrillRig(scenario: scenario, site: site)
        rig.advance(to: scenario.injects[0].at)
        rig.send(.drill(.injectDue(scenario.injects[0].number)), to: .facilitator)
        rig.send(.drill(.injectDue(scenario.injects[1].number)), to: .facilitator)
        let played = try #require(rig.state(.player).incident?.recent.filter { $0.kind == LogKind.drillInject }.map(\.seq))
        #expect(played.count == 2)
        func bannerSeqs() -> [Int] { rig.state(.player).banners.compactMap { if case .inject(let seq)? = $0.id { seq } else { nil } } }
        #expect(bannerSeqs() == played.reversed())
        // What asks for action (the runbook the UPS on battery suggests) comes before the older inject.
        let ids = rig.state(.player).banners.map(\.id)
        let suggestion = try #require(ids.firstIndex { if case .suggestion? = $0 { true } else { false } })
        #expect(ids.first == .inject(seq: played[1]) && suggestion < ids.lastIndex(of: .inject(seq: played[0]))!)
        // Only the banner on top says v reads it: that is the one v reads.
        var both = rig.state(.player)
        both.viewer.size = Size(width: 80, height: 24)
        for id in both.banners.compactMap(\.id) where id != .inject(seq: played[0]) && id != .inject(seq: played[1]) { both.viewer.hidden.insert(id) }
        let rows = DrillRig.view.render(both).text.split(separator: "\n").filter { $0.contains("✱") }
        #expect(rows.count == 2 && rows[0].contains("v reads all") && !rows[1].contains("v reads all"), "\(rows)")
        rig.press([.character("v")], at: .player)
        #expect(rig.state(.player).viewer.modal == .logRecord(seq: played[1], scroll: Scroll()))
        rig.press([.escape, .escape], at: .player)
        #expect(bannerSeqs() == [played[0]])
        rig.press([.character("v")], at: .player)
        #expect(rig.state(.player).viewer.modal == .logRecord(seq: played[0], scroll: Scroll()))
        for problem in rig.problems { Issue.record(Comment(rawValue: problem)) }
    }

    @Test("the objectives board at 80 columns shows every objective and expectation whole, wrapped under itself, none cut",
          arguments: scenarios)
    func boardWrapsAtEightyColumns(_ name: String) throws {
        let site = try Self.site()
        let scenario = try #require(site.drills.scenario(name))
        let rig = try DrillRig(scenario: scenario, site: site)
        let state = rig.state(.facilitator)
        let width = OverlayFrame.contentWidth(in: Size(width: 80, height: 24))
        let lines = ObjectivesBoardView(theme: DrillRig.view.theme).lines(scenario, incident: try #require(state.incident), now: state.site.now, width: width)
        for line in lines { #expect(line.width <= width, "\(line.width) columns: \(line.spans.map(\.text).joined())") }
        let words = lines.map { $0.spans.map(\.text).joined() }.joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for text in scenario.objectives.map(\.text) + scenario.injects.flatMap(\.expect).map(\.text) {
            #expect(words.contains(text.split(whereSeparator: \.isWhitespace).joined(separator: " ")), "not whole on the board: \(text)")
        }
    }

    @Test("a drill's review takes times as the drill shows them (t T+2:00 or T+90s goes to that scenario time), and v reads an inject whole")
    func reviewTakesScenarioTimes() throws {
        let site = try Self.site()
        let scenario = try #require(site.drills.scenario("power-generator-fails"))
        let rig = try DrillRig(scenario: scenario, site: site)
        rig.advance(to: scenario.injects[0].at)
        rig.send(.drill(.injectDue(scenario.injects[0].number)), to: .facilitator)
        rig.advance(to: 300)
        rig.press([.character("n")] + "at five minutes".map(Key.character) + [.enter], at: .player)
        let epoch = try #require(rig.state(.facilitator).incident?.drill?.epoch)
        var (_, review) = try ReviewFiles.openRead(
            logPath: rig.directory.logPath(for: rig.incidentID),
            site: ReviewFiles.Site(name: site.config.site, isDemo: true, specs: rig.specs,
                                   library: SiteLibrary(runbooks: site.runbooks, reference: site.config.reference, scenario: nil)),
            size: Size(width: 80, height: 24), asActor: nil, at: nil)
        for (typed, seconds) in [("T+2:00", 120.0), ("t+90s", 90), ("T+0:04:10", 250), ("T+0", 0)] {
            review.handle(.character("t"))
            for key in typed { review.handle(.character(key)) }
            review.handle(.enter)
            #expect(review.instant == epoch.addingTimeInterval(seconds), "\(typed): \(review.hint ?? "")")
        }
        review.handle(.character("t"))
        for key in "T+soon" { review.handle(.character(key)) }
        review.handle(.enter)
        #expect(review.hint?.contains("try T+5:00") == true)
        // v reads the inject whose banner the players had, as they did.
        review.seek(to: epoch.addingTimeInterval(300))
        review.handle(.character("v"))
        guard case .logRecord(let seq, _)? = review.shown.viewer.modal else {
            Issue.record("v in review showed \(String(describing: review.shown.viewer.modal)) · \(review.hint ?? "")")
            return
        }
        #expect(review.shown.incident?.record(seq: seq)?.kind == LogKind.drillInject)
    }

    @Test("a jump ahead before any probe has read logs no silence: a first reading after it is not a return from STALE")
    func jumpBeforeFirstReadings() throws {
        let site = try Self.site()
        let scenario = try #require(site.drills.scenario("power-generator-fails"))
        let rig = try DrillRig(scenario: scenario, site: site)
        rig.advance(to: 300)
        let changes = try rig.recordsOnDisk().filter { $0.kind == LogKind.probeChanged }
        #expect(!changes.isEmpty, "the scenario's probes in trouble at the start are logged")
        #expect(changes.allSatisfy { $0["from"]?.string != "stale" && $0["to"]?.string != "stale" },
                "\(changes.map { "\($0["probe"]?.string ?? "") \($0["from"]?.string ?? "")→\($0["to"]?.string ?? "")" })")
        for problem in rig.problems { Issue.record(Comment(rawValue: problem)) }
    }

    @Test("the facilitator's footer keeps the drill's keys while a player's runbook is shown, and gives the step keys in the stepper")
    func facilitatorFooter() throws {
        let site = try Self.site()
        let scenario = try #require(site.drills.scenario("power-generator-fails"))
        let rig = try DrillRig(scenario: scenario, site: site)
        rig.broadcast(.resize(Size(width: 80, height: 24)))
        rig.advance(to: scenario.injects[0].at)
        rig.send(.drill(.injectDue(scenario.injects[0].number)), to: .facilitator)
        rig.press([.character("r")], at: .player)
        rig.type("utility-power-failure", at: .player)
        rig.press([.enter], at: .player)
        #expect(rig.state(.facilitator).incident?.run(of: "utility-power-failure") != nil, "the player started the runbook")
        func footer() -> String { String(DrillRig.view.render(rig.state(.facilitator)).text.split(separator: "\n").last ?? "") }
        #expect(footer().contains("Space") && footer().contains("next inject"), "\(footer())")
        while rig.state(.facilitator).viewer.focus != .stepper { rig.press([.tab], at: .facilitator) }
        #expect(footer().contains("d  done") || footer().contains("d  write") || footer().contains("d  answer"), "\(footer())")
        for problem in rig.problems { Issue.record(Comment(rawValue: problem)) }
    }

    @Test("each shipped scenario plays end to end at ×60: every expectation met in its window, the board says so, every record a drill's",
          arguments: scenarios)
    func playedThrough(_ name: String) throws {
        let site = try Self.site()
        let scenario = try #require(site.drills.scenario(name))
        let rig = try DrillRig(scenario: scenario, site: site)

        rig.play()
        for problem in rig.problems { Issue.record(Comment(rawValue: problem)) }

        // Every inject was played, at its own time.
        let progress = try #require(rig.facilitator.state.incident?.drill)
        #expect(progress.fired.map(\.number).sorted() == scenario.injects.map(\.number))
        for fired in progress.fired {
            let at = try #require(scenario.inject(fired.number)).at
            #expect(abs(fired.at - at) < 1, "inject #\(fired.number) fired at T+\(fired.at), due at T+\(at)")
        }

        // What is on disk: every record a drill's, with its scenario time; the score from it.
        let records = try rig.recordsOnDisk()
        #expect(records.count == rig.facilitator.state.incident?.recordCount)
        #expect(records.count == rig.player.state.incident?.recordCount)
        for record in records {
            #expect(record.entry.drill, "record #\(record.seq) \(record.kind) is not marked as a drill's")
            // The opening states T+0 itself (its epoch); every record after it its scenario time.
            guard record.seq > 1 else {
                #expect(record["epoch"]?.string == TimeText.iso8601(record.at))
                continue
            }
            let expected = Int((record.at.timeIntervalSince(progress.epoch) * 1000).rounded())
            #expect(record["scenario_ms"]?.int == expected, "record #\(record.seq) \(record.kind): scenario_ms \(String(describing: record["scenario_ms"]))")
        }
        #expect(records.contains { $0.kind == LogKind.drillControl } && records.contains { $0.kind == LogKind.drillEvaluation })

        var score = DrillScore(scenario)
        for record in records { score.apply(record, epoch: progress.epoch) }
        let end = progress.elapsed(at: rig.facilitator.state.site.now)
        for entry in score.entries {
            let status = entry.status(at: end)
            if case .met = status { continue }
            Issue.record("\(entry.expectation.location.map(\.description) ?? scenario.file): inject #\(entry.inject) \(entry.expectation.text) within \(Int(entry.expectation.within))s: \(status)")
        }
        for objective in scenario.objectives {
            #expect(score.rating(of: objective.id, at: end) == "P", "\(objective.id)")
        }

        // Customer messages in the drill: exercise traffic, first and last, as written and as logged.
        let sent = records.filter { $0.kind == LogKind.commsSent }
        #expect(!sent.isEmpty)
        #expect(rig.composed.count == sent.count)
        for text in rig.composed + sent.compactMap({ $0["text"]?.string }) {
            #expect(text.hasPrefix(Composer.exerciseMark) && text.hasSuffix(Composer.exerciseMark), "\(text)")
        }
        for record in sent { #expect(record["subject"]?.string.map { $0.hasPrefix("EXERCISE") } ?? true) }

        // The objectives board (o, on the facilitator's console): a row per expectation, each met.
        let board = rig.objectivesBoard()
        #expect(board.contains("objectives board · players do not see it"))
        for entry in score.entries {
            let row = board.split(separator: "\n").first { $0.contains("#\(entry.inject) \(entry.expectation.text) within") }
            #expect(row?.contains("✔ met at T+") == true, "no row saying met for #\(entry.inject) \(entry.expectation.text): \(row.map(String.init) ?? "none")")
        }
        for word in ["missed", "late, at", "pending", "not yet injected", "answered '"] {
            #expect(!board.contains(word), "the board says '\(word)'")
        }
        let rated = scenario.objectives.filter { objective in score.entries.contains { $0.expectation.objective == objective.id } }
        #expect(board.components(separatedBy: "[P] ").count - 1 == rated.count)
        #expect(board.contains("\(scenario.injects.count) of \(scenario.injects.count) injects played"))

        // The player's console never shows the board: it is the facilitator's.
        rig.press([.character("o")], at: .player)
        #expect(rig.player.state.viewer.modal == nil)
        #expect(rig.player.state.viewer.hint?.text == "the drill is run from the facilitator's console")
    }
}

/// A drill as `switchboard drill SCENARIO --speed 60` runs it on the demo site, driven as its run
/// loop drives it but on a test clock: the scenario clock (×60 over a manual clock), the injects
/// posted as it reaches their time (`DrillTasks`), the probes the scenario drives read from its
/// playback, the others steady, at each probe's interval. Two consoles share the drill's log on
/// a real state directory: the facilitator's (which loaded the scenario) and a player's (which
/// follows the incident, as `switchboard --incident ID` does). Each log request is written to
/// disk at once and the records go back to both consoles, as their writers would post them.
private final class DrillRig {
    enum Seat { case facilitator, player }

    static let speed: Double = 60
    static let view = ConsoleView(theme: .make(color: false, unicode: true))
    static let size = Size(width: 200, height: 60)
    /// Between two actions of the player answering one inject, in scenario seconds.
    static let pace: TimeInterval = 15

    let scenario: DrillScenario
    let specs: [ProbeSpec]
    /// When the drill starts, on the wall clock and as its T+0.
    static let start = Date(timeIntervalSince1970: 1_796_637_600) // 2026-12-07 10:00 UTC
    let wall = DrillRig.start
    let base: ManualClock
    let clock: ScenarioClock
    let playback: ScenarioPlayback
    let directory: StateDirectory
    let incidentID: String
    private let log: IncidentLogFile
    /// The incident as the writers folded it, for their de-duplication.
    private var folded: IncidentState
    private(set) var facilitator: Console
    private(set) var player: Console
    /// What went wrong that is not an expectation's status: a key that did not do what it should.
    private(set) var problems: [String] = []
    /// Every customer message's text as the composer held it when it was sent.
    private(set) var composed: [String] = []

    /// Log entries asked for and not yet written, oldest first, with the console that asked.
    private var held: [(entry: LogEntry, seat: Seat)] = []
    private var writing = false
    private var nextReading: [String: TimeInterval] = [:]
    private var posted: Set<Int> = []
    /// The player's work: each expectation of each inject played, at the scenario time it is done.
    private var actions: [(at: TimeInterval, inject: Int, expectation: DrillScenario.Expectation)] = []

    /// The state directory the rig made for itself, removed with it.
    private var temporaryState: String?

    /// A rig in a state directory of its own, under the temporary folder, removed with the rig.
    convenience init(scenario: DrillScenario, site: DrillPlayThroughTests.Site) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-drill-\(scenario.id)-\(UUID().uuidString)").path
        try self.init(scenario: scenario, site: site, directory: StateDirectory(path: folder).drills)
        temporaryState = folder
    }

    deinit {
        if let temporaryState { try? FileManager.default.removeItem(atPath: temporaryState) }
    }

    init(scenario: DrillScenario, site: DrillPlayThroughTests.Site, directory: StateDirectory) throws {
        self.scenario = scenario
        self.directory = directory
        let specs = site.config.probes.map(\.spec)
        self.specs = specs
        let wall = Self.start
        base = ManualClock(now: wall)
        let clock = ScenarioClock(epoch: wall, base: base, speed: Self.speed)
        self.clock = clock
        playback = ScenarioPlayback(scenario: scenario, clock: clock)
        let data = try Data(contentsOf: URL(fileURLWithPath: scenario.file))
        try directory.prepare()
        let opened = try directory.openIncident(.drillOpened(scenario, sha256: DrillScenario.digest(of: data), speed: Self.speed,
                                                             actor: "dana", at: clock.now(), wall: wall))
        log = opened.log
        folded = opened.state
        incidentID = opened.state.id
        /// A console as the run loop starts one; only the facilitator's has loaded the scenario.
        func console(actor: String, scenario: DrillScenario?) -> Console {
            Console(ConsoleState(site: SiteState(siteName: site.config.site, isDemo: site.config.isDemo, specs: specs, startedAt: clock.now()),
                                 size: Self.size, actor: actor,
                                 library: SiteLibrary(runbooks: site.runbooks, reference: site.config.reference, scenario: scenario)))
        }
        facilitator = console(actor: "dana", scenario: scenario)
        player = console(actor: "lee", scenario: nil)
        for spec in specs { nextReading[spec.id] = 1 }
        for seat in [Seat.facilitator, .player] {
            send(.log(.attached(opened.state, notice: nil)), to: seat)
            send(.log(.restored(incident: incidentID, nil)), to: seat)
        }
    }

    func state(_ seat: Seat) -> ConsoleState { seat == .facilitator ? facilitator.state : player.state }

    // MARK: - The run loop, on a test clock

    func send(_ input: ConsoleInput, to seat: Seat) {
        let effects: [ConsoleEffect]
        switch seat {
        case .facilitator: effects = facilitator.send(input)
        case .player: effects = player.send(input)
        }
        for effect in effects { perform(effect, from: seat) }
        // DrillTasks.follow: the playback takes the injects the log says were played.
        if seat == .facilitator, case .log = input, let progress = facilitator.state.incident?.drill { playback.sync(progress.fired) }
        // The topmost scrolling view learns how far it goes, as a drawn frame tells it.
        if let scroll = state(seat).viewer.modal?.scroll, let limit = Self.view.frame(state(seat)).scrollLimit, limit != scroll.limit {
            send(.drawn(scrollLimit: limit), to: seat)
        }
    }

    /// Readings and the clock reach both consoles: the player's follows the facilitator's journal.
    func broadcast(_ input: ConsoleInput) {
        send(input, to: .facilitator)
        send(input, to: .player)
    }

    private func perform(_ effect: ConsoleEffect, from seat: Seat) {
        switch effect {
        case .log(.append(let entry)):
            held.append((entry, seat))
            writeHeld()
        case .log(.open(let title, _, _, _, _)):
            problems.append("a console in the drill asked to open an incident '\(title)'")
        case .journal:
            break
        case .editText, .quit:
            problems.append("unexpected \(effect) from the \(seat) console")
        case .drillClock(let control):
            guard seat == .facilitator else { return problems.append("the player's console set the scenario clock") }
            clock.apply(control)
            send(.drill(.clockSet(action: control.action, clock.setting)), to: .facilitator)
        case .injectPlayed(let number):
            guard seat == .facilitator else { return problems.append("the player's console played inject #\(number)") }
            // The probes it drives read again at once.
            for result in playback.play(number, specs: specs) { broadcast(.site(.probeResult(result))) }
        }
    }

    /// Writes what was asked, in the order it was asked (as a writer's queue does), each record
    /// going back to both consoles: acknowledged to the one that asked for it.
    private func writeHeld() {
        guard !writing else { return }
        writing = true
        defer { writing = false }
        while !held.isEmpty {
            let (entry, seat) = held.removeFirst()
            do {
                let update = try log.append(entry, unlessAlreadyIn: folded)
                for record in update.records where record.seq > folded.recordCount { folded.apply(record) }
                send(.log(.records(update.records, acknowledged: 1)), to: seat)
                if !update.records.isEmpty { send(.log(.records(update.records, acknowledged: 0)), to: seat == .facilitator ? .player : .facilitator) }
            } catch {
                problems.append("cannot append \(entry.kind): \(error)")
            }
        }
    }

    var elapsed: TimeInterval { clock.now().timeIntervalSince(clock.epoch) }

    /// On to scenario second `t`: the clock ticks on both consoles, and every probe due reads.
    func advance(to t: TimeInterval) {
        let remaining = t - clock.elapsed
        if remaining > 0 { base.advance(by: remaining / clock.speed) }
        let now = clock.now()
        broadcast(.site(.clock(now)))
        let at = now.timeIntervalSince(clock.epoch)
        for spec in specs {
            guard let due = nextReading[spec.id], due <= at else { continue }
            // Driven by the scenario, or steady and healthy (as --simulate-all runs the others).
            let observation = playback.observation(of: spec.id, at: now)
                ?? ProbeObservation(status: .ok, summary: "steady (simulated for the drill)")
            broadcast(.site(.probeResult(ProbeResult(probeID: spec.id, observation: spec.thresholds.apply(to: observation), at: now,
                                                     duration: .milliseconds(4)))))
            // As the scheduler does: the next turn an interval on, turns missed meanwhile skipped.
            var next = due + spec.interval.seconds
            while next <= at { next += spec.interval.seconds }
            nextReading[spec.id] = next
        }
    }

    func press(_ keys: [Key], at seat: Seat) {
        for key in keys {
            // What a key logs is stamped with the time it was pressed.
            send(.site(.clock(clock.now())), to: seat)
            send(.key(key), to: seat)
        }
    }

    func type(_ text: String, at seat: Seat) { press(text.map(Key.character), at: seat) }

    // MARK: - The drill

    /// The whole exercise: the facilitator checks the speed, the injects come as the scenario
    /// clock reaches them, the player answers each, an evaluator's note, until the drill's end.
    func play() {
        // ×60 is the fastest: the facilitator slows to ×30 and back, both logged.
        press([.character("+")], at: .facilitator)
        press([.character("-"), .character("+")], at: .facilitator)
        guard clock.speed == Self.speed else { return problems.append("the speed is ×\(clock.speed) after - and +") }

        let injects = scenario.injects.sorted { $0.at < $1.at }
        var t: TimeInterval = 0
        while t <= scenario.duration {
            advance(to: t)
            // DrillTasks: each inject is posted when the scenario clock reaches its time.
            for inject in injects where !posted.contains(inject.number) && inject.at <= elapsed {
                posted.insert(inject.number)
                send(.drill(.injectDue(inject.number)), to: .facilitator)
                schedule(inject)
            }
            while let next = actions.first, next.at <= elapsed {
                actions.removeFirst()
                act(next.expectation, inject: next.inject)
            }
            t += 1
        }
        if !actions.isEmpty { problems.append("\(actions.count) actions were still to do when the drill ended") }
        // A drill that asks for no customer message still sends its closing update as exercise traffic.
        if composed.isEmpty { send("client-update", "T+\(TimeText.countdown(elapsed)) closing update") }
        // An evaluator's note on the first objective.
        press([.character("e")], at: .facilitator)
        type("kept the clients informed on time", at: .facilitator)
        press([.enter], at: .facilitator)
        if state(.facilitator).viewer.modal != nil { problems.append("the evaluator's note was not taken: \(String(describing: state(.facilitator).viewer.form?.problem))") }
    }

    /// The player's answers to an inject just played: runbooks started first, then the rest,
    /// soonest due first, one every `pace` seconds after the inject fired.
    private func schedule(_ inject: DrillScenario.Inject) {
        guard let fired = facilitator.state.incident?.drill?.fired.first(where: { $0.number == inject.number }) else {
            return problems.append("inject #\(inject.number) was posted at T+\(Int(elapsed))s but is not in the log")
        }
        let ordered = inject.expect.enumerated().sorted { a, b in
            let (startA, startB) = (Self.isRunbookStart(a.element), Self.isRunbookStart(b.element))
            if startA != startB { return startA }
            return (a.element.within, a.offset) < (b.element.within, b.offset)
        }.map(\.element)
        for (index, expectation) in ordered.enumerated() {
            let at = fired.at + Self.pace * Double(index + 1)
            if at > fired.at + expectation.within {
                problems.append("#\(inject.number) \(expectation.text): no time left to do it in its window")
            }
            actions.append((at, inject.number, expectation))
        }
        actions.sort { $0.at < $1.at }
    }

    private static func isRunbookStart(_ expectation: DrillScenario.Expectation) -> Bool {
        if case .runbook = expectation.action { true } else { false }
    }

    /// The drill's records so far, scored.
    func score() -> DrillScore {
        var score = DrillScore(scenario)
        guard let incident = facilitator.state.incident, let progress = incident.drill else { return score }
        for record in incident.recent { score.apply(record, epoch: progress.epoch) }
        return score
    }

    private func status(of expectation: DrillScenario.Expectation, inject: Int) -> DrillScore.Status? {
        score().entries.first { $0.inject == inject && $0.expectation == expectation }?.status(at: elapsed)
    }

    /// Does what `expectation` asks, on the player's console, with keys.
    private func act(_ expectation: DrillScenario.Expectation, inject: Int) {
        let what = "T+\(TimeText.countdown(elapsed)) #\(inject) \(expectation.text)"
        // Done already (a wait that held, a message a step sent).
        if case .met? = status(of: expectation, inject: inject) { return }
        switch expectation.action {
        case .runbook(let id):
            guard show(id, start: true, what) else { return }
        case .step(let runbook, let step):
            guard show(runbook, start: false, what), select(step, what) else { return }
            markDone(runbook, step, what)
        case .decision(let runbook, let step, let answer):
            guard show(runbook, start: false, what), select(step, what) else { return }
            decide(runbook, step, answer: answer, what)
        case .comms(let template):
            // Through the running runbook's step that sends it, as its stepper says; else with c.
            if let (runbook, step) = notifyStep(sending: template) {
                guard show(runbook, start: false, what), select(step, what) else { return }
                markDone(runbook, step, what)
            } else {
                send(template, what)
            }
        case .note(let words):
            // n writes a note: about the step shown, when the stepper has the focus.
            press([.character("n")], at: .player)
            switch state(.player).viewer.form?.purpose {
            case .remark?, .stepNote?: break
            default: return problems.append("\(what): n did not open a note")
            }
            type("\(words): as reported in inject #\(inject)", at: .player)
            press([.enter], at: .player)
        }
        if let modal = state(.player).viewer.modal {
            problems.append("\(what): left open: \(modal)")
            press([.escape, .escape], at: .player)
        }
        if let status = status(of: expectation, inject: inject), case .met = status {} else {
            problems.append("\(what): done with keys, yet \(String(describing: status(of: expectation, inject: inject)))")
        }
    }

    /// A step of a running runbook that sends `template` and is not done yet (or is done every so often).
    private func notifyStep(sending template: String) -> (runbook: String, step: String)? {
        let player = state(.player)
        for run in player.incident?.runbooks.reversed() ?? [] where !run.isFinished {
            guard let runbook = player.runbooks.runbook(run.runbookID) else { continue }
            for step in runbook.steps where step.notify == template {
                if case .done = run.progress(of: step.id).outcome, step.every == nil { continue }
                return (runbook.id, step.id)
            }
        }
        return nil
    }

    /// Shows runbook `id` in the stepper through `r`: starts it when `start`, else picks it
    /// among those running (starting it first if nobody has).
    private func show(_ id: String, start: Bool, _ what: String) -> Bool {
        press([.character("r")], at: .player)
        type(id, at: .player)
        let entries = RunbookPickerEntry.entries(state(.player), filter: id)
        guard let index = entries.firstIndex(where: { entry in
            switch entry {
            case .running(let runbook, _), .suggested(let runbook), .available(let runbook): runbook.id == id
            case .broken: false
            }
        }) else {
            problems.append("\(what): r does not list \(id)")
            press([.escape], at: .player)
            return false
        }
        if start, case .running = entries[index] {
            problems.append("\(what): \(id) is running already, so it cannot be started now")
        }
        if !start, case .running = entries[index] {} else if !start {
            problems.append("\(what): \(id) had to be started first (no expectation starts it before)")
        }
        press(Array(repeating: .down, count: index) + [.enter], at: .player)
        guard state(.player).shownRunbookID == id, state(.player).viewer.focus == .stepper else {
            problems.append("\(what): the stepper does not show \(id)")
            return false
        }
        return true
    }

    /// Moves the stepper's selection to `stepID` with j and k.
    private func select(_ stepID: String, _ what: String) -> Bool {
        guard let (run, runbook) = state(.player).shownRun, let target = runbook.index(of: stepID) else {
            problems.append("\(what): no step \(stepID)")
            return false
        }
        let from = state(.player).selectedStepIndex(run, runbook)
        press(Array(repeating: target > from ? .character("j") : .character("k"), count: abs(target - from)), at: .player)
        guard state(.player).selectedStep?.id == stepID else {
            problems.append("\(what): j/k did not select \(stepID)")
            return false
        }
        return true
    }

    /// `d` on the selected step: over a failing check with a reason, through its message when it
    /// sends one; a step done before its inject (nobody could know it would be asked for) is
    /// reopened first.
    private func markDone(_ runbookID: String, _ stepID: String, _ what: String) {
        guard let (run, runbook) = state(.player).shownRun, let step = runbook.step(stepID) else { return }
        if case .done = run.progress(of: stepID).outcome, step.every == nil {
            press([.character("u")], at: .player)
        }
        press([.character("d")], at: .player)
        if case .doneOverCheck? = state(.player).viewer.form?.purpose {
            type("confirmed by hand in the drill", at: .player)
            press([.enter], at: .player)
        }
        if state(.player).viewer.composer != nil { sendComposed(what) }
    }

    /// `d` on a question: the expected answer (else the first) with ← →, a reason, Enter.
    private func decide(_ runbookID: String, _ stepID: String, answer: String?, _ what: String) {
        guard let step = state(.player).runbooks.runbook(runbookID)?.step(stepID) else { return }
        press([.character("d")], at: .player)
        guard case .decision? = state(.player).viewer.form?.purpose else { return problems.append("\(what): d did not ask for the answer") }
        let index = answer.flatMap { answer in step.choices.firstIndex { $0.answer == answer } } ?? 0
        press(Array(repeating: .right, count: index), at: .player)
        if let answer, state(.player).viewer.form?.choice(0) != answer {
            problems.append("\(what): cannot choose '\(answer)'")
        }
        press([.tab], at: .player)
        type("as the inject says", at: .player)
        press([.enter], at: .player)
    }

    /// `c`, the template, its blanks filled, Ctrl-D, y.
    private func send(_ templateID: String, _ what: String) {
        press([.character("c")], at: .player)
        guard let index = state(.player).reference.comms.firstIndex(where: { $0.id == templateID }) else {
            return problems.append("\(what): no template \(templateID)")
        }
        press(Array(repeating: .down, count: index) + [.enter], at: .player)
        guard let composer = state(.player).viewer.composer, composer.template.id == templateID else {
            return problems.append("\(what): c did not open \(templateID)")
        }
        for field in [Composer.Field.eta, .news] where composer.fields.contains(field) {
            while state(.player).viewer.composer.map({ $0.focused != field }) ?? false { press([.tab], at: .player) }
            type(field == .eta ? "12:30" : "We are working on it with our vendors", at: .player)
        }
        sendComposed(what)
    }

    private func sendComposed(_ what: String) {
        guard let composer = state(.player).viewer.composer else { return }
        press([.control("d")], at: .player)
        guard state(.player).viewer.composer?.question == .send else {
            return problems.append("\(what): Ctrl-D did not ask to send: \(String(describing: state(.player).viewer.composer?.problem))")
        }
        composed.append(state(.player).viewer.composer?.body.text ?? composer.body.text)
        press([.character("y")], at: .player)
    }

    // MARK: - After

    /// The objectives board as the facilitator's console draws it (`o`), every page of it.
    func objectivesBoard() -> String {
        press([.character("o")], at: .facilitator)
        var pages: [String] = []
        for _ in 0..<20 {
            pages.append(Self.view.render(facilitator.state).text)
            guard let scroll = facilitator.state.viewer.modal?.scroll, let limit = scroll.limit, scroll.top < limit else { break }
            press([.pageDown], at: .facilitator)
        }
        return pages.joined(separator: "\n")
    }

    /// Every record of the drill's log, read back from disk.
    func recordsOnDisk() throws -> [LogRecord] {
        var records: [LogRecord] = []
        try IncidentLogFile.open(in: directory, incident: incidentID).readNew(now: clock.now()) { records.append($0) }
        return records
    }
}

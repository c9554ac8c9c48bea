import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardConsole
import SwitchboardStore
import TerminalUI

/// The property review and drills stand on: the files a console leaves on disk (its incident's
/// log and its readings journal) redraw, through the same reducer, every frame it drew.
@Suite("Replay equals live")
struct ReplayEqualsLiveTests {
    /// A console driven as the run loop drives one, on a test clock, with the real action-log
    /// writer on a real state directory; whatever the writer posts comes back before the next input.
    final class LiveConsole {
        private(set) var console: Console
        let writer: ActionLogWriter
        /// Effects the script should not have caused.
        private(set) var unexpected: [ConsoleEffect] = []
        /// What the writer posts, as it reaches the run loop.
        private let inbox: EventInbox<ActionLogEvent>

        init(_ state: ConsoleState, directory: StateDirectory, clock: ManualClock) throws {
            console = Console(state)
            let inbox = try EventInbox<ActionLogEvent>()
            self.inbox = inbox
            writer = ActionLogWriter(
                directory: directory,
                console: .init(actor: state.session.actor, started: state.site.startedAt, siteName: state.site.siteName,
                               isDemo: state.site.isDemo, specs: state.site.probes.map(\.spec)),
                now: { clock.now() }, post: { event in inbox.post(event) })
            writer.start(resuming: nil)
            settle()
        }

        var state: ConsoleState { console.state }

        func send(_ input: ConsoleInput) {
            for effect in console.send(input) {
                switch effect {
                case .log(let request): writer.submit(request)
                case .journal(let request): writer.journal(request)
                case .editText, .quit, .drillClock, .injectPlayed: unexpected.append(effect)
                }
            }
            settle()
        }

        /// Lets the writer finish what it was asked and folds in what it posted.
        private func settle() {
            writer.settle()
            for event in inbox.drain() { send(.log(event)) }
        }

        func press(_ keys: [Key]) {
            for key in keys { send(.key(key)) }
        }

        func type(_ text: String, then keys: [Key] = []) {
            press(text.map(Key.character) + keys)
        }
    }

    static let runbook = """
        id: power
        title: Utility power failure
        severity: sev1
        triggers: ["ups-main.ups.status has OB"]
        steps:
          - id: confirm
            do: Confirm the UPS carries the load
            check: "ups-main.ups.status has OB"
          - id: generator
            do: Verify the generator took the load
            wait: "generator.state == running"
            within: 2m
            on_timeout: manual
            next: notify
          - id: manual
            do: Start the generator by hand
          - id: carrying
            do: Wait until the generator carries the load
            wait: "generator.state == running"
          - id: notify
            do: Tell clients service may be degraded
            every: 3m
          - id: back
            do: Confirm utility power is back
            wait: "ups-main.ups.status has OL"
        """

    /// The fixture site's readings at second `t` of the script: the UPS goes on battery at 60 s
    /// and runs down, the generator fails to start until someone starts it by hand at 250 s, a
    /// trunk drops at 400 s. Each probe answers at its interval.
    static func readings(at t: Int) -> [ProbeResult] {
        var results: [(String, ProbeStatus, String, [Metric])] = []
        let onBattery = t >= 60
        let charge = onBattery ? max(20, 100 - Double(t - 60) / 5) : 100
        if t % 5 == 0 {
            results.append(("ups-main", onBattery ? .warning : .ok, onBattery ? "on battery · \(Int(charge))%" : "on line",
                            [Metric(name: "ups.status", value: .text(onBattery ? "OB DISCHRG" : "OL")),
                             Metric(name: "battery.charge", value: .number(charge, unit: "%"))]))
            results.append(("isp-a", .ok, "PING OK - rta \(18 + t % 7) ms", [Metric(name: "rta", value: .number(Double(18 + t % 7), unit: "ms"))]))
            results.append(("trunk-b", t >= 400 ? .critical : .ok, t >= 400 ? "no answer to OPTIONS" : "200 OK in 31 ms",
                            [Metric(name: "rtt", value: .number(t >= 400 ? 0 : 31, unit: "ms"))]))
            results.append(("queue-sales", .ok, "SL \(90 - t / 30)%", [Metric(name: "service_level", value: .number(Double(90 - t / 30), unit: "%"))]))
        }
        if t % 10 == 0 {
            let running = t >= 250
            results.append(("generator", running ? .ok : (onBattery ? .critical : .ok),
                            running ? "running, on load" : (onBattery ? "start failed (alarm 23)" : "standby"),
                            [Metric(name: "state", value: .text(running ? "running" : (onBattery ? "failed" : "standby")))]))
        }
        return results.map { id, status, summary, metrics in
            ProbeResult(probeID: id, observation: ProbeObservation(status: status, summary: summary, metrics: metrics),
                        at: Fixtures.start.addingTimeInterval(Double(t)), duration: .milliseconds(7))
        }
    }

    /// What a scripted run found, for the test to judge.
    struct Run: Sendable {
        var records: [LogRecord]
        var frameCount: Int
        var sawReminder: Bool
        var lastFrame: String
        var unsavedAtEnd: [LogEntry]
        var unexpected: [ConsoleEffect]
        var journals: Int
        /// The frames the files redraw differently, with the lines that differ.
        var differing: [String]
        var readings: ReadingsVerification
    }

    @Test("from nothing but the log and the journal, the reducer redraws every second the console drew, cell for cell",
          arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40)])
    func replayEqualsLive(size: Size) async throws {
        // Long and busy: on a thread of its own, so the tests beside it keep the cooperative pool.
        let run = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Run, Error>) in
            Thread { continuation.resume(with: Result { try Self.run(size: size) }) }.start()
        }
        // The script did what it says.
        let kinds = run.records.map(\.kind)
        #expect(run.unexpected.isEmpty && run.unsavedAtEnd.isEmpty)
        #expect(kinds.contains(LogKind.stepOverdue))
        #expect(run.records.contains { $0.kind == LogKind.stepDone && $0["auto"]?.bool == true && $0["step"]?.string == "carrying" })
        #expect(run.records.contains { $0.kind == LogKind.handoff && $0["to"]?.string == "bob" })
        #expect(run.records.contains { $0.kind == LogKind.probeChanged && $0["probe"]?.string == "trunk-b" && $0["to"]?.string == "critical" })
        #expect(run.records.contains { $0.kind == LogKind.stepDone && $0["step"]?.string == "notify" && $0["round"]?.int == 1 })
        #expect(kinds.filter { $0 == LogKind.readingsSealed }.count >= 2, "sealed when it began and when it stopped")
        #expect(run.frameCount > 500 && run.journals == 1)
        // Something to compare: the reminder of the recurring step is drawn, and the hand-over.
        #expect(run.sawReminder)
        #expect(run.lastFrame.contains("IC bob"))
        // From the files alone, the same frames.
        #expect(run.differing.isEmpty, "\(run.differing.count) of \(run.frameCount) frames differ; the first: \(run.differing.first ?? "")")
        #expect(run.readings.isIntact && run.readings.notes.isEmpty, "\(run.readings)")
    }

    /// What the script left on disk, and the frames the live console drew.
    struct Recorded {
        var directory: StateDirectory
        var incidentID: String
        var library: SiteLibrary
        var frames: [(second: Int, buffer: CellBuffer)]
        var unsaved: [LogEntry]
        var unexpected: [ConsoleEffect]
        var logPath: String { directory.logPath(for: incidentID) }
        var site: ReviewFiles.Site { ReviewFiles.Site(name: ReplayEqualsLiveTests.siteName, isDemo: false, specs: Fixtures.specs, library: library) }

        func remove() { try? FileManager.default.removeItem(atPath: directory.path) }
    }

    static let siteName = "Phoenix contact center"
    static let view = ConsoleView(theme: .make(color: true, unicode: true))

    /// Focus, selection and dialogs belong to whoever looks: frames are compared without them.
    static func frame(_ state: ConsoleState) -> CellBuffer {
        var seen = state
        seen.viewer = Viewer(size: state.viewer.size, site: state.site)
        return view.render(seen)
    }

    /// Runs the script on a live console in a new state directory (the caller removes it).
    static func record(size: Size) throws -> Recorded {
        let directory = StateDirectory(path: FileManager.default.temporaryDirectory
            .appendingPathComponent("sb-replay-\(UUID().uuidString.prefix(8))").path)
        let context = RunbookContext(probes: Dictionary(uniqueKeysWithValues: Fixtures.specs.map { ($0.id, ProbeDeclaration(kind: $0.kind, metrics: nil)) }))
        let library = SiteLibrary(runbooks: RunbookLibrary(runbooks: [try RunbookLoader(context: context).load(yaml: Self.runbook, file: "power.yaml")]))
        let clock = ManualClock(now: Fixtures.start)
        let site = SiteState(siteName: siteName, isDemo: false, specs: Fixtures.specs, startedAt: clock.now())
        let live = try LiveConsole(ConsoleState(site: site, size: size, actor: "alice", library: library), directory: directory, clock: clock)

        // What the person does, by second: start the suggested runbook (which opens the incident),
        // mark the first step done, start the generator by hand, note, hand over.
        let keys: [Int: (LiveConsole) -> Void] = [
            70: { $0.press([.character("r"), .enter, .enter]) },
            80: { $0.press([.character("d")]) },
            255: { $0.press([.character("d")]) },
            300: { $0.press([.character("n")]); $0.type("generator on load, utility says 2 h", then: [.enter]) },
            320: { $0.press([.character("h")]); $0.type("bob", then: [.tab, .right, .enter]) },  // by voice
            430: { $0.press([.character("d")]) },
        ]
        var frames: [(second: Int, buffer: CellBuffer)] = []
        for t in 1...620 {
            clock.advance(to: Fixtures.start.addingTimeInterval(Double(t)))
            live.send(.site(.clock(clock.now())))
            for reading in Self.readings(at: t) { live.send(.site(.probeResult(reading))) }
            if let act = keys[t] { act(live) }
            if live.state.incident != nil, live.state.session.unsaved.isEmpty { frames.append((t, frame(live.state))) }
        }
        let unsaved = live.writer.finish()
        guard let incidentID = live.state.incident?.id else { throw StoreError("the script opened no incident") }
        return Recorded(directory: directory, incidentID: incidentID, library: library, frames: frames, unsaved: unsaved,
                        unexpected: live.unexpected)
    }

    /// Runs the script on a live console, then replays its files and compares every frame.
    static func run(size: Size) throws -> Run {
        let recorded = try record(size: size)
        defer { recorded.remove() }
        let directory = recorded.directory
        let records = try directory.records(of: recorded.incidentID)
        let journals = directory.journals(of: recorded.incidentID)
        guard let name = journals.first else { throw StoreError("no readings journal") }
        let journal = try JournalContents.read(name, in: directory)
        guard let replay = ConsoleReplay(records: records, journal: journal, siteName: siteName, isDemo: false,
                                         specs: Fixtures.specs, library: recorded.library, size: size) else {
            throw StoreError("the journal does not replay")
        }
        var cursor = replay.start()
        var differing: [String] = []
        for (second, drawn) in recorded.frames {
            cursor.advance(to: Fixtures.start.addingTimeInterval(Double(second)))
            if let difference = difference(drawn, frame(cursor.state)) { differing.append("at \(second)s, " + difference) }
        }
        return Run(records: records, frameCount: recorded.frames.count,
                   sawReminder: recorded.frames.contains { $0.buffer.text.contains("↻ due again (every 3m)") },
                   lastFrame: recorded.frames.last?.buffer.text ?? "", unsavedAtEnd: recorded.unsaved, unexpected: recorded.unexpected,
                   journals: journals.count, differing: differing,
                   readings: try IncidentVerification.verify(path: recorded.logPath).readings)
    }

    /// The lines two frames differ in, or nil when they are the same cell for cell.
    static func difference(_ drawn: CellBuffer, _ redrawn: CellBuffer) -> String? {
        guard redrawn != drawn else { return nil }
        let lines = zip(drawn.lines, redrawn.lines).enumerated().filter { $0.element.0 != $0.element.1 }
            .map { "line \($0.offset + 1):\n  live:     \($0.element.0)\n  replayed: \($0.element.1)" }
        return lines.isEmpty ? "styles differ" : lines.joined(separator: "\n")
    }
}

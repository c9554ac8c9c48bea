import Foundation
import Synchronization
import Testing
import SwitchboardCore
@testable import SwitchboardConsole
import SwitchboardStore

/// The console's log writer against real files: two writers stand for two consoles on one host.
@Suite("Action log writer")
struct ActionLogWriterTests {
    /// What a writer posted, for the test to wait on.
    final class Posted: Sendable {
        private let events = Mutex<[ActionLogEvent]>([])

        var post: @Sendable (ActionLogEvent) -> Void { { event in self.events.withLock { $0.append(event) } } }

        /// Waits (up to 10 s) for an event that `matches`, and returns it.
        @discardableResult
        func wait(for what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                  _ matches: (ActionLogEvent) -> Bool) throws -> ActionLogEvent {
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                if let found = events.withLock({ $0.first(where: matches) }) { return found }
                Thread.sleep(forTimeInterval: 0.01)
            }
            Issue.record("no event for \(what); posted: \(events.withLock { $0 })", sourceLocation: sourceLocation)
            throw CancellationError()
        }

        var acknowledged: Int {
            events.withLock { $0.reduce(0) { if case .records(_, let count) = $1 { $0 + count } else { $0 } } }
        }
    }

    final class Scratch {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sb-writer-\(UUID().uuidString.prefix(8))").path
        var directory: StateDirectory { StateDirectory(path: path) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    static func attached(_ event: ActionLogEvent) -> Bool {
        if case .attached = event { return true }
        return false
    }

    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    /// A writer for a console of the fixture site, its records stamped `now`.
    static func writer(_ directory: StateDirectory, _ posted: Posted, actor: String = "alice") -> ActionLogWriter {
        ActionLogWriter(directory: directory,
                        console: .init(actor: actor, started: now, siteName: "Phoenix", isDemo: false, specs: Fixtures.specs),
                        now: { now }, post: posted.post)
    }

    @Test("two consoles that see the same probe change log it once; the next change is logged again")
    func deduplicatesProbeChanges() throws {
        let scratch = Scratch()
        let (first, second) = (Posted(), Posted())
        let commander = Self.writer(scratch.directory, first)
        commander.start(resuming: nil)
        commander.submit(.open(title: "Trunks down", severity: .sev2, actor: "alice", at: Self.now, earlierChanges: []))
        try first.wait(for: "the incident opened", Self.attached)
        let scribe = Self.writer(scratch.directory, second)
        scribe.start(resuming: nil)
        try second.wait(for: "the scribe following it", Self.attached)

        let down = StateChange(at: Self.now, probeID: "trunk-a", from: .ok, to: .critical, summary: "no answer")
        let up = StateChange(at: Self.now.addingTimeInterval(30), probeID: "trunk-a", from: .critical, to: .ok, summary: "200 OK")
        commander.submit(.append(.probeChanged(down, actor: "alice", at: down.at)))
        scribe.submit(.append(.probeChanged(down, actor: "bob", at: down.at)))
        // Both consoles have seen the trunk go down before either sees it come back.
        for posted in [first, second] {
            try posted.wait(for: "the down change settled") { if case .records(_, let count) = $0 { count > 0 } else { false } }
        }
        commander.submit(.append(.probeChanged(up, actor: "alice", at: up.at)))
        scribe.submit(.append(.probeChanged(up, actor: "bob", at: up.at)))
        #expect(commander.finish().isEmpty && scribe.finish().isEmpty)
        #expect(first.acknowledged == 2 && second.acknowledged == 2)

        let state = try scratch.directory.readIncident(try #require(scratch.directory.incidentIDs().first))
        let changes = state.recent.filter { $0.kind == LogKind.probeChanged }.map { $0["to"]?.string }
        #expect(changes == ["critical", "ok"])
    }

    /// A reading of the fixture's UPS at `seconds` after `now`.
    static func reading(_ seconds: Double) -> ProbeResult {
        ProbeResult(probeID: "ups-main", observation: ProbeObservation(status: .warning, summary: "on battery · \(90 - Int(seconds))%",
                                                                        metrics: [Metric(name: "battery.charge", value: .number(90 - seconds, unit: "%"))]),
                    at: now.addingTimeInterval(seconds), duration: .milliseconds(3))
    }

    static var snapshot: SiteSnapshot {
        SiteSnapshot(SiteState(siteName: "Phoenix", isDemo: false, specs: Fixtures.specs, startedAt: now))
    }

    @Test("a console's readings are sealed into the log when its journal begins, before it closes the incident, and when it stops")
    func sealsTheJournal() throws {
        let scratch = Scratch()
        let posted = Posted()
        let writer = Self.writer(scratch.directory, posted)
        writer.start(resuming: nil)
        writer.submit(.open(title: "Power", severity: .sev2, actor: "alice", at: Self.now, earlierChanges: []))
        let restored = try posted.wait(for: "the journal to begin") { if case .restored(_, nil) = $0 { true } else { false } }
        guard case .restored(let id, _) = restored else { return }
        writer.journal(.begin(incident: id, Self.snapshot))
        for second in 1...3 { writer.journal(.reading(Self.reading(Double(second)))) }
        writer.submit(.append(.closed(summary: "utility back", actor: "alice", role: nil, at: Self.now.addingTimeInterval(4))))
        #expect(writer.finish().isEmpty)

        #expect(scratch.directory.incidentIDs() == [id])
        let kinds = try scratch.directory.records(of: id).map(\.kind)
        #expect(kinds == [LogKind.opened, LogKind.readingsSealed, LogKind.readingsSealed, LogKind.closed])
        let verified = try IncidentVerification.verify(path: scratch.directory.logPath(for: id))
        #expect(verified.readings.isIntact && verified.readings.notes.isEmpty, "\(verified.readings)")
        #expect(verified.readings.journals.map(\.sealedReadings) == [3])
        // Nothing shows the seals in the log pane.
        #expect(try scratch.directory.readIncident(id).recent.map(\.kind) == [LogKind.opened, LogKind.closed])
    }

    @Test("closed from another console: what this one recorded since its last seal is sealed after the close")
    func sealsAfterAnotherClosed() throws {
        let scratch = Scratch()
        let (first, second) = (Posted(), Posted())
        let commander = Self.writer(scratch.directory, first)
        commander.start(resuming: nil)
        commander.submit(.open(title: "Power", severity: .sev2, actor: "alice", at: Self.now, earlierChanges: []))
        try first.wait(for: "the incident opened", Self.attached)
        let scribe = Self.writer(scratch.directory, second, actor: "bob")
        scribe.start(resuming: nil)
        let restored = try second.wait(for: "the scribe's journal to begin") { if case .restored = $0 { true } else { false } }
        guard case .restored(let id, _) = restored else { return }
        scribe.journal(.begin(incident: id, Self.snapshot))
        for second in 1...5 { scribe.journal(.reading(Self.reading(Double(second)))) }
        scribe.settle()
        commander.submit(.append(.closed(summary: "utility back", actor: "alice", role: nil, at: Self.now.addingTimeInterval(6))))
        #expect(commander.finish().isEmpty)
        try second.wait(for: "the close reaching the scribe") { event in
            if case .records(let records, _) = event { records.contains { $0.kind == LogKind.closed } } else { false }
        }
        #expect(scribe.finish().isEmpty)

        let records = try scratch.directory.records(of: id)
        #expect(records.last?.kind == LogKind.readingsSealed && records.last?.actor == "bob", "\(records.map(\.kind))")
        #expect(records.last?["readings"]?.int == 5)
        let verified = try IncidentVerification.verify(path: scratch.directory.logPath(for: id))
        #expect(verified.readings.isIntact && verified.readings.notes.isEmpty, "\(verified.readings)")
    }

    @Test("a console following no incident attaches to one opened from a shell")
    func attachesToIncidentOpenedElsewhere() throws {
        let scratch = Scratch()
        let posted = Posted()
        let writer = Self.writer(scratch.directory, posted)
        writer.start(resuming: nil)
        writer.settle() // following from here: nothing was open when it started
        let (opened, _) = try scratch.directory.openIncident(title: "Building evacuated", severity: .sev1, actor: "carol", at: Self.now)
        let event = try posted.wait(for: "the console attaching", Self.attached)
        guard case .attached(let state, let notice) = event else { return }
        #expect(state.id == opened.id && state.commander == "carol")
        #expect(notice?.contains("carol opened this incident") == true)
    }

    @Test("resuming after a crash moves the torn tail aside, says so, and the log goes on")
    func resumeRepairsTornTail() throws {
        let scratch = Scratch()
        let (opened, _) = try scratch.directory.openIncident(title: "Power", severity: .sev2, actor: "alice", at: Self.now)
        let handle = try #require(FileHandle(forWritingAtPath: scratch.directory.logPath(for: opened.id)))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"actor":"alice","at":"2026-11-"#.utf8))
        try handle.close()

        let posted = Posted()
        let writer = Self.writer(scratch.directory, posted)
        writer.start(resuming: opened.id)
        guard case .attached(let state, let notice) = try posted.wait(for: "the resumed incident", Self.attached) else { return }
        #expect(notice?.hasPrefix("truncated tail: a crash left 31 bytes") == true)
        #expect(state.recent.last?.kind == LogKind.repaired)
        writer.submit(.append(.remark(.note, text: "after the crash", actor: "alice", role: nil, at: Self.now)))
        #expect(writer.finish().isEmpty)
        guard case .intact(let records, _) = try LogVerification.verify(path: scratch.directory.logPath(for: opened.id)) else {
            Issue.record("the log does not verify after the repair")
            return
        }
        #expect(records == 3)
    }

    @Test("opening is refused, with the reason, when the state directory cannot be written")
    func refusesUnwritableDirectory() throws {
        let scratch = Scratch()
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: scratch.path + "/state", contents: Data("not a directory".utf8))
        let posted = Posted()
        let writer = Self.writer(StateDirectory(path: scratch.path + "/state"), posted)
        writer.start(resuming: nil)
        writer.submit(.open(title: "Power", severity: .sev2, actor: "alice", at: Self.now, earlierChanges: []))
        let refusal = try posted.wait(for: "the refusal") { if case .refused = $0 { true } else { false } }
        #expect(refusal == .refused("cannot open the incident: \(scratch.path)/state is not a directory"))
    }
}

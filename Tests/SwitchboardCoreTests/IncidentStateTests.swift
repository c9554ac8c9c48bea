import Foundation
import Testing
@testable import SwitchboardCore

@Suite("Incident state folded from its log")
struct IncidentStateTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    static func fold(_ entries: [LogEntry]) -> IncidentState {
        var prev = HashChain.genesis
        var state: IncidentState?
        for (index, entry) in entries.enumerated() {
            let record = HashChain.seal(entry, incident: "i", seq: index + 1, prev: prev).record
            prev = record.hash
            if state == nil { state = IncidentState(opening: record) } else { state?.apply(record) }
        }
        return state!
    }

    static func seal(bytes: Int) -> LogEntry {
        LogEntry(kind: LogKind.readingsSealed, actor: "alice", at: start,
                 fields: ["journal": .string("i.readings/c.jsonl"), "bytes": .int(bytes), "sha256": .string("00"), "readings": .int(1)])
    }

    @Test("records are found by seq though the journal's seals are left out of the log pane")
    func findsRecordsPastSeals() {
        let opened = LogEntry(kind: LogKind.opened, actor: "alice", at: Self.start, fields: ["title": .string("t"), "severity": .string("sev2")])
        let state = Self.fold([opened, Self.seal(bytes: 100), .remark(.note, text: "one", actor: "alice", role: nil, at: Self.start),
                               Self.seal(bytes: 200), .remark(.note, text: "two", actor: "alice", role: nil, at: Self.start)])
        #expect(state.recent.map(\.seq) == [1, 3, 5])
        #expect(state.record(seq: 5)?["text"]?.string == "two")
        #expect(state.record(seq: 3)?["text"]?.string == "one")
        #expect(state.record(seq: 4) == nil && state.record(seq: 6) == nil && state.record(seq: 0) == nil)
        #expect(state.recordCount == 5 && state.sealCount == 2)
    }

    @Test("a seal covering no more than the log has sealed already is not logged again")
    func sealsOnce() {
        let opened = LogEntry(kind: LogKind.opened, actor: "alice", at: Self.start, fields: ["title": .string("t"), "severity": .string("sev2")])
        let state = Self.fold([opened, Self.seal(bytes: 100)])
        #expect(state.alreadyLogged(Self.seal(bytes: 100)))
        #expect(state.alreadyLogged(Self.seal(bytes: 50)))
        #expect(!state.alreadyLogged(Self.seal(bytes: 101)))
    }

    @Test("a time from a damaged file, however far off, is never a reason to crash")
    func farTimes() {
        for seconds in [1e300, -1e300, Double.infinity, -Double.infinity, Double.nan, 9.3e15] {
            let date = Date(timeIntervalSince1970: seconds)
            _ = date.roundedToMilliseconds
            _ = TimeText.iso8601(date)
        }
        #expect(Date(timeIntervalSince1970: 1e300).millisecondsSince1970 > 0)
    }

    @Test("a milestone's time is shown with its date when it is not the day it was logged: 23:59 typed at 14:08 is yesterday's")
    func milestoneOnAnotherDay() {
        let logged = TimeText.date(iso8601: "2026-12-07T14:08:40.000Z")!
        let yesterday = LogEntry.milestone(.impactStarted, occurredAt: TimeText.date(iso8601: "2026-12-06T23:59:00.000Z")!,
                                           actor: "alice", role: nil, at: logged)
        #expect(RecordText.line(for: yesterday) == "impact-started at 2026-12-06 23:59:00 (set at 14:08:40)")
        let sameDay = LogEntry.milestone(.mitigated, occurredAt: TimeText.date(iso8601: "2026-12-07T14:02:00.000Z")!,
                                         actor: "alice", role: nil, at: logged)
        #expect(RecordText.line(for: sameDay) == "mitigated at 14:02:00 (set at 14:08:40)")
    }

    @Test("a runbook not finished is named with the step it stands at, in words when given, else by id; a finished one is not")
    func unfinishedRuns() throws {
        let runbook = try RunbookLoader(context: RunbookContext(probes: [:], contacts: [], comms: [])).load(yaml: """
            id: power
            title: Utility power failure
            steps:
              - {id: confirm, do: Confirm the UPS carries the load}
              - {id: manual, do: Start the generator by hand}
            """, file: "power.yaml")
        let opened = LogEntry(kind: LogKind.opened, actor: "alice", at: Self.start, fields: ["title": .string("t"), "severity": .string("sev2")])
        let started = LogEntry.runbookStarted(runbook, trigger: nil, actor: "alice", role: nil, at: Self.start)
        let done = LogEntry.step(LogKind.stepDone, runbook: "power", step: runbook.step("confirm")!, next: "manual", actor: "alice", role: nil, at: Self.start)
        let state = Self.fold([opened, started, done])
        #expect(state.unfinishedRuns() == ["Utility power failure, at: manual"])
        #expect(state.unfinishedRuns { runbook.id == $0 ? runbook.step($1)?.text : nil } == ["Utility power failure, at: Start the generator by hand"])
        let finished = LogEntry.step(LogKind.stepDone, runbook: "power", step: runbook.step("manual")!, next: Runbook.end, actor: "alice", role: nil,
                                     at: Self.start)
        #expect(Self.fold([opened, started, done, finished]).unfinishedRuns().isEmpty)
    }
}

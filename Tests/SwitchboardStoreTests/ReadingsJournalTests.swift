import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardStore

/// Readings journals on disk: written and read back, sealed into the log, every kind of
/// tampering caught by verify, and the journal of a console that was killed sealed after it.
@Suite("Readings journals on disk")
struct ReadingsJournalTests {
    let directory = StateDirectory(path: FileManager.default.temporaryDirectory
        .appendingPathComponent("sb-journal-\(UUID().uuidString.prefix(8))").path)
    let start = Date(timeIntervalSince1970: 1_795_000_000)

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: directory.path)
    }

    func reading(_ seconds: Double, charge: Double) -> ProbeResult {
        ProbeResult(probeID: "ups-main",
                    observation: ProbeObservation(status: charge < 50 ? .warning : .ok, summary: "on battery · \(Int(charge))%",
                                                  metrics: [Metric(name: "battery.charge", value: .number(charge, unit: "%"))]),
                    at: start.addingTimeInterval(seconds), duration: .milliseconds(4))
    }

    var snapshot: SiteSnapshot {
        SiteSnapshot(at: start, startedAt: start.addingTimeInterval(-30), probes: [
            SiteSnapshot.Probe(id: "ups-main", latest: reading(0, charge: 100), hardStatus: .ok, problemStreak: 0,
                               since: start.addingTimeInterval(-30),
                               history: [ProbeHistoryEntry(at: start, status: .ok, summary: "on battery · 100%", value: 100)],
                               staleRecorded: false),
        ])
    }

    func journalName(of log: IncidentLogFile) -> String { "\(log.incident).readings/20261118-110640-pc-42.jsonl" }

    /// An incident whose console journalled `readings` readings, sealing after every `sealEvery`;
    /// returns the log, the journal's path and its seal records.
    func incident(readings: Int, sealEvery: Int) throws -> (log: IncidentLogFile, journal: ReadingsJournalFile) {
        let (state, log) = try directory.openIncident(title: "UPS on battery", severity: .sev2, actor: "dana", at: start)
        let journal = try ReadingsJournalFile.create(in: directory, header: JournalHeader(
            incident: state.id, console: "20261118-110640-pc-42", actor: "dana", host: "pc", pid: 42, started: start))
        journal.append(.snapshot(snapshot))
        for number in 1...max(1, readings) {
            if number <= readings { journal.append(.reading(reading(Double(number), charge: 100 - Double(number)))) }
            if number % sealEvery == 0, let seal = try journal.seal() { _ = try log.append(seal.entry(actor: "dana", at: start)) }
        }
        return (log, journal)
    }

    @Test("a journal reads back as written: header, what the console held, every reading; private files")
    func readsBack() throws {
        defer { cleanUp() }
        let (log, journal) = try incident(readings: 20, sealEvery: 5)
        try journal.flush()
        let contents = try JournalContents.read(journal.name, in: directory)
        #expect(contents.header.actor == "dana" && contents.header.incident == log.incident)
        #expect(contents.snapshot == snapshot)
        #expect(contents.readings == (1...20).map { reading(Double($0), charge: 100 - Double($0)) })
        #expect(contents.tornBytes == 0)
        let mode = { (path: String) in ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? -1 }
        #expect(mode(directory.journalFolder(for: log.incident)) == 0o700)
        #expect(mode(journal.path) == 0o600)
        #expect(directory.journals(of: log.incident) == [journal.name])
        // The journal folder is not an incident.
        #expect(directory.incidentIDs() == [log.incident])

        let site = try #require(try JournalContents.finalSite(of: journal.name, in: directory, siteName: "t", isDemo: false, specs: [
            ProbeSpec(id: "ups-main", pane: .power, kind: "nut", interval: .seconds(1), mainMetric: "battery.charge")]))
        let ups = try #require(site.probe("ups-main"))
        #expect(ups.latest?.observation.metric("battery.charge") == .number(80, unit: "%"))
        #expect(ups.history.count == 21 && ups.history.last?.value == 80)
        #expect(ups.hardStatus == .ok && ups.since == start.addingTimeInterval(-30), "ok since before the journal began")
    }

    @Test("verify checks every journal against the seals in the log")
    func verifiesIntact() throws {
        defer { cleanUp() }
        let (log, journal) = try incident(readings: 20, sealEvery: 5)
        let result = try IncidentVerification.verify(path: log.path)
        guard case .intact(let records, _) = result.log else {
            Issue.record("the log does not verify: \(result.log)")
            return
        }
        #expect(records == 5)
        #expect(result.readings.problems.isEmpty && result.readings.notes.isEmpty)
        #expect(result.readings.journals == [ReadingsVerification.Journal(name: journal.name, bytes: journal.bytesWritten,
                                                                          sealedBytes: journal.bytesWritten, sealedReadings: 20)])
    }

    @Test("an edited, deleted, inserted or reordered reading, or a journal removed, is caught",
          arguments: ["edited", "deleted", "inserted", "reordered", "removed", "cut"])
    func catchesTampering(_ how: String) throws {
        defer { cleanUp() }
        let (log, journal) = try incident(readings: 20, sealEvery: 10)
        var journalLines = try lines(journal.path)
        switch how {
        case "edited": journalLines[8] = journalLines[8].replacingOccurrences(of: "\"s\":\"ok\"", with: "\"s\":\"critical\"")
        case "deleted": journalLines.remove(at: 8)
        case "inserted": journalLines.insert(journalLines[8], at: 8)
        case "reordered": journalLines.swapAt(8, 9)
        case "cut": journalLines.removeLast(3)
        default: try FileManager.default.removeItem(atPath: journal.path)
        }
        if how != "removed" { try write(journalLines, to: journal.path) }
        let result = try IncidentVerification.verify(path: log.path)
        guard case .intact = result.log else {
            Issue.record("the log itself was not touched")
            return
        }
        let problem = try #require(result.readings.problems.first, "\(how) was not caught")
        #expect(problem.hasPrefix(journal.name))
        switch how {
        case "removed": #expect(problem.contains("cannot be read") && problem.contains("deleted or replaced"))
        case "cut": #expect(problem.contains("readings were deleted or the file was cut"))
        default: #expect(problem.contains("do not match the seal in record #2"))
        }
    }

    @Test("readings after the last seal are reported, not called tampering; an unsealed journal is named")
    func unsealedTail() throws {
        defer { cleanUp() }
        let (log, journal) = try incident(readings: 7, sealEvery: 5)
        try journal.flush()
        let stray = directory.journalFolder(for: log.incident) + "/stray.jsonl"
        try "{}\n".write(toFile: stray, atomically: true, encoding: .utf8)
        let result = try IncidentVerification.verify(path: log.path).readings
        #expect(result.problems.isEmpty)
        #expect(result.notes.count == 2)
        #expect(result.notes.contains { $0.contains("bytes written after its last seal") })
        #expect(result.notes.contains { $0.contains("stray.jsonl is not sealed by any record") })
        #expect(result.journals.first?.sealedReadings == 5)
    }

    @Test("a seal naming a file outside the incident's journals is refused")
    func sealsOnlyItsOwnJournals() throws {
        defer { cleanUp() }
        let (log, _) = try incident(readings: 1, sealEvery: 1)
        let forged = JournalSeal(journal: "../../etc/passwd", bytes: 10, sha256: String(repeating: "0", count: 64), readings: 1)
        _ = try log.append(forged.entry(actor: "mallory", at: start))
        let negative = JournalSeal(journal: journalName(of: log), bytes: -5, sha256: String(repeating: "0", count: 64), readings: 1)
        _ = try log.append(negative.entry(actor: "mallory", at: start))
        let result = try IncidentVerification.verify(path: log.path).readings
        #expect(result.problems.contains { $0.contains("not a journal of this incident") })
        #expect(result.problems.contains { $0.contains("seals -5 bytes") }, "\(result)")
    }

    @Test("the journal of a killed console is sealed by the next one, its torn last line moved aside; a running one is left")
    func sealsAfterAKilledConsole() throws {
        defer { cleanUp() }
        var (log, journal): (IncidentLogFile, ReadingsJournalFile?) = try incident(readings: 12, sealEvery: 5)
        let (name, path) = (journal!.name, journal!.path)
        try journal!.flush()
        let written = journal!.bytesWritten
        // While its console runs (holds the journal), nobody else touches it.
        #expect(try ReadingsJournalFile.sealAfterItsConsole(name, in: directory, sealed: 0) == nil)
        journal = nil // the console is gone: its lock with it
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"t":1795000013000,"p":"ups-"#.utf8))
        try handle.close()

        let seal = try #require(try ReadingsJournalFile.sealAfterItsConsole(name, in: directory, sealed: 0))
        #expect(seal.bytes == written && seal.readings == 12)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == written, "the torn line is cut")
        let aside = try FileManager.default.contentsOfDirectory(atPath: directory.journalFolder(for: log.incident))
            .filter { $0.contains(".torn-") }
        #expect(aside.count == 1)
        _ = try log.append(seal.entry(actor: "erin", at: start))
        let result = try IncidentVerification.verify(path: log.path).readings
        #expect(result.problems.isEmpty && result.notes.isEmpty, "\(result)")
        // Already sealed to the end: nothing more to seal.
        #expect(try ReadingsJournalFile.sealAfterItsConsole(name, in: directory, sealed: seal.bytes) == nil)
    }

    @Test("a journal that is not a regular file is refused at once, never waited on")
    func refusesFIFOs() throws {
        defer { cleanUp() }
        let (log, journal) = try incident(readings: 2, sealEvery: 1)
        try FileManager.default.removeItem(atPath: journal.path)
        #expect(mkfifo(journal.path, 0o600) == 0)
        #expect(throws: StoreError.self) { try JournalContents.read(journal.name, in: directory) }
        #expect(throws: StoreError.self) { try ReadingsJournalFile.sealAfterItsConsole(journal.name, in: directory, sealed: 0) }
        let result = try IncidentVerification.verify(path: log.path).readings
        #expect(result.problems.first?.contains("is a FIFO, not a regular file") == true, "\(result)")
    }
}

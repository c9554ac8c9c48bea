import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardStore

/// The action log on disk: appends chained and fsynced under a lock, followed by a second
/// writer, torn tails repaired, and every kind of tampering caught by verify.
@Suite("Action log on disk")
struct ActionLogTests {
    let directory: StateDirectory
    let start = Date(timeIntervalSince1970: 1_795_000_000)

    init() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sb-state-\(UUID().uuidString)").path
        directory = StateDirectory(path: path)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: directory.path)
    }

    func note(_ text: String, by actor: String = "dana", at seconds: Double = 1) -> LogEntry {
        LogEntry(kind: LogKind.note, actor: actor, at: start.addingTimeInterval(seconds), fields: ["text": .string(text)])
    }

    /// An incident with `notes` notes after its opening record; returns its path.
    func incident(notes: Int) throws -> String {
        let (state, log) = try directory.openIncident(title: "UPS on battery", severity: .sev2, actor: "dana", at: start)
        for number in 1...notes { _ = try log.append(note("note \(number)", at: Double(number))) }
        return directory.logPath(for: state.id)
    }

    @Test("opening an incident writes a chained, hashed first record in a private file")
    func opens() throws {
        defer { cleanUp() }
        let (state, log) = try directory.openIncident(title: "UPS on battery!", severity: .sev2, actor: "dana", at: start)
        #expect(state.id == "20261118-1106-ups-on-battery")
        #expect(state.title == "UPS on battery!")
        #expect(state.severity == .sev2)
        #expect(state.commander == "dana")
        #expect(log.recordCount == 1)
        let line = try #require(try lines(log.path).first)
        #expect(line.hasPrefix(#"{"actor":"dana","at":"2026-11-18T11:06:40.000Z","drill":false,"incident":"20261118-1106-ups-on-battery","kind":"incident.opened","prev":"0000"#))
        #expect(line.contains(#""title":"UPS on battery!""#))
        #expect(line.range(of: #","hash":"[0-9a-f]{64}"\}$"#, options: .regularExpression) != nil)
        let mode = { (path: String) in ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? -1 }
        #expect(mode(directory.path) == 0o700)
        #expect(mode(directory.incidentsPath) == 0o700)
        #expect(mode(log.path) == 0o600)
        #expect(try LogVerification.verify(path: log.path) == .intact(records: 1, head: state.lastHash))
    }

    @Test("two writers on one incident: each sees the other's records and the chain stays whole")
    func twoWriters() throws {
        defer { cleanUp() }
        let (state, commander) = try directory.openIncident(title: "ISP down", severity: .sev3, actor: "dana", at: start)
        let scribe = try IncidentLogFile.open(in: directory, incident: state.id)
        var seenByScribe: [String] = []
        try scribe.readNew { seenByScribe.append($0.kind) }
        #expect(seenByScribe == [LogKind.opened])

        _ = try commander.append(note("from the commander"))
        let scribeAppend = try scribe.append(note("from the scribe", by: "lee"))
        #expect(scribeAppend.records.map { $0["text"]?.string } == ["from the commander", "from the scribe"])
        #expect(scribeAppend.records.last?.seq == 3)

        var seenByCommander: [String?] = []
        try commander.readNew { seenByCommander.append($0["text"]?.string) }
        #expect(seenByCommander == ["from the scribe"])
        _ = try commander.append(note("again"))
        guard case .intact(let records, _) = try LogVerification.verify(path: commander.path) else {
            Issue.record("the chain broke with two writers")
            return
        }
        #expect(records == 4)
    }

    @Test("resume folds the log back into the same incident state")
    func resume() throws {
        defer { cleanUp() }
        let (opened, log) = try directory.openIncident(title: "Trunks", severity: .sev3, actor: "dana", at: start)
        var state = opened
        let entries = [
            LogEntry(kind: LogKind.severity, actor: "dana", at: start, fields: ["severity": .string("sev1")]),
            LogEntry(kind: LogKind.roleAssigned, actor: "dana", at: start, fields: ["assigned": .string("scribe"), "person": .string("lee")]),
            LogEntry(kind: LogKind.handoff, actor: "dana", at: start, fields: ["from": .string("dana"), "to": .string("sam")]),
        ]
        for entry in entries { for record in try log.append(entry).records { state.apply(record) } }
        let resumed = try directory.resumeIncident(opened.id)
        #expect(resumed.state == state)
        #expect(resumed.state.severity == .sev1)
        #expect(resumed.state.commander == "sam")
        #expect(resumed.state.role(of: "lee") == "scribe")
        #expect(resumed.state.role(of: "sam") == "incident commander")
        #expect(resumed.repaired == nil)
        #expect(try directory.readIncident(opened.id) == state)
    }

    @Test("a torn last line is reported as such by verify, moved aside on the next start, and the log goes on")
    func tornTail() throws {
        defer { cleanUp() }
        let path = try incident(notes: 3)
        let whole = try lines(path)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(whole[1].prefix(40).utf8))
        try handle.close()
        #expect(try LogVerification.verify(path: path) == .truncatedTail(records: 4, bytes: 40))

        let id = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let (state, log, repaired) = try directory.resumeIncident(id)
        guard case .tornTail(40, let movedTo)? = repaired else {
            Issue.record("not repaired as a torn tail: \(String(describing: repaired))")
            return
        }
        #expect(state.recordCount == 5)
        #expect(state.recent.last?.kind == LogKind.repaired)
        #expect(try String(contentsOfFile: movedTo, encoding: .utf8) == String(whole[1].prefix(40)))
        let update = try log.append(note("after the crash"))
        #expect(update.records.last?.seq == 6)
        guard case .intact(6, _) = try LogVerification.verify(path: path) else {
            Issue.record("not intact after the repair: \(try LogVerification.verify(path: path))")
            return
        }
    }

    @Test("a whole last record without its final newline is kept: verify says so, the next start adds the newline and logs it")
    func missingFinalNewline() throws {
        defer { cleanUp() }
        let path = try incident(notes: 3)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes.removeLast()
        try bytes.write(to: URL(fileURLWithPath: path))
        guard case .missingFinalNewline(4, _) = try LogVerification.verify(path: path) else {
            Issue.record("not reported as a missing newline: \(try LogVerification.verify(path: path))")
            return
        }
        let id = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let (state, log, repaired) = try directory.resumeIncident(id)
        #expect(repaired == .newlineAdded(seq: 4))
        #expect(state.recordCount == 5, "note 3 kept, and the repair logged")
        #expect(state.recent.map(\.kind).suffix(2) == [LogKind.note, LogKind.repaired])
        #expect(state.recent.last?["newline_added_after"]?.int == 4)
        #expect(!FileManager.default.fileExists(atPath: path + ".torn"), "nothing moved aside")
        _ = try log.append(note("after the repair"))
        guard case .intact(6, _) = try LogVerification.verify(path: path) else {
            Issue.record("not intact after the repair: \(try LogVerification.verify(path: path))")
            return
        }
    }

    @Test("verify reports records after the close, and an empty log as empty")
    func afterCloseAndEmpty() throws {
        defer { cleanUp() }
        let (state, log) = try directory.openIncident(title: "ISP down", severity: .sev3, actor: "dana", at: start)
        _ = try log.append(LogEntry(kind: LogKind.closed, actor: "dana", at: start.addingTimeInterval(5), fields: ["summary": .string("back")]))
        _ = try log.append(LogEntry(kind: LogKind.readingsSealed, actor: "dana", at: start.addingTimeInterval(6),
                                    fields: ["journal": .string("x.jsonl"), "bytes": .int(0), "sha256": .string(""), "readings": .int(0)]))
        let path = directory.logPath(for: state.id)
        guard case .intact(3, _) = try LogVerification.verify(path: path) else {
            Issue.record("a seal after the close is allowed: \(try LogVerification.verify(path: path))")
            return
        }
        _ = try log.append(note("too late", at: 7))
        #expect(try LogVerification.verify(path: path)
                == .recordsAfterClose(records: 4, problem: "line 4 (seq 4): a note record after the incident was closed at seq 2"))

        let empty = directory.incidentsPath + "/empty.jsonl"
        try Data().write(to: URL(fileURLWithPath: empty))
        #expect(try LogVerification.verify(path: empty) == .empty)
    }

    @Test("verify catches every kind of tampering, naming the first bad record", arguments: [
        "edit", "deletion", "insertion", "reordering", "forged", "rehashed", "garbage",
    ])
    func tampering(_ how: String) throws {
        defer { cleanUp() }
        let path = try incident(notes: 4)
        var lines = try lines(path)
        switch how {
        case "edit": lines[2] = lines[2].replacingOccurrences(of: "note 2", with: "note X")
        case "deletion": lines.remove(at: 2)
        case "insertion": lines.insert(lines[1], at: 3)
        case "reordering": lines.swapAt(2, 3)
        case "forged":
            // Sound on its own (its hash matches), but not part of this chain.
            let forged = HashChain.seal(note("I was never here"), incident: "20261118-1106-ups-on-battery", seq: 3,
                                        prev: String(repeating: "a", count: 64))
            lines[2] = String(decoding: forged.line, as: UTF8.self)
        case "rehashed":
            // Edited and re-hashed, but the next record still points at the old hash.
            let record = try HashChain.open(Array(lines[2].utf8)).get()
            var entry = record.entry
            entry.fields["text"] = .string("changed")
            lines[2] = String(decoding: HashChain.seal(entry, incident: record.incident, seq: record.seq, prev: record.prev).line,
                              as: UTF8.self)
        default: lines[2] = "not json at all"
        }
        try write(lines, to: path)
        guard case .tampered(let intact, let problem) = try LogVerification.verify(path: path) else {
            Issue.record("\(how) was not detected")
            return
        }
        let expected: [String: (Int, String)] = [
            "edit": (2, "line 3: its hash does not match its content"),
            "deletion": (2, "line 3 (seq 4): seq jumps from 2 to 4: records were deleted"),
            "insertion": (3, "line 4 (seq 2): expected seq 4: records were inserted or reordered"),
            "reordering": (2, "line 3 (seq 4): seq jumps from 2 to 4: records were reordered (seq 3 is at line 4)"),
            "forged": (2, "line 3 (seq 3): does not chain to the record before it"),
            "rehashed": (3, "line 4 (seq 4): does not chain to the record before it"),
            "garbage": (2, "line 3: not a log record"),
        ]
        let (records, text) = try #require(expected[how])
        #expect(intact == records)
        #expect(problem.hasPrefix(text), "\(problem)")
    }

    @Test("verify reads long logs in blocks: damage deep inside one is still named by its line")
    func longLog() throws {
        defer { cleanUp() }
        try directory.prepare()
        let path = directory.logPath(for: "long")
        var lines: [String] = []
        var prev = HashChain.genesis
        var bytes = 0
        // Past two of the blocks verify reads at once, so lines straddle a block's end.
        var seq = 0
        while bytes < LogLines.blockSize * 5 / 2 {
            seq += 1
            let entry = seq == 1
                ? LogEntry(kind: LogKind.opened, actor: "dana", at: start, fields: ["title": .string("long"), "severity": .string("sev3")])
                : note("note \(seq)", at: Double(seq))
            let sealed = HashChain.seal(entry, incident: "long", seq: seq, prev: prev)
            prev = sealed.record.hash
            lines.append(String(decoding: sealed.line, as: UTF8.self))
            bytes += sealed.line.count + 1
        }
        try write(lines, to: path)
        guard case .intact(let count, let head) = try LogVerification.verify(path: path) else {
            Issue.record("an intact long log did not verify")
            return
        }
        #expect(count == lines.count && head == prev)

        let damaged = lines.count * 3 / 5
        lines[damaged - 1] = lines[damaged - 1].replacingOccurrences(of: "note \(damaged)", with: "note X")
        try write(lines, to: path)
        guard case .tampered(let intact, let problem) = try LogVerification.verify(path: path) else {
            Issue.record("an edit deep in a long log was not detected")
            return
        }
        #expect(intact == damaged - 1)
        #expect(problem.hasPrefix("line \(damaged): its hash does not match"), "\(problem)")

        // The first slice of a block chains from the block before's last line: a record
        // deleted on either side of where a block ends is found as surely as anywhere.
        lines[damaged - 1] = lines[damaged - 1].replacingOccurrences(of: "note X", with: "note \(damaged)")
        var end = 0
        let firstInSecondBlock = lines.firstIndex { line in
            end += line.utf8.count + 1
            return end > LogLines.blockSize
        }! + 1
        for deleted in firstInSecondBlock - 2...firstInSecondBlock + 1 {
            var shortened = lines
            shortened.remove(at: deleted)
            try write(shortened, to: path)
            guard case .tampered(let intact, let problem) = try LogVerification.verify(path: path) else {
                Issue.record("a record deleted at line \(deleted + 1), by a block's end, was not found")
                continue
            }
            #expect(intact == deleted && problem.contains("records were deleted"), "line \(deleted + 1): \(problem)")
        }
    }

    @Test("only seals may follow the close, whichever slice of the log they are in: the first other record is named by its line")
    func afterCloseAcrossSlices() throws {
        defer { cleanUp() }
        try directory.prepare()
        let path = directory.logPath(for: "closed")
        // Read in a slice per core (a slice holds at least 64 lines).
        let count = 1000, close = 400
        func lines(noteAt late: Int?) -> [String] {
            var lines: [String] = []
            var prev = HashChain.genesis
            for seq in 1...count {
                let entry: LogEntry = switch seq {
                case 1: LogEntry(kind: LogKind.opened, actor: "dana", at: start, fields: ["title": .string("closed"), "severity": .string("sev3")])
                case close: LogEntry(kind: LogKind.closed, actor: "dana", at: start, fields: ["summary": .string("back")])
                case late: note("too late", at: Double(seq))
                case close...: LogEntry(kind: LogKind.readingsSealed, actor: "dana", at: start,
                                        fields: ["journal": .string("x.jsonl"), "bytes": .int(0), "sha256": .string(""), "readings": .int(seq)])
                default: note("note \(seq)", at: Double(seq))
                }
                let sealed = HashChain.seal(entry, incident: "closed", seq: seq, prev: prev)
                prev = sealed.record.hash
                lines.append(String(decoding: sealed.line, as: UTF8.self))
            }
            return lines
        }
        try write(lines(noteAt: nil), to: path)
        guard case .intact(count, _) = try LogVerification.verify(path: path) else {
            Issue.record("seals after the close are allowed: \(try LogVerification.verify(path: path))")
            return
        }
        for late in [close + 1, 800, count] {
            try write(lines(noteAt: late), to: path)
            #expect(try LogVerification.verify(path: path) == .recordsAfterClose(
                records: count, problem: "line \(late) (seq \(late)): a note record after the incident was closed at seq \(close)"))
        }
    }

    @Test("a record of another incident, chained in its place, is named as such: a note or any other kind")
    func anotherIncident() throws {
        defer { cleanUp() }
        try directory.prepare()
        let path = directory.logPath(for: "ours")
        for foreign in [note("theirs", at: 3), LogEntry.remark(.todo, text: "theirs", actor: "dana", role: nil, at: start)] {
            var lines: [String] = []
            var prev = HashChain.genesis
            for seq in 1...4 {
                let entry = seq == 1
                    ? LogEntry(kind: LogKind.opened, actor: "dana", at: start, fields: ["title": .string("ours"), "severity": .string("sev3")])
                    : seq == 3 ? foreign : note("note \(seq)", at: Double(seq))
                let sealed = HashChain.seal(entry, incident: seq == 3 ? "theirs" : "ours", seq: seq, prev: prev)
                prev = sealed.record.hash
                lines.append(String(decoding: sealed.line, as: UTF8.self))
            }
            try write(lines, to: path)
            #expect(try LogVerification.verify(path: path)
                    == .tampered(intactRecords: 2, problem: "line 3 (seq 3): belongs to incident 'theirs', not 'ours'"), "\(foreign.kind)")
        }
    }

    @Test("an append to a damaged log is refused with the reason, not chained onto the damage")
    func refusesDamaged() throws {
        defer { cleanUp() }
        let path = try incident(notes: 2)
        var lines = try lines(path)
        lines[1] = lines[1].replacingOccurrences(of: "note 1", with: "note one")
        try write(lines, to: path)
        let id = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let log = try IncidentLogFile.open(in: directory, incident: id)
        #expect(throws: StoreError.self) { try log.append(note("more")) }
        #expect(try SwitchboardStoreTests.lines(path).count == 3)
    }

    @Test("a state directory that cannot be created says why")
    func unwritable() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sb-file-\(UUID().uuidString)")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let blocked = StateDirectory(path: file.path + "/state")
        do {
            _ = try blocked.openIncident(title: "x", severity: .sev3, actor: "dana", at: start)
            Issue.record("opened an incident under a file")
        } catch let error as StoreError {
            #expect(error.message == "cannot create the state directory \(file.path)/state: Not a directory")
        }
    }

    @Test("ids are the UTC time and a slug of the title, made unique")
    func ids() throws {
        defer { cleanUp() }
        let first = try directory.openIncident(title: "  Carrier B: trunks DOWN (all) ", severity: .sev1, actor: "d", at: start)
        #expect(first.state.id == "20261118-1106-carrier-b-trunks-down-all")
        let second = try directory.openIncident(title: "Carrier B: trunks down (all)", severity: .sev1, actor: "d", at: start)
        #expect(second.state.id == "20261118-1106-carrier-b-trunks-down-all-2")
        #expect(directory.newIncidentID(title: "!!!", at: start) == "20261118-1106-incident")
        #expect(directory.openIncidents().open.map(\.id) == [second.state.id, first.state.id])
    }

    @Test("the state directory: --state-dir, then $SWITCHBOARD_STATE, then $XDG_STATE_HOME, then ~/.local/state")
    func location() {
        #expect(StateDirectory.locate(explicit: "/x", environment: ["SWITCHBOARD_STATE": "/y"]).path == "/x")
        #expect(StateDirectory.locate(explicit: nil, environment: ["SWITCHBOARD_STATE": "/y", "XDG_STATE_HOME": "/z"]).path == "/y")
        #expect(StateDirectory.locate(explicit: nil, environment: ["XDG_STATE_HOME": "/z", "HOME": "/h"]).path == "/z/switchboard")
        #expect(StateDirectory.locate(explicit: nil, environment: ["HOME": "/h"]).path == "/h/.local/state/switchboard")
    }
}

extension ActionLogTests {
    @Test("a runaway line is reported by verify as damage, and refused by a writer with the path")
    func overlongLine() throws {
        defer { cleanUp() }
        let path = try incident(notes: 1)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(repeating: UInt8(ascii: "x"), count: (1 << 20) + 10))
        try handle.close()
        guard case .tampered(2, let problem) = try LogVerification.verify(path: path) else {
            Issue.record("a 1 MiB line was not reported")
            return
        }
        #expect(problem.contains("runs past 1024 KiB"))
        let id = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        do {
            _ = try directory.resumeIncident(id)
            Issue.record("resumed a damaged log")
        } catch let error as StoreError {
            #expect(error.message.hasPrefix("\(path): a line at byte"))
        }
    }
}

import Foundation
import Testing

/// `incident`, `note` and `log verify` as a person or a script uses them from a shell,
/// including many writers at once and writers killed mid-append.
@Suite("Incidents from the command line")
struct IncidentCommandTests {
    /// Runs switchboard with the state directory in `dir` and `actor`.
    func sb(_ arguments: [String], _ dir: TemporaryDirectory, actor: String = "dana") throws -> CommandResult {
        try switchboard(arguments, in: dir.path, environment: ["SWITCHBOARD_STATE": dir.path + "/state", "USER": actor])
    }

    func logPath(_ dir: TemporaryDirectory, _ id: String) -> String { "\(dir.path)/state/incidents/\(id).jsonl" }

    @Test("open, note from two people, list, close, verify: the whole lifecycle from a shell")
    func lifecycle() throws {
        let dir = try TemporaryDirectory()
        let none = try sb(["note", "too early"], dir)
        #expect(none.status == 1)
        #expect(none.stderr.contains("no open incident"))

        let opened = try sb(["incident", "open", "--title", "UPS on battery", "--severity", "sev2"], dir)
        #expect(opened.status == 0, "\(opened.stderr)")
        let id = opened.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.hasSuffix("-ups-on-battery"))

        #expect(try sb(["note", "generator", "started"], dir).stdout.contains("noted as record 2 of \(id)"))
        #expect(try sb(["note", "--actor", "lee", "carrier ticket 4471"], dir).status == 0)
        let list = try sb(["incident", "list"], dir)
        #expect(list.stdout.contains("\(id)  open    sev2"))
        #expect(list.stdout.contains("IC dana  UPS on battery"))

        let close = try sb(["incident", "close", "--summary", "utility power restored"], dir)
        #expect(close.status == 0, "\(close.stderr)")
        #expect(close.stderr.contains("resolved set to the close"), "\(close.stderr)")
        #expect(try sb(["incident", "list"], dir).stdout.contains("\(id)  closed"))
        let late = try sb(["note", "--incident", id, "late"], dir)
        #expect(late.status == 1)
        #expect(late.stderr.contains("incident \(id) is closed ") && late.stderr.contains(" UTC by dana: utility power restored"))

        // Following a closed incident is not possible: it says so, when and by whom, and where its log is.
        let follow = try sb(["--incident", id], dir)
        #expect(follow.status == 2)
        #expect(follow.stderr.contains("switchboard: incident \(id) is closed 20"), "\(follow.stderr)")
        #expect(follow.stderr.contains("by dana: utility power restored"))
        #expect(follow.stderr.contains("'switchboard review \(id)' replays it") && follow.stderr.contains("/incidents/\(id).jsonl"))

        let log = try String(contentsOfFile: logPath(dir, id), encoding: .utf8)
        #expect(log.contains(#""actor":"lee""#) && log.contains(#""text":"carrier ticket 4471""#))
        #expect(log.contains(#""kind":"incident.closed""#))
        // Closing without a resolved milestone sets it at the close, and says so.
        #expect(log.contains(#""milestone":"resolved""#))
        let verify = try sb(["log", "verify", logPath(dir, id)], dir)
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("intact · 5 records"))
    }

    @Test("milestones from a shell: now, after the fact with --at, refused in the future or unknown; closing sets resolved when asked to")
    func milestones() throws {
        let dir = try TemporaryDirectory()
        let id = try sb(["incident", "open", "--title", "Carrier outage"], dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let detected = try sb(["incident", "milestone", "detected", "--at", "-10m"], dir)
        #expect(detected.status == 0 && detected.stdout.hasPrefix("detected at 20"), "\(detected.stderr)")
        #expect(try sb(["incident", "milestone", "mitigated"], dir).status == 0)
        let future = try sb(["incident", "milestone", "resolved", "--at", "+1h"], dir)
        #expect(future.status == 2 && future.stderr.contains("--at: ") && future.stderr.contains("is in the future"), "\(future.stderr)")
        let garbled = try sb(["incident", "milestone", "resolved", "--at", "soon"], dir)
        #expect(garbled.status == 2 && garbled.stderr.contains("--at: not a time: 'soon'"))
        let unknown = try sb(["incident", "milestone", "fixed"], dir)
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown milestone 'fixed'"), "\(unknown.stderr)")
        let close = try sb(["incident", "close", "--summary", "carrier restored", "--resolved-at", "-1m"], dir)
        #expect(close.status == 0 && !close.stderr.contains("resolved set to the close"), "\(close.stderr)")

        let records = try String(contentsOfFile: logPath(dir, id), encoding: .utf8).split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let milestones = records.filter { $0["kind"] as? String == "incident.milestone" }
        #expect(milestones.map { $0["milestone"] as? String } == ["detected", "mitigated", "resolved"])
        func gap(_ record: [String: Any]) throws -> TimeInterval {
            let at = try #require((record["at"] as? String).flatMap { try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse($0) })
            let occurred = try #require((record["occurred_at"] as? String).flatMap { try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse($0) })
            return at.timeIntervalSince(occurred)
        }
        let gaps = try milestones.map(gap)
        #expect(abs(gaps[0] - 600) < 2 && abs(gaps[1]) < 1 && abs(gaps[2] - 60) < 2, "\(gaps)")
        #expect(records.last?["kind"] as? String == "incident.closed")
    }

    @Test("a FIFO, a directory or a symlink in place of a log is refused at once, and a symlink's target is never touched",
          arguments: ["fifo", "directory", "symlink"])
    func hostileLogPaths(_ kind: String) throws {
        let dir = try TemporaryDirectory()
        let id = try sb(["incident", "open", "--title", "Power cut"], dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let path = logPath(dir, id)
        let elsewhere = dir.path + "/elsewhere.jsonl"
        try FileManager.default.moveItem(atPath: path, toPath: elsewhere)
        // A torn tail a repair would cut off, were the link followed.
        try FileHandle(forWritingAtPath: elsewhere).map { try $0.seekToEnd(); try $0.write(contentsOf: Data("{\"torn".utf8)); try $0.close() }
        let before = try Data(contentsOf: URL(fileURLWithPath: elsewhere))
        switch kind {
        case "fifo": #expect(mkfifo(path, 0o600) == 0)
        case "directory": try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        default: try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: elsewhere)
        }
        let what = ["fifo": "is a FIFO", "directory": "is a directory", "symlink": "is a symbolic link"][kind] ?? ""
        for arguments in [["note", "hello"], ["note", "--incident", id, "hello"], ["incident", "list"], ["log", "verify", path]] {
            let result = try run("/usr/bin/timeout", ["5", Binary.path] + arguments, in: dir.path,
                                 environment: ["SWITCHBOARD_STATE": dir.path + "/state", "USER": "dana"])
            #expect(result.status != 124, "\(arguments) hung on a \(kind)")
            #expect((result.stdout + result.stderr).contains(what), "\(arguments): \(result.stdout)\(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: elsewhere)) == before, "the file the link points at was changed")
    }

    @Test("bad input: severity, empty note, two open incidents, closing without a summary, a missing log")
    func badInput() throws {
        let dir = try TemporaryDirectory()
        let severity = try sb(["incident", "open", "--severity", "sev9"], dir)
        #expect(severity.status == 2)
        #expect(severity.stderr.hasPrefix("switchboard: unknown severity 'sev9'"))
        _ = try sb(["incident", "open", "--title", "one"], dir)
        _ = try sb(["incident", "open", "--title", "two"], dir)
        let ambiguous = try sb(["note", "which?"], dir)
        #expect(ambiguous.status == 2)
        #expect(ambiguous.stderr.contains("2 incidents are open; say which with --incident"))
        let noSummary = try sb(["incident", "close", "--incident-does-not-exist"], dir)
        #expect(noSummary.status == 2)
        let missing = try sb(["log", "verify", "/nonexistent.jsonl"], dir)
        #expect(missing.status == 1)
        #expect(missing.stderr == "switchboard: cannot open /nonexistent.jsonl: No such file or directory\n")
    }

    @Test("a tampered log: verify exits 1 naming the record; a torn tail is told apart from tampering")
    func verifyTampering() throws {
        let dir = try TemporaryDirectory()
        let id = try sb(["incident", "open", "--title", "ISP down"], dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try sb(["note", "isp-a ticket opened"], dir)
        let path = logPath(dir, id)
        let original = try String(contentsOfFile: path, encoding: .utf8)

        try original.replacingOccurrences(of: "ticket opened", with: "ticket closed").write(toFile: path, atomically: false, encoding: .utf8)
        let edited = try sb(["log", "verify", path], dir)
        #expect(edited.status == 1)
        #expect(edited.stderr.contains("tampered: line 2: its hash does not match its content"))

        try (original + #"{"actor":"dana","at":"#).write(toFile: path, atomically: false, encoding: .utf8)
        let torn = try sb(["log", "verify", path], dir)
        #expect(torn.status == 1)
        #expect(torn.stderr.contains("truncated tail: 2 intact records"))
        #expect(!torn.stderr.contains("tampered"))

        // The next writer moves the torn tail aside and goes on.
        #expect(try sb(["note", "after the crash"], dir).status == 0)
        #expect(try sb(["log", "verify", path], dir).stdout.contains("intact · 4 records"))
        let aside = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/state/incidents").filter { $0.contains(".torn-") }
        #expect(aside.count == 1)
    }

    @Test("twenty shells noting at once: every note is logged once, in one unbroken chain")
    func concurrentNotes() throws {
        let dir = try TemporaryDirectory()
        let id = try sb(["incident", "open", "--title", "Busy"], dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let writers = try (1...20).map { number in
            try SpawnedCommand(Binary.path, ["note", "note \(number)"], in: dir.path,
                               environment: ["SWITCHBOARD_STATE": dir.path + "/state", "USER": "writer\(number)"])
        }
        for writer in writers { #expect(writer.wait().status == 0) }
        let verify = try sb(["log", "verify", logPath(dir, id)], dir)
        #expect(verify.stdout.contains("intact · 21 records"), "\(verify.stdout)\(verify.stderr)")
        let log = try String(contentsOfFile: logPath(dir, id), encoding: .utf8)
        for number in 1...20 { #expect(log.contains(#""text":"note \#(number)""#)) }
    }

    @Test("writers killed with SIGKILL at random moments: every acknowledged note is there, and the chain is never broken")
    func crashLoop() throws {
        let dir = try TemporaryDirectory()
        let id = try sb(["incident", "open", "--title", "Crash loop"], dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        var acknowledged: [String] = []
        for round in 0..<40 {
            let writer = try SpawnedCommand(Binary.path, ["note", "round \(round)"], in: dir.path,
                                            environment: ["SWITCHBOARD_STATE": dir.path + "/state"])
            usleep(UInt32.random(in: 0...40_000))
            kill(writer.pid, SIGKILL)
            let result = writer.wait()
            if result.status == 0 { acknowledged.append("round \(round)") }
            let verify = try sb(["log", "verify", logPath(dir, id)], dir)
            #expect(!verify.stderr.contains("tampered"), "after round \(round): \(verify.stderr)")
        }
        #expect(try sb(["note", "after the storm"], dir).status == 0)
        let verify = try sb(["log", "verify", logPath(dir, id)], dir)
        #expect(verify.status == 0, "\(verify.stderr)")
        let log = try String(contentsOfFile: logPath(dir, id), encoding: .utf8)
        for note in acknowledged { #expect(log.contains(#""text":"\#(note)""#), "acknowledged '\(note)' is missing") }
    }
}

import Foundation
import Testing

/// `switchboard review` in tmux, as a reviewer uses it after an outage: an incident run live,
/// the console quit, then replayed: the minute the UPS went critical, the step that was
/// current, the decision read in its detail; and a tampered copy opened with the red banner.
@Suite("Review in the terminal", .serialized)
struct ReviewEndToEndTests {
    static let runbook = """
        id: power
        title: Utility power failure
        severity: sev1
        triggers: ["ups-main.ups.status has OB"]
        steps:
          - id: confirm
            do: Confirm the UPS carries the load
          - id: outlook
            ask: Is utility power expected back within 30 minutes?
            choices: {yes: monitor, no: relocate}
          - id: relocate
            do: Prepare to route calls to the alternate center
          - id: monitor
            do: Watch the battery until power is back
        """

    @Test("run an incident live and quit; review it: the UPS critical at its minute, the current step, → to the decision and its detail")
    func reviewAfterAnIncident() throws {
        let directory = try TemporaryDirectory()
        let feed = try directory.write("feed.jsonl", RunbookEndToEndTests.reading(
            "ups-main", "ok", "on line · 100%", #""ups.status": "OL", "battery.charge": 100"#))
        let feedHandle = try #require(FileHandle(forWritingAtPath: feed))
        defer { try? feedHandle.close() }
        feedHandle.seekToEndOfFile()
        let runbook = try directory.write("power.yaml", Self.runbook)
        let config = try directory.write("switchboard.yaml", RunbookEndToEndTests.config(feed: feed, runbook: runbook))
        let state = directory.path + "/state"
        let session = try TmuxSession(width: 80, height: 24, directory: directory.path)
        try session.type("env SWITCHBOARD_STATE=\(state) USER=alice \(Binary.path) --config \(config)")
        try session.waitFor("the UPS on line") { $0.contains("on line · 100%") }

        feedHandle.write(Data(RunbookEndToEndTests.reading("ups-main", "critical", "on battery · 40% · 6 min left",
                                                          #""ups.status": "OB", "battery.charge": 40"#).utf8))
        try session.waitFor("the suggestion") { $0.contains("Utility power failure runbook? r to start") }
        try session.press("r")
        try session.waitFor("the runbook list") { $0.contains("Utility power failure") }
        try session.press("Enter")
        try session.waitFor("the incident form") { $0.contains("Open an incident") }
        try session.press("Enter")
        try session.waitFor("step 1") { $0.contains("step 1 of 4") && !$0.contains("saving…") }
        Thread.sleep(forTimeInterval: 1.2)
        try session.press("d")
        try session.waitFor("the question current") { $0.contains("step 2 of 4") && !$0.contains("saving…") }
        Thread.sleep(forTimeInterval: 1.2)
        try session.press("d")
        try session.waitFor("the decision form") { $0.contains("Decide") && $0.contains("[yes]") }
        try session.press("Right", "Enter")
        try session.waitFor("the branch taken") { $0.contains("step 3 of 4") && !$0.contains("saving…") }
        try session.press("q")
        try session.waitFor("the quit question") { $0.contains("Quit the console?") }
        try session.press("y")
        try session.waitFor("the shell") { !$0.contains("RUNBOOK") }

        let incidents = state + "/incidents"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: incidents).first { $0.hasSuffix(".jsonl") })
        let id = String(name.dropLast(6))
        let records = try String(contentsOfFile: incidents + "/" + name, encoding: .utf8).split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let started = try #require(records.first { $0["kind"] as? String == "runbook.started" }?["at"] as? String)
        // The second after the runbook started: the UPS was critical then, and step 1 current.
        let clock = String(try #require(started.split(separator: "T").last).prefix(8))
        let parts = clock.split(separator: ":").compactMap { Int($0) }
        let second = (parts[0] * 3600 + parts[1] * 60 + parts[2] + 1) % 86_400
        let jumpTo = String(format: "%02d:%02d:%02d", second / 3600, second / 60 % 60, second % 60)

        try session.type("env SWITCHBOARD_STATE=\(state) \(Binary.path) review \(id) --config \(config)")
        try session.waitFor("the review, verified") { $0.contains(" REVIEW ") && $0.contains("verified: log intact") }
        try session.press("t")
        try session.waitFor("the time prompt") { $0.contains("go to:") }
        try session.type(jumpTo)
        let then = try session.waitFor("the console at \(jumpTo)") { $0.contains(jumpTo + " UTC") }
        #expect(then.contains("✖ CRIT  ups-main"), "\(then)")
        #expect(then.contains("▶ 1 Confirm the UPS carries the load") && then.contains("step 1 of 4"), "\(then)")
        #expect(!then.contains("DECIDE"), "the decision is not yet in the log")

        // → through the records to the decision, then its detail from the log.
        for _ in 0..<4 {
            if try session.screen().contains("DECIDE") { break }
            try session.press("Right")
            Thread.sleep(forTimeInterval: 0.3)
        }
        let decided = try session.waitFor("the decision in the log") { $0.contains("DECIDE") && $0.contains("step 3 of 4") }
        #expect(decided.contains("✖ CRIT  ups-main"))
        try session.press("BTab")
        try session.press("Enter")
        let detail = try session.waitFor("the decision's detail") { $0.contains("log record #") }
        #expect(detail.contains("Is utility power expected back within 30 minutes?") && detail.contains("no"), "\(detail)")
        try session.press("Escape")
        try session.press("q")
        try session.waitFor("the shell again") { !$0.contains(" REVIEW ") && $0.contains("READY$") }

        // A tampered copy, read-only: the red banner names the record.
        let copy = directory.path + "/copy.jsonl"
        var lines = try String(contentsOfFile: incidents + "/" + name, encoding: .utf8).split(separator: "\n").map(String.init)
        let decision = try #require(lines.firstIndex { $0.contains("\"decision\"") })
        lines[decision] = lines[decision].replacingOccurrences(of: "\"no\"", with: "\"yes\"")
        try (lines.joined(separator: "\n") + "\n").write(toFile: copy, atomically: true, encoding: .utf8)
        chmod(copy, 0o400)
        try session.type("env SWITCHBOARD_STATE=\(state) \(Binary.path) review \(copy) --config \(config)")
        let tampered = try session.waitFor("the tampered banner") { $0.contains("TAMPERED or damaged at record \(decision + 1)") }
        #expect(tampered.contains("DAMAGED"))
        try session.press("q")
        try session.waitFor("the shell after the copy") { $0.contains("READY$") && !$0.contains(" REVIEW ") }
        let after = try String(contentsOfFile: copy, encoding: .utf8)
        #expect(after == lines.joined(separator: "\n") + "\n", "review changed nothing")
    }

    @Test("review's mistakes are one line before the screen is taken: an unknown id, a time that is not one, an --as without a console")
    func mistakes() throws {
        let directory = try TemporaryDirectory()
        let state = directory.path + "/state"
        let opened = try switchboard(["incident", "open", "--title", "UPS on battery", "--state-dir", state, "--actor", "alice"])
        #expect(opened.status == 0, "\(opened.stderr)")
        let id = opened.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let unknown = try switchboard(["review", "no-such-incident", "--state-dir", state])
        #expect(unknown.status == 1 && unknown.stderr.contains("switchboard: no incident 'no-such-incident' in \(state)/incidents"), "\(unknown.stderr)")
        let missing = try switchboard(["review", directory.path + "/nowhere.jsonl"])
        #expect(missing.status == 1 && missing.stderr.contains("no incident log at"), "\(missing.stderr)")
        let time = try switchboard(["review", id, "--state-dir", state, "--at", "teatime"])
        #expect(time.status == 2 && time.stderr.contains("--at: not a time: 'teatime'"), "\(time.stderr)")
        let actor = try switchboard(["review", id, "--state-dir", state, "--as", "bob"])
        #expect(actor.status == 1 && actor.stderr.contains("no console of 'bob' recorded readings"), "\(actor.stderr)")
        for result in [unknown, missing, time, actor] {
            #expect(result.stderr.split(separator: "\n").count == 1 && !result.stderr.contains("Fatal"))
        }
    }

    @Test("a review at the end of an incident still open follows it, like tail -f: a note logged from a shell appears, and the live console's readings move its clock")
    func followsAnOpenIncident() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("switchboard.yaml", """
            site: Follow test site
            probes:
              - id: isp-a
                pane: network
                kind: simulated
                interval: 1s
                metrics: {latency: {start: 20, min: 10, max: 30, step: 1, unit: ms}}
            """)
        let state = directory.path + "/state"
        let live = try TmuxSession(width: 80, height: 24, directory: directory.path)
        try live.type("env SWITCHBOARD_STATE=\(state) USER=alice \(Binary.path) --config \(config)")
        try live.waitFor("the console") { $0.contains("isp-a") }
        try live.press("i")
        try live.waitFor("the open-incident form") { $0.contains("Open an incident") }
        try live.type("ISP flapping")
        try live.waitFor("the incident open") { $0.contains("ACTION LOG") && !$0.contains("saving…") }
        let incidents = state + "/incidents"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: incidents).first { $0.hasSuffix(".jsonl") })
        let id = String(name.dropLast(6))

        let review = try TmuxSession(width: 80, height: 24, directory: directory.path)
        try review.type("env SWITCHBOARD_STATE=\(state) \(Binary.path) review \(id) --config \(config)")
        try review.waitFor("the review") { $0.contains(" REVIEW ") && $0.contains("verified:") }
        try review.press("Escape", "G")
        let first = try review.waitFor("the review at the end") { $0.contains("ISP flapping") }
        func clock(_ screen: String) -> String? {
            guard let header = screen.split(separator: "\n").first,
                  let range = header.range(of: #"\d\d:\d\d:\d\d UTC"#, options: .regularExpression) else { return nil }
            return String(header[range])
        }
        let noted = try switchboard(["note", "--incident", id, "--state-dir", state, "--actor", "bob", "fuel delivered, 800 l"])
        #expect(noted.status == 0, "\(noted.stderr)")
        let followed = try review.waitFor("the note in the review") { $0.contains("fuel delivered, 800 l") }
        #expect(followed.contains(" REVIEW "))
        try review.waitFor("the clock moving with the live console's readings") { clock($0) != nil && clock($0) != clock(first) }
        try review.press("q")
        try review.waitFor("the shell") { $0.contains("READY$") && !$0.contains(" REVIEW ") }
        try live.press("q", "y")
    }
}

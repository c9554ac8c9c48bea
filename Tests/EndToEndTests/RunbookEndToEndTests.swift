import Foundation
import Testing

/// The utility-power runbook worked from the real console in tmux: the UPS goes on battery (a
/// stream probe the test feeds), the suggestion is accepted, steps are done, skipped, completed
/// by a wait and decided; after a restart the runbook is where it was and the log verifies.
@Suite("Runbooks in the console", .serialized)
struct RunbookEndToEndTests {
    static let shippedRunbook = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("runbooks/utility-power-failure.yaml").path

    /// A site whose UPS and generator read what the test appends to `feed.jsonl`, with the
    /// contacts and message template the power runbook names; `runbook` replaces it.
    static func config(feed: String, runbook: String = shippedRunbook) -> String {
        """
        site: Runbook test site
        runbooks: [\(runbook)]
        probes:
          - id: power-feed
            pane: power
            kind: stream
            interval: 30s
            command: [/usr/bin/tail, -n, "+1", -F, \(feed)]
          - {id: ups-main, pane: power, kind: stream, from: power-feed}
          - {id: generator, pane: power, kind: stream, from: power-feed}
        contacts:
          - {id: utility, name: Desert Power outage line, phone: "+1 602 555 0100"}
          - {id: generator-vendor, name: Sonoran Generator Service, phone: "+1 602 555 0111"}
          - {id: fuel-supplier, name: Valley Fuel, phone: "+1 602 555 0133"}
          - {id: tucson-supervisor, name: Tucson duty supervisor, phone: "+1 520 555 0243"}
        comms:
          client-degraded: {channel: client-email, subject: Degraded, body: "Service at {{site}} may be degraded."}
        """
    }

    static func reading(_ probe: String, _ status: String, _ summary: String, _ metrics: String) -> String {
        #"{"id": "\#(probe)", "status": "\#(status)", "summary": "\#(summary)", "metrics": {\#(metrics)}}"# + "\n"
    }

    @Test("on battery: accept the suggestion, do, skip, wait and decide; quit, restart, same place; all of it in a verifying log")
    func powerFailure() throws {
        let directory = try TemporaryDirectory()
        let feed = directory.path + "/feed.jsonl"
        let feedHandle = try #require(FileHandle(forWritingAtPath: try directory.write("feed.jsonl",
            Self.reading("ups-main", "ok", "on line · 100%", #""ups.status": "OL", "battery.charge": 100"#)
            + Self.reading("generator", "ok", "standby", #""state": "standby", "fuel": 92"#))))
        defer { try? feedHandle.close() }
        feedHandle.seekToEndOfFile()
        func feedLine(_ line: String) { feedHandle.write(Data(line.utf8)) }

        let config = try directory.write("switchboard.yaml", Self.config(feed: feed))
        let state = directory.path + "/state"
        let command = "env SWITCHBOARD_STATE=\(state) USER=alice \(Binary.path) --config \(config)"
        let session = try TmuxSession(width: 80, height: 24, directory: directory.path)
        try session.type(command)
        try session.waitFor("the console reading the feed") { $0.contains("standby") && $0.contains("on line") }

        feedLine(Self.reading("ups-main", "warning", "on battery · 83% · 14 min left", #""ups.status": "OB", "battery.charge": 83"#))
        try session.waitFor("the suggestion") { $0.contains("Utility power failure runbook? r to start") }
        try session.press("r")
        try session.waitFor("the runbook list, suggestion first") { $0.contains("▸ SUGGESTED") && $0.contains("Utility power failure") }
        try session.press("Enter")
        try session.waitFor("the incident form, filled from the runbook") { $0.contains("Open an incident") && $0.contains("[SEV1]") }
        try session.press("Enter")
        try session.waitFor("the stepper on step 1") { $0.contains("RUNBOOK") && $0.contains("step 1 of 10") && !$0.contains("saving…") }

        try session.press("d")
        try session.waitFor("step 2 current") { $0.contains("step 2 of 10") && !$0.contains("saving…") }
        try session.press("s")
        try session.waitFor("the skip form") { $0.contains("Skip this step") }
        try session.type("facilities already called the utility")
        try session.waitFor("step 3, the generator wait") { $0.contains("step 3 of 10") && $0.contains("left") }

        feedLine(Self.reading("generator", "ok", "running, on load", #""state": "running", "fuel": 91"#))
        try session.waitFor("the wait completing by itself") { $0.contains("step 4 of 10") && $0.contains("auto ") }
        feedLine(Self.reading("ups-main", "ok", "on line · charging · 84%", #""ups.status": "OL CHRG", "battery.charge": 84"#))
        // Its check reads the UPS back on line before d: over a failing check, d would ask why.
        try session.waitFor("the UPS back on line") { $0.contains("on line · charging") }
        try session.press("d")
        try session.waitFor("step 6 of 10") { $0.contains("step 6 of 10") && !$0.contains("saving…") }
        // Step 6 tells clients: d opens its message; sending it completes the step.
        try session.press("d")
        try session.waitFor("the step's message") { $0.contains("message · client-degraded") && $0.contains("(done when sent)") }
        try session.press("C-d")
        try session.waitFor("the send question") { $0.contains("Log this message as sent") }
        try session.press("y")
        try session.waitFor("step 7 of 10") { $0.contains("step 7 of 10") && !$0.contains("saving…") }
        try session.press("d")
        try session.waitFor("step 8 of 10") { $0.contains("step 8 of 10") && !$0.contains("saving…") }
        try session.press("d")
        try session.waitFor("the decision form") { $0.contains("Decide") && $0.contains("[yes]") }
        try session.press("Right", "Enter")
        try session.waitFor("the branch taken") { $0.contains("step 9 of 10") && $0.contains("→ no") && !$0.contains("saving…") }

        try session.press("q")
        try session.waitFor("the quit question") { $0.contains("Quit the console?") }
        try session.press("y")
        try session.waitFor("the shell") { !$0.contains("RUNBOOK") }

        try session.type(command)
        try session.waitFor("the runbook resumed where it was") {
            $0.contains("Utility power failure") && $0.contains("step 9 of 10") && $0.contains("→ no") && $0.contains("again in")
        }
        try session.press("q", "y")

        let incidents = state + "/incidents"
        let log = incidents + "/" + (try #require(try FileManager.default.contentsOfDirectory(atPath: incidents).first { $0.hasSuffix(".jsonl") }))
        let verify = try switchboard(["log", "verify", log])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let records = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        func first(_ kind: String, step: String? = nil) -> [String: Any]? {
            records.first { $0["kind"] as? String == kind && (step == nil || $0["step"] as? String == step) }
        }
        #expect(first("runbook.started")?["trigger"] as? String == "ups-main.ups.status has OB")
        #expect(first("step.done", step: "confirm-ups")?["next"] as? String == "call-utility")
        #expect(first("step.skipped", step: "call-utility")?["reason"] as? String == "facilities already called the utility")
        let auto = try #require(first("step.done", step: "generator"))
        #expect(auto["auto"] as? Bool == true)
        #expect(((auto["evidence"] as? [String: Any])?["generator"] as? [String: Any])?["state"] as? String == "running")
        let sent = try #require(first("comms.sent", step: "notify-clients"))
        #expect(sent["runbook"] as? String == "utility-power-failure")
        #expect(sent["text"] as? String == "Service at Runbook test site may be degraded.")
        #expect(first("step.done", step: "notify-clients")?["notify"] as? String == "client-degraded")
        let decision = try #require(first("decision", step: "power-back"))
        #expect(decision["answer"] as? String == "no" && decision["next"] as? String == "relocate")
    }

    @Test("an incident opened from a shell while a trigger holds: the console says so, and still shows the suggestion")
    func suggestionSurvivesANotice() throws {
        let directory = try TemporaryDirectory()
        let feed = try directory.write("feed.jsonl", Self.reading("ups-main", "ok", "on line · 100%", #""ups.status": "OL", "battery.charge": 100"#)
            + Self.reading("generator", "ok", "standby", #""state": "standby", "fuel": 92"#))
        let feedHandle = try #require(FileHandle(forWritingAtPath: feed))
        defer { try? feedHandle.close() }
        feedHandle.seekToEndOfFile()
        let config = try directory.write("switchboard.yaml", Self.config(feed: feed))
        let state = directory.path + "/state"
        let session = try TmuxSession(width: 80, height: 24, directory: directory.path)
        try session.type("env SWITCHBOARD_STATE=\(state) USER=alice \(Binary.path) --config \(config)")
        try session.waitFor("the console reading the feed") { $0.contains("standby") && $0.contains("on line") }

        feedHandle.write(Data(Self.reading("ups-main", "warning", "on battery · 83%", #""ups.status": "OB", "battery.charge": 83"#).utf8))
        try session.waitFor("the suggestion") { $0.contains("Utility power failure runbook? r to start") }
        let opened = try switchboard(["incident", "open", "--title", "Power cut", "--severity", "sev1"],
                                     environment: ["SWITCHBOARD_STATE": state, "USER": "bob"])
        #expect(opened.status == 0, "\(opened.stderr)")
        let screen = try session.waitFor("the notice and the suggestion together") {
            $0.contains("bob opened this incident from another console or shell") && $0.contains("Utility power failure runbook? r to start")
        }
        #expect(screen.split(separator: "\n")[0].contains("Power cut"))
        try session.press("q", "y")
    }
}

import Foundation
import Testing

/// What a console drew from survives it: a probe down for a while, the console killed with
/// kill -9 and started again, and the row still says how long it has really been down, with
/// its sparkline; the killed console's readings are sealed by the new one and verify.
@Suite("Readings journal in the console", .serialized)
struct ReadingsJournalEndToEndTests {
    /// A site with one probe the test turns on and off: a plugin that reads its exit code from
    /// a file, as a generator controller's check would report, with a number for the sparkline.
    static func site(in directory: TemporaryDirectory) throws -> String {
        let state = try directory.write("generator.state", "0")
        let plugin = try directory.write("check_generator", """
            #!/bin/sh
            code=$(cat '\(state)')
            case "$code" in
              0) echo "GENERATOR OK - running, on load | load=62%;;;0;100" ;;
              *) echo "GENERATOR CRITICAL - start failed (alarm 23) | load=0%;;;0;100" ;;
            esac
            exit "$code"
            """)
        chmod(plugin, 0o755)
        return try directory.write("switchboard.yaml", """
            site: Test site
            probes:
              - id: generator
                pane: power
                kind: exec
                interval: 1s
                timeout: 1s
                command: ['\(plugin)']
              - id: isp-a
                pane: network
                kind: simulated
                interval: 1s
                metrics: {latency: {start: 20, min: 10, max: 30, step: 1, unit: ms}}
            """)
    }

    /// The age column at the end of a probe's row (`4s`, `1m`), in seconds.
    static func age(of probe: String, in screen: String) -> Int? {
        guard let row = screen.split(separator: "\n").first(where: { $0.contains(" \(probe) ") }),
              let last = row.split(separator: " ").last else { return nil }
        if last.hasSuffix("s") { return Int(last.dropLast()) }
        if last.hasSuffix("m") { return Int(last.dropLast()).map { $0 * 60 } }
        return nil
    }

    @Test("kill -9, then start again: the down probe's row keeps how long it has been down, and its sparkline")
    func downSinceSurvivesARestart() throws {
        let directory = try TemporaryDirectory()
        let config = try Self.site(in: directory)
        let stateDir = directory.path + "/state"
        let command = "env SWITCHBOARD_STATE=\(stateDir) USER=alice \(Binary.path) --config \(config)"
        // Wide enough for 16-reading sparklines: the one after the restart reaches back before it.
        let session = try TmuxSession(width: 120, height: 30, directory: directory.path)
        try session.type(command)
        try session.waitFor("the generator running") { $0.contains("OK    generator") && $0.contains("62%") }
        // Some history to draw: a few readings of it running.
        try session.waitFor("the generator's sparkline", timeout: .seconds(20)) { $0.contains("62% ") && $0.contains("████ ") }
        try session.press("i")
        try session.waitFor("the open-incident form") { $0.contains("Open an incident") }
        try session.type("Generator will not start")
        try session.waitFor("the incident open") { $0.contains("ACTION LOG") }

        _ = try directory.write("generator.state", "2")
        let wentDown = ContinuousClock.now
        try session.waitFor("the generator down") { $0.contains("CRIT  generator") }
        // Let it be down a while, with readings to draw.
        try session.waitFor("the generator down for 6 s", timeout: .seconds(20)) { (Self.age(of: "generator", in: $0) ?? 0) >= 6 }
        let pid = try #require(try session.foregroundChild())
        kill(pid, SIGKILL)
        while !processIsGone(pid) { Thread.sleep(forTimeInterval: 0.05) }
        Thread.sleep(forTimeInterval: 2)
        // The killed console could not restore the terminal: clear what it left on screen.
        try session.type("clear")
        try session.waitFor("a clear screen") { $0.hasPrefix("READY$") }

        try session.type(command)
        let screen = try session.waitFor("the restarted console on the incident") {
            !$0.contains("READY$") && $0.contains("Generator will not start") && $0.contains("CRIT  generator")
        }
        let downFor = Int((ContinuousClock.now - wentDown).components.seconds)
        let shown = try #require(Self.age(of: "generator", in: screen), "\(screen)")
        // Not "1s" since the restart: as long as it has really been down (give or take the tick).
        #expect(shown >= downFor - 2, "down \(downFor) s, the row says \(shown) s:\n\(screen)")
        let row = try #require(screen.split(separator: "\n").first { $0.contains(" generator ") })
        // Drawn within a second or two of the restart, it holds the readings from before it: the
        // load before the failure (full bars) and since (low bars).
        #expect(row.contains("▁") && row.contains("█"), "the sparkline shows the load before and after the failure: \(row)")

        try session.press("q", "y")
        try session.waitFor("the shell prompt") { $0.split(separator: "\n").last?.hasPrefix("READY$") == true }
        let logs = try FileManager.default.contentsOfDirectory(atPath: stateDir + "/incidents").filter { $0.hasSuffix(".jsonl") }
        try #require(logs.count == 1)
        let verify = try switchboard(["log", "verify", stateDir + "/incidents/" + logs[0]])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        // Two consoles' journals, the killed one's sealed by the second: nothing unvouched for.
        let files = try FileManager.default.subpathsOfDirectory(atPath: stateDir + "/incidents")
        #expect(verify.stdout.contains("readings: 2 journals intact"), "\(verify.stdout)\n\(files)")
        #expect(!verify.stdout.contains("note:"), "\(verify.stdout)")
    }
}

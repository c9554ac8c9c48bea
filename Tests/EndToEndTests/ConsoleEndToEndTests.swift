import Foundation
import Testing
import TerminalUI

/// The real binary in tmux: what a person at the keyboard would see.
@Suite("Console in a terminal", .serialized)
struct ConsoleEndToEndTests {
    static let panes = ["POWER", "NETWORK", "TELEPHONY", "AGENTS & SLA"]

    /// Starts the demo console in a fresh 80×24 tmux and waits for all four panes with results.
    func startDemo(width: Int = 80, height: Int = 24, environment: String = "") throws -> (TmuxSession, TemporaryDirectory, Int32) {
        let dir = try TemporaryDirectory()
        let session = try TmuxSession(width: width, height: height, directory: dir.path)
        try session.type("\(environment) \(Binary.path)")
        try session.waitFor("the demo console with results in every pane") { screen in
            screen.contains("DEMO") && Self.panes.allSatisfy(screen.contains) && screen.contains("queue-sales")
                && !screen.contains("… WAIT") // every probe has answered
        }
        let pid = try #require(try session.foregroundChild())
        return (session, dir, pid)
    }

    /// After the console exits: the process is gone, the shell prompt is back (on the main screen,
    /// for terminals that have an alternate one), and the terminal is in cooked mode with echo.
    func expectRestored(_ session: TmuxSession, pid: Int32, alternateScreen: Bool = true,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        try session.waitFor("the shell prompt after the console exits") { screen in
            let lastLine = screen.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            // Without an alternate screen (vt100) the last frame stays above the prompt, as with less or htop.
            return lastLine?.hasPrefix("READY$") == true && (!alternateScreen || !screen.contains("SWITCHBOARD"))
        }
        // As long as any screen is waited for: nine consoles signalled side by side on two cores
        // were seen to take more than 5 s to finish exiting after the terminal was restored.
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(15)
        while !processIsGone(pid), clock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(processIsGone(pid), "switchboard (pid \(pid)) is still running", sourceLocation: sourceLocation)
        #expect(try session.paneValue("#{alternate_on}") == "0", "still on the alternate screen", sourceLocation: sourceLocation)
        try session.type("stty -a | tr ' ' '\\n' | grep -xE -- '-?(echo|icanon)' | sort | paste -sd, - | sed 's/^/STTY=/'")
        let screen = try session.waitFor("stty output") { $0.contains("\nSTTY=") }
        let modes = screen.split(separator: "\n").first { $0.hasPrefix("STTY=") }
        #expect(modes == "STTY=echo,icanon", "terminal modes after exit: \(modes ?? "none")", sourceLocation: sourceLocation)
    }

    @Test("start, see the four panes, Tab and Enter into a probe's details, resize to 60×15 and back, q")
    func tour() throws {
        let (session, _, pid) = try startDemo()
        try session.press("Tab")
        try session.press("Enter")
        let detail = try session.waitFor("the details of isp-a") { $0.contains("isp-a · details") }
        #expect(detail.contains("Metrics"))
        #expect(detail.contains("rta"))
        #expect(detail.contains("warn 100"))
        #expect(detail.contains("History, newest first"))

        try session.press("Escape")
        try session.waitFor("the console again") { $0.contains("RECENT CHANGES") }

        try session.resize(width: 60, height: 15)
        try session.waitFor("the too-small screen") { $0.contains("terminal too small") && $0.contains("have 60×15") }
        try session.resize(width: 80, height: 24)
        let back = try session.waitFor("the console after growing back") { screen in
            Self.panes.allSatisfy(screen.contains) && !screen.contains("too small")
        }
        #expect(back.split(separator: "\n").count <= 24)

        try session.press("?")
        try session.waitFor("help") { $0.contains("Moving around") }
        try session.press("Escape")
        // F1 is help too, as the terminal sends it; another F-key is named in the footer.
        try session.press("F1")
        try session.waitFor("help by F1") { $0.contains("Moving around") }
        try session.press("F1")
        try session.press("F5")
        try session.waitFor("F5 named") { $0.contains("F5 does nothing here") && !$0.contains("Moving around") }
        try session.press("q")
        try expectRestored(session, pid: pid)
    }

    @Test("repeated resizes leave no garbage and the console keeps running")
    func resizeStorm() throws {
        let (session, _, pid) = try startDemo()
        for (width, height) in [(100, 30), (81, 24), (200, 50), (40, 10), (120, 40), (80, 24)] {
            try session.resize(width: width, height: height)
        }
        // The final frame must be the whole console at 80×24, header first and footer last,
        // with nothing left over from the larger or smaller sizes.
        try session.waitFor("a clean 80×24 console") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).prefix(24)
            return lines.first?.hasPrefix(" SWITCHBOARD") == true
                && lines.last?.contains("q  quit") == true
                && lines.allSatisfy { $0.count <= 80 }
                && Self.panes.allSatisfy(screen.contains) && screen.contains("RECENT CHANGES")
                && !screen.contains("too small")
        }
        #expect(!processIsGone(pid))
        try session.press("q")
        try expectRestored(session, pid: pid)
    }

    @Test("SIGTERM, SIGHUP, Ctrl-C, every other signal that would end it, and even a crash restore the terminal",
          arguments: ["TERM", "HUP", "INT", "USR1", "USR2", "QUIT", "ALRM", "SEGV", "ABRT"])
    func signals(_ signal: String) throws {
        let (session, _, pid) = try startDemo()
        if signal == "INT" {
            try session.press("C-c")
        } else {
            _ = try run("/bin/kill", ["-\(signal)", "\(pid)"])
        }
        try expectRestored(session, pid: pid)
    }

    @Test("with NO_COLOR, or on a terminal without colour, the screen has no colours and still reads",
          arguments: ["NO_COLOR=1", "TERM=vt100"])
    func noColor(_ environment: String) throws {
        let (session, _, pid) = try startDemo(environment: environment)
        let styled = try session.screenWithAttributes()
        // SGR parameters 30–38, 40–48 and 90–107 set colours; 39/49 reset to the terminal's
        // defaults (tmux writes them on every line); 0–9 are attributes (bold, underline, …).
        let colourCodes = styled.matches(of: /\e\[([0-9;]*)m/).map { String($0.output.1) }
            .filter { parameters in
                parameters.split(separator: ";").compactMap { Int($0) }.contains { (30...38).contains($0) || (40...48).contains($0) || (90...107).contains($0) }
            }
        #expect(colourCodes.isEmpty, "colour escapes with NO_COLOR: \(Set(colourCodes))")
        #expect(try session.screen().contains("✔ OK"))
        try session.press("q")
        try expectRestored(session, pid: pid, alternateScreen: !environment.hasPrefix("TERM=vt100"))
    }

    @Test("escape sequences in probe output never reach the terminal")
    func sanitized() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.write("switchboard.yaml", #"""
            site: "Evil\e]2;HACKED\a site"
            probes:
              - id: evil
                pane: network
                kind: simulated
                interval: 1s
                summary: "safe\e[2J\e]2;PWNED\a\e[31m text {{v}}"
                metrics:
                  v: "\e[5mblink"
            """#)
        let session = try TmuxSession(width: 80, height: 24, directory: dir.path)
        try session.type(Binary.path)
        let screen = try session.waitFor("the probe's summary") { $0.contains("safe text blink") }
        #expect(screen.contains("Evil site"))
        #expect(screen.contains("LIVE"))
        let title = try session.paneValue("#{pane_title}")
        #expect(!title.contains("HACKED") && !title.contains("PWNED"), "pane title changed to \(title)")
        try session.press("q")
        try session.waitFor("the shell prompt") { $0.contains("READY$") && !$0.contains("SWITCHBOARD") }
    }

    @Test("emoji sequences, flags, combining marks, Devanagari and bidi overrides leave no debris when the row changes")
    func unicodeLeavesNoDebris() throws {
        let dir = try TemporaryDirectory()
        let hostile = "👨\u{200D}👩\u{200D}👧 🇺🇸 👍🏽 ❤️ का x\u{334}\u{321} \u{202E}evil\u{202C} end"
        _ = try dir.write("hostile.jsonl", #"{"status": "warning", "summary": "\#(hostile)", "metrics": {"k\#u{202E}ey": 1}}"# + "\n")
        _ = try dir.write("plain.jsonl", #"{"status": "ok", "summary": "plain"}"# + "\n")
        _ = try dir.write("switchboard.yaml", """
            site: Unicode
            probes:
              - id: feed
                pane: network
                kind: stream
                command: [/bin/sh, -c, 'cat hostile.jsonl; while [ ! -e next ]; do sleep 0.1; done; cat plain.jsonl; exec sleep 600']
              - {id: other, pane: network, kind: simulated, interval: 1s, summary: steady, metrics: {v: {start: 1, min: 1, max: 1}}}
            """)
        let session = try TmuxSession(width: 80, height: 24, directory: dir.path)
        try session.type("cd \(dir.path) && \(Binary.path)")
        /// The rows as tmux placed them (its widths are `DisplayWidth`'s for what reaches it):
        /// no row wider than the terminal, and the feed's row ending (its right-aligned age) in
        /// the same column as the other probe's, so nothing was drawn where the console did not
        /// count it.
        func expectAligned(_ screen: String, sourceLocation: SourceLocation = #_sourceLocation) -> Substring {
            let lines = screen.split(separator: "\n")
            #expect(lines.allSatisfy { DisplayWidth.of($0) <= 80 }, "a row wider than the terminal:\n\(screen)", sourceLocation: sourceLocation)
            let feed = lines.first { $0.contains(" feed ") && $0.contains("█") } ?? ""
            let other = lines.first { $0.contains(" other ") } ?? ""
            #expect(!feed.isEmpty && DisplayWidth.of(feed) == DisplayWidth.of(other),
                    "the feed's row is shifted:\n\(feed)\n\(other)", sourceLocation: sourceLocation)
            return feed
        }
        let shown = try session.waitFor("the hostile summary") { $0.contains("evil") && $0.contains("end") }
        #expect(!shown.unicodeScalars.contains { [0x202E, 0x202C, 0x200D, 0x1F3FD, 0xFE0F].contains($0.value) },
                "bidi controls, joiners or modifiers reached the terminal")
        #expect(shown.contains("👨👩👧 🇺🇸 👍 ❤ का x\u{334}\u{321} evil end"))
        _ = expectAligned(shown)
        try session.press("Tab", "Enter")
        // The whole overlay, metrics and all: a capture can fall between its title and its rows.
        let detail = try session.waitFor("the feed's details with its metric") { $0.contains("feed · details") && $0.contains("key") }
        #expect(!detail.unicodeScalars.contains { $0.value == 0x202E }, "a metric key's override reached the terminal")
        try session.press("Escape")
        try Data().write(to: URL(fileURLWithPath: dir.path + "/next"))
        let plain = try session.waitFor("the plain summary") { $0.contains("plain") }
        let row = expectAligned(plain)
        let afterSummary = row.split(separator: "plain", maxSplits: 1).last?.prefix { $0 != "█" } ?? ""
        #expect(afterSummary.allSatisfy { $0 == " " }, "debris of the earlier frame after the summary: \(row)")
        try session.press("q")
        try session.waitFor("the shell prompt") { $0.contains("READY$") && !$0.contains("SWITCHBOARD") }
    }

    @Test("exec and stream probes: real plugins in every state, a missing command, a hang, a soft problem, a pushed feed")
    func execAndStreamProbes() throws {
        let dir = try TemporaryDirectory()
        let dummy = "/usr/lib/nagios/plugins/check_dummy"
        _ = try dir.write("switchboard.yaml", """
            site: Probe states
            probes:
              - {id: dummy-ok, pane: power, kind: exec, interval: 2s, command: [\(dummy), "0", "all good"]}
              - {id: dummy-warn, pane: power, kind: exec, interval: 2s, command: [\(dummy), "1", "getting warm"]}
              - {id: dummy-crit, pane: network, kind: exec, interval: 2s, command: [\(dummy), "2", "link down"]}
              - {id: missing, pane: network, kind: exec, interval: 2s, command: [/opt/nowhere/check_x]}
              - {id: hang, pane: telephony, kind: exec, interval: 2s, timeout: 1s, command: [/bin/sleep, "47.25"]}
              - {id: flaky, pane: telephony, kind: exec, interval: 1s, attempts: 6, command: [\(dummy), "2", "flaky"]}
              - id: feed
                pane: agents
                kind: stream
                interval: 5s
                command: [/bin/sh, -c, 'while true; do echo "{\\"id\\":\\"queue\\",\\"status\\":1,\\"summary\\":\\"SL 71\\"}"; sleep 1; done']
              - {id: queue, pane: agents, kind: stream, from: feed}
            """)
        let session = try TmuxSession(width: 80, height: 24, directory: dir.path)
        try session.type(Binary.path)
        /// The probe's row: the id column follows the selection marker and the status badge.
        func row(_ id: String, in screen: String) -> String {
            String(screen.split(separator: "\n").first { $0.dropFirst(9).hasPrefix(id + " ") } ?? "")
        }
        let soft = try session.waitFor("the flaky probe's soft problem") { row("flaky", in: $0).contains("soft crit") }
        #expect(row("flaky", in: soft).contains("WAIT"), "a soft problem from the start is not shown as a state yet")
        let screen = try session.waitFor("every probe in its state") { screen in
            row("dummy-ok", in: screen).contains("OK") && row("dummy-warn", in: screen).contains("WARN")
                && row("dummy-crit", in: screen).contains("CRIT") && row("missing", in: screen).contains("UNKN")
                && row("hang", in: screen).contains("timed out after 1s") && row("flaky", in: screen).contains("CRIT")
                && row("queue", in: screen).contains("WARN") && row("feed", in: screen).contains("running")
        }
        #expect(row("dummy-ok", in: screen).contains("all good"))
        #expect(row("missing", in: screen).contains("cannot run /opt/nowhere/check_x: no such file"))
        #expect(row("queue", in: screen).contains("SL 71"))

        try session.press("Tab", "Tab", "Tab", "Down", "Enter")
        // The whole overlay, not its first line drawn: a capture can fall between two writes.
        try session.waitFor("the queue's details, pushed by the feed") { $0.contains("queue · details") && $0.contains("readings pushed by feed") }
        try session.press("Escape")
        try session.press("q")
        try session.waitFor("the shell prompt") { $0.contains("READY$") && !$0.contains("SWITCHBOARD") }
        let leftovers = try run("/usr/bin/pgrep", ["-f", "sleep 47.25|while true; do echo"])
        #expect(leftovers.stdout.isEmpty, "processes left behind: \(leftovers.stdout)")
    }

    @Test("when the terminal hangs up (its tmux killed), the console exits and stops its probes' processes")
    func terminalHangsUp() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.write("switchboard.yaml", """
            site: Hang-up
            probes:
              - {id: feed, pane: agents, kind: stream, command: [/bin/sh, -c, 'echo "{\\"status\\":0,\\"summary\\":\\"up\\"}"; exec sleep 48.5']}
            """)
        let session = try TmuxSession(width: 80, height: 24, directory: dir.path)
        try session.type(Binary.path)
        try session.waitFor("the feed running") { $0.contains("up") && $0.contains("feed") }
        let pid = try #require(try session.foregroundChild())
        session.killServer()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while !processIsGone(pid), clock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(processIsGone(pid), "switchboard (pid \(pid)) still runs after its terminal hung up")
        while clock.now < deadline, !(try run("/usr/bin/pgrep", ["-f", "sleep 48.5"])).stdout.isEmpty {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(try run("/usr/bin/pgrep", ["-f", "sleep 48.5"]).stdout.isEmpty, "the stream's process outlived the console")
    }

    /// The processes whose command line matches `pattern`.
    func processes(_ pattern: String) throws -> [String] {
        try run("/usr/bin/pgrep", ["-f", pattern]).stdout.split(separator: "\n").map(String.init)
    }

    /// Waits up to five seconds for no process to match `pattern`.
    func expectNoneLeft(_ pattern: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while clock.now < deadline, !(try processes(pattern)).isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        let left = try processes(pattern)
        #expect(left.isEmpty, "\(what): \(left)", sourceLocation: sourceLocation)
    }

    @Test("plugins that daemonize (setsid, a double fork) leave no process behind, run after run, nor after quit")
    func daemonizingPluginsLeaveNothing() throws {
        let dir = try TemporaryDirectory()
        let probes = (1...4).map { number in
            "  - {id: leak-\(number), pane: power, kind: exec, interval: 1s, command: [/bin/sh, -c, "
                + "'setsid sleep 7\(number)01.5 </dev/null >/dev/null 2>&1 & (sleep 7\(number)02.5 </dev/null >/dev/null 2>&1 &) ; echo OK - leaked'" + "]}"
        }
        _ = try dir.write("switchboard.yaml", "site: Leaks\nprobes:\n" + probes.joined(separator: "\n") + "\n")
        let session = try TmuxSession(width: 80, height: 24, directory: dir.path)
        try session.type(Binary.path)
        try session.waitFor("the plugins running") { $0.components(separatedBy: "leaked").count > 4 }
        let pid = try #require(try session.foregroundChild())
        // Five runs of each of the four: twenty runs, each leaving two processes were nothing done.
        Thread.sleep(forTimeInterval: 5)
        let running = try processes("sleep 7[1-4]0[12].5")
        #expect(running.count <= 8, "leaked processes pile up: \(running.count)")
        try session.press("q")
        try expectRestored(session, pid: pid)
        try expectNoneLeft("sleep 7[1-4]0[12].5", "processes left after quit")
    }

    @Test("switchboard probe leaves nothing of a daemonizing plugin behind")
    func probeCommandLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.write("switchboard.yaml", """
            site: Leak
            probes:
              - {id: leak, pane: power, kind: exec, command: [/bin/sh, -c, 'setsid sleep 7501.5 </dev/null >/dev/null 2>&1 & echo OK - leaked']}
            """)
        let result = try switchboard(["probe"], in: dir.path)
        #expect(result.stdout.contains("OK - leaked"), "\(result.stdout)\(result.stderr)")
        try expectNoneLeft("sleep 7501.5", "processes left by switchboard probe")
    }

    @Test("a console killed with SIGKILL leaves none of its probes' processes running")
    func killedConsoleLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.write("switchboard.yaml", """
            site: Killed
            probes:
              - {id: feed, pane: agents, kind: stream, command: [/bin/sh, -c, 'echo "{\\"status\\":0,\\"summary\\":\\"up\\"}"; exec sleep 7401.5']}
              - {id: hang, pane: power, kind: exec, interval: 30s, timeout: 30s, command: [/bin/sleep, "7402.5"]}
              - {id: daemon, pane: network, kind: exec, interval: 30s, timeout: 30s, command: [/bin/sh, -c, 'setsid sleep 7403.5 </dev/null >/dev/null 2>&1 & exec sleep 7404.5']}
            """)
        let session = try TmuxSession(width: 80, height: 24, directory: dir.path)
        try session.type(Binary.path)
        try session.waitFor("the feed running") { $0.contains("up") && $0.contains("feed") }
        let pid = try #require(try session.foregroundChild())
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while clock.now < deadline, try processes("sleep 740[1-4].5").count < 4 { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try processes("sleep 740[1-4].5").count == 4)
        kill(pid, SIGKILL)
        try expectNoneLeft("sleep 740[1-4].5", "processes left by the killed console")
    }
}

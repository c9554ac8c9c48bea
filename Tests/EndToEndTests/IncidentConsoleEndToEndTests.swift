import Foundation
import Testing

/// Incidents worked from the real console in tmux: opened with `i`, noted with `n`, shared by
/// two consoles and a shell, resumed after quit, kill -9 and hang-up, and a disk that fills up.
@Suite("Incidents in the console", .serialized)
struct IncidentConsoleEndToEndTests {
    /// One state directory shared by every console and command of a test.
    final class Site {
        let directory: TemporaryDirectory
        var state: String { directory.path + "/state" }

        init() throws {
            directory = try TemporaryDirectory()
        }

        /// A new terminal running the demo console as `actor`; waits for its first results.
        /// `wrap` turns the command line into the one typed (to set a limit first, say). 80×34:
        /// the action log keeps a dozen lines in view, so the probe changes the demo's surges log
        /// (every 8 minutes of the wall clock) do not push the notes a test looks for off screen.
        func console(as actor: String, wrap: (String) -> String = { $0 }) throws -> (TmuxSession, Int32) {
            let session = try TmuxSession(width: 80, height: 34, directory: directory.path)
            try start(in: session, as: actor, wrap: wrap)
            return (session, try #require(try session.foregroundChild()))
        }

        func start(in session: TmuxSession, as actor: String, wrap: (String) -> String = { $0 }) throws {
            try session.type(wrap("env SWITCHBOARD_STATE=\(state) USER=\(actor) \(Binary.path)"))
            try session.waitFor("the console as \(actor)") { $0.contains("DEMO") && $0.contains("queue-sales") }
        }

        /// The incident logs in the state directory.
        func logs() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: state + "/incidents").filter { $0.hasSuffix(".jsonl") }
                .map { state + "/incidents/" + $0 }
        }

        func onlyLog() throws -> String {
            let logs = try logs()
            try #require(logs.count == 1, "expected one incident log, found \(logs)")
            return logs[0]
        }

        func verify(sourceLocation: SourceLocation = #_sourceLocation) throws {
            let result = try switchboard(["log", "verify", try onlyLog()])
            #expect(result.status == 0, "log verify: \(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
            #expect(result.stdout.contains(": intact · "), sourceLocation: sourceLocation)
        }

        func records() throws -> [[String: Any]] {
            try String(contentsOfFile: try onlyLog(), encoding: .utf8).split(separator: "\n").map {
                try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }
    }

    /// Opens an incident through the `i` form and waits for the header to show it.
    func openIncident(_ title: String, in session: TmuxSession) throws {
        try session.press("i")
        try session.waitFor("the open-incident form") { $0.contains("Open an incident") }
        try session.type(title)
        try session.waitFor("the incident in the header") { $0.contains(" \(title) · ") && $0.contains("ACTION LOG") }
    }

    /// Adds a note through `n` and waits until it is on disk (no longer marked as saving).
    func note(_ text: String, in session: TmuxSession) throws {
        try session.press("n")
        try session.waitFor("the note form") { $0.contains("Add to the log") }
        try session.type(text)
        try session.waitFor("the note logged") { $0.contains("NOTE   \(text)") && !$0.contains("saving…") }
    }

    @Test("open an incident with i, add notes, quit (it asks), restart: it resumes where it was, and the log verifies")
    func openNoteQuitResume() throws {
        let site = try Site()
        let (session, pid) = try site.console(as: "alice")
        try openIncident("UPS on battery", in: session)
        let header = try session.screen().split(separator: "\n")[0]
        #expect(header.contains("SEV3") && header.contains("IC alice"))
        try note("called the utility, ETA 2h", in: session)
        try note("generator start requested", in: session)

        try session.press("q")
        try session.waitFor("the quit question") { $0.contains("Quit the console?") && $0.contains("stays open") }
        try session.press("n")
        try session.waitFor("the console again") { !$0.contains("Quit the console?") }
        try session.press("q")
        try session.waitFor("the quit question") { $0.contains("Quit the console?") }
        try session.press("y")
        try session.waitFor("the shell prompt") { $0.split(separator: "\n").last?.hasPrefix("READY$") == true }
        #expect(processIsGone(pid))

        try site.start(in: session, as: "alice")
        let resumed = try session.waitFor("the resumed incident") {
            $0.contains("UPS on battery · ") && $0.contains("NOTE   generator start requested")
                && $0.contains("NOTE   called the utility, ETA 2h") && $0.contains("OPEN   SEV3 UPS on battery")
        }
        #expect(resumed.split(separator: "\n")[0].contains("IC alice"))
        try site.verify()

        let attributes = try FileManager.default.attributesOfItem(atPath: try site.onlyLog())
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: site.state)
        #expect((folder[.posixPermissions] as? Int) == 0o700)
        try session.press("q", "y")
    }

    @Test("two consoles on one incident follow each other, a note from a third shell shows on both, and command changes hands when the receiver accepts")
    func twoConsolesAndAShell() throws {
        let site = try Site()
        let (commander, _) = try site.console(as: "alice")
        try openIncident("Carrier A trunks down", in: commander)
        let (scribe, _) = try site.console(as: "bob")
        try scribe.waitFor("the scribe's console following the incident") { $0.contains("Carrier A trunks down · ") && $0.contains("IC alice") }

        try note("scribe on the bridge", in: scribe)
        try commander.waitFor("the scribe's note on the commander's console", timeout: .seconds(3)) { $0.contains("bob   NOTE   scribe on the bridge") }
        try note("carrier ticket 4471 opened", in: commander)
        try scribe.waitFor("the commander's note on the scribe's console", timeout: .seconds(3)) { $0.contains("NOTE   carrier ticket 4471 opened") }

        let result = try switchboard(["note", "facilities: generator fuel at 80%"], environment: ["SWITCHBOARD_STATE": site.state, "USER": "carol"])
        #expect(result.status == 0, "\(result.stderr)")
        for session in [commander, scribe] {
            try session.waitFor("the shell's note on both consoles", timeout: .seconds(3)) { $0.contains("carol NOTE   facilities: generator fuel at 80%") }
        }

        // The commander offers command to bob; it changes hands when bob's console accepts.
        try commander.press("h")
        try commander.waitFor("the hand-over form") { $0.contains("Hand over command") }
        try commander.type("bob")
        try commander.waitFor("the offer waiting", timeout: .seconds(3)) { $0.contains("command offered to bob") && $0.contains("IC alice") }
        try scribe.waitFor("the offer on bob's console", timeout: .seconds(3)) { $0.contains("alice hands command of this incident to you · h to accept") }
        try scribe.press("h")
        for session in [scribe, commander] {
            try session.waitFor("bob in command on both consoles", timeout: .seconds(3)) { $0.split(separator: "\n")[0].contains("IC bob") }
        }
        try site.verify()
        let kinds = try site.records().compactMap { $0["kind"] as? String }
        #expect(kinds.filter { $0 == "note" }.count == 3)
        #expect(kinds.filter { $0 == "command.handoff" }.count == 2, "offered, then accepted")
        for session in [commander, scribe] { try session.press("q", "y") }
    }

    @Test("kill -9 and a hang-up lose nothing that was shown: the next start resumes the incident")
    func crashAndHangUp() throws {
        let site = try Site()
        let (session, pid) = try site.console(as: "alice")
        try openIncident("ISP primary down", in: session)
        try note("failover to ISP B started", in: session)
        kill(pid, SIGKILL)
        let clock = ContinuousClock()
        var deadline = clock.now + .seconds(10)
        while !processIsGone(pid), clock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }

        let (restarted, secondPid) = try site.console(as: "alice")
        try restarted.waitFor("the incident resumed after kill -9") {
            $0.contains("ISP primary down · ") && $0.contains("NOTE   failover to ISP B started")
        }
        try note("ISP B carrying traffic", in: restarted)
        restarted.killServer() // the SSH connection drops: the console's terminal hangs up
        deadline = clock.now + .seconds(10)
        while !processIsGone(secondPid), clock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(processIsGone(secondPid))

        let (again, _) = try site.console(as: "alice")
        try again.waitFor("the incident resumed after the hang-up") {
            $0.contains("ISP primary down · ") && $0.contains("NOTE   ISP B carrying traffic") && $0.contains("NOTE   failover to ISP B started")
        }
        try site.verify()
        try again.press("q", "y")
    }

    @Test("when the disk is full the console says so in red, holds what was typed, and writes it once it can")
    func diskFull() throws {
        let site = try Site()
        // The console may write 3 KiB of files: the opening record and a few notes fit, then
        // writes fail with EFBIG as on a full disk.
        let (session, pid) = try site.console(as: "alice", wrap: { "(ulimit -S -f 3; exec \($0))" })
        try openIncident("Disk filling up", in: session)
        let filler = String(repeating: "x", count: 300)
        var notes: [String] = []
        for number in 1...12 {
            let text = "note \(number) \(filler)"
            notes.append(text)
            try session.press("n")
            try session.waitFor("the note form") { $0.contains("Add to the log") }
            try session.type(text)
            let screen = try session.waitFor("the form closed") { !$0.contains("Add to the log") }
            if screen.contains("NOT LOGGED") { break }
        }
        let full = try session.waitFor("the red banner") { $0.contains("NOT LOGGED (") && $0.contains("NOT SAVED · note") }
        #expect(full.contains("File too large"))
        // Nothing was torn: the log on disk is whole, only shorter than what was typed.
        try site.verify()

        // Space comes back: the held notes are written by the next retry and the banner goes.
        let raised = try run("/usr/bin/prlimit", ["--pid", "\(pid)", "--fsize=unlimited:"])
        #expect(raised.status == 0, "\(raised.stderr)")
        try session.waitFor("the banner gone and every note saved", timeout: .seconds(10)) {
            !$0.contains("NOT LOGGED") && !$0.contains("NOT SAVED") && !$0.contains("unsaved")
        }
        try site.verify()
        let logged = try site.records().filter { $0["kind"] as? String == "note" }.compactMap { $0["text"] as? String }
        #expect(logged == notes)
        try session.press("q", "y")
    }

    @Test("an unwritable state directory: the incident is not opened, and the console says why")
    func unwritableStateDirectory() throws {
        let site = try Site()
        _ = try site.directory.write("state", "a file where the state directory should be")
        let (session, _) = try site.console(as: "alice")
        try session.press("i")
        try session.waitFor("the open-incident form") { $0.contains("Open an incident") }
        try session.type("Power failure")
        let screen = try session.waitFor("the refusal") { $0.contains("cannot open the incident") }
        #expect(screen.contains("no incident open"))
        #expect(screen.contains("Not a directory") || screen.contains("not a directory"))
        try session.press("q")
    }

    @Test("a read-only state directory with an open incident: shown read-only with a red banner saying why, and what was typed is logged once it is writable")
    func readOnlyStateDirectory() throws {
        let site = try Site()
        let opened = try switchboard(["incident", "open", "--title", "Power cut"], environment: ["SWITCHBOARD_STATE": site.state, "USER": "dana"])
        #expect(opened.status == 0, "\(opened.stderr)")
        let readOnly = try ReadOnly(site.state)
        let (session, _) = try site.console(as: "alice")
        let screen = try session.waitFor("the incident, read-only") { $0.contains("Power cut") && $0.contains("READ-ONLY: cannot write to") }
        #expect(!screen.contains("no incident open"))
        try session.press("n")
        try session.waitFor("the note form") { $0.contains("Add to the log") }
        try session.type("typed while read-only")
        try session.waitFor("the note held") { $0.contains("NOT LOGGED (") && $0.contains("NOT SAVED · typed while read-only") }

        try readOnly.end()
        try session.waitFor("the banner gone and the note saved", timeout: .seconds(10)) {
            !$0.contains("READ-ONLY") && !$0.contains("NOT SAVED")
        }
        try site.verify()
        #expect(try site.records().contains { $0["text"] as? String == "typed while read-only" })
        try session.press("q", "y")
    }

    @Test("a three-line paste into n is logged whole as one note, and none of its lines runs as a command")
    func pasteIntoANote() throws {
        let site = try Site()
        let (session, _) = try site.console(as: "alice")
        try openIncident("Paste", in: session)
        try session.press("n")
        try session.waitFor("the note form") { $0.contains("Add to the log") }
        try session.paste("generator started\nr\nq\n")
        let form = try session.waitFor("the pasted text in the form") { $0.contains("generator started r q") }
        #expect(form.contains("Add to the log") && !form.contains("Quit the console?"))
        try session.press("Enter")
        try session.waitFor("the note logged") { $0.contains("NOTE   generator started r q") && !$0.contains("saving") }
        #expect(try site.records().contains { $0["text"] as? String == "generator started r q" })
        try session.paste("r\nq\n")
        let screen = try session.waitFor("the hint") { $0.contains("pasted text goes into a field") }
        #expect(!screen.contains("Quit the console?") && !screen.contains("RUNBOOKS"))
        try session.press("q", "y")
    }

    @Test("a FIFO in place of the incident's log: the console starts at once, says why it cannot follow it, and quits on q")
    func fifoInPlaceOfTheLog() throws {
        let site = try Site()
        let opened = try switchboard(["incident", "open", "--title", "Power cut"], environment: ["SWITCHBOARD_STATE": site.state, "USER": "dana"])
        let log = try site.onlyLog()
        try FileManager.default.removeItem(atPath: log)
        #expect(mkfifo(log, 0o600) == 0, "\(opened.stderr)")
        let (session, pid) = try site.console(as: "alice")
        try session.waitFor("the reason") { $0.contains("cannot read") && $0.contains("is a FIFO") }
        try session.press("q")
        try session.waitFor("the shell prompt") { $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("READY$") && !$0.contains("DEMO") }
        #expect(processIsGone(pid))
    }

    /// Makes a directory read-only for the test: a read-only bind mount when running as root
    /// (whom file modes do not stop), else its modes.
    final class ReadOnly {
        let path: String
        private var active = true

        init(_ path: String) throws {
            self.path = path
            if getuid() == 0 {
                for arguments in [["--bind", path, path], ["-o", "remount,ro,bind", path]] {
                    let result = try run("/usr/bin/mount", arguments)
                    try #require(result.status == 0, "mount \(arguments): \(result.stderr)")
                }
            } else {
                _ = try run("/usr/bin/chmod", ["-R", "a-w", path])
            }
        }

        func end() throws {
            guard active else { return }
            active = false
            let result = getuid() == 0 ? try run("/usr/bin/umount", ["-l", path]) : try run("/usr/bin/chmod", ["-R", "u+w", path])
            #expect(result.status == 0, "\(result.stderr)")
        }

        deinit { try? end() }
    }
}

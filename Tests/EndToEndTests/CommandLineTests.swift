import Foundation
import Testing

@Suite("Command line")
struct CommandLineTests {
    @Test("--help works on every command and --version prints the version", arguments: [
        [], ["console"], ["init"], ["check"], ["probe"], ["incident"], ["incident", "open"], ["incident", "list"],
        ["incident", "close"], ["note"], ["log"], ["log", "verify"],
    ])
    func help(_ command: [String]) throws {
        let result = try switchboard(command + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: switchboard"))
        #expect(result.stderr.isEmpty)
    }

    @Test("--version")
    func version() throws {
        let result = try switchboard(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    @Test("a bad flag is one clear line on stderr and exit 2")
    func badFlag() throws {
        let result = try switchboard(["check", "--bogus"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("switchboard: "))
        #expect(result.stderr.contains("--bogus"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test("check with no config validates the built-in demo site")
    func checkDemo() throws {
        let dir = try TemporaryDirectory()
        let result = try switchboard(["check"], in: dir.path)
        #expect(result.status == 0)
        #expect(result.stdout.contains("built-in demo site: ok"))
    }

    @Test("check reports every problem as FILE:LINE:COLUMN and exits 1")
    func checkInvalid() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("switchboard.yaml", """
            site: Phoenix
            probes:
              - id: ups-main
                pane: hvac
                kind: simulated
                metrics: {x: 1}
              - id: isp-a
                pane: network
                kind: simulated
                interval: soon
                metrics: {x: 1}
            """)
        let result = try switchboard(["check", "--config", file], in: dir.path)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines == [
            "switchboard: \(file):4:11: unknown pane 'hvac' (expected one of: power, network, telephony, agents)",
            "switchboard: \(file):10:15: expected a duration like 30s, 5m or 1h, got 'soon'",
        ])
    }

    @Test("check warns about a metric only readings will tell, and exits 0; a time against a plain number is an error")
    func checkWarnsAndRefuses() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/runbooks", withIntermediateDirectories: true)
        _ = try dir.write("runbooks/isp.yaml", """
            id: isp
            title: ISP
            steps:
              - id: watch
                do: Watch the backup line
                check: "isp-b.rta < 80ms"
            """)
        let file = try dir.write("switchboard.yaml", """
            site: Phoenix
            runbooks: [runbooks]
            probes:
              - {id: isp-b, pane: network, kind: exec, command: [/usr/lib/nagios/plugins/check_ping, -H, 127.0.0.1, -w, "1,1%", -c, "2,2%"]}
            """)
        let warned = try switchboard(["check", "--config", file], in: dir.path)
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stdout.contains("isp.yaml: ok · isp · 1 step · 1 warning"))
        #expect(warned.stdout.contains("isp.yaml:6:19: warning: probe 'isp-b' (kind exec) declares no metrics, so 'rta' is known only"))

        // Declared, the same runbook is clean; compared with a plain number, it is refused.
        _ = try dir.write("switchboard.yaml", """
            site: Phoenix
            runbooks: [runbooks]
            probes:
              - {id: isp-b, pane: network, kind: exec, command: [/bin/true], metrics: {rta: ms, pl: "%"}}
            """)
        let clean = try switchboard(["check", "--config", file], in: dir.path)
        #expect(clean.status == 0 && !clean.stdout.contains("warning"), "\(clean.stdout)")
        _ = try dir.write("runbooks/isp.yaml", "id: isp\ntitle: ISP\nsteps:\n  - {id: watch, do: Watch, check: \"isp-b.rta < 80\"}\n")
        let refused = try switchboard(["check", "--config", file], in: dir.path)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("isp.yaml:4:42: isp-b.rta is a time (in ms): compare it with a time"), "\(refused.stderr)")
    }

    @Test("the console refuses a broken config with the position and exit 2, before touching the terminal")
    func consoleBadConfig() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.write("switchboard.yaml", "site: x\nprobes:\n  - id: a\n    pane: power\n    kind: simulated\n    metrics: [\n")
        let result = try switchboard([], in: dir.path)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("switchboard: switchboard.yaml:"))
        #expect(result.stderr.contains("YAML syntax"))
    }

    @Test("a missing --config file is named")
    func missingConfig() throws {
        let result = try switchboard(["check", "--config", "/nonexistent/site.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr == "switchboard: cannot read config '/nonexistent/site.yaml': no such file\n")
    }

    @Test("config is found through $SWITCHBOARD_CONFIG and $XDG_CONFIG_HOME")
    func searchOrder() throws {
        let dir = try TemporaryDirectory()
        let site = "site: From env\nprobes:\n  - {id: a, pane: power, kind: simulated, metrics: {x: 1}}\n"
        let file = try dir.write("elsewhere.yaml", site)
        let fromEnvironment = try switchboard(["check"], in: dir.path, environment: ["SWITCHBOARD_CONFIG": file])
        #expect(fromEnvironment.stdout.contains("site 'From env'"))

        try FileManager.default.createDirectory(atPath: "\(dir.path)/xdg/switchboard", withIntermediateDirectories: true)
        _ = try dir.write("xdg/switchboard/switchboard.yaml", site.replacingOccurrences(of: "From env", with: "From XDG"))
        let fromXDG = try switchboard(["check"], in: dir.path, environment: ["XDG_CONFIG_HOME": "\(dir.path)/xdg"])
        #expect(fromXDG.stdout.contains("site 'From XDG'"))
    }

    @Test("init writes a starter config that checks clean, and will not overwrite it without --force")
    func initCommand() throws {
        let dir = try TemporaryDirectory()
        let first = try switchboard(["init"], in: dir.path)
        #expect(first.status == 0)
        let written = try String(contentsOfFile: "\(dir.path)/switchboard.yaml", encoding: .utf8)
        #expect(written.contains("# switchboard.yaml"))
        #expect(try switchboard(["check"], in: dir.path).status == 0)

        let again = try switchboard(["init"], in: dir.path)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists; use --force"))
        #expect(try switchboard(["init", "--force"], in: dir.path).status == 0)
    }

    @Test("the console needs a terminal and says so")
    func notATerminal() throws {
        let dir = try TemporaryDirectory()
        let result = try switchboard([], in: dir.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("needs a terminal"))
    }
}

@Suite("switchboard probe")
struct ProbeCommandTests {
    static let site = """
        site: Probe test
        probes:
          - id: calm
            pane: power
            kind: simulated
            summary: "all {{state}}"
            metrics: {state: fine, load: 12}
          - id: hot
            pane: network
            kind: simulated
            warn: "temp=60"
            metrics: {temp: 71}
          - id: down
            pane: telephony
            kind: simulated
            crit: "channels=1:"
            summary: "\\e[31mno channels"
            metrics: {channels: 0}
        """

    func run(_ arguments: [String]) throws -> CommandResult {
        let dir = try TemporaryDirectory()
        let file = try dir.write("site.yaml", Self.site)
        return try switchboard(["probe", "--config", file] + arguments, in: dir.path)
    }

    @Test("a table of every probe; the exit code is the worst status")
    func table() throws {
        let result = try run([])
        #expect(result.status == 2)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("OK        calm"))
        #expect(lines[1].hasSuffix("all fine"))
        #expect(lines[2].hasPrefix("WARNING   hot"))
        #expect(lines[3].hasPrefix("CRITICAL  down"))
        #expect(lines[3].hasSuffix("no channels"), "escape sequences are stripped: \(lines[3])")
    }

    static let choices: [([String], Int32)] = [(["calm"], 0), (["hot"], 1), (["calm", "hot"], 1), (["hot", "down"], 2)]

    @Test("chosen probes only, with their own worst status", arguments: choices)
    func chosen(_ ids: [String], _ status: Int32) throws {
        let result = try run(ids)
        #expect(result.status == status)
        #expect(result.stdout.split(separator: "\n").count == ids.count + 1)
    }

    @Test("--json prints the documented fields")
    func json() throws {
        let result = try run(["--json", "calm", "hot"])
        #expect(result.status == 1)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(array.count == 2)
        let calm = array[0]
        #expect(Set(calm.keys) == ["id", "pane", "kind", "status", "summary", "metrics", "at", "duration_ms"])
        #expect(calm["id"] as? String == "calm")
        #expect(calm["pane"] as? String == "power")
        #expect(calm["kind"] as? String == "simulated")
        #expect(calm["status"] as? String == "ok")
        let metrics = try #require(calm["metrics"] as? [String: Any])
        #expect(metrics["state"] as? String == "fine")
        #expect((metrics["load"] as? [String: Any])?["value"] as? Double == 12)
        #expect((calm["at"] as? String)?.hasSuffix("Z") == true)
        #expect(array[1]["status"] as? String == "warning")
    }

    @Test("unknown probe ids exit 2 and list the known ones")
    func unknownID() throws {
        let result = try run(["calm", "nope"])
        #expect(result.status == 2)
        #expect(result.stderr == "switchboard: unknown probe 'nope'\nswitchboard: known probes: calm, hot, down\n")
        #expect(result.stdout.isEmpty)
    }

    @Test("a config that does not load is UNKNOWN (exit 3), as a check that cannot run")
    func badConfig() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("site.yaml", "site: x\nprobes: nope\n")
        let result = try switchboard(["probe", "--config", file], in: dir.path)
        #expect(result.status == 3)
        #expect(result.stderr.contains("site.yaml:2:9: expected a list of probes"))
    }
}

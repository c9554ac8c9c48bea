import Foundation
import Testing
@testable import SwitchboardCore
@testable import SwitchboardProbes

/// `kind: exec` against real monitoring-plugins and against scripts that misbehave on purpose.
@Suite("exec probes", .serialized)
struct ExecProbeTests {
    static let plugins = "/usr/lib/nagios/plugins"

    /// Builds an exec probe from YAML options, as the config loader would.
    func probe(_ command: [String], timeout: String = "5s", extra: String = "") throws -> ConfiguredProbe {
        let list = command.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: ", ")
        let yaml = """
            site: t
            probes:
              - id: check
                pane: network
                kind: exec
                interval: 30s
                timeout: \(timeout)
                command: [\(list)]
            \(extra.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            """
        return try #require(try SiteConfigLoader(catalog: .builtIn).load(yaml: yaml, file: "t.yaml").probes.first)
    }

    func observe(_ command: [String], timeout: String = "5s", extra: String = "") async throws -> ProbeObservation {
        await ProbeScheduler.observeOnce(try probe(command, timeout: timeout, extra: extra)).observation
    }

    @Test("check_dummy in all four states", arguments: [(0, ProbeStatus.ok), (1, .warning), (2, .critical), (3, .unknown)])
    func checkDummy(_ code: Int, _ status: ProbeStatus) async throws {
        let observation = try await observe(["\(Self.plugins)/check_dummy", "\(code)", "dummy says \(code)"])
        #expect(observation.status == status)
        #expect(observation.summary.hasSuffix("dummy says \(code)"))
    }

    @Test("check_tcp against an open and a closed local port")
    func checkTCP() async throws {
        let server = try LocalHTTPServer()
        let open = try await observe(["\(Self.plugins)/check_tcp", "-H", "127.0.0.1", "-p", "\(server.port)"])
        #expect(open.status == .ok)
        #expect(open.metric("time")?.number != nil, "perfdata time parsed: \(open.metrics)")
        let closedPort = try freePort()
        let closed = try await observe(["\(Self.plugins)/check_tcp", "-H", "127.0.0.1", "-p", "\(closedPort)"])
        #expect(closed.status == .critical)
        #expect(closed.summary.localizedCaseInsensitiveContains("refused"))
    }

    @Test("check_http against a local python3 -m http.server, with its perfdata")
    func checkHTTP() async throws {
        let server = try LocalHTTPServer()
        let observation = try await observe(["\(Self.plugins)/check_http", "-H", "127.0.0.1", "-p", "\(server.port)", "-u", "/"])
        #expect(observation.status == .ok, "\(observation.summary)")
        #expect(observation.metric("time")?.number != nil)
        #expect(observation.metric("size")?.number ?? 0 > 0)
        guard case .number(_, let unit) = observation.metric("size") else { return }
        #expect(unit == "B")
    }

    @Test("a wrapper whose child ignores SIGTERM: at the timeout the whole group is gone, by pid")
    func processGroupKilled() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sb-exec-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = "sh -c 'trap \"\" TERM; echo $$ > \(dir)/grandchild; exec sleep 300' & echo $$ > \(dir)/wrapper; sleep 300"
        let started = ContinuousClock.now
        let observation = try await observe(["/bin/sh", "-c", script], timeout: "1s")
        #expect(observation.status == .unknown)
        #expect(observation.summary == "timed out after 1s")
        #expect(ContinuousClock.now - started < .seconds(5))
        for name in ["wrapper", "grandchild"] {
            let text = try String(contentsOfFile: "\(dir)/\(name)", encoding: .utf8)
            let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(eventually { isGone(pid) }, "\(name) (pid \(pid)) is still running")
        }
    }

    @Test("10 MB of output is capped with a marker; the summary stays one readable line")
    func flood() async throws {
        let observation = try await observe(["/bin/sh", "-c", "echo 'FLOOD OK - lots'; head -c 10000000 /dev/zero | tr '\\\\0' x"])
        #expect(observation.status == .ok)
        #expect(observation.summary == "FLOOD OK - lots")
        #expect(observation.details.hasSuffix("[output truncated at 64 KiB]"))
        #expect(observation.details.utf8.count < 70_000)
        let oneLine = try await observe(["/bin/sh", "-c", "head -c 3000000 /dev/zero | tr '\\\\0' y"])
        #expect(oneLine.summary.count == PluginOutput.summaryLimit)
    }

    @Test("binary output and escape sequences never reach the screen raw")
    func hostileOutput() async throws {
        let result = await ProbeScheduler.observeOnce(try probe(["/bin/sh", "-c", "printf 'OK \\033]0;pwn\\007\\033[31mred\\377\\376 end|x=1\\n'"]))
        var state = SiteState(siteName: "t", isDemo: false, specs: [try probe(["/bin/true"]).spec], startedAt: result.at)
        SiteReducer.reduce(&state, .probeResult(result))
        let summary = try #require(state.probes.first?.latest?.observation.summary)
        #expect(summary == "OK red\u{FFFD}\u{FFFD} end")
    }

    @Test("a plugin killed by a signal, or exiting outside 0–3, is unknown with the reason")
    func abnormalEnds() async throws {
        let killed = try await observe(["/bin/sh", "-c", "echo partial; kill -9 $$"])
        #expect(killed.status == .unknown)
        #expect(killed.summary.hasPrefix("killed by signal 9"))
        let odd = try await observe(["/bin/sh", "-c", "echo 'weird'; exit 42"])
        #expect(odd.status == .unknown)
        #expect(odd.summary == "exit code 42 is not a plugin status (0–3): weird")
    }

    @Test("a missing or non-executable command is a clear unknown naming the path")
    func cannotRun() async throws {
        let missing = try await observe(["/usr/lib/nagios/plugins/check_does_not_exist"])
        #expect(missing.status == .unknown)
        #expect(missing.summary == "cannot run /usr/lib/nagios/plugins/check_does_not_exist: no such file")
        let plainFile = FileManager.default.temporaryDirectory.appendingPathComponent("sb-not-executable-\(UUID().uuidString.prefix(8))").path
        _ = FileManager.default.createFile(atPath: plainFile, contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o644])
        defer { try? FileManager.default.removeItem(atPath: plainFile) }
        let notExecutable = try await observe([plainFile])
        #expect(notExecutable.summary == "cannot run \(plainFile): not executable")
        let notOnPath = try await observe(["no-such-plugin-anywhere"])
        #expect(notOnPath.summary == "cannot run no-such-plugin-anywhere: not found on PATH")
    }

    @Test("env and cwd options reach the command; stderr lands in the details")
    func environmentAndDirectory() async throws {
        let observation = try await observe(["/bin/sh", "-c", "echo \"OK $SITE_NAME in $(pwd)\"; echo oops >&2"],
                                            extra: "env: {SITE_NAME: phoenix}\ncwd: /tmp")
        #expect(observation.summary == "OK phoenix in /tmp")
        #expect(observation.details == "stderr: oops")
    }

    @Test("thousands of runs leave no zombies and no leaked file descriptors")
    func noLeaks() async throws {
        let configured = try probe(["/bin/true"])
        _ = await ProbeScheduler.observeOnce(configured)
        let descriptorsBefore = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<1000 {
                group.addTask { _ = await ProbeScheduler.observeOnce(configured) }
            }
        }
        let descriptorsAfter = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        #expect(descriptorsAfter <= descriptorsBefore + 2, "descriptors: \(descriptorsBefore) → \(descriptorsAfter)")
        #expect(eventually { zombieChildren().isEmpty }, "zombies: \(zombieChildren())")
    }

    @Test("exec options are validated with positions")
    func validation() {
        #expect(throws: ConfigDiagnostics.self) {
            try SiteConfigLoader(catalog: .builtIn).load(
                yaml: "site: t\nprobes:\n  - {id: a, pane: power, kind: exec, command: []}\n", file: "t.yaml")
        }
        do {
            _ = try SiteConfigLoader(catalog: .builtIn).load(
                yaml: "site: t\nprobes:\n  - {id: a, pane: power, kind: exec, command: /bin/true}\n", file: "t.yaml")
            Issue.record("a command given as a string was accepted")
        } catch {
            #expect(error.items.first?.description == "t.yaml:3:47: expected the command as a list: [program, arg, ...], got '/bin/true'")
        }
    }
}

/// Child processes of this test process that are zombies (exited, never reaped).
func zombieChildren() -> [Int32] {
    let me = getpid()
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        return fields.count > 1 && fields[0] == "Z" && Int32(fields[1]) == me
    }
}

/// A port nothing listens on right now.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Whether `condition` holds within two seconds: a killed process is reaped (by init, or by us)
/// a moment after it dies, and only then leaves the process table.
func eventually(_ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(2)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return condition()
}

/// A process that no longer runs: gone, or dead and waiting to be reaped.
func isGone(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return true }
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    return status.contains("State:\tZ")
}

/// `python3 -m http.server` on a free loopback port, stopped by pid when released.
///
/// Started with posix_spawn and reaped with waitpid: Foundation's `Process` watches children
/// itself and would race with the probes' own child handling.
final class LocalHTTPServer {
    let port: Int
    private var pid: pid_t = 0

    init() throws {
        port = try freePort()
        let argv = ["/usr/bin/python3", "-m", "http.server", "--bind", "127.0.0.1", "\(port)", "--directory", "/usr/share/doc"]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        // Ready when it accepts a connection.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if Self.accepts(port: port) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw POSIXError(.ETIMEDOUT)
    }

    deinit {
        stop()
    }

    private func stop() {
        guard pid > 0 else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        pid = 0
    }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

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
        let server = try await LocalHTTPServer()
        let open = try await observe(["\(Self.plugins)/check_tcp", "-H", "127.0.0.1", "-p", "\(server.port)"])
        #expect(open.status == .ok)
        #expect(open.metric("time")?.number != nil, "perfdata time parsed: \(open.metrics)")
        let closedPort = try freePort()
        let closed = try await observe(["\(Self.plugins)/check_tcp", "-H", "127.0.0.1", "-p", "\(closedPort)"])
        #expect(closed.status == .critical)
        #expect(closed.summary.localizedCaseInsensitiveContains("refused"))
    }

    @Test("check_ups against NUT upsd + dummy-ups: on line, on battery, low battery, then the driver gone")
    func checkUPS() async throws {
        let nut = try await NUTServer(sequence: """
            ups.status: OL
            battery.charge: 100
            ups.load: 35
            TIMER 2
            ups.status: OB
            battery.charge: 80
            TIMER 2
            ups.status: OB LB
            battery.charge: 15
            TIMER 2

            """)
        let configured = try probe(["\(Self.plugins)/check_ups", "-H", "127.0.0.1", "-u", "main", "-p", "\(nut.port)",
                                    "-v", "BATTPCT", "-w", "50", "-c", "20"])
        // The sequence loops, so within a few rounds each state has been seen.
        let expected: [(text: String, status: ProbeStatus)] = [("Status=Online", .ok), ("Status=On Battery Batt", .warning),
                                                                ("Low Battery", .critical)]
        var seen: [String: ProbeStatus] = [:]
        var last = ""
        let deadline = Date().addingTimeInterval(20)
        while seen.count < expected.count, Date() < deadline {
            let observation = await ProbeScheduler.observeOnce(configured).observation
            last = "\(observation.status): \(observation.summary)"
            if let match = expected.first(where: { observation.summary.contains($0.text) }) { seen[match.text] = observation.status }
            try await Task.sleep(for: .milliseconds(300))
        }
        for (text, status) in expected {
            #expect(seen[text] == status, "'\(text)' should be \(status); seen: \(seen); the last reading: \(last); upsd: \(nut.log.suffix(400))")
        }

        nut.stopDriver()
        var gone: ProbeObservation?
        while Date() < deadline.addingTimeInterval(10) {
            let observation = await ProbeScheduler.observeOnce(configured).observation
            if observation.summary.contains("DRIVER-NOT-CONNECTED") || observation.summary.contains("DATA-STALE") {
                gone = observation
                break
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(gone?.status == .critical, "after the driver was killed: \(String(describing: gone))")
    }

    @Test("check_http against a local python3 -m http.server, with its perfdata")
    func checkHTTP() async throws {
        let server = try await LocalHTTPServer()
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
            #expect(await waitFor(seconds: 2) { isGone(pid) }, "\(name) (pid \(pid)) is still running")
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
        // Sockets are left out: the native probes' tests, running alongside, open hundreds.
        let descriptorsBefore = descriptorsOtherThanSockets()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<1000 {
                group.addTask { _ = await ProbeScheduler.observeOnce(configured) }
            }
        }
        #expect(await waitFor(seconds: 5) { descriptorsOtherThanSockets() <= descriptorsBefore + 2 },
                "descriptors: \(descriptorsBefore) → \(descriptorsOtherThanSockets())")
        #expect(await waitFor(seconds: 2) { zombieChildren().isEmpty }, "zombies: \(zombieChildren())")
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

/// Descriptors this process holds that are not sockets: pipes, files, pidfds, what running a
/// child could leak.
func descriptorsOtherThanSockets() -> Int {
    let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return descriptors.filter { name in
        var buffer = [CChar](repeating: 0, count: 256)
        let length = readlink("/proc/self/fd/\(name)", &buffer, buffer.count - 1)
        return length > 0 && !String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self).hasPrefix("socket:")
    }.count
}

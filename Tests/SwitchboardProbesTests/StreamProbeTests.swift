import Foundation
import Synchronization
import Testing
@testable import SwitchboardCore
@testable import SwitchboardProbes

/// `kind: stream` with real long-lived programs: routing to the probes a stream feeds,
/// thresholds, bad lines, restarts with backoff, and stopping the whole process group.
@Suite("stream probes", .serialized)
struct StreamProbeTests {
    func load(_ probes: String) throws -> [ConfiguredProbe] {
        let yaml = "site: t\nprobes:\n" + probes.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "  " + $0 }.joined(separator: "\n")
        return try SiteConfigLoader(catalog: .builtIn).load(yaml: yaml, file: "t.yaml").probes
    }

    func problems(_ probes: String) -> [String] {
        do {
            _ = try load(probes)
            return []
        } catch let diagnostics as ConfigDiagnostics {
            return diagnostics.items.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    /// A feed running `script` with `sh -c`, and a probe it feeds with a threshold.
    func feedConfig(_ script: String, interval: String = "30s") throws -> [ConfiguredProbe] {
        let block = script.split(separator: "\n").map { "          " + $0 }.joined(separator: "\n")
        return try load("""
            - id: acd-feed
              pane: agents
              kind: stream
              interval: \(interval)
              command:
                - /bin/sh
                - -c
                - |
            \(block)
            - id: queue-sales
              pane: agents
              kind: stream
              from: acd-feed
              crit: "sl=70:"
            """)
    }

    /// Runs the scheduler over `probes` and returns results until `enough` says so (or 10 s pass).
    func results(_ probes: [ConfiguredProbe], until enough: @escaping @Sendable ([ProbeResult]) -> Bool) async -> [ProbeResult] {
        let scheduler = ProbeScheduler(probes: probes, clock: WallClock())
        let (stream, continuation) = AsyncStream.makeStream(of: ProbeResult.self)
        scheduler.start { continuation.yield($0) }
        defer { scheduler.stop() }
        return await withTaskGroup(of: [ProbeResult]?.self) { group in
            group.addTask {
                var seen: [ProbeResult] = []
                for await result in stream {
                    seen.append(result)
                    if enough(seen) { return seen }
                }
                return seen
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(10))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? []
        }
    }

    @Test("lines go to the stream's own row or to the probe they name; thresholds apply; bad lines are reported")
    func routing() async throws {
        let probes = try feedConfig("""
            printf '{"status":"ok","summary":"feed up","metrics":{"depth":3}}\\n'
            printf '{"id":"queue-sales","status":"ok","summary":"SL 86","metrics":{"sl":{"value":86,"unit":"%%"}}}\\n'
            printf '{"id":"queue-sales","status":"ok","summary":"SL 60","metrics":{"sl":{"value":60,"unit":"%%"}}}\\n'
            printf 'garbage\\n\\n'
            printf '{"id":"nobody","status":"ok"}\\n'
            echo bye >&2
            exit 4
            """)
        let seen = await results(probes) { $0.contains { $0.observation.summary.contains("restarting") } }
        let feed = seen.filter { $0.probeID == "acd-feed" }.map { "\($0.observation.status) \($0.observation.summary)" }
        let sales = seen.filter { $0.probeID == "queue-sales" }.map { "\($0.observation.status) \($0.observation.summary)" }
        #expect(feed == [
            "ok feed up",
            "ok running · 2 lines for queue-sales",
            "unknown bad line from the stream: not JSON: 'garbage'",
            "unknown a line names probe 'nobody', which is not fed by this stream (give it 'from: acd-feed')",
            "unknown the stream exited with status 4 after 4 lines; restarting in 1s",
        ])
        #expect(sales == ["ok SL 86", "critical SL 60"])
        #expect(seen.last?.observation.details == "stderr: bye")
    }

    @Test("a stream that keeps ending is restarted with growing delays")
    func backoff() async throws {
        let marks = FileManager.default.temporaryDirectory.appendingPathComponent("sb-stream-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: marks) }
        let probes = try feedConfig("echo start >> '\(marks.path)'; exit 1")
        let seen = await results(probes) { $0.count >= 2 }
        #expect(seen.map(\.observation.summary) == [
            "the stream exited with status 1 after 0 lines; restarting in 1s",
            "the stream exited with status 1 after 0 lines; restarting in 2s",
        ])
        let starts = try String(contentsOf: marks, encoding: .utf8).split(separator: "\n").count
        #expect(starts == 2)
    }

    @Test("a line over 64 KiB is dropped and reported; the stream goes on")
    func overlongLine() async throws {
        let probes = try feedConfig("""
            head -c 70000 /dev/zero | tr '\\000' a; echo
            printf '{"status":"ok","summary":"after"}\\n'
            exec sleep 30
            """)
        let seen = await results(probes) { $0.count >= 2 }
        #expect(seen.map(\.observation.summary) == ["bad line from the stream: a line longer than 64 KiB was dropped", "after"])
    }

    @Test("stopping the console stops the stream's whole process group")
    func stopKillsGroup() async throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("sb-stream-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        let probes = try feedConfig("""
            sleep 300 & echo $! > '\(pidFile.path)'
            printf '{"status":"ok","summary":"up"}\\n'
            wait
            """)
        let seen = await results(probes) { $0.count >= 1 }
        #expect(seen.first?.observation.summary == "up")
        let text = try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let grandchild = try #require(Int32(text))
        #expect(await waitFor(seconds: 2) { isGone(grandchild) }, "the stream's child \(grandchild) outlived the stream")
    }

    @Test("switchboard probe's one-shot reading waits for the first line for that probe")
    func oneShot() async throws {
        let probes = try feedConfig("""
            printf '{"id":"queue-sales","status":"ok","summary":"SL 90","metrics":{"sl":90}}\\n'
            exec sleep 30
            """)
        let sales = await ProbeScheduler.observeOnce(probes[1], among: probes)
        #expect(sales.observation.summary == "SL 90")
        let feed = await ProbeScheduler.observeOnce(probes[0], among: probes)
        #expect(feed.observation.summary == "running · 1 line for queue-sales")

        let broken = try feedConfig("exit 3")
        let failed = await ProbeScheduler.observeOnce(broken[1], among: broken)
        #expect(failed.observation.status == .unknown)
        #expect(failed.observation.summary == "acd-feed: the stream exited with status 3 after 0 lines; restarting in 1s")
    }

    @Test("a stream that says nothing gives 'no reading' at the timeout")
    func silent() async throws {
        let probes = try load("""
            - {id: quiet, pane: agents, kind: stream, interval: 2s, timeout: 500ms, command: [/bin/sleep, "30"]}
            """)
        let result = await ProbeScheduler.observeOnce(probes[0], among: probes)
        #expect(result.observation.summary == "no reading after 500ms")
    }

    @Test("stream options are validated with positions")
    func validation() {
        #expect(problems("- {id: a, pane: agents, kind: stream}") ==
                ["t.yaml:3:5: a stream probe needs 'command' (the program to run) or 'from' (the stream probe feeding it)"])
        #expect(problems("- {id: a, pane: agents, kind: stream, from: b, command: [x]}") ==
                ["t.yaml:3:50: 'command' does not go with 'from': a probe fed from another stream runs no command"])
        #expect(problems("- {id: a, pane: agents, kind: stream, from: b}") == ["t.yaml:3:47: no probe 'b' to be fed from"])
        #expect(problems("""
            - {id: a, pane: agents, kind: stream, from: b}
            - {id: b, pane: agents, kind: exec, command: [/bin/true]}
            """) == ["t.yaml:3:47: probe 'b' is kind exec; only a stream probe can feed this one"])
        #expect(problems("""
            - {id: a, pane: agents, kind: stream, from: b}
            - {id: b, pane: agents, kind: stream, from: c}
            - {id: c, pane: agents, kind: stream, command: [/bin/true]}
            """) == ["t.yaml:3:47: probe 'b' is itself fed from 'c'; name the probe that runs the command"])
    }

    @Test("lines are split across reads; CR LF endings and partial lines work")
    func splitting() {
        var splitter = LineSplitter(limit: 10)
        func feed(_ text: String) -> [LineSplitter.Line] {
            Array(text.utf8).withUnsafeBytes { splitter.feed($0) }
        }
        #expect(feed("ab") == [])
        #expect(feed("c\nde") == [.complete(Array("abc".utf8))])
        #expect(feed("f\r\n\n") == [.complete(Array("def\r".utf8)), .complete([])])
        #expect(feed("0123456789abc") == [.overlong])
        #expect(feed("def\nok\n") == [.complete(Array("ok".utf8))])
    }
}

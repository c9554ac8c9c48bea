import ArgumentParser
import Foundation
import Synchronization
import SwitchboardCore
import SwitchboardProbes

/// `switchboard probe`: run probes once and report, Nagios style, so Switchboard can itself be a check.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Run probes once and print their results.",
        discussion: """
            Exits with the worst status, as a monitoring plugin does: 0 ok, 1 warning, 2 critical, \
            3 unknown (critical is worst, then warning, then unknown). Unknown probe ids exit 2 with \
            the list of known ones; a config that does not load exits 3.
            """)

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "Print a JSON array instead of a table.")
    var json = false

    @Argument(help: ArgumentHelp("Probes to run (default: all).", valueName: "PROBE_ID"))
    var probeIDs: [String] = []

    func run() throws {
        let config = try ConfigLocation.load(ConfigLocation.find(explicit: options.config), failureExitCode: 3)
        let known = config.probes.map(\.spec.id)
        let unknown = probeIDs.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw CommandFailure([
                "unknown probe \(unknown.map { "'\($0)'" }.joined(separator: ", "))",
                "known probes: \(known.joined(separator: ", "))",
            ], exitCode: 2)
        }
        let chosen = probeIDs.isEmpty ? config.probes : config.probes.filter { probeIDs.contains($0.spec.id) }
        // A plugin that daemonizes is ended with its run here too, as in the console.
        ProcessLineage.becomeSubreaper()
        let results = Self.observeAll(chosen, among: config.probes)
        ProcessLineage.killAll()

        if json {
            print(try ProbeReport.json(results, probes: chosen))
        } else {
            print(ProbeReport.table(results, probes: chosen))
        }
        let worst = results.map(\.observation.status).reduce(ProbeStatus.ok) { $0.worse($1) }
        throw ExitCode(worst.exitCode)
    }

    /// Runs the probes concurrently, at most 32 at once, and waits for all of them, in config order.
    static func observeAll(_ probes: [ConfiguredProbe], among site: [ConfiguredProbe]) -> [ProbeResult] {
        let results = Mutex<[ProbeResult]?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let limiter = ConcurrencyLimiter(limit: 32)
            let collected = await withTaskGroup(of: (Int, ProbeResult).self) { group in
                for (index, probe) in probes.enumerated() {
                    group.addTask { (index, await ProbeScheduler.observeOnce(probe, among: site, limiter: limiter)) }
                }
                var byIndex: [(Int, ProbeResult)] = []
                for await entry in group { byIndex.append(entry) }
                return byIndex.sorted { $0.0 < $1.0 }.map(\.1)
            }
            results.withLock { $0 = collected }
            done.signal()
        }
        done.wait()
        return results.withLock { $0 ?? [] }
    }
}

/// How `switchboard probe` prints results: a table for people, JSON for scripts.
enum ProbeReport {
    static func table(_ results: [ProbeResult], probes: [ConfiguredProbe]) -> String {
        let idWidth = max(5, probes.map(\.spec.id.count).max() ?? 0)
        var lines = ["STATUS    " + "PROBE".padding(toLength: idWidth + 2, withPad: " ", startingAt: 0)
            + "PANE       TOOK     SUMMARY"]
        for (result, probe) in zip(results, probes) {
            let took = "\(Int((result.duration.seconds * 1000).rounded())) ms"
            lines.append(result.observation.status.rawValue.uppercased().padding(toLength: 10, withPad: " ", startingAt: 0)
                + probe.spec.id.padding(toLength: idWidth + 2, withPad: " ", startingAt: 0)
                + probe.spec.pane.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                + took.padding(toLength: 9, withPad: " ", startingAt: 0)
                + Sanitizer.line(result.observation.summary))
        }
        return lines.joined(separator: "\n")
    }

    /// `[{"id","pane","kind","status","summary","metrics":{...},"at","duration_ms"}]`; a numeric
    /// metric is `{"value": n, "unit": u}`, a text metric a string.
    static func json(_ results: [ProbeResult], probes: [ConfiguredProbe]) throws -> String {
        let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let entries: [[String: Any]] = zip(results, probes).map { result, probe in
            var metrics: [String: Any] = [:]
            for metric in result.observation.metrics {
                switch metric.value {
                case .number(let value, let unit): metrics[metric.name] = ["value": value, "unit": unit]
                case .text(let text): metrics[metric.name] = text
                }
            }
            return [
                "id": probe.spec.id,
                "pane": probe.spec.pane.rawValue,
                "kind": probe.spec.kind,
                "status": result.observation.status.rawValue,
                "summary": result.observation.summary,
                "metrics": metrics,
                "at": result.at.formatted(time),
                "duration_ms": Int((result.duration.seconds * 1000).rounded()),
            ]
        }
        let data = try JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

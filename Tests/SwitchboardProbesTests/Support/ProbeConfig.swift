import Foundation
import Testing
@testable import SwitchboardCore
@testable import SwitchboardProbes

/// Builds one probe of `kind` from YAML option lines, as the config loader would for a site
/// file: `options` are the kind's own keys (and `warn:`/`crit:`), one per line.
func loadProbe(kind: String, interval: String = "30s", timeout: String = "3s", _ options: String) throws -> ConfiguredProbe {
    let config = try SiteConfigLoader(catalog: .builtIn).load(yaml: probeYAML(kind: kind, interval: interval, timeout: timeout, options),
                                                              file: "t.yaml")
    return try #require(config.probes.first)
}

/// The problems the loader finds in one probe of `kind` with these option lines. The probe's
/// options start on line 8 of the file, at column 5.
func probeProblems(kind: String, _ options: String) -> [String] {
    do {
        _ = try SiteConfigLoader(catalog: .builtIn).load(yaml: probeYAML(kind: kind, interval: "30s", timeout: "3s", options),
                                                         file: "t.yaml")
        return []
    } catch {
        return error.items.map(\.description)
    }
}

private func probeYAML(kind: String, interval: String, timeout: String, _ options: String) -> String {
    """
    site: t
    probes:
      - id: probe
        pane: network
        kind: \(kind)
        interval: \(interval)
        timeout: \(timeout)
    \(options.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))

    """
}

/// One reading through the scheduler (thresholds applied), with how long it took.
func observe(_ probe: ConfiguredProbe) async -> (observation: ProbeObservation, took: Duration) {
    let result = await ProbeScheduler.observeOnce(probe)
    return (result.observation, result.duration)
}

/// Open file descriptors of this process, to show a probe closes its sockets.
func openDescriptorCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
}

/// Runs `probe` until `accept` is true of an observation or `seconds` pass; the last one seen.
func observeUntil(_ probe: ConfiguredProbe, seconds: Double,
                  _ accept: (ProbeObservation) -> Bool) async -> ProbeObservation? {
    let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
    var last: ProbeObservation?
    while ContinuousClock.now < deadline {
        let observation = await ProbeScheduler.observeOnce(probe).observation
        last = observation
        if accept(observation) { return observation }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return last
}

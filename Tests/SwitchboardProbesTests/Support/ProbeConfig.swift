import Foundation
import Testing
@testable import SwitchboardCore
@testable import SwitchboardProbes

/// Builds one probe of `kind` from YAML option lines, as the config loader would for a site
/// file: `options` are the kind's own keys (and `warn:`/`crit:`), one per line.
func loadProbe(kind: String, interval: String = "30s", timeout: String = "10s", _ options: String) throws -> ConfiguredProbe {
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

/// One reading from the probe itself, without the scheduler's timeout around it, with how long
/// it took: what a probe says when the network hangs, and that it ends by its own deadline.
func observeDirectly(_ configured: ConfiguredProbe) async -> (observation: ProbeObservation, took: Duration) {
    let started = ContinuousClock.now
    guard let probe = configured.probe as? any Probe else { return (ProbeObservation(status: .unknown, summary: "not polled"), .zero) }
    let observation = await probe.observe(at: Date())
    return (observation, started.duration(to: .now))
}

/// How late a reading that ends by its own deadline may come back on a loaded test machine
/// (the whole suite runs in parallel on two cores). A probe that does not end by itself hangs
/// for much longer: a black-holed connect for minutes, a silent server forever.
let schedulingSlack = Duration.seconds(2)

/// One reading through the scheduler (thresholds applied), with how long it took.
func observe(_ probe: ConfiguredProbe) async -> (observation: ProbeObservation, took: Duration) {
    let result = await ProbeScheduler.observeOnce(probe)
    return (result.observation, result.duration)
}

/// Sockets this process holds open (by file descriptor) whose remote end is one of `ports` on
/// loopback: TCP and UDP, IPv4 and IPv6, read from /proc. Unlike a count of all descriptors, it
/// is not disturbed by other tests running at the same time.
func openSockets(toPorts ports: Set<Int>) -> Int {
    let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    let inodes = Set(descriptors.compactMap { name -> String? in
        var buffer = [CChar](repeating: 0, count: 256)
        let length = readlink("/proc/self/fd/\(name)", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let target = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard target.hasPrefix("socket:[") else { return nil }
        return String(target.dropFirst(8).dropLast())
    })
    var count = 0
    for table in ["tcp", "tcp6", "udp", "udp6"] {
        let text = readWhole("/proc/net/\(table)")
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 9, inodes.contains(String(fields[9])),
                  let portText = fields[2].split(separator: ":").last, let port = Int(portText, radix: 16) else { continue }
            if ports.contains(port) { count += 1 }
        }
    }
    return count
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

/// A file read to its end with read(2): /proc files report a size of 0, and Foundation's
/// String(contentsOfFile:) stops after the first 4 KiB of them.
func readWhole(_ path: String) -> String {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { break }
        bytes += buffer[..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// The leak check every native kind runs: `rounds` readings of each probe, all at once, the
/// `healthy` ones ok every time and the `failing` ones a problem every time (critical, or unknown
/// when the scheduler's timeout came first); then no socket to `ports` may stay open.
func expectNoSocketsLeft(healthy: [ConfiguredProbe], failing: [ConfiguredProbe], rounds: Int, ports: Set<Int>,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) async {
    let probes = healthy + failing
    let statuses = await withTaskGroup(of: (healthy: Bool, status: ProbeStatus).self) { group in
        for index in 0..<(rounds * probes.count) {
            let which = index % probes.count
            group.addTask { (which < healthy.count, await observe(probes[which]).observation.status) }
        }
        return await group.reduce(into: [(healthy: Bool, status: ProbeStatus)]()) { $0.append($1) }
    }
    #expect(statuses.filter { $0.healthy && $0.status == .ok }.count == rounds * healthy.count, sourceLocation: sourceLocation)
    #expect(statuses.filter { !$0.healthy && ($0.status == .critical || $0.status == .unknown) }.count == rounds * failing.count,
            sourceLocation: sourceLocation)
    #expect(await waitFor(seconds: 2) { openSockets(toPorts: ports) == 0 }, "sockets still open: \(openSockets(toPorts: ports))",
            sourceLocation: sourceLocation)
}

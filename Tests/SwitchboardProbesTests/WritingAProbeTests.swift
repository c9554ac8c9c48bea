import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardProbes

/// The worked examples of the README's "Writing a probe": a native kind in one file, a
/// monitoring-plugins check in Python, and a stream program in Python, each run as a user would.
@Suite("Writing a probe: the README's examples work", .serialized)
struct WritingAProbeTests {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/probes")

    /// The README's native kind, as written there.
    struct FileAgeProbe: Probe {
        static let kind = "file-age"
        static let optionKeys = ["path"]

        let path: String

        init(spec: ProbeSpec, options: ConfigMapping) throws {
            path = try options.required("path").string("a file path")
        }

        func observe(at now: Date) async -> ProbeObservation {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let modified = attributes[.modificationDate] as? Date else {
                return ProbeObservation(status: .critical, summary: "\(path) is missing")
            }
            let age = now.timeIntervalSince(modified)
            return ProbeObservation(status: .ok, summary: "\(path) written \(Int(age)) s ago",
                                    metrics: [Metric(name: "age", value: .number(age, unit: "s"))])
        }
    }

    @Test("a native kind is one type and one catalog entry; the config's thresholds apply to its metrics")
    func nativeKind() async throws {
        let directory = try makeTemporaryDirectory("sb-file-age")
        defer { try? FileManager.default.removeItem(at: directory) }
        let export = directory.appendingPathComponent("acd-export.csv")
        try "queue,offered\n".write(to: export, atomically: true, encoding: .utf8)
        let yaml = """
            site: t
            probes:
              - {id: acd-export, pane: agents, kind: file-age, path: '\(export.path)', warn: "age=300", crit: "age=900"}
            """
        let catalog = ProbeCatalog([FileAgeProbe.self])
        let probe = try #require(try SiteConfigLoader(catalog: catalog).load(yaml: yaml, file: "t.yaml").probes.first)
        #expect(await ProbeScheduler.observeOnce(probe).observation.status == .ok)

        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-1200)], ofItemAtPath: export.path)
        let old = await ProbeScheduler.observeOnce(probe).observation
        #expect(old.status == .critical, "\(old)")
        try FileManager.default.removeItem(at: export)
        #expect(await ProbeScheduler.observeOnce(probe).observation.summary.hasSuffix("is missing"))

        #expect(throws: ConfigDiagnostics.self) {
            try SiteConfigLoader(catalog: catalog).load(yaml: "site: t\nprobes:\n  - {id: a, pane: power, kind: file-age}\n", file: "t.yaml")
        }
    }

    @Test("examples/probes/check_generator_fuel as an exec probe: perfdata, states, unknown on a missing file")
    func pluginInPython() async throws {
        let directory = try makeTemporaryDirectory("sb-fuel")
        defer { try? FileManager.default.removeItem(at: directory) }
        let level = directory.appendingPathComponent("fuel")
        let plugin = Self.examples.appendingPathComponent("check_generator_fuel").path
        let yaml = """
            site: t
            probes:
              - {id: generator, pane: power, kind: exec, command: ['\(plugin)', -f, '\(level.path)', -w, "40", -c, "20"]}
            """
        let probe = try #require(try SiteConfigLoader(catalog: .builtIn).load(yaml: yaml, file: "t.yaml").probes.first)
        for (percent, status) in [("82", ProbeStatus.ok), ("35", .warning), ("12", .critical)] {
            try percent.write(to: level, atomically: true, encoding: .utf8)
            let observation = await ProbeScheduler.observeOnce(probe).observation
            #expect(observation.status == status, "\(percent)%: \(observation)")
            #expect(observation.summary.hasPrefix("FUEL"))
            #expect(observation.metric("fuel") == .number(Double(percent)!, unit: "%"))
            #expect(observation.metric("runtime")?.number == (Double(percent)! * 48 * 36).rounded())
            #expect(observation.details == "read from \(level.path)")
        }
        try FileManager.default.removeItem(at: level)
        #expect(await ProbeScheduler.observeOnce(probe).observation.status == .unknown)
    }

    @Test("examples/probes/acd_feed as a stream feeding one probe per queue")
    func streamInPython() async throws {
        let directory = try makeTemporaryDirectory("sb-acd")
        defer { try? FileManager.default.removeItem(at: directory) }
        let export = directory.appendingPathComponent("queues.json")
        try #"{"queues": [{"name": "sales", "offered": 100, "answered_in_target": 71, "waiting": 4}, {"name": "support", "offered": 0, "answered_in_target": 0, "waiting": 0}]}"#
            .write(to: export, atomically: true, encoding: .utf8)
        let feed = Self.examples.appendingPathComponent("acd_feed").path
        let yaml = """
            site: t
            probes:
              - {id: acd, pane: agents, kind: stream, command: ['\(feed)', '\(export.path)', "1"]}
              - {id: queue-sales, pane: agents, kind: stream, from: acd, crit: "service_level=60:"}
              - {id: queue-support, pane: agents, kind: stream, from: acd}
            """
        let probes = try SiteConfigLoader(catalog: .builtIn).load(yaml: yaml, file: "t.yaml").probes
        let sales = await ProbeScheduler.observeOnce(probes[1], among: probes).observation
        #expect(sales.status == .warning)
        #expect(sales.summary == "SL 71 % · 4 waiting")
        #expect(sales.metric("service_level") == .number(71, unit: "%"))
        let support = await ProbeScheduler.observeOnce(probes[2], among: probes).observation
        #expect(support.status == .ok)

        try FileManager.default.removeItem(at: export)
        let broken = await ProbeScheduler.observeOnce(probes[0], among: probes).observation
        #expect(broken.status == .unknown)
        #expect(broken.summary.hasPrefix("cannot read \(export.path)"))
    }
}

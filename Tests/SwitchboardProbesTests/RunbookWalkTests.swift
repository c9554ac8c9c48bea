import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardProbes

/// The shipped runbooks on a site of real kinds (`examples/site.yaml`), with its UPS a real NUT
/// server whose UPS goes on battery and then runs low: every condition on the UPS reads what
/// is true at each stage. A ✓ on a false condition is a wrong all-clear in an outage.
@Suite("Shipped runbooks against a real UPS", .serialized)
struct RunbookWalkTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/site.yaml").path

    /// The stages of the walk, and what each condition on the UPS truly is at each.
    static let stages: [(name: String, sequence: String, status: String)] = [
        ("on line", "ups.status: OL\nbattery.charge: 100\nbattery.runtime: 2460\nups.load: 35\n", "OL"),
        ("on battery, 14 minutes left", "ups.status: OB DISCHRG\nbattery.charge: 83\nbattery.runtime: 840\n", "OB DISCHRG"),
        ("battery low, 4 minutes left", "ups.status: OB LB\nbattery.charge: 15\nbattery.runtime: 240\n", "OB LB"),
    ]

    /// Each condition the shipped runbooks put on the UPS, true or false at each stage; nil
    /// where it also reads a probe this test gives no reading (it must then not show ✓ unless
    /// the UPS part alone decides it).
    static let truth: [String: [Bool?]] = [
        "ups-main.ups.status has OB": [false, true, true],
        "ups-main.ups.status has OL": [true, false, false],
        "ups-main.battery.runtime >= 15m": [true, false, false],
        "ups-main.battery.runtime >= 5m": [true, true, false],
        "ups-main.ups.load < 60": [true, true, true],
        "ups-main is ok and ups-main.ups.status has OL": [true, false, false],
        "ups-main.ups.status has OL and generator.state != running": [nil, false, false],
        "ups-main.ups.status has OL and generator.state == running": [nil, false, false],
    ]

    @Test("the UPS goes on line → on battery → battery low: no condition shows ✓ when it is false, none ✗ when true")
    func onBatteryThenLow() async throws {
        let nut = try await NUTServer(sequence: Self.stages[0].sequence, pollInterval: 1)
        let yaml = try String(contentsOfFile: Self.example, encoding: .utf8)
            .replacingOccurrences(of: "target: main@10.20.0.5", with: "target: main@127.0.0.1:\(nut.port)")
        let config = try SiteConfigLoader(catalog: .builtIn).load(yaml: yaml, file: Self.example)
        let library = RunbookLibrary.load(paths: config.runbookPaths, context: RunbookContext(config: config))
        #expect(library.problems.isEmpty, "\(library.problems)")
        #expect(library.runbooks.flatMap(\.warnings).isEmpty, "\(library.runbooks.flatMap(\.warnings))")
        let conditions = library.runbooks.flatMap { runbook in
            runbook.triggers + runbook.steps.flatMap { [$0.check, $0.wait].compactMap { $0 } }
        }.filter { $0.probeIDs.contains("ups-main") }
        #expect(Set(conditions.map(\.text)) == Set(Self.truth.keys), "a condition on the UPS this test does not know")

        let ups = try #require(config.probes.first { $0.spec.id == "ups-main" })
        var site = SiteState(siteName: config.site, isDemo: false, specs: config.probes.map(\.spec), startedAt: Date())
        for (index, stage) in Self.stages.enumerated() {
            if index > 0 { try nut.change(to: stage.sequence) }
            let reading = try #require(await observeUntil(ups, seconds: 15) { $0.metric("ups.status") == .text(stage.status) })
            #expect(reading.metric("ups.status") == .text(stage.status), "the UPS never reached '\(stage.name)'")
            SiteReducer.reduce(&site, .probeResult(ProbeResult(probeID: "ups-main", observation: reading, at: Date(), duration: .zero)))
            for condition in conditions {
                let shown = condition.evaluate(in: site)
                let wanted = Self.truth[condition.text]?[index] ?? nil
                if shown == .yes {
                    #expect(wanted == true, "'\(condition.text)' shows ✓ \(stage.name), where it is false")
                } else if wanted == true {
                    #expect(Bool(false), "'\(condition.text)' shows \(shown) \(stage.name), where it is true")
                }
            }
        }
    }
}

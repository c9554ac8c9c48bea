import Foundation
import SwitchboardCore
@testable import SwitchboardConsole
import TerminalUI

/// A site with fixed readings covering every status, for reducer tests and view snapshots.
enum Fixtures {
    static let start = Date(timeIntervalSince1970: 1_795_000_000) // 2026-11-18 09:46:40 UTC

    static let specs: [ProbeSpec] = [
        ProbeSpec(id: "ups-main", pane: .power, kind: "nut", interval: .seconds(5), mainMetric: "battery.charge",
                  thresholds: [MetricThreshold(metric: "battery.charge", warning: try! .init(parsing: "50:"), critical: try! .init(parsing: "20:"))]),
        ProbeSpec(id: "generator", pane: .power, kind: "simulated", interval: .seconds(10)),
        ProbeSpec(id: "isp-a", pane: .network, kind: "exec", interval: .seconds(5)),
        ProbeSpec(id: "isp-b", pane: .network, kind: "exec", interval: .seconds(5)),
        ProbeSpec(id: "fw-standby", pane: .network, kind: "tcp", interval: .seconds(60)),
        ProbeSpec(id: "trunk-b", pane: .telephony, kind: "sip", interval: .seconds(5)),
        ProbeSpec(id: "pbx-acd", pane: .telephony, kind: "exec", interval: .seconds(5)),
        ProbeSpec(id: "queue-sales", pane: .agents, kind: "agents", interval: .seconds(5)),
        ProbeSpec(id: "queue-support", pane: .agents, kind: "agents", interval: .seconds(5)),
    ]

    static func result(_ id: String, _ status: ProbeStatus, _ summary: String, at seconds: Double,
                       metrics: [Metric] = [], details: String = "") -> ConsoleInput {
        .site(.probeResult(ProbeResult(
            probeID: id, observation: ProbeObservation(status: status, summary: summary, details: details, metrics: metrics),
            at: start.addingTimeInterval(seconds), duration: .milliseconds(12))))
    }

    static func number(_ name: String, _ value: Double, _ unit: String = "") -> Metric {
        Metric(name: name, value: .number(value, unit: unit))
    }

    /// The console 40 seconds after start, with history for sparklines and a few state changes.
    static func state(size: Size, actor: String = "operator", library: SiteLibrary = SiteLibrary()) -> TestConsole {
        var state = TestConsole(ConsoleState(site: SiteState(siteName: "Phoenix contact center", isDemo: false, specs: specs,
                                                             startedAt: start),
                                             size: size, actor: actor, library: library))
        var inputs: [ConsoleInput] = []
        for tick in 0..<8 {
            let t = Double(tick) * 5 + 1
            inputs.append(result("ups-main", .ok, "on line · 100% · 41 min left · load 36%", at: t, metrics: [
                Metric(name: "ups.status", value: .text("OL")), number("battery.charge", 100 - Double(tick % 2), "%"),
                number("battery.runtime", 41, "min"), number("ups.load", 36 + Double(tick), "%"),
            ]))
            inputs.append(result("generator", .ok, "standby, auto-start armed · fuel 92%", at: t, metrics: [number("fuel", 92, "%")]))
            let spike = tick >= 6
            inputs.append(result("isp-a", spike ? .warning : .ok,
                                 spike ? "PING WARNING - rta \(180 + tick) ms, loss 3%" : "PING OK - rta \(18 + tick) ms, loss 0%",
                                 at: t, metrics: [number("rta", spike ? 180 + Double(tick) : 18 + Double(tick), "ms"), number("pl", spike ? 3 : 0, "%")]))
            inputs.append(result("isp-b", .ok, "PING OK - rta 27 ms, loss 0%", at: t, metrics: [number("rta", 27, "ms")]))
            inputs.append(result("trunk-b", tick >= 5 ? .critical : .ok,
                                 tick >= 5 ? "no answer to OPTIONS after 3 tries" : "200 OK in 31 ms",
                                 at: t, metrics: [number("rtt", tick >= 5 ? 0 : 31, "ms")]))
            if tick < 2 {
                inputs.append(result("pbx-acd", .ok, "primary active, peer in sync", at: t, metrics: [number("calls", 38)]))
            }
            inputs.append(result("queue-sales", .ok, "SL 86% / 80% in 20 s · 2 waiting · 4 free", at: t,
                                 metrics: [number("service_level", 86 - Double(tick), "%")]))
            inputs.append(result("queue-support", tick >= 4 ? .warning : .ok,
                                 "SL \(84 - tick * 2)% / 80% in 30 s · \u{1B}[31m\(3 + tick) waiting\u{1B}[0m",
                                 at: t, metrics: [number("service_level", 84 - Double(tick) * 2, "%")],
                                 details: "queue support\nagents 6 logged in, 0 available\n\u{1B}]0;title\u{07}longest wait 2m10s"))
            inputs.append(.site(.clock(start.addingTimeInterval(t + 1))))
        }
        inputs.append(.site(.clock(start.addingTimeInterval(40))))
        for input in inputs { state.send(input) }
        return state
    }
}

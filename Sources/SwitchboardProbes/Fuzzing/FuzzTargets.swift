import Foundation
import SwitchboardCore

/// Every reader of bytes from outside (configs and runbooks people write, what plugins, feeds and
/// servers answer), as one function each from bytes to nothing: what a fuzzer calls with inputs
/// of its choosing. A target must never crash, hang or grow without bound, whatever the bytes;
/// `switchboard-fuzz` runs them under libFuzzer and the crashing inputs it finds are kept in
/// `Fuzz/regressions/<target>/`, replayed by the tests.
public struct FuzzTarget: Sendable {
    public let name: String
    /// Valid inputs to start from, so mutations reach past the first syntax check.
    public let seeds: [String]
    public let run: @Sendable ([UInt8]) -> Void

    public static let all: [FuzzTarget] = [
        FuzzTarget(name: "config", seeds: [DemoSite.yaml, StarterConfig.yaml]) { bytes in
            _ = try? SiteConfigLoader(catalog: .builtIn).load(yaml: text(bytes), file: "fuzz.yaml")
        },
        FuzzTarget(name: "runbook", seeds: shippedRunbooks) { bytes in
            _ = try? RunbookLoader(context: demoContext).load(yaml: text(bytes), file: "fuzz.yaml")
        },
        FuzzTarget(name: "condition", seeds: ["ups-main.battery.charge < 50 and (isp-a is critical or isp-b.latency > 150ms)",
                                              "not generator is ok", "queue-sales.service_level < 80%"]) { bytes in
            guard let condition = try? Condition(parsing: text(bytes)) else { return }
            _ = (condition.description, condition.mentions.count, condition.comparisons.count, condition.probeIDs)
        },
        FuzzTarget(name: "perfdata", seeds: ["PING OK - rta 12 ms | rta=12.1ms;100;500;0 pl=0%;20;60;0;100",
                                             "DISK WARNING | /=2643MB;5948;5958;0;5968 'a b'=1e20B unknown=18446744073709551615"]) { bytes in
            let output = PluginOutput(parsing: text(bytes))
            for exit in [PluginExit.exited(0), .exited(2), .exited(255), .signaled(9)] {
                for metric in output.observation(exit: exit).metrics { _ = metric.value.display }
            }
        },
        FuzzTarget(name: "range", seeds: ["10", "10:", "~:10", "10:20", "@10:20", "-1e308:1e308"]) { bytes in
            guard let range = try? ThresholdRange(parsing: text(bytes)) else { return }
            for value in [0, -1, 1e20, -.infinity, .nan, 1.8446744073709552e19] { _ = range.alerts(on: value) }
        },
        FuzzTarget(name: "stream-line", seeds: [#"{"id": "q", "status": "warning", "summary": "SL 71", "metrics": {"x": {"value": 1e19, "unit": "B"}, "m": "day"}}"#]) { bytes in
            if case .success(let observation) = StreamLine.parse(bytes) {
                for metric in observation.observation.metrics { _ = metric.value.display }
            }
        },
        FuzzTarget(name: "agents-json", seeds: [#"{"queues": [{"queue": "sales", "calls_per_hour": 120, "aht_seconds": 240, "agents": 12, "waiting": 3, "longest_wait_seconds": 85, "target_percent": 80, "target_seconds": 20}]}"#]) { bytes in
            _ = try? AgentsFeed.parseJSON(Data(bytes))
        },
        FuzzTarget(name: "agents-csv", seeds: ["queue,calls_per_hour,aht_seconds,agents,waiting\nsales,120,240,12,3\n"]) { bytes in
            _ = try? AgentsFeed.parseCSV(text(bytes))
        },
        FuzzTarget(name: "nut", seeds: ["BEGIN LIST VAR ups\nVAR ups ups.status \"OB LB\"\nVAR ups battery.charge \"18\"\nVAR ups battery.runtime \"240\"\nEND LIST VAR ups\n"]) { bytes in
            var list = NUTProtocol.VariableList(ups: "ups")
            for line in text(bytes).split(separator: "\n", omittingEmptySubsequences: false) {
                guard let done = try? list.feed(String(line)) else { return }
                if done { break }
            }
            _ = NUTReading.observation(variables: list.variables).summary
            _ = try? NUTProtocol.acknowledgement(text(bytes))
        },
        FuzzTarget(name: "sip", seeds: ["SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\nCall-ID: a@b\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"]) { bytes in
            _ = try? SIPResponse.parse(bytes)
        },
        FuzzTarget(name: "dns", seeds: [String(decoding: [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 3, 0x70, 0x62, 0x78, 0, 0, 1, 0, 1,
                                                         0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 53], as: UTF8.self)]) { bytes in
            _ = try? DNSResponse.parse(bytes)
        },
    ]

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private static let demoContext: RunbookContext = {
        guard let demo = try? SiteConfigLoader(catalog: .builtIn).load(yaml: DemoSite.yaml, file: DemoSite.source, isDemo: true) else {
            return RunbookContext(probes: [:])
        }
        return RunbookContext(config: demo)
    }()

    private static let shippedRunbooks: [String] = {
        let files = (try? RunbookLibrary.files(at: ShippedRunbooks.folder)) ?? []
        return files.compactMap { try? RegularFile.read($0).get() }.map { String(decoding: $0, as: UTF8.self) }
    }()
}

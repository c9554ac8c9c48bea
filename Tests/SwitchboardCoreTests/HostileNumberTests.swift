import Foundation
import Testing
@testable import SwitchboardCore
@testable import SwitchboardProbes

/// Numbers from outside — plugin output, stream lines, config — never stop the console: they
/// are shown as they are, or refused where they are read.
@Suite("Hostile numbers")
struct HostileNumberTests {
    @Test("any number formats, however large: the unknown sentinel shows as 1.8e19", arguments: [
        (18_446_744_073_709_551_615.0, "1.8e19"), (1e20, "1e20"), (-1e308, "-1e308"), (9.96e15, "1e16"),
        (999_999_999_999_999, "999999999999999"), (Double.infinity, "∞"), (Double.nan, "NaN"), (42.04, "42"), (3.25, "3.3"),
    ])
    func format(value: Double, shown: String) {
        #expect(MetricValue.format(value) == shown)
        #expect(MetricValue.number(value, unit: "B").display.hasPrefix(shown))
    }

    @Test("a plugin's sentinel and a stream's huge number become metrics, and a state change logging them is written whole")
    func sentinelInTheLog() throws {
        let output = PluginOutput(parsing: "UNKNOWN - counter wrapped | unknown=18446744073709551615 bytes=1e20B inf=1e400")
        #expect(output.malformed == ["inf=1e400"], "beyond a Double: kept aside as malformed")
        let metrics = output.observation(exit: .exited(3)).metrics + [Metric(name: "inf", value: .number(.infinity, unit: ""))]
        #expect(metrics.map(\.value.display) == ["1.8e19", "1e20 B", "∞"])
        let pushed = try StreamLine.parse(Array(#"{"status": "ok", "summary": "x", "metrics": {"x": 1e19}}"#.utf8)).get()
        #expect(pushed.observation.metrics.first?.value.display == "1e19")

        let entry = LogEntry(kind: LogKind.probeChanged, actor: "alice", at: Date(timeIntervalSince1970: 1_800_000_000),
                             fields: ["reading": .object(Dictionary(uniqueKeysWithValues: metrics.map { ($0.name, JSONValue($0.value)) }))])
        let (line, record) = HashChain.seal(entry, incident: "x", seq: 1, prev: HashChain.genesis)
        let reopened = try HashChain.open(line).get()
        #expect(reopened.seq == 1 && reopened.hash == record.hash)
        guard case .object(let reading)? = reopened["reading"], case .object(let infinite)? = reading["inf"] else {
            Issue.record("the reading was not written whole: \(reopened)")
            return
        }
        #expect(infinite["value"] == JSONValue.string("inf"))
    }

    @Test("a condition nested 50,000 deep, or joining thousands of comparisons, is refused with a clear error")
    func deepCondition() {
        let deep = String(repeating: "(", count: 50_000) + "ups is ok" + String(repeating: ")", count: 50_000)
        #expect(throws: Condition.ParseError.self) { try Condition(parsing: deep) }
        do { _ = try Condition(parsing: deep) } catch { #expect(error.message == "nested more than 32 deep (parentheses and 'not')") }
        let nots = String(repeating: "not ", count: 50_000) + "ups is ok"
        #expect(throws: Condition.ParseError.self) { try Condition(parsing: nots) }
        let long = Array(repeating: "ups is ok", count: 50_000).joined(separator: " and ")
        do { _ = try Condition(parsing: long) } catch { #expect(error.message == "more than 256 comparisons in one condition") }
        #expect((try? Condition(parsing: String(repeating: "(", count: 32) + "ups is ok" + String(repeating: ")", count: 32))) != nil)
    }

    @Test("durations beyond a year and numbers beyond 10¹⁵ in config are refused where they are written")
    func configNumbers() {
        let loader = SiteConfigLoader(catalog: .builtIn)
        func problem(_ yaml: String) -> String? {
            do { _ = try loader.load(yaml: yaml, file: "site.yaml") } catch { return error.items.first?.description }
            return nil
        }
        let base = SiteConfigLoaderTests.oneProbe
        #expect(problem(base.replacingOccurrences(of: "interval: 5s", with: "interval: 100000000000000h"))
                == "site.yaml:6:15: '100000000000000h' is longer than a year (8784h)")
        #expect(problem(base.replacingOccurrences(of: "{start: 100, min: 90, max: 100}", with: "{start: -1e308}"))?
            .hasPrefix("site.yaml:12:31: expected a number from -1e15 to 1e15, got -1e308") == true)
        #expect(Duration(configText: "9223372036854775807s") == nil)
        #expect(Duration(configText: "8785h") == nil && Duration(configText: "8784h") != nil)
        #expect(Duration.seconds(Int64.max).configText.hasSuffix("s"), "a duration from elsewhere still prints")
    }
}

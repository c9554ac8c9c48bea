import Foundation
import Testing
@testable import SwitchboardCore
@testable import SwitchboardProbes

/// The query API's answers, with the odd ones.
@Suite("prometheus protocol")
struct PrometheusProtocolTests {
    func parse(_ text: String) throws -> PrometheusResponse { try PrometheusResponse.parse(Array(text.utf8)) }

    @Test("vectors, scalars, strings, NaN and infinities, range vectors, errors")
    func answers() throws {
        #expect(try parse(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"self","instance":"a:9090"},"value":[1700000000.5,"1"]}]}}"#)
            == .samples([.init(labels: ["__name__": "up", "job": "self", "instance": "a:9090"], value: 1)]))
        #expect(try parse(#"{"status":"success","data":{"resultType":"vector","result":[]}}"#) == .samples([]))
        #expect(try parse(#"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"0.25"]}}"#) == .samples([.init(labels: [:], value: 0.25)]))
        #expect(try parse(#"{"status":"success","data":{"resultType":"scalar","result":[1,"+Inf"]}}"#) == .samples([.init(labels: [:], value: .infinity)]))
        guard case .samples(let nan) = try parse(#"{"status":"success","data":{"resultType":"scalar","result":[1,"NaN"]}}"#) else {
            Issue.record("NaN not read as a sample")
            return
        }
        #expect(nan.first?.value.isNaN == true)
        #expect(try parse(#"{"status":"success","data":{"resultType":"string","result":[1,"hi"]}}"#) == .text("hi"))
        #expect(try parse(#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[]}]}}"#) == .rangeVector(series: 1))
        #expect(try parse(#"{"status":"error","errorType":"bad_data","error":"parse error"}"#) == .error(type: "bad_data", message: "parse error"))
        #expect(try parse(#"{"status":"success","warnings":["x"],"data":{"resultType":"vector","result":[{"metric":{},"value":[1,"-3e2"]}]}}"#)
            == .samples([.init(labels: [:], value: -300)]))
    }

    @Test("not the query API", arguments: [
        "<html>Prometheus Time Series Collection and Processing Server</html>", "[]", #"{"status":"success"}"#,
        #"{"status":"maybe","data":{}}"#, #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}}"#,
        #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"one"]}]}}"#,
        #"{"status":"success","data":{"resultType":"scalar","result":"1"}}"#, #"{"status":"success","data":{"resultType":"table","result":[]}}"#,
        #"{"status":"success","data":{"resultType":"vector","result":{}}}"#, "",
    ])
    func notAPI(_ text: String) {
        #expect(throws: PrometheusResponseError.self) { try parse(text) }
    }

    @Test("label text: the name first, labels sorted")
    func labels() {
        #expect(PrometheusResponse.Sample(labels: ["__name__": "up", "job": "b", "instance": "a"], value: 1).labelText == #"up{instance="a", job="b"}"#)
        #expect(PrometheusResponse.Sample(labels: ["job": "b"], value: 1).labelText == #"{job="b"}"#)
        #expect(PrometheusResponse.Sample(labels: [:], value: 1).labelText == "")
    }

    @Test("the query URL: encoded, under a path prefix")
    func queryURL() throws {
        let plain = PrometheusProbe.queryURL(base: try HTTPURL(parsing: "http://prom:9090"), query: #"up{job="a b"} > 0"#)
        #expect(plain.description == "http://prom:9090/api/v1/query?query=up%7Bjob%3D%22a%20b%22%7D%20%3E%200")
        let prefixed = PrometheusProbe.queryURL(base: try HTTPURL(parsing: "https://mon.example/prometheus/"), query: "sum(rate(x[5m]))")
        #expect(prefixed.description == "https://mon.example/prometheus/api/v1/query?query=sum%28rate%28x%5B5m%5D%29%29")
        let accented = PrometheusProbe.queryURL(base: try HTTPURL(parsing: "http://prom:9090"), query: #"up{site="Zürich"}"#)
        #expect(accented.target == "/api/v1/query?query=up%7Bsite%3D%22Z%C3%BCrich%22%7D", "letters outside ASCII are encoded")
    }

    @Test("config errors point at the option")
    func configErrors() {
        #expect(probeProblems(kind: "prometheus", "url: http://prom:9090") == ["t.yaml:3:5: missing required key 'query'"])
        #expect(probeProblems(kind: "prometheus", "url: prom:9090\nquery: up") == ["t.yaml:8:10: expected an http:// or https:// URL, got 'prom:9090'"])
        #expect(probeProblems(kind: "prometheus", "url: http://prom:9090\nquery: up\nempty: fine") == [
            "t.yaml:10:12: unknown status 'fine' (expected ok, warning, critical or unknown)"])
        #expect(probeProblems(kind: "prometheus", "url: http://prom:9090\nquery: \" \"") == ["t.yaml:9:12: expected a PromQL query, got an empty string"])
    }
}

/// `kind: prometheus` against a real Prometheus server scraping itself.
@Suite("prometheus probes", .serialized)
struct PrometheusProbeTests {
    static let prometheus = PrometheusServer.isInstalled

    @Test("a real Prometheus: values, thresholds, names and units, empty, several series, errors, range vectors, NaN, its own scrape",
          .enabled(if: prometheus, "prometheus is not installed (scripts/test installs it)"))
    func queries() async throws {
        let server = try await PrometheusServer()
        func ask(_ options: String) async throws -> ProbeObservation {
            await observe(try loadProbe(kind: "prometheus", "url: http://127.0.0.1:\(server.port)\n" + options)).observation
        }
        let scalar = try await ask("query: \"42\"")
        #expect(scalar.status == .ok, "\(scalar.summary)\n\(server.log)")
        #expect(scalar.summary.hasPrefix("value 42 · "))
        #expect(scalar.metric("value") == .number(42, unit: ""))
        #expect(scalar.details == "42")

        let named = try await ask("query: vector(0.25) * 100\nname: load\nunit: \"%\"\nwarn: \"load=20\"")
        #expect(named.status == .warning, "25 % is over the threshold of 20: \(named.summary)")
        #expect(named.summary.hasPrefix("load 25% · "))
        #expect(named.metric("load") == .number(25, unit: "%"))

        let labelled = try await ask(#"query: 'label_replace(vector(3), "site", "phoenix", "", "")'"#)
        #expect(labelled.summary.hasPrefix(#"value 3 · {site="phoenix"} · "#), "\(labelled.summary)")

        let empty = try await ask(#"query: 'up{job="nope"}'"#)
        #expect(empty.status == .unknown)
        #expect(empty.summary.hasPrefix("the query returned no series · "))
        #expect(try await ask("query: 'up{job=\"nope\"}'\nempty: ok").status == .ok)

        let several = try await ask(#"query: 'label_replace(vector(1), "x", "a", "", "") or label_replace(vector(2), "x", "b", "", "")'"#)
        #expect(several.status == .unknown)
        #expect(several.summary == "the query returned 2 series; aggregate it to one (max, sum, …)")

        let bad = try await ask("query: \"sum(\"")
        #expect(bad.status == .unknown)
        #expect(bad.summary.hasPrefix("Prometheus rejected the query: bad_data: "), "\(bad.summary)")

        let range = try await ask("query: \"up[1m]\"")
        #expect(range.summary == "the query gives a range vector; ask for an instant value (drop the [range])")
        #expect(try await ask("query: 0/0").summary == "the query's value is NaN")
        #expect(try await ask("query: '\"phoenix\"'").summary.hasPrefix("value phoenix · "))

        // Its own scrape: the first one comes once target discovery has run (about 5 s after start).
        let up = try loadProbe(kind: "prometheus", "url: http://127.0.0.1:\(server.port)\nquery: 'up{job=\"self\"}'\nname: up\ncrit: \"up=1:\"")
        let scraped = await observeUntil(up, seconds: 20) { $0.metric("up") != nil }
        #expect(scraped?.status == .ok, "\(String(describing: scraped))\n\(server.log)")
        #expect(scraped?.summary.hasPrefix(#"up 1 · up{instance="127.0.0.1:\#(server.port)", job="self"} · "#) == true, "\(String(describing: scraped))")
        let down = try await ask("query: 'up{job=\"self\"} - 1'\nname: up\ncrit: \"up=1:\"")
        #expect(down.status == .critical, "a value under the range is critical: \(down.summary)")

        server.stop()
        let gone = await observe(up).observation
        #expect(gone.status == .critical)
        #expect(gone.summary == "127.0.0.1:\(server.port): connection refused")
    }

    @Test("not Prometheus: an HTML page, a 503 without JSON")
    func notPrometheus() async throws {
        let html = try ScriptedTCPServer(reply: ["HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n<html></html>"])
        let page = await observe(try loadProbe(kind: "prometheus", "url: http://127.0.0.1:\(html.port)\nquery: up")).observation
        #expect(page.status == .unknown)
        #expect(page.summary == "127.0.0.1:\(html.port) sent not a Prometheus query answer: the body is not a JSON object")
        let unavailable = try ScriptedTCPServer(reply: ["HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy"])
        let busy = await observe(try loadProbe(kind: "prometheus", "url: http://127.0.0.1:\(unavailable.port)\nquery: up")).observation
        #expect(busy.status == .critical)
        #expect(busy.summary == "127.0.0.1:\(unavailable.port) answered 503 Service Unavailable")
        #expect(unavailable.received.first?.hasPrefix("GET /api/v1/query?query=up HTTP/1.1\r\n") == true)
    }
}

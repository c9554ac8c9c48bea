import Foundation
import SwitchboardCore

/// `kind: prometheus`: an instant query against a Prometheus server's HTTP API
/// (`/api/v1/query`), its value a metric that thresholds judge, so a site that already monitors
/// with Prometheus (or its blackbox exporter) feeds the console.
///
/// The query must give one value: a scalar, or a vector of one series (aggregate with `max`,
/// `sum`, … when it would give more). No series at all is `unknown` unless `empty:` says
/// otherwise (`empty: ok` for a query of firing alerts). The value is the metric named `name`
/// (default `value`), with `unit`; `time` is how long the query took. A query Prometheus rejects
/// is unknown with its reason; a server that cannot be reached is critical.
///
/// ```yaml
/// - id: sbc-probe
///   pane: telephony
///   kind: prometheus
///   url: http://prometheus.example.net:9090    # the server; a path prefix is kept
///   query: 'probe_success{job="blackbox", instance="sbc-a"}'
///   name: up                                  # the metric's name (default value)
///   crit: "up=1:"                              # below 1 is critical
///   # unit: ms
///   # empty: ok                                # status when the query returns no series (default unknown)
///   # headers, tls_verify, ca_file: as for kind: http
/// ```
public struct PrometheusProbe: Probe {
    public static let kind = "prometheus"
    public static let optionKeys = ["url", "query", "name", "unit", "empty", "headers", "tls_verify", "ca_file"]

    let url: HTTPURL
    let query: String
    let name: String
    let unit: String
    let empty: ProbeStatus
    let fetcher: HTTPFetcher
    let timeout: Duration

    /// The query's value under its name (a number in `unit`, or a text), and the time it took.
    public var declaredMetrics: DeclaredMetrics? {
        DeclaredMetrics([("time", .number(unit: "ms")), (name, .either)], complete: true)
    }

    public init(spec: ProbeSpec, options: ConfigMapping) throws {
        let base = try HTTPProbe.url(try options.required("url"))
        let queryNode = try options.required("query")
        query = try queryNode.string("a PromQL query")
        guard !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw queryNode.error("expected a PromQL query, got an empty string") }
        url = Self.queryURL(base: base, query: query)
        name = try options["name"]?.string("a metric name") ?? "value"
        unit = try options["unit"]?.string("a unit such as ms or %") ?? ""
        if let emptyNode = options["empty"] {
            let text = try emptyNode.string("a status")
            guard let status = ProbeStatus(rawValue: text) else {
                throw emptyNode.error("unknown status '\(text)' (expected ok, warning, critical or unknown)")
            }
            empty = status
        } else {
            empty = .unknown
        }
        fetcher = HTTPFetcher(headers: try HTTPProbe.headers(options["headers"]), followRedirects: true,
                              tls: try HTTPProbe.tls(verify: options["tls_verify"], caFile: options["ca_file"]))
        timeout = spec.timeout
    }

    /// `base` + `/api/v1/query?query=…`, keeping a path prefix the server is served under.
    static func queryURL(base: HTTPURL, query: String) -> HTTPURL {
        var url = base
        var prefix = String(base.target.prefix { $0 != "?" })
        while prefix.hasSuffix("/") { prefix.removeLast() }
        url.target = prefix + "/api/v1/query?query=" + (query.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")
        return url
    }

    /// RFC 3986's unreserved characters, ASCII only (`CharacterSet.alphanumerics` holds every
    /// script's letters, which would go into the request line unencoded).
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    public func observe(at _: Date) async -> ProbeObservation {
        await fetcher.observe(url, timeout: timeout, judge: judge)
    }

    func judge(_ response: HTTPFetcher.Response, took: Duration) -> ProbeObservation {
        let time = Metric(name: "time", value: .number(took.milliseconds, unit: "ms"))
        let code = Int(response.status.code)
        func result(_ status: ProbeStatus, _ summary: String, _ metrics: [Metric] = []) -> ProbeObservation {
            ProbeObservation(status: status, summary: summary, details: query, metrics: metrics + [time])
        }
        let parsed: PrometheusResponse
        do {
            guard !response.truncated else { throw PrometheusResponseError.notAPI("the body is over 1 MiB") }
            parsed = try PrometheusResponse.parse(response.body)
        } catch {
            let httpStatus = HTTPFetcher.statusText(response.status)
            if code != 200 { return result((500..<600).contains(code) ? .critical : .unknown, "\(response.url.endpoint) answered \(httpStatus)") }
            return result(.unknown, "\(response.url.endpoint) sent \(error)")
        }
        switch parsed {
        case .error(let type, let message):
            return result(.unknown, "Prometheus rejected the query: \(SummaryText.oneLine(type, limit: 40)): \(SummaryText.oneLine(message, limit: 120))")
        case .rangeVector:
            return result(.unknown, "the query gives a range vector; ask for an instant value (drop the [range])")
        case .text(let text):
            return result(.ok, "\(name) \(SummaryText.oneLine(text, limit: 80)) · \(took.shortText)", [Metric(name: name, value: SummaryText.metricText(text))])
        case .samples(let samples):
            guard let sample = samples.first else { return result(empty, "the query returned no series · \(took.shortText)") }
            guard samples.count == 1 else {
                return result(.unknown, "the query returned \(samples.count) series; aggregate it to one (max, sum, …)")
            }
            guard !sample.value.isNaN else { return result(.unknown, "the query's value is NaN") }
            let value = MetricValue.number(sample.value, unit: unit)
            let labels = sample.labelText.isEmpty ? "" : " · \(SummaryText.oneLine(sample.labelText, limit: 80))"
            return result(.ok, "\(name) \(value.display)\(labels) · \(took.shortText)", [Metric(name: name, value: value)])
        }
    }
}

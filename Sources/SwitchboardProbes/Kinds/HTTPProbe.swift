import Foundation
import NIOHTTP1
import SwitchboardCore

/// `kind: http`: a GET to a URL, natively (no curl, no check_http): the status code and the
/// time, optionally text the body must contain or a JSON value, so a hosted vendor's status page
/// (`{"status": {"indicator": "none", ...}}`) or a health endpoint becomes a probe.
///
/// https is checked against the system's trust store (plus `ca_file`, a site's own CA);
/// redirects are followed (at most 5); the body is read up to 1 MiB. 2xx and 3xx are ok unless
/// `codes` lists the good ones; otherwise 5xx is critical and anything else a warning. Metrics:
/// `time` (ms, redirects included), `code`, `size` (body bytes), and the JSON value, named by
/// its path.
///
/// ```yaml
/// - id: crm-vendor
///   pane: network
///   kind: http
///   url: https://status.crm.example.com/api/v2/status.json
///   json:
///     path: status.indicator          # a.b[0].c; ["key.with.dots"]
///     ok: [none]
///     warning: [minor, maintenance]
///     critical: [major, critical]
///     text: status.description        # shown beside it in the summary
///   # codes: [200, 204]                # the answers that count as good (default 2xx and 3xx)
///   # contains: "All Systems Operational"
///   # headers: {Authorization: "Bearer ..."}
///   # follow_redirects: false
///   # tls_verify: false               # a device with a self-signed certificate
///   # ca_file: /etc/ssl/site-ca.pem   # a site's own CA, besides the system's
///   warn: "time=1000"
/// ```
public struct HTTPProbe: Probe {
    public static let kind = "http"
    public static let optionKeys = ["url", "codes", "contains", "json", "headers", "follow_redirects", "tls_verify", "ca_file"]

    let url: HTTPURL
    let fetcher: HTTPFetcher
    let codes: Set<Int>?
    let contains: String?
    let json: JSONCheck?
    let timeout: Duration

    /// Time, code and size; and the JSON value it reads, named by its path, a number or text.
    public var declaredMetrics: DeclaredMetrics? {
        DeclaredMetrics([("time", .number(unit: "ms")), ("code", .number(unit: "")), ("size", .number(unit: "B"))]
                        + (json.map { [($0.path.description, .either)] } ?? []), complete: true)
    }

    public init(spec: ProbeSpec, options: ConfigMapping) throws {
        url = try Self.url(try options.required("url"))
        codes = try options["codes"].map { node in
            let nodes: [ConfigNode] = if case .sequence = node.node { try node.sequence() } else { [node] }
            return Set(try nodes.map { try $0.integer("an HTTP status code", in: 100...599) })
        }
        if let containsNode = options["contains"] {
            let text = try containsNode.string("text the body must contain")
            guard !text.isEmpty else { throw containsNode.error("expected text the body must contain, got an empty string") }
            contains = text
        } else {
            contains = nil
        }
        json = try options["json"].map(Self.jsonCheck)
        fetcher = HTTPFetcher(headers: try Self.headers(options["headers"]),
                              followRedirects: try options["follow_redirects"]?.bool() ?? true,
                              tls: try Self.tls(verify: options["tls_verify"], caFile: options["ca_file"]))
        timeout = spec.timeout
    }

    static func url(_ node: ConfigNode) throws -> HTTPURL {
        let text = try node.string("a URL such as https://status.example.com/api/v2/status.json")
        do { return try HTTPURL(parsing: text) } catch { throw node.error("\(error)") }
    }

    static func headers(_ node: ConfigNode?) throws -> [(name: String, value: String)] {
        guard let node else { return [] }
        return try node.mapping("a mapping of header names to values").entries.map { entry in
            guard !entry.key.isEmpty, entry.key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) }) else {
                throw entry.keyNode.error("'\(entry.key)' is not an HTTP header name")
            }
            let value = try entry.value.string("a header value")
            guard !value.contains(where: { $0.isNewline }) else { throw entry.value.error("a header value must be one line") }
            return (entry.key, value)
        }
    }

    static func tls(verify: ConfigNode?, caFile: ConfigNode?) throws -> TLSClient {
        let verifying = try verify?.bool() ?? true
        guard let caFile else { return verifying ? .system : .unverified }
        guard verifying else { throw caFile.error("'ca_file' has no use with 'tls_verify: false'") }
        let path = try caFile.string("a file of CA certificates (PEM)")
        do { return try TLSClient(caFile: path) } catch { throw caFile.error("cannot read CA certificates from '\(path)': \(error)") }
    }

    static func jsonCheck(_ node: ConfigNode) throws -> JSONCheck {
        func path(_ node: ConfigNode) throws -> JSONPath {
            let text = try node.string("a JSON path such as status.indicator")
            do { return try JSONPath(parsing: text) } catch { throw node.error("\(error)") }
        }
        if case .scalar = node.node { return JSONCheck(path: try path(node)) }
        let fields = try node.mapping("a JSON path, or a mapping with path, ok, warning, critical and text",
                                      allowedKeys: ["path", "ok", "warning", "critical", "text"])
        return JSONCheck(path: try path(try fields.required("path")),
                         ok: try fields["ok"]?.stringList("a list of values") ?? [],
                         warning: try fields["warning"]?.stringList("a list of values") ?? [],
                         critical: try fields["critical"]?.stringList("a list of values") ?? [],
                         text: try fields["text"].map(path))
    }

    public func observe(at _: Date) async -> ProbeObservation {
        await fetcher.observe(url, timeout: timeout) { response, took in
            Self.judge(response, took: took, codes: codes, contains: contains, json: json)
        }
    }

    /// The observation for a response: the code decides first; a body check or JSON value
    /// then has its say.
    static func judge(_ response: HTTPFetcher.Response, took: Duration, codes: Set<Int>?, contains: String?,
                      json: JSONCheck?) -> ProbeObservation {
        let code = Int(response.status.code)
        let statusText = HTTPFetcher.statusText(response.status)
        var metrics = [
            Metric(name: "time", value: .number(took.milliseconds, unit: "ms")),
            Metric(name: "code", value: .number(Double(code), unit: "")),
            Metric(name: "size", value: .number(Double(response.body.count), unit: "B")),
        ]
        var tail = [took.shortText]
        if response.redirects > 0 { tail.append("after \(response.redirects) redirect\(response.redirects == 1 ? "" : "s")") }
        let details = HTTPFetcher.shown(response.url) + (response.truncated ? " · body read up to 1 MiB" : "")
        func observation(_ status: ProbeStatus, _ head: [String]) -> ProbeObservation {
            ProbeObservation(status: status, summary: (head + tail).joined(separator: " · "), details: details, metrics: metrics)
        }

        let good = codes.map { $0.contains(code) } ?? (200..<400).contains(code)
        guard good else {
            return observation((500..<600).contains(code) ? .critical : .warning, [statusText])
        }
        if let contains, !String(decoding: response.body, as: UTF8.self).contains(contains) {
            return observation(.critical, ["\(statusText), but the body lacks '\(SummaryText.oneLine(contains, limit: 40))'"])
        }
        guard let json else { return observation(.ok, [statusText]) }
        guard !response.truncated else { return observation(.unknown, ["\(statusText), but the body is over 1 MiB: not read as JSON"]) }
        let outcome = json.evaluate(response.body)
        if let metric = outcome.metric { metrics.append(metric) }
        return observation(outcome.status, [outcome.summary] + (code == 200 ? [] : [statusText]))
    }
}

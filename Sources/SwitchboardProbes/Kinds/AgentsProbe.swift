import Foundation
import Synchronization
import SwitchboardCore

/// `kind: agents`: one queue of the statistics an ACD or WFM platform exports, as JSON or CSV,
/// over HTTP(S) or from a file, judged against the queue's service-level target with Erlang C
/// (see `QueueAssessment`). The feed's formats are `AgentsFeed`'s, documented in the README.
///
/// A feed that cannot be read or parsed keeps the last good reading on screen, marked stale,
/// with the reason; conditions on it read as unknown until the feed is good again.
///
/// ```yaml
/// - id: queue-sales
///   pane: agents
///   kind: agents
///   url: https://acd.example.net/api/queues.json   # or file: /var/lib/acd/queues.csv
///   queue: sales                    # the queue's id in the feed
///   target: 80/20                   # 80 % answered within 20 s (also "80% in 20s")
///   abandons: short-excluded        # counted (default) | excluded | short-excluded
///   # format: csv                   # json | csv; default from the file name or Content-Type
///   # headers, tls_verify, ca_file: as for kind: http
/// ```
/// The demo site uses `simulate:` instead of a feed (see `QueueSimulation`).
public final class AgentsProbe: Probe {
    public static let kind = "agents"
    public static let optionKeys = ["url", "file", "simulate", "format", "queue", "target", "abandons",
                                    "headers", "tls_verify", "ca_file"]
    /// A feed file larger than this is refused rather than read.
    static let fileLimit = 4 * 1024 * 1024

    enum Source: Sendable {
        case http(HTTPURL, HTTPFetcher)
        case file(String)
        case simulated(QueueSimulation)
    }

    enum Format: String, Sendable {
        case json, csv
    }

    let source: Source
    let format: Format?
    let queue: String
    let target: ServiceTarget
    let abandons: AbandonTreatment
    let timeout: Duration
    /// The last good reading, kept for when the feed fails.
    private let lastGood = Mutex<(metrics: [Metric], at: Date)?>(nil)

    public var declaredMetrics: DeclaredMetrics? { QueueAssessment.declaredMetrics }
    /// The trend a queue's row shows, even through an interval without calls.
    public static let defaultMetric: String? = "service_level"

    public init(spec: ProbeSpec, options: ConfigMapping) throws {
        let given = ["url", "file", "simulate"].filter { options[$0] != nil }
        guard given.count == 1 else {
            throw options.node.error(given.isEmpty ? "expected one of url, file or simulate: where the queue statistics come from"
                                              : "expected only one of url, file or simulate, got \(given.joined(separator: " and "))")
        }
        let targetNode = try options.required("target")
        let targetText = try targetNode.string("a target such as 80/20 (80 % answered within 20 s)")
        guard let target = ServiceTarget(text: targetText) else {
            throw targetNode.error("expected a target such as 80/20 or \"80% in 20s\", got '\(targetText)'")
        }
        self.target = target
        if let node = options["abandons"] {
            let text = try node.string("how abandoned calls count")
            guard let treatment = AbandonTreatment(rawValue: text) else {
                throw node.error("unknown treatment '\(text)' (expected counted, excluded or short-excluded)")
            }
            abandons = treatment
        } else {
            abandons = .counted
        }
        if let node = options["format"] {
            let text = try node.string("json or csv")
            guard let format = Format(rawValue: text) else { throw node.error("unknown format '\(text)' (expected json or csv)") }
            self.format = format
        } else {
            format = nil
        }
        if let node = options["url"] {
            source = .http(try HTTPProbe.url(node), HTTPFetcher(headers: try HTTPProbe.headers(options["headers"]), followRedirects: true,
                                                                 tls: try HTTPProbe.tls(verify: options["tls_verify"], caFile: options["ca_file"])))
        } else if let node = options["file"] {
            source = .file(try node.string("the path of the statistics file"))
        } else {
            source = .simulated(try QueueSimulation(try options.required("simulate"), interval: spec.interval))
        }
        if case .simulated = source {
            queue = try options["queue"]?.string("a queue id") ?? spec.id
        } else {
            queue = try options.required("queue").string("the queue's id in the feed")
        }
        timeout = spec.timeout
    }

    public func observe(at now: Date) async -> ProbeObservation {
        switch await snapshot(at: now) {
        case .success(let snapshot):
            let assessment = QueueAssessment(snapshot, target: target, abandons: abandons)
            let metrics = assessment.metrics
            lastGood.withLock { $0 = (metrics, now) }
            return ProbeObservation(status: assessment.status, summary: assessment.summary, details: details(snapshot), metrics: metrics)
        case .failure(let problem):
            guard let kept = lastGood.withLock({ $0 }) else {
                return ProbeObservation(status: .unknown, summary: problem.message)
            }
            return ProbeObservation(status: .unknown, summary: "\(problem.message) · figures from \(TimeText.clock(kept.at))",
                                    metrics: kept.metrics, keptFrom: kept.at)
        }
    }

    /// The queue's statistics at `now`, or what kept them from being read.
    func snapshot(at now: Date) async -> Result<QueueSnapshot, AgentsFeedError> {
        let parsed: Result<[QueueSnapshot], AgentsFeedError>
        switch source {
        case .simulated(let simulation):
            return .success(simulation.next(queue: queue, thresholdSeconds: target.thresholdSeconds, at: now))
        case .file(let path):
            parsed = readFile(path).flatMap { parse($0, format: format ?? (path.lowercased().hasSuffix(".csv") ? .csv : .json)) }
        case .http(let url, let fetcher):
            let budget = ProbeBudget(timeout: timeout)
            let progress = ProbeProgress(HTTPFetcher.Step.connecting(url))
            do {
                let response = try await budget.run { try await fetcher.get(url, budget: budget, progress: progress) }
                guard response.status.code == 200 else {
                    return .failure(AgentsFeedError("\(response.url) answered \(response.status.code) \(response.status.reasonPhrase)"))
                }
                guard !response.truncated else { return .failure(AgentsFeedError("\(url) sent more than 1 MiB")) }
                let type = response.headers.first(name: "content-type")?.lowercased() ?? ""
                let isCSV = type.contains("csv") || url.target.lowercased().split(separator: "?").first?.hasSuffix(".csv") == true
                parsed = parse(Data(response.body), format: format ?? (isCSV ? .csv : .json))
            } catch {
                return .failure(AgentsFeedError(HTTPFetcher.failureText(error, step: progress.current, budget: budget)))
            }
        }
        return parsed.flatMap { queues in
            guard let snapshot = queues.first(where: { $0.queue == queue }) else {
                let known = queues.map(\.queue).prefix(8).joined(separator: ", ")
                return .failure(AgentsFeedError("the feed has no queue '\(queue)' (it has: \(known))"))
            }
            return .success(snapshot)
        }
    }

    private func readFile(_ path: String) -> Result<Data, AgentsFeedError> {
        RegularFile.read(path, limit: Self.fileLimit).mapError { AgentsFeedError("\(path): \($0)") }
    }

    private func parse(_ data: Data, format: Format) -> Result<[QueueSnapshot], AgentsFeedError> {
        Result { () throws(AgentsFeedError) in
            switch format {
            case .json: try AgentsFeed.parseJSON(data)
            case .csv: try AgentsFeed.parseCSV(String(decoding: data, as: UTF8.self))
            }
        }
    }

    private func details(_ snapshot: QueueSnapshot) -> String {
        let minutes = MetricValue.format(snapshot.intervalSeconds / 60)
        return "queue \(snapshot.queue)\(snapshot.name.map { " (\($0))" } ?? "") · over the last \(minutes) min · "
            + "abandons: \(abandons.rawValue)"
    }
}

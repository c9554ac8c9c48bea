import Foundation

/// The `kind: stream` contract: a long-lived program prints one JSON object per line,
///
/// ```json
/// {"id": "queue-sales", "status": "warning", "summary": "SL 71 % / 80 %",
///  "details": "optional further lines", "metrics": {"sl": {"value": 71, "unit": "%"}, "waiting": 4, "mode": "day"}}
/// ```
///
/// `status` is `ok`, `warning`, `critical` or `unknown` (or the plugin exit codes 0–3); `id` is
/// optional and addresses one of the probes the stream feeds; a metric is a number, a string, or
/// `{"value": n, "unit": "…"}`. Anything else is rejected with a reason a person can act on.
public enum StreamLine {
    /// Parses one line (without its newline).
    public static func parse(_ bytes: some Collection<UInt8>) -> Result<PushedObservation, StreamLineError> {
        let data = Data(bytes)
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return .failure(StreamLineError("not JSON: \(preview(bytes))"))
        }
        guard let fields = object as? [String: Any] else {
            return .failure(StreamLineError("expected a JSON object, got \(preview(bytes))"))
        }
        let known: Set = ["id", "status", "summary", "details", "metrics"]
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            return .failure(StreamLineError("unknown key '\(unknown)' (expected id, status, summary, details, metrics)"))
        }
        var id: String?
        if let rawID = fields["id"] {
            guard let text = rawID as? String, !text.isEmpty else { return .failure(StreamLineError("'id' must be a probe id string")) }
            id = text
        }
        guard let status = status(fields["status"]) else {
            return .failure(StreamLineError("'status' must be ok, warning, critical or unknown (or 0 to 3)"))
        }
        guard let summary = (fields["summary"] ?? "") as? String else { return .failure(StreamLineError("'summary' must be a string")) }
        guard let details = (fields["details"] ?? "") as? String else { return .failure(StreamLineError("'details' must be a string")) }
        guard let rawMetrics = (fields["metrics"] ?? [String: Any]()) as? [String: Any] else {
            return .failure(StreamLineError("'metrics' must be an object of name to value"))
        }
        var metrics: [Metric] = []
        for name in rawMetrics.keys.sorted() {
            guard let value = metricValue(rawMetrics[name] as Any) else {
                return .failure(StreamLineError("metric '\(name)' must be a number, a string or {\"value\": n, \"unit\": \"…\"}"))
            }
            metrics.append(Metric(name: name, value: value))
        }
        return .success(PushedObservation(
            probeID: id, observation: ProbeObservation(status: status, summary: summary, details: details, metrics: metrics)))
    }

    private static func status(_ raw: Any?) -> ProbeStatus? {
        if let text = raw as? String { return ProbeStatus(rawValue: text.lowercased()) }
        if let number = raw as? NSNumber, !isBoolean(number) {
            return [0: .ok, 1: .warning, 2: .critical, 3: .unknown][number.doubleValue]
        }
        return nil
    }

    private static func metricValue(_ raw: Any) -> MetricValue? {
        if let text = raw as? String { return .text(text) }
        if let number = raw as? NSNumber {
            return isBoolean(number) ? .text(number.boolValue ? "true" : "false") : .number(number.doubleValue, unit: "")
        }
        if let object = raw as? [String: Any], let number = object["value"] as? NSNumber, !isBoolean(number),
           Set(object.keys).isSubset(of: ["value", "unit"]), let unit = (object["unit"] ?? "") as? String {
            return .number(number.doubleValue, unit: unit)
        }
        return nil
    }

    /// JSONSerialization gives booleans as NSNumber too; they are the ones of C type `char`.
    private static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    private static func preview(_ bytes: some Collection<UInt8>) -> String {
        let text = Sanitizer.line(Sanitizer.decode(Array(bytes.prefix(60))))
        return "'\(text)\(bytes.count > 60 ? "…" : "")'"
    }
}

/// Why a stream line was rejected.
public struct StreamLineError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

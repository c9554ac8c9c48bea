import Foundation
import SwitchboardCore

/// The answer of Prometheus' instant-query API (`/api/v1/query`), read from its JSON:
/// `{"status": "success", "data": {"resultType": "vector", "result": [{"metric": {...}, "value": [t, "1"]}]}}`
/// or `{"status": "error", "errorType": "bad_data", "error": "..."}`.
enum PrometheusResponse: Equatable {
    /// One sample: the series' labels (empty for a scalar) and its value.
    struct Sample: Equatable {
        var labels: [String: String]
        var value: Double

        /// `{instance="a", job="b"}` with the name first and labels sorted, or "" for none.
        var labelText: String {
            let pairs = labels.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }
            let name = labels["__name__"] ?? ""
            return pairs.isEmpty ? name : "\(name){\(pairs.joined(separator: ", "))}"
        }
    }

    case samples([Sample])
    case text(String)
    case rangeVector(series: Int)
    case error(type: String, message: String)

    static func parse(_ body: [UInt8]) throws(PrometheusResponseError) -> PrometheusResponse {
        guard let document = try? JSONValue.parse(body), case .object(let top) = document else {
            throw .notAPI("the body is not a JSON object")
        }
        switch top["status"] {
        case .string("error"):
            return .error(type: top["errorType"]?.string ?? "error", message: top["error"]?.string ?? "")
        case .string("success"):
            break
        default:
            throw .notAPI("no \"status\": \"success\" or \"error\"")
        }
        guard case .object(let data) = top["data"], let resultType = data["resultType"]?.string, let result = data["result"] else {
            throw .notAPI("no data.resultType and data.result")
        }
        switch resultType {
        case "vector":
            guard case .array(let series) = result else { throw .notAPI("a vector result that is not a list") }
            return .samples(try series.map { item throws(PrometheusResponseError) in
                guard case .object(let fields) = item, let value = fields["value"] else { throw .notAPI("a vector sample without a value") }
                var labels: [String: String] = [:]
                if case .object(let metric) = fields["metric"] {
                    for (key, label) in metric { labels[key] = label.string ?? label.displayText }
                }
                return Sample(labels: labels, value: try number(value))
            })
        case "scalar":
            return .samples([Sample(labels: [:], value: try number(result))])
        case "string":
            guard case .array(let pair) = result, pair.count == 2, let text = pair[1].string else { throw .notAPI("a string result not as [time, \"text\"]") }
            return .text(text)
        case "matrix":
            guard case .array(let series) = result else { throw .notAPI("a matrix result that is not a list") }
            return .rangeVector(series: series.count)
        default:
            throw .notAPI("an unknown resultType '\(resultType.prefix(20))'")
        }
    }

    /// A sample value `[time, "1.5"]`; Prometheus writes values as strings, with NaN and ±Inf.
    private static func number(_ value: JSONValue) throws(PrometheusResponseError) -> Double {
        guard case .array(let pair) = value, pair.count == 2, let text = pair[1].string else {
            throw .notAPI("a sample value not as [time, \"value\"]")
        }
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default:
            guard let number = Double(text) else { throw .notAPI("a sample value '\(text.prefix(20))' that is not a number") }
            return number
        }
    }
}

/// A response that is not from Prometheus' query API.
enum PrometheusResponseError: Error, Equatable, CustomStringConvertible {
    case notAPI(String)

    var description: String {
        switch self {
        case .notAPI(let why): "not a Prometheus query answer: \(why)"
        }
    }
}

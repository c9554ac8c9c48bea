import Foundation
import Testing
@testable import SwitchboardCore

@Suite("Stream lines: the JSON-lines contract of kind: stream")
struct StreamLineTests {
    func parse(_ line: String) -> Result<PushedObservation, StreamLineError> {
        StreamLine.parse(Array(line.utf8))
    }

    @Test("a full line: id, status, summary, details and every metric form")
    func fullLine() throws {
        let line = #"{"id":"queue-sales","status":"warning","summary":"SL 71 %","details":"a\nb","metrics":{"sl":{"value":71,"unit":"%"},"waiting":4,"mode":"day","open":true}}"#
        let pushed = try parse(line).get()
        #expect(pushed.probeID == "queue-sales")
        #expect(pushed.observation.status == .warning)
        #expect(pushed.observation.summary == "SL 71 %")
        #expect(pushed.observation.details == "a\nb")
        #expect(pushed.observation.metric("sl") == .number(71, unit: "%"))
        #expect(pushed.observation.metric("waiting") == .number(4, unit: ""))
        #expect(pushed.observation.metric("mode") == .text("day"))
        #expect(pushed.observation.metric("open") == .text("true"))
    }

    @Test("status as a word (any case) or a plugin exit code 0–3; only status is required",
          arguments: [(#""ok""#, ProbeStatus.ok), (#""CRITICAL""#, .critical), ("1", .warning), ("3", .unknown), ("2", .critical)])
    func statuses(_ raw: String, _ expected: ProbeStatus) throws {
        let pushed = try parse(#"{"status":\#(raw)}"#).get()
        #expect(pushed.observation.status == expected)
        #expect(pushed.probeID == nil)
        #expect(pushed.observation.summary.isEmpty)
    }

    @Test("bad lines are rejected with a reason", arguments: [
        ("hello", "not JSON: 'hello'"),
        ("[1,2]", "expected a JSON object, got '[1,2]'"),
        (#"{"summary":"x"}"#, "'status' must be ok, warning, critical or unknown (or 0 to 3)"),
        (#"{"status":"fine"}"#, "'status' must be ok, warning, critical or unknown (or 0 to 3)"),
        (#"{"status":4}"#, "'status' must be ok, warning, critical or unknown (or 0 to 3)"),
        (#"{"status":true}"#, "'status' must be ok, warning, critical or unknown (or 0 to 3)"),
        (#"{"status":"ok","colour":"red"}"#, "unknown key 'colour' (expected id, status, summary, details, metrics)"),
        (#"{"status":"ok","id":7}"#, "'id' must be a probe id string"),
        (#"{"status":"ok","summary":3}"#, "'summary' must be a string"),
        (#"{"status":"ok","metrics":[1]}"#, "'metrics' must be an object of name to value"),
        (#"{"status":"ok","metrics":{"x":{"value":"high"}}}"#, #"metric 'x' must be a number, a string or {"value": n, "unit": "…"}"#),
        (#"{"status":"ok","metrics":{"x":null}}"#, #"metric 'x' must be a number, a string or {"value": n, "unit": "…"}"#),
    ])
    func badLines(_ line: String, _ reason: String) {
        #expect(parse(line) == .failure(StreamLineError(reason)))
    }

    @Test("a garbage line is previewed sanitized and shortened")
    func garbagePreview() {
        let line = "\u{1B}[31m" + String(repeating: "x", count: 100) + "\u{FF}"
        guard case .failure(let error) = StreamLine.parse(Array(line.utf8)) else {
            Issue.record("garbage accepted")
            return
        }
        #expect(!error.message.contains("\u{1B}"))
        #expect(error.message.hasSuffix("…'"))
    }
}

import Foundation
import NIOHTTP1
import Testing
@testable import SwitchboardCore
@testable import SwitchboardProbes

/// What a server sends reaches a summary cleaned and cut short, whatever its size: one answer
/// must not fill a row, the probe's history or the action log.
@Suite("summary text from servers")
struct SummaryTextTests {
    static let escape = "\u{1B}]0;owned\u{07}\u{1B}[2J"
    static let long = escape + String(repeating: "spam ", count: 4000)

    @Test("one line: escape sequences gone before the limit is counted, breaks and runs of spaces folded")
    func oneLine() {
        #expect(SummaryText.oneLine("\u{1B}[31mred\u{1B}[0m", limit: 3) == "red")
        #expect(SummaryText.oneLine("a\r\n\tb   c\n", limit: 10) == "a b c")
        #expect(SummaryText.oneLine("abcdefghijkl", limit: 5) == "abcde…")
        #expect(SummaryText.metricText(String(repeating: "x", count: 10_000)) == .text(String(repeating: "x", count: 256) + "…"))
    }

    @Test("nut: an unknown status, an alarm and a model as long as a line may be")
    func nut() {
        let observation = NUTReading.observation(variables: [
            ("ups.status", "OL " + String(repeating: "X", count: 4000)), ("ups.alarm", Self.long), ("ups.serial", Self.long),
        ])
        #expect(observation.summary.hasPrefix("on line, XXX"))
        #expect(observation.summary.count < 250, "\(observation.summary.count)")
        #expect(!observation.summary.contains("\u{1B}"))
        #expect((observation.metric("ups.serial")?.display.count ?? .max) < 300)
        #expect(NUTReplyError.server(code: "WEIRD", detail: Self.long).description.count < 100)
    }

    @Test("sip: a long reason phrase and Server header")
    func sip() throws {
        let response = SIPResponse(code: 200, reason: Self.long, headers: [.init(name: "Server", value: Self.long)])
        let observation = SIPVerdict.observation(response: response, roundTrip: .milliseconds(4), transmissions: 1, accepted: [], peer: "udp x:5060")
        #expect(observation.summary.count < 100, "\(observation.summary.count)")
        #expect(observation.details.count < 150, "\(observation.details.count)")
        #expect(!observation.summary.contains("\u{1B}") && !observation.details.contains("\u{1B}"))
    }

    @Test("http: a reason phrase of the server's own, a JSON value that is a whole document, a long redirect")
    func http() throws {
        let url = try HTTPURL(parsing: "http://h/")
        let custom = HTTPFetcher.Response(status: HTTPResponseStatus(statusCode: 299, reasonPhrase: Self.long), headers: [:], body: [],
                                          truncated: false, url: url, redirects: 0)
        #expect(HTTPProbe.judge(custom, took: .milliseconds(5), codes: nil, contains: nil, json: nil).summary.count < 100)
        let document = Array(#"{"status": "\#(String(repeating: "big ", count: 50_000))"}"#.utf8)
        let json = HTTPFetcher.Response(status: .ok, headers: [:], body: document, truncated: false, url: url, redirects: 0)
        let observation = HTTPProbe.judge(json, took: .milliseconds(5), codes: nil, contains: nil, json: JSONCheck(path: try JSONPath(parsing: "status")))
        #expect(observation.summary.count < 150)
        #expect((observation.metric("status")?.display.count ?? .max) < 300)
        let far = try HTTPURL(parsing: "http://h/" + String(repeating: "a", count: 50_000))
        #expect(HTTPFetcher.failureText(NetworkFailure.closed, step: .waiting(far), budget: ProbeBudget(timeout: .seconds(1))).count < 300)
        let refused = #expect(throws: HTTPURLError.self) { try url.resolving(location: "ftp://x/" + String(repeating: "a", count: 50_000)) }
        #expect((refused?.description.count ?? .max) < 200)
    }

    @Test("dns: TXT records of many kilobytes, an alias of a long name")
    func dns() throws {
        let query = DNSQuery(id: 1, name: try DNSName(parsing: "big.test"), type: .txt)
        let strings = (0..<40).flatMap { _ in [UInt8(250)] + Array(repeating: UInt8(ascii: "t"), count: 250) }
        let response = try DNSResponse.parse(dnsResponse(to: query, answers: [dnsRecord(type: 16, strings), dnsRecord(type: 16, strings)]))
        let observation = DNSVerdict.observation(response, query: query, expect: [], took: .milliseconds(3), server: Endpoint(host: "h", port: 53))
        #expect(observation.status == .ok)
        #expect(observation.summary.count < 250, "\(observation.summary.count)")
    }

    @Test("prometheus: a long error type, a string result of many kilobytes")
    func prometheus() throws {
        let probe = try #require(try loadProbe(kind: "prometheus", "url: http://prom:9090\nquery: up").probe as? PrometheusProbe)
        func judge(_ body: String) throws -> ProbeObservation {
            probe.judge(HTTPFetcher.Response(status: .ok, headers: [:], body: Array(body.utf8), truncated: false,
                                             url: try HTTPURL(parsing: "http://prom:9090/"), redirects: 0), took: .milliseconds(2))
        }
        let filler = String(repeating: "e", count: 20_000)
        #expect(try judge(#"{"status":"error","errorType":"\#(filler)","error":"\#(filler)"}"#).summary.count < 250)
        let text = try judge(#"{"status":"success","data":{"resultType":"string","result":[1,"\#(filler)"]}}"#)
        #expect(text.summary.count < 150)
        #expect((text.metric("value")?.display.count ?? .max) < 300)
    }
}

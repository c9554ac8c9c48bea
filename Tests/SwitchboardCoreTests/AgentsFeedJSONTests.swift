import Foundation
import Testing
@testable import SwitchboardCore

@Suite("Agents feed, JSON")
struct AgentsFeedJSONTests {
    static let document = """
        {"interval_seconds": 900, "threshold_seconds": 20, "queues": [
          {"queue": "sales", "name": "Sales", "offered": 120, "answered": 110, "answered_within": 95,
           "abandoned": 10, "short_abandoned": 3, "waiting": 4, "longest_wait_seconds": 75,
           "handle_seconds": 240, "talk_seconds": 200, "wrap_seconds": 40, "answer_wait_seconds": 2400,
           "agents": {"logged_in": 30, "available": 4, "on_call": 22, "wrap_up": 2, "away": 2}},
          {"queue": "support", "interval_seconds": 1800, "threshold_seconds": null, "offered": 40, "answered": 38,
           "answered_within": 30, "abandoned": 2, "waiting": 0, "longest_wait_seconds": 0, "handle_seconds": 412.5,
           "agents": {"logged_in": 8, "available": 3, "on_call": 4, "wrap_up": 1, "away": 0}}
        ]}
        """

    static let sales = QueueSnapshot(
        queue: "sales", name: "Sales", intervalSeconds: 900, thresholdSeconds: 20,
        offered: 120, answered: 110, answeredWithinThreshold: 95, abandoned: 10, shortAbandoned: 3,
        waiting: 4, longestWaitSeconds: 75, averageHandleSeconds: 240,
        averageTalkSeconds: 200, averageWrapSeconds: 40, totalAnswerWaitSeconds: 2400,
        loggedIn: 30, available: 4, onCall: 22, wrapUp: 2, away: 2)

    /// Optional keys left out take their defaults; `null` counts as left out, so the top-level
    /// threshold still applies; the queue's own interval overrides the top-level one.
    static let support = QueueSnapshot(
        queue: "support", intervalSeconds: 1800, thresholdSeconds: 20,
        offered: 40, answered: 38, answeredWithinThreshold: 30, abandoned: 2,
        waiting: 0, longestWaitSeconds: 0, averageHandleSeconds: 412.5,
        loggedIn: 8, available: 3, onCall: 4, wrapUp: 1, away: 0)

    static func parse(_ text: String) throws(AgentsFeedError) -> [QueueSnapshot] {
        try AgentsFeed.parseJSON(Data(text.utf8))
    }

    static func message(_ text: String) -> String? {
        feedError { () throws(AgentsFeedError) in try parse(text) }
    }

    static func changing(_ old: String, to new: String) -> String {
        fixture(document, replacing: old, with: new)
    }

    @Test("the documented shape, with defaults and per-queue overrides")
    func goodDocument() throws {
        #expect(try Self.parse(Self.document) == [Self.sales, Self.support])
    }

    @Test("no top-level threshold leaves the queue without one; a whole-number id is its digits")
    func withoutDefaults() throws {
        let text = Self.changing(#""threshold_seconds": 20, "#, to: "").replacingOccurrences(of: #""queue": "sales""#, with: #""queue": 5001"#)
        let queues = try Self.parse(text)
        #expect(queues.map(\.thresholdSeconds) == [nil, nil])
        #expect(queues[0].queue == "5001")
    }

    @Test("a byte-order mark and CRLF line endings are fine")
    func byteOrderMarkAndCRLF() throws {
        let crlf = Self.document.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try AgentsFeed.parseJSON(Data([0xEF, 0xBB, 0xBF]) + Data(crlf.utf8)) == [Self.sales, Self.support])
    }

    @Test("every error says where and what", arguments: [
        (#""available": 3"#, #""available": "x""#, #"queues[1].agents.available: expected a whole number, got "x""#),
        (#""offered": 120"#, #""offered": -3"#, "queues[0].offered: must not be negative, got -3"),
        (#""offered": 120"#, #""offered": 120.5"#, "queues[0].offered: expected a whole number, got 120.5"),
        (#""offered": 120"#, #""offered": true"#, "queues[0].offered: expected a whole number, got true"),
        (#""handle_seconds": 240"#, #""handle_seconds": "240""#, #"queues[0].handle_seconds: expected a number of seconds, got "240""#),
        (#""talk_seconds": 200"#, #""talk_seconds": [200]"#, "queues[0].talk_seconds: expected a number of seconds, got an array"),
        (#""name": "Sales""#, #""name": {"en": "Sales"}"#, "queues[0].name: expected a string, got an object"),
        (#""queue": "sales""#, #""queue": " ""#, "queues[0].queue: must not be empty"),
        (#""answered_within": 95"#, #""answered_within": 111"#, "queues[0]: answered_within (111) is more than answered (110)"),
        (#""abandoned": 10"#, #""abandoned": 11"#, "queues[0]: answered (110) + abandoned (11) is more than offered (120)"),
        (#""short_abandoned": 3"#, #""short_abandoned": 11"#, "queues[0]: short_abandoned (11) is more than abandoned (10)"),
        (#""away": 2"#, #""away": 3"#, "queues[0]: available + on_call + wrap_up + away (31) is more than logged_in (30)"),
        (#""offered": 40, "#, "", #"queues[1]: missing "offered""#),
        (#", "away": 2"#, "", #"queues[0].agents: missing "away""#),
        (#""waiting": 4, "#, "", #"queues[0]: missing "waiting""#),
        (#""interval_seconds": 900, "#, "", #"queues[0]: missing "interval_seconds" (give it here or at the top level)"#),
        (#""interval_seconds": 900"#, #""interval_seconds": 0"#, "interval_seconds: must be more than 0, got 0"),
        (#""interval_seconds": 1800"#, #""interval_seconds": 0"#, "queues[1].interval_seconds: must be more than 0, got 0"),
        (#""threshold_seconds": 20"#, #""threshold_seconds": "20s""#, #"threshold_seconds: expected a number of seconds, got "20s""#),
        (#""answered": 110"#, #""answerd": 110"#, #"queues[0]: unknown key "answerd""#),
        (#""wrap_up": 1"#, #""wrap_up": 1, "busy": 1"#, #"queues[1].agents: unknown key "busy""#),
        (#"{"interval_seconds""#, #"{"site": "phx", "interval_seconds""#, #"unknown key "site""#),
        (#""queue": "support""#, #""queue": "sales""#, #"queues[1].queue: duplicate queue id "sales" (first at queues[0])"#),
    ])
    func errors(old: String, new: String, expected: String) {
        #expect(Self.message(Self.changing(old, to: new)) == expected)
    }

    @Test("the structure around the queues", arguments: [
        (#"{"queues": []}"#, "no queues"),
        (#"{"interval_seconds": 900}"#, #"missing "queues""#),
        (#"{"queues": {"sales": {}}}"#, "queues: expected an array, got an object"),
        (#"{"queues": [3]}"#, "queues[0]: expected an object, got 3"),
        (#"{"queues": [{"queue": "sales"}]}"#, #"queues[0]: missing "agents""#),
        (#"{"queues": [{"queue": "sales", "agents": 3}]}"#, "queues[0].agents: expected an object, got 3"),
        (#"{"queues": [{"agents": {}}]}"#, #"queues[0]: missing "queue""#),
        (#"[{"queue": "sales"}]"#, #"expected a JSON object with "queues", got an array"#),
    ])
    func structure(text: String, expected: String) {
        #expect(Self.message(text) == expected)
    }

    @Test("a file cut anywhere is an error, never a partial result")
    func truncated() {
        let bytes = Array(Self.document.utf8)
        for length in 0..<bytes.count {
            #expect(throws: AgentsFeedError.self, "cut at \(length)") { try AgentsFeed.parseJSON(Data(bytes[..<length])) }
        }
        let cutMidRecord = String(Self.document.prefix(Self.document.count / 2))
        // Foundation's wording (on Linux: "unexpected end of file during JSON parse") is not ours to pin.
        let message = Self.message(cutMidRecord)
        #expect(message?.hasPrefix("not valid JSON: ") == true && message?.contains("\n") == false)
    }

    @Test("garbage is not valid JSON", arguments: [
        [0xFF, 0xFE, 0x00, 0x41, 0x9C, 0x01] as [UInt8],
        [],
        Array("queue,offered\nsales,12\n".utf8),
    ])
    func garbage(bytes: [UInt8]) throws {
        let error = try #require(throws: AgentsFeedError.self) { try AgentsFeed.parseJSON(Data(bytes)) }
        #expect(error.message.hasPrefix("not valid JSON: "))
        #expect(!error.message.contains("\n"))
    }
}

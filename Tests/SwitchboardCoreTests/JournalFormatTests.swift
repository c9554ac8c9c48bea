import Foundation
import Testing
@testable import SwitchboardCore
@testable import SwitchboardProbes

extension SplitMix64: RandomNumberGenerator {}

@Suite("Readings journal format")
struct JournalFormatTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    /// Readings as probes give them: metrics that come and go, change unit or kind, go NaN or
    /// infinite; summaries and details that change or stay; figures kept from earlier.
    static func readings(count: Int, seed: UInt64) -> [ProbeResult] {
        var random = SplitMix64(seed: seed)
        let names = ["battery.charge", "ups.status", "rta", "pl", "service_level", "x"]
        let units = ["", "%", "ms", "s"]
        var results: [ProbeResult] = []
        for index in 0..<count {
            let probe = ["ups-main", "isp-a", "queue-sales"].randomElement(using: &random)!
            let metricCount = Int.random(in: 0...4, using: &random)
            let metrics = names.shuffled(using: &random).prefix(metricCount).map { name -> Metric in
                switch Int.random(in: 0..<10, using: &random) {
                case 0: Metric(name: name, value: .text(["OL", "OB DISCHRG", "", "ümlaut \"quoted\""].randomElement(using: &random)!))
                case 1: Metric(name: name, value: .number([.nan, .infinity, -.infinity].randomElement(using: &random)!, unit: "%"))
                case 2: Metric(name: name, value: .number(.nan, unit: ""))
                default: Metric(name: name, value: .number(Double(Int.random(in: -50...500, using: &random)) / 4,
                                                           unit: units.randomElement(using: &random)!))
                }
            }
            let observation = ProbeObservation(
                status: ProbeStatus.allCases.randomElement(using: &random)!,
                summary: ["on line", "on battery · 83%", "", "PING OK - rta 18 ms"].randomElement(using: &random)!,
                details: ["", "line one\nline two"].randomElement(using: &random)!,
                metrics: Array(metrics),
                keptFrom: Bool.random(using: &random) ? nil : start.addingTimeInterval(Double(index) - 30))
            // Times as the console holds them: to the millisecond.
            results.append(ProbeResult(probeID: probe, observation: observation,
                                       at: start.addingTimeInterval(Double(index) * 1.337).roundedToMilliseconds,
                                       duration: .milliseconds(Int.random(in: 0...3000, using: &random))))
        }
        return results
    }

    static func roundTrip(_ lines: [JournalLine]) throws -> [JournalLine] {
        var encoder = JournalEncoder()
        var decoder = JournalDecoder()
        return try lines.map { line in
            let bytes = encoder.encode(line)
            #expect(bytes.last == UInt8(ascii: "\n") && bytes.dropLast().allSatisfy { $0 != UInt8(ascii: "\n") })
            return try decoder.decode(bytes.dropLast()).get()
        }
    }

    /// NaN is never equal to itself: compare readings by their text instead.
    static func same(_ a: [JournalLine], _ b: [JournalLine]) -> Bool {
        String(describing: a) == String(describing: b)
    }

    @Test("every reading reads back as it was written, whatever changed between readings", arguments: [1, 2, 3, 42] as [UInt64])
    func roundTrip(seed: UInt64) throws {
        let header = JournalHeader(incident: "20261118-0946-ups", console: "c1", actor: "alice", host: "pc", pid: 42, started: Self.start)
        let readings = Self.readings(count: 400, seed: seed)
        let snapshot = SiteSnapshot(at: Self.start, startedAt: Self.start.addingTimeInterval(-60), probes: [
            SiteSnapshot.Probe(id: "ups-main", latest: readings[0], hardStatus: .warning, problemStreak: 2, since: Self.start,
                               history: [ProbeHistoryEntry(at: Self.start, status: .ok, summary: "on line", value: 100),
                                         ProbeHistoryEntry(at: Self.start, status: .critical, summary: "x", value: nil)],
                               staleRecorded: true),
            SiteSnapshot.Probe(id: "isp-a", latest: nil, hardStatus: nil, problemStreak: 0, since: nil, history: [], staleRecorded: false),
        ])
        let lines: [JournalLine] = [.header(header), .snapshot(snapshot)] + readings[..<200].map(JournalLine.reading)
            + [.snapshot(snapshot)] + readings[200...].map(JournalLine.reading)
        let read = try Self.roundTrip(lines)
        for (written, back) in zip(lines, read) where !Self.same([written], [back]) {
            Issue.record("written \(written)\nread back \(back)")
            return
        }
    }

    @Test("the reading parser and the general JSON parser read every line alike, and refuse the same lines", arguments: [7, 8, 9] as [UInt64])
    func readingParserAgreesWithGeneralParser(seed: UInt64) throws {
        var encoder = JournalEncoder()
        var lines = Self.readings(count: 300, seed: seed).map { encoder.encode(.reading($0)).dropLast() }.map(Array.init)
        #expect(lines.allSatisfy { ReadingLineParser.parse($0) != nil }, "what the encoder writes takes the fast path")
        // Lines as other writers or damage leave them: spaces, escapes, other types, cut short.
        lines += [
            #"{ "p" : "ups-main", "s" : "ok", "t" : 1795000000000 , "u": "caf\u00e9 \ud83d\ude00 \"q\" \/ \t" }"#,
            #"{"M":[["a",1e3],["b",[-0.5,"%"]],["c",["NaN",""]],["d","x"]],"p":"isp-a","s":"warning","t":1}"#,
            #"{"m":{"rta":12.5,"pl":[3,"%"]},"p":"isp-a","s":"ok","t":2}"#,
            #"{"p":"isp-a","s":"ok","t":1.5}"#, #"{"p":"isp-a","s":"ok","t":"1"}"#, #"{"p":"isp-a","s":"fine","t":1}"#,
            #"{"p":"isp-a","s":"ok"}"#, #"{"p":"isp-a","s":"ok","t":1,"x":2}"#, #"{"p":"isp-a","s":"ok","t":1,"t":2}"#,
            #"{"p":"isp-a","s":"ok","t":1"#, #"{"p":"isp-a","s":"ok","t":1}x"#, #"{"p":"a\qb","s":"ok","t":1}"#,
            #"{"m":{"rta":+1},"p":"isp-a","s":"ok","t":1}"#, #"{"m":{"rta":.5},"p":"isp-a","s":"ok","t":1}"#,
            #"{"m":{"rta":[1,2]},"p":"isp-a","s":"ok","t":1}"#, #"{"m":{"rta":true},"p":"isp-a","s":"ok","t":1}"#,
            #"{"p":"isp-a","s":"ok","t":99999999999999999999}"#, "{\"p\":\"a\u{01}b\",\"s\":\"ok\",\"t\":1}", "[]", "", "{}",
        ].map { Array($0.utf8) }
        var fast = JournalDecoder()
        var general = JournalDecoder()
        for line in lines {
            let (a, b) = (fast.decode(line), general.decodeGenerally(line))
            switch (a, b) {
            case (.success(let x), .success(let y)):
                #expect(Self.same([x], [y]), "\(String(decoding: line, as: UTF8.self))")
            case (.failure, .failure):
                break
            default:
                Issue.record("\(String(decoding: line, as: UTF8.self)): reading parser \(a), general \(b)")
            }
        }
    }

    @Test("a probe reporting one metric name twice reads back with both values")
    func repeatedNames() throws {
        let twice = [Metric(name: "temp", value: .number(20, unit: "C")), Metric(name: "temp", value: .number(30, unit: "C"))]
        var changed = twice
        changed[0].value = .number(21, unit: "C")
        let lines = [twice, changed].enumerated().map { index, metrics in
            JournalLine.reading(ProbeResult(probeID: "sensors", observation: ProbeObservation(status: .ok, summary: "", metrics: metrics),
                                            at: Self.start.addingTimeInterval(Double(index)), duration: .zero))
        }
        #expect(Self.same(try Self.roundTrip(lines), lines))
    }

    @Test("a reading that repeats the one before is written as little more than its time and status")
    func deltas() {
        var encoder = JournalEncoder()
        let metrics = [Metric(name: "battery.charge", value: .number(100, unit: "%")), Metric(name: "ups.status", value: .text("OL"))]
        func reading(_ seconds: Double, charge: Double) -> JournalLine {
            var changed = metrics
            changed[0].value = .number(charge, unit: "%")
            return .reading(ProbeResult(probeID: "ups-main", observation: ProbeObservation(status: .ok, summary: "on line", metrics: changed),
                                        at: Self.start.addingTimeInterval(seconds), duration: .milliseconds(3)))
        }
        let first = String(decoding: encoder.encode(reading(0, charge: 100)), as: UTF8.self)
        let same = String(decoding: encoder.encode(reading(5, charge: 100)), as: UTF8.self)
        let changed = String(decoding: encoder.encode(reading(10, charge: 99)), as: UTF8.self)
        #expect(first.contains(#""M":[["battery.charge",[100,"%"]],["ups.status","OL"]]"#) && first.contains(#""u":"on line""#))
        #expect(same == #"{"ms":3,"p":"ups-main","s":"ok","t":1795000005000}"# + "\n")
        #expect(changed == #"{"m":{"battery.charge":99},"ms":3,"p":"ups-main","s":"ok","t":1795000010000}"# + "\n")
    }

    @Test("after readings were dropped, the next reading of each probe is written whole")
    func afterAGap() throws {
        var encoder = JournalEncoder()
        var decoder = JournalDecoder()
        let readings = Self.readings(count: 30, seed: 9)
        for reading in readings[..<10] { _ = try decoder.decode(encoder.encode(.reading(reading)).dropLast()).get() }
        _ = encoder.encode(.reading(readings[10])) // written, but lost before the reader saw it
        encoder.forgetPrevious()
        // The reader still remembers the readings before the gap: it must not fill the new ones
        // from them (a reading with no details and no metrics stays so).
        var gap = readings[11]
        gap.observation.details = ""
        gap.observation.metrics = []
        for reading in [gap] + readings[12...] {
            let read = try decoder.decode(encoder.encode(.reading(reading)).dropLast()).get()
            #expect(Self.same([read], [.reading(reading)]))
        }
    }

    @Test("damaged lines are refused with what is wrong, never read as a wrong reading")
    func damage() {
        var decoder = JournalDecoder()
        #expect(decoder.decode(Array("{\"t\":1,\"p\":\"x\"".utf8)) == .failure(JournalLineProblem("not valid JSON")))
        guard case .failure(let missing) = decoder.decode(Array(#"{"t":1,"p":"x"}"#.utf8)) else {
            Issue.record("a reading without a status was read")
            return
        }
        #expect(missing.message.contains("'s' is missing"))
        guard case .failure(let newer) = decoder.decode(Array(#"{"journal":9,"incident":"i","console":"c","actor":"a","host":"h","pid":1,"started":0}"#.utf8))
        else {
            Issue.record("a newer format was read")
            return
        }
        #expect(newer.message.contains("newer than this switchboard reads"))
    }
}

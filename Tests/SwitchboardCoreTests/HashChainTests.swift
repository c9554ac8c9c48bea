import Foundation
import Testing
@testable import SwitchboardCore

/// `HashChain.link` reads a record's common fields from its bytes (what `log verify` does a
/// million times); it must accept and refuse exactly the lines the general decoder (`open`)
/// does, and read the same fields.
@Suite("Hash chain links")
struct HashChainTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    /// `body` (a JSON object) sealed with its own hash, as a writer that recomputed it would.
    static func sealed(_ body: String) -> [UInt8] {
        let bytes = Array(body.utf8)
        return Array(bytes.dropLast()) + Array(#","hash":"\#(HashChain.hexDigest(bytes))"}"#.utf8)
    }

    @Test("the byte scan and the general decoder agree on every line: ours, other writers', and forged ones with a recomputed hash")
    func linkAgreesWithOpen() {
        var lines: [[UInt8]] = []
        var prev = HashChain.genesis
        let entries: [LogEntry] = [
            .remark(.note, text: "generator on load · \"quoted\" \\ ümlaut 😀 \u{7}", actor: "alice", role: "incident commander", at: Self.start),
            .severity(.sev1, actor: "bob", role: nil, at: Self.start.addingTimeInterval(1)),
            LogEntry(kind: "probe.changed", actor: "alice", at: Self.start.addingTimeInterval(2), fields: [
                "probe": .string("ups-main"), "reading": .object(["battery.charge": .object(["value": .double(41.5), "unit": .string("%")])]),
                "list": .array([.null, .bool(true), .int(-3), .double(1e-7)])]),
        ]
        for (index, entry) in entries.enumerated() {
            let (line, record) = HashChain.seal(entry, incident: "20261127-0900-ups", seq: index + 1, prev: prev)
            lines.append(line)
            prev = record.hash
        }
        let common = #""actor":"a","at":"2026-11-27T09:00:00.000Z","incident":"i","kind":"note","prev":"\#(HashChain.genesis)""#
        lines += [
            #"{\#(common),"seq":1}"#, #"{ \#(common) , "seq" : 1 }"#, #"{\#(common),"seq":1.0}"#, #"{\#(common),"seq":"1"}"#,
            #"{\#(common),"seq":99999999999999999999999}"#, #"{\#(common)}"#, #"{\#(common),"seq":1,"seq":2}"#,
            #"{\#(common),"seq":1,"x":}"#, #"{\#(common),"seq":1,"x":[1,2,}"#, #"{\#(common),"seq":1,"x":tru}"#,
            #"{\#(common),"seq":1,"k\u00e9y":1}"#, #"{\#(common),"seq":1,"x":"a\qb"}"#, #"{\#(common),"seq":1,"x":"\ud800"}"#,
            #"{"actor":1,"at":"x","incident":"i","kind":"note","prev":"p","seq":1}"#,
            #"{"at":"x","incident":"i","kind":"note","prev":"p","seq":1}"#,
            #"{\#(common),"seq":1,"deep":\#(String(repeating: "[", count: 80))\#(String(repeating: "]", count: 80))}"#,
            #"{\#(common),"seq":1,"deep":\#(String(repeating: "[", count: 600))\#(String(repeating: "]", count: 600))}"#,
        ].map(Self.sealed)
        lines.append(Array(#"{"seq":1,"hash":"0000000000000000000000000000000000000000000000000000000000000000"}"#.utf8))
        for line in lines {
            let fast = HashChain.link(line)
            let general = HashChain.open(line)
            switch (fast, general) {
            case (.success(let link), .success(let record)):
                #expect(link.seq == record.seq && link.incident == record.incident && link.kind == record.kind
                        && link.prev.text == record.prev && link.hash.description == record.hash, "\(String(decoding: line, as: UTF8.self))")
            case (.failure, .failure):
                break
            default:
                // The general decoder reads some numbers (1.0) as whole; the scan leaves those to it.
                Issue.record("\(String(decoding: line, as: UTF8.self)): link \(fast), open \(general)")
            }
        }
    }

    @Test("a note is read from where its link found its values as the general decoder reads it, or not at all (left to the record's reader)")
    func noteAgreesWithOpen() {
        let common = #""incident":"i","kind":"note","prev":"\#(HashChain.genesis)","seq":1"#
        let bodies = [
            #"{"actor":"alice","at":"2026-11-27T09:00:00.123Z",\#(common),"text":"generator on load"}"#,
            #"{"actor":"alice","at":"2026-11-27T09:00:00.123Z","drill":true,\#(common),"role":"incident commander","text":"fuel 80%"}"#,
            #"{"actor":"alice","at":"2026-11-27T09:00:00Z","drill":false,\#(common),"text":"no milliseconds"}"#,
            #"{"actor":"al\u0069ce","at":"2026-11-27T09:00:00.123Z",\#(common),"text":"an escaped actor"}"#,
            #"{"actor":"alice","at":"2026-11-27T09:00:00.123Z",\#(common),"text":"quoted \"words\" and \\ a line\nbreak"}"#,
            #"{"actor":"ülrich","at":"2026-11-27T09:00:00.123Z",\#(common),"text":"ümlaut 😀"}"#,
            #"{"actor":"alice","at":"2026-11-27T09:00:00.123Z",\#(common),"text":"one","text":"two"}"#,
            #"{"actor":"alice","at":"2026-11-27T09:00:00.123Z",\#(common),"role":"a","role":"b","text":"two roles"}"#,
            #"{"actor":"alice","at":"2026-11-27T09:00:00.123Z",\#(common),"text":"with another field","x":1}"#,
            #"{"actor":"alice","at":"2026-11-27T09:00:00.5Z",\#(common),"text":"a time in another shape"}"#,
            #"{"actor":"alice","at":"2026-11-27T09:00:00.123Z",\#(common),"text":"delete \u007f"}"#,
        ]
        for body in bodies {
            let line = Self.sealed(body)
            guard case .success(let link) = HashChain.link(line), case .success(let record) = HashChain.open(line) else {
                Issue.record("\(body) does not read")
                continue
            }
            let note = line.withUnsafeBufferPointer { HashChain.note(bytes: $0, link: link) }
            guard let note else {
                // Only what is more than a note's fields, twice one, or a time in a shape the log
                // does not write is left to the general reader.
                #expect(record.entry.fields.count > 1 || body.contains(#""text":"one","text""#) || body.contains(#""role":"a","role""#)
                        || body.contains(".5Z"), "\(body)")
                continue
            }
            #expect(note.seq == record.seq && note.at == record.at && note.actor == record.actor && note.role == record.entry.role
                    && note.drill == record.entry.drill && note.text == record["text"]?.string && note.hash.description == record.hash,
                    "\(body): \(note)")
        }
    }

    @Test("a note as the log writes it is read member by member in its place, as the general scan reads it; any other shape is left to that scan")
    func writtenNotesAgreeWithOpen() {
        let incident = "20261127-0900-ups"
        var written: [[UInt8]] = []
        for (index, (role, drill, text)) in [("incident commander", false, "generator on load"), (nil, true, "fuel 80%, ETA 2 h"),
                                              (nil, false, ""), ("scribe", false, "ümlaut")].enumerated() {
            var entry = LogEntry.remark(.note, text: text, actor: "alice", role: role, at: Self.start)
            entry.drill = drill
            written.append(HashChain.seal(entry, incident: incident, seq: index + 1, prev: HashChain.genesis).line)
        }
        // Forged or hand-written variants of the first, with their hashes recomputed.
        let first = String(decoding: written[0].dropLast(75), as: UTF8.self) + "}"
        let variants = [
            first.replacingOccurrences(of: #","role""#, with: #", "role""#),
            first.replacingOccurrences(of: #""seq":1"#, with: #""seq":1.0"#),
            first.replacingOccurrences(of: #""seq":1"#, with: #""seq":01"#),
            first.replacingOccurrences(of: HashChain.genesis, with: "00"),
            first.replacingOccurrences(of: #""text":"#, with: #""text":"one","text":"#),
            first.replacingOccurrences(of: #""kind":"note""#, with: #""kind":"todo""#),
            first.replacingOccurrences(of: #""drill":false"#, with: #""drill":"no""#),
            first.replacingOccurrences(of: #""at":"2026"#, with: #""at":"\u0032026"#),
            first.replacingOccurrences(of: "}", with: #","x":1}"#),
        ]
        for line in written + variants.map(Self.sealed) {
            let shown = String(decoding: line, as: UTF8.self)
            let opened = HashChain.open(line)
            for expected in [nil, incident, "another"] {
                switch (line.withUnsafeBufferPointer({ HashChain.link(bytes: $0, incident: expected) }), opened) {
                case (.success(let link), .success(let record)):
                    #expect(link.seq == record.seq && link.incident == record.incident && link.kind == record.kind
                            && link.prev.text == record.prev && link.hash.description == record.hash, "\(shown)")
                    guard let note = line.withUnsafeBufferPointer({ HashChain.note(bytes: $0, link: link) }) else { continue }
                    #expect(note.at == record.at && note.actor == record.actor && note.role == record.entry.role
                            && note.drill == record.entry.drill && note.text == record["text"]?.string, "\(shown): \(note)")
                case (.failure, .failure):
                    break
                case (let linked, let opened):
                    Issue.record("\(shown): link \(linked), open \(opened)")
                }
            }
        }
    }

    @Test("open reads every field as Foundation's decoder does: numbers whole or not, escapes, nesting, and lines it leaves to it")
    func openAgreesWithFoundation() throws {
        let common = #""actor":"a","at":"2026-11-27T09:00:00.123Z","incident":"i","kind":"note","prev":"\#(HashChain.genesis)","seq":1"#
        let values = [#"1"#, #"1.0"#, #"1e2"#, #"-0"#, #"1.5"#, #"-2.25e-3"#, #"9223372036854775807"#, #"9223372036854775808"#,
                      #""a\"b\\c\/d\n\u00e9\ud83d\ude00""#, #""ümlaut 😀""#, #"[1,"x",null,true,false,{"k":[2.5]}]"#,
                      #"{"battery.charge":{"unit":"%","value":41.5}}"#, #"{}"#, #"[]"#, #"null"#]
        for value in values {
            let line = Self.sealed(#"{\#(common),"x":\#(value)}"#)
            guard case .success(let record) = HashChain.open(line) else {
                Issue.record("not read: \(value)")
                continue
            }
            let body = Array(line.dropLast(75)) + Array("}".utf8)
            let reference = try JSONDecoder().decode([String: JSONValue].self, from: Data(body))
            #expect(record["x"] == reference["x"], "\(value): \(String(describing: record["x"])) against \(String(describing: reference["x"]))")
            #expect(record.at == Date(timeIntervalSince1970: 1_795_770_000.123).roundedToMilliseconds)
        }
        // A key twice, or a leading zero, is not for the byte scanner: the general decoder decides.
        for odd in [#"{\#(common),"x":1,"x":2}"#, #"{\#(common),"x":01}"#] {
            let line = Self.sealed(odd)
            let body = Array(line.dropLast(75)) + Array("}".utf8)
            let reference = try? JSONDecoder().decode([String: JSONValue].self, from: Data(body))
            switch HashChain.open(line) {
            case .success(let record): #expect(reference != nil && record["x"] == reference?["x"], "\(odd)")
            case .failure: #expect(reference == nil, "\(odd)")
            }
        }
    }

    @Test("times the log writes are read by arithmetic, to the millisecond, as the general parser reads them")
    func writtenTimes() {
        for text in ["2026-11-27T09:00:00.123Z", "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00.000Z", "2000-03-01T00:00:00Z",
                     "2100-12-31T12:34:56.789Z", "2026-02-30T09:00:00.000Z",
                     // A byte just past either end of the digits, anywhere a digit goes.
                     "2026-1:-27T09:00:00.123Z", "2026-11-27T09:0/:00.123Z", "2026-11-27T09:00:00.1:3Z", "/026-11-27T09:00:00Z"] {
            let fast = TimeText.date(iso8601: text)
            let general = (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
            #expect(fast?.millisecondsSince1970 == general?.millisecondsSince1970, "\(text)")
        }
        #expect(TimeText.date(iso8601: "2026-11-27 09:00") == nil)
    }

    @Test("times are written by arithmetic as Foundation writes them, to the millisecond, far into the past and future")
    func timesWritten() {
        var generator = SystemRandomNumberGenerator()
        let samples = [0.0, -0.001, 951_782_400.5, 1_795_000_000.123, 4_102_444_799.999, -2_208_988_800]
            + (0..<200).map { _ in Double(Int64.random(in: -62_000_000_000_000...250_000_000_000_000, using: &generator)) / 1000 }
        for seconds in samples {
            let date = Date(timeIntervalSince1970: seconds)
            let milliseconds = date.millisecondsSince1970
            let whole = Date(timeIntervalSince1970: Double(milliseconds.quotientAndRemainder(dividingBy: 1000).quotient
                - (milliseconds % 1000 < 0 ? 1 : 0)))
            let expected = whole.formatted(Date.ISO8601FormatStyle()).dropLast()
                + String(format: ".%03dZ", Int(((milliseconds % 1000) + 1000) % 1000))
            #expect(TimeText.iso8601(date) == expected, "\(seconds)")
            #expect(TimeText.date(iso8601: TimeText.iso8601(date))?.millisecondsSince1970 == milliseconds, "\(seconds)")
        }
    }
}

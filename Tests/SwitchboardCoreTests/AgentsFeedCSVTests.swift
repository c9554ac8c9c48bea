import Foundation
import Testing
@testable import SwitchboardCore

@Suite("Agents feed, CSV")
struct AgentsFeedCSVTests {
    static let header = "queue,name,interval_seconds,threshold_seconds,offered,answered,answered_within,abandoned,short_abandoned,"
        + "waiting,longest_wait_seconds,handle_seconds,talk_seconds,wrap_seconds,answer_wait_seconds,"
        + "logged_in,available,on_call,wrap_up,away"

    static let file = """
        # Exported by the ACD at 14:30
        \(header)
        sales,Sales,900,20,120,110,95,10,3,4,75,240,200,40,2400,30,4,22,2,2

        support,,1800,,40,38,30,2,,0,0,412.5,,,,8,3,4,1,0

        """

    /// The JSON fixture's queue; CSV has no top-level defaults, so support has no threshold.
    static let sales = AgentsFeedJSONTests.sales
    static let support: QueueSnapshot = {
        var support = AgentsFeedJSONTests.support
        support.thresholdSeconds = nil
        return support
    }()

    static func message(_ text: String) -> String? {
        feedError { () throws(AgentsFeedError) in try AgentsFeed.parseCSV(text) }
    }

    static func changing(_ old: String, to new: String) -> String {
        fixture(file, replacing: old, with: new)
    }

    @Test("the documented shape: comments and blank lines skipped, empty optional cells take their defaults")
    func goodFile() throws {
        #expect(try AgentsFeed.parseCSV(Self.file) == [Self.sales, Self.support])
    }

    @Test("columns in any order, only the required ones, quoted fields with commas, quotes and line breaks")
    func orderAndQuotes() throws {
        let text = """
            away,logged_in,"queue",name,offered,answered,answered_within,abandoned,waiting,longest_wait_seconds,handle_seconds,interval_seconds,available,on_call,wrap_up
            0,5,vip,"The ""VIP"" line, east",10,9,8,1,0,0,300,900,1,3,1
             1 , 6 ,  "night" ,"two
            lines",0,0,0,0,0,0,0,900,5,0,0
            0,5,vip2,,10,9,8,1,0,0,300,900,1,3,1x

            """
        #expect(Self.message(text) == #"line 5: column "wrap_up": expected a whole number, got "1x""#)
        let queues = try AgentsFeed.parseCSV(text.replacingOccurrences(of: "1x", with: "1"))
        #expect(queues.map(\.queue) == ["vip", "night", "vip2"])
        #expect(queues.map(\.name) == [#"The "VIP" line, east"#, "two\nlines", nil])
        #expect(queues[1].away == 1 && queues[1].loggedIn == 6 && queues[1].available == 5)
        #expect(queues[0].shortAbandoned == 0 && queues[0].thresholdSeconds == nil && queues[0].totalAnswerWaitSeconds == nil)
    }

    @Test("CRLF or CR line endings and a byte-order mark are fine")
    func crlfAndByteOrderMark() throws {
        let crlf = "\u{FEFF}" + Self.file.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try AgentsFeed.parseCSV(crlf) == [Self.sales, Self.support])
        #expect(try AgentsFeed.parseCSV(Self.file.replacingOccurrences(of: "\n", with: "\r")) == [Self.sales, Self.support])
        #expect(Self.message(crlf.replacingOccurrences(of: ",412.5,", with: ",fast,"))
            == #"line 5: column "handle_seconds": expected a number of seconds, got "fast""#)
    }

    @Test("every error says where and what", arguments: [
        (",120,110,", ",abc,110,", #"line 3: column "offered": expected a whole number, got "abc""#),
        (",120,110,", ",-3,110,", #"line 3: column "offered": must not be negative, got -3"#),
        (",120,110,", ",120.5,110,", #"line 3: column "offered": expected a whole number, got 120.5"#),
        (",120,110,", ",,110,", #"line 3: column "offered" is empty"#),
        (",412.5,", ",inf,", #"line 5: column "handle_seconds": expected a number of seconds, got "inf""#),
        (",1800,", ",0,", #"line 5: column "interval_seconds": must be more than 0, got 0"#),
        ("sales,Sales", ",Sales", #"line 3: column "queue" is empty"#),
        (",95,", ",111,", "line 3: answered_within (111) is more than answered (110)"),
        (",22,2,2\n", ",22,2,3\n", "line 3: available + on_call + wrap_up + away (31) is more than logged_in (30)"),
        ("support,,", "sales,,", #"line 5: column "queue": duplicate queue id "sales" (first at line 3)"#),
        (",4,1,0\n", ",4,1\n", "line 5: 19 fields, but the header on line 2 has 20"),
        (",2,2\n\n", ",2,2,\n\n", "line 3: 21 fields, but the header on line 2 has 20"),
        ("queue,name,", "queue,nom,", #"line 2: unknown column "nom""#),
        (",logged_in,", ",waiting,", #"line 2: column "waiting" appears twice"#),
        (",abandoned,short_abandoned,waiting,", ",short_abandoned,", #"line 2: missing columns "abandoned", "waiting""#),
        ("sales,Sales,", #""sales,Sales,"#, "line 3: a quoted field is not closed (the file may be cut off)"),
        ("sales,Sales,", #""sales"x,Sales,"#, "line 3: text after the closing quote of a field"),
        ("sales,Sales,", #"sa"les,Sales,"#, "line 3: a quote inside an unquoted field (quote the whole field and double the quote)"),
    ])
    func errors(old: String, new: String, expected: String) {
        #expect(Self.message(Self.changing(old, to: new)) == expected)
    }

    @Test("no header, no queues", arguments: [
        ("", "no header row: the feed is empty"),
        ("# nothing yet\n\n   \n", "no header row: the feed is empty"),
        ("\(header)\n# all queues closed\n", "no queues"),
    ])
    func empty(text: String, expected: String) {
        #expect(Self.message(text) == expected)
    }

    @Test("a file cut mid-record is an error; cut between rows it is the rows before the cut")
    func truncated() {
        let full = [Self.sales, Self.support]
        let scalars = Array(Self.file.unicodeScalars)
        for length in 0..<scalars.count {
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars[..<length])
            let endsALine = text.isEmpty || text.hasSuffix("\n")
            // A cut between rows is indistinguishable from a shorter file; anywhere else it is refused.
            if let queues = try? AgentsFeed.parseCSV(text) {
                #expect(endsALine && queues == Array(full.prefix(queues.count)), "cut at \(length) gave \(queues.map(\.queue))")
            }
        }
        for cut in [1, 2, 3] {  // "…,4,1,0\n" cut to "…,4,1,0", "…,4,1," and "…,4,1"
            #expect(Self.message(String(Self.file.dropLast(cut)))
                == "line 5: the row does not end with a line break (the file may be cut off)")
        }
    }

    @Test("garbage bytes are refused with a clean reason", arguments: [
        [0xFF, 0xFE, 0x00, 0x41, 0x9C, 0x01, 0x0A],
        [0x1B, 0x5B, 0x32, 0x4A, 0x07, 0x0A],  // ESC [2J BEL: clear the screen and ring
        Array(#"{"queues": []}"#.utf8) + [0x0A],
    ] as [[UInt8]])
    func garbage(bytes: [UInt8]) throws {
        let error = try #require(throws: AgentsFeedError.self) { try AgentsFeed.parseCSV(String(decoding: bytes, as: UTF8.self)) }
        #expect(error.message.hasPrefix("line 1: "))
        #expect(!error.message.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }
}

import Foundation
import Testing

/// A customer message written and sent from the real console during an incident: the template
/// list, the blanks, `$EDITOR`, the send question, the cadence in the header, and the record.
@Suite("Customer messages in the console", .serialized)
struct CommsEndToEndTests {
    /// The screen's words on one line, so wrapped text can be matched.
    static func words(_ screen: String) -> String { screen.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    @Test("c during an incident: fill the news, edit in $EDITOR, send; the header's countdown restarts and the log keeps the text")
    func composeAndSend() throws {
        let site = try IncidentConsoleEndToEndTests.Site()
        // The "editor" changes the text without a terminal, as a person in vi would.
        let (session, pid) = try site.console(as: "alice") { "EDITOR='sed -i s/Next/NEXT/' " + $0 }
        try IncidentConsoleEndToEndTests().openIncident("Carrier B down", in: session)
        try session.waitFor("the first update due within 5 minutes") { $0.split(separator: "\n")[0].contains("update 4:5") }

        try session.press("c")
        try session.waitFor("the template list") { $0.contains("Message to send") && $0.contains("client-update") }
        try session.press("j", "Enter")
        try session.waitFor("the composer on client-update") { $0.contains("message · client-update") && $0.contains("News") }
        try session.tmux(["send-keys", "-t", "e2e", "-l", "14:30 UTC"])
        try session.press("Tab")
        try session.tmux(["send-keys", "-t", "e2e", "-l", "carrier B is down, calls move to carrier A"])
        try session.waitFor("the news filled into the text") {
            Self.words($0).contains("Update on Carrier B down at Demo contact center: carrier B is down, calls move to carrier A. "
                                    + "We expect to be back to normal by 14:30 UTC.")
        }
        try session.press("Tab", "Tab", "C-o")
        try session.waitFor("the text back from the editor") {
            $0.contains("edited by hand") && Self.words($0).contains("NEXT update within 20")
        }

        try session.press("C-d")
        try session.waitFor("the send question") { $0.contains("Log this message as sent on client-email") }
        try session.press("y")
        let screen = try session.waitFor("the message logged") { $0.contains("SENT   client-email → all clients") && !$0.contains("saving…") }
        // Drawn in the second it was sent (20:00) or the next one (19:59).
        let header = screen.split(separator: "\n")[0]
        #expect(header.contains("update 20:00") || header.contains("update 19:5"), "the next update is due 20 minutes after this one")

        try session.press("q")
        try session.waitFor("the quit question") { $0.contains("Quit the console?") }
        try session.press("y")
        try session.waitFor("the console gone") { _ in processIsGone(pid) }

        let sent = try #require(try site.records().first { $0["kind"] as? String == "comms.sent" })
        #expect(sent["template"] as? String == "client-update")
        #expect(sent["channel"] as? String == "client-email")
        #expect(sent["audience"] as? String == "all clients")
        #expect(sent["subject"] as? String == "Update on the incident at Demo contact center")
        #expect(sent["text"] as? String
                == "Update on Carrier B down at Demo contact center: carrier B is down, calls move to carrier A. "
                + "We expect to be back to normal by 14:30 UTC. NEXT update within 20 minutes.")
        #expect(sent["actor"] as? String == "alice")
        try site.verify()
    }
}

import Foundation
import Testing

/// A drill run as a training lead runs one: the facilitator's console at ×60 in one terminal, a
/// player's console in another, and a live console in a third that must not notice anything.
@Suite("Drills on the console", .serialized)
struct DrillEndToEndTests {
    /// Scenario seconds the header shows (`T+12:30`), if it shows the clock.
    static func scenarioSeconds(_ screen: String) -> Int? {
        let header = screen.split(separator: "\n").first.map(String.init) ?? ""
        guard let match = header.firstMatch(of: /T\+(\d+):(\d\d)(?::(\d\d))?/) else { return nil }
        if let seconds = match.3 { return Int(match.1)! * 3600 + Int(match.2)! * 60 + Int(seconds)! }
        return Int(match.1)! * 60 + Int(match.2)!
    }

    /// The screen's lines joined as the shell wrapped them (an 80-column pane breaks long words).
    static func unwrapped(_ screen: String) -> String { screen.replacingOccurrences(of: "\n", with: "") }

    @Test("facilitator at ×60 and a player: the player starts the runbook and misses a step; pause, inject by hand, resume; the board and the AAR agree; a live console picks up nothing")
    func facilitatorAndPlayer() throws {
        let directory = try TemporaryDirectory()
        let state = directory.path + "/state"
        let environment = "env SWITCHBOARD_STATE=\(state)"

        // The facilitator opens the drill paused, to brief the players while they join.
        let facilitator = try TmuxSession(width: 80, height: 24, directory: directory.path)
        try facilitator.type("\(environment) USER=fran \(Binary.path) drill power-generator-fails --speed 60 --paused")
        try facilitator.waitFor("the drill, paused at T+0") {
            $0.contains("DRILL") && $0.contains("T+0:00 PAUSED") && $0.contains("on line")
        }
        let logs = try FileManager.default.contentsOfDirectory(atPath: state + "/drills").filter { $0.hasSuffix(".jsonl") }
        let id = String(try #require(logs.first, "no drill log in \(state)/drills").dropLast(".jsonl".count))

        let live = try TmuxSession(width: 80, height: 24, directory: directory.path)
        try live.type("\(environment) USER=liv \(Binary.path)")
        try live.waitFor("the live console") { $0.contains("DEMO") && $0.contains("queue-sales") }

        let player = try TmuxSession(width: 80, height: 24, directory: directory.path)
        try player.type("\(environment) USER=pat \(Binary.path) --incident \(id)")
        try player.waitFor("the player's console on the drill") { $0.contains("DRILL") && $0.contains("T+0:00 PAUSED") }

        // `>` plays the first inject now: the player sees it and the UPS on battery.
        try facilitator.press(">")
        try player.waitFor("inject 1 on the player's console") { $0.contains("The lights") && $0.contains("v reads all") && $0.contains("on battery") }
        // Its banner has one row; v reads it whole.
        try player.press("v")
        try player.waitFor("inject 1 in full") { $0.contains("log record #") && $0.contains("The lights flicker") }
        try player.press("Escape")

        // The player starts the utility-power runbook while the clock is held.
        try player.press("r")
        try player.waitFor("the runbook list") { $0.contains("runbooks ·") }
        try player.type("utility-power")
        try player.waitFor("the player's stepper") { $0.contains("RUNBOOK  Utility power failure") }
        try facilitator.waitFor("the player's start in the facilitator's log") { $0.contains("pat") && $0.contains("started runbook") }

        // At ×60 the confirm-ups window (4 minutes from the inject, at T+2:00) closes in 4 seconds.
        try facilitator.press("Space")
        try facilitator.waitFor("scenario time past T+6:30") { (Self.scenarioSeconds($0) ?? 0) > 390 && $0.contains("×60") }

        // Pause, play inject 3 (the generator technician) by hand ahead of its time, resume.
        try facilitator.press("Space")
        try facilitator.waitFor("the clock paused") { $0.contains("PAUSED") }
        try facilitator.press("!")
        try facilitator.waitFor("the inject form") { $0.contains("Play an inject now") && $0.contains("#3") }
        try facilitator.press("Enter")
        try player.waitFor("the inject played by hand on the player's console") { $0.contains("Generator technician") }
        try facilitator.press("Space")
        try facilitator.waitFor("the clock running again") { $0.contains("×60") }

        // The board: the runbook started in time, the step missed.
        try facilitator.press("o")
        let board = try facilitator.waitFor("the objectives board") { $0.contains("objectives board") && $0.contains("missed") }
        #expect(board.contains("met at T+2:00"), "\(board)")
        #expect(board.contains("start runbook utility-power-failure"))

        // The player never sees what is expected of them.
        let before = Self.scenarioSeconds(try player.screen()) ?? 0
        try player.press("o")
        let afterKey = try player.waitFor("the player's clock to move on") { (Self.scenarioSeconds($0) ?? 0) >= before + 60 }
        #expect(!afterKey.contains("objectives board") && !afterKey.contains("met at"), "\(afterKey)")

        // The facilitator leaves, and rejoins as the facilitator: the drill went on meanwhile.
        try facilitator.press("Escape")
        try facilitator.press("q")
        try facilitator.waitFor("the quit question") { $0.contains("goes on") }
        try facilitator.press("y")
        try facilitator.waitFor("the facilitator's console gone") { Self.unwrapped($0).contains("rejoins it as its facilitator") }
        try facilitator.type("\(environment) USER=fran \(Binary.path) --incident \(id)")
        try facilitator.waitFor("the facilitator back on the drill") { $0.contains("DRILL") && $0.contains("×60") }

        // Closing the drill ends every console on it.
        try facilitator.press("i")
        try facilitator.waitFor("the incident's details") { $0.contains("close the incident") }
        try facilitator.press("x")
        try facilitator.waitFor("the close form") { $0.contains("Close the incident") }
        try facilitator.type("drill over")
        try facilitator.waitFor("the facilitator's console ended") { Self.unwrapped($0).contains("was closed: 'switchboard report \(id) --format aar'") }
        try player.waitFor("the player's console ended with the drill") { Self.unwrapped($0).contains("drill \(id) was closed") }

        let verify = try switchboard(["log", "verify", state + "/drills/\(id).jsonl"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        // The after-action report scores it as the board did.
        let report = try switchboard(["report", id, "--format", "aar"], environment: ["SWITCHBOARD_STATE": state])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("| start runbook utility-power-failure | 2m | met at T+2:00 by pat |"), "\(report.stdout)")
        #expect(report.stdout.contains("| mark utility-power-failure/confirm-ups done | 4m | missed: the window closed at T+6:00 |"))
        #expect(report.stdout.contains("(played by hand)"))
        #expect(report.stdout.contains("Proposed rating: **"))
        let page = directory.path + "/aar.html"
        let html = try switchboard(["report", id, "--format", "aar", "-o", page], environment: ["SWITCHBOARD_STATE": state])
        #expect(html.status == 0, "\(html.stderr)")
        #expect(try String(contentsOfFile: page, encoding: .utf8).contains("<td class=\"missed\">missed: the window closed at T+6:00</td>"))

        // The live console saw none of it: no incident, no DRILL, nothing in the real incidents.
        let liveScreen = try live.screen()
        #expect(!liveScreen.contains("DRILL") && !liveScreen.contains("lights flicker"), "\(liveScreen)")
        let incidents = (try? FileManager.default.contentsOfDirectory(atPath: state + "/incidents")) ?? []
        #expect(incidents.filter { $0.hasSuffix(".jsonl") }.isEmpty, "\(incidents)")
        try live.press("q")
    }
}

import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardReports
import SwitchboardStore

/// The after-action report of a scripted drill: every expectation scored as worked out by hand
/// from ScriptedDrill, the ratings that follow, the evaluators' notes, the timeline, the plan;
/// the page in headless Chromium; a scenario changed since the drill; a log that is not a drill.
@Suite("After-action reports", .serialized)
struct AfterActionReportTests {
    @Test("each expectation met, late, missed, answered otherwise or not played, with the ratings that follow")
    func scoredByHand() throws {
        let drill = try ScriptedDrill.write()
        defer { drill.remove() }
        let aar = try drill.report()

        #expect(aar.hasPrefix("# After-action report: Power fails \\| the scripted drill (EXERCISE)"))
        #expect(aar.contains("**Verified:** log intact: 15 records"), "\(aar)")
        #expect(aar.contains("| Scenario time | until T+12:00 of T+20:00 planned |"))
        #expect(aar.contains("| Scope and audience | new techs |"))
        #expect(aar.contains("scripted-power.yaml: the file played (sha256 "))
        #expect(aar.contains("| Pace | ×60, ×4; paused 1 time |"))
        #expect(aar.contains("| Injects | 3 of 4 injects played, 1 written by the facilitator |"))

        // Inject 1 at T+1:00: the runbook at T+1:30 (window to T+3:00), the step at T+5:00 (window to T+4:00).
        #expect(aar.contains("| #1 at T+1:00 | start runbook power | 2m | met at T+1:30 by pat |"))
        #expect(aar.contains("| #1 at T+1:00 | mark power/confirm done | 3m | late: at T+5:00 by pat, the window closed at T+4:00 |"))
        #expect(aar.contains("Proposed rating: **S**, performed with some challenges."))
        // Inject 2 at T+3:00: no message by T+8:00.
        #expect(aar.contains("| #2 at T+3:00 | send a message from client-degraded | 5m | missed: the window closed at T+8:00 |"))
        // Inject 3 at T+6:00: answered yes where no was expected; the note met with no objective.
        #expect(aar.contains("| #3 at T+6:00 | answer power/power-back 'no' | 5m | answered 'yes' at T+8:00 by pat; expected 'no' |"))
        #expect(aar.contains("| #3 at T+6:00 | note 'alarm' | 4m | met at T+7:00 by pat |"))
        #expect(aar.components(separatedBy: "Proposed rating: **U**, unable to be performed.").count - 1 == 2)
        #expect(aar.contains("### Expectations not tied to an objective"))
        // Inject 4 never played: its objective is not rated.
        #expect(aar.contains("| #4 | note 'never' | 1m | not played: inject #4 was not played |"))
        #expect(aar.contains("- **—** An objective no inject reaches"))
        #expect(aar.contains("- **S** Start the procedure and confirm the UPS"))

        #expect(aar.contains("- T+2:00, Start the procedure and confirm the UPS: pat found the runbook at once (eve)"))
        #expect(aar.contains("- T+9:00, Tell the clients within 5 minutes: nobody owned client messages (eve)"))
        #expect(aar.contains("- T+10:00, the exercise: the room was calm (eve)"))

        #expect(aar.contains("| T+1:00 | Facilities → Incident commander: The lights go out. |  |"))
        #expect(aar.contains("| T+1:30 |  | pat: started runbook Utility power failure |"))
        #expect(aar.contains("| T+5:30 | CEO → Incident commander: How long will this last? (played by hand) |  |"))
        #expect(!aar.contains("pat found the runbook at once |"), "evaluator notes are not in the players' timeline")

        #expect(aar.contains("| Start the procedure and confirm the UPS | mark power/confirm done: late: at T+5:00 by pat, the window closed at T+4:00 | ✍ | ✍ | ✍ |"))
        #expect(aar.contains("| Tell the clients within 5 minutes | nobody owned client messages (eve, T+9:00) | ✍ | ✍ | ✍ |"))
        #expect(aar.contains("| ✍ | ✍ | ✍ | ✍ | ✍ |"))
    }

    @Test("a scenario changed since the drill is named, and scored as it says now")
    func changedScenario() throws {
        let drill = try ScriptedDrill.write()
        defer { drill.remove() }
        try (ScriptedDrill.scenarioYAML + "\n# edited after the drill\n").write(toFile: drill.scenarioFile, atomically: true, encoding: .utf8)
        let aar = try drill.report()
        #expect(aar.contains("scripted-power.yaml has changed since the drill (sha256 "), "\(aar)")
        #expect(aar.contains("the expectations are scored as the file says now ⚠"))
    }

    @Test("a tampered drill log is reported up to the damage, saying where")
    func tampered() throws {
        let drill = try ScriptedDrill.write()
        defer { drill.remove() }
        var lines = try String(contentsOfFile: drill.logPath, encoding: .utf8).components(separatedBy: "\n")
        // Record 8 is pat's confirm step: moved into its window after the fact.
        #expect(lines[7].contains("step.done"))
        lines[7] = lines[7].replacingOccurrences(of: "\"scenario_ms\":300000", with: "\"scenario_ms\":200000")
        try lines.joined(separator: "\n").write(toFile: drill.logPath, atomically: true, encoding: .utf8)
        let aar = try drill.report()
        #expect(aar.contains("NOT VERIFIED:** TAMPERED or damaged at record 8"), "\(aar)")
        #expect(aar.contains("covers records 1 to 7 only"))
        #expect(!aar.contains("late: at T+5:00"), "nothing after the damage is scored")
    }

    @Test("a log that is not a drill has no after-action report: one clear line")
    func notADrill() throws {
        let incident = try ScriptedIncident.write()
        defer { incident.remove() }
        #expect {
            try IncidentReporter.write(logPath: incident.logPath, site: ScriptedIncident.site, options: .init(
                format: .aar, outputPath: incident.directory.path + "/aar.md", generatedAt: ScriptedIncident.generatedAt, generator: "t"))
        } throws: { error in
            (error as? StoreError)?.message.contains("this incident is not a drill") ?? false
        }
    }

    @Test("the after-action page opens in Chromium without a console message, every section, no wider than A4, and prints")
    func pageInChromium() async throws {
        let chromium = try Chromium.find()
        let drill = try ScriptedDrill.write()
        defer { drill.remove() }
        let path = drill.directory.path + "/aar.html"
        let html = try drill.report(to: path)
        ReportPageTests.assertSelfContained(html)
        let page = try await chromium.open(path)
        #expect(page.console.isEmpty, "\(page.console)")
        for section in ["overview", "objectives", "timeline", "plan"] {
            #expect(page.dom.contains("<section id=\"\(section)\">"), "no section \(section)")
        }
        #expect(page.dom.contains("<td class=\"late\">late: at T+5:00 by pat, the window closed at T+4:00</td>"))
        #expect(page.dom.contains("<td class=\"missed\">missed: the window closed at T+8:00</td>"))
        #expect(page.dom.contains("<td class=\"wrong\">answered 'yes' at T+8:00 by pat; expected 'no'</td>")
                || page.dom.contains("<td class=\"wrong\">answered 'yes' at T+8:00 by pat; expected 'no'</td>".replacingOccurrences(of: "'", with: "&#39;")))
        #expect(page.dom.contains("Power fails | the scripted drill"))
        let layout = try await chromium.layout(of: path)
        #expect(layout.scrollWidth <= layout.viewportWidth, "the page is \(layout.scrollWidth) px wide at A4's \(layout.viewportWidth)")
        await #expect(try chromium.printedPages(of: path, to: drill.directory.path + "/aar.pdf") >= 1)
    }
}

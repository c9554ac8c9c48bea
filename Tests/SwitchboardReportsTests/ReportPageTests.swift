import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardReports
import SwitchboardStore

/// The HTML report and the ICS 214 forms as a reader opens them: in headless Chromium, at A4's
/// width, self-contained, every section there, nothing wider than the page, printable.
@Suite("Report pages in a browser", .serialized)
struct ReportPageTests {
    /// What a self-contained page never names: nothing to fetch, no script.
    static func assertSelfContained(_ html: String) {
        for outside in ["http://", "https://", "<script", "src=", "@import", "url(", "<link"] {
            #expect(!html.contains(outside), "the page holds \(outside)")
        }
    }

    @Test("the html report opens in Chromium without a console message, with every section, no wider than A4, and prints")
    func htmlInChromium() async throws {
        let chromium = try Chromium.find()
        let incident = try ScriptedIncident.write()
        defer { incident.remove() }
        let path = incident.directory.path + "/report.html"
        let (html, _) = try incident.report(.html, to: path)
        Self.assertSelfContained(html)

        let page = try await chromium.open(path)
        #expect(page.console.isEmpty, "\(page.console)")
        for section in ["summary", "milestones", "timeline-chart", "service-levels", "runbooks", "comms", "responders", "actions",
                        "notes", "timeline"] {
            #expect(page.dom.contains("<section id=\"\(section)\">"), "no section \(section)")
        }
        #expect(page.dom.contains("Verified: log intact: 24 records"))
        // The swimlanes: a lane per pane with the probes that were not OK, the runbook's steps, the markers.
        #expect(page.dom.contains(">ups-main<") && page.dom.contains(">generator<") && page.dom.contains("RUNBOOK Utility power failure"))
        #expect(page.dom.contains("class=\"s-critical\"") && page.dom.contains("class=\"step late\""))
        #expect(page.dom.contains("✉") && page.dom.contains("◆") && page.dom.contains("⚑"))
        // The service level against its target, and the exact text of each message.
        #expect(page.dom.contains("class=\"target\"") && page.dom.contains("<polyline class=\"sl\""))
        #expect(page.dom.contains("Dear client,\nour site runs on generator power; calls may wait longer.\n`ref 23` | Phoenix"))
        #expect(page.dom.contains("generator fuel 80% &lt;ok&gt; &amp; holding"))

        let layout = try await chromium.layout(of: path)
        #expect(layout.scrollWidth <= layout.viewportWidth, "the page is \(layout.scrollWidth) px wide at A4's \(layout.viewportWidth)")
        let screenshot = incident.directory.path + "/report.png"
        _ = try await chromium.open(path, screenshot: screenshot)
        #expect(((try? FileManager.default.attributesOfItem(atPath: screenshot)[.size] as? Int) ?? 0) > 10_000)
        await #expect(try chromium.printedPages(of: path, to: incident.directory.path + "/report.pdf") >= 2)
    }

    @Test("ICS 214: one form per person with blocks 1 to 8, pages numbered, in Chromium at A4's width; its CSV has the blocks as headers")
    func ics214() async throws {
        let chromium = try Chromium.find()
        let incident = try ScriptedIncident.write()
        defer { incident.remove() }
        let path = incident.directory.path + "/ics214.html"
        let (html, _) = try incident.report(.ics214, to: path)
        Self.assertSelfContained(html)
        let page = try await chromium.open(path)
        #expect(page.console.isEmpty, "\(page.console)")
        for block in ["1. Incident Name:", "2. Operational Period:", "3. Name:", "4. ICS Position:", "5. Home Agency (and Unit):",
                      "6. Resources Assigned:", "7. Activity Log:", "8. Prepared by:"] {
            #expect(page.dom.contains(block), "no block \(block)")
        }
        // alice and bob each get a form; alice's (the first commander's) lists bob as a resource.
        #expect(page.dom.contains("id=\"form-1-page-1\"") && page.dom.contains("id=\"form-2-page-1\""))
        #expect(page.dom.components(separatedBy: "ICS 214, Page 1").count - 1 == 2)
        #expect(page.dom.contains("scribe, incident commander"))
        let layout = try await chromium.layout(of: path)
        #expect(layout.scrollWidth <= layout.viewportWidth)

        let csvPath = incident.directory.path + "/ics214.csv"
        let (csv, _) = try incident.report(.ics214, to: csvPath)
        #expect(csv.hasPrefix("1. Incident Name,2. Operational Period From (UTC),2. Operational Period To (UTC),3. Name,4. ICS Position,"
                              + "5. Home Agency (and Unit),6. Resources Assigned,7. Date/Time (UTC),7. Notable Activities,8. Prepared by\r\n"))
    }

    @Test("a person with more activities than a page holds gets continuation pages, each numbered")
    func continuationPages() async throws {
        let chromium = try Chromium.find()
        let incident = try ScriptedIncident.write(extraNotes: 60)
        defer { incident.remove() }
        let path = incident.directory.path + "/ics214.html"
        _ = try incident.report(.ics214, to: path)
        let page = try await chromium.open(path)
        // bob's form: 9 records + 60 notes = 69 activities → 14 on page 1, 32 on page 2, 23 on page 3.
        #expect(page.dom.contains("id=\"form-2-page-3\"") && !page.dom.contains("id=\"form-2-page-4\""))
        #expect(page.dom.contains("ICS 214, Page 3"))
    }
}

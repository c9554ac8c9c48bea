import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardReports
import SwitchboardStore

/// Every format of the scripted incident, compared with its golden file (md, csv and json
/// whole). `SWITCHBOARD_UPDATE_GOLDENS=1` writes the goldens anew, for a change made on purpose.
@Suite("Report formats")
struct ReportFormatTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    static func compare(_ text: String, golden name: String) throws {
        let url = goldens.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["SWITCHBOARD_UPDATE_GOLDENS"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if text != expected {
            let got = text.components(separatedBy: "\n"), want = expected.components(separatedBy: "\n")
            let line = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            Issue.record("\(name) differs from its golden at line \(line + 1):\n got: \(line < got.count ? got[line] : "(end)")\nwant: \(line < want.count ? want[line] : "(end)")")
        }
    }

    @Test("md, csv and json of the scripted incident are their goldens, whole", arguments: [ReportFormat.md, .csv, .json])
    func goldens(format: ReportFormat) throws {
        let incident = try ScriptedIncident.write()
        defer { incident.remove() }
        let (text, verification) = try incident.report(format)
        #expect(verification.intact)
        try Self.compare(text.replacingOccurrences(of: incident.id, with: "INCIDENT-ID"), golden: "scripted.\(format.rawValue)")
    }
}

extension ReportFormatTests {
    @Test("a scratch copy of each format for a person to look at, when SWITCHBOARD_REPORT_SAMPLES names a folder")
    func samples() throws {
        guard let folder = ProcessInfo.processInfo.environment["SWITCHBOARD_REPORT_SAMPLES"] else { return }
        let incident = try ScriptedIncident.write()
        defer { incident.remove() }
        for (format, name) in [(ReportFormat.md, "report.md"), (.html, "report.html"), (.csv, "report.csv"), (.json, "report.json"),
                               (.ics214, "ics214.html"), (.ics214, "ics214.csv")] {
            _ = try incident.report(format, to: folder + "/" + name)
        }
    }
}

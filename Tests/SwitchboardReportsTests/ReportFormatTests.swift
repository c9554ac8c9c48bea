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
    @Test("a note read in place makes the same rows in every format as the note read as strings; notes it cannot be sure of are read as strings",
          arguments: [ReportFormat.md, .html, .csv, .json, .ics214])
    func notesInPlace(format: ReportFormat) throws {
        let at = Date(timeIntervalSince1970: 1_795_000_000.25)
        let notes: [(text: String, role: String?, inPlace: Bool)] = [
            ("generator fuel 80% <ok> & holding | *not* _markup_ `x` [y] 'quoted', commas", "incident commander", true),
            ("\"quoted\" and a \\ backslash", nil, false),
            ("no role", nil, true),
            ("a line\nbreak and a \ttab", "scribe", false),
            ("ümlaut and 😀", "incident commander", false),
            ("a delete \u{7F} character", nil, false),
            ("an escape \u{1B}[31m sequence", nil, false),
        ]
        var prev = HashChain.genesis
        for (index, note) in notes.enumerated() {
            // Written as another writer (or an editor) may have written it: not sanitized first.
            let entry = LogEntry(kind: LogKind.note, actor: "bob", role: note.role, at: at, fields: ["text": .string(note.text)])
            let (line, record) = HashChain.seal(entry, incident: "i", seq: index + 1, prev: prev)
            prev = record.hash
            try line.withUnsafeBufferPointer { line in
                guard case .success(let link) = HashChain.link(bytes: line), let text = HashChain.note(bytes: line, link: link) else {
                    Issue.record("\(note.text) does not read as a note")
                    return
                }
                let inPlace = TimelineEntry(note: line, link: link)
                #expect((inPlace != nil) == note.inPlace, "\(note.text)")
                guard let inPlace else { return }
                let writer: any ReportFormatWriter = switch format {
                case .md: try MarkdownReport()
                case .html: try HTMLReport()
                case .csv: try CSVTimeline()
                case .json: JSONReport(streamingTo: try ReportOutput(path: nil))
                case .ics214: try ICS214Report(asCSV: false)
                case .aar: AfterActionReport(asHTML: false) { _, _ in nil }
                }
                let buffers = RowBuffers()
                var fromLine = SliceRows(spools: writer.spools, buffers: buffers)
                var fromStrings = SliceRows(spools: writer.spools, buffers: buffers)
                writer.rows(inPlace, &fromLine)
                writer.rows(TimelineEntry(text), &fromStrings)
                #expect(fromLine.spools == fromStrings.spools, "\(format) of \(note.text)")
                #expect(fromLine.groups.map(\.key) == fromStrings.groups.map(\.key)
                        && fromLine.groups.map(\.rows) == fromStrings.groups.map(\.rows), "\(format) of \(note.text)")
                #expect(fromLine.spools.contains { !$0.isEmpty } || fromLine.groups.contains { !$0.rows.isEmpty }, "\(format): no rows")
            }
        }
    }

    @Test("a report written over an older one replaces it whole and leaves nothing beside it; a new one appears whole")
    func outputReplacesWhole() throws {
        let incident = try ScriptedIncident.write()
        defer { incident.remove() }
        let folder = incident.directory.path + "/out"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/report.md"
        let fresh = try incident.report(.md, to: path).text
        try String(repeating: "an older, longer report\n", count: 100_000).write(toFile: path, atomically: false, encoding: .utf8)
        let replaced = try incident.report(.md, to: path).text
        #expect(replaced == fresh)
        #expect(replaced.hasPrefix("# "))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["report.md"])
    }

    @Test("rows are values: a copy written to leaves the rows it was copied from as they were, past any capacity")
    func rowsAreValues() {
        var rows = RowBytes()
        rows.append("a")
        var copy = rows
        copy.append(string: String(repeating: "b", count: 1000))
        rows.append("c")
        #expect(rows.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == "ac")
        #expect(copy.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == "a" + String(repeating: "b", count: 1000))
        var numbers = RowBytes()
        for number in [0, 7, -7, 10, 1_000_000, Int.max, Int.min] {
            numbers.append(number)
            numbers.append(" ")
        }
        #expect(numbers.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == "0 7 -7 10 1000000 \(Int.max) \(Int.min) ")
    }

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

import Foundation
import Testing

/// `switchboard report` as a reviewer runs it from a shell: by id or file, to stdout or a file,
/// with one clear line for each mistake, and exit 1 for a damaged log (whose report is still written).
@Suite("Reports from the command line")
struct ReportCommandTests {
    func sb(_ arguments: [String], _ dir: TemporaryDirectory, actor: String = "dana") throws -> CommandResult {
        try switchboard(arguments, in: dir.path, environment: ["SWITCHBOARD_STATE": dir.path + "/state", "USER": actor])
    }

    @Test("an incident from a shell, reported by id in every format; a damaged copy reported up to the damage, exit 1")
    func reports() throws {
        let dir = try TemporaryDirectory()
        let id = try sb(["incident", "open", "--title", "ISP primary down", "--severity", "sev2"], dir).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try sb(["note", "failover to ISP B started"], dir).status == 0)
        #expect(try sb(["note", "--actor", "lee", "carrier ticket 4471, ETA 2 h"], dir).status == 0)
        #expect(try sb(["incident", "milestone", "mitigated", "--at", "-1m"], dir).status == 0)
        #expect(try sb(["incident", "close", "--summary", "ISP A back"], dir).status == 0)

        let markdown = try sb(["report", id, "--format", "md"], dir)
        #expect(markdown.status == 0, "\(markdown.stderr)")
        #expect(markdown.stdout.hasPrefix("# Postmortem: ISP primary down"))
        #expect(markdown.stdout.contains("**Verified:** log intact: 6 records, head "))
        #expect(markdown.stdout.contains("| Time (UTC) | Event |") && markdown.stdout.contains("lee · note · carrier ticket 4471, ETA 2 h"))
        for (format, file) in [("html", "r.html"), ("csv", "r.csv"), ("json", "r.json"), ("ics214", "ics.html"), ("ics214", "ics.csv")] {
            let written = try sb(["report", id, "--format", format, "-o", file], dir)
            #expect(written.status == 0 && written.stdout.isEmpty, "\(format): \(written.stderr)")
            #expect(FileManager.default.fileExists(atPath: dir.path + "/" + file), "\(file)")
        }
        #expect(try String(contentsOfFile: dir.path + "/ics.csv", encoding: .utf8).hasPrefix("1. Incident Name,"))

        // A copy with a note edited: the report stops before it, says where, and the command exits 1.
        let log = dir.path + "/state/incidents/\(id).jsonl"
        let copy = dir.path + "/copy.jsonl"
        try String(contentsOfFile: log, encoding: .utf8).replacingOccurrences(of: "ETA 2 h", with: "ETA 3 h")
            .write(toFile: copy, atomically: true, encoding: .utf8)
        let damaged = try sb(["report", copy, "--format", "md", "-o", "damaged.md"], dir)
        #expect(damaged.status == 1)
        #expect(damaged.stderr.contains("switchboard: \(copy): TAMPERED or damaged at record 3: line 3: its hash does not match"))
        let text = try String(contentsOfFile: dir.path + "/damaged.md", encoding: .utf8)
        #expect(text.contains("NOT VERIFIED") && text.contains("covers records 1 to 2 only") && !text.contains("carrier ticket"))
    }

    @Test("mistakes are one line: an unknown id, a missing file, a format that is not one, an output that cannot be written")
    func mistakes() throws {
        let dir = try TemporaryDirectory()
        let unknown = try sb(["report", "20991231-0000-nothing", "--format", "md"], dir)
        #expect(unknown.status == 1 && unknown.stderr.contains("no incident '20991231-0000-nothing'"), "\(unknown.stderr)")
        let missing = try sb(["report", "/nowhere/log.jsonl", "--format", "md"], dir)
        #expect(missing.status == 1 && missing.stderr == "switchboard: no incident log at /nowhere/log.jsonl\n", "\(missing.stderr)")
        let id = try sb(["incident", "open", "--title", "t"], dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let format = try sb(["report", id, "--format", "pdf"], dir)
        #expect(format.status == 2 && format.stderr.contains("pdf"), "\(format.stderr)")
        let output = try sb(["report", id, "--format", "md", "-o", "/nowhere/report.md"], dir)
        #expect(output.status == 1 && output.stderr.hasPrefix("switchboard: cannot write /nowhere/report.md"), "\(output.stderr)")
        #expect(!output.stderr.contains("Fatal") && output.stderr.split(separator: "\n").count == 1)
    }
}

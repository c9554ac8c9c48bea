import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardReports
import SwitchboardStore

/// The figures a reviewer quotes, checked against values worked out by hand from the scripted
/// incident's times (`t0` + seconds), and a damaged log reported as such.
@Suite("Report figures")
struct ReportFiguresTests {
    static func report(of incident: ScriptedIncident) throws -> IncidentReport {
        let (text, _) = try incident.report(.json)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = TimeText.date(iso8601: text) else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: text)) }
            return date
        }
        return try decoder.decode(IncidentReport.self, from: Data(text.utf8))
    }

    @Test("milestones, durations, the queue's service, the cadence and the steps are the hand-computed ones")
    func handComputed() throws {
        let incident = try ScriptedIncident.write()
        defer { incident.remove() }
        let report = try Self.report(of: incident)
        func milestone(_ name: String) -> Date? { report.milestones.first { $0.name == name }?.at }
        func seconds(_ name: String) -> Double? { report.durations.first { $0.name == name }?.seconds }
        let at = ScriptedIncident.at
        // Impact: the UPS (which the power runbook triggers on) went on battery 30 s before the incident opened.
        #expect(milestone("impact-started") == at(-30))
        #expect(milestone("detected") == at(-30))
        #expect(milestone("acknowledged") == at(0))
        #expect(milestone("runbook-started") == at(20))
        // Mitigated was set at 280 s, then moved by an amendment to 270 s.
        #expect(milestone("mitigated") == at(270))
        #expect(report.milestones.first { $0.name == "mitigated" }?.source.contains("moved: the generator took the load") == true)
        #expect(milestone("resolved") == at(1700))
        #expect(seconds("time to detect") == 0)
        #expect(seconds("time to acknowledge") == 30)
        #expect(seconds("time to start the runbook") == 20)
        #expect(seconds("time to mitigate") == 300)
        #expect(seconds("time to resolve") == 1730)
        #expect(seconds("incident open") == 1800)
        #expect(report.durations.first { $0.name == "time to resolve" }?.meaning.contains("MTTR") == true)

        // The queue: under its 80 % target from 300 s to 600 s (ten readings, 30 s apart), at its lowest 72 % at 420 s.
        let sales = try #require(report.serviceLevels.first)
        #expect(sales.queue == "sales" && sales.target == 80)
        #expect(sales.lowestServiceLevel == 72 && sales.lowestAt == at(420))
        #expect(sales.minutesBelowTarget == 5)
        #expect(sales.peakWaiting == 9 && sales.peakAgentsShort == 3 && sales.readings == 51)

        // Clients: first update due 5 min after opening, sent 30 s late; the next due 20 min after it, sent 70 s late.
        #expect(report.comms.messages.map(\.lateBySeconds) == [30, 70])
        #expect(report.comms.messages.map(\.dueAt) == [at(300), at(1530)])
        #expect(report.comms.gaps.count == 2 && report.comms.gaps.allSatisfy(\.filled))
        #expect(report.comms.messages[0].text == "Dear client,\nour site runs on generator power; calls may wait longer.\n`ref 23` | Phoenix")

        let steps = try #require(report.runbooks.first?.steps)
        #expect(steps.map(\.outcome) == ["done", "timed out", "done", "done", "answered", "skipped"])
        #expect(steps[0].checkState == "holds" && steps[0].tookSeconds == 30)
        #expect(steps[1].overdue && steps[1].withinSeconds == 120 && steps[1].overdueBySeconds == 0)
        #expect(steps[4].answer == "no" && steps[4].why == "utility ETA 2 h")
        #expect(steps[5].reason == "the generator carries the load")

        #expect(report.incident.commanders.map(\.person) == ["alice", "bob"])
        #expect(report.handovers.first?.how == "console")
        #expect(report.sparesUsed.first?.item == "UPS battery module")
        #expect(report.openTodos.map(\.text) == ["refuel the generator"])
        // The survey is due three days after resolution; the review a week.
        #expect(report.followUps.map(\.due) == [at(1700 + 3 * 86_400), at(1700 + 7 * 86_400)])
    }

    @Test("a probe problem first shown after the incident was opened neither detected it nor dates its impact: derived anchors never run backwards, and are not made up")
    func problemAfterOpening() throws {
        let directory = StateDirectory(path: NSTemporaryDirectory() + "sb-report-\(UUID().uuidString)")
        let t0 = ScriptedIncident.t0
        let (state, log) = try directory.openIncident(title: "A client calls: callers hear silence", severity: .sev3, actor: "alice", at: t0)
        _ = try log.append(.probeChanged(StateChange(at: t0.addingTimeInterval(99), probeID: "isp-a", from: .ok, to: .critical, summary: "no reply"),
                                     actor: "alice", at: t0.addingTimeInterval(100)))
        let incident = ScriptedIncident(directory: directory, id: state.id)
        defer { incident.remove() }
        let report = try Self.report(of: incident)
        func milestone(_ name: String) -> IncidentReport.MilestoneTime? { report.milestones.first { $0.name == name } }
        #expect(milestone("detected")?.at == nil)
        #expect(milestone("detected")?.source.contains("no probe problem was logged before the incident opened") == true)
        #expect(milestone("acknowledged")?.at == t0)
        #expect(milestone("impact-started")?.at == nil)
        #expect(report.durations.first { $0.name == "time to acknowledge" }?.seconds == nil, "not known, never made up")
        #expect(report.durations.allSatisfy { ($0.seconds ?? 0) >= 0 }, "\(report.durations.map { "\($0.name) \(String(describing: $0.seconds))" })")
    }

    @Test("the csv reads back with Python's csv module: a header, the verification, one row per record")
    func csvReadsBack() throws {
        let incident = try ScriptedIncident.write()
        defer { incident.remove() }
        let path = incident.directory.path + "/timeline.csv"
        _ = try incident.report(.csv, to: path)
        let script = """
            import csv, json, sys
            rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
            assert rows[0] == ['seq', 'at', 'actor', 'role', 'kind', 'event', 'fields', 'hash'], rows[0]
            assert rows[1][4] == 'log.verification' and rows[1][5].startswith('log intact: 24 records'), rows[1]
            records = rows[2:]
            assert [int(r[0]) for r in records] == list(range(1, 25)), [r[0] for r in records]
            assert all(len(r) == 8 for r in rows)
            note = next(r for r in records if r[4] == 'note')
            assert note[5] == 'generator fuel 80% <ok> & holding', note
            sent = next(r for r in records if r[4] == 'comms.sent')
            assert json.loads(sent[6])['text'].endswith('`ref 23` | Phoenix'), sent[6]
            print(len(records))
            """
        let result = try run("/usr/bin/python3", ["-c", script, path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "24")
    }

    @Test("a tampered log is reported up to the damage, saying where, in every format")
    func tampered() throws {
        let incident = try ScriptedIncident.write()
        defer { incident.remove() }
        var lines = try String(contentsOfFile: incident.logPath, encoding: .utf8).components(separatedBy: "\n")
        // Record 9 is the spare used: one more taken from the shelf than was.
        #expect(lines[8].contains("spare.used"))
        lines[8] = lines[8].replacingOccurrences(of: "\"count\":1", with: "\"count\":2")
        try lines.joined(separator: "\n").write(toFile: incident.logPath, atomically: true, encoding: .utf8)
        // The after-action report is a drill's: AfterActionReportTests tamper with one.
        for format in ReportFormat.allCases where format != .aar {
            let (text, verification) = try incident.report(format)
            #expect(!verification.intact && verification.records == 8)
            #expect(text.contains("TAMPERED or damaged at record 9"), "\(format)")
            #expect(text.contains("covers records 1 to 8 only"), "\(format)")
        }
        let (markdown, _) = try incident.report(.md)
        #expect(markdown.contains("NOT VERIFIED"))
        #expect(!markdown.contains("spare.used") && markdown.contains("role.assigned"))
    }

    func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

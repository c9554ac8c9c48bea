import Foundation
import Mustache
import SwitchboardCore

/// `--format ics214`: FEMA's ICS 214 Activity Log, one form per person who logged anything,
/// from their records and the roles they held; printable HTML with pages numbered "ICS 214,
/// Page N", or, with `-o FILE.csv`, a CSV whose headers are the form's blocks, one row per activity.
struct ICS214Report: ReportFormatWriter {
    /// Activities on a form's first page, under blocks 1–6; and on each page after it.
    static let firstPageRows = 14
    static let pageRows = 32
    static let csvHeader = ["1. Incident Name", "2. Operational Period From (UTC)", "2. Operational Period To (UTC)", "3. Name",
                            "4. ICS Position", "5. Home Agency (and Unit)", "6. Resources Assigned", "7. Date/Time (UTC)",
                            "7. Notable Activities", "8. Prepared by"]

    let asCSV: Bool
    /// Each person's activities, a line each, as the log gives them: a table row of the form,
    /// or (for the CSV) its time and activity fields.
    private var activities: [String: Spool] = [:]

    init(asCSV: Bool) throws {
        self.asCSV = asCSV
        rows = { entry, rows in
            guard entry.kind != LogKind.readingsSealed, entry.kind != LogKind.repaired else { return }
            let activity = entry.kind == LogKind.note ? entry.event : EntryText("\(entry.kind): \(entry.event.string)")
            let actor = entry.actor
            if asCSV {
                rows[group: actor].append(dateTime: entry.time)
                rows[group: actor].append(",")
                rows[group: actor].append(activity, escaping: .csvField)
                rows[group: actor].append("\n")
            } else {
                ICS214Template.appendActivity(at: entry.time, text: activity, to: &rows[group: actor])
            }
        }
    }

    let spools = 0

    let rows: @Sendable (TimelineEntry, inout SliceRows) -> Void

    mutating func add(_ rows: SliceRows) throws {
        for (actor, activity) in rows.groups {
            if activities[actor] == nil { activities[actor] = try Spool() }
            try activities[actor]!.write(activity)
        }
    }

    func write(_ report: IncidentReport, to output: ReportOutput) throws {
        let incident = report.incident
        let period = (from: incident.openedAt, to: incident.closedAt ?? incident.lastRecordAt)
        let incidentName = "\(incident.title) (\(incident.id))"
        func agency(_ person: IncidentReport.Person) -> String {
            incident.site + (person.staffRole.map { " (\($0))" } ?? "")
        }
        func position(_ person: IncidentReport.Person) -> String {
            person.positions.isEmpty ? "no incident role" : person.positions.joined(separator: ", ")
        }
        let verification: [String: Any] = ["intact": report.verification.intact, "statement": report.verification.statement,
                                           "generator": report.report.generator, "incidentName": incidentName, "style": HTMLTemplate.style]
        if asCSV {
            try output.write(CSVTimeline.row(Self.csvHeader))
        } else {
            try output.write(Self.head.render(verification))
        }
        for (number, person) in report.people.enumerated() {
            // The commander's form lists everyone else who worked the incident as assigned to it.
            let commands = person.positions.contains("incident commander")
            let resources = commands ? report.people.filter { $0.name != person.name }.map { other in
                ["name": other.name, "position": position(other), "agency": agency(other)]
            } : []
            let header: [String: Any] = [
                "incidentName": incidentName, "incidentId": incident.id, "drill": incident.drill, "formNumber": number + 1,
                "dateFrom": String(ReportText.time(period.from).prefix(10)), "dateTo": String(ReportText.time(period.to).prefix(10)),
                "timeFrom": ReportText.clock(period.from), "timeTo": ReportText.clock(period.to),
                "name": person.name, "position": position(person), "agency": agency(person), "resources": resources,
                "prepared": ReportText.time(report.report.generatedAt),
            ]
            // The first page and the pages after it, rendered once each; every page fills one in.
            var firstContext = header, nextContext = header
            firstContext["first"] = true
            nextContext["first"] = false
            let firstPage = SpooledDocument.Frame(Self.page, context: firstContext, marks: ["page", "activities"])
            let nextPage = SpooledDocument.Frame(Self.page, context: nextContext, marks: ["page", "activities"])
            var pageRows: [UInt8] = []
            var rowCount = 0
            var page = 1
            // Each page is written as it fills: a long log never holds more than a page of activities.
            func flushPage() throws {
                try (page == 1 ? firstPage : nextPage).write(to: output) { mark in
                    if mark == "page" { try output.write(String(page)) } else { try pageRows.withUnsafeBytes { try output.write($0) } }
                }
                pageRows.removeAll(keepingCapacity: true)
                rowCount = 0
                page += 1
            }
            let resourceList = resources.map { "\($0["name"]!) (\($0["position"]!))" }.joined(separator: "; ")
            // A CSV row is the person's blocks, then the activity's time and text, then block 8.
            let csvStart = [incidentName, ReportText.time(period.from), ReportText.time(period.to), person.name,
                            position(person), agency(person), resourceList].map(Escape.csvField).joined(separator: ",") + ","
            let csvEnd = "," + Escape.csvField(person.name) + "\r\n"
            try activities[person.name]?.lines { line in
                if asCSV {
                    try output.write(csvStart)
                    try output.write(line)
                    try output.write(csvEnd)
                    return
                }
                pageRows.append(contentsOf: line)
                pageRows.append(UInt8(ascii: "\n"))
                rowCount += 1
                if rowCount == (page == 1 ? Self.firstPageRows : Self.pageRows) { try flushPage() }
            }
            if !asCSV, rowCount > 0 || page == 1 { try flushPage() }
        }
        if !asCSV { try output.write(Self.tail.render(verification)) }
    }

    static let head = SpooledDocument.template(ICS214Template.head)
    static let page = SpooledDocument.template(ICS214Template.page)
    static let tail = SpooledDocument.template(ICS214Template.tail)
}

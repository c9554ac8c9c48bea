import Foundation
import Mustache
import SwitchboardCore

/// `--format html`: one self-contained page, printable, with the swimlane picture and each
/// queue's service level against its target.
struct HTMLReport: ReportFormatWriter {
    private let timeline: Spool
    private let notes: Spool

    init() throws {
        timeline = try Spool()
        notes = try Spool()
    }

    let rows: @Sendable (TimelineEntry) -> [String] = { entry in
        guard entry.kind != LogKind.readingsSealed else { return [] }
        let time = entry.time
        return [HTMLTemplate.timelineRow(time: time, seq: entry.seq, actor: entry.actor, kind: entry.kind, event: entry.event),
                entry.kind == LogKind.note ? HTMLTemplate.noteLine(time: time, actor: entry.actor, event: entry.event) : ""]
    }

    mutating func add(_ entry: TimelineEntry, rows: [String]) throws {
        guard rows.count == 2 else { return }
        try timeline.write(rows[0])
        if !rows[1].isEmpty { try notes.write(rows[1]) }
    }

    func write(_ report: IncidentReport, to output: ReportOutput) throws {
        var context = ReportPresenter(report: report, escape: { $0 }).context
        let chart = TimelineChart(report)
        context["style"] = HTMLTemplate.style
        context["chart"] = chart.swimlanes(report)
        context["levelCharts"] = report.serviceLevels.filter { !$0.series.isEmpty }.map(chart.serviceLevel)
        try SpooledDocument.write(Self.document, context: context, spools: ["timelineRows": timeline, "noteLines": notes], to: output)
    }

    static let document = SpooledDocument.template(HTMLTemplate.document)
}

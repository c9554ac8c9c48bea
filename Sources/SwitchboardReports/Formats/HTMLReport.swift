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

    let spools = 2

    let rows: @Sendable (TimelineEntry, inout SliceRows) -> Void = { entry, rows in
        guard entry.kind != LogKind.readingsSealed else { return }
        HTMLTemplate.appendTimelineRow(entry, to: &rows[0])
        if entry.kind == LogKind.note { HTMLTemplate.appendNoteLine(entry, to: &rows[1]) }
    }

    mutating func add(_ rows: SliceRows) throws {
        try timeline.write(rows[0])
        try notes.write(rows[1])
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

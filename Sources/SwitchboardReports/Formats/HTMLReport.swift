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

    mutating func add(_ record: LogRecord) throws {
        guard record.kind != LogKind.readingsSealed else { return }
        let entry = TimelineEntry(record: record)
        let row: [String: Any] = ["time": entry.time, "seq": record.seq, "actor": entry.actor, "kind": record.kind, "event": entry.event]
        try timeline.write(Self.row.render(row))
        if record.kind == LogKind.note { try notes.write(Self.note.render(row)) }
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
    static let row = SpooledDocument.template(HTMLTemplate.timelineRow)
    static let note = SpooledDocument.template(HTMLTemplate.noteLine)
}

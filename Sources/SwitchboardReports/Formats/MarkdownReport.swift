import Foundation
import SwitchboardCore

/// `--format md`: the postmortem draft, after PagerDuty's template.
struct MarkdownReport: ReportFormatWriter {
    private let timeline: Spool
    private let notes: Spool

    init() throws {
        timeline = try Spool()
        notes = try Spool()
    }

    let rows: @Sendable (TimelineEntry) -> [String] = { entry in
        guard entry.kind != LogKind.readingsSealed else { return [] }
        return ["| \(entry.time) | \(Escape.markdownCell(entry.sentence)) |\n",
                entry.kind == LogKind.note ? "- \(entry.time) UTC, \(Escape.markdownCell(entry.actor)): \(Escape.markdownCell(entry.event))\n" : ""]
    }

    mutating func add(_ entry: TimelineEntry, rows: [String]) throws {
        guard rows.count == 2 else { return }
        try timeline.write(rows[0])
        if !rows[1].isEmpty { try notes.write(rows[1]) }
    }

    func write(_ report: IncidentReport, to output: ReportOutput) throws {
        try SpooledDocument.write(Self.template, context: ReportPresenter(report: report, escape: Escape.markdownCell).context,
                                  spools: ["timelineRows": timeline, "noteLines": notes], to: output)
    }

    static let template = SpooledDocument.template(MarkdownTemplate.document)
}

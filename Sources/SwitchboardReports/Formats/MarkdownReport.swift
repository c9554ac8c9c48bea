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

    let spools = 2

    let rows: @Sendable (TimelineEntry, inout SliceRows) -> Void = { entry, rows in
        guard entry.kind != LogKind.readingsSealed else { return }
        rows[0].append("| ")
        rows[0].append(dateTime: entry.time)
        rows[0].append(" | ")
        entry.appendSentence(to: &rows[0], escaping: .markdownCell)
        rows[0].append(" |\n")
        guard entry.kind == LogKind.note else { return }
        rows[1].append("- ")
        rows[1].append(dateTime: entry.time)
        rows[1].append(" UTC, ")
        rows[1].append(entry.actor, escaping: .markdownCell)
        rows[1].append(": ")
        rows[1].append(entry.event, escaping: .markdownCell)
        rows[1].append("\n")
    }

    mutating func add(_ rows: SliceRows) throws {
        try timeline.write(rows[0])
        try notes.write(rows[1])
    }

    func write(_ report: IncidentReport, to output: ReportOutput) throws {
        try SpooledDocument.write(Self.template, context: ReportPresenter(report: report, escape: Escape.markdownCell).context,
                                  spools: ["timelineRows": timeline, "noteLines": notes], to: output)
    }

    static let template = SpooledDocument.template(MarkdownTemplate.document)
}

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

    mutating func add(_ record: LogRecord) throws {
        guard record.kind != LogKind.readingsSealed else { return }
        let entry = TimelineEntry(record: record)
        try timeline.write("| \(entry.time) | \(Escape.markdownCell(entry.sentence)) |\n")
        if record.kind == LogKind.note {
            try notes.write("- \(entry.time) UTC, \(Escape.markdownCell(entry.actor)): \(Escape.markdownCell(entry.event))\n")
        }
    }

    func write(_ report: IncidentReport, to output: ReportOutput) throws {
        try SpooledDocument.write(Self.template, context: ReportPresenter(report: report, escape: Escape.markdownCell).context,
                                  spools: ["timelineRows": timeline, "noteLines": notes], to: output)
    }

    static let template = SpooledDocument.template(MarkdownTemplate.document)
}

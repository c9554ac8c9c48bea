import Foundation
import Mustache
import SwitchboardCore
import SwitchboardStore

/// The formats `switchboard report` writes.
public enum ReportFormat: String, Sendable, CaseIterable {
    case md, html, csv, json, ics214
}

/// One format's writer: it sees every record of the log in order (to stream what grows with
/// the log into spools), then writes the document around them.
protocol ReportFormatWriter {
    mutating func add(_ record: LogRecord) throws
    func write(_ report: IncidentReport, to output: ReportOutput) throws
}

/// Renders a document template whose context marks where spooled lines go, then writes the
/// document with each spool copied in at its mark: the document is a template, the streamed
/// rows never sit in memory.
enum SpooledDocument {
    static func mark(_ name: String) -> String { "\u{0}\(name)\u{0}" }

    static func write(_ template: MustacheTemplate, context: [String: Any], spools: [String: Spool], to output: ReportOutput) throws {
        var context = context
        for name in spools.keys { context[name] = mark(name) }
        var rest = Substring(template.render(context))
        while let start = rest.firstIndex(of: "\u{0}") {
            try output.write(String(rest[..<start]))
            let afterStart = rest.index(after: start)
            guard let end = rest[afterStart...].firstIndex(of: "\u{0}") else { break }
            let name = String(rest[afterStart..<end])
            if let spool = spools[name] { try output.write(spool) }
            rest = rest[rest.index(after: end)...]
        }
        try output.write(String(rest))
    }

    /// A template of this package: a mistake in one is a bug, found by the tests.
    static func template(_ text: String) -> MustacheTemplate {
        do { return try MustacheTemplate(string: text) } catch { preconditionFailure("a report template does not parse: \(error)") }
    }
}

/// One line of a timeline: who did what when, in the words of the log pane.
struct TimelineEntry {
    let record: LogRecord

    var time: String { ReportText.time(record.at) }
    var actor: String { Sanitizer.line(record.actor) }
    var role: String { Sanitizer.line(record.entry.role ?? "") }
    var event: String { RecordText.line(for: record.entry) }
    /// `alice (incident commander) · note · generator on load`.
    var sentence: String { "\(actor)\(role.isEmpty ? "" : " (\(role))") · \(record.kind) · \(event)" }
}

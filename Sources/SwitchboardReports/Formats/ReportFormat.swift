import Foundation
import Mustache
import SwitchboardCore
import SwitchboardStore

/// The formats `switchboard report` writes.
public enum ReportFormat: String, Sendable, CaseIterable {
    case md, html, csv, json, ics214
    /// A drill's after-action report.
    case aar
}

/// One format's writer. What it makes of each record (its rows, as bytes, for each of its
/// spools) is made on every core as the log is read and verified; then it gets each slice's
/// rows in file order, to append them to its spools; then it writes the document around them.
protocol ReportFormatWriter {
    /// How many spools its rows go to, by index (a format that groups its rows by key has none).
    var spools: Int { get }
    /// Adds an entry's rows: pure, run on several threads at once.
    var rows: @Sendable (TimelineEntry, inout SliceRows) -> Void { get }
    /// Takes a verified slice's rows, in file order.
    mutating func add(_ rows: SliceRows) throws
    /// Whether the writer gathers the entries themselves, in order (`add(_ entry:)`), besides their rows.
    var readsEntries: Bool { get }
    mutating func add(_ entry: TimelineEntry) throws
    func write(_ report: IncidentReport, to output: ReportOutput) throws
}

extension ReportFormatWriter {
    var readsEntries: Bool { false }
    mutating func add(_ entry: TimelineEntry) throws {}
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

    /// A template rendered once with marks where values go, to be filled in again and again
    /// (a form's pages): the engine renders the frame, the pages only fill it.
    struct Frame {
        private var pieces: [(text: String, mark: String?)] = []

        init(_ template: MustacheTemplate, context: [String: Any], marks: [String]) {
            var context = context
            for name in marks { context[name] = SpooledDocument.mark(name) }
            var rest = Substring(template.render(context))
            while let start = rest.firstIndex(of: "\u{0}") {
                let afterStart = rest.index(after: start)
                guard let end = rest[afterStart...].firstIndex(of: "\u{0}") else { break }
                pieces.append((String(rest[..<start]), String(rest[afterStart..<end])))
                rest = rest[rest.index(after: end)...]
            }
            pieces.append((String(rest), nil))
        }

        /// Writes the frame, `fill` writing what goes at each mark.
        func write(to output: ReportOutput, _ fill: (_ mark: String) throws -> Void) throws {
            for piece in pieces {
                try output.write(piece.text)
                if let mark = piece.mark { try fill(mark) }
            }
        }
    }

    /// A template of this package: a mistake in one is a bug, found by the tests.
    static func template(_ text: String) -> MustacheTemplate {
        do { return try MustacheTemplate(string: text) } catch { preconditionFailure("a report template does not parse: \(error)") }
    }
}

/// One record as the timeline of every format reads it: who did what when, in the words of the
/// log pane, with the record's own fields and hash for the formats that keep everything.
struct TimelineEntry: Sendable {
    let seq: Int
    let at: Date
    let actor: String
    let role: String
    let kind: String
    let drill: Bool
    let event: String
    let hash: RecordHash
    /// The record's own fields; nil for a note read straight from its line, whose one field is its text.
    private let ownFields: [String: JSONValue]?
    private let noteText: String

    init(_ record: LogRecord) {
        seq = record.seq
        at = record.at
        actor = Sanitizer.line(record.actor)
        role = Sanitizer.line(record.entry.role ?? "")
        kind = record.kind
        drill = record.entry.drill
        event = RecordText.line(for: record.entry)
        ownFields = record.entry.fields
        noteText = ""
        hash = RecordHash(hex: record.hash) ?? .genesis
    }

    init(_ note: TextRecord) {
        seq = note.seq
        at = note.at
        actor = Sanitizer.line(note.actor)
        role = Sanitizer.line(note.role ?? "")
        kind = note.kind
        drill = note.drill
        event = Sanitizer.line(note.text)
        ownFields = nil
        noteText = note.text
        hash = note.hash
    }

    var fields: [String: JSONValue] { ownFields ?? ["text": .string(noteText)] }
    var hasFields: Bool { ownFields.map { !$0.isEmpty } ?? true }

    /// The record's own fields as one JSON object, keys sorted; `{}` for none.
    func appendFields(to row: inout RowBytes) {
        guard let ownFields else {
            row.append(#"{"text":"#)
            row.append(noteText, escaping: .json)
            return row.append("}")
        }
        JSONTimeline.append(object: ownFields, to: &row)
    }

    var time: String { ReportText.time(at) }

    /// `alice (incident commander) · note · generator on load`, escaped in `style`.
    func appendSentence(to row: inout RowBytes, escaping style: Escape.Style) {
        row.append(actor, escaping: style)
        if !role.isEmpty {
            row.append(" (")
            row.append(role, escaping: style)
            row.append(")")
        }
        row.append(" · ")
        row.append(kind, escaping: style)
        row.append(" · ")
        row.append(event, escaping: style)
    }
}

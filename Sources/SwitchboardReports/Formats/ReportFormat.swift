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
    let time: EntryTime
    let actor: EntryText
    let role: EntryText
    let kind: String
    let drill: Bool
    let event: EntryText
    let hash: RecordHash
    /// The record's own fields; nil for a note, whose one field is its text.
    private let ownFields: [String: JSONValue]?
    private let noteText: EntryText

    var at: Date { time.date }

    init(_ record: LogRecord) {
        seq = record.seq
        time = EntryTime(record.at)
        actor = EntryText(Sanitizer.line(record.actor))
        role = EntryText(Sanitizer.line(record.entry.role ?? ""))
        kind = record.kind
        drill = record.entry.drill
        event = EntryText(RecordText.line(for: record.entry))
        ownFields = record.entry.fields
        noteText = EntryText("")
        hash = RecordHash(hex: record.hash) ?? .genesis
    }

    init(_ note: TextRecord) {
        seq = note.seq
        time = EntryTime(note.at)
        actor = EntryText(Sanitizer.line(note.actor))
        role = EntryText(Sanitizer.line(note.role ?? ""))
        kind = note.kind
        drill = note.drill
        event = EntryText(Sanitizer.line(note.text))
        ownFields = nil
        noteText = EntryText(note.text)
        hash = note.hash
    }

    /// A note read in place, from where its link's scan found its values, for the worker
    /// reading its line: when its words are printable ASCII (nothing for the sanitizer to
    /// change) and its time is written as the log writes times. Nil for any other note.
    init?(note line: UnsafeBufferPointer<UInt8>, link: ChainLink) {
        func printable(_ range: Range<Int>) -> EntryText? {
            let bytes = UnsafeBufferPointer(rebasing: line[range])
            guard bytes.isEmpty || memchr(bytes.baseAddress!, 0x7F, bytes.count) == nil else { return nil }
            return EntryText(inLine: bytes)
        }
        guard let values = link.noteValues, let time = EntryTime(written: UnsafeBufferPointer(rebasing: line[values.at])),
              let actor = printable(values.actor), let text = printable(values.text) else { return nil }
        let role = values.role.map(printable) ?? EntryText("")
        guard let role else { return nil }
        seq = link.seq
        self.time = time
        self.actor = actor
        self.role = role
        kind = link.kind
        drill = values.drill
        event = text
        ownFields = nil
        noteText = text
        hash = link.hash
    }

    var fields: [String: JSONValue] { ownFields ?? ["text": .string(noteText.string)] }
    var hasFields: Bool { ownFields.map { !$0.isEmpty } ?? true }

    /// The record's own fields as one CSV field: their JSON object, quoted, its quotes doubled.
    func appendFieldsAsCSVField(to row: inout RowBytes) {
        if ownFields == nil, let text = noteText.asJSONString {
            // Nothing in the text to double.
            row.append(#""{""text"":"""#)
            row.append(bytes: text)
            return row.append(#"""}""#)
        }
        var fields = RowBytes()
        appendFields(to: &fields)
        row.append(fields, escaping: .csvField)
    }

    /// The record's own fields as one JSON object, keys sorted; `{}` for none.
    func appendFields(to row: inout RowBytes) {
        guard let ownFields else {
            row.append(#"{"text":"#)
            row.append(noteText, escaping: .json)
            return row.append("}")
        }
        JSONTimeline.append(object: ownFields, to: &row)
    }

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

/// When an entry's record was written; for a note read in place, also the time as its line
/// writes it, which rows then copy rather than write again from the date (the line's time
/// is one the log writes, checked in reading it: the bytes are what the date would write).
struct EntryTime: @unchecked Sendable {
    let date: Date
    /// `2026-11-23T20:54:01.123Z` or `2026-11-23T20:54:01Z`, in the line read in place.
    private let written: UnsafeBufferPointer<UInt8>?

    init(_ date: Date) {
        self.date = date
        written = nil
    }

    /// The time of a line read in place, if it is written as the log writes times.
    init?(written bytes: UnsafeBufferPointer<UInt8>) {
        guard let date = TimeText.writtenTime(bytes) else { return nil }
        self.date = date
        written = bytes
    }

    /// `2026-11-23 20:54:01`.
    func write(dateTime row: inout RowBytes) {
        guard let written else { return row.append(dateTime: date) }
        row.append(bytes: UnsafeBufferPointer(rebasing: written[..<10]))
        row.append(" ")
        row.append(bytes: UnsafeBufferPointer(rebasing: written[11..<19]))
    }

    /// `2026-11-23T20:54:01.123Z`.
    func write(iso8601 row: inout RowBytes) {
        guard let written else { return row.append(iso8601: date) }
        if written.count == 24 { return row.append(bytes: written) }
        row.append(bytes: UnsafeBufferPointer(rebasing: written[..<19]))
        row.append(".000Z")
    }
}

/// A text of a timeline entry: a string, or, for a note read in place, its bytes in the log
/// line (printable ASCII: nothing to clean or check), valid only while the worker reads that
/// line. Rows append either without making a string.
struct EntryText: @unchecked Sendable {
    private enum Text {
        case owned(String)
        case inLine(UnsafeBufferPointer<UInt8>)
    }

    private let text: Text

    init(_ text: String) {
        self.text = .owned(text)
    }

    init(inLine bytes: UnsafeBufferPointer<UInt8>) {
        text = .inLine(bytes)
    }

    var isEmpty: Bool {
        switch text {
        case .owned(let string): string.isEmpty
        case .inLine(let bytes): bytes.isEmpty
        }
    }

    /// The text's bytes when they are, as they stand, the inside of a JSON string: a text read
    /// in place is printable ASCII without quotes or backslashes (as its line holds it).
    var asJSONString: UnsafeBufferPointer<UInt8>? {
        if case .inLine(let bytes) = text { bytes } else { nil }
    }

    /// The text as a string (made, for a note read in place).
    var string: String {
        switch text {
        case .owned(let string): string
        case .inLine(let bytes): String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Whether the text is `name`, byte for byte.
    func spells(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { name in
            withUTF8 { name.count == $0.count && (name.isEmpty || memcmp(name.baseAddress!, $0.baseAddress!, name.count) == 0) }
        }
    }

    func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        switch text {
        case .owned(var string): try string.withUTF8(body)
        case .inLine(let bytes): try body(bytes)
        }
    }
}

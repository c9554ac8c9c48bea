import Foundation
import SwitchboardCore
import SwitchboardStore

/// `switchboard report`: reads an incident's log once, verifying it as it goes (the report
/// covers the records before any damage, and says so), then its consoles' readings journals,
/// and writes one format. What grows with the log is streamed through spools, so a log of a
/// million records is reported in bounded memory.
public enum IncidentReporter {
    public struct Options: Sendable {
        public var format: ReportFormat
        /// nil: standard output.
        public var outputPath: String?
        public var generatedAt: Date
        public var generator: String
        /// Finds the scenario a drill played, by the id and file its log names: the after-action
        /// report scores the expectations it holds.
        public var scenario: @Sendable (_ id: String, _ file: String) -> DrillScenario?

        public init(format: ReportFormat, outputPath: String?, generatedAt: Date, generator: String,
                    scenario: @escaping @Sendable (_ id: String, _ file: String) -> DrillScenario? = { _, _ in nil }) {
            self.format = format
            self.outputPath = outputPath
            self.generatedAt = generatedAt
            self.generator = generator
            self.scenario = scenario
        }

        /// ICS 214 as a CSV with the form's block names as headers: when the output is a `.csv` file.
        var ics214AsCSV: Bool { outputPath?.lowercased().hasSuffix(".csv") ?? false }
        /// The after-action report as a page: when the output is an `.html` file.
        var aarAsHTML: Bool { outputPath.map { $0.lowercased().hasSuffix(".html") || $0.lowercased().hasSuffix(".htm") } ?? false }
    }

    /// Writes the report of the log at `logPath`; returns what verification found (the report
    /// is written for a damaged log too, up to the damage, saying so). Fails with one line for a
    /// log with no record to report on, or an output that cannot be written.
    @discardableResult
    public static func write(logPath: String, site: ReportSite, options: Options) throws -> IncidentReport.Verification {
        // Opened first: an output that cannot be written is said before the log is read, and
        // a format may stream into it as the log is read.
        let output = try ReportOutput(path: options.outputPath)
        var writer = try makeWriter(options, output: output)
        var builder = ReportBuilder(site: site)
        var seals: [ReadingsVerification.SealRecord] = []
        let rows = writer.rows, spools = writer.spools, keepEntries = writer.readsEntries, buffers = RowBuffers()
        let log = try LogVerification.verify(path: logPath, seal: { seals.append($0) }, batch: {
            ReadBatch(rows: SliceRows(spools: spools, buffers: buffers))
        }, prepare: { batch, line, link in
            // A note is read in place where it can be (its rows written from its line's bytes),
            // else straight from its bytes; any other record whole. Entries kept for the
            // caller must own their words.
            if !keepEntries, let note = TimelineEntry(note: line, link: link) {
                batch.addNote(by: batch.name(note.actor), role: note.role.isEmpty ? nil : batch.name(note.role), at: note.at)
                rows(note, &batch.rows)
                return
            }
            let entry: TimelineEntry
            if let note = HashChain.note(bytes: line, link: link) {
                entry = TimelineEntry(note)
                batch.addNote(by: note.actor, role: note.role, at: note.at)
            } else if let record = HashChain.record(bytes: line, link: link) {
                entry = TimelineEntry(record)
                batch.add(record)
            } else {
                return
            }
            rows(entry, &batch.rows)
            if keepEntries { batch.entries.append(entry) }
        }, batches: { batch in
            for record in batch.all {
                switch record {
                case .notes(let run): builder.add(notes: run.count, by: run.actor, role: run.role, from: run.first, until: run.last)
                case .record(let record): builder.add(record)
                }
            }
            for entry in batch.entries { try writer.add(entry) }
            try writer.add(batch.rows)
            buffers.giveBack(batch.rows)
        })
        let readings = ReadingsVerification.verify(logPath: logPath, seals: seals)
        let lastRecordAt = builder.lastRecordAt ?? .distantFuture
        try readJournals(of: logPath, into: &builder, until: lastRecordAt)
        let verification = Self.verification(log, readings: readings)
        guard let report = builder.finish(verification: verification, generatedAt: options.generatedAt, generator: options.generator) else {
            throw StoreError("\(logPath): \(log == .empty ? "the log holds no record" : "no incident.opened record to report from"): \(verification.statement)")
        }
        try writer.write(report, to: output)
        try output.finish()
        return verification
    }

    /// What a worker made of a slice of the log: its records (notes read straight from their
    /// bytes), their rows in the format being written, and their entries if the format reads them.
    private struct ReadBatch: Sendable {
        enum Record: Sendable {
            case notes(NotesRun)
            /// Any other record (few), boxed: the notes' array of a slice stays small.
            indirect case record(LogRecord)
        }

        /// Notes in a row by one person in one role (their words are in the rows): how many,
        /// and when the first and the last were written.
        struct NotesRun: Sendable {
            var actor: String
            var role: String?
            var count: Int
            var first: Date
            var last: Date
        }

        private var records: [Record] = []
        /// The notes being counted: the last of the records.
        private var run: NotesRun?
        var rows: SliceRows
        var entries: [TimelineEntry] = []
        /// The names last made of notes' actors and roles: the same few, line after line.
        private var names: [String] = []

        init(rows: SliceRows) {
            self.rows = rows
        }

        /// The records, in order.
        var all: [Record] { run.map { records + [.notes($0)] } ?? records }

        mutating func add(_ record: LogRecord) {
            if let run { records.append(.notes(run)) }
            run = nil
            records.append(.record(record))
        }

        /// Counts a note in with the notes before it when the same person wrote them in the same role.
        mutating func addNote(by actor: String, role: String?, at: Date) {
            if run?.actor == actor, run?.role == role {
                run?.count += 1
                run?.last = at
                return
            }
            if let run { records.append(.notes(run)) }
            run = NotesRun(actor: actor, role: role, count: 1, first: at, last: at)
        }

        /// A name as a string, the same string each time it recurs.
        mutating func name(_ text: EntryText) -> String {
            if let known = names.first(where: text.spells) { return known }
            let name = text.string
            if names.count == 8 { names.removeFirst() }
            names.append(name)
            return name
        }
    }

    private static func makeWriter(_ options: Options, output: ReportOutput) throws -> any ReportFormatWriter {
        switch options.format {
        case .md: try MarkdownReport()
        case .html: try HTMLReport()
        case .csv: try CSVTimeline()
        case .json: JSONReport(streamingTo: output)
        case .ics214: try ICS214Report(asCSV: options.ics214AsCSV)
        case .aar: AfterActionReport(asHTML: options.aarAsHTML, lookup: options.scenario)
        }
    }

    /// The consoles' readings, as far as the report goes: the service levels, and what each
    /// probe showed when the first console began.
    private static func readJournals(of logPath: String, into builder: inout ReportBuilder, until end: Date) throws {
        let recording = IncidentRecording(logPath: logPath)
        for (index, journal) in recording.journals.enumerated() {
            var reader = journal
            var actor = ""
            do {
                try reader.readNew { line in
                    switch line {
                    case .header(let header): actor = header.actor
                    case .snapshot(let snapshot): builder.add(snapshot: snapshot)
                    case .reading(let reading): if reading.at <= end { builder.add(reading: reading, journal: index, actor: actor) }
                    }
                }
            } catch {
                // A journal that cannot be read is named in the verification statement; the rest stands.
                continue
            }
        }
    }

    /// What verification found, in the report's words.
    static func verification(_ log: LogVerification, readings: ReadingsVerification) -> IncidentReport.Verification {
        var result: IncidentReport.Verification
        switch log {
        case .intact(let records, let head):
            result = .init(status: "intact", intact: true, records: records, head: head, problem: nil, readings: "",
                           statement: "log intact: \(records) records, head \(head)")
        case .missingFinalNewline(let records, let head):
            result = .init(status: "missing-final-newline", intact: true, records: records, head: head,
                           problem: "the last record lacks its final newline (not tampering)", readings: "",
                           statement: "log intact: \(records) records, head \(head); the last lacks its final newline (not tampering)")
        case .truncatedTail(let records, let bytes):
            result = .init(status: "truncated-tail", intact: true, records: records, head: nil,
                           problem: "a partial last line of \(bytes) bytes (a crash while writing, or still being written)", readings: "",
                           statement: "log intact up to a partial last line (\(bytes) bytes, not reported): \(records) records")
        case .tampered(let intact, let problem):
            result = .init(status: "tampered", intact: false, records: intact, head: nil, problem: problem, readings: "",
                           statement: "TAMPERED or damaged at record \(intact + 1): \(problem) · this report covers records 1 to \(intact) only")
        case .recordsAfterClose(let records, let problem):
            result = .init(status: "records-after-close", intact: false, records: records, head: nil, problem: problem, readings: "",
                           statement: "DAMAGED: \(problem)")
        case .empty:
            result = .init(status: "empty", intact: false, records: 0, head: nil, problem: "the log holds no record", readings: "",
                           statement: "the log holds no record")
        }
        if let problem = readings.problems.first {
            result.intact = false
            result.readings = "readings TAMPERED or damaged: \(problem)" + (readings.problems.count > 1 ? " (and \(readings.problems.count - 1) more)" : "")
        } else if readings.journals.isEmpty {
            result.readings = "no readings journal: service levels are not known"
        } else {
            let sealed = readings.journals.reduce(0) { $0 + $1.sealedReadings }
            result.readings = "readings intact: \(readings.journals.count) journal\(readings.journals.count == 1 ? "" : "s"), \(sealed) readings sealed"
        }
        result.statement += " · " + result.readings
        return result
    }
}

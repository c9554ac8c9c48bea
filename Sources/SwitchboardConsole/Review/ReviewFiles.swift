import Foundation
import SwitchboardCore
import SwitchboardStore
import TerminalUI

/// The files a review reads, and how far it has read them: an incident's log and the readings
/// journals beside it, opened read-only and never locked, so a copy on read-only media and a
/// log a live console is still writing open alike.
public struct ReviewFiles: Sendable {
    /// The site the consoles ran: their probes (for the panes) and runbooks.
    public struct Site: Sendable {
        public var name: String
        public var isDemo: Bool
        public var specs: [ProbeSpec]
        public var library: SiteLibrary

        public init(name: String, isDemo: Bool, specs: [ProbeSpec], library: SiteLibrary) {
            self.name = name
            self.isDemo = isDemo
            self.specs = specs
            self.library = library
        }
    }

    private var recording: IncidentRecording
    /// The journal each replay reads, by index into the recording's journals; nil for the replay
    /// from the log alone.
    private var journalOfReplay: [Int?]

    /// Verifies the log at `logPath`, reads it and its journals, and opens the review at
    /// `instant` (the end without it). Fails with one line for a log that cannot be read or
    /// holds no record, and for an `asActor` whose console journaled nothing.
    public static func open(logPath: String, site: Site, size: Size, asActor: String?, at instant: Date?,
                            keyframeSpacing: Int = ConsoleReplay.defaultKeyframeSpacing) throws -> (ReviewFiles, Review) {
        let verification = try IncidentVerification.verify(path: logPath)
        var recording = IncidentRecording(logPath: logPath)
        let records = try recording.log.readNew()
        guard !records.isEmpty else {
            throw StoreError("\(logPath): \(recording.log.damage.map { "the first record is damaged: \($0)" } ?? "the log holds no record")")
        }
        var replays: [ConsoleReplay] = []
        var journalOfReplay: [Int?] = []
        var journalProblems: [String] = []
        for index in recording.journals.indices {
            var snapshot: SiteSnapshot?
            var readings: [ProbeResult] = []
            do {
                try recording.journals[index].readNew { line in
                    switch line {
                    case .snapshot(let read): snapshot = read
                    case .reading(let reading): readings.append(reading)
                    case .header: break
                    }
                }
            } catch {
                journalProblems.append("\(error)")
                continue
            }
            let reader = recording.journals[index]
            if let damage = reader.damage { journalProblems.append(damage) }
            guard let header = reader.header else { continue }
            let contents = JournalContents(name: reader.path, header: header, snapshot: snapshot, readings: readings, tornBytes: 0)
            guard let replay = ConsoleReplay(records: records, journal: contents, siteName: site.name, isDemo: site.isDemo,
                                             specs: site.specs, library: site.library, size: size, keyframeSpacing: keyframeSpacing)
            else { continue }
            replays.append(replay)
            journalOfReplay.append(index)
        }
        if let asActor, !replays.contains(where: { $0.console?.actor == asActor }) {
            let actors = Set(replays.compactMap { $0.console?.actor }).sorted()
            throw StoreError("no console of '\(asActor)' recorded readings for this incident"
                             + (actors.isEmpty ? " (no console did)" : "; consoles: \(actors.joined(separator: ", "))"))
        }
        var integrity = Self.integrity(verification, journalProblems: journalProblems)
        if replays.isEmpty, let fromLog = ConsoleReplay(records: records, siteName: site.name, isDemo: site.isDemo, specs: site.specs,
                                                        library: site.library, size: size, keyframeSpacing: keyframeSpacing) {
            replays = [fromLog]
            journalOfReplay = [nil]
            integrity.text += " · no readings journal: panes rebuilt from probe changes in the log; values and sparklines are not available"
        }
        guard let review = Review(replays: replays, records: records, integrity: integrity, asActor: asActor, at: instant, size: size)
        else { throw StoreError("\(logPath): nothing to replay") }
        return (ReviewFiles(recording: recording, journalOfReplay: journalOfReplay), review)
    }

    /// What was written since the last read: new records, and new readings by replay.
    public mutating func readNew() throws -> (records: [LogRecord], readings: [[ProbeResult]]) {
        let records = try recording.log.readNew()
        var readings: [[ProbeResult]] = []
        for journal in journalOfReplay {
            var added: [ProbeResult] = []
            if let journal {
                try recording.journals[journal].readNew { line in
                    if case .reading(let reading) = line { added.append(reading) }
                }
            }
            readings.append(added)
        }
        return (records, readings)
    }

    /// The folders whose files the review follows: the log's, and its readings folder.
    public var watchedFolders: [String] {
        [(recording.log.path as NSString).deletingLastPathComponent, IncidentRecording.journalFolder(ofLog: recording.log.path)]
    }

    /// The banner: intact with the head hash, or what is wrong and from which record.
    static func integrity(_ verification: IncidentVerification, journalProblems: [String]) -> Review.Integrity {
        var problem = false
        var text: String
        switch verification.log {
        case .intact(let records, let head):
            text = "verified: log intact, \(records) records, head \(head.prefix(16))"
        case .missingFinalNewline(let records, let head):
            text = "verified: \(records) records intact, head \(head.prefix(16)); the last lacks its newline (not tampering)"
        case .truncatedTail(let records, let bytes):
            text = "verified: \(records) records intact; a partial last line (\(bytes) bytes, being written or torn by a crash) is not shown"
        case .tampered(let intact, let reason):
            problem = true
            text = "TAMPERED or damaged at record \(intact + 1): \(reason) · shown up to record \(intact)"
        case .recordsAfterClose(_, let reason):
            problem = true
            text = "DAMAGED: \(reason)"
        case .empty:
            problem = true
            text = "the log holds no record"
        }
        let readingProblems = verification.readings.problems + journalProblems
        if let first = readingProblems.first {
            problem = true
            text += " · readings: \(first)" + (readingProblems.count > 1 ? " (and \(readingProblems.count - 1) more)" : "")
        } else if !verification.readings.journals.isEmpty {
            text += " · readings intact"
        }
        return Review.Integrity(text: text, isProblem: problem)
    }
}

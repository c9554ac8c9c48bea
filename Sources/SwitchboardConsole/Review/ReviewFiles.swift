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

    /// Verifies the log at `logPath`, reads its records and where each journal's console began,
    /// and opens the review at the start (or `instant`, once read that far). The readings are
    /// read by the returned job, on another thread: the console shows at once, whatever the
    /// incident's length. Fails with one line for a log that cannot be read or holds no record,
    /// and for an `asActor` whose console journaled nothing.
    public static func open(logPath: String, site: Site, size: Size, asActor: String?, at instant: Date?,
                            keyframeSpacing: Int = ConsoleReplay.defaultKeyframeSpacing) throws -> (Review, ReviewLoading) {
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
            do {
                // Who wrote it and what it held when it began: the readings come later.
                try recording.journals[index].readNew(limit: 2) { line in
                    if case .snapshot(let read) = line { snapshot = read }
                }
            } catch {
                journalProblems.append("\(error)")
                continue
            }
            let reader = recording.journals[index]
            if let damage = reader.damage { journalProblems.append(damage) }
            guard let header = reader.header else { continue }
            let contents = JournalContents(name: reader.path, header: header, snapshot: snapshot, readings: [], tornBytes: 0)
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
        let loading = ReviewLoading(files: ReviewFiles(recording: recording, journalOfReplay: journalOfReplay), replays: replays,
                                    expectedEnd: records[records.count - 1].at)
        guard let review = Review(replays: replays, records: records, integrity: integrity, asActor: asActor, at: instant, size: size,
                                  loading: loading.replaysToRead)
        else { throw StoreError("\(logPath): nothing to replay") }
        return (review, loading)
    }

    /// Opens the review and reads all of its readings before returning: for tests and benchmarks,
    /// which want the whole incident at hand.
    public static func openRead(logPath: String, site: Site, size: Size, asActor: String?, at instant: Date?,
                                keyframeSpacing: Int = ConsoleReplay.defaultKeyframeSpacing) throws -> (ReviewFiles, Review) {
        var (review, loading) = try open(logPath: logPath, site: site, size: size, asActor: asActor, at: instant,
                                         keyframeSpacing: keyframeSpacing)
        var files: ReviewFiles?
        loading.run { load in
            review.loaded(load)
            if case .finished(let read, _) = load { files = read }
        }
        guard let files else { throw StoreError("\(logPath): the readings were not read") }
        return (files, review)
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

    /// Reads the readings of one replay's journal, handing the replay over every `batch`
    /// readings; returns the problems met.
    fileprivate mutating func read(_ replayIndex: Int, into replay: inout ConsoleReplay, batch size: Int,
                                   _ progress: (ConsoleReplay, Date) -> Void) -> [String] {
        guard let journal = journalOfReplay[replayIndex] else { return [] }
        var batch: [ProbeResult] = []
        batch.reserveCapacity(size)
        var problems: [String] = []
        func handOver(_ replay: inout ConsoleReplay) {
            guard let last = batch.last?.at else { return }
            replay.append(records: [], readings: batch)
            batch.removeAll(keepingCapacity: true)
            progress(replay, last)
        }
        do {
            try recording.journals[journal].readNew { line in
                guard case .reading(let reading) = line else { return }
                batch.append(reading)
                if batch.count >= size { handOver(&replay) }
            }
        } catch {
            problems.append("\(error)")
        }
        if let damage = recording.journals[journal].damage { problems.append(damage) }
        handOver(&replay)
        return problems
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

/// What `ReviewFiles.open` leaves to read: every reading of every journal, folded into its
/// replay's keyframes as it is read. Run on a thread of its own; each batch of readings read
/// comes back as a `.read`, then the files as far as they were read come back as `.finished`.
public struct ReviewLoading: Sendable {
    /// Readings folded in between hand-overs: each hand-over lets the review show more.
    public static let batchSize = 50_000

    fileprivate var files: ReviewFiles
    fileprivate var replays: [ConsoleReplay]
    /// The incident's last record: how far the readings are expected to go, for the progress shown.
    fileprivate let expectedEnd: Date

    /// The folders the review follows once the readings are read.
    public var watchedFolders: [String] { files.watchedFolders }

    /// The replays that have readings to read.
    var replaysToRead: Set<Int> { Set(files.journalOfReplayIndices) }

    public consuming func run(_ post: (ReviewLoad) -> Void) {
        var problems: [String] = []
        for index in replays.indices {
            var replay = replays[index]
            let start = replay.startsAt
            let expected = max(1, expectedEnd.timeIntervalSince(start))
            problems += files.read(index, into: &replay, batch: Self.batchSize) { replay, readUntil in
                post(.read(replay: index, replay, until: readUntil, fraction: min(1, readUntil.timeIntervalSince(start) / expected)))
            }
            post(.read(replay: index, replay, until: .distantFuture, fraction: 1))
        }
        post(.finished(files, problems: problems))
    }
}

/// A step of `ReviewLoading`: a replay with more readings in it, or the end of the reading.
public enum ReviewLoad: Sendable {
    /// Replay `replay` now holds the readings until `until` (`distantFuture` when all are read).
    case read(replay: Int, ConsoleReplay, until: Date, fraction: Double)
    /// Every journal read: the files as far as they were read (to follow them from there), and
    /// any damage met in the journals.
    case finished(ReviewFiles, problems: [String])
}

extension ReviewFiles {
    fileprivate var journalOfReplayIndices: [Int] { journalOfReplay.indices.filter { journalOfReplay[$0] != nil } }
}

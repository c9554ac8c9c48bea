import Foundation
import SwitchboardCore
import TerminalUI

/// A recorded incident being reviewed: the console as it was at the cursor instant, and where
/// the reviewer stands in time. The console's state is a replay's (the same reducer, folded
/// from the files); only the viewer (focus, selections, details open) is the reviewer's, and it
/// is kept as the cursor moves. Pure: keys and elapsed time in, state out; nothing is written.
public struct Review: Sendable {
    /// What the log's verification found, for the banner and the footer.
    public struct Integrity: Sendable, Equatable {
        /// The banner: intact with the head hash, or what is damaged and where.
        public var text: String
        /// Tampered or damaged: red, and marked in the footer for as long as the review runs.
        public var isProblem: Bool

        public init(text: String, isProblem: Bool) {
            self.text = text
            self.isProblem = isProblem
        }
    }

    /// The fastest playback: an 8-hour incident in under 8 minutes.
    public static let maximumSpeed = 64

    public internal(set) var replays: [ConsoleReplay]
    /// The incident's records, in order (as far as they are intact).
    public internal(set) var records: [LogRecord]
    public internal(set) var markers: [ReviewMarker]
    /// Who was incident commander from when, oldest first.
    private var commanders: [(at: Date, name: String)]
    /// Whose console to replay (`--as`); nil follows the incident commander of the moment.
    public let asActor: String?
    public internal(set) var integrity: Integrity
    /// The replays whose journals are still being read, with how far they have been read:
    /// the cursor goes no further until they are read.
    public internal(set) var readingsUntil: [Int: Date] = [:]
    /// How much of the readings has been read, while they are being read.
    public internal(set) var readingProgress: Double?
    /// Where the reviewer asked to go, past what is read yet: gone to once it is read.
    private var wanted: Date?

    /// The cursor: the instant the console is shown at.
    public internal(set) var instant: Date
    public internal(set) var playing = false
    public internal(set) var speed = 1
    /// The replayed console's state at the cursor, with the reviewer's viewer.
    public internal(set) var shown: ConsoleState
    /// The `t` prompt, while a time is being typed.
    public internal(set) var timePrompt: TextInput?
    /// The keys, while `?` shows them.
    public internal(set) var help: Scroll?
    /// A line for the footer until the next key.
    public internal(set) var hint: String?
    /// The banner slot holds the verification until Esc hides it; then the notices the console
    /// showed at the cursor (an incident closed, with its last hash), but one the reviewer hid.
    var verificationShown = true
    var hiddenNotice: String?
    public internal(set) var quitRequested = false

    /// `replays` are one per console that journaled readings (or one from the log alone);
    /// `records` the incident's log; `loading` the replays whose readings are still to come
    /// (`loaded(_:)`). Starts at `instant`, else at the start, as a recording does.
    public init?(replays: [ConsoleReplay], records: [LogRecord], integrity: Integrity, asActor: String?, at instant: Date?,
                 size: Size, loading: Set<Int> = []) {
        guard let first = replays.first else { return nil }
        self.replays = replays
        self.records = records
        self.integrity = integrity
        self.asActor = asActor
        markers = records.compactMap(ReviewMarker.init)
        commanders = Self.commanders(in: records)
        self.instant = first.startsAt
        shown = first.state(at: first.startsAt)
        shown.viewer = Viewer(size: size, site: shown.site)
        for index in loading { readingsUntil[index] = replays[index].startsAt }
        readingProgress = loading.isEmpty ? nil : 0
        seek(to: instant ?? start)
    }

    /// More of the readings were read (on another thread): the cursor may go further, and
    /// goes where the reviewer asked once that is read.
    public mutating func loaded(_ load: ReviewLoad) {
        switch load {
        case .read(let index, let replay, let until, let fraction):
            guard replays.indices.contains(index) else { return }
            replays[index] = replay
            if until == .distantFuture { readingsUntil[index] = nil } else { readingsUntil[index] = until }
            readingProgress = readingsUntil.isEmpty ? nil : fraction
        case .finished(_, let problems):
            readingsUntil = [:]
            readingProgress = nil
            if let first = problems.first {
                integrity.isProblem = true
                integrity.text += " · readings: \(first)" + (problems.count > 1 ? " (and \(problems.count - 1) more)" : "")
                verificationShown = true
            }
        }
        seek(to: wanted ?? instant)
    }

    // MARK: - The span

    /// When the incident (or the earliest journal) begins.
    public var start: Date { min(records.first?.at ?? .distantFuture, replays.map(\.startsAt).min() ?? .distantFuture) }

    /// The last thing recorded; while readings are being read, as far as they are read.
    public var end: Date {
        let recorded = max(records.last?.at ?? start, replays.map(\.endsAt).max() ?? start)
        return min(recorded, readingsUntil.values.min() ?? recorded)
    }

    /// The span the strip shows: to the last record at least, read or not yet.
    public var spanEnd: Date { max(end, records.last?.at ?? end) }

    public var isAtEnd: Bool { instant >= end && readingsUntil.isEmpty }

    /// Whose console is shown: its actor, or nil for the log alone.
    public var replayedConsole: String? { replays[replayIndex(at: instant)].console?.actor }

    /// The console replayed at `instant`: of those `--as` allows (all, without it), the incident
    /// commander's console then, else one running then, else the one that began last before it.
    func replayIndex(at instant: Date) -> Int {
        let allowed = replays.indices.filter { asActor == nil || replays[$0].console?.actor == asActor }
        let started = allowed.filter { replays[$0].startsAt <= instant }
        let running = started.filter { replays[$0].endsAt >= instant }
        if asActor == nil, let commander = commander(at: instant),
           let own = running.last(where: { replays[$0].console?.actor == commander }) ?? started.last(where: { replays[$0].console?.actor == commander }) {
            return own
        }
        return running.last ?? started.last ?? allowed.first ?? 0
    }

    func commander(at instant: Date) -> String? {
        commanders.last { $0.at <= instant }?.name
    }

    private static func commanders(in records: [LogRecord]) -> [(at: Date, name: String)] {
        guard let first = records.first, var incident = IncidentState(opening: first) else { return [] }
        var changes = [(at: first.at, name: incident.commander)]
        for record in records.dropFirst() {
            incident.apply(record)
            if incident.commander != changes[changes.count - 1].name { changes.append((record.at, incident.commander)) }
        }
        return changes
    }

    // MARK: - Moving

    /// Shows the console at `instant` (kept within the span), keeping what the reviewer opened.
    /// Past what is read yet, it goes as far as it can, and on once the rest is read.
    public mutating func seek(to instant: Date) {
        wanted = instant > end && !readingsUntil.isEmpty ? instant : nil
        self.instant = min(max(instant, start), end)
        let viewer = shown.viewer
        let replayed = replays[replayIndex(at: self.instant)].state(at: self.instant)
        shown = replayed
        shown.viewer = viewer
        shown.viewer.notice = verificationShown ? Notice(text: integrity.text, isProblem: integrity.isProblem)
            : replayed.viewer.notice.flatMap { $0.text == hiddenNotice ? nil : $0 }
        // A detail of a record not yet written at this instant closes.
        if case .logRecord(let seq, _)? = viewer.modal, shown.incident?.record(seq: seq) == nil { shown.viewer.close() }
    }

    /// Playing: `elapsed` real seconds passed. Stops at the end.
    public mutating func play(for elapsed: TimeInterval) {
        guard playing else { return }
        seek(to: instant.addingTimeInterval(elapsed * Double(speed)))
        if isAtEnd { playing = false }
    }

    /// How long, in real time, until playing changes what is on screen: the next whole second
    /// of the cursor (the header's clock), at most 20 times a second.
    public var realTimeToNextFrame: TimeInterval? {
        guard playing else { return nil }
        let untilSecond = instant.timeIntervalSince1970.rounded(.down) + 1 - instant.timeIntervalSince1970
        return max(0.05, untilSecond / Double(speed))
    }

    /// Adds what a live console wrote since (the log is still being appended to): `readings`
    /// by replay, in the order of `replays`. At the end, the cursor follows, like `tail -f`.
    public mutating func append(records new: [LogRecord], readings: [[ProbeResult]]) {
        guard readingsUntil.isEmpty else { return }
        let following = isAtEnd
        for (index, added) in readings.enumerated() where index < replays.count && !added.isEmpty {
            replays[index].append(records: [], readings: added)
        }
        if !new.isEmpty {
            for index in replays.indices { replays[index].append(records: new, readings: []) }
            records += new
            markers += new.compactMap(ReviewMarker.init)
            commanders = Self.commanders(in: records)
        }
        seek(to: following ? end : instant)
    }

    public mutating func resize(_ size: Size) {
        shown.viewer.size = size
    }

    /// The topmost scrolling view was drawn and can scroll this far.
    public mutating func drawn(scrollLimit: Int) {
        if var scroll = help {
            scroll.limit = scrollLimit
            help = scroll
        } else {
            ConsoleReducer.reduce(&shown, .drawn(scrollLimit: scrollLimit))
        }
    }
}

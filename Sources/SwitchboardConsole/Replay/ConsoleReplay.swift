import Foundation
import SwitchboardCore
import SwitchboardStore
import TerminalUI

/// An incident as one console drew it, rebuilt from the files on disk alone: the incident's log
/// and that console's readings journal, folded in time order through the same reducer the
/// console ran. Nothing is decided (the policy's decisions are in the log already) and nothing
/// is written (effects are dropped), so the state at any instant is the one the console held.
///
/// The fold is kept every `keyframeSpacing` events (a keyframe), so the state at any instant is
/// a keyframe plus at most that many events: review seeks anywhere in an 8-hour incident
/// without folding it from the start.
public struct ConsoleReplay: Sendable {
    /// One thing that happened, in the order the console met it.
    enum Event: Sendable {
        case reading(ProbeResult)
        case record(LogRecord)

        var at: Date {
            switch self {
            case .reading(let reading): reading.at
            case .record(let record): record.at
            }
        }
    }

    /// The console replayed: who sat at it and when it began; nil for a replay from the log
    /// alone (no journal), whose panes show only the probe changes the log recorded.
    public let console: JournalHeader?
    /// The folded state after every `keyframeSpacing` events; the first is the state before any.
    private var keyframes: [Fold]
    private(set) var events: [Event]
    /// Records are read for the panes too: a replay from the log alone has nothing else.
    private var recordsOnly: Bool { console == nil }
    public let keyframeSpacing: Int

    public static let defaultKeyframeSpacing = 2_000

    /// `journal` must hold the snapshot its console began with; `records` are the incident's
    /// log in order. The site's probes and library are those the console ran with.
    public init?(records: [LogRecord], journal: JournalContents, siteName: String, isDemo: Bool, specs: [ProbeSpec],
                 library: SiteLibrary, size: Size, keyframeSpacing: Int = defaultKeyframeSpacing) {
        guard let snapshot = journal.snapshot, let first = records.first, var incident = IncidentState(opening: first) else { return nil }
        let attachedRecords = records.dropFirst().prefix { $0.at <= snapshot.at }
        for record in attachedRecords { incident.apply(record) }
        var state = ConsoleState(site: SiteState(siteName: siteName, isDemo: isDemo, specs: specs, snapshot: snapshot),
                                 size: size, actor: journal.header.actor, library: library)
        ConsoleReducer.reduce(&state, .log(.attached(incident, notice: nil)))
        console = journal.header
        self.keyframeSpacing = max(1, keyframeSpacing)
        keyframes = [Fold(state: state, next: 0)]
        events = []
        // Readings before records of the same instant: a console logs what a reading made it decide.
        append(records: Array(records.dropFirst(1 + attachedRecords.count)), readings: journal.readings)
    }

    /// A replay from the log alone, for an incident whose readings were never journaled (a log
    /// older than the journal, or a journal lost): each probe shows the state the last
    /// `probe.changed` record gave it, and nothing goes stale by the clock alone, as the log
    /// says nothing of silence.
    public init?(records: [LogRecord], siteName: String, isDemo: Bool, specs: [ProbeSpec], library: SiteLibrary, size: Size,
                 keyframeSpacing: Int = defaultKeyframeSpacing) {
        guard let first = records.first, let incident = IncidentState(opening: first) else { return nil }
        let end = records.last?.at ?? first.at
        // Counted from the end, staleness never comes from the clock alone.
        let site = SiteState(siteName: siteName, isDemo: isDemo, specs: specs, snapshot: SiteSnapshot(at: first.at, startedAt: end, probes: []))
        var state = ConsoleState(site: site, size: size, actor: first.actor, library: library)
        ConsoleReducer.reduce(&state, .log(.attached(incident, notice: nil)))
        console = nil
        self.keyframeSpacing = max(1, keyframeSpacing)
        keyframes = [Fold(state: state, next: 0)]
        events = []
        append(records: Array(records.dropFirst()), readings: [])
    }

    /// The instant the replay begins: when its console began its journal, or the incident opened.
    public var startsAt: Date { keyframes[0].state.site.now }

    /// The instant of the last thing replayed.
    public var endsAt: Date { events.last?.at ?? startsAt }

    /// Adds what was written since (a live console still appending): the events from the
    /// earliest new one on are merged again, and the keyframes past it rebuilt.
    public mutating func append(records: [LogRecord], readings: [ProbeResult]) {
        guard !records.isEmpty || !readings.isEmpty else { return }
        let earliest = min(records.first?.at ?? .distantFuture, readings.first?.at ?? .distantFuture)
        // Everything at or after the earliest new instant is merged again, in the same order.
        let from = events.lastIndex { $0.at < earliest }.map { $0 + 1 } ?? 0
        let kept = events[from...]
        let mergedReadings = kept.compactMap { if case .reading(let reading) = $0 { Event.reading(reading) } else { nil } }
            + readings.map(Event.reading)
        let mergedRecords = kept.compactMap { if case .record(let record) = $0 { Event.record(record) } else { nil } }
            + records.map(Event.record)
        events.removeSubrange(from...)
        events += Self.merge(mergedReadings.sorted { $0.at < $1.at }, mergedRecords)
        keyframes.removeAll { $0.next > from }
        var fold = keyframes[keyframes.count - 1]
        while fold.next + keyframeSpacing <= events.count {
            fold.advance(through: fold.next + keyframeSpacing, of: self)
            keyframes.append(fold)
        }
    }

    private static func merge(_ readings: [Event], _ records: [Event]) -> [Event] {
        var merged: [Event] = []
        merged.reserveCapacity(readings.count + records.count)
        var (r, l) = (0, 0)
        while r < readings.count || l < records.count {
            if l == records.count || (r < readings.count && readings[r].at <= records[l].at) {
                merged.append(readings[r])
                r += 1
            } else {
                merged.append(records[l])
                l += 1
            }
        }
        return merged
    }

    /// The console's state folded through some of the events. The clock ticks at each whole
    /// second an event falls in, before it, as the console's did: wherever a fold starts, it
    /// meets the same ticks and arrives at the same state.
    struct Fold: Sendable {
        var state: ConsoleState
        /// The first event not folded in.
        var next: Int
        /// The whole second the clock last ticked at.
        var tick: Int64 = .min

        /// Folds in events up to (not including) index `end`.
        mutating func advance(through end: Int, of replay: ConsoleReplay) {
            while next < end {
                fold(replay.events[next], recordsOnly: replay.recordsOnly)
                next += 1
            }
        }

        /// Folds in every event up to `instant`, then the clock at `instant`.
        mutating func advance(to instant: Date, of replay: ConsoleReplay) {
            while next < replay.events.count, replay.events[next].at <= instant {
                fold(replay.events[next], recordsOnly: replay.recordsOnly)
                next += 1
            }
            ConsoleReducer.reduce(&state, .site(.clock(instant)))
        }

        private mutating func fold(_ event: Event, recordsOnly: Bool) {
            let second = Int64((event.at.timeIntervalSince1970).rounded(.down))
            if second > tick {
                tick = second
                ConsoleReducer.reduce(&state, .site(.clock(Date(timeIntervalSince1970: Double(second)))))
            }
            switch event {
            case .reading(let reading):
                ConsoleReducer.reduce(&state, .site(.probeResult(reading)))
            case .record(let record):
                if recordsOnly, let change = Self.loggedState(record) { ConsoleReducer.reduce(&state, .site(.restored(change))) }
                ConsoleReducer.reduce(&state, .log(.records([record], acknowledged: 0)))
            }
        }

        /// A probe as a `probe.changed` record left it: its new state, summary and since-when,
        /// with no values or history (the log keeps none).
        private static func loggedState(_ record: LogRecord) -> SiteSnapshot? {
            guard record.kind == LogKind.probeChanged, let id = record["probe"]?.string,
                  let to = record["to"]?.string.flatMap(DisplayStatus.init(rawValue:)) else { return nil }
            let observed = record["observed_at"]?.string.flatMap(TimeText.date(iso8601:)) ?? record.at
            let status: ProbeStatus? = switch to {
            case .ok: .ok
            case .warning: .warning
            case .critical: .critical
            case .unknown: .unknown
            case .stale, .pending: nil
            }
            let latest = ProbeResult(probeID: id, observation: ProbeObservation(
                status: status ?? .unknown, summary: record["summary"]?.string ?? "", keptFrom: to == .stale ? observed : nil),
                at: observed, duration: .zero)
            return SiteSnapshot(at: record.at, startedAt: record.at, probes: [SiteSnapshot.Probe(
                id: id, latest: to == .pending ? nil : latest, hardStatus: status, problemStreak: status == .ok ? 0 : 1,
                since: observed, history: [], staleRecorded: to == .stale)])
        }
    }

    /// A position in the replay that moves forward in time.
    public struct Cursor: Sendable {
        private var fold: Fold
        private let replay: ConsoleReplay

        init(_ replay: ConsoleReplay, from fold: Fold) {
            self.replay = replay
            self.fold = fold
        }

        public var state: ConsoleState { fold.state }

        /// Folds in everything up to `instant` (which must not be before the last one).
        public mutating func advance(to instant: Date) {
            fold.advance(to: instant, of: replay)
        }
    }

    /// A cursor at the moment the console began its journal.
    public func start() -> Cursor { Cursor(self, from: keyframes[0]) }

    /// The console's state at `instant`: from the last keyframe at or before it, so at most
    /// `keyframeSpacing` events are folded whatever the instant.
    public func state(at instant: Date) -> ConsoleState {
        // The last keyframe whose events all happened by `instant`.
        var low = 0, high = keyframes.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            let lastFolded = keyframes[middle].next - 1
            if lastFolded < 0 || events[lastFolded].at <= instant { low = middle } else { high = middle - 1 }
        }
        var cursor = Cursor(self, from: keyframes[low])
        cursor.advance(to: instant)
        return cursor.state
    }
}

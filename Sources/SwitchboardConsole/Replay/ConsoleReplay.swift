import Foundation
import SwitchboardCore
import SwitchboardStore
import TerminalUI

/// An incident as one console drew it, rebuilt from the files on disk alone: the incident's log
/// and that console's readings journal, folded in time order through the same reducer the
/// console ran. Nothing is decided (the policy's decisions are in the log already) and nothing
/// is written (effects are dropped), so the state at any instant is the one the console held.
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

    private let initial: ConsoleState
    let events: [Event]

    /// `journal` must hold the snapshot its console began with; `records` are the incident's
    /// log in order. The site's probes and library are those the console ran with.
    public init?(records: [LogRecord], journal: JournalContents, siteName: String, isDemo: Bool, specs: [ProbeSpec],
                 library: SiteLibrary, size: Size) {
        guard let snapshot = journal.snapshot, let first = records.first, var incident = IncidentState(opening: first) else { return nil }
        let attachedRecords = records.dropFirst().prefix { $0.at <= snapshot.at }
        for record in attachedRecords { incident.apply(record) }
        var state = ConsoleState(site: SiteState(siteName: siteName, isDemo: isDemo, specs: specs, snapshot: snapshot),
                                 size: size, actor: journal.header.actor, library: library)
        ConsoleReducer.reduce(&state, .log(.attached(incident, notice: nil)))
        initial = state
        // Readings before records of the same instant: a console logs what a reading made it decide.
        let later = records.dropFirst(1 + attachedRecords.count).map(Event.record)
        events = Self.merge(journal.readings.map(Event.reading), later)
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

    /// A position in the replay that moves forward in time.
    public struct Cursor: Sendable {
        public private(set) var state: ConsoleState
        private var next = 0
        private let replay: ConsoleReplay

        init(_ replay: ConsoleReplay) {
            self.replay = replay
            state = replay.initial
        }

        /// Folds in everything up to `instant` (which must not be before the last one).
        public mutating func advance(to instant: Date) {
            while next < replay.events.count, replay.events[next].at <= instant {
                switch replay.events[next] {
                case .reading(let reading): ConsoleReducer.reduce(&state, .site(.probeResult(reading)))
                case .record(let record): ConsoleReducer.reduce(&state, .log(.records([record], acknowledged: 0)))
                }
                next += 1
            }
            ConsoleReducer.reduce(&state, .site(.clock(instant)))
        }
    }

    /// A cursor at the moment the console began its journal.
    public func start() -> Cursor { Cursor(self) }

    /// The console's state at `instant`.
    public func state(at instant: Date) -> ConsoleState {
        var cursor = start()
        cursor.advance(to: instant)
        return cursor.state
    }
}

import Foundation
import Synchronization

/// The one time a console runs on. Everything that reads the time — the run loop's ticks, the
/// probe scheduler, deadlines, the comms cadence, ages, the demo's simulations — reads it from
/// the clock the console owns, so a test can drive all of them, and a drill can run them on a
/// scenario clock that pauses, runs faster or jumps.
///
/// Deadlines of real I/O (a probe's timeout, a socket's connect) are not the clock's business:
/// they measure the machine, not the incident, and stay on `ContinuousClock`.
public protocol ConsoleClock: AnyObject, Sendable {
    /// The time now, as this clock reads it.
    func now() -> Date
    /// Returns once the clock reads `deadline` or later; throws `CancellationError` if the task
    /// is cancelled first.
    func sleep(until deadline: Date) async throws
    /// How long in real time until the clock reads `deadline`, for a `poll()` timeout; nil when
    /// the clock does not move by itself (a test clock, a paused scenario).
    func realTime(until deadline: Date) -> TimeInterval?
}

/// The wall clock: live consoles and command-line tools.
public final class WallClock: ConsoleClock {
    public init() {}

    public func now() -> Date { Date().roundedToMilliseconds }

    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0 else { return }
        try await Task.sleep(for: .seconds(seconds))
    }

    public func realTime(until deadline: Date) -> TimeInterval? { deadline.timeIntervalSinceNow }
}

/// A clock that moves only when told to: tests advance it, and every sleeper whose deadline it
/// reaches wakes, in deadline order. No real time passes, so nothing in a test sleeps.
public final class ManualClock: ConsoleClock {
    private struct Sleeper {
        var id: Int
        var deadline: Date
        var continuation: CheckedContinuation<Void, Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        var nextID = 0
        /// Tasks waiting for this many sleepers.
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

        /// The watchers whose count of sleepers is reached, taken out.
        mutating func satisfiedWatchers() -> [CheckedContinuation<Void, Never>] {
            let count = sleepers.count
            defer { watchers.removeAll { $0.count <= count } }
            return watchers.filter { $0.count <= count }.map(\.continuation)
        }
    }

    private let state: Mutex<State>

    public init(now: Date) {
        state = Mutex(State(now: now.roundedToMilliseconds))
    }

    public func now() -> Date { state.withLock { $0.now } }

    /// Returns once at least `count` tasks sleep on the clock: all a test's probes are waiting
    /// for their next turn, so advancing now wakes them all. No real time passes meanwhile.
    public func sleepers(atLeast count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                guard state.sleepers.count < count else { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    public func sleep(until deadline: Date) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                let (resumeNow, watchers) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                    guard deadline > state.now, !Task.isCancelled else { return (true, []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (false, state.satisfiedWatchers())
                }
                if resumeNow { continuation.resume() }
                for watcher in watchers { watcher.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    public func realTime(until deadline: Date) -> TimeInterval? { nil }

    /// Moves the clock to `date` (never backwards) and wakes the sleepers it reaches.
    public func advance(to date: Date) {
        let woken = state.withLock { state -> [Sleeper] in
            state.now = max(state.now, date.roundedToMilliseconds)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    public func advance(by seconds: TimeInterval) {
        advance(to: now().addingTimeInterval(seconds))
    }
}

extension Date {
    /// The same instant to the millisecond, as the action log and the readings journal store it.
    /// Every time a console acts on is taken at this precision, so what is read back from disk
    /// is the very value the console held, and a replay draws the same seconds.
    public var roundedToMilliseconds: Date {
        Date(millisecondsSince1970: millisecondsSince1970)
    }

    /// Milliseconds since 1970, within ±100,000 years (a time read from a damaged file can be
    /// anything: it is never a reason to crash).
    public var millisecondsSince1970: Int64 {
        let milliseconds = (timeIntervalSince1970 * 1000).rounded()
        guard milliseconds.isFinite else { return 0 }
        return Int64(min(max(milliseconds, -Self.millisecondRange), Self.millisecondRange))
    }

    static let millisecondRange = 100_000 * 365.25 * 86_400_000.0

    public init(millisecondsSince1970 milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}

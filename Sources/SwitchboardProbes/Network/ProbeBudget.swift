import Synchronization
import SwitchboardCore
import NIOCore

/// The time a native probe has for one reading. It is a little less than the probe's timeout, so
/// the probe can say what it was waiting for ("connected, but no reply in 2.7s") before the
/// scheduler cancels it with a bare "timed out".
struct ProbeBudget: Sendable {
    let start: ContinuousClock.Instant
    let deadline: ContinuousClock.Instant
    /// From start to deadline: what summaries name as the time waited ("no reply in 2.7 s").
    let length: Duration

    /// A budget of `timeout` less a tenth of it (at least 50 ms, at most 500 ms), starting now.
    init(timeout: Duration) {
        let margin = min(max(timeout / 10, .milliseconds(50)), .milliseconds(500))
        length = max(timeout - margin, timeout / 2)
        start = .now
        deadline = start.advanced(by: length)
    }

    /// Time left before the deadline; never negative.
    var remaining: Duration { max(.zero, ContinuousClock.now.duration(to: deadline)) }

    /// Time since the budget started.
    var elapsed: Duration { start.duration(to: .now) }

    /// Time left as NIO's `TimeAmount`, at least a millisecond (NIO reads zero as "no timeout").
    var remainingTimeAmount: TimeAmount {
        let (seconds, attoseconds) = remaining.components
        return .nanoseconds(max(1_000_000, seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
    }

    /// Runs `body`, cancelling it at the deadline. Throws `BudgetExceeded` when the deadline came
    /// first. Every socket a body opens must be closed when it is cancelled (NIO's async
    /// channels do this), so a probe that runs out of time leaves nothing behind.
    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let deadline = self.deadline
        return try await withThrowingTaskGroup(of: BudgetOutcome<T>.self) { group in
            group.addTask {
                do {
                    return .finished(try await body())
                } catch ChannelError.connectTimeout {
                    // NIO's connect timeout is set to the time left, so this is the deadline too.
                    return .deadline
                }
            }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return .deadline
            }
            defer { group.cancelAll() }
            switch try await group.next() {
            case .finished(let value): return value
            case .deadline, nil: throw BudgetExceeded()
            }
        }
    }
}

private enum BudgetOutcome<T: Sendable>: Sendable {
    case finished(T)
    case deadline
}

/// The deadline of a `ProbeBudget` passed before the work was done.
struct BudgetExceeded: Error {}

/// How far a probe got, written by the task doing the work and read when the deadline ends it,
/// so a timeout can say which step never finished.
final class ProbeProgress<Step: Sendable>: Sendable {
    private let step: Mutex<Step>

    init(_ initial: Step) {
        step = Mutex(initial)
    }

    var current: Step { step.withLock { $0 } }

    func reached(_ next: Step) {
        step.withLock { $0 = next }
    }

    /// Changes the progress in place, atomically (several tasks of one reading may report).
    func update(_ change: (inout Step) -> Void) {
        step.withLock { change(&$0) }
    }
}

extension Duration {
    /// Milliseconds as a Double, for latency metrics.
    var milliseconds: Double { seconds * 1000 }

    /// A short duration for summaries: `12 ms`, `1.5 s`.
    var shortText: String {
        let ms = milliseconds
        if ms < 1 { return "<1 ms" }
        if ms < 1000 { return "\(Int(saturating: ms.rounded())) ms" }
        return "\(MetricValue.format(ms / 1000)) s"
    }
}

/// When a datagram probe sends its request again: `first` after the first transmission, then
/// doubling, never more than `cap` apart (RFC 3261's timer A for SIP: 0.5 s doubling to 4 s).
struct RetransmitSchedule: Sendable, Equatable {
    var first: Duration
    var cap: Duration

    static let sip = RetransmitSchedule(first: .milliseconds(500), cap: .seconds(4))
    static let dns = RetransmitSchedule(first: .seconds(1), cap: .seconds(4))

    /// The wait after transmission number `transmission` (1 for the first).
    func interval(after transmission: Int) -> Duration {
        var interval = first
        for _ in 1..<max(1, transmission) {
            interval = min(interval * 2, cap)
            if interval == cap { break }
        }
        return interval
    }
}

import Foundation
import Synchronization
import SwitchboardCore

/// Runs every configured probe at its interval, concurrently with the UI, and hands each result
/// to `deliver` (which posts it as an event to the console's owner).
///
/// - First runs are spread over the first moments (jitter) so probes do not fire together; after
///   that each probe keeps its own fixed period, skipping slots it overran rather than bunching up.
/// - At most `concurrencyLimit` probes observe at once.
/// - A probe that does not answer within its timeout is cancelled and reported `unknown`.
/// - Configured thresholds are applied on top of the probe's own status.
public final class ProbeScheduler: Sendable {
    public typealias Deliver = @Sendable (ProbeResult) -> Void

    private let probes: [ConfiguredProbe]
    private let limiter: ConcurrencyLimiter
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    public init(probes: [ConfiguredProbe], concurrencyLimit: Int = 32) {
        self.probes = probes
        self.limiter = ConcurrencyLimiter(limit: concurrencyLimit)
    }

    /// Starts the probes. Each result is passed to `deliver` from a background task.
    public func start(deliver: @escaping Deliver) {
        let probes = self.probes
        let limiter = self.limiter
        let newTask = Task.detached {
            await withTaskGroup(of: Void.self) { group in
                for configured in probes {
                    group.addTask { await Self.runForever(configured, limiter: limiter, deliver: deliver) }
                }
            }
        }
        task.withLock { $0 = newTask }
    }

    /// Stops all probes; running observations are cancelled.
    public func stop() {
        task.withLock { $0?.cancel(); $0 = nil }
    }

    private static func runForever(_ configured: ConfiguredProbe, limiter: ConcurrencyLimiter, deliver: Deliver) async {
        let clock = ContinuousClock()
        let interval = configured.spec.interval
        let firstDelay = Duration.milliseconds(Int64.random(in: 0...Int64(min(interval.seconds, 1.5) * 1000)))
        var due = clock.now.advanced(by: firstDelay)
        while !Task.isCancelled {
            do { try await clock.sleep(until: due) } catch { return }
            let result = await observeOnce(configured, limiter: limiter)
            guard !Task.isCancelled else { return }
            deliver(result)
            due = due.advanced(by: interval)
            let now = clock.now
            if due < now {
                let missed = ((now - due) / interval).rounded(.up)
                due = due.advanced(by: interval * missed)
            }
        }
    }

    /// Runs one observation with the probe's timeout and thresholds; used by the console and by
    /// one-shot checks alike.
    public static func observeOnce(_ configured: ConfiguredProbe, limiter: ConcurrencyLimiter? = nil) async -> ProbeResult {
        await limiter?.acquire()
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let timeout = configured.spec.timeout
        let observation = await withTaskGroup(of: ProbeObservation?.self) { group in
            group.addTask { await configured.probe.observe() }
            group.addTask {
                try? await clock.sleep(for: timeout)
                return Task.isCancelled ? nil : ProbeObservation(
                    status: .unknown, summary: "timed out after \(timeout.configText)")
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? ProbeObservation(status: .unknown, summary: "cancelled")
        }
        let duration = clock.now - start
        await limiter?.release()
        return ProbeResult(
            probeID: configured.spec.id,
            observation: configured.spec.thresholds.apply(to: observation),
            at: startedAt.addingTimeInterval(duration.seconds),
            duration: duration)
    }
}

/// A counting semaphore for async tasks: at most `limit` holders at once, waiters served in order.
public actor ConcurrencyLimiter {
    private let limit: Int
    private var holders = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    public func acquire() async {
        if holders < limit {
            holders += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    public func release() {
        if waiters.isEmpty {
            holders -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}

import Foundation
import Synchronization
import SwitchboardCore

/// Runs every configured probe at its interval (and every push probe's source for as long as it
/// runs), concurrently with the UI, and hands each result to `deliver` (which posts it as an event
/// to the console's owner).
///
/// - First runs are spread over the clock's first moments (jitter) so probes do not fire
///   together; on a clock that stands still (a drill paused at T+0, a test's clock) over real
///   time, so the panes still fill. After that each probe keeps its own fixed period on the
///   clock, skipping slots it overran rather than bunching up.
/// - At most `concurrencyLimit` probes observe at once.
/// - A probe that does not answer within its timeout is cancelled and reported `unknown`.
/// - Configured thresholds are applied on top of the probe's own status.
public final class ProbeScheduler: Sendable {
    public typealias Deliver = @Sendable (ProbeResult) -> Void

    private let probes: [ConfiguredProbe]
    private let clock: any ConsoleClock
    private let limiter: ConcurrencyLimiter
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// `clock` paces the probes and stamps their readings; their timeouts are real time.
    public init(probes: [ConfiguredProbe], clock: any ConsoleClock, concurrencyLimit: Int = 32) {
        self.probes = probes
        self.clock = clock
        self.limiter = ConcurrencyLimiter(limit: concurrencyLimit)
    }

    /// Starts the probes. Each result is passed to `deliver` from a background task.
    public func start(deliver: @escaping Deliver) {
        let probes = self.probes
        let limiter = self.limiter
        let clock = self.clock
        let newTask = Task.detached {
            await withTaskGroup(of: Void.self) { group in
                for configured in probes {
                    if configured.probe is any Probe {
                        group.addTask { await Self.runForever(configured, clock: clock, limiter: limiter, deliver: deliver) }
                    } else if let push = configured.probe as? any PushProbe, push.upstream == nil {
                        let router = PushRouter(source: configured, site: probes)
                        group.addTask { await push.run { deliver(router.result(for: $0, at: clock.now())) } }
                    }
                }
            }
        }
        task.withLock { $0 = newTask }
    }

    /// Stops all probes; running observations are cancelled.
    public func stop() {
        task.withLock { $0?.cancel(); $0 = nil }
    }

    private static func runForever(_ configured: ConfiguredProbe, clock: any ConsoleClock, limiter: ConcurrencyLimiter,
                                   deliver: Deliver) async {
        let interval = configured.spec.interval.seconds
        let jitter = Double.random(in: 0...min(interval, 1.5))
        var due = clock.now().addingTimeInterval(jitter)
        if clock.realTime(until: due) == nil {
            do { try await Task.sleep(for: .seconds(jitter)) } catch { return }
            due = clock.now()
        }
        while !Task.isCancelled {
            do { try await clock.sleep(until: due) } catch { return }
            let result = await observeOnce(configured, limiter: limiter, clock: clock)
            guard !Task.isCancelled else { return }
            deliver(result)
            due = due.addingTimeInterval(interval)
            let now = clock.now()
            if due < now {
                let missed = (now.timeIntervalSince(due) / interval).rounded(.up)
                due = due.addingTimeInterval(interval * missed)
            }
        }
    }

    /// Takes one reading with the probe's timeout and thresholds; used by the console and by
    /// one-shot checks alike. A push probe (or one it feeds) is run until it publishes a reading
    /// for this probe, or the timeout passes; `site` holds the probes a feed may come from.
    /// The reading is stamped with `clock`'s time when it ends; the timeout is real time.
    public static func observeOnce(_ configured: ConfiguredProbe, among site: [ConfiguredProbe] = [],
                                   limiter: ConcurrencyLimiter? = nil, clock: any ConsoleClock = WallClock()) async -> ProbeResult {
        await limiter?.acquire()
        let startedAt = clock.now()
        let realClock = ContinuousClock()
        let start = realClock.now
        let timeout = configured.spec.timeout
        let observation = await withTaskGroup(of: ProbeObservation?.self) { group in
            group.addTask { await firstObservation(of: configured, among: site, at: startedAt) }
            group.addTask {
                try? await realClock.sleep(for: timeout)
                guard !Task.isCancelled else { return nil }
                let what = configured.probe is any Probe ? "timed out" : "no reading"
                return ProbeObservation(status: .unknown, summary: "\(what) after \(timeout.configText)")
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? ProbeObservation(status: .unknown, summary: "cancelled")
        }
        let duration = realClock.now - start
        await limiter?.release()
        return ProbeResult(
            probeID: configured.spec.id,
            observation: configured.spec.thresholds.apply(to: observation),
            at: clock.now(),
            duration: duration)
    }

    /// A polled probe's next reading, or the first a push feed publishes for this probe. A feed
    /// that fails before that (its program cannot start or ends) answers for the probes it feeds.
    private static func firstObservation(of configured: ConfiguredProbe, among site: [ConfiguredProbe],
                                         at now: Date) async -> ProbeObservation? {
        if let polled = configured.probe as? any Probe { return await polled.observe(at: now) }
        guard let push = configured.probe as? any PushProbe else { return nil }
        let sourceID = push.upstream?.id ?? configured.spec.id
        guard let source = site.first(where: { $0.spec.id == sourceID }) ?? (sourceID == configured.spec.id ? configured : nil),
              let sourcePush = source.probe as? any PushProbe else {
            return ProbeObservation(status: .unknown, summary: "no probe '\(sourceID)' to be fed from")
        }
        let router = PushRouter(source: source, site: site)
        let (readings, continuation) = AsyncStream.makeStream(of: ProbeResult.self)
        let feed = Task { await sourcePush.run { continuation.yield(router.result(for: $0, at: now)) } }
        defer { feed.cancel() }
        for await reading in readings {
            if reading.probeID == configured.spec.id { return reading.observation }
            if reading.probeID == sourceID, reading.observation.status == .unknown {
                return ProbeObservation(status: .unknown, summary: "\(sourceID): \(reading.observation.summary)",
                                        details: reading.observation.details)
            }
        }
        return nil
    }
}

/// Addresses what a push source publishes: to itself, or to a probe configured to be fed by it.
/// A line for any other probe is reported on the source's own row, so a typo is seen, not lost.
struct PushRouter: Sendable {
    let source: ProbeSpec
    let fed: [String: ProbeSpec]

    init(source: ConfiguredProbe, site: [ConfiguredProbe]) {
        self.source = source.spec
        fed = Dictionary(site.compactMap { probe in
            (probe.probe as? any PushProbe)?.upstream?.id == source.spec.id ? (probe.spec.id, probe.spec) : nil
        }, uniquingKeysWith: { first, _ in first })
    }

    func result(for pushed: PushedObservation, at time: Date) -> ProbeResult {
        var target = source
        var observation = pushed.observation
        if let id = pushed.probeID, id != source.id {
            if let spec = fed[id] {
                target = spec
            } else {
                observation = ProbeObservation(
                    status: .unknown,
                    summary: "a line names probe '\(id)', which is not fed by this stream (give it 'from: \(source.id)')")
            }
        }
        return ProbeResult(probeID: target.id, observation: target.thresholds.apply(to: observation), at: time, duration: .zero)
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

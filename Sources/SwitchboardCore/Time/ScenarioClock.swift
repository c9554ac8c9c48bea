import Foundation
import Synchronization

/// A drill's clock: scenario time that can pause, run faster than real time and jump ahead, read
/// as dates from the drill's start (`epoch` is T+0). Every deadline, cadence and age of a drill
/// console runs on it, and so do the probes' pace and the injects. It moves with a base clock
/// (the wall clock; a test's manual clock), `speed` times as fast while it runs.
///
/// A sleeper wakes when scenario time reaches its deadline, whatever happens meanwhile: a change
/// of speed, a pause or a jump wakes every sleeper to work out its wait again.
public final class ScenarioClock: ConsoleClock {
    /// How it runs now.
    public struct Setting: Sendable, Equatable {
        /// Scenario seconds since T+0 at `since`, on the base clock.
        public var elapsed: TimeInterval
        public var since: Date
        public var speed: Double
        public var paused: Bool

        /// A speed from a damaged or edited log (0, negative, not a number) is made one the
        /// clock can run at: a player's console must not stop or spin on it.
        public init(elapsed: TimeInterval, since: Date, speed: Double, paused: Bool) {
            self.elapsed = elapsed.isFinite ? elapsed : 0
            self.since = since
            self.speed = Self.usable(speed)
            self.paused = paused
        }

        /// Between a thousandth and 3,600 times real time; 1 for a speed that is not a number.
        static func usable(_ speed: Double) -> Double {
            speed.isFinite ? min(3600, max(0.001, speed)) : 1
        }
    }

    public let epoch: Date
    private let base: any ConsoleClock
    private struct State {
        var setting: Setting
        /// Bumped at every change; sleepers waiting on one generation are woken for the next.
        var generation = 0
        var nextWaiter = 0
        var waiters: [(id: Int, generation: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }
    private let state: Mutex<State>

    /// The clock at T+0 now (on the base clock), paused or running at `speed`.
    public init(epoch: Date, base: any ConsoleClock, speed: Double = 1, paused: Bool = false) {
        self.epoch = epoch.roundedToMilliseconds
        self.base = base
        state = Mutex(State(setting: Setting(elapsed: 0, since: base.now(), speed: speed, paused: paused)))
    }

    public var setting: Setting { state.withLock { $0.setting } }

    /// Scenario seconds since T+0.
    public var elapsed: TimeInterval { elapsed(in: setting, at: base.now()) }

    private func elapsed(in setting: Setting, at baseNow: Date) -> TimeInterval {
        setting.paused ? setting.elapsed : setting.elapsed + baseNow.timeIntervalSince(setting.since) * setting.speed
    }

    public func now() -> Date { epoch.addingTimeInterval(elapsed).roundedToMilliseconds }

    public var isPaused: Bool { setting.paused }
    public var speed: Double { setting.speed }

    public func pause() { change { $0.paused = true } }
    public func resume() { change { $0.paused = false } }
    public func setSpeed(_ speed: Double) { change { $0.speed = Setting.usable(speed) } }

    /// Jumps to scenario time `elapsed` (never back).
    public func jump(to elapsed: TimeInterval) {
        change { $0.elapsed = max($0.elapsed, elapsed) }
    }

    /// Runs as another clock was set: a player's console follows the facilitator's controls,
    /// which the log records (the scenario time and the wall time at which each was made).
    public func follow(_ setting: Setting) {
        state.withLock { state in
            state.setting = setting
            state.generation += 1
        }
        wakeAll()
    }

    private func change(_ body: (inout Setting) -> Void) {
        let baseNow = base.now()
        state.withLock { state in
            // The time reached so far is kept; the change applies from now on.
            state.setting.elapsed = elapsed(in: state.setting, at: baseNow)
            state.setting.since = baseNow
            body(&state.setting)
            state.generation += 1
        }
        wakeAll()
    }

    private func wakeAll() {
        let woken = state.withLock { state in
            defer { state.waiters.removeAll { $0.generation < state.generation } }
            return state.waiters.filter { $0.generation < state.generation }.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    public func sleep(until deadline: Date) async throws {
        while true {
            try Task.checkCancellation()
            let (setting, generation) = state.withLock { ($0.setting, $0.generation) }
            let baseNow = base.now()
            let remaining = deadline.timeIntervalSince(epoch) - elapsed(in: setting, at: baseNow)
            if remaining <= 0 { return }
            // Until scenario time reaches the deadline at this setting, or the setting changes.
            let wake: Date? = setting.paused ? nil : baseNow.addingTimeInterval(remaining / setting.speed)
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let wake { group.addTask { [base] in try await base.sleep(until: wake) } }
                group.addTask { [self] in await changed(after: generation) }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Returns once the clock is changed after `generation` (or the task is cancelled).
    private func changed(after generation: Int) async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state in
                    guard state.generation == generation, !Task.isCancelled else { return true }
                    state.waiters.append((id, generation, continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            cancelled?.resume()
        }
    }

    public func realTime(until deadline: Date) -> TimeInterval? {
        let setting = self.setting
        guard !setting.paused else { return nil }
        let remaining = deadline.timeIntervalSince(epoch) - elapsed(in: setting, at: base.now())
        guard let baseWait = base.realTime(until: base.now().addingTimeInterval(max(0, remaining) / setting.speed)) else { return nil }
        return baseWait
    }
}

/// What a drill's facilitator asks of the scenario clock.
public enum DrillClockControl: Sendable, Equatable {
    case pause
    case resume
    case speed(Double)
    /// On to this scenario time (never back).
    case jump(to: TimeInterval)
    /// The scenario's time is up: the clock stops there (Space runs it on).
    case end

    /// The word a `drill.control` record logs it as.
    public var action: String {
        switch self {
        case .pause: "pause"
        case .resume: "resume"
        case .speed: "speed"
        case .jump: "jump"
        case .end: "end"
        }
    }
}

extension ScenarioClock {
    public func apply(_ control: DrillClockControl) {
        switch control {
        case .pause, .end: pause()
        case .resume: resume()
        case .speed(let speed): setSpeed(speed)
        case .jump(let elapsed): jump(to: elapsed)
        }
    }
}

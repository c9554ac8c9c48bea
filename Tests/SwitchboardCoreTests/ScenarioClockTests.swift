import Foundation
import Testing
@testable import SwitchboardCore

/// A drill's scenario clock over a manual base clock: nothing here sleeps in real time, and every
/// time compared is whole seconds at speeds that keep the arithmetic exact.
/// A sleeper that is never woken fails the suite after a minute rather than hanging the run.
@Suite("Scenario clock: pause, speed, jump and sleepers on scenario time", .timeLimit(.minutes(1)))
struct ScenarioClockTests {
    /// Where the base (wall) clock starts.
    static let wall = Date(timeIntervalSince1970: 1_795_000_000)
    /// T+0 of the drill.
    static let epoch = Date(timeIntervalSince1970: 1_700_000_000)

    static func clocks(speed: Double = 1, paused: Bool = false) -> (ScenarioClock, ManualClock) {
        let base = ManualClock(now: wall)
        return (ScenarioClock(epoch: epoch, base: base, speed: speed, paused: paused), base)
    }

    /// T+`seconds` as a date on the scenario clock.
    static func scenario(_ seconds: TimeInterval) -> Date { epoch.addingTimeInterval(seconds) }

    // MARK: - Reading the time

    @Test("it starts at T+0 and runs `speed` times as fast as its base clock")
    func speed() {
        let (clock, base) = Self.clocks(speed: 4)
        #expect(clock.elapsed == 0 && clock.now() == Self.epoch)
        #expect(clock.speed == 4 && !clock.isPaused && clock.epoch == Self.epoch)
        base.advance(by: 10)
        #expect(clock.elapsed == 40)
        #expect(clock.now() == Self.scenario(40))
        base.advance(by: 0.25)
        #expect(clock.elapsed == 41)

        let (plain, plainBase) = Self.clocks()
        plainBase.advance(by: 7)
        #expect(plain.elapsed == 7 && plain.now() == Self.scenario(7))
    }

    @Test("its dates are to the millisecond, as the log stores them")
    func milliseconds() {
        let base = ManualClock(now: Self.wall)
        let clock = ScenarioClock(epoch: Self.epoch.addingTimeInterval(0.0004), base: base, speed: 3)
        #expect(clock.epoch == Self.epoch)
        base.advance(by: 0.001)
        #expect(clock.now() == Self.scenario(0.003).roundedToMilliseconds)
        #expect(clock.now() == clock.now().roundedToMilliseconds)
    }

    @Test("pause freezes scenario time; resume continues from where it stood")
    func pauseResume() {
        let (clock, base) = Self.clocks(speed: 2)
        base.advance(by: 5)
        #expect(clock.elapsed == 10)
        clock.pause()
        #expect(clock.isPaused && clock.setting.paused)
        base.advance(by: 100)
        #expect(clock.elapsed == 10 && clock.now() == Self.scenario(10))
        clock.pause()
        base.advance(by: 100)
        #expect(clock.elapsed == 10)
        clock.resume()
        #expect(!clock.isPaused && clock.elapsed == 10)
        base.advance(by: 3)
        #expect(clock.elapsed == 16)
        clock.resume()
        #expect(clock.elapsed == 16)
        base.advance(by: 2)
        #expect(clock.elapsed == 20)
    }

    @Test("a clock made paused stays at T+0 until resumed")
    func startsPaused() {
        let (clock, base) = Self.clocks(speed: 60, paused: true)
        base.advance(by: 50)
        #expect(clock.isPaused && clock.elapsed == 0 && clock.now() == Self.epoch)
        clock.resume()
        base.advance(by: 1)
        #expect(clock.elapsed == 60)
    }

    @Test("a change of speed applies from then on: the time reached so far is kept")
    func speedChange() {
        let (clock, base) = Self.clocks()
        base.advance(by: 10)
        clock.setSpeed(60)
        #expect(clock.elapsed == 10 && clock.speed == 60)
        base.advance(by: 2)
        #expect(clock.elapsed == 130)
        clock.setSpeed(0.5)
        #expect(clock.elapsed == 130)
        base.advance(by: 4)
        #expect(clock.elapsed == 132)

        // While paused: nothing moves, and it runs at the new speed once resumed.
        clock.pause()
        clock.setSpeed(4)
        base.advance(by: 5)
        #expect(clock.elapsed == 132 && clock.isPaused && clock.speed == 4)
        clock.resume()
        base.advance(by: 5)
        #expect(clock.elapsed == 152)

        // A speed of zero or less would stop time without pausing it: the clock keeps a crawl.
        clock.setSpeed(0)
        #expect(clock.speed == 0.001)
        clock.setSpeed(-5)
        #expect(clock.speed == 0.001)

        // A damaged log's setting neither stops nor spins a player's clock.
        clock.follow(.init(elapsed: 10, since: Self.wall, speed: 0, paused: false))
        #expect(clock.speed == 0.001)
        clock.follow(.init(elapsed: .nan, since: Self.wall, speed: .infinity, paused: false))
        #expect(clock.speed == 1 && clock.setting.elapsed == 0)
    }

    @Test("jump moves scenario time forward, never back, and keeps running or paused as it was")
    func jump() {
        let (clock, base) = Self.clocks()
        base.advance(by: 10)
        clock.jump(to: 300)
        #expect(clock.elapsed == 300 && clock.now() == Self.scenario(300))
        base.advance(by: 1)
        #expect(clock.elapsed == 301)
        clock.jump(to: 100)
        #expect(clock.elapsed == 301)
        clock.pause()
        clock.jump(to: 600)
        #expect(clock.elapsed == 600 && clock.isPaused)
        base.advance(by: 10)
        #expect(clock.elapsed == 600)
    }

    @Test("the facilitator's controls map onto the clock, with the words the log records them by")
    func controls() {
        let (clock, base) = Self.clocks()
        clock.apply(.speed(8))
        base.advance(by: 1)
        #expect(clock.elapsed == 8 && clock.speed == 8)
        clock.apply(.pause)
        base.advance(by: 1)
        #expect(clock.elapsed == 8 && clock.isPaused)
        clock.apply(.jump(to: 60))
        #expect(clock.elapsed == 60)
        clock.apply(.resume)
        base.advance(by: 1)
        #expect(clock.elapsed == 68)
        #expect([DrillClockControl.pause, .resume, .speed(2), .jump(to: 5)].map(\.action) == ["pause", "resume", "speed", "jump"])
    }

    @Test("follow adopts another clock's setting: a player's clock reads what the facilitator's does")
    func follow() {
        let base = ManualClock(now: Self.wall)
        let facilitator = ScenarioClock(epoch: Self.epoch, base: base, speed: 1)
        base.advance(by: 10)
        facilitator.setSpeed(4)
        base.advance(by: 3)
        // A player joins later, with a clock of their own.
        let player = ScenarioClock(epoch: Self.epoch, base: base, speed: 1, paused: true)
        #expect(player.elapsed == 0)
        player.follow(facilitator.setting)
        #expect(player.setting == facilitator.setting)
        #expect(player.elapsed == 22 && facilitator.elapsed == 22)
        base.advance(by: 5)
        #expect(player.elapsed == 42 && player.now() == facilitator.now())

        facilitator.pause()
        player.follow(facilitator.setting)
        base.advance(by: 50)
        #expect(player.isPaused && player.elapsed == 42 && facilitator.elapsed == 42)

        // A setting as the log records it: where scenario time stood at a wall time.
        player.follow(ScenarioClock.Setting(elapsed: 100, since: base.now().addingTimeInterval(-10), speed: 2, paused: false))
        #expect(player.elapsed == 120 && !player.isPaused && player.speed == 2)
    }

    @Test("a setting logged by the facilitator and folded from the log puts a player's clock where the facilitator's is")
    func followFromLog() throws {
        let base = ManualClock(now: Self.wall)
        let facilitator = ScenarioClock(epoch: Self.epoch, base: base, speed: 2)
        let scenario = DrillScenario(id: "d", title: "Drill", audience: nil, description: nil, duration: 3600, objectives: [], start: [:],
                                     injects: [], file: "d.yaml")
        var prev = HashChain.genesis
        func seal(_ entry: LogEntry, _ seq: Int) -> LogRecord {
            let record = HashChain.seal(entry, incident: "drill-1", seq: seq, prev: prev).record
            prev = record.hash
            return record
        }
        let opened = seal(.drillOpened(scenario, sha256: "00", speed: 2, actor: "fac", at: facilitator.now(), wall: base.now()), 1)
        var progress = try #require(DrillProgress(opening: opened))
        #expect(progress.epoch == Self.epoch && progress.setting.speed == 2 && progress.setting.elapsed == 0)

        base.advance(by: 7)
        facilitator.setSpeed(10)
        progress.apply(seal(.drillControl("speed", setting: facilitator.setting, actor: "fac", at: facilitator.now()), 2))
        base.advance(by: 2)
        let player = ScenarioClock(epoch: progress.epoch, base: base, paused: true)
        player.follow(progress.setting)
        #expect(player.elapsed == 34 && facilitator.elapsed == 34)

        facilitator.pause()
        progress.apply(seal(.drillControl("pause", setting: facilitator.setting, actor: "fac", at: facilitator.now()), 3))
        base.advance(by: 30)
        player.follow(progress.setting)
        #expect(player.isPaused && player.elapsed == 34)
    }

    @Test("how long in real time until a scenario time: none over a base clock that does not move by itself, or while paused")
    func realTime() {
        let (clock, _) = Self.clocks(speed: 60)
        #expect(clock.realTime(until: Self.scenario(60)) == nil)

        let live = ScenarioClock(epoch: Self.epoch, base: WallClock(), speed: 60)
        let wait = live.realTime(until: Self.scenario(60))
        #expect(wait.map { $0 > 0.9 && $0 <= 1.01 } == true, "\(String(describing: wait))")
        live.pause()
        #expect(live.realTime(until: Self.scenario(60)) == nil)
    }

    // MARK: - Sleepers

    @Test("a sleeper wakes when scenario time reaches its deadline, at the clock's speed")
    func sleeperAtSpeed() async throws {
        let (clock, base) = Self.clocks(speed: 4)
        let sleeper = Task { try await clock.sleep(until: Self.scenario(40)); return clock.elapsed }
        await base.sleepers(atLeast: 1)
        base.advance(by: 9)
        // Scenario time is at 36: it still sleeps on the base clock.
        await base.sleepers(atLeast: 1)
        base.advance(by: 1)
        #expect(try await sleeper.value == 40)
    }

    @Test("sleepers wake one by one as scenario time reaches each deadline")
    func twoSleepers() async throws {
        let (clock, base) = Self.clocks(speed: 2)
        let first = Task { try await clock.sleep(until: Self.scenario(10)); return clock.elapsed }
        let second = Task { try await clock.sleep(until: Self.scenario(20)); return clock.elapsed }
        await base.sleepers(atLeast: 2)
        base.advance(by: 5)
        #expect(try await first.value == 10)
        await base.sleepers(atLeast: 1)
        base.advance(by: 5)
        #expect(try await second.value == 20)
    }

    @Test("a deadline already reached returns at once, running or paused")
    func pastDeadline() async throws {
        let (clock, base) = Self.clocks()
        base.advance(by: 30)
        try await clock.sleep(until: Self.scenario(30))
        try await clock.sleep(until: Self.scenario(10))
        clock.pause()
        try await clock.sleep(until: Self.scenario(29))
        #expect(clock.elapsed == 30)
    }

    @Test("pause holds a sleeper however far the base clock moves; after resume it wakes at its scenario time")
    func sleeperPaused() async throws {
        let (clock, base) = Self.clocks()
        let sleeper = Task { try await clock.sleep(until: Self.scenario(10)); return clock.elapsed }
        await base.sleepers(atLeast: 1)
        base.advance(by: 4)
        clock.pause()
        // Past where it would have woken, had the clock run on.
        base.advance(by: 20)
        clock.resume()
        await base.sleepers(atLeast: 1)
        base.advance(by: 5)
        #expect(clock.elapsed == 9)
        await base.sleepers(atLeast: 1)
        base.advance(by: 1)
        #expect(try await sleeper.value == 10)
    }

    @Test("a speed change while a sleeper waits brings its wake-up nearer in real time")
    func sleeperSpeedChange() async throws {
        let (clock, base) = Self.clocks()
        let sleeper = Task { try await clock.sleep(until: Self.scenario(60)); return clock.elapsed }
        await base.sleepers(atLeast: 1)
        base.advance(by: 30)
        clock.setSpeed(30)
        // 30 scenario seconds left at ×30: one second of base time, not thirty.
        base.advance(by: 1)
        #expect(try await sleeper.value == 60)
    }

    @Test("a jump to or past a sleeper's deadline wakes it without the base clock moving; a shorter jump leaves it the rest")
    func sleeperJump() async throws {
        let (clock, base) = Self.clocks()
        let sleeper = Task { try await clock.sleep(until: Self.scenario(600)); return clock.elapsed }
        await base.sleepers(atLeast: 1)
        clock.jump(to: 900)
        #expect(try await sleeper.value == 900)
        #expect(base.now() == Self.wall)

        let second = Task { try await clock.sleep(until: Self.scenario(1000)); return clock.elapsed }
        await base.sleepers(atLeast: 1)
        clock.jump(to: 990)
        base.advance(by: 10)
        #expect(try await second.value == 1000)
    }

    @Test("following a setting past a sleeper's deadline wakes it, even from a paused clock")
    func sleeperFollow() async throws {
        let (clock, base) = Self.clocks(paused: true)
        let sleeper = Task { try await clock.sleep(until: Self.scenario(120)); return clock.elapsed }
        // Paused: it waits for a change, not on the base clock; whether it waits yet or not, the setting wakes it.
        await Task.yield()
        clock.follow(ScenarioClock.Setting(elapsed: 150, since: base.now(), speed: 1, paused: true))
        #expect(try await sleeper.value == 150)
    }

    @Test("a sleeper is cancelled with its task, running or paused")
    func cancellation() async {
        let (clock, base) = Self.clocks()
        let running = Task { try await clock.sleep(until: Self.scenario(60)) }
        await base.sleepers(atLeast: 1)
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }

        clock.pause()
        let paused = Task { try await clock.sleep(until: Self.scenario(60)) }
        paused.cancel()
        await #expect(throws: CancellationError.self) { try await paused.value }
        #expect(clock.elapsed == 0)
    }
}

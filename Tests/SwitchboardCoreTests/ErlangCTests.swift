import Testing
@testable import SwitchboardCore

@Suite("Erlang C staffing math")
struct ErlangCTests {
    /// The Call Centre Helper worked example ("Erlang C Formula – Made Simple With an Easy Worked
    /// Example"): 100 calls in 30 minutes, AHT 180 s, target 80 % answered within 20 s.
    /// Its published results, to 7 digits and more, are in two independent implementations:
    /// - R package ErlangC 0.1.0, README on CRAN:
    ///   https://stat.ethz.ch/CRAN/web/packages/ErlangC/readme/README.html
    ///   (also https://rdocumentation.org/packages/ErlangC/versions/0.1.0): traffic 10; with 14
    ///   agents wait probability 0.1741319, service level 0.88835, ASA 7.83593701177724 s,
    ///   occupancy 0.7142857; with 11 agents wait probability 0.6821182, service level 0.3896138;
    ///   14 agents needed for 80 %.
    /// - pyworkforce 0.1.0 on PyPI, https://pypi.org/project/pyworkforce/0.1.0/: raw_positions 14,
    ///   service_level 0.8883500191794669, waiting_probability 0.1741319335950498.
    static let worked = ErlangC(callsPerInterval: 100, intervalSeconds: 1800, averageHandleSeconds: 180)!

    @Test("the worked example's traffic, wait probability, service level and ASA")
    func workedExample() throws {
        let model = Self.worked
        #expect(abs(model.trafficErlangs - 10) < 1e-12)

        let fourteen = try #require(model.probabilityOfWaiting(agents: 14))
        #expect(abs(fourteen - 0.1741319335950498) < 1e-12)
        let level = try #require(model.serviceLevel(agents: 14, thresholdSeconds: 20))
        #expect(abs(level - 0.8883500191794669) < 1e-12)
        let speed = try #require(model.averageSpeedOfAnswer(agents: 14))
        #expect(abs(speed - 7.83593701177724) < 1e-9)
        #expect(abs(model.trafficErlangs / 14 - 0.7142857) < 1e-7)  // occupancy, as published

        let eleven = try #require(model.probabilityOfWaiting(agents: 11))
        #expect(abs(eleven - 0.6821182) < 1e-7)
        let elevenLevel = try #require(model.serviceLevel(agents: 11, thresholdSeconds: 20))
        #expect(abs(elevenLevel - 0.3896138) < 1e-7)
    }

    @Test("14 agents for 80/20, as published; 13 is not enough")
    func agentsNeededForWorkedExample() throws {
        let model = Self.worked
        #expect(model.agentsNeeded(serviceLevel: 0.8, thresholdSeconds: 20) == 14)
        let thirteen = try #require(model.serviceLevel(agents: 13, thresholdSeconds: 20))
        #expect(thirteen < 0.8)
    }

    @Test("projection carries the same three numbers")
    func projection() throws {
        guard case .projected(let waiting, let level, let speed) = Self.worked.projection(agents: 14, thresholdSeconds: 20) else {
            Issue.record("14 agents keep up with 10 Erlangs")
            return
        }
        #expect(waiting == Self.worked.probabilityOfWaiting(agents: 14))
        #expect(level == Self.worked.serviceLevel(agents: 14, thresholdSeconds: 20))
        #expect(speed == Self.worked.averageSpeedOfAnswer(agents: 14))
    }

    /// Westbay's Erlang calculator manual, "How much traffic can a trunk group handle?":
    /// 15 lines at 1 % blocking carry at most 8.108 Erlangs.
    /// https://erlang.com/calculatormanual/howmuchtrafficcanatrunkgrouphandle.htm
    /// B(10 E, 10 lines) ≈ 0.2146 is what the published 11-agent wait probability above implies
    /// through C = N·B / (N − A·(1 − B)) and one step of the recursion.
    @Test("Erlang B against a published trunk table value")
    func erlangB() {
        #expect(abs(ErlangC.erlangB(traffic: 8.108, servers: 15) - 0.01) < 1e-5)
        #expect(abs(ErlangC.erlangB(traffic: 10, servers: 10) - 0.2146) < 1e-4)
        #expect(ErlangC.erlangB(traffic: 10, servers: 0) == 1)
    }

    @Test("N == A and N < A cannot keep up: no numbers, no NaN", arguments: [10, 9, 1, 0, -3])
    func cannotKeepUp(agents: Int) {
        let model = Self.worked
        #expect(model.trafficErlangs == 10)  // exactly, so 10 agents is the N == A edge
        #expect(model.projection(agents: agents, thresholdSeconds: 20) == .cannotKeepUp)
        #expect(model.probabilityOfWaiting(agents: agents) == nil)
        #expect(model.serviceLevel(agents: agents, thresholdSeconds: 20) == nil)
        #expect(model.averageSpeedOfAnswer(agents: agents) == nil)
    }

    @Test("thousands of agents: finite, within 0…1, monotone in N")
    func stableAtScale() throws {
        let model = try #require(ErlangC(arrivalRatePerSecond: 20, averageHandleSeconds: 240))  // 4,800 Erlangs
        let atFiveThousand = try #require(model.probabilityOfWaiting(agents: 5000))
        #expect(atFiveThousand.isFinite && (0...1).contains(atFiveThousand))

        var previousWaiting = 1.0
        var previousLevel = 0.0
        for agents in 4801...5200 {
            let waiting = try #require(model.probabilityOfWaiting(agents: agents))
            let level = try #require(model.serviceLevel(agents: agents, thresholdSeconds: 20))
            let speed = try #require(model.averageSpeedOfAnswer(agents: agents))
            #expect(waiting.isFinite && (0...1).contains(waiting) && waiting <= previousWaiting)
            #expect(level.isFinite && (0...1).contains(level) && level >= previousLevel)
            #expect(speed.isFinite && speed >= 0)
            (previousWaiting, previousLevel) = (waiting, level)
        }

        let needed = try #require(model.agentsNeeded(serviceLevel: 0.8, thresholdSeconds: 20))
        #expect((4801...5000).contains(needed))
        #expect(try #require(model.serviceLevel(agents: needed, thresholdSeconds: 20)) >= 0.8)
        #expect(try #require(model.serviceLevel(agents: needed - 1, thresholdSeconds: 20)) < 0.8)
    }

    @Test("no traffic needs one agent, who answers every call at once")
    func noTraffic() throws {
        for model in [ErlangC(arrivalRatePerSecond: 0, averageHandleSeconds: 180)!, ErlangC(arrivalRatePerSecond: 0.1, averageHandleSeconds: 0)!] {
            #expect(model.trafficErlangs == 0)
            #expect(model.agentsNeeded(serviceLevel: 0.8, thresholdSeconds: 20) == 1)
            #expect(model.projection(agents: 1, thresholdSeconds: 0) == .projected(probabilityOfWaiting: 0, serviceLevel: 1, averageSpeedOfAnswerSeconds: 0))
            #expect(model.projection(agents: 0, thresholdSeconds: 20) == .cannotKeepUp)
        }
    }

    @Test("a zero threshold is the share answered at once; a negative one counts as zero")
    func zeroThreshold() throws {
        let waiting = try #require(Self.worked.probabilityOfWaiting(agents: 14))
        #expect(Self.worked.serviceLevel(agents: 14, thresholdSeconds: 0) == 1 - waiting)
        #expect(Self.worked.serviceLevel(agents: 14, thresholdSeconds: -5) == 1 - waiting)
    }

    @Test("targets outside 0..<1 have no answer", arguments: [1.0, 1.5, -0.1, .nan])
    func unreachableTargets(target: Double) {
        #expect(Self.worked.agentsNeeded(serviceLevel: target, thresholdSeconds: 20) == nil)
    }

    @Test("a zero target is met by the first agent count that keeps up")
    func zeroTarget() {
        #expect(Self.worked.agentsNeeded(serviceLevel: 0, thresholdSeconds: 20) == 11)
    }

    @Test("traffic beyond any queue's size has no answer")
    func beyondTheCap() throws {
        let model = try #require(ErlangC(arrivalRatePerSecond: 10_000, averageHandleSeconds: 200))
        #expect(model.agentsNeeded(serviceLevel: 0.8, thresholdSeconds: 20) == nil)
    }

    @Test("negative, infinite or NaN inputs and empty intervals make no model")
    func invalidInputs() {
        #expect(ErlangC(arrivalRatePerSecond: -1, averageHandleSeconds: 180) == nil)
        #expect(ErlangC(arrivalRatePerSecond: 0.1, averageHandleSeconds: -1) == nil)
        #expect(ErlangC(arrivalRatePerSecond: .nan, averageHandleSeconds: 180) == nil)
        #expect(ErlangC(arrivalRatePerSecond: .infinity, averageHandleSeconds: 180) == nil)
        #expect(ErlangC(arrivalRatePerSecond: 1e300, averageHandleSeconds: 1e300) == nil)
        #expect(ErlangC(callsPerInterval: 100, intervalSeconds: 0, averageHandleSeconds: 180) == nil)
    }
}

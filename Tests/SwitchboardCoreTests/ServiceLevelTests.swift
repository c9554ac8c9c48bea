import Testing
@testable import SwitchboardCore

@Suite("Queue service level, ASA, abandonment, occupancy")
struct ServiceLevelTests {
    /// 200 offered over half an hour: 170 answered (150 within the threshold), 30 abandoned of
    /// which 10 short; 3,400 s of queue time over the answered calls; 22 on call, 2 in wrap-up,
    /// 6 available.
    static let halfHour = QueueSnapshot(
        queue: "sales", intervalSeconds: 1800, thresholdSeconds: 20,
        offered: 200, answered: 170, answeredWithinThreshold: 150, abandoned: 30, shortAbandoned: 10,
        waiting: 3, longestWaitSeconds: 42, averageHandleSeconds: 240, totalAnswerWaitSeconds: 3400,
        loggedIn: 32, available: 6, onCall: 22, wrapUp: 2, away: 2)

    @Test("the three abandon treatments divide by offered, offered − abandoned, offered − short abandons")
    func abandonTreatments() {
        let snapshot = Self.halfHour
        #expect(snapshot.serviceLevel(abandons: .counted) == 150.0 / 200)
        #expect(snapshot.serviceLevel(abandons: .excluded) == 150.0 / 170)
        #expect(snapshot.serviceLevel(abandons: .shortExcluded) == 150.0 / 190)
    }

    @Test("treatments are named as the site config spells them")
    func rawValues() {
        #expect(AbandonTreatment.allCases.map(\.rawValue) == ["counted", "excluded", "short-excluded"])
        #expect(AbandonTreatment(rawValue: "short-excluded") == .shortExcluded)
    }

    @Test("ASA, abandonment, occupancy and arrival rate")
    func otherMetrics() {
        let snapshot = Self.halfHour
        #expect(snapshot.averageSpeedOfAnswerSeconds == 20)
        #expect(snapshot.abandonmentRate(excludingShortAbandons: false) == 30.0 / 200)
        #expect(snapshot.abandonmentRate(excludingShortAbandons: true) == 20.0 / 190)
        #expect(snapshot.occupancy == 24.0 / 30)
        #expect(snapshot.arrivalRatePerSecond == 200.0 / 1800)
    }

    @Test("no calls is no service level, not 0 % and not 100 %")
    func zeroDenominators() {
        var quiet = Self.halfHour
        (quiet.offered, quiet.answered, quiet.answeredWithinThreshold, quiet.abandoned, quiet.shortAbandoned) = (0, 0, 0, 0, 0)
        for treatment in AbandonTreatment.allCases {
            #expect(quiet.serviceLevel(abandons: treatment) == nil)
        }
        #expect(quiet.abandonmentRate(excludingShortAbandons: false) == nil)
        #expect(quiet.abandonmentRate(excludingShortAbandons: true) == nil)
        #expect(quiet.averageSpeedOfAnswerSeconds == nil)
        #expect(quiet.arrivalRatePerSecond == 0)

        var allAbandoned = quiet
        (allAbandoned.offered, allAbandoned.abandoned, allAbandoned.shortAbandoned) = (5, 5, 5)
        #expect(allAbandoned.serviceLevel(abandons: .counted) == 0)
        #expect(allAbandoned.serviceLevel(abandons: .excluded) == nil)
        #expect(allAbandoned.serviceLevel(abandons: .shortExcluded) == nil)
        #expect(allAbandoned.abandonmentRate(excludingShortAbandons: true) == nil)
    }

    @Test("no ASA without the queue time, no occupancy without staff, no rate without an interval")
    func unknowns() {
        var snapshot = Self.halfHour
        snapshot.totalAnswerWaitSeconds = nil
        #expect(snapshot.averageSpeedOfAnswerSeconds == nil)
        (snapshot.available, snapshot.onCall, snapshot.wrapUp) = (0, 0, 0)
        #expect(snapshot.occupancy == nil)
        snapshot.intervalSeconds = 0
        #expect(snapshot.arrivalRatePerSecond == nil)
    }
}

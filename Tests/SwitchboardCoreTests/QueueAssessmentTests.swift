import Foundation
import Testing
@testable import SwitchboardCore

/// What a queue's figures mean for the AGENTS & SLA pane: status, summary, staffing, and
/// whether an alternate site could take its calls.
@Suite("Queue assessment")
struct QueueAssessmentTests {
    static let target = ServiceTarget(percent: 80, thresholdSeconds: 20)

    /// 100 calls in 30 minutes at 180 s: 10 Erlangs, 14 agents needed for 80/20 (the published
    /// worked example the Erlang C tests cite).
    static func queue(offered: Int = 100, within: Int = 85, staffed: Int = 16) -> QueueSnapshot {
        QueueSnapshot(queue: "sales", intervalSeconds: 1800, offered: offered, answered: offered, answeredWithinThreshold: within,
                      abandoned: 0, waiting: 2, longestWaitSeconds: 42, averageHandleSeconds: 180,
                      loggedIn: staffed + 1, available: 3, onCall: min(staffed - 3, 10), wrapUp: 0, away: 1)
    }

    @Test("ok at target with enough agents; warning under target or short; critical when the agents cannot keep up")
    func status() {
        let fine = QueueAssessment(Self.queue(), target: Self.target, abandons: .counted)
        #expect(fine.needed == 14)
        #expect(fine.status == .ok)
        #expect(fine.summary == "85% / 80% in 20 s · 2 waiting, longest 0:42 · need 14, have 16 · 3 free 10 busy 1 away")

        let under = QueueAssessment(Self.queue(within: 71), target: Self.target, abandons: .counted)
        #expect(under.status == .warning)
        #expect(under.belowTarget)

        let short = QueueAssessment(Self.queue(staffed: 12), target: Self.target, abandons: .counted)
        #expect(short.status == .warning)
        #expect(short.short == 2)
        #expect(short.summary.contains("short 2: need 14, have 12"))
        #expect(short.metrics.contains(Metric(name: "agents.short", value: .number(2, unit: ""))))

        let swamped = QueueAssessment(Self.queue(staffed: 10), target: Self.target, abandons: .counted)
        #expect(swamped.cannotKeepUp)
        #expect(swamped.status == .critical)
        #expect(swamped.summary.contains("cannot keep up: 10 staffed for 10 Erlangs"))
        #expect(!swamped.metrics.contains { $0.name == "expected_wait" }, "no projected wait for a queue that grows without end")
    }

    @Test("a quiet interval has no service level and no staffing figures, and is not a problem")
    func noCalls() {
        let quiet = QueueAssessment(Self.queue(offered: 0, within: 0), target: Self.target, abandons: .counted)
        #expect(quiet.serviceLevel == nil)
        #expect(quiet.status == .ok)
        #expect(quiet.summary.hasPrefix("no calls yet / 80% in 20 s"))
        #expect(!quiet.metrics.contains { $0.name == "service_level" || $0.name == "agents.needed" })
    }

    /// A queue of `erlangs` (at 180 s a call) with the 80/20 target.
    static func load(_ id: String, erlangs: Double) -> QueueLoad {
        QueueLoad(probeID: "queue-\(id)", queue: id, arrivalRatePerSecond: erlangs / 180, averageHandleSeconds: 180, target: target)
    }

    @Test("one queue routed to an alternate site: its agents meet the target, miss it, or cannot keep up")
    func routing() throws {
        let reading = ProbeObservation(status: .ok, summary: "",
                                       metrics: QueueAssessment(Self.queue(), target: Self.target, abandons: .counted).metrics)
        let sales = try #require(QueueLoad(probeID: "queue-sales", reading: reading))
        #expect(sales.queue == "sales" && abs(sales.trafficErlangs - 10) < 0.01)
        let big = RoutingProjection(queues: [sales], to: AlternateSite(id: "tucson", agents: 20))
        #expect(big.meetsTargets)
        #expect(big.needed == 14)
        let small = RoutingProjection(queues: [sales], to: AlternateSite(id: "remote", agents: 12))
        #expect(!small.meetsTargets)
        let tiny = RoutingProjection(queues: [sales], to: AlternateSite(id: "home", agents: 8))
        #expect(tiny.cannotKeepUp && !tiny.meetsTargets)
        #expect(QueueLoad(probeID: "x", reading: ProbeObservation(status: .ok, summary: "")) == nil, "no target, no load")
    }

    @Test("queues routed to one site are checked together: each fits alone, together they do not, and the best combination is named")
    func routingTogether() throws {
        let tucson = AlternateSite(id: "tucson", agents: 20, queues: ["sales", "support", "billing"])
        let loads = [Self.load("sales", erlangs: 10), Self.load("support", erlangs: 7), Self.load("billing", erlangs: 2),
                     Self.load("collections", erlangs: 8)]
        for load in loads.prefix(2) { #expect(RoutingProjection(queues: [load], to: tucson).meetsTargets, "alone, each fits") }

        let together = try #require(RoutingProjection.together(loads, to: tucson))
        #expect(together.queues.map(\.queue) == ["sales", "support", "billing"], "only the queues the site takes")
        #expect(abs(together.trafficErlangs - 19) < 0.01)
        #expect(!together.meetsTargets)
        #expect(!together.cannotKeepUp && together.serviceLevels.allSatisfy { $0 < 0.8 })
        #expect((together.needed ?? 0) > 20)

        let fit = try #require(together.bestFit(keeping: "queue-sales"))
        #expect(fit.queues.map(\.queue) == ["sales", "billing"], "the fitting combination carrying the most calls")
        #expect(fit.meetsTargets)
        #expect(together.bestFit(keeping: "queue-billing")?.queues.map(\.queue) == ["sales", "billing"])
        #expect(RoutingProjection.together(loads, to: AlternateSite(id: "x", agents: 9, queues: ["other"])) == nil)
    }

    @Test("pooled queues with different thresholds are each judged at their own")
    func routingThresholds() {
        let quick = QueueLoad(probeID: "queue-vip", queue: "vip", arrivalRatePerSecond: 4 / 180.0, averageHandleSeconds: 180,
                              target: ServiceTarget(percent: 90, thresholdSeconds: 10))
        let routing = RoutingProjection(queues: [quick, Self.load("sales", erlangs: 4)], to: AlternateSite(id: "t", agents: 11))
        #expect(routing.serviceLevels.count == 2)
        #expect(routing.serviceLevels[0] < routing.serviceLevels[1], "the tighter threshold sees a lower level")
    }
}

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

    @Test("routing to an alternate site: its agents meet the target, miss it, or cannot keep up")
    func routing() throws {
        let reading = ProbeObservation(status: .ok, summary: "",
                                       metrics: QueueAssessment(Self.queue(), target: Self.target, abandons: .counted).metrics)
        let big = try #require(RoutingProjection(reading: reading, to: AlternateSite(id: "tucson", agents: 20)))
        #expect(big.meetsTarget)
        #expect(big.needed == 14)
        let small = try #require(RoutingProjection(reading: reading, to: AlternateSite(id: "remote", agents: 12)))
        #expect(!small.meetsTarget)
        let tiny = try #require(RoutingProjection(reading: reading, to: AlternateSite(id: "home", agents: 8)))
        #expect(tiny.projection == .cannotKeepUp)
        #expect(RoutingProjection(reading: ProbeObservation(status: .ok, summary: ""), to: AlternateSite(id: "x", agents: 5)) == nil)
    }
}

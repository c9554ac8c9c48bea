import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardConsole
import TerminalUI

/// A queue's detail, as the commander reads it before moving calls: all the queues an alternate
/// site takes, routed there together.
@Suite("Console: alternate-site capacity in a queue's detail")
struct AlternateSiteDetailTests {
    /// A queue reading of `offered` calls in 30 minutes at 180 s each (100 calls: 10 Erlangs).
    static func queue(_ id: String, offered: Int, at seconds: Double) -> ConsoleInput {
        let snapshot = QueueSnapshot(queue: id, intervalSeconds: 1800, offered: offered, answered: offered,
                                     answeredWithinThreshold: offered * 8 / 10, abandoned: 0, waiting: 1, longestWaitSeconds: 20,
                                     averageHandleSeconds: 180, loggedIn: 16, available: 2, onCall: 13, wrapUp: 0, away: 1)
        let assessment = QueueAssessment(snapshot, target: ServiceTarget(percent: 80, thresholdSeconds: 20), abandons: .counted)
        return Fixtures.result("queue-\(id)", assessment.status, assessment.summary, at: seconds, metrics: assessment.metrics)
    }

    static func detail(_ state: TestConsole, of probeID: String) throws -> String {
        let probe = try #require(state.site.probe(probeID))
        return ProbeDetailView(theme: .make(color: false, unicode: true))
            .lines(for: probe, site: state.site, alternates: state.reference.alternateSites).map { $0.spans.map(\.text).joined() }.joined(separator: "\n")
    }

    @Test("two queues that each fit alone but not together: the detail says so, and names the combination that fits")
    func together() throws {
        var state = Fixtures.state(size: Size(width: 80, height: 24))
        state.library.reference = SiteReference(alternateSites: [AlternateSite(id: "tucson", name: "Tucson contact center", agents: 20,
                                                                               queues: ["sales", "support"])])
        state.send(Self.queue("sales", offered: 100, at: 41))
        state.send(Self.queue("support", offered: 70, at: 41))
        let text = try Self.detail(state, of: "queue-sales")
        #expect(text.contains("Tucson contact center · 20 agents · takes queue-sales, queue-support"))
        #expect(text.contains("all 2 together (17 Erlangs): misses the target · needs 21 agents"))
        #expect(text.contains("queue-support 72% in 20 s (target 80%)"))
        #expect(text.contains("fits: queue-sales (10 Erlangs): meets the target"))

        // With fewer calls on support, both fit together.
        state.send(Self.queue("support", offered: 20, at: 46))
        let calmer = try Self.detail(state, of: "queue-support")
        #expect(calmer.contains("all 2 together (12 Erlangs): meets the target"))
        #expect(!calmer.contains("fits:"))
    }
}

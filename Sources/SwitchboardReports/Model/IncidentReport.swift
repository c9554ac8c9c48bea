import Foundation
import SwitchboardCore

/// Everything a report says about an incident, gathered from its verified log and readings
/// journals: the digest every format renders, and the `json` format itself. Only lists whose
/// length is bounded by the incident's shape live here (runbooks, queues, people, follow-ups);
/// what grows with the log (the timeline, the notes, each person's activities) is streamed by
/// `ReportWriter` and never held.
///
/// Times are UTC instants; durations are seconds.
public struct IncidentReport: Sendable, Codable, Equatable {
    /// Which program wrote the report, and when.
    public var report: About
    public var verification: Verification
    public var incident: Summary
    /// Impact started, detected, acknowledged, runbook started, mitigated, resolved: each with
    /// where its time comes from.
    public var milestones: [MilestoneTime]
    /// The times between milestones, each naming its two anchors.
    public var durations: [Interval]
    public var runbooks: [RunbookReport]
    /// Every decision: runbook questions answered, and decisions logged in words.
    public var decisions: [Decision]
    public var serviceLevels: [QueueImpact]
    public var comms: CommsReport
    public var sparesUsed: [SpareUse]
    public var roles: [RoleAssignment]
    public var handovers: [Handover]
    public var openTodos: [Todo]
    public var followUps: [FollowUp]
    /// Everyone who logged something, with the incident roles they held: one ICS 214 each.
    public var people: [Person]
    /// Each probe's status over the incident, from the log's probe changes: the swimlanes.
    public var probes: [ProbeLane]
    /// How many notes the log holds (the notes themselves are streamed).
    public var noteCount: Int

    public struct About: Sendable, Codable, Equatable {
        public var format = "switchboard-report"
        public var version = 1
        public var generatedAt: Date
        public var generator: String
    }

    /// What `log verify` found, stated in every format.
    public struct Verification: Sendable, Codable, Equatable {
        /// `intact`, `missing-final-newline`, `truncated-tail`, `tampered`, `records-after-close` or `empty`.
        public var status: String
        /// Whether the report stands on a whole, untampered log.
        public var intact: Bool
        /// The records the report covers: every one, or those before the damage.
        public var records: Int
        /// The last intact record's hash: keep it to prove nothing changed up to it.
        public var head: String?
        /// What is wrong, for a damaged log.
        public var problem: String?
        /// The readings journals: intact, or what is wrong with them.
        public var readings: String
        /// All of it in one line.
        public var statement: String
    }

    public struct Summary: Sendable, Codable, Equatable {
        public var id: String
        public var title: String
        public var site: String
        public var drill: Bool
        /// `open` or `closed`.
        public var status: String
        public var severity: String
        public var severities: [SeverityChange]
        public var openedAt: Date
        public var openedBy: String
        public var closedAt: Date?
        public var closedBy: String?
        public var closingSummary: String?
        /// The last record's time: where an open incident's report ends.
        public var lastRecordAt: Date
        /// From opened to closed (or the last record).
        public var durationSeconds: Double
        public var commanders: [Command]
    }

    public struct SeverityChange: Sendable, Codable, Equatable {
        public var at: Date
        public var severity: String
        public var by: String
    }

    /// One spell of command.
    public struct Command: Sendable, Codable, Equatable {
        public var person: String
        public var from: Date
        public var until: Date?
    }

    public struct MilestoneTime: Sendable, Codable, Equatable {
        /// `impact-started`, `detected`, `acknowledged`, `runbook-started`, `mitigated`, `resolved`.
        public var name: String
        public var at: Date?
        /// Where the time comes from: set by whom in which record (and moved why), or derived from what.
        public var source: String
    }

    public struct Interval: Sendable, Codable, Equatable {
        public var name: String
        public var from: String
        public var to: String
        public var seconds: Double?
        /// The two anchors in words, with what the industry may call it.
        public var meaning: String
    }

    public struct RunbookReport: Sendable, Codable, Equatable {
        public var id: String
        public var title: String
        public var startedAt: Date
        public var startedBy: String
        /// The trigger that suggested it, when a suggestion was accepted.
        public var trigger: String?
        /// When it reached its end; nil while it was still running.
        public var finishedAt: Date?
        public var steps: [StepReport]
    }

    public struct StepReport: Sendable, Codable, Equatable {
        public var id: String
        public var text: String
        /// `done`, `done by itself`, `answered`, `skipped`, `blocked`, `current` (reached, no
        /// outcome yet) or `not reached`.
        public var outcome: String
        public var reason: String?
        public var answer: String?
        public var why: String?
        /// When it first became current, and when its outcome was last logged.
        public var startedAt: Date?
        public var endedAt: Date?
        /// When the runbook moved on from it without an outcome (its deadline passed, or another step was taken up).
        public var leftAt: Date?
        public var tookSeconds: Double?
        public var by: String?
        /// How many times it was done (recurring steps).
        public var rounds: Int
        public var overdue: Bool
        /// Its deadline, and how far past it the step ended (or the report ends).
        public var withinSeconds: Double?
        public var overdueBySeconds: Double?
        /// The readings that completed a wait.
        public var waitEvidence: String?
        /// The step's check when it was marked done: how it read, and on what readings.
        public var check: String?
        public var checkState: String?
        public var checkEvidence: String?
    }

    public struct Decision: Sendable, Codable, Equatable {
        public var seq: Int
        public var at: Date
        public var by: String
        public var runbook: String?
        public var step: String?
        public var question: String?
        public var answer: String?
        /// Why, as the person wrote it (or the decision itself, for one logged in words).
        public var text: String
    }

    /// One queue's service as the readings tell it.
    public struct QueueImpact: Sendable, Codable, Equatable {
        public var probe: String
        public var queue: String
        /// The service-level target, in percent.
        public var target: Double?
        public var lowestServiceLevel: Double?
        public var lowestAt: Date?
        /// Minutes the service level was under target, reading to reading.
        public var minutesBelowTarget: Double
        public var peakWaiting: Int?
        public var peakWaitingAt: Date?
        public var longestWaitSeconds: Double?
        public var peakAgentsShort: Int?
        public var peakAgentsShortAt: Date?
        public var readings: Int
        /// Whose readings: the console (actor) that journaled them.
        public var readBy: String
        /// The service level over time, at most a few hundred points (lowest of each span).
        public var series: [Point]
    }

    public struct Point: Sendable, Codable, Equatable {
        public var at: Date
        public var value: Double
    }

    public struct CommsReport: Sendable, Codable, Equatable {
        /// The cadence clients are owed: the first update this long after opening, then every.
        public var firstSeconds: Double
        public var everySeconds: Double
        public var messages: [Message]
        /// Updates owed and not sent in time: due, and when one finally went (or the end).
        public var gaps: [Gap]
        /// One line: how many, how many late, the longest lateness.
        public var summary: String
    }

    public struct Message: Sendable, Codable, Equatable {
        public var seq: Int
        public var at: Date
        public var by: String
        public var template: String
        public var channel: String
        public var audience: String?
        public var subject: String?
        /// Exactly as sent.
        public var text: String
        /// A client update that counts for the cadence, when it was due and how late it went.
        public var countsForCadence: Bool
        public var dueAt: Date?
        public var lateBySeconds: Double?
    }

    public struct Gap: Sendable, Codable, Equatable {
        public var dueAt: Date
        /// When an update finally went, or when the incident closed (or the report ends) without one.
        public var until: Date
        public var lateBySeconds: Double
        public var filled: Bool
    }

    public struct SpareUse: Sendable, Codable, Equatable {
        public var at: Date
        public var spare: String
        public var item: String
        public var count: Int
        public var by: String
    }

    public struct RoleAssignment: Sendable, Codable, Equatable {
        public var at: Date
        public var role: String
        public var person: String
        public var by: String
    }

    public struct Handover: Sendable, Codable, Equatable {
        public var at: Date
        public var from: String
        public var to: String
        /// `offered` (waiting for the other console), `console` or `voice`.
        public var how: String
        public var by: String
    }

    public struct Todo: Sendable, Codable, Equatable {
        public var seq: Int
        public var at: Date
        public var by: String
        public var text: String
    }

    /// A post-incident item from the site's config, with its owner and due date.
    public struct FollowUp: Sendable, Codable, Equatable {
        public var id: String
        public var action: String
        public var owner: String
        /// Counted from resolved (else closed, else the report's end).
        public var due: Date?
        public var notes: String?
    }

    public struct Person: Sendable, Codable, Equatable {
        public var name: String
        /// Incident roles held (incident commander, scribe, …), in the order first held.
        public var positions: [String]
        /// Their place in the site's staff list, when they are on it.
        public var staffRole: String?
        public var records: Int
        public var firstAt: Date
        public var lastAt: Date
    }

    public struct ProbeLane: Sendable, Codable, Equatable {
        public var probe: String
        public var pane: String
        /// Status spells, oldest first; each lasts until the next (the last until the end).
        public var spells: [Spell]
        /// The worst status the probe showed.
        public var worst: String
    }

    public struct Spell: Sendable, Codable, Equatable {
        public var from: Date
        public var status: String
    }
}

import Foundation
import SwitchboardCore

/// A moment worth finding in a recorded incident: the timeline strip shows them, `[` and `]`
/// move between them.
public struct ReviewMarker: Sendable, Equatable {
    /// What happened, most telling first: where several share a column of the strip, the first
    /// kind in this order is the one drawn.
    public enum Kind: Int, Sendable, Comparable, CaseIterable {
        /// Opened, closed, severity changed, a milestone.
        case incident
        /// Command handed over, a role assigned.
        case handover
        case decision
        /// A customer message sent.
        case message
        /// A drill inject.
        case inject
        /// A probe changed state (`status` is its new one).
        case probe
        /// A runbook started, a step done, skipped, blocked, reopened or overdue.
        case step

        public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }

        /// The word the help's legend uses.
        public var name: String {
            switch self {
            case .incident: "incident opened, closed, severity, milestone"
            case .handover: "command handed over, role assigned"
            case .decision: "decision"
            case .message: "customer message sent"
            case .inject: "drill inject"
            case .probe: "probe changed state"
            case .step: "runbook started, step done, skipped, blocked"
            }
        }
    }

    public var kind: Kind
    public var at: Date
    public var seq: Int
    /// A probe change's new state.
    public var status: DisplayStatus?

    /// The marker a record makes, if it is one.
    public init?(_ record: LogRecord) {
        let kind: Kind
        switch record.kind {
        case LogKind.opened, LogKind.severity, LogKind.closed, "incident.milestone": kind = .incident
        case LogKind.handoff, LogKind.roleAssigned: kind = .handover
        case LogKind.decision: kind = .decision
        case LogKind.commsSent: kind = .message
        case "drill.inject": kind = .inject
        case LogKind.probeChanged: kind = .probe
        case LogKind.runbookStarted, LogKind.stepDone, LogKind.stepSkipped, LogKind.stepBlocked, LogKind.stepReopened,
             LogKind.stepOverdue: kind = .step
        default: return nil
        }
        self.kind = kind
        at = record.at
        seq = record.seq
        status = kind == .probe ? record["to"]?.string.flatMap(DisplayStatus.init(rawValue:)) : nil
    }
}

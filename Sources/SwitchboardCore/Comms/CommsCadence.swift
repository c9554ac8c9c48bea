import Foundation

/// How often clients must hear from the site while an incident is open: the first update within
/// `first` of opening, then one every `every` after the last one sent. Only client updates count
/// (templates whose audience is clients, or marked `cadence: true`). Site config may change
/// both (`comms_cadence: {first: 5m, every: 20m}`); these are the defaults.
public struct CommsCadence: Sendable, Equatable {
    public static let keys = ["first", "every"]

    public var first: TimeInterval
    public var every: TimeInterval

    public init(first: TimeInterval = 5 * 60, every: TimeInterval = 20 * 60) {
        self.first = first
        self.every = every
    }

    /// When the next update is due for `incident`; nil once it is closed.
    public func nextDue(for incident: IncidentState) -> Date? {
        guard incident.isOpen else { return nil }
        if let last = incident.lastClientUpdateAt { return last.addingTimeInterval(every) }
        return incident.openedAt.addingTimeInterval(first)
    }
}

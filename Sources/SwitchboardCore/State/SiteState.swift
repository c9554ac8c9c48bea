import Foundation

/// A probe's state as the console shows it: one of the four plugin states, or `stale` when the
/// probe has not answered within twice its interval, or `pending` before its first answer.
public enum DisplayStatus: String, Sendable, CaseIterable {
    case ok, warning, critical, unknown, stale, pending

    public init(_ status: ProbeStatus) {
        switch status {
        case .ok: self = .ok
        case .warning: self = .warning
        case .critical: self = .critical
        case .unknown: self = .unknown
        }
    }

    /// Rank for "worst in the pane": critical, warning, unknown, stale, ok, pending.
    public var severity: Int {
        switch self {
        case .pending: 0
        case .ok: 1
        case .stale: 2
        case .unknown: 3
        case .warning: 4
        case .critical: 5
        }
    }
}

/// One past reading kept for the sparkline and the detail view's history.
public struct ProbeHistoryEntry: Sendable, Equatable {
    public init(at: Date, status: ProbeStatus, summary: String, value: Double?) {
        self.at = at
        self.status = status
        self.summary = summary
        self.value = value
    }

    public var at: Date
    public var status: ProbeStatus
    public var summary: String
    /// The main metric's value, when it is numeric.
    public var value: Double?
}

/// Everything the console knows about one probe.
public struct ProbeState: Sendable, Equatable {
    public static let historyLimit = 60

    public let spec: ProbeSpec
    /// The newest result, with summary and details already sanitized for the screen.
    public internal(set) var latest: ProbeResult?
    /// The status shown: the newest result's, except while a problem is still soft (fewer than
    /// `spec.attempts` non-OK results in a row), when the previous hard status stays. Nil until
    /// the first hard result.
    public internal(set) var hardStatus: ProbeStatus?
    /// Non-OK results in a row, counting the newest.
    public internal(set) var problemStreak = 0
    /// When the current status began.
    public internal(set) var since: Date?
    public internal(set) var history: [ProbeHistoryEntry] = []
    /// Set once a stale probe has been recorded as such, so it is recorded once.
    var staleRecorded = false

    public init(spec: ProbeSpec) {
        self.spec = spec
    }

    /// The status to show at `now`.
    public func displayStatus(at now: Date, startedAt: Date) -> DisplayStatus {
        guard let latest else {
            return now > staleAt(startedAt: startedAt) ? .stale : .pending
        }
        if now > staleAt(startedAt: startedAt) || latest.observation.keptFrom != nil { return .stale }
        return hardStatus.map(DisplayStatus.init) ?? .pending
    }

    /// The instant after which the probe is stale without another answer: twice its interval
    /// after its latest answer, or after the console started, whichever is later. A console
    /// gives every probe its chance to answer before calling it silent, so a reading restored
    /// from before a restart is not stale merely because the console was not running.
    public func staleAt(startedAt: Date) -> Date {
        max(latest?.at ?? startedAt, startedAt).addingTimeInterval(spec.interval.seconds * 2)
    }

    /// A problem seen but not yet confirmed by `spec.attempts` results in a row.
    public struct SoftProblem: Sendable, Equatable {
        public var status: ProbeStatus
        public var attempt: Int
        public var of: Int
    }

    /// The soft problem the newest result shows, if it differs from the shown status.
    public var softProblem: SoftProblem? {
        guard let latest, latest.observation.status != .ok, latest.observation.status != hardStatus else { return nil }
        return SoftProblem(status: latest.observation.status, attempt: problemStreak, of: spec.attempts)
    }

    /// The metric the row and sparkline show: the configured one, else the first numeric one.
    public var mainMetric: Metric? {
        guard let metrics = latest?.observation.metrics else { return nil }
        if let name = spec.mainMetric { return metrics.first { $0.name == name } }
        return metrics.first { $0.value.number != nil }
    }

    /// The main metric's recent values, oldest first, for the sparkline.
    public var series: [Double] { history.compactMap(\.value) }
}

/// A probe changing state: kept so the console can show what changed and when, and (with the
/// action log) recorded in the incident.
public struct StateChange: Sendable, Equatable {
    public var at: Date
    public var probeID: String
    public var from: DisplayStatus
    public var to: DisplayStatus
    public var summary: String
    /// The metrics of the reading that made the change (none for a probe gone stale).
    public var metrics: [Metric] = []
    /// For a probe answering again after going stale: the status it had before it fell silent.
    public var beforeSilence: DisplayStatus?

    public init(at: Date, probeID: String, from: DisplayStatus, to: DisplayStatus, summary: String, metrics: [Metric] = []) {
        self.at = at
        self.probeID = probeID
        self.from = from
        self.to = to
        self.summary = summary
        self.metrics = metrics
    }
}

/// The site as the console sees it: every probe's state and the recent changes.
public struct SiteState: Sendable, Equatable {
    public static let changeLimit = 500

    public let siteName: String
    public let isDemo: Bool
    /// When the console started watching: a probe that never answered is stale twice its
    /// interval after this.
    public let startedAt: Date
    /// The time of the newest clock event; the view computes ages and staleness from it.
    public internal(set) var now: Date
    public internal(set) var probes: [ProbeState]
    /// Newest last.
    public internal(set) var changes: [StateChange] = []
    /// Every change ever made, including those dropped from `changes`.
    public internal(set) var changeCount = 0
    private var indexByID: [String: Int]

    public init(siteName: String, isDemo: Bool, specs: [ProbeSpec], startedAt: Date) {
        self.siteName = siteName
        self.isDemo = isDemo
        self.startedAt = startedAt
        self.now = startedAt
        self.probes = specs.map(ProbeState.init)
        self.indexByID = Dictionary(specs.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func probe(_ id: String) -> ProbeState? {
        indexByID[id].map { probes[$0] }
    }

    public func probes(in pane: Pane) -> [ProbeState] {
        probes.filter { $0.spec.pane == pane }
    }

    public func displayStatus(of probe: ProbeState) -> DisplayStatus {
        probe.displayStatus(at: now, startedAt: startedAt)
    }

    /// The worst status in a pane, for its title; nil for a pane with no probes.
    public func worstStatus(in pane: Pane) -> DisplayStatus? {
        probes(in: pane).map(displayStatus(of:)).max { $0.severity < $1.severity }
    }

    func index(of id: String) -> Int? { indexByID[id] }
}

import Foundation

/// What one run of a probe found. Probes produce these off the UI thread; they reach the console
/// only as events, so everything here is a plain value.
public struct ProbeObservation: Sendable, Equatable {
    public var status: ProbeStatus
    /// One line a person reads at a glance ("on battery · 83 % · 14 min left").
    public var summary: String
    /// Further lines of output (a plugin's long text), shown in the probe's detail view.
    public var details: String
    public var metrics: [Metric]
    /// Set when the source could not be read this time and `metrics` are the last good reading,
    /// taken at this time: the console shows them, marked stale, rather than nothing or a guess.
    public var keptFrom: Date?

    public init(status: ProbeStatus, summary: String, details: String = "", metrics: [Metric] = [], keptFrom: Date? = nil) {
        self.status = status
        self.summary = summary
        self.details = details
        self.metrics = metrics
        self.keptFrom = keptFrom
    }

    /// The value of a metric by name.
    public func metric(_ name: String) -> MetricValue? {
        metrics.first { $0.name == name }?.value
    }
}

/// An observation stamped with the probe it belongs to, when it was taken and how long it took.
public struct ProbeResult: Sendable, Equatable {
    public var probeID: String
    public var observation: ProbeObservation
    public var at: Date
    public var duration: Duration

    public init(probeID: String, observation: ProbeObservation, at: Date, duration: Duration) {
        self.probeID = probeID
        self.observation = observation
        self.at = at
        self.duration = duration
    }
}

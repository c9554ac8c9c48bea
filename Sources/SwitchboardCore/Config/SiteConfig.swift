import Foundation

/// The four status panes of the console, in screen order.
public enum Pane: String, Sendable, CaseIterable, Codable {
    case power
    case network
    case telephony
    case agents

    /// The pane's heading on screen.
    public var title: String {
        switch self {
        case .power: "POWER"
        case .network: "NETWORK"
        case .telephony: "TELEPHONY"
        case .agents: "AGENTS & SLA"
        }
    }
}

/// What every probe has, whatever its kind: identity, placement, schedule and thresholds.
public struct ProbeSpec: Sendable, Equatable {
    public var id: String
    public var pane: Pane
    public var kind: String
    public var interval: Duration
    public var timeout: Duration
    /// The metric shown in the probe's row and sparkline; the first numeric metric when unset.
    public var mainMetric: String?
    public var thresholds: [MetricThreshold]
    /// Consecutive non-OK results before a problem is shown (Nagios' max check attempts); until
    /// then the problem is *soft* and visible only in the probe's detail.
    public var attempts: Int
    /// For a push probe, the probe whose program publishes its readings (itself, or the stream
    /// it is fed from); nil for a probe the scheduler polls.
    public var pushedBy: String?
    /// Where the probe is defined, for messages.
    public var location: SourceLocation?

    public init(
        id: String, pane: Pane, kind: String, interval: Duration = .seconds(30), timeout: Duration = .seconds(10),
        mainMetric: String? = nil, thresholds: [MetricThreshold] = [], attempts: Int = 1,
        location: SourceLocation? = nil
    ) {
        self.id = id
        self.pane = pane
        self.kind = kind
        self.interval = interval
        self.timeout = timeout
        self.mainMetric = mainMetric
        self.thresholds = thresholds
        self.attempts = attempts
        self.location = location
    }
}

/// A probe from the config: its common spec and the kind-specific instance that observes.
public struct ConfiguredProbe: Sendable {
    public var spec: ProbeSpec
    public var probe: any ProbeKind

    public init(spec: ProbeSpec, probe: any ProbeKind) {
        self.spec = spec
        self.probe = probe
    }
}

/// A loaded `switchboard.yaml`: the site, its probes, the reference data runbooks point at,
/// and where its runbooks are.
public struct SiteConfig: Sendable {
    public var site: String
    /// The file it was read from, or a description such as "built-in demo site".
    public var source: String
    /// True for the built-in demo site, which the header marks `DEMO`.
    public var isDemo: Bool
    public var probes: [ConfiguredProbe]
    public var reference: SiteReference
    /// Runbook folders and files, resolved against the config file's folder.
    public var runbookPaths: [String]
    /// Where each of `runbookPaths` is written in the config, so a missing folder is reported
    /// at its line.
    public var runbookPathLocations: [String: SourceLocation] = [:]

    public init(site: String, source: String, isDemo: Bool, probes: [ConfiguredProbe],
                reference: SiteReference = SiteReference(), runbookPaths: [String] = []) {
        self.site = site
        self.source = source
        self.isDemo = isDemo
        self.probes = probes
        self.reference = reference
        self.runbookPaths = runbookPaths
    }
}

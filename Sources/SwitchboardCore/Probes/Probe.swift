import Foundation

/// A kind of probe: one type that reads its own options from the site config. Adding a native
/// kind is one file with a type conforming to `Probe` (asked to observe at its interval) or
/// `PushProbe` (publishes whenever it has news), plus one line registering it in the catalog.
public protocol ProbeKind: Sendable {
    /// The `kind:` value that selects this type in `switchboard.yaml`.
    static var kind: String { get }
    /// The config keys this kind reads beyond the common ones (`id`, `pane`, `kind`, `interval`, …).
    static var optionKeys: [String] { get }
    /// Builds the probe from its config entry, failing with the position of a bad option.
    init(spec: ProbeSpec, options: ConfigMapping) throws
    /// The metrics this probe is known to report, with their units or words, so a runbook naming
    /// another, or comparing one in another unit, is caught at load time; nil when only its
    /// readings will tell (a plugin whose config declares none).
    var declaredMetrics: DeclaredMetrics? { get }
    /// The metric a row and its sparkline show when the config names none (`metric:`); nil
    /// for the first numeric one reported.
    static var defaultMetric: String? { get }
}

extension ProbeKind {
    public var declaredMetrics: DeclaredMetrics? { nil }
    public static var defaultMetric: String? { nil }
}

/// A probe the scheduler asks for a reading at its interval.
///
/// `observe(at:)` runs off the UI thread, concurrently with other probes. It must return within
/// the probe's timeout or honour task cancellation, which the scheduler uses to enforce it.
public protocol Probe: ProbeKind {
    /// Takes one reading. `now` is the console's clock when the reading starts: a kind whose
    /// values depend on the time (a simulation, figures kept from an earlier reading) reads it
    /// from here, never from the system, so tests and drills control it.
    func observe(at now: Date) async -> ProbeObservation
}

/// A probe that runs for as long as the console does and publishes observations as they come
/// (a long-lived program printing JSON lines, say). One source may feed several probes: those
/// configured with it as their `upstream` receive the observations addressed to them.
public protocol PushProbe: ProbeKind {
    /// The push probe of the same kind that feeds this one, or nil when this one runs its own
    /// source.
    var upstream: ProbeReference? { get }
    /// Runs the source until the task is cancelled, restarting it as needed. Never returns early
    /// unless cancelled; a probe with an `upstream` returns at once.
    func run(publish: @escaping @Sendable (PushedObservation) -> Void) async
}

/// An observation a push probe published, addressed to itself (`probeID` nil) or to one of the
/// probes it feeds.
public struct PushedObservation: Sendable, Equatable {
    public var probeID: String?
    public var observation: ProbeObservation

    public init(probeID: String? = nil, observation: ProbeObservation) {
        self.probeID = probeID
        self.observation = observation
    }
}

/// A probe named in another probe's options, with where it was named, for error messages.
public struct ProbeReference: Sendable, Equatable {
    public var id: String
    public var location: SourceLocation?

    public init(id: String, location: SourceLocation?) {
        self.id = id
        self.location = location
    }
}

/// The probe kinds a site config may use, by `kind:` name.
public struct ProbeCatalog: Sendable {
    private let kinds: [String: any ProbeKind.Type]

    public init(_ kinds: [any ProbeKind.Type]) {
        self.kinds = Dictionary(kinds.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(kind: String) -> (any ProbeKind.Type)? { kinds[kind] }

    /// The kind names, sorted, for error messages and help.
    public var names: [String] { kinds.keys.sorted() }
}

/// A kind of probe: one type that reads its own options from the site config and observes
/// something when the scheduler asks. Adding a native kind is one file with a type conforming to
/// this protocol, plus one line registering it in the probe catalog.
///
/// `observe()` runs off the UI thread, concurrently with other probes. It must return within
/// the probe's timeout or honour task cancellation, which the scheduler uses to enforce it.
public protocol Probe: Sendable {
    /// The `kind:` value that selects this type in `switchboard.yaml`.
    static var kind: String { get }
    /// The config keys this kind reads beyond the common ones (`id`, `pane`, `kind`, `interval`, …).
    static var optionKeys: [String] { get }
    /// Builds the probe from its config entry, failing with the position of a bad option.
    init(spec: ProbeSpec, options: ConfigMapping) throws
    /// Takes one reading.
    func observe() async -> ProbeObservation
}

/// The probe kinds a site config may use, by `kind:` name.
public struct ProbeCatalog: Sendable {
    private let kinds: [String: any Probe.Type]

    public init(_ kinds: [any Probe.Type]) {
        self.kinds = Dictionary(kinds.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(kind: String) -> (any Probe.Type)? { kinds[kind] }

    /// The kind names, sorted, for error messages and help.
    public var names: [String] { kinds.keys.sorted() }
}

/// The four states of the monitoring-plugins contract. Exit codes 0–3 map onto them one to one,
/// so every Nagios/Icinga/Sensu check speaks this language already.
public enum ProbeStatus: String, Sendable, CaseIterable, Codable {
    case ok
    case warning
    case critical
    case unknown

    /// The plugin exit code for this status (0 ok, 1 warning, 2 critical, 3 unknown).
    public var exitCode: Int32 {
        switch self {
        case .ok: 0
        case .warning: 1
        case .critical: 2
        case .unknown: 3
        }
    }

    /// How bad the status is when several are combined: critical is worst, then warning, then
    /// unknown, then ok. A pane holding a warning and an unknown shows the warning, because that
    /// is a known problem somebody must act on.
    public var severity: Int {
        switch self {
        case .ok: 0
        case .unknown: 1
        case .warning: 2
        case .critical: 3
        }
    }

    /// The worse of two statuses.
    public func worse(_ other: ProbeStatus) -> ProbeStatus {
        other.severity > severity ? other : self
    }
}

import Foundation

/// What a console held of the site at one instant: each probe's latest reading, its status and
/// since when, and its history window. A console writes one to the readings journal when it
/// starts following an incident, so the journal alone redraws its screen; a restarted console
/// reads one back so "down since 14:10:52" and the sparklines survive the restart.
public struct SiteSnapshot: Sendable, Equatable {
    /// One probe as the console held it.
    public struct Probe: Sendable, Equatable {
        public var id: String
        public var latest: ProbeResult?
        public var hardStatus: ProbeStatus?
        public var problemStreak: Int
        public var since: Date?
        public var history: [ProbeHistoryEntry]
        public var staleRecorded: Bool

        public init(id: String, latest: ProbeResult?, hardStatus: ProbeStatus?, problemStreak: Int, since: Date?,
                    history: [ProbeHistoryEntry], staleRecorded: Bool) {
            self.id = id
            self.latest = latest
            self.hardStatus = hardStatus
            self.problemStreak = problemStreak
            self.since = since
            self.history = history
            self.staleRecorded = staleRecorded
        }
    }

    /// The instant the snapshot was taken (the site's `now`).
    public var at: Date
    /// When the console that held it started (staleness counts from there).
    public var startedAt: Date
    public var probes: [Probe]

    public init(at: Date, startedAt: Date, probes: [Probe]) {
        self.at = at
        self.startedAt = startedAt
        self.probes = probes
    }

    /// The site as it is now.
    public init(_ site: SiteState) {
        at = site.now
        startedAt = site.startedAt
        probes = site.probes.map { probe in
            Probe(id: probe.spec.id, latest: probe.latest, hardStatus: probe.hardStatus, problemStreak: probe.problemStreak,
                  since: probe.since, history: probe.history, staleRecorded: probe.staleRecorded)
        }
    }

    public func probe(_ id: String) -> Probe? {
        probes.first { $0.id == id }
    }
}

extension SiteState {
    /// The site exactly as a snapshot holds it, for the probes configured now (a probe the
    /// snapshot does not know starts empty; one it knows but the config no longer has is left out).
    public init(siteName: String, isDemo: Bool, specs: [ProbeSpec], snapshot: SiteSnapshot) {
        self.init(siteName: siteName, isDemo: isDemo, specs: specs, startedAt: snapshot.startedAt)
        now = snapshot.at
        for index in probes.indices {
            guard let held = snapshot.probe(probes[index].spec.id) else { continue }
            probes[index].adopt(held)
        }
    }
}

extension ProbeState {
    /// Takes everything `held` knows about this probe.
    mutating func adopt(_ held: SiteSnapshot.Probe) {
        latest = held.latest
        hardStatus = held.hardStatus
        problemStreak = held.problemStreak
        since = held.since
        history = held.history
        staleRecorded = held.staleRecorded
    }

    /// Merges what an earlier console held (restored after a restart) into what this console has
    /// read since it started: the earlier history goes before its own, and when the probe is in
    /// the same state as it was then, it has been so since the earlier time.
    mutating func restore(_ held: SiteSnapshot.Probe) {
        guard let heldLatest = held.latest else { return }
        guard let latest else {
            adopt(held)
            // Silence while no console was running is not the probe's: this console asks it again.
            staleRecorded = false
            return
        }
        guard heldLatest.at < latest.at else { return }
        let firstOwn = history.first?.at ?? latest.at
        history = Array((held.history.filter { $0.at < firstOwn } + history).suffix(Self.historyLimit))
        if hardStatus == held.hardStatus, let heldSince = held.since { since = min(since ?? heldSince, heldSince) }
    }
}

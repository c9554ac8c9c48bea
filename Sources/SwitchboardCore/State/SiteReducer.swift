import Foundation

/// Something that happened to the site: a probe answered, time passed, or what an earlier
/// console held was read back after a restart.
public enum SiteEvent: Sendable, Equatable {
    case probeResult(ProbeResult)
    case clock(Date)
    case restored(SiteSnapshot)
}

/// Folds site events into `SiteState`. Pure: the same events always give the same state, which
/// is what lets a recorded incident be replayed exactly.
public enum SiteReducer {
    /// Folds `event` in and returns the state changes it made, oldest first (the console logs
    /// them while an incident is open).
    @discardableResult
    public static func reduce(_ state: inout SiteState, _ event: SiteEvent) -> [StateChange] {
        let before = state.changeCount
        switch event {
        case .clock(let now):
            state.now = max(state.now, now)
            recordNewlyStale(&state)
        case .probeResult(let result):
            apply(result, to: &state)
        case .restored(let snapshot):
            for index in state.probes.indices {
                if let held = snapshot.probe(state.probes[index].spec.id) { state.probes[index].restore(held) }
            }
        }
        return Array(state.changes.suffix(state.changeCount - before))
    }

    private static func apply(_ raw: ProbeResult, to state: inout SiteState) {
        guard let index = state.index(of: raw.probeID) else { return }
        var result = raw
        // Stored as the journal stores it, so a replay holds the very same value.
        result.at = raw.at.roundedToMilliseconds
        result.duration = .milliseconds(Int64((min(raw.duration.seconds, 1e9) * 1000).rounded()))
        result.observation.keptFrom = raw.observation.keptFrom?.roundedToMilliseconds
        result.observation.summary = Sanitizer.line(raw.observation.summary)
        result.observation.details = Sanitizer.multiline(raw.observation.details)
        result.observation.metrics = raw.observation.metrics.map { metric in
            guard case .text(let text) = metric.value else { return metric }
            return Metric(name: Sanitizer.line(metric.name), value: .text(Sanitizer.line(text)))
        }
        state.now = max(state.now, result.at)
        // In place: a copy of the probe would copy its history on every reading.
        if let change = state.probes[index].apply(result, startedAt: state.startedAt) { appendChange(change, to: &state) }
    }

    /// A probe that stops answering becomes stale by the passing of time alone; record that once,
    /// at the instant it became stale (not when the clock next ticked), so a replay that ticks
    /// less often arrives at the same state.
    private static func recordNewlyStale(_ state: inout SiteState) {
        for index in state.probes.indices where !state.probes[index].staleRecorded {
            // Read in place: a copy of every probe on every tick would copy its history too.
            guard state.probes[index].displayStatus(at: state.now, startedAt: state.startedAt) == .stale else { continue }
            let probe = state.probes[index]
            let from: DisplayStatus = probe.hardStatus.map(DisplayStatus.init) ?? .pending
            let lastHeard = probe.latest.map { "no answer since \(TimeText.clock($0.at))" } ?? "no answer yet"
            let at = probe.staleAt(startedAt: state.startedAt)
            state.probes[index].staleRecorded = true
            state.probes[index].since = at
            appendChange(StateChange(at: at, probeID: probe.spec.id, from: from, to: .stale, summary: lastHeard),
                         to: &state)
        }
    }

    private static func appendChange(_ change: StateChange, to state: inout SiteState) {
        state.changeCount += 1
        state.changes.append(change)
        if state.changes.count > SiteState.changeLimit {
            state.changes.removeFirst(state.changes.count - SiteState.changeLimit)
        }
    }
}

extension ProbeState {
    /// Takes a reading (already cleaned): status, soft state, since-when and history. Returns
    /// the change it makes to what is shown, if any.
    mutating func apply(_ result: ProbeResult, startedAt: Date) -> StateChange? {
        let before = displayStatus(at: result.at, startedAt: startedAt)
        let hardBefore = hardStatus.map(DisplayStatus.init)
        latest = result
        // A reading that keeps old figures is stale as it arrives, and recorded here if at all.
        staleRecorded = result.observation.keptFrom != nil
        let status = result.observation.status
        problemStreak = status == .ok ? 0 : problemStreak + 1
        let alreadyAProblem = hardStatus.map { $0 != .ok } ?? false
        if status == .ok || alreadyAProblem || problemStreak >= spec.attempts {
            hardStatus = status
        }
        let after = displayStatus(at: result.at, startedAt: startedAt)
        var change: StateChange?
        if before != after || (since == nil && after != .pending) {
            since = result.at
            if before != .pending || after != .ok {
                change = StateChange(at: result.at, probeID: spec.id, from: before, to: after,
                                     summary: result.observation.summary, metrics: result.observation.metrics)
                if before == .stale { change?.beforeSilence = hardBefore }
            }
        }
        history.append(ProbeHistoryEntry(
            at: result.at, status: result.observation.status, summary: result.observation.summary,
            // Only finite values reach the sparkline: a NaN or infinite reading has no height.
            value: result.observation.keptFrom == nil ? mainMetric?.value.number.flatMap { $0.isFinite ? $0 : nil } : nil))
        if history.count > Self.historyLimit {
            history.removeFirst(history.count - Self.historyLimit)
        }
        return change
    }
}

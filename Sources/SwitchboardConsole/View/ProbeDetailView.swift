import Foundation
import SwitchboardCore
import TerminalUI

/// Everything known about one probe: schedule, status and since when, every metric against its
/// thresholds, the probe's full output, and its recent history.
struct ProbeDetailView {
    let theme: Theme

    func lines(for probe: ProbeState, site: SiteState, alternates: [AlternateSite] = []) -> [StyledLine] {
        let spec = probe.spec
        let status = site.displayStatus(of: probe)
        var lines: [StyledLine] = []
        func field(_ label: String, _ value: String, style: Style = .plain) {
            var line = StyledLine(label.padded(toWidth: 12), style: theme.label)
            line.append(value, style: style)
            lines.append(line)
        }

        field("Probe", "\(spec.id) · \(spec.pane.title) pane · kind \(spec.kind)")
        let staleAfter = Duration.seconds(spec.interval.seconds * 2).configText
        if let pusher = spec.pushedBy {
            let source = pusher == spec.id ? "its program" : pusher
            field("Schedule", "readings pushed by \(source) · expected every \(spec.interval.configText) · stale after \(staleAfter) without one")
        } else {
            field("Schedule", "every \(spec.interval.configText) · timeout \(spec.timeout.configText) · stale after \(staleAfter) without an answer")
        }
        if spec.attempts > 1 { field("Attempts", "a problem shows after \(spec.attempts) non-OK results in a row") }
        let since = probe.since.map { " for \(TimeText.age(site.now.timeIntervalSince($0))) (since \(TimeText.clock($0)) UTC)" } ?? ""
        field("Status", "\(theme.glyphs.status[status] ?? "") \(Theme.word(for: status))\(since)", style: theme.style(for: status))
        if let soft = probe.softProblem {
            let softStatus = DisplayStatus(soft.status)
            field("Soft state", "\(Theme.word(for: softStatus)) · attempt \(soft.attempt) of \(soft.of), not shown until confirmed",
                  style: theme.style(for: softStatus))
        }
        if let latest = probe.latest {
            let took = Int((latest.duration.seconds * 1000).rounded())
            field("Last run", "\(TimeText.clock(latest.at)) UTC" + (spec.pushedBy == nil ? " · took \(took) ms" : ""))
            field("Summary", latest.observation.summary)
        } else {
            field("Last run", "none yet")
        }

        lines.append(StyledLine())
        lines.append(StyledLine("Metrics", style: theme.label.with(.bold)))
        let metrics = probe.latest?.observation.metrics ?? []
        if metrics.isEmpty { lines.append(StyledLine("  none reported", style: theme.dim)) }
        let nameWidth = min(28, (metrics.map { DisplayWidth.of($0.name) }.max() ?? 0) + 2)
        for metric in metrics {
            var line = StyledLine("  " + metric.name.padded(toWidth: nameWidth))
            line.append(metric.value.display.padded(toWidth: 12, alignRight: true))
            if let threshold = spec.thresholds.first(where: { $0.metric == metric.name }) {
                let ranges = [threshold.warning.map { "warn \($0)" }, threshold.critical.map { "crit \($0)" }]
                    .compactMap { $0 }.joined(separator: "  ")
                line.append("   " + ranges, style: theme.dim)
                if let number = metric.value.number {
                    let verdict = DisplayStatus(threshold.status(for: number))
                    if verdict != .ok { line.append("  \(theme.glyphs.status[verdict] ?? "") \(Theme.word(for: verdict))", style: theme.style(for: verdict)) }
                }
            }
            if metric.name == probe.mainMetric?.name { line.append("   (shown in the row)", style: theme.dim) }
            lines.append(line)
        }
        let unreported = spec.thresholds.filter { threshold in !metrics.contains { $0.name == threshold.metric } }
        for threshold in unreported {
            lines.append(StyledLine("  \(threshold.metric): threshold set, but the probe did not report it", style: theme.dim))
        }

        if let reading = probe.latest?.observation {
            lines += alternateSites(alternates, for: probe.spec.id, reading: reading)
        }

        if let details = probe.latest?.observation.details, !details.isEmpty {
            lines.append(StyledLine())
            lines.append(StyledLine("Output", style: theme.label.with(.bold)))
            for line in details.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(StyledLine("  " + line))
            }
        }

        lines.append(StyledLine())
        lines.append(StyledLine("History, newest first", style: theme.label.with(.bold)))
        if probe.history.isEmpty { lines.append(StyledLine("  no results yet", style: theme.dim)) }
        for entry in probe.history.reversed() {
            var line = StyledLine("  " + TimeText.clock(entry.at) + "  ", style: theme.dim)
            let status = DisplayStatus(entry.status)
            line.append(Theme.word(for: status).padded(toWidth: 6), style: theme.style(for: status))
            line.append(entry.summary)
            lines.append(line)
        }
        return lines
    }

    /// For a queue: would routing it to each alternate site that takes it meet the target?
    private func alternateSites(_ sites: [AlternateSite], for probeID: String, reading: ProbeObservation) -> [StyledLine] {
        let queue = reading.metric("queue")?.display ?? probeID
        let projections = sites.filter { $0.takes(queue: queue) || $0.takes(queue: probeID) }
            .compactMap { RoutingProjection(reading: reading, to: $0) }
        guard let first = projections.first else { return [] }
        var lines = [StyledLine(), StyledLine("Routing this queue elsewhere (\(MetricValue.format(first.trafficErlangs)) Erlangs of calls now, "
                                              + "target \(first.target.text))", style: theme.label.with(.bold))]
        for routing in projections {
            lines.append(StyledLine("  " + Sanitizer.line(routing.site.name ?? routing.site.id) + " · \(routing.site.agents) agents"))
            var line = StyledLine("    ")
            switch routing.projection {
            case .cannotKeepUp:
                line.append("cannot keep up", style: theme.style(for: .critical))
            case .projected(_, let level, let wait):
                let verdict = routing.meetsTarget ? "meets the target" : "misses the target"
                line.append("\(verdict): \(Int((level * 100).rounded()))% in \(MetricValue.format(routing.target.thresholdSeconds)) s, "
                            + "expected wait \(TimeText.spoken(seconds: wait))",
                            style: theme.style(for: routing.meetsTarget ? .ok : .warning))
            }
            if !routing.meetsTarget, let needed = routing.needed { line.append(" · needs \(needed) agents", style: theme.dim) }
            lines.append(line)
        }
        return lines
    }
}

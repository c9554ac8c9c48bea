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
        field("Status", "\(theme.glyphs.status[status] ?? "") \(status.word)\(since)", style: theme.style(for: status))
        if let soft = probe.softProblem {
            let softStatus = DisplayStatus(soft.status)
            field("Soft state", "\(softStatus.word) · attempt \(soft.attempt) of \(soft.of), not shown until confirmed",
                  style: theme.style(for: softStatus))
        }
        if let latest = probe.latest {
            let took = Int(saturating: (latest.duration.seconds * 1000).rounded())
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
                    if verdict != .ok { line.append("  \(theme.glyphs.status[verdict] ?? "") \(verdict.word)", style: theme.style(for: verdict)) }
                }
            }
            if metric.name == probe.mainMetric?.name { line.append("   (shown in the row)", style: theme.dim) }
            lines.append(line)
        }
        let unreported = spec.thresholds.filter { threshold in !metrics.contains { $0.name == threshold.metric } }
        for threshold in unreported {
            lines.append(StyledLine("  \(threshold.metric): threshold set, but the probe did not report it", style: theme.dim))
        }

        if let reading = probe.latest?.observation, QueueLoad(probeID: spec.id, reading: reading) != nil {
            lines += alternateSites(alternates, for: spec.id, site: site)
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
            line.append(status.word.padded(toWidth: 6), style: theme.style(for: status))
            line.append(entry.summary)
            lines.append(line)
        }
        return lines
    }

    /// For a queue: would routing it, with every other queue the same alternate site takes, meet
    /// their targets there; and when not, which combination of them would.
    private func alternateSites(_ sites: [AlternateSite], for probeID: String, site: SiteState) -> [StyledLine] {
        let loads = site.probes.compactMap { probe in probe.latest.flatMap { QueueLoad(probeID: probe.spec.id, reading: $0.observation) } }
        let routings = sites.compactMap { RoutingProjection.together(loads, to: $0) }.filter { $0.queues.contains { $0.probeID == probeID } }
        guard !routings.isEmpty else { return [] }
        var lines = [StyledLine(), StyledLine("Routing to an alternate site (with every queue it takes, at the current calls)",
                                              style: theme.label.with(.bold))]
        for routing in routings {
            let names = routing.queues.map { Sanitizer.line($0.probeID) }.joined(separator: ", ")
            lines.append(StyledLine("  " + Sanitizer.line(routing.site.name ?? routing.site.id) + " · \(routing.site.agents) agents · takes \(names)"))
            lines += verdict(routing, label: routing.queues.count == 1 ? "this queue" : "all \(routing.queues.count) together")
            guard !routing.meetsTargets, routing.queues.count > 1 else { continue }
            if let fit = routing.bestFit(keeping: probeID) {
                lines += verdict(fit, label: "fits: " + fit.queues.map { Sanitizer.line($0.probeID) }.joined(separator: " + "))
            } else {
                lines.append(StyledLine("    no combination with \(Sanitizer.line(probeID)) fits", style: theme.style(for: .warning)))
            }
        }
        return lines
    }

    /// `all 2 together (14.2 Erlangs): misses the target · needs 24 agents`, then each queue's
    /// projected service level against its target and the expected wait.
    private func verdict(_ routing: RoutingProjection, label: String) -> [StyledLine] {
        var line = StyledLine("    \(label) (\(MetricValue.format(routing.trafficErlangs)) Erlangs): ")
        guard routing.erlang != nil else {
            line.append("no calls now", style: theme.dim)
            return [line]
        }
        if routing.cannotKeepUp {
            line.append("cannot keep up", style: theme.style(for: .critical))
        } else {
            line.append(routing.meetsTargets ? "meets the target" : "misses the target",
                        style: theme.style(for: routing.meetsTargets ? .ok : .warning))
        }
        if !routing.meetsTargets, let needed = routing.needed { line.append(" · needs \(needed) agents", style: theme.dim) }
        var lines = [line]
        for (queue, level) in zip(routing.queues, routing.serviceLevels) {
            let meets = level * 100 >= queue.target.percent
            lines.append(StyledLine("      \(Sanitizer.line(queue.probeID)) \(Int((level * 100).rounded()))% in "
                                    + "\(MetricValue.format(queue.target.thresholdSeconds)) s (target \(MetricValue.format(queue.target.percent))%)",
                                    style: meets ? theme.dim : theme.style(for: .warning)))
        }
        if let wait = routing.expectedWaitSeconds { lines.append(StyledLine("      expected wait \(TimeText.spoken(seconds: wait))", style: theme.dim)) }
        return lines
    }
}

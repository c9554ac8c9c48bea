import Foundation
import SwitchboardCore

/// The geometry of the HTML report's pictures, computed here and drawn by the template: a
/// swimlane per pane with a row per probe (its status spell by spell), a row per runbook with
/// its steps as bars, a row of markers (decisions, messages, hand-overs), and each queue's
/// service level against its target. Coordinates are in the SVG's own units (a 1000-wide
/// viewBox), so the picture scales to any page width, A4 or Letter.
struct TimelineChart {
    static let width = 1000.0
    static let labelWidth = 230.0
    static let rowHeight = 20.0
    static let plotRight = 990.0
    /// What fits the label column at the pictures' type size.
    static let labelCharacters = 30

    let start: Date
    let end: Date

    init(_ report: IncidentReport) {
        let starts = [report.incident.openedAt] + report.probes.compactMap { $0.spells.first?.from }
        start = starts.min() ?? report.incident.openedAt
        end = max(report.incident.closedAt ?? report.incident.lastRecordAt, start.addingTimeInterval(60))
    }

    func x(_ date: Date) -> Double {
        let span = max(1, end.timeIntervalSince(start))
        let fraction = min(1, max(0, date.timeIntervalSince(start) / span))
        return Self.labelWidth + fraction * (Self.plotRight - Self.labelWidth)
    }

    /// The swimlane picture's context: its height, rows, bars, markers and time ticks.
    func swimlanes(_ report: IncidentReport) -> [String: Any] {
        var rows: [[String: Any]] = []
        var bars: [[String: Any]] = []
        var y = 24.0
        func row(_ label: String, heading: Bool = false) -> Double {
            // A label fits its column; the whole of it is the row's tooltip.
            let shown = label.count > Self.labelCharacters ? label.prefix(Self.labelCharacters - 1) + "…" : label
            rows.append(["y": fmt(y + Self.rowHeight - 5), "label": String(shown), "full": label, "heading": heading,
                         "lineY": fmt(y + Self.rowHeight)])
            defer { y += Self.rowHeight }
            return y
        }
        for pane in Pane.allCases {
            let lanes = report.probes.filter { $0.pane == pane.rawValue }
            guard !lanes.isEmpty else { continue }
            _ = row(pane.title, heading: true)
            let troubled = lanes.filter { $0.worst != DisplayStatus.ok.rawValue }
            for lane in troubled {
                let top = row(lane.probe)
                for (index, spell) in lane.spells.enumerated() {
                    let until = index + 1 < lane.spells.count ? lane.spells[index + 1].from : end
                    bars.append(bar(from: spell.from, to: until, y: top + 2, height: Self.rowHeight - 4, style: "s-\(spell.status)",
                                    title: "\(lane.probe) \(DisplayStatus.word(.string(spell.status))) from \(ReportText.clock(spell.from))"))
                }
            }
            let calm = lanes.count - troubled.count
            if calm > 0 {
                let top = row("\(calm) more OK throughout")
                bars.append(bar(from: start, to: end, y: top + 2, height: Self.rowHeight - 4, style: "s-ok", title: "OK throughout"))
            }
        }
        let others = report.probes.filter { Pane(rawValue: $0.pane) == nil }
        if !others.isEmpty {
            _ = row("NOT IN THE SITE NOW", heading: true)
            for lane in others {
                let top = row(lane.probe)
                for (index, spell) in lane.spells.enumerated() {
                    let until = index + 1 < lane.spells.count ? lane.spells[index + 1].from : end
                    bars.append(bar(from: spell.from, to: until, y: top + 2, height: Self.rowHeight - 4, style: "s-\(spell.status)",
                                    title: "\(lane.probe) \(spell.status) from \(ReportText.clock(spell.from))"))
                }
            }
        }
        for runbook in report.runbooks {
            _ = row("RUNBOOK \(runbook.title)", heading: true)
            for step in runbook.steps where step.startedAt != nil {
                let top = row(step.text)
                let from = step.startedAt!
                bars.append(bar(from: from, to: step.endedAt ?? step.leftAt ?? runbook.finishedAt ?? end, y: top + 3, height: Self.rowHeight - 6,
                                style: step.overdue ? "step late" : step.outcome == "skipped" || step.outcome == "blocked" ? "step skipped" : "step",
                                title: "\(step.text): \(step.outcome)"))
            }
        }
        let markerTop = row("DECISIONS, MESSAGES, HAND-OVERS", heading: true)
        var markers: [[String: Any]] = []
        func marker(_ at: Date, _ shape: String, _ title: String) {
            markers.append(["x": fmt(x(at)), "y": fmt(markerTop + Self.rowHeight * 1.5 + 4), "shape": shape, "title": title])
        }
        for decision in report.decisions { marker(decision.at, "◆", "\(ReportText.clock(decision.at)) decision: \(decision.question ?? decision.text)") }
        for message in report.comms.messages { marker(message.at, "✉", "\(ReportText.clock(message.at)) \(message.channel): \(message.subject ?? message.template)") }
        for handover in report.handovers where handover.how != "offered" {
            marker(handover.at, "⚑", "\(ReportText.clock(handover.at)) command to \(handover.to)")
        }
        y += Self.rowHeight
        return ["height": fmt(y + 8), "rows": rows, "bars": bars, "markers": markers, "ticks": ticks(top: 0, bottom: y),
                "right": fmt(Self.plotRight), "left": fmt(Self.labelWidth)]
    }

    private func bar(from: Date, to: Date, y: Double, height: Double, style: String, title: String) -> [String: Any] {
        let left = x(from)
        return ["x": fmt(left), "y": fmt(y), "width": fmt(max(1, x(to) - left)), "height": fmt(height), "style": style, "title": title]
    }

    /// Five to eight ticks on whole minutes (or hours) across the span.
    private func ticks(top: Double, bottom: Double) -> [[String: Any]] {
        let span = end.timeIntervalSince(start)
        let step = [60.0, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].first { span / $0 <= 8 } ?? 86400
        var tick = (start.timeIntervalSince1970 / step).rounded(.up) * step
        var result: [[String: Any]] = []
        while tick <= end.timeIntervalSince1970 {
            let date = Date(timeIntervalSince1970: tick)
            result.append(["x": fmt(x(date)), "label": TimeText.clock(date, seconds: false), "top": fmt(top + 16), "bottom": fmt(bottom)])
            tick += step
        }
        return result
    }

    /// One queue's service level against its target: a polyline on a 0–100 % scale.
    func serviceLevel(_ queue: IncidentReport.QueueImpact) -> [String: Any] {
        let height = 160.0, top = 10.0, bottom = 140.0
        func y(_ percent: Double) -> Double { bottom - min(100, max(0, percent)) / 100 * (bottom - top) }
        let points = queue.series.map { "\(fmt(x($0.at))),\(fmt(y($0.value)))" }.joined(separator: " ")
        return [
            "queue": queue.queue, "height": fmt(height), "points": points, "hasTarget": queue.target != nil,
            "targetY": fmt(y(queue.target ?? 0)), "targetLabel": queue.target.map { "target \(ReportText.percent($0))" } ?? "",
            "left": fmt(Self.labelWidth), "right": fmt(Self.plotRight), "top": fmt(top), "bottom": fmt(bottom),
            "gridlines": [0.0, 50, 100].map { ["y": fmt(y($0)), "label": "\(Int($0))%", "labelY": fmt(y($0) + 4)] },
            "ticks": ticks(top: top - 12, bottom: bottom),
            "lowest": queue.lowestServiceLevel.map(ReportText.percent) ?? "—",
        ]
    }

    private func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}

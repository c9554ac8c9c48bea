import Foundation

/// The live values a message template is filled with, by name: `{{site}}`, `{{incident}}`,
/// `{{severity}}`, `{{commander}}`, `{{now}}`, the service level and expected wait of the agents
/// pane, what the commander typed (`{{eta}}`, `{{text}}`), and every probe's metrics as
/// `{{probe-id.metric}}` — bare numbers, never with a unit the template might write again.
public enum CommsFill {
    /// Fills `values` from the site and incident; `typed` holds `eta` and `text`.
    public static func values(site: SiteState, incident: IncidentState?, typed: [String: String]) -> [String: String] {
        var values: [String: String] = [:]
        for probe in site.probes {
            for metric in probe.latest?.observation.metrics ?? [] {
                // A bare number, as in probe summaries: the template writes the unit it wants.
                values["\(probe.spec.id).\(metric.name)"] = Sanitizer.line(metric.value.display(withUnit: false))
            }
        }
        values["site"] = Sanitizer.line(site.siteName)
        values["now"] = TimeText.clock(site.now, seconds: false)
        if let incident {
            values["incident"] = Sanitizer.line(incident.title)
            values["incident_id"] = incident.id
            values["severity"] = incident.severity.rawValue.uppercased()
            values["commander"] = Sanitizer.line(incident.commander)
            values["opened"] = TimeText.clock(incident.openedAt, seconds: false)
        }
        let queues = site.probes(in: .agents).compactMap(\.latest?.observation)
        if let lowest = queues.compactMap({ $0.metric("service_level") }).min(by: { ($0.number ?? 0) < ($1.number ?? 0) }) {
            values["service_level"] = lowest.display
        }
        if let longest = queues.compactMap({ $0.metric("expected_wait")?.number }).max() {
            values["expected_wait"] = TimeText.spoken(seconds: longest)
        }
        for (name, text) in typed where !text.isEmpty { values[name] = Sanitizer.line(text) }
        return values
    }
}

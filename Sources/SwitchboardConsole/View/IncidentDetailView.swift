import Foundation
import SwitchboardCore
import TerminalUI

/// The followed incident at a glance (`i`): who holds command and which roles, how long it has
/// run, and the keys that change it.
struct IncidentDetailView {
    let theme: Theme

    static let actions: [(key: String, action: String)] = [
        ("s", "change the severity"),
        ("a", "assign a role (deputy, scribe, communications, …)"),
        ("h", "hand over command"),
        ("x", "close the incident (asks for a summary, and when resolved)"),
    ]

    func lines(for incident: IncidentState, now: Date) -> [StyledLine] {
        var lines: [StyledLine] = []
        func field(_ label: String, _ value: String, style: Style = .plain) {
            var line = StyledLine(label.padded(toWidth: 12), style: theme.label)
            line.append(Sanitizer.line(value), style: style)
            lines.append(line)
        }
        field("Incident", incident.id)
        field("Title", incident.title)
        field("Severity", incident.severity.rawValue.uppercased(), style: theme.style(for: incident.severity))
        field("Opened", "\(TimeText.clock(incident.openedAt)) UTC by \(incident.openedBy) · "
              + "\(TimeText.age(now.timeIntervalSince(incident.openedAt))) ago")
        field("Command", incident.commander)
        if incident.roles.isEmpty {
            field("Roles", "none assigned yet")
        } else {
            for (index, role) in incident.roles.enumerated() {
                field(index == 0 ? "Roles" : "", "\(role.role): \(role.person)")
            }
        }
        let set = Milestone.allCases.filter { incident.milestones[$0] != nil }
        if set.isEmpty {
            field("Milestones", "none set yet · m sets one")
        } else {
            for (index, name) in set.enumerated() {
                guard let time = incident.milestones[name] else { continue }
                field(index == 0 ? "Milestones" : "", "\(name.rawValue) \(TimeText.clock(time.occurredAt)) UTC by \(time.by)"
                      + (time.correction.map { " (moved: \($0))" } ?? ""))
            }
        }
        field("Records", "\(incident.recordCount) · last hash \(incident.lastHash)")
        lines.append(StyledLine())
        lines.append(StyledLine("Keys", style: theme.label.with(.bold)))
        for (key, action) in Self.actions {
            var line = StyledLine("  " + key.padded(toWidth: 4), style: .plain.with(.bold))
            line.append(action)
            lines.append(line)
        }
        return lines
    }
}

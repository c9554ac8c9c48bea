import SwitchboardCore
import TerminalUI

/// One action-log record in full: every field, who corrected it, and its place in the chain.
struct LogRecordDetailView {
    let theme: Theme

    func lines(for record: LogRecord, in incident: IncidentState, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        // Values are wrapped, never cut: a long note is read whole, scrolling.
        func field(_ label: String, _ value: String, style: Style = .plain) {
            let wrapped = DialogView.wrap(Sanitizer.line(value), width: max(10, width - 14))
            for (index, part) in (wrapped.isEmpty ? [""] : wrapped).enumerated() {
                var line = StyledLine((index == 0 ? label : "").padded(toWidth: 14), style: theme.label)
                line.append(part, style: style)
                lines.append(line)
            }
        }
        let text = LogText(theme: theme)
        field("Record", "#\(record.seq) of \(record.incident)")
        field("Kind", record.kind, style: text.tagStyle(for: record.entry))
        field("At", incident.drill.map { "\(TimeText.scenario($0.elapsed(at: record.at))) in the scenario" } ?? TimeText.iso8601(record.at))
        field("By", record.actor + (record.entry.role.map { " (\($0))" } ?? ""))
        var summary = StyledLine("What".padded(toWidth: 14), style: theme.label)
        summary.spans += text.line(for: record.entry).spans
        lines.append(summary)

        if record.kind == LogKind.commsSent, let sent = record["text"]?.string {
            lines.append(StyledLine())
            lines.append(StyledLine("Text as sent", style: theme.label.with(.bold)))
            for paragraph in Sanitizer.multiline(sent).split(separator: "\n", omittingEmptySubsequences: false) {
                let wrapped = DialogView.wrap(String(paragraph), width: max(10, width - 2))
                lines += (wrapped.isEmpty ? [""] : wrapped).map { StyledLine("  " + $0) }
            }
        }

        lines.append(StyledLine())
        lines.append(StyledLine("Fields", style: theme.label.with(.bold)))
        for key in record.entry.fields.keys.sorted() {
            field("  " + key, Self.describe(record.entry.fields[key] ?? .null))
        }
        if record.entry.drill { field("  drill", "true") }

        let corrections = incident.recent.filter { $0.kind == LogKind.amendment && $0["amends"]?.int == record.seq }
        if !corrections.isEmpty {
            lines.append(StyledLine())
            lines.append(StyledLine("Corrected by", style: theme.style(for: .warning)))
            for correction in corrections {
                lines.append(StyledLine("  #\(correction.seq) \(TimeText.clock(correction.at)) \(Sanitizer.line(correction.actor)): "
                                        + Sanitizer.line(correction["text"]?.string ?? "")))
            }
        }

        lines.append(StyledLine())
        lines.append(StyledLine("Chain", style: theme.label.with(.bold)))
        field("  prev", record.prev, style: theme.dim)
        field("  hash", record.hash, style: theme.dim)
        lines.append(StyledLine())
        lines.append(StyledLine("a  correct this record (adds an amendment; the record itself never changes)", style: theme.dim))
        return lines
    }

    /// A field's value as one line of text.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): MetricValue.format(number)
        case .bool(let flag): String(flag)
        case .null: "null"
        case .array(let values): "[" + values.map(describe).joined(separator: ", ") + "]"
        case .object(let members): members.keys.sorted().map { "\($0): \(describe(members[$0] ?? .null))" }.joined(separator: " · ")
        }
    }
}

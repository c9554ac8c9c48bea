import SwitchboardCore

/// Text for a probe's one-line summary, most of all text a server sent: escape sequences and
/// control characters removed, line breaks and tabs as spaces, runs of spaces as one, and cut at
/// a limit, so that no answer can fill a row, the probe's history or the action log.
enum SummaryText {
    /// `text` on one line of at most `limit` characters, cut with an ellipsis.
    static func oneLine(_ text: String, limit: Int) -> String {
        let flat = Sanitizer.line(String(text.map { $0.isNewline ? " " : $0 }))
            .reduce(into: "") { result, character in
                if character == " ", result.last == " " { return }
                result.append(character)
            }
            .trimmingCharacters(in: .whitespaces)
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }
}

extension SummaryText {
    /// How long a text metric from a server may be: enough for any status word or description,
    /// not enough for a whole document to ride along in every reading.
    static let metricLimit = 256

    /// A text metric's value as a server sent it, cut at `metricLimit` characters (the site
    /// reducer cleans text metrics of control characters, as it does every probe's).
    static func metricText(_ text: String) -> MetricValue {
        .text(text.count > metricLimit ? String(text.prefix(metricLimit)) + "…" : text)
    }
}

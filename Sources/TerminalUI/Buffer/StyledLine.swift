/// A line of text made of differently styled pieces, for views that build content before
/// placing it (detail and help screens scroll through lists of these).
public struct StyledLine: Sendable, Equatable {
    public var spans: [Span]

    public struct Span: Sendable, Equatable {
        public var text: String
        public var style: Style

        public init(text: String, style: Style = .plain) {
            self.text = text
            self.style = style
        }
    }

    public init(_ spans: [Span] = []) {
        self.spans = spans
    }

    public init(_ text: String, style: Style = .plain) {
        self.spans = [Span(text: text, style: style)]
    }

    public mutating func append(_ text: String, style: Style = .plain) {
        spans.append(Span(text: text, style: style))
    }

    public var width: Int { spans.reduce(0) { $0 + DisplayWidth.of($1.text) } }
}

extension CellBuffer {
    /// Writes a styled line at (x, y) in at most `limit` columns; a line that does not fit ends
    /// in `…`, so a cut is never mistaken for the whole text.
    @discardableResult
    public mutating func write(_ line: StyledLine, x: Int, y: Int, limit: Int) -> Int {
        guard limit > 0 else { return 0 }
        let cut = line.width > limit
        let room = cut ? limit - 1 : limit
        var column = x
        var lastStyle = line.spans.first?.style ?? .plain
        for span in line.spans {
            let left = x + room - column
            guard left > 0 else { break }
            column += write(span.text, x: column, y: y, style: span.style, limit: left)
            lastStyle = span.style
        }
        if cut { column += write("…", x: column, y: y, style: lastStyle, limit: 1) }
        return column - x
    }
}

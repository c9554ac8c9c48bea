import TerminalUI

/// A full-screen view over the console: title bar, scrolling content, and a footer saying how to leave.
struct OverlayFrame {
    let theme: Theme

    func draw(title: String, lines: [StyledLine], scroll: Int, in rect: Rect, into buffer: inout CellBuffer) {
        buffer.fill(rect)
        let (titleRow, rest) = rect.splitTop(1)
        let (content, footer) = rest.splitTop(rest.height - 1)
        buffer.fill(titleRow, style: theme.header)
        buffer.write(" " + title, x: titleRow.x, y: titleRow.y, style: theme.header, limit: titleRow.width)

        let top = Self.clampedScroll(scroll, lineCount: lines.count, visible: content.height)
        for (offset, line) in lines.dropFirst(top).prefix(content.height).enumerated() {
            buffer.write(line, x: content.x + 1, y: content.y + offset, limit: content.width - 2)
        }
        var x = footer.x
        for (key, action) in [("Esc", "close"), ("↑↓ PgUp PgDn", "scroll")] {
            x += buffer.write(" \(key) ", x: x, y: footer.y, style: theme.key)
            x += buffer.write(" \(action) ", x: x, y: footer.y)
        }
        if lines.count > content.height {
            let position = " lines \(top + 1)–\(min(lines.count, top + content.height)) of \(lines.count) "
            buffer.write(position, x: footer.maxX - DisplayWidth.of(position) - 1, y: footer.y, style: theme.dim)
        }
    }

    /// Columns of content, inside the one-column margins.
    static func contentWidth(in size: Size) -> Int { max(0, size.width - 2) }

    /// Rows of content between the title bar and the footer.
    static func visibleLines(in size: Size) -> Int { max(0, size.height - 2) }

    static func clampedScroll(_ scroll: Int, lineCount: Int, visible: Int) -> Int {
        min(max(0, scroll), max(0, lineCount - visible))
    }
}

import TerminalUI

/// A full-screen view over the console: title bar, scrolling content, and a footer saying how to leave.
struct OverlayFrame {
    let theme: Theme

    /// Draws the lines from `scroll`'s top line, clamped to the last page; returns the last top
    /// line the content allows.
    @discardableResult
    func draw(title: String, lines: [StyledLine], scroll: Scroll, in rect: Rect, into buffer: inout CellBuffer) -> Int {
        buffer.fill(rect)
        let (titleRow, rest) = rect.splitTop(1)
        let (content, footer) = rest.splitTop(rest.height - 1)
        buffer.fill(titleRow, style: theme.header)
        buffer.write(" " + title, x: titleRow.x, y: titleRow.y, style: theme.header, limit: titleRow.width)

        let limit = max(0, lines.count - content.height)
        let top = scroll.clamped(to: limit)
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
        return limit
    }

    /// Columns of content, inside the one-column margins.
    static func contentWidth(in size: Size) -> Int { max(0, size.width - 2) }

}

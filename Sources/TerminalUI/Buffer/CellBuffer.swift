/// One screen cell: a grapheme and its style. The right half of a wide character is a cell with
/// empty text, so every row always has exactly `width` cells.
public struct Cell: Sendable, Equatable {
    public var text: String
    public var style: Style

    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public static let blank = Cell(" ")

    var isContinuation: Bool { text.isEmpty }
}

/// An in-memory screen. Views draw into it; the backend compares it with the previous frame and
/// writes only the cells that changed. Tests read it back as text for snapshots.
public struct CellBuffer: Sendable, Equatable {
    public let size: Size
    public private(set) var cells: [Cell]

    public init(size: Size, fill: Cell = .blank) {
        self.size = size
        self.cells = Array(repeating: fill, count: size.width * size.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: size.width, height: size.height) }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * size.width + x]
    }

    /// Fills a rectangle with one character and style.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        let clipped = clip(rect)
        for y in clipped.y..<clipped.maxY {
            for x in clipped.x..<clipped.maxX {
                set(x, y, Cell(String(character), style: style))
            }
        }
    }

    /// Restyles a rectangle, keeping its text (for highlighting a selected row).
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        let clipped = clip(rect)
        for y in clipped.y..<clipped.maxY {
            for x in clipped.x..<clipped.maxX {
                cells[y * size.width + x].style = transform(cells[y * size.width + x].style)
            }
        }
    }

    /// Writes text starting at (x, y), never past `limit` columns nor the buffer's edge.
    /// Returns the number of columns written. Text must already be sanitized; newlines are not
    /// interpreted. Cells are laid out scalar by scalar as the terminal will place them
    /// (`DisplayWidth`): a zero-width mark joins the cell before it, and what the terminal would
    /// draw differently from ncurses' count is dropped.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < size.height, x < size.width else { return 0 }
        let end = min(size.width, limit.map { x + max(0, $0) } ?? size.width)
        var column = x
        for scalar in text.unicodeScalars where !DisplayWidth.isDropped(scalar) {
            let width = DisplayWidth.of(scalar)
            if width == 0 {
                joinPrevious(scalar, column: column, from: x, y: y)
                continue
            }
            if column + width > end {
                if width == 2, column < end { set(column, y, Cell(" ", style: style)); column += 1 }
                break
            }
            if column >= 0 {
                set(column, y, Cell(String(scalar), style: style))
                if width == 2 { set(column + 1, y, Cell("", style: style)) }
            }
            column += width
        }
        return max(0, column - x)
    }

    /// A combining mark joins the cell written last (the wide character's own cell, not its
    /// right half), up to the four marks a curses cell holds.
    private mutating func joinPrevious(_ mark: Unicode.Scalar, column: Int, from x: Int, y: Int) {
        var target = column - 1
        if target > x, target < size.width, self[target, y].isContinuation { target -= 1 }
        guard target >= x, target >= 0, target < size.width else { return }
        let index = y * size.width + target
        guard !cells[index].isContinuation, cells[index].text.unicodeScalars.count < Self.scalarsPerCell else { return }
        cells[index].text.unicodeScalars.append(mark)
    }

    /// A curses cell holds one spacing character and up to four combining marks (CCHARW_MAX).
    static let scalarsPerCell = 5

    /// The rows as plain text with trailing spaces removed: what a person would read.
    public var lines: [String] {
        (0..<size.height).map { y in
            var line = ""
            for x in 0..<size.width { line += self[x, y].text }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    public var text: String { lines.joined(separator: "\n") }

    private func clip(_ rect: Rect) -> Rect {
        let x0 = max(0, rect.x), y0 = max(0, rect.y)
        let x1 = min(size.width, rect.maxX), y1 = min(size.height, rect.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// Sets one cell, repairing any wide character it cuts in half.
    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, x < size.width, y >= 0, y < size.height else { return }
        let index = y * size.width + x
        if cells[index].isContinuation, x > 0, !cell.isContinuation {
            cells[index - 1].text = " "
        }
        if !cells[index].isContinuation, x + 1 < size.width, cells[index + 1].isContinuation, !cell.isContinuation {
            cells[index + 1].text = " "
        }
        cells[index] = cell
    }
}

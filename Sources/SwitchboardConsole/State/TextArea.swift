import SwitchboardCore
import TerminalUI

/// Several lines of text being typed (a customer message), word-wrapped at the width it is shown
/// in. Enter starts a new line; the arrows move by character and by wrapped line; Home and End go
/// to the ends of the wrapped line.
public struct TextArea: Sendable, Equatable {
    public static let maximumLength = TextInput.maximumLength

    public private(set) var characters: [Character]
    /// In characters from the start.
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        characters = Array(text.prefix(Self.maximumLength))
        cursor = characters.count
    }

    public var text: String { String(characters) }

    /// Applies an editing key, wrapping at `width` columns for the up and down arrows; false if
    /// the key is not an editing key.
    public mutating func handle(_ key: Key, width: Int) -> Bool {
        switch key {
        case .character(let character):
            insert(character.isNewline ? "\n" : character)
        case .enter:
            insert("\n")
        case .paste(let pasted):
            let text = Sanitizer.pasted(pasted)
            let room = max(0, Self.maximumLength - characters.count)
            let kept = Array(text.prefix(room))
            characters.insert(contentsOf: kept, at: cursor)
            cursor += kept.count
        case .backspace:
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .up, .down:
            let lines = self.lines(width: width)
            let (row, column) = position(in: lines)
            let target = key == .up ? row - 1 : row + 1
            if lines.indices.contains(target) { cursor = offset(atColumn: column, of: lines[target]) }
        case .home, .control("a"):
            let lines = self.lines(width: width)
            cursor = lines[position(in: lines).row].lowerBound
        case .end, .control("e"):
            let lines = self.lines(width: width)
            cursor = lastOffset(of: lines[position(in: lines).row])
        default:
            return false
        }
        return true
    }

    private mutating func insert(_ character: Character) {
        guard characters.count < Self.maximumLength else { return }
        characters.insert(character, at: cursor)
        cursor += 1
    }

    /// The text split into lines of at most `width` columns: at line breaks, else after the last
    /// space that fits, else mid-word. Each range leaves out the line break that ends it.
    public func lines(width: Int) -> [Range<Int>] {
        let width = max(1, width)
        var lines: [Range<Int>] = []
        var lineStart = 0
        var column = 0
        var lastBreak: Int?
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\n" {
                lines.append(lineStart..<index)
                lineStart = index + 1
                column = 0
                lastBreak = nil
                index += 1
                continue
            }
            let characterWidth = DisplayWidth.of(String(character))
            if column + characterWidth > width, index > lineStart {
                let end = lastBreak ?? index
                lines.append(lineStart..<end)
                lineStart = end
                column = 0
                lastBreak = nil
                index = end
                continue
            }
            column += characterWidth
            if character == " " { lastBreak = index + 1 }
            index += 1
        }
        lines.append(lineStart..<characters.count)
        return lines
    }

    /// The cursor's wrapped line and column in `lines` (from `lines(width:)`).
    public func position(in lines: [Range<Int>]) -> (row: Int, column: Int) {
        let row = lines.lastIndex { $0.lowerBound <= cursor } ?? 0
        let start = lines[row].lowerBound
        return (row, DisplayWidth.of(String(characters[start..<min(cursor, lines[row].upperBound)])))
    }

    public func text(of line: Range<Int>) -> String { String(characters[line]) }

    private func offset(atColumn column: Int, of line: Range<Int>) -> Int {
        var width = 0
        for index in line {
            width += DisplayWidth.of(String(characters[index]))
            if width > column { return index }
        }
        return lastOffset(of: line)
    }

    /// Where the cursor goes at the end of a line: after its last character, or on it when the
    /// line was wrapped (after it would be the start of the next line).
    private func lastOffset(of line: Range<Int>) -> Int {
        let wrapped = line.upperBound < characters.count && characters[line.upperBound] != "\n"
        return wrapped ? max(line.lowerBound, line.upperBound - 1) : line.upperBound
    }
}

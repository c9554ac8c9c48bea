import SwitchboardCore
import TerminalUI

/// A box in the middle of the console for a form or a question; the console stays visible
/// around it, so the person sees what they are acting on.
struct DialogView {
    let theme: Theme

    func draw(_ form: Form, in screen: Rect, into buffer: inout CellBuffer) {
        let inner = Self.width(in: screen) - 4
        var lines: [StyledLine] = [StyledLine()]
        var cursor: (line: Int, column: Int)?
        let labelWidth = (form.fields.map { DisplayWidth.of(Self.label($0)) }.max() ?? 0) + 2
        for (index, field) in form.fields.enumerated() {
            let focused = index == form.focused
            var line = StyledLine(Self.label(field).padded(toWidth: labelWidth), style: focused ? theme.label.with(.bold) : theme.label)
            var below: [StyledLine] = []
            switch field {
            case .text(_, let input, let placeholder):
                textInput(input, placeholder: placeholder, width: max(4, inner - labelWidth), into: &line)
                if focused { cursor = (lines.count, labelWidth + Self.window(input, width: max(4, inner - labelWidth) - 1).1) }
            case .pick(_, let input, let options, let picked):
                let room = max(4, inner - labelWidth)
                let matches = Form.matching(options, input)
                // Away from the field, what was picked reads with its detail (an objective's words).
                let shown = picked.flatMap { picked -> TextInput? in
                    guard matches.indices.contains(picked) else { return nil }
                    let option = matches[picked]
                    guard !focused, !option.detail.isEmpty else { return TextInput(option.value) }
                    var read = TextInput(option.value + " · " + Sanitizer.line(option.detail))
                    _ = read.handle(.home) // from its start: cut at the right, if at all
                    return read
                } ?? input
                textInput(shown, placeholder: options.isEmpty ? "type a name" : "type, or ↑ ↓ to pick", width: room, into: &line)
                if focused {
                    cursor = (lines.count, labelWidth + Self.window(shown, width: room - 1).1)
                    let shownMatches = matches.prefix(Form.pickRows)
                    let valueWidth = shownMatches.map { DisplayWidth.of(Sanitizer.line($0.value)) }.max() ?? 0
                    for (row, option) in shownMatches.enumerated() {
                        var entry = StyledLine(String(repeating: " ", count: labelWidth))
                        entry.append((row == picked ? theme.glyphs.selectionMarker : " ") + " "
                                     + Sanitizer.line(option.value).padded(toWidth: valueWidth),
                                     style: row == picked ? theme.selection.with(.bold) : .plain)
                        if !option.detail.isEmpty { entry.append("  " + Sanitizer.line(option.detail), style: theme.dim) }
                        below.append(entry)
                    }
                    if matches.count > Form.pickRows {
                        below.append(StyledLine(String(repeating: " ", count: labelWidth) + "  +\(matches.count - Form.pickRows) more: type to narrow",
                                                style: theme.dim))
                    }
                }
            case .choice(_, let options, let selected):
                for (number, option) in options.enumerated() {
                    line.append(number == selected ? "[\(option)]" : " \(option) ",
                                style: number == selected ? (focused ? theme.selection.with(.bold) : Style.plain.with(.bold)) : theme.dim)
                }
                if focused { line.append("  ← →", style: theme.dim) }
            }
            lines.append(line)
            lines += below
        }
        lines.append(StyledLine())
        for wrapped in Self.wrap(form.explanation, width: inner) { lines.append(StyledLine(wrapped, style: theme.dim)) }
        if let problem = form.problem { lines.append(StyledLine(problem, style: theme.style(for: .critical))) }
        lines.append(StyledLine())
        let keys = form.fields.count > 1 ? "Enter  done · Tab  next field · Esc  cancel" : "Enter  done · Esc  cancel"
        lines.append(StyledLine(keys, style: theme.dim))
        let box = drawBox(title: form.title, lines: lines, in: screen, into: &buffer)
        if let cursor {
            let spot = Rect(x: box.x + cursor.column, y: box.y + cursor.line, width: 1, height: 1)
            buffer.restyle(spot) { $0.with(.reverse) }
        }
    }

    /// "Quit?" while an incident is open: the incident stays open and is resumed next time.
    func drawQuitQuestion(_ state: ConsoleState, in screen: Rect, into buffer: inout CellBuffer) {
        let inner = Self.width(in: screen) - 4
        var lines: [StyledLine] = [StyledLine()]
        if let incident = state.incident {
            let words = incident.isDrill
                ? "Drill \(incident.id) goes on: 'switchboard --incident \(incident.id)' rejoins it (as its facilitator too), "
                    + "and the other consoles keep following it."
                : "Incident \(incident.id) stays open: starting switchboard again resumes it, and the other consoles keep following it."
            for line in Self.wrap(words, width: inner) {
                lines.append(StyledLine(line))
            }
        }
        if !state.session.unsaved.isEmpty {
            lines.append(StyledLine())
            let words = "\(state.session.unsaved.count) entr\(state.session.unsaved.count == 1 ? "y is" : "ies are") not on disk yet"
                + (state.session.logFailure.map { " (\($0))" } ?? "") + ". Quitting tries once more, then prints them."
            for line in Self.wrap(words, width: inner) { lines.append(StyledLine(line, style: theme.style(for: .critical))) }
        }
        lines.append(StyledLine())
        lines.append(answers(yes: "quit", no: "stay"))
        drawBox(title: "Quit the console?", lines: lines, in: screen, into: &buffer)
    }

    /// ` y  quit    n  stay`: the keys of a yes-or-no question.
    func answers(yes: String, no: String) -> StyledLine {
        var keys = StyledLine(" y ", style: theme.key)
        keys.append(" \(yes)   ")
        keys.append(" n ", style: theme.key)
        keys.append(" \(no)")
        return keys
    }

    /// Draws a bordered box centred in `screen`; returns the rectangle of its content.
    @discardableResult
    func drawBox(title: String, lines: [StyledLine], in screen: Rect, into buffer: inout CellBuffer) -> Rect {
        let width = Self.width(in: screen)
        let height = min(screen.height, lines.count + 2)
        let box = Rect(x: screen.x + (screen.width - width) / 2, y: screen.y + max(1, (screen.height - height) / 3),
                       width: width, height: height)
        let glyphs = theme.glyphs.box
        buffer.fill(box)
        buffer.fill(Rect(x: box.x, y: box.y, width: width, height: 1), with: glyphs[0])
        buffer.fill(Rect(x: box.x, y: box.maxY - 1, width: width, height: 1), with: glyphs[0])
        buffer.fill(Rect(x: box.x, y: box.y, width: 1, height: height), with: glyphs[1])
        buffer.fill(Rect(x: box.maxX - 1, y: box.y, width: 1, height: height), with: glyphs[1])
        buffer.write(String(glyphs[2]), x: box.x, y: box.y)
        buffer.write(String(glyphs[3]), x: box.maxX - 1, y: box.y)
        buffer.write(String(glyphs[4]), x: box.x, y: box.maxY - 1)
        buffer.write(String(glyphs[5]), x: box.maxX - 1, y: box.maxY - 1)
        buffer.write(" \(title) ", x: box.x + 2, y: box.y, style: theme.paneTitle, limit: width - 4)
        let content = Rect(x: box.x + 2, y: box.y + 1, width: width - 4, height: height - 2)
        for (offset, line) in lines.prefix(content.height).enumerated() {
            buffer.write(line, x: content.x, y: content.y + offset, limit: content.width)
        }
        return content
    }

    static func width(in screen: Rect) -> Int { min(screen.width - 4, 72) }

    private static func label(_ field: Form.Field) -> String {
        switch field {
        case .text(let label, _, _), .choice(let label, _, _), .pick(let label, _, _, _): label
        }
    }

    /// A line of input, underlined across `width`, or its placeholder while empty.
    private func textInput(_ input: TextInput, placeholder: String, width: Int, into line: inout StyledLine) {
        if input.text.isEmpty {
            line.append(placeholder.truncated(toWidth: width).padded(toWidth: width), style: theme.dim.with(.underline))
        } else {
            line.append(Self.window(input, width: width - 1).0.padded(toWidth: width), style: Style.plain.with(.underline))
        }
    }

    /// The part of the input that fits in `width` columns with the cursor in view, and the
    /// cursor's column in it.
    static func window(_ input: TextInput, width: Int) -> (String, Int) {
        // From the cursor back as far as fits: bounded by the width, however long the text.
        let text = input.text
        var start = text.index(text.startIndex, offsetBy: input.cursor)
        var before = 0
        while start > text.startIndex {
            let previous = text.index(before: start)
            let characterWidth = DisplayWidth.of(text[previous])
            guard before + characterWidth <= width else { break }
            before += characterWidth
            start = previous
        }
        let visible = String(text[start...].prefix(width + 1)).truncated(toWidth: width)
        return (visible, before)
    }

    /// Splits text into lines of at most `width` columns, at spaces; a word wider than a line
    /// is broken across lines, never cut, so the whole text is always there to read.
    static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for word in text.split(separator: " ") {
            var word = Substring(word)
            var wordWidth = DisplayWidth.of(word)
            if currentWidth > 0, currentWidth + 1 + wordWidth <= width {
                current += " " + word
                currentWidth += 1 + wordWidth
                continue
            }
            if currentWidth > 0 { lines.append(current) }
            while wordWidth > width { // break an overlong word at the line's edge
                var piece = ""
                var pieceWidth = 0
                while let character = word.first, pieceWidth + DisplayWidth.of(character) <= width || piece.isEmpty {
                    piece.append(character)
                    pieceWidth += DisplayWidth.of(character)
                    word = word.dropFirst()
                }
                lines.append(piece)
                wordWidth -= pieceWidth
            }
            current = String(word)
            currentWidth = wordWidth
        }
        if currentWidth > 0 { lines.append(current) }
        return lines
    }
}

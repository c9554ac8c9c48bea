import SwitchboardCore
import TerminalUI

/// The `c` list of message templates: id, where it goes and to whom, and how it starts.
struct TemplateListView {
    let theme: Theme

    func draw(cursor: ListCursor, state: ConsoleState, in screen: Rect, into buffer: inout CellBuffer) {
        let inner = DialogView.width(in: screen) - 4
        let templates = state.reference.comms
        let selected = cursor.clamped(to: templates.count)
        let idWidth = min(20, (templates.map { DisplayWidth.of($0.id) }.max() ?? 0) + 2)
        // Two lines a template (where it goes, how it starts) while they fit; else one.
        let room = max(1, screen.height - 8)
        let perTemplate = templates.count * 2 <= room ? 2 : 1
        let shown = max(1, room / perTemplate)
        let first = min(max(0, selected - shown + 1), max(0, templates.count - shown))
        let values = CommsFill.values(site: state.site, incident: state.incident, typed: [:])
        var lines: [StyledLine] = [StyledLine()]
        for (index, template) in templates.enumerated().dropFirst(first).prefix(shown) {
            let marked = { (style: Style) in index == selected ? style.with(theme.selection.attributes) : style }
            var line = StyledLine(index == selected ? theme.glyphs.selectionMarker + " " : "  ", style: marked(.plain))
            line.append(Sanitizer.line(template.id).truncated(toWidth: idWidth - 1).padded(toWidth: idWidth), style: marked(.plain.with(.bold)))
            line.append(Sanitizer.line(ComposerView.destination(template)), style: marked(theme.label))
            lines.append(line)
            if perTemplate == 2 {
                let opening = Sanitizer.line(Composer.render(template.subject ?? template.body, values))
                lines.append(StyledLine(String(repeating: " ", count: idWidth + 2) + opening.truncated(toWidth: max(0, inner - idWidth - 2)),
                                        style: theme.dim))
            }
        }
        lines.append(StyledLine())
        if let incident = state.incident, let due = state.reference.commsCadence.nextDue(for: incident) {
            let left = due.timeIntervalSince(state.site.now)
            lines.append(StyledLine(left < 0 ? "a client update is overdue by \(TimeText.age(-left))"
                                             : "next client update due in \(TimeText.countdown(left))",
                                    style: left < 0 ? theme.style(for: .critical) : theme.dim))
        }
        lines.append(StyledLine("Enter  write it · ↑↓  choose · Esc  cancel", style: theme.dim))
        DialogView(theme: theme).drawBox(title: "Message to send", lines: lines, in: screen, into: &buffer)
    }
}

/// The composer: where the message goes, the blanks to fill, the subject, and the text as it
/// will be logged, with the cursor in the focused field.
struct ComposerView {
    let theme: Theme

    static func destination(_ template: CommsTemplate) -> String {
        template.channel + (template.audience.map { " → \($0)" } ?? "")
    }

    func draw(_ composer: Composer, state: ConsoleState, in rect: Rect, into buffer: inout CellBuffer) {
        buffer.fill(rect)
        let (titleRow, rest) = rect.splitTop(1)
        let (content, footer) = rest.splitTop(rest.height - 1)
        buffer.fill(titleRow, style: theme.header)
        buffer.write(" message · \(Sanitizer.line(composer.template.id))", x: titleRow.x, y: titleRow.y, style: theme.header,
                     limit: titleRow.width)

        let x = content.x + 1
        var y = content.y
        let labelWidth = 10
        func label(_ text: String, focused: Bool = false) {
            buffer.write(text.padded(toWidth: labelWidth), x: x, y: y, style: focused ? theme.label.with(.bold) : theme.label)
        }
        label("To")
        buffer.write(Sanitizer.line(Self.destination(composer.template)), x: x + labelWidth, y: y, limit: content.width - labelWidth - 2)
        y += 1
        if let reference = composer.notifyStep, let step = state.runbooks.runbook(reference.runbook)?.step(reference.step) {
            label("For step")
            buffer.write(Sanitizer.line(step.text) + " (done when sent)", x: x + labelWidth, y: y, style: theme.dim,
                         limit: content.width - labelWidth - 2)
            y += 1
        }
        var cursor: (x: Int, y: Int)?
        let inputWidth = content.width - labelWidth - 3
        for field in composer.fields where field != .body {
            let focused = composer.focused == field
            let (name, input, placeholder) = switch field {
            case .eta: ("ETA", composer.eta, "when service is expected back, e.g. 14:30 UTC")
            case .news: ("News", composer.news, "one line on what is happening")
            default: ("Subject", composer.subject ?? TextInput(), "")
            }
            label(name, focused: focused)
            // The focused field keeps the cursor in view; the others show how they start.
            let (visible, column) = focused ? DialogView.window(input, width: inputWidth - 1)
                                            : (input.text.truncated(toWidth: inputWidth), 0)
            if input.text.isEmpty {
                buffer.write(placeholder.truncated(toWidth: inputWidth).padded(toWidth: inputWidth), x: x + labelWidth, y: y,
                             style: theme.dim.with(.underline))
            } else {
                buffer.write(visible.padded(toWidth: inputWidth), x: x + labelWidth, y: y, style: Style.plain.with(.underline))
            }
            if focused { cursor = (x + labelWidth + column, y) }
            y += 1
        }

        let hasBlanks = composer.fields.contains(.eta) || composer.fields.contains(.news)
        let source = composer.editedByHand ? "edited by hand"
            : hasBlanks ? "filled from the template: typing in a blank above fills it again" : "filled from the template"
        let rule = " text · \(source) "
        buffer.fill(Rect(x: content.x, y: y, width: content.width, height: 1), with: theme.glyphs.rule, style: theme.dim)
        buffer.write(rule, x: x + 1, y: y, style: composer.focused == .body ? theme.label.with(.bold) : theme.dim,
                     limit: content.width - 3)
        y += 1

        let bodyWidth = Composer.bodyWidth(in: state.size)
        let problemRows = composer.problem == nil ? 0 : 1
        let bodyRows = max(1, content.maxY - y - problemRows)
        let lines = composer.body.lines(width: bodyWidth)
        let (cursorRow, cursorColumn) = composer.body.position(in: lines)
        let top = max(0, cursorRow - bodyRows + 1)
        for (offset, line) in lines.dropFirst(top).prefix(bodyRows).enumerated() {
            buffer.write(Sanitizer.line(composer.body.text(of: line)), x: x + 1, y: y + offset, limit: bodyWidth)
        }
        if composer.focused == .body { cursor = (x + 1 + cursorColumn, y + cursorRow - top) }
        if lines.count > bodyRows {
            let position = " \(top + 1)–\(min(lines.count, top + bodyRows)) of \(lines.count) lines "
            buffer.write(position, x: content.maxX - DisplayWidth.of(position) - 1, y: y - 1, style: theme.dim)
        }
        if let problem = composer.problem {
            buffer.write(Sanitizer.line(problem), x: x, y: content.maxY - 1, style: theme.style(for: .critical), limit: content.width - 2)
        }
        if let cursor, composer.question == nil {
            buffer.restyle(Rect(x: cursor.x, y: cursor.y, width: 1, height: 1)) { $0.with(.reverse) }
        }

        drawFooter(composer, in: footer, into: &buffer)
        if composer.question == .send { drawSendQuestion(composer, in: rect, into: &buffer) }
    }

    private func drawFooter(_ composer: Composer, in footer: Rect, into buffer: inout CellBuffer) {
        if composer.question == .discard {
            buffer.fill(footer, style: theme.hint)
            buffer.write(" Esc again throws this message away · any other key keeps it", x: footer.x, y: footer.y, style: theme.hint,
                         limit: footer.width)
            return
        }
        if composer.inEditor {
            buffer.write(" editing in $EDITOR…", x: footer.x, y: footer.y, style: theme.dim)
            return
        }
        var x = footer.x
        for (key, action) in [("^D", "send"), ("^O", "$EDITOR"), ("Tab", "field"), ("Esc", "cancel")] {
            guard x + DisplayWidth.of(key) + DisplayWidth.of(action) + 4 <= footer.maxX else { break }
            x += buffer.write(" \(key) ", x: x, y: footer.y, style: theme.key)
            x += buffer.write(" \(action) ", x: x, y: footer.y)
        }
    }

    /// "Log it as sent?": the person sends it on its channel; the log keeps the exact text.
    private func drawSendQuestion(_ composer: Composer, in screen: Rect, into buffer: inout CellBuffer) {
        let dialog = DialogView(theme: theme)
        let inner = DialogView.width(in: screen) - 4
        var lines: [StyledLine] = [StyledLine()]
        let lineCount = composer.body.text.split(separator: "\n", omittingEmptySubsequences: false).count
        let words = "Log this message as sent on \(Self.destination(composer.template))? The action log keeps its exact text "
            + "(\(lineCount) line\(lineCount == 1 ? "" : "s"))" + (composer.notifyStep == nil ? "." : " and marks the step done.")
        for line in DialogView.wrap(Sanitizer.line(words), width: inner) { lines.append(StyledLine(line)) }
        if let blank = composer.unfilledBlank {
            lines.append(StyledLine())
            for line in DialogView.wrap("\(blank) is empty: the message says nothing where it goes.", width: inner) {
                lines.append(StyledLine(line, style: theme.style(for: .warning)))
            }
        }
        lines.append(StyledLine())
        lines.append(dialog.answers(yes: "log as sent", no: "keep editing"))
        dialog.drawBox(title: "Send?", lines: lines, in: screen, into: &buffer)
    }
}

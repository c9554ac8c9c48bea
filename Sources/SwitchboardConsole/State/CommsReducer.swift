import Foundation
import SwitchboardCore
import TerminalUI

/// Customer communications: `c` (or a runbook's `notify:` step) picks a template, the composer
/// fills it with live values and what the commander types, and Ctrl-D logs it as `comms.sent`.
extension Reduction {
    /// `c`: the list of message templates.
    mutating func openTemplateList() {
        guard state.incident != nil else {
            showHint("no incident is open · i opens one, then c writes to clients")
            return
        }
        guard !state.reference.comms.isEmpty else {
            showHint("the site config has no message templates (comms:)")
            return
        }
        state.viewer.show(.templates(ListCursor()))
    }

    mutating func handleTemplateListKey(_ key: Key, _ cursor: ListCursor) {
        let templates = state.reference.comms
        var cursor = cursor
        switch key {
        case .escape, .character("q"):
            state.viewer.close()
            return
        case .up, .character("k"):
            cursor.move(by: -1, in: templates.count)
        case .down, .character("j"), .tab:
            cursor.move(by: 1, in: templates.count)
        case .enter:
            startComposer(templates[cursor.clamped(to: templates.count)], notifyStep: nil)
            return
        default:
            break
        }
        state.viewer.update(.templates(cursor))
    }

    /// Opens the composer on `template`, filled with what is known now.
    mutating func startComposer(_ template: CommsTemplate, notifyStep: StepReference?) {
        state.viewer.show(.composer(Composer(template: template, notifyStep: notifyStep,
                                             values: CommsFill.values(site: state.site, incident: state.incident, typed: [:]),
                                             exercise: state.incident?.isDrill ?? false)))
    }

    mutating func handleComposerKey(_ key: Key, _ composer: Composer) {
        guard !composer.inEditor else { return }
        var composer = composer
        switch composer.question {
        case .send:
            switch key {
            case .character("y"), .character("Y"), .enter:
                send(composer)
                return
            default:
                composer.question = nil
            }
            state.viewer.update(.composer(composer))
            return
        case .discard:
            if key == .escape {
                state.viewer.close()
            } else {
                composer.question = nil
                state.viewer.update(.composer(composer))
            }
            return
        case nil:
            break
        }
        composer.problem = nil
        switch key {
        case .escape:
            guard composer.hasTyping else {
                state.viewer.close()
                return
            }
            composer.question = .discard
        case .control("d"):
            if composer.body.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                composer.problem = "the message is empty"
            } else {
                composer.question = .send
            }
        case .control("o"):
            composer.inEditor = true
            effects.append(.editText(composer.body.text))
        case .tab, .backTab:
            let index = composer.fields.firstIndex(of: composer.focused) ?? 0
            let step = key == .tab ? 1 : composer.fields.count - 1
            composer.focused = composer.fields[(index + step) % composer.fields.count]
        case .enter where composer.focused != .body:
            let index = composer.fields.firstIndex(of: composer.focused) ?? 0
            composer.focused = composer.fields[min(index + 1, composer.fields.count - 1)]
        default:
            edit(&composer, key)
        }
        state.viewer.update(.composer(composer))
    }

    private func edit(_ composer: inout Composer, _ key: Key) {
        switch composer.focused {
        case .eta, .news:
            let handled = composer.focused == .eta ? composer.eta.handle(key) : composer.news.handle(key)
            if handled { composer.refill(CommsFill.values(site: state.site, incident: state.incident, typed: composer.typed)) }
        case .subject:
            if composer.subject?.handle(key) == true, key.changesText { composer.editedByHand = true }
        case .body:
            if composer.body.handle(key, width: Composer.bodyWidth(in: state.size)), key.changesText { composer.editedByHand = true }
        }
    }

    /// The text came back from `$EDITOR` (nil with the reason when it could not be run).
    mutating func editorFinished(text: String?, problem: String?) {
        guard var composer = state.viewer.composer else { return }
        composer.inEditor = false
        if let text {
            if text != composer.body.text { composer.editedByHand = true }
            composer.body = TextArea(text.hasSuffix("\n") ? String(text.dropLast()) : text)
            composer.focused = .body
        }
        composer.problem = problem
        state.viewer.update(.composer(composer))
    }

    /// Logs the message, and for a `notify:` step the step done after it.
    private mutating func send(_ composer: Composer) {
        state.viewer.close()
        guard let incident = state.incident else {
            showHint("the incident was closed: the message was not logged")
            return
        }
        let role = incident.role(of: state.session.actor)
        // In a drill the message goes out marked as exercise traffic, whatever was done to the text.
        let text = incident.isDrill ? Composer.exerciseMarked(composer.body.text) : composer.body.text
        log(.commsSent(template: composer.template, subject: composer.subject?.trimmed, text: text,
                       notifyStep: composer.notifyStep.map { ($0.runbook, $0.step) }, actor: state.session.actor, role: role,
                       at: state.site.now))
        if let reference = composer.notifyStep, let runbook = state.runbooks.runbook(reference.runbook),
           let step = runbook.step(reference.step), let run = incident.run(of: runbook.id) {
            logStepDone(step, of: runbook, run: run, incident: incident, why: reference.doneOverCheckWhy)
        }
        showHint("logged as sent: \(composer.template.channel)\(composer.template.audience.map { " to \($0)" } ?? "")")
    }
}

extension Composer {
    /// Columns the message text wraps at: the screen less the composer's margins.
    static func bodyWidth(in size: Size) -> Int { max(10, size.width - 4) }
}

extension Key {
    /// Whether the key edits text (rather than moving the cursor).
    var changesText: Bool {
        switch self {
        case .character, .enter, .backspace, .control("u"), .control("w"), .paste: true
        default: false
        }
    }
}

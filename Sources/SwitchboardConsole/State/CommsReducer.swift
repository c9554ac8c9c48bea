import Foundation
import SwitchboardCore
import TerminalUI

/// Customer communications: `c` (or a runbook's `notify:` step) picks a template, the composer
/// fills it with live values and what the commander types, and Ctrl-D logs it as `comms.sent`.
extension ConsoleReducer {
    /// `c`: the list of message templates.
    static func openTemplateList(_ state: inout ConsoleState) {
        guard state.incident != nil else {
            showHint("no incident is open · i opens one, then c writes to clients", &state)
            return
        }
        guard !state.reference.comms.isEmpty else {
            showHint("the site config has no message templates (comms:)", &state)
            return
        }
        state.overlay = .templates(selection: 0)
    }

    static func handleTemplateListKey(_ key: Key, selection: Int, _ state: inout ConsoleState) {
        let count = state.reference.comms.count
        switch key {
        case .escape, .character("q"):
            state.overlay = nil
        case .up, .character("k"):
            state.overlay = .templates(selection: max(0, selection - 1))
        case .down, .character("j"), .tab:
            state.overlay = .templates(selection: min(count - 1, selection + 1))
        case .enter:
            state.overlay = nil
            startComposer(state.reference.comms[min(selection, count - 1)], notifyStep: nil, &state)
        default:
            break
        }
    }

    /// Opens the composer on `template`, filled with what is known now.
    static func startComposer(_ template: CommsTemplate, notifyStep: StepReference?, _ state: inout ConsoleState) {
        state.composer = Composer(template: template, notifyStep: notifyStep,
                                  values: CommsFill.values(site: state.site, incident: state.incident, typed: [:]))
    }

    static func handleComposerKey(_ key: Key, _ state: inout ConsoleState) {
        guard var composer = state.composer, !composer.inEditor else { return }
        defer { if state.composer != nil { state.composer = composer } }
        switch composer.question {
        case .send:
            switch key {
            case .character("y"), .character("Y"), .enter: send(composer, &state)
            default: composer.question = nil
            }
            return
        case .discard:
            if key == .escape { state.composer = nil } else { composer.question = nil }
            return
        case nil:
            break
        }
        composer.problem = nil
        switch key {
        case .escape:
            if composer.hasTyping { composer.question = .discard } else { state.composer = nil }
        case .control("d"):
            if composer.body.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                composer.problem = "the message is empty"
            } else {
                composer.question = .send
            }
        case .control("o"):
            composer.inEditor = true
            state.editorRequest = composer.body.text
        case .tab, .backTab:
            let index = composer.fields.firstIndex(of: composer.focused) ?? 0
            let step = key == .tab ? 1 : composer.fields.count - 1
            composer.focused = composer.fields[(index + step) % composer.fields.count]
        case .enter where composer.focused != .body:
            let index = composer.fields.firstIndex(of: composer.focused) ?? 0
            composer.focused = composer.fields[min(index + 1, composer.fields.count - 1)]
        default:
            edit(&composer, key, state)
        }
    }

    private static func edit(_ composer: inout Composer, _ key: Key, _ state: ConsoleState) {
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
    static func editorFinished(text: String?, problem: String?, _ state: inout ConsoleState) {
        guard var composer = state.composer else { return }
        composer.inEditor = false
        if let text {
            if text != composer.body.text { composer.editedByHand = true }
            composer.body = TextArea(text.hasSuffix("\n") ? String(text.dropLast()) : text)
            composer.focused = .body
        }
        composer.problem = problem
        state.composer = composer
    }

    /// Logs the message, and for a `notify:` step the step done after it.
    private static func send(_ composer: Composer, _ state: inout ConsoleState) {
        guard let incident = state.incident else {
            state.composer = nil
            showHint("the incident was closed: the message was not logged", &state)
            return
        }
        state.composer = nil
        let role = incident.role(of: state.actor)
        log(.commsSent(template: composer.template, subject: composer.subject?.trimmed, text: composer.body.text,
                       notifyStep: composer.notifyStep.map { ($0.runbook, $0.step) }, actor: state.actor, role: role,
                       at: state.site.now), &state)
        if let reference = composer.notifyStep, let runbook = state.runbooks.runbook(reference.runbook),
           let step = runbook.step(reference.step), let run = incident.run(of: runbook.id) {
            logStepDone(step, of: runbook, run: run, incident: incident, &state)
        }
        showHint("logged as sent: \(composer.template.channel)\(composer.template.audience.map { " to \($0)" } ?? "")", &state)
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
        case .character, .enter, .backspace, .control("u"), .control("w"): true
        default: false
        }
    }
}

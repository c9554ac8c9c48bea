import Foundation
import SwitchboardCore
import TerminalUI

/// Folds console input into `ConsoleState` and returns the effects it asks for. Site events go
/// to the site reducer; log events to the incident; keys go to the topmost modal, else to the
/// search being typed, else to the console's own keys. Pure: it does no I/O and decides nothing
/// on its own — what the console decides by itself is `ConsolePolicy`'s.
public enum ConsoleReducer {
    static let hintDuration: TimeInterval = 4

    @discardableResult
    public static func reduce(_ state: inout ConsoleState, _ input: ConsoleInput) -> [ConsoleEffect] {
        var reduction = Reduction(state: consume state)
        reduction.reduce(input)
        state = reduction.state
        return reduction.effects
    }
}

extension Reduction {
    mutating func reduce(_ input: ConsoleInput) {
        switch input {
        case .site(let event):
            SiteReducer.reduce(&state.site, event)
            if let hint = state.viewer.hint, hint.until <= state.site.now { state.viewer.hint = nil }
            if case .probeResult(let result) = event, state.incident != nil, let applied = state.site.probe(result.probeID)?.latest {
                effects.append(.journal(.reading(applied)))
            }
            updateSuggestions()
            if case .probeResult(let result) = event { updateHolds(at: result.at.roundedToMilliseconds) } else { updateHolds() }
        case .log(let event):
            let before = state.incident
            apply(event)
            runbooksAfterLogChange(from: before)
        case .resize(let size):
            state.viewer.size = size
        case .editorFinished(let text, let problem):
            editorFinished(text: text, problem: problem)
        case .decided(let entries):
            for entry in entries { log(entry) }
        case .drawn(let limit):
            if let modal = state.viewer.modal, var scroll = modal.scroll {
                scroll.limit = limit
                state.viewer.update(modal.with(scroll))
            }
        case .drill(let input):
            reduceDrill(input)
        case .key(let key):
            guard !state.isTooSmall else { return handleKeyBehindTooSmall(key) }
            switch state.viewer.modal {
            case .composer(let composer)?: handleComposerKey(key, composer)
            case .form(let form)?: handleFormKey(key, form)
            case .runbooks(let picker)?: handlePickerKey(key, picker)
            case .templates(let cursor)?: handleTemplateListKey(key, cursor)
            case .todos(let cursor)?: handleTodoListKey(key, cursor)
            case let modal?: handleOverlayKey(key, modal)
            case nil:
                if let search = state.viewer.search, search.editing {
                    handleSearchKey(key)
                } else {
                    handleKey(key)
                }
            }
        }
    }

    /// Behind the "terminal too small" screen nothing can be seen, so nothing is done blind:
    /// `q` quits (asking first, as ever, while an incident is open: then `q` again), any other
    /// key is let go. A form or message being written is kept for when the window grows.
    private mutating func handleKeyBehindTooSmall(_ key: Key) {
        switch (state.viewer.modal, key) {
        case (.confirmQuit?, .character("q")), (.confirmQuit?, .character("y")), (.confirmQuit?, .character("Y")):
            effects.append(.quit)
        case (.confirmQuit?, _):
            state.viewer.close()
        case (.form?, _), (.composer?, _):
            break
        case (_, .character("q")):
            requestQuit()
        default:
            break
        }
    }

    private mutating func handleKey(_ key: Key) {
        if drillKey(key) { return }
        switch key {
        case .tab: moveFocus(by: 1)
        case .backTab: moveFocus(by: -1)
        case .up, .character("k"): moveSelection(by: -1)
        case .down, .character("j"): moveSelection(by: 1)
        case .pageUp: moveSelection(by: -10)
        case .pageDown: moveSelection(by: 10)
        case .home: moveSelection(by: -Int.max / 2)
        case .end: moveSelection(by: Int.max / 2)
        case .enter: openDetail()
        case .character("?"), .function(1): state.viewer.show(.help(scroll: Scroll()))
        case .character("q"): requestQuit()
        case .character("i"): incidentKey()
        case .character("n"):
            if state.viewer.focus == .stepper { stepNote() } else { startForm(.remark) }
        case .character("r"): openRunbookList()
        case .character("c"): openTemplateList()
        case .character("d"), .character("s"), .character("b"), .character("u"):
            if case .character(let letter) = key { stepKey(letter) }
        case .left, .character("["):
            if state.viewer.focus == .stepper { switchRunbook(by: -1) } else { showUnknownKey(key) }
        case .right, .character("]"):
            if state.viewer.focus == .stepper { switchRunbook(by: 1) } else { showUnknownKey(key) }
        case .character("h"): handoverKey()
        case .character("p"): state.viewer.show(.people(scroll: Scroll()))
        case .character("x"): useSpareKey()
        case .character("t"): openTodoList()
        case .character("a"): amendSelected()
        case .character("m"): startForm(.milestone)
        case .character("/"): startSearch()
        case .escape: dismissMessage()
        case .control("l"): break // the run loop redraws the whole screen
        default: showUnknownKey(key)
        }
    }

    /// Esc outside any modal: the footer hint, else the notice, else the banner prompt, else the
    /// search filter.
    private mutating func dismissMessage() {
        if state.viewer.hint != nil {
            state.viewer.hint = nil
        } else if state.viewer.notice != nil {
            state.viewer.notice = nil
        } else if let shown = state.banners.lazy.compactMap(\.id).first {
            state.viewer.hidden.insert(shown)
        } else {
            state.viewer.search = nil
        }
    }

    private mutating func handleOverlayKey(_ key: Key, _ modal: Modal) {
        switch (modal, key) {
        case (.confirmQuit, .character("y")), (.confirmQuit, .character("Y")), (.confirmQuit, .character("q")):
            effects.append(.quit)
        case (.confirmQuit, _):
            state.viewer.close()
        case (.incident, .character("s")): startForm(.severity)
        case (.incident, .character("a")): startForm(.assignRole)
        case (.incident, .character("h")): handoverKey()
        case (.incident, .character("x")): startForm(.close)
        case (.logRecord(let seq, _), .character("a")): startForm(.amend(seq: seq))
        case (.step(let reference, _), .character(let letter)) where "dsbu".contains(letter):
            stepKey(letter, step: state.runbooks.runbook(reference.runbook)?.step(reference.step))
        case (.step(let reference, _), .character("n")):
            startForm(.stepNote(runbook: reference.runbook, step: reference.step))
        case (_, .escape), (_, .character("q")), (_, .enter):
            state.viewer.close()
        case (.help, .character("?")), (.help, .function(1)):
            state.viewer.close()
        case (_, .character("?")):
            state.viewer.show(.help(scroll: Scroll()))
        case (_, .up), (_, .character("k")): scrollOverlay(modal, by: -1)
        case (_, .down), (_, .character("j")): scrollOverlay(modal, by: 1)
        case (_, .pageUp): scrollOverlay(modal, by: -(state.size.height - 4))
        case (_, .pageDown), (_, .character(" ")): scrollOverlay(modal, by: state.size.height - 4)
        case (_, .home): scrollOverlay(modal, by: -Int.max / 2)
        case (_, .end): scrollOverlay(modal, by: Int.max / 2)
        default: break
        }
    }

    /// Scrolls a view as far as it was drawn to go: the view clamps what it shows, and reports
    /// its limit back as `.drawn`.
    private mutating func scrollOverlay(_ modal: Modal, by step: Int) {
        guard var scroll = modal.scroll else { return }
        scroll.move(by: step)
        state.viewer.update(modal.with(scroll))
    }

    private mutating func handleSearchKey(_ key: Key) {
        switch key {
        case .escape:
            state.viewer.search = nil
        case .enter:
            state.viewer.search?.editing = false
            if state.viewer.search?.query.trimmed.isEmpty ?? true { state.viewer.search = nil }
        case .up, .down, .pageUp, .pageDown, .tab, .backTab:
            state.viewer.search?.editing = false
            handleKey(key)
        default:
            _ = state.viewer.search?.query.handle(key)
            state.viewer.timelineCursor = ListCursor()
        }
    }

    private mutating func moveFocus(by step: Int) {
        let order = state.focusOrder
        let current = order.firstIndex(of: state.viewer.focus) ?? 0
        state.viewer.focus = order[((current + step) % order.count + order.count) % order.count]
    }

    private mutating func moveSelection(by step: Int) {
        switch state.viewer.focus {
        case .pane(let pane):
            state.viewer.paneCursors[pane, default: ListCursor()].move(by: step, in: state.site.probes(in: pane).count)
        case .stepper:
            moveStepSelection(by: step)
        case .timeline:
            // The timeline is newest first: down goes back in time.
            state.viewer.timelineCursor.move(by: step, in: state.timelineCount)
        }
    }

    private mutating func openDetail() {
        switch state.viewer.focus {
        case .pane(let pane):
            guard let probe = state.selectedProbe(in: pane) else { return }
            state.viewer.show(.probeDetail(probeID: probe.spec.id, scroll: Scroll()))
        case .stepper:
            guard let (run, _) = state.shownRun, let step = state.selectedStep else { return }
            state.viewer.show(.step(StepReference(runbook: run.runbookID, step: step.id), scroll: Scroll()))
        case .timeline:
            if state.incident != nil {
                if case .record(let record) = selectedTimelineItem {
                    state.viewer.show(.logRecord(seq: record.seq, scroll: Scroll()))
                } else if selectedTimelineItem != nil {
                    showHint("not on disk yet: details once it is logged")
                }
                return
            }
            let changes = state.site.changes
            guard !changes.isEmpty else { return }
            let change = changes[changes.count - 1 - state.viewer.timelineCursor.clamped(to: changes.count)]
            state.viewer.show(.probeDetail(probeID: change.probeID, scroll: Scroll()))
        }
    }

    var selectedTimelineItem: TimelineItem? {
        let items = state.timelineItems
        guard !items.isEmpty else { return nil }
        return items[state.viewer.timelineCursor.clamped(to: items.count)]
    }

    private mutating func showUnknownKey(_ key: Key) {
        let name: String
        switch key {
        case .character(let character): name = "'\(Sanitizer.line(String(character)))'"
        case .control(let letter): name = "Ctrl-\(letter.uppercased())"
        case .function(let number): name = "F\(number)"
        case .paste:
            showHint("pasted text goes into a field: n opens a note, / a search")
            return
        default: name = "that key"
        }
        showHint("\(name) does nothing here · ? shows the keys")
    }
}

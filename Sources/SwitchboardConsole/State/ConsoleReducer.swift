import Foundation
import SwitchboardCore
import TerminalUI

/// Input to the console: something happened to the site or its action log, a key was pressed,
/// or the terminal changed size.
public enum ConsoleInput: Sendable, Equatable {
    case site(SiteEvent)
    case log(ActionLogEvent)
    case key(Key)
    case resize(Size)
    /// `$EDITOR` gave the message back (`text`), or could not be run (`problem`).
    case editorFinished(text: String?, problem: String?)
}

/// Folds console input into `ConsoleState`. Site events go to the site reducer; log events to
/// the incident; keys move focus and selection, open overlays and forms, and turn what the
/// person submits into log requests. Pure: it does no I/O, it only queues `logRequests`.
public enum ConsoleReducer {
    static let hintDuration: TimeInterval = 4

    public static func reduce(_ state: inout ConsoleState, _ input: ConsoleInput) {
        switch input {
        case .site(let event):
            let changes = SiteReducer.reduce(&state.site, event)
            if let hint = state.hint, hint.until <= state.site.now { state.hint = nil }
            logProbeChanges(changes, &state)
            runbooksAfterSiteChange(&state)
        case .log(let event):
            let before = state.incident
            apply(event, &state)
            runbooksAfterLogChange(from: before, &state)
        case .resize(let size):
            state.size = size
        case .editorFinished(let text, let problem):
            editorFinished(text: text, problem: problem, &state)
        case .key(let key):
            if state.composer != nil {
                handleComposerKey(key, &state)
            } else if state.form != nil {
                handleFormKey(key, &state)
            } else if case .runbooks(let picker) = state.overlay {
                handlePickerKey(key, picker, &state)
            } else if case .templates(let selection) = state.overlay {
                handleTemplateListKey(key, selection: selection, &state)
            } else if state.overlay != nil {
                handleOverlayKey(key, &state)
            } else if let search = state.search, search.editing {
                handleSearchKey(key, &state)
            } else {
                handleKey(key, &state)
            }
        }
    }

    private static func handleKey(_ key: Key, _ state: inout ConsoleState) {
        switch key {
        case .tab: moveFocus(by: 1, &state)
        case .backTab: moveFocus(by: -1, &state)
        case .up, .character("k"): moveSelection(by: -1, &state)
        case .down, .character("j"): moveSelection(by: 1, &state)
        case .pageUp: moveSelection(by: -10, &state)
        case .pageDown: moveSelection(by: 10, &state)
        case .home: moveSelection(by: -Int.max / 2, &state)
        case .end: moveSelection(by: Int.max / 2, &state)
        case .enter: openDetail(&state)
        case .character("?"): state.overlay = .help(scroll: 0)
        case .character("q"): requestQuit(&state)
        case .character("i"): incidentKey(&state)
        case .character("n"):
            if state.focus == .stepper { stepNote(&state) } else { startForm(.remark, &state) }
        case .character("r"): openRunbookList(&state)
        case .character("c"): openTemplateList(&state)
        case .character("d"), .character("s"), .character("b"), .character("u"):
            if case .character(let letter) = key { stepKey(letter, &state) }
        case .left, .character("["):
            if state.focus == .stepper { switchRunbook(by: -1, &state) } else { showUnknownKey(key, &state) }
        case .right, .character("]"):
            if state.focus == .stepper { switchRunbook(by: 1, &state) } else { showUnknownKey(key, &state) }
        case .character("h"): startForm(.handover, &state)
        case .character("a"): amendSelected(&state)
        case .character("/"): startSearch(&state)
        case .escape:
            if state.hint != nil {
                state.hint = nil
            } else if state.notice != nil {
                state.notice = nil
            } else if state.prompt != nil {
                state.prompt = nil
            } else {
                state.search = nil
            }
        case .control("l"): break // the run loop redraws the whole screen
        default: showUnknownKey(key, &state)
        }
    }

    private static func handleOverlayKey(_ key: Key, _ state: inout ConsoleState) {
        switch (state.overlay, key) {
        case (.confirmQuit, .character("y")), (.confirmQuit, .character("Y")), (.confirmQuit, .character("q")):
            state.quitRequested = true
        case (.confirmQuit, _):
            state.overlay = nil
        case (.incident, .character("s")): startForm(.severity, &state)
        case (.incident, .character("a")): startForm(.assignRole, &state)
        case (.incident, .character("h")): startForm(.handover, &state)
        case (.incident, .character("x")): startForm(.close, &state)
        case (.logRecord(let seq, _), .character("a")): startForm(.amend(seq: seq), &state)
        case (.step(let runbook, let step, _), .character(let letter)) where "dsbu".contains(letter):
            stepKey(letter, step: state.runbooks.runbook(runbook)?.step(step), &state)
        case (.step(let runbook, let step, _), .character("n")):
            state.overlay = nil
            startForm(.stepNote(runbook: runbook, step: step), &state)
        case (_, .escape), (_, .character("q")), (_, .enter):
            state.overlay = nil
        case (_, .character("?")):
            if case .help = state.overlay { state.overlay = nil } else { state.overlay = .help(scroll: 0) }
        case (_, .up), (_, .character("k")): scrollOverlay(by: -1, &state)
        case (_, .down), (_, .character("j")): scrollOverlay(by: 1, &state)
        case (_, .pageUp): scrollOverlay(by: -(state.size.height - 4), &state)
        case (_, .pageDown), (_, .character(" ")): scrollOverlay(by: state.size.height - 4, &state)
        case (_, .home): scrollOverlay(by: -Int.max / 2, &state)
        case (_, .end): scrollOverlay(by: Int.max / 2, &state)
        default: break
        }
    }

    private static func handleSearchKey(_ key: Key, _ state: inout ConsoleState) {
        switch key {
        case .escape:
            state.search = nil
        case .enter:
            state.search?.editing = false
            if state.search?.query.trimmed.isEmpty ?? true { state.search = nil }
        case .up, .down, .pageUp, .pageDown, .tab, .backTab:
            state.search?.editing = false
            handleKey(key, &state)
        default:
            _ = state.search?.query.handle(key)
            state.timelineScroll = 0
        }
    }

    private static func moveFocus(by step: Int, _ state: inout ConsoleState) {
        let order = state.focusOrder
        let current = order.firstIndex(of: state.focus) ?? 0
        state.focus = order[((current + step) % order.count + order.count) % order.count]
    }

    private static func moveSelection(by step: Int, _ state: inout ConsoleState) {
        switch state.focus {
        case .pane(let pane):
            let count = state.site.probes(in: pane).count
            guard count > 0 else { return }
            let current = state.selection[pane] ?? 0
            state.selection[pane] = min(max(0, current.addingReportingOverflow(step).partialValue), count - 1)
        case .stepper:
            moveStepSelection(by: step, &state)
        case .timeline:
            // The timeline is newest first: down goes back in time.
            let limit = max(0, state.timelineCount - 1)
            state.timelineScroll = min(max(0, state.timelineScroll.addingReportingOverflow(step).partialValue), limit)
        }
    }

    private static func openDetail(_ state: inout ConsoleState) {
        switch state.focus {
        case .pane(let pane):
            guard let probe = state.selectedProbe(in: pane) else { return }
            state.overlay = .probeDetail(probeID: probe.spec.id, scroll: 0)
        case .stepper:
            guard let (run, _) = state.shownRun, let step = state.selectedStep else { return }
            state.overlay = .step(runbook: run.runbookID, step: step.id, scroll: 0)
        case .timeline:
            if state.incident != nil {
                if case .record(let record) = selectedTimelineItem(state) {
                    state.overlay = .logRecord(seq: record.seq, scroll: 0)
                } else if selectedTimelineItem(state) != nil {
                    showHint("not on disk yet: details once it is logged", &state)
                }
                return
            }
            let changes = state.site.changes
            guard !changes.isEmpty else { return }
            let change = changes[changes.count - 1 - min(state.timelineScroll, changes.count - 1)]
            state.overlay = .probeDetail(probeID: change.probeID, scroll: 0)
        }
    }

    static func selectedTimelineItem(_ state: ConsoleState) -> TimelineItem? {
        let items = state.timelineItems
        guard !items.isEmpty else { return nil }
        return items[min(state.timelineScroll, items.count - 1)]
    }

    /// Scrolls an overlay, never past its last page, so scrolling back always moves at once.
    private static func scrollOverlay(by step: Int, _ state: inout ConsoleState) {
        func clamped(_ scroll: Int, lines: Int) -> Int {
            OverlayFrame.clampedScroll(scroll.addingReportingOverflow(step).partialValue, lineCount: lines,
                                       visible: OverlayFrame.visibleLines(in: state.size))
        }
        // The line count does not depend on the theme; any theme will do to count.
        let theme = Theme.make(color: false, unicode: false)
        switch state.overlay {
        case .probeDetail(let id, let scroll):
            guard let probe = state.site.probe(id) else { return }
            let lines = ProbeDetailView(theme: theme).lines(for: probe, site: state.site,
                                                            alternates: state.reference.alternateSites).count
            state.overlay = .probeDetail(probeID: id, scroll: clamped(scroll, lines: lines))
        case .logRecord(let seq, let scroll):
            guard let incident = state.incident, let record = incident.record(seq: seq) else { return }
            let lines = LogRecordDetailView(theme: theme).lines(for: record, in: incident,
                                                                width: OverlayFrame.contentWidth(in: state.size)).count
            state.overlay = .logRecord(seq: seq, scroll: clamped(scroll, lines: lines))
        case .incident(let scroll):
            guard let incident = state.incident else { return }
            let lines = IncidentDetailView(theme: theme).lines(for: incident, now: state.site.now).count
            state.overlay = .incident(scroll: clamped(scroll, lines: lines))
        case .help(let scroll):
            state.overlay = .help(scroll: clamped(scroll, lines: HelpView(theme: theme).lines.count))
        case .step(let runbookID, let stepID, let scroll):
            guard let run = state.incident?.run(of: runbookID), let runbook = state.runbooks.runbook(runbookID),
                  let step = runbook.step(stepID) else { return }
            let lines = StepDetailView(theme: theme).lines(for: step, of: runbook, run: run, state: state,
                                                            width: OverlayFrame.contentWidth(in: state.size)).count
            state.overlay = .step(runbook: runbookID, step: stepID, scroll: clamped(scroll, lines: lines))
        case .confirmQuit, .runbooks, .templates, nil:
            break
        }
    }

    static func showHint(_ text: String, _ state: inout ConsoleState) {
        state.hint = Hint(text: text, until: state.site.now.addingTimeInterval(hintDuration))
    }

    private static func showUnknownKey(_ key: Key, _ state: inout ConsoleState) {
        let name: String
        switch key {
        case .character(let character): name = "'\(Sanitizer.line(String(character)))'"
        case .control(let letter): name = "Ctrl-\(letter.uppercased())"
        default: name = "that key"
        }
        showHint("\(name) does nothing here · ? shows the keys", &state)
    }
}

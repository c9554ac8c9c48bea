import Foundation
import SwitchboardCore
import TerminalUI

/// Draws the console: a pure function from `ConsoleState` to a `CellBuffer`.
public struct ConsoleView: Sendable {
    public let theme: Theme
    /// The word after the brand in the header: nil for the console's own (` LIVE `, or ` DEMO `
    /// on the demo site); review puts ` REVIEW ` there, over the very same frame.
    public let marker: (text: String, style: Style)?

    public init(theme: Theme, marker: (text: String, style: Style)? = nil) {
        self.theme = theme
        self.marker = marker
    }

    /// A drawn frame, and how far its topmost scrolling view can scroll (nil without one): the
    /// run loop tells the reducer, so scrolling stops where the content ends.
    public struct Frame: Sendable {
        public var buffer: CellBuffer
        public var scrollLimit: Int?
    }

    public func render(_ state: ConsoleState) -> CellBuffer {
        frame(state).buffer
    }

    public func frame(_ state: ConsoleState) -> Frame {
        var buffer = CellBuffer(size: state.size)
        if state.isTooSmall {
            drawTooSmall(state, into: &buffer)
            return Frame(buffer: buffer)
        }
        let counts = Dictionary(Pane.allCases.map { ($0, state.site.probes(in: $0).count) }, uniquingKeysWith: +)
        let banners = state.banners
        let layout = ConsoleLayout(size: state.size, probeCounts: counts,
                                   bannerRows: ConsoleLayout.bannerRows(for: state.size, wanted: banners.count),
                                   stepperSteps: state.shownRun?.runbook.steps.count)
        drawHeader(state, in: layout.header, into: &buffer)
        if let rows = layout.banner { drawBanners(banners, in: rows, into: &buffer) }
        for region in layout.panes {
            PaneView(theme: theme).draw(region.pane, state: state, in: region.rect, into: &buffer)
        }
        if let stepper = layout.stepper { StepperView(theme: theme).draw(state, in: stepper, into: &buffer) }
        TimelineView(theme: theme).draw(state, in: layout.timeline, into: &buffer)
        drawFooter(state, in: layout.footer, into: &buffer)
        let scrollLimit = state.viewer.modal.flatMap { drawModal($0, state, into: &buffer) }
        return Frame(buffer: buffer, scrollLimit: scrollLimit)
    }

    /// One banner a row, most important first; the last row says how many more there are.
    private func drawBanners(_ banners: [Banner], in rows: Rect, into buffer: inout CellBuffer) {
        let firstHideable = banners.firstIndex(where: \.hideable)
        // `v` reads the inject on top: only its banner says so.
        let firstInject = banners.firstIndex { if case .inject? = $0.id { true } else { false } }
        for (offset, banner) in banners.prefix(rows.height).enumerated() {
            let row = Rect(x: rows.x, y: rows.y + offset, width: rows.width, height: 1)
            let style = switch banner.tone {
            case .problem: theme.problemBanner
            case .notice: theme.noticeBanner
            case .prompt: theme.hint
            }
            var text = banner.text
            let more = banners.count - rows.height
            if offset == rows.height - 1, more > 0 { text = "(+\(more) more) " + text }
            // Esc hides the first it can. A text that fits only without that hint is shown whole
            // (players need all of the drill's id); an inject cut short keeps its keys in view and
            // says where to read it whole.
            var keys = offset == firstHideable ? " · Esc hides" : ""
            if DisplayWidth.of(text + keys) > row.width - 1 {
                if offset == firstInject { keys = " · v reads all" + keys } else if DisplayWidth.of(text) <= row.width - 1 { keys = "" }
            }
            buffer.fill(row, style: style)
            buffer.write(" " + text.truncated(toWidth: row.width - 1 - DisplayWidth.of(keys)) + keys, x: row.x, y: row.y, style: style)
        }
    }

    /// Draws the topmost modal over the console; returns how far it can scroll, for a scrolling one.
    private func drawModal(_ modal: Modal, _ state: ConsoleState, into buffer: inout CellBuffer) -> Int? {
        let frame = OverlayFrame(theme: theme)
        let width = OverlayFrame.contentWidth(in: state.size)
        func scrolling(_ title: String, _ lines: [StyledLine], _ scroll: Scroll) -> Int {
            frame.draw(title: title, lines: lines, scroll: scroll, in: buffer.bounds, into: &buffer)
        }
        switch modal {
        case .probeDetail(let id, let scroll):
            guard let probe = state.site.probe(id) else { return nil }
            let lines = ProbeDetailView(theme: theme).lines(for: probe, site: state.site, alternates: state.reference.alternateSites)
            return scrolling("\(probe.spec.id) · details", lines, scroll)
        case .logRecord(let seq, let scroll):
            guard let incident = state.incident, let record = incident.record(seq: seq) else { return nil }
            let lines = LogRecordDetailView(theme: theme).lines(for: record, in: incident, width: width)
            return scrolling("log record #\(seq)", lines, scroll)
        case .incident(let scroll):
            guard let incident = state.incident else { return nil }
            return scrolling("incident · \(Sanitizer.line(incident.title))",
                             IncidentDetailView(theme: theme).lines(for: incident, now: state.site.now), scroll)
        case .help(let scroll):
            return scrolling("keys", HelpView(theme: theme).lines, scroll)
        case .step(let reference, let scroll):
            guard let incident = state.incident, let run = incident.run(of: reference.runbook),
                  let runbook = state.runbooks.runbook(reference.runbook), let step = runbook.step(reference.step) else { return nil }
            return scrolling("\(Sanitizer.line(runbook.title)) · step \((runbook.index(of: step.id) ?? 0) + 1)",
                             StepDetailView(theme: theme).lines(for: step, of: runbook, run: run, state: state, width: width), scroll)
        case .runbooks(let picker):
            RunbookPickerView(theme: theme).draw(picker, state: state, in: buffer.bounds, into: &buffer)
        case .templates(let cursor):
            TemplateListView(theme: theme).draw(cursor: cursor, state: state, in: buffer.bounds, into: &buffer)
        case .todos(let cursor):
            TodoListView(theme: theme).draw(cursor: cursor, state: state, in: buffer.bounds, into: &buffer)
        case .people(let scroll):
            return scrolling("people, contacts and spares", PeopleView(theme: theme).lines(state), scroll)
        case .objectives(let scroll):
            guard let scenario = state.library.scenario, let incident = state.incident else { return nil }
            return scrolling("objectives board · players do not see it",
                             ObjectivesBoardView(theme: theme).lines(scenario, incident: incident, now: state.site.now, width: width), scroll)
        case .confirmQuit:
            DialogView(theme: theme).drawQuitQuestion(state, in: buffer.bounds, into: &buffer)
        case .form(let form):
            DialogView(theme: theme).draw(form, in: buffer.bounds, into: &buffer)
        case .composer(let composer):
            ComposerView(theme: theme).draw(composer, state: state, in: buffer.bounds, into: &buffer)
        }
        return nil
    }

    /// `SWITCHBOARD  DEMO  site … SEV2 title · 12m · IC alice · update 4:12  21:04:33 UTC`: the
    /// site's name gives way first, then the brand (below 100 columns), then the incident's title.
    private func drawHeader(_ state: ConsoleState, in rect: Rect, into buffer: inout CellBuffer) {
        buffer.fill(rect, style: theme.header)
        var x = rect.x + 1
        // During an incident on a narrow terminal, the incident's line needs the brand's room.
        if state.incident == nil || rect.width >= 100 {
            x += buffer.write("SWITCHBOARD  ", x: x, y: rect.y, style: theme.header)
        }
        let drill = state.incident?.drill
        let (marker, markerStyle) = self.marker ?? (drill != nil ? (" DRILL ", theme.drillMarker)
            : state.site.isDemo ? (" DEMO ", theme.demoMarker) : (" LIVE ", theme.liveMarker))
        x += buffer.write(marker, x: x, y: rect.y, style: markerStyle)
        x += 2
        // A drill runs on scenario time: T+ and how fast, not the wall clock.
        let clock = drill.map { "  \(DrillClockText.header($0, now: state.site.now)) " } ?? "  \(TimeText.clock(state.site.now)) UTC "
        var right = rect.maxX - DisplayWidth.of(clock)
        buffer.write(clock, x: right, y: rect.y, style: theme.header)

        let site = Sanitizer.line(state.site.siteName)
        guard let incident = state.incident else {
            let status = state.session.opening ? "opening incident…" : "no incident open"
            right -= DisplayWidth.of(status)
            buffer.write(status, x: right, y: rect.y, style: theme.header)
            buffer.write(site.truncated(toWidth: right - x - 2), x: x, y: rect.y, style: theme.header)
            return
        }
        let severity = " \(incident.severity.rawValue.uppercased()) "
        let facts = " · \(TimeText.age(state.site.now.timeIntervalSince(incident.openedAt))) · IC \(Sanitizer.line(incident.commander))"
        let comms = commsDue(state.reference.commsCadence, incident, now: state.site.now)
        let title = Sanitizer.line(incident.title)
        let room = right - x
        let titleRoom = max(8, room - DisplayWidth.of(severity) - 1 - DisplayWidth.of(facts) - DisplayWidth.of(comms.text))
        let titleText = title.truncated(toWidth: titleRoom)
        let incidentWidth = DisplayWidth.of(severity) + 1 + DisplayWidth.of(titleText) + DisplayWidth.of(facts) + DisplayWidth.of(comms.text)
        let siteRoom = room - incidentWidth - 3
        if siteRoom >= 4 { buffer.write(site.truncated(toWidth: siteRoom), x: x, y: rect.y, style: theme.header) }
        var column = right - incidentWidth
        column += buffer.write(severity, x: column, y: rect.y, style: theme.style(for: incident.severity))
        column += 1
        column += buffer.write(titleText, x: column, y: rect.y, style: theme.header)
        column += buffer.write(facts, x: column, y: rect.y, style: theme.header, limit: right - column)
        buffer.write(comms.text, x: column, y: rect.y, style: comms.style, limit: right - column)
    }

    /// ` · update 4:12` counting down to the next client update; ` UPDATE OVERDUE 3m ` in the
    /// critical style once it has passed.
    private func commsDue(_ cadence: CommsCadence, _ incident: IncidentState, now: Date) -> (text: String, style: Style) {
        guard let due = cadence.nextDue(for: incident) else { return ("", theme.header) }
        let left = due.timeIntervalSince(now)
        if left >= 0 { return (" · update \(TimeText.countdown(left))", theme.header) }
        return (" UPDATE OVERDUE \(TimeText.age(-left)) ", theme.style(for: .critical).with(.bold))
    }

    private func drawFooter(_ state: ConsoleState, in rect: Rect, into buffer: inout CellBuffer) {
        if let search = state.viewer.search, search.editing {
            let prompt = "/"
            var x = rect.x + buffer.write(prompt, x: rect.x, y: rect.y, style: .plain.with(.bold))
            let (visible, column) = DialogView.window(search.query, width: rect.width - 2)
            buffer.write(visible, x: x, y: rect.y)
            x += column
            buffer.restyle(Rect(x: x, y: rect.y, width: 1, height: 1)) { $0.with(.reverse) }
            let help = "Enter keep filter · Esc clear"
            if rect.maxX - x - 2 > DisplayWidth.of(help) {
                buffer.write(help, x: rect.maxX - DisplayWidth.of(help) - 1, y: rect.y, style: theme.dim)
            }
            return
        }
        if let hint = state.viewer.hint {
            buffer.fill(rect, style: theme.hint)
            buffer.write(" " + hint.text, x: rect.x, y: rect.y, style: theme.hint, limit: rect.width)
            return
        }
        let keys: [(String, String)]
        if state.incident?.drill != nil, state.library.scenario != nil, state.selectedStep == nil || state.viewer.focus != .stepper {
            // The facilitator's console: the drill's own keys first, but in the stepper its keys.
            keys = [("Space", state.incident?.drill?.setting.paused == true ? "resume" : "pause"), ("+ -", "speed"), (">", "next inject"),
                    ("!", "inject"), ("e", "evaluate"), ("o", "board"), ("n", "note"), ("?", "help"), ("q", "quit")]
        } else if state.incident == nil {
            keys = [("i", "open incident"), ("r", "runbooks"), ("Tab", "pane"), ("Enter", "details"), ("?", "help"), ("q", "quit")]
        } else if let step = state.selectedStep {
            keys = [("d", step.isQuestion ? "answer" : step.notify != nil ? "write" : "done"), ("s", "skip"), ("b", "blocked"),
                    ("n", "note"), ("c", "message"), ("r", "runbooks"), ("Tab", "pane"), ("?", "help"), ("q", "quit")]
        } else {
            keys = [("n", "note"), ("c", "message"), ("r", "runbooks"), ("i", "incident"), ("h", "hand over"), ("p", "people"), ("/", "search"),
                    ("Tab", "pane"), ("?", "help"), ("q", "quit")]
        }
        // Keys that do not fit give way from the end, but `?` always stays: it lists the rest.
        func width(_ key: (String, String)) -> Int { DisplayWidth.of(key.0) + DisplayWidth.of(key.1) + 4 }
        var shown = keys
        while shown.map(width).reduce(0, +) > rect.width, let last = shown.lastIndex(where: { $0.0 != "?" }) {
            shown.remove(at: last)
        }
        var x = rect.x
        for (key, action) in shown {
            x += buffer.write(" \(key) ", x: x, y: rect.y, style: theme.key)
            x += buffer.write(" \(action) ", x: x, y: rect.y)
        }
        if state.site.isDemo {
            let note = "demo site: no switchboard.yaml found"
            if rect.maxX - x - 1 >= DisplayWidth.of(note) {
                buffer.write(note, x: rect.maxX - DisplayWidth.of(note) - 1, y: rect.y, style: theme.dim)
            }
        }
    }

    /// What the keys do behind it (`handleKeyBehindTooSmall`): nothing but quit.
    private func drawTooSmall(_ state: ConsoleState, into buffer: inout CellBuffer) {
        let (size, minimum) = (state.size, ConsoleState.minimumSize)
        let keys = switch state.viewer.modal {
        case .confirmQuit?: "quit? q again quits · any other key stays"
        case .form?, .composer?: "enlarge the window to go on writing · Ctrl-C quits"
        default: "enlarge the window · q quits"
        }
        let lines = ["terminal too small", "need \(minimum.width)×\(minimum.height), have \(size.width)×\(size.height)", keys]
        let top = max(0, (size.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let text = line.truncated(toWidth: size.width)
            buffer.write(text, x: max(0, (size.width - DisplayWidth.of(text)) / 2), y: top + index,
                         style: index == 0 ? theme.label.with(.bold) : .plain)
        }
    }
}

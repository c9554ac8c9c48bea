import Foundation
import SwitchboardCore
@testable import SwitchboardConsole
import TerminalUI

/// A console under test, driven as the run loop drives one: each input goes through the
/// reducer and the policy, the frame is drawn (so a scrolling view learns how far it goes), and
/// the effects are kept for the test to look at — log requests until a `ScriptedLog` answers
/// them, journal lines, `$EDITOR`, quit, a drill's clock. The state reads through (`console.viewer.focus`).
@dynamicMemberLookup
struct TestConsole {
    static let view = ConsoleView(theme: .make(color: false, unicode: true))

    var state: ConsoleState
    /// Log requests not answered yet, oldest first.
    var requests: [ActionLogRequest] = []
    var journal: [JournalRequest] = []
    var editorRequest: String?
    var quitRequested = false
    /// What a drill asked of its scenario clock and probes, oldest first.
    var drillEffects: [ConsoleEffect] = []

    init(_ state: ConsoleState) {
        self.state = state
    }

    subscript<T>(dynamicMember keyPath: WritableKeyPath<ConsoleState, T>) -> T {
        get { state[keyPath: keyPath] }
        set { state[keyPath: keyPath] = newValue }
    }

    subscript<T>(dynamicMember keyPath: KeyPath<ConsoleState, T>) -> T { state[keyPath: keyPath] }

    func selectedProbe(in pane: Pane) -> ProbeState? { state.selectedProbe(in: pane) }

    mutating func send(_ input: ConsoleInput) {
        var console = Console(state)
        let effects = console.send(input)
        state = console.state
        for effect in effects {
            switch effect {
            case .log(let request): requests.append(request)
            case .journal(let request): journal.append(request)
            case .editText(let text): editorRequest = text
            case .quit: quitRequested = true
            case .drillClock, .injectPlayed: drillEffects.append(effect)
            }
        }
        if let limit = Self.view.frame(state).scrollLimit, limit != state.viewer.modal?.scroll?.limit {
            send(.drawn(scrollLimit: limit))
        }
    }

    mutating func press(_ keys: [Key]) {
        for key in keys { send(.key(key)) }
    }

    /// Types `text` one character at a time, then presses `then`.
    mutating func type(_ text: String, then keys: [Key] = []) {
        press(text.map(Key.character) + keys)
    }

    /// The log requests made since the last look, about runbooks (probe changes aside).
    var runbookRequests: [ActionLogRequest] {
        requests.filter { if case .append(let entry) = $0 { entry.kind != LogKind.probeChanged } else { true } }
    }
}

extension ConsoleView {
    func render(_ console: TestConsole) -> CellBuffer { render(console.state) }
}

/// Stands in for the action-log writer: answers the requests the console made with the events
/// the writer would post, sealing records into a real hash chain.
struct ScriptedLog {
    var incident = "20261118-0946-ups-on-battery"
    var records: [LogRecord] = []

    mutating func seal(_ entry: LogEntry) -> LogRecord {
        let record = HashChain.seal(entry, incident: incident, seq: records.count + 1, prev: records.last?.hash ?? HashChain.genesis).record
        records.append(record)
        return record
    }

    /// Carries out every request, as the writer would, and feeds the answers back, until the
    /// answers ask for no more.
    mutating func answer(_ console: inout TestConsole) {
        while !console.requests.isEmpty {
            let requests = console.requests
            console.requests.removeAll()
            for request in requests {
                switch request {
                case .open(let title, let severity, let actor, let at, let earlier):
                    let opened = seal(LogEntry(kind: LogKind.opened, actor: actor, role: "incident commander", at: at,
                                               fields: ["title": .string(title), "severity": .string(severity.rawValue)]))
                    var incident = IncidentState(opening: opened)!
                    for entry in earlier { incident.apply(seal(entry)) }
                    console.send(.log(.attached(incident, notice: nil)))
                    console.send(.log(.restored(incident: incident.id, nil)))
                case .append(let entry):
                    console.send(.log(.records([seal(entry)], acknowledged: 1)))
                }
            }
        }
    }
}

extension TestConsole {
    /// Presses each key and lets the log answer what it asked, as the writer does between keys.
    mutating func press(_ keys: [Key], answering log: inout ScriptedLog) {
        for key in keys {
            press([key])
            log.answer(&self)
        }
    }
}

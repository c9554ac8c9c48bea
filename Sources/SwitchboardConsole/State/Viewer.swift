import Foundation
import SwitchboardCore
import TerminalUI

/// What belongs to whoever is looking at the console: the terminal's size, focus, cursors, the
/// modals open over the console, and the messages meant for this person. A second console, or
/// a reviewer replaying an incident, has a viewer of its own over the same incident.
public struct Viewer: Sendable, Equatable {
    public var size: Size
    public var focus: Focus
    /// The selected row of each pane.
    public var paneCursors: [Pane: ListCursor] = [:]
    /// The selected row of the timeline, counted from the newest.
    public var timelineCursor = ListCursor()
    /// The runbook the person chose to show in the stepper (← →, or the list); nil follows the
    /// newest one running.
    public var chosenRunbook: String?
    /// Where the person moved the stepper's selection, per runbook; nil follows the current step.
    public var stepCursors: [String: Int] = [:]
    /// Views over the console, topmost last: the topmost gets the keys.
    public var modals: [Modal] = []
    public var search: LogSearch?
    public var hint: Hint?
    public var notice: Notice?
    /// Banners hidden with Esc.
    public var hidden: Set<BannerID> = []

    /// A viewer that has not moved anything yet: focus on the first pane with probes.
    public init(size: Size, site: SiteState) {
        self.size = size
        self.focus = Self.focusOrder(site, stepper: false).first ?? .timeline
    }

    static func focusOrder(_ site: SiteState, stepper: Bool) -> [Focus] {
        Pane.allCases.filter { !site.probes(in: $0).isEmpty }.map(Focus.pane) + (stepper ? [.stepper] : []) + [.timeline]
    }

    /// The topmost modal.
    public var modal: Modal? { modals.last }

    /// The form being filled in, when it is the topmost modal.
    public var form: Form? {
        if case .form(let form) = modal { form } else { nil }
    }

    /// The customer message being written, when it is the topmost modal.
    public var composer: Composer? {
        if case .composer(let composer) = modal { composer } else { nil }
    }

    /// Shows `modal` in place of whatever modal is open (one view over the console at a time).
    mutating func show(_ modal: Modal) {
        modals = [modal]
    }

    /// Changes the topmost modal in place (a cursor moved, a character typed).
    mutating func update(_ modal: Modal) {
        if modals.isEmpty { modals = [modal] } else { modals[modals.count - 1] = modal }
    }

    /// Closes the topmost modal.
    mutating func close() {
        _ = modals.popLast()
    }
}

/// Where keyboard focus is: one of the status panes, the runbook stepper (while a runbook is
/// shown), or the timeline (the recent changes, or the action log while an incident is open).
public enum Focus: Sendable, Equatable {
    case pane(Pane)
    case stepper
    case timeline
}

/// A view over the console until Esc closes it. Only the topmost gets keys.
public enum Modal: Sendable, Equatable {
    case probeDetail(probeID: String, scroll: Scroll)
    case logRecord(seq: Int, scroll: Scroll)
    case incident(scroll: Scroll)
    case help(scroll: Scroll)
    /// One step of a running runbook: its detail, contacts, condition readings and history.
    case step(StepReference, scroll: Scroll)
    /// The runbook list of `r`: running ones, then suggested, then the rest, then broken ones.
    case runbooks(RunbookPicker)
    /// The message templates of `c`, with the selected one.
    case templates(ListCursor)
    /// The open to-dos of `t`, with the selected one.
    case todos(ListCursor)
    /// The site's people, contacts and spares (`p`).
    case people(scroll: Scroll)
    /// "Quit? The incident stays open" — y or n.
    case confirmQuit
    case form(Form)
    /// A customer message being written (`c`, or a `notify:` step).
    case composer(Composer)
    /// A drill's objectives board, on the facilitator's console (`o`).
    case objectives(scroll: Scroll)

    /// The scroll position of a scrolling view.
    var scroll: Scroll? {
        switch self {
        case .probeDetail(_, let scroll), .logRecord(_, let scroll), .incident(let scroll), .help(let scroll), .step(_, let scroll),
             .people(let scroll), .objectives(let scroll):
            scroll
        default:
            nil
        }
    }

    /// The same view, scrolled to `scroll`.
    func with(_ scroll: Scroll) -> Modal {
        switch self {
        case .probeDetail(let id, _): .probeDetail(probeID: id, scroll: scroll)
        case .logRecord(let seq, _): .logRecord(seq: seq, scroll: scroll)
        case .incident: .incident(scroll: scroll)
        case .help: .help(scroll: scroll)
        case .step(let step, _): .step(step, scroll: scroll)
        case .people: .people(scroll: scroll)
        case .objectives: .objectives(scroll: scroll)
        default: self
        }
    }
}

/// A cursor in a list that can change under it (probes, steps, log lines, runbooks): kept as it
/// was moved, and read clamped to the list's length at the moment, as a list widget's state is.
public struct ListCursor: Sendable, Equatable {
    public var index: Int

    public init(_ index: Int = 0) {
        self.index = index
    }

    /// The selected index in a list of `count` items (0 when it is empty).
    public func clamped(to count: Int) -> Int {
        count == 0 ? 0 : min(max(0, index), count - 1)
    }

    /// Moves by `step` within a list of `count` items; moving past either end stops there.
    public mutating func move(by step: Int, in count: Int) {
        index = ListCursor(clamped(to: count).addingReportingOverflow(step).partialValue).clamped(to: count)
    }
}

/// How far a scrolling view is scrolled. The view clamps `top` when it draws and reports how
/// far it can go (`limit`), so scrolling back from the end moves at once however often the
/// person pressed PgDn. Two positions are the same when they have the same top line: the limit
/// is only what the view last reported.
public struct Scroll: Sendable, Equatable {
    public var top = 0
    /// The last top line the view could show when it was last drawn; nil before it was drawn.
    public var limit: Int?

    public init(top: Int = 0, limit: Int? = nil) {
        self.top = top
        self.limit = limit
    }

    /// The top line to draw when `limit` is as far as the content goes.
    public func clamped(to limit: Int) -> Int { min(max(0, top), max(0, limit)) }

    public static func == (lhs: Scroll, rhs: Scroll) -> Bool { lhs.top == rhs.top }

    mutating func move(by step: Int) {
        let from = limit.map(clamped(to:)) ?? top
        top = max(0, from.addingReportingOverflow(step).partialValue)
        if let limit { top = clamped(to: limit) }
    }
}

/// A short message in the footer that disappears by itself.
public struct Hint: Sendable, Equatable {
    public var text: String
    public var until: Date
}

/// A message under the header that stays until Esc: something about the log worth knowing
/// (a repaired tail, an incident opened elsewhere) or a problem (an incident could not be opened).
public struct Notice: Sendable, Equatable {
    public var text: String
    public var isProblem: Bool
}

/// The list `r` shows, filtered by what is typed.
public struct RunbookPicker: Sendable, Equatable {
    public var filter = TextInput()
    public var cursor = ListCursor()
}

/// The log filter typed after `/`: while `editing`, keys go to the query.
public struct LogSearch: Sendable, Equatable {
    public var query = TextInput()
    public var editing = true
}

/// A banner line under the header the person can hide with Esc.
public enum BannerID: Sendable, Hashable {
    /// A runbook suggested because its trigger holds: hidden until the trigger stops holding.
    case suggestion(runbook: String)
    /// A recurring step due again: hidden for this round.
    case reminder(runbook: String, step: String, round: Int)
    /// Command offered and waiting: hidden for this offer.
    case handover(to: String, at: Date)
    /// A drill inject: hidden for good (the log keeps it, `v` reads the latest).
    case inject(seq: Int)
}

import Foundation
import SwitchboardCore
import TerminalUI

/// Where keyboard focus is: one of the status panes, the runbook stepper (while a runbook is
/// running), or the timeline (the recent changes, or the action log while an incident is open).
public enum Focus: Sendable, Equatable {
    case pane(Pane)
    case stepper
    case timeline
}

/// A view drawn over the console until Esc closes it.
public enum Overlay: Sendable, Equatable {
    case probeDetail(probeID: String, scroll: Int)
    case logRecord(seq: Int, scroll: Int)
    case incident(scroll: Int)
    case help(scroll: Int)
    /// The runbook list of `r`: running ones, then suggested, then the rest, then broken ones.
    case runbooks(RunbookPicker)
    /// One step of a running runbook: its detail, contacts, condition readings and history.
    case step(runbook: String, step: String, scroll: Int)
    /// The message templates of `c`, with the selected one.
    case templates(selection: Int)
    /// "Quit? The incident stays open" — y or n.
    case confirmQuit
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
    public var selection = 0
}

/// Something the runbooks want the commander to notice, shown under the header until it is
/// acted on or dismissed: a runbook whose trigger became true, or a recurring step due again.
public struct RunbookPrompt: Sendable, Equatable {
    public var text: String
    /// The runbook suggested, for a suggestion (it goes when the trigger no longer holds or the
    /// runbook starts); nil for a reminder.
    public var suggestedRunbook: String?
}

/// The log filter typed after `/`: while `editing`, keys go to the query.
public struct LogSearch: Sendable, Equatable {
    public var query = TextInput()
    public var editing = true
}

/// One line of the action log pane: a record on disk, or an entry not yet written.
public enum TimelineItem: Sendable, Equatable {
    case record(LogRecord)
    case unsaved(LogEntry)
}

/// Everything the screen is drawn from: the site's state, the followed incident, and the
/// console's own (focus, selection, overlays, forms). The view is a pure function of this value.
public struct ConsoleState: Sendable {
    public var site: SiteState
    public var size: Size
    /// Who is at this console, as the log records it.
    public var actor: String
    public var focus: Focus
    /// The selected row in each pane.
    public var selection: [Pane: Int] = [:]
    /// How many rows the timeline is scrolled back from the newest.
    public var timelineScroll = 0
    public var overlay: Overlay?
    public var form: Form?
    /// A customer message being written (`c`, or a `notify:` step).
    public var composer: Composer?
    /// Text for the run loop to hand to `$EDITOR`; the result comes back as `editorFinished`.
    public var editorRequest: String?
    public var search: LogSearch?
    public var hint: Hint?
    public var notice: Notice?
    public var quitRequested = false

    /// The incident this console follows, folded from its log; nil when none is open.
    public var incident: IncidentState?
    /// An incident is being opened: probe changes from now on are queued for it.
    public var openingIncident = false
    /// Entries handed to the log writer and not yet on disk, oldest first: shown as unsaved.
    public var unsaved: [LogEntry] = []
    /// Why the log cannot be written right now: a red banner until a write succeeds.
    public var logFailure: String?
    /// Requests for the log writer, taken by the run loop after each input.
    public var logRequests: [ActionLogRequest] = []

    /// The site's runbooks (valid and broken) and the reference data they point at.
    public var runbooks: RunbookLibrary
    public var reference: SiteReference
    /// The running runbook the stepper shows.
    public var shownRunbook: String?
    /// The selected step of each running runbook (an index into its steps); it follows the
    /// current step as the runbook moves on.
    public var stepSelection: [String: Int] = [:]
    /// Runbooks whose triggers hold now (and that are not running), in library order.
    public var suggestions: [String] = []
    public var prompt: RunbookPrompt?
    /// A runbook to start once the incident being opened for it is attached, with its trigger.
    public var runbookAfterOpening: (id: String, trigger: String?)?
    /// The round of each recurring step (`runbook/step`) already reminded of, so a reminder
    /// shows once per round.
    var remindedRounds: [String: Int] = [:]

    public init(site: SiteState, size: Size, actor: String = "operator", runbooks: RunbookLibrary = RunbookLibrary(),
                reference: SiteReference = SiteReference()) {
        self.site = site
        self.size = size
        self.actor = actor
        self.runbooks = runbooks
        self.reference = reference
        self.focus = Self.focusOrder(site, stepper: false).first ?? .timeline
    }

    /// The regions Tab moves through, in screen order: panes that have probes, the stepper while
    /// a runbook runs, then the timeline.
    static func focusOrder(_ site: SiteState, stepper: Bool) -> [Focus] {
        Pane.allCases.filter { !site.probes(in: $0).isEmpty }.map(Focus.pane) + (stepper ? [.stepper] : []) + [.timeline]
    }

    var focusOrder: [Focus] { Self.focusOrder(site, stepper: shownRun != nil) }

    /// The run the stepper shows, with its definition.
    public var shownRun: (run: RunbookRun, runbook: Runbook)? {
        guard let incident, let id = shownRunbook, let run = incident.run(of: id), let runbook = runbooks.runbook(id) else { return nil }
        return (run, runbook)
    }

    /// The step selected in the stepper.
    public var selectedStep: RunbookStep? {
        guard let (_, runbook) = shownRun, !runbook.steps.isEmpty else { return nil }
        return runbook.steps[min(max(0, stepSelection[runbook.id] ?? 0), runbook.steps.count - 1)]
    }

    /// The probe selected in a pane.
    public func selectedProbe(in pane: Pane) -> ProbeState? {
        let probes = site.probes(in: pane)
        guard !probes.isEmpty else { return nil }
        return probes[min(max(0, selection[pane] ?? 0), probes.count - 1)]
    }

    /// The action log's lines, newest first: unsaved entries, then records, filtered by the search.
    public var timelineItems: [TimelineItem] {
        guard let incident else { return [] }
        let query = search?.query.trimmed.lowercased() ?? ""
        let unsavedItems = unsaved.reversed().map(TimelineItem.unsaved)
        let recordItems = incident.recent.reversed().map(TimelineItem.record)
        guard !query.isEmpty else { return unsavedItems + recordItems }
        return (unsavedItems + recordItems).filter { $0.searchText.contains(query) }
    }

    /// The number of rows the timeline has: log lines during an incident, else state changes.
    var timelineCount: Int { incident == nil ? site.changes.count : timelineItems.count }

    /// The smallest terminal the console is fully usable in.
    public static let minimumSize = Size(width: 80, height: 24)

    public var isTooSmall: Bool {
        size.width < Self.minimumSize.width || size.height < Self.minimumSize.height
    }
}

extension TimelineItem {
    public var entry: LogEntry {
        switch self {
        case .record(let record): record.entry
        case .unsaved(let entry): entry
        }
    }

    /// What `/` searches: the kind, who, and every text field, lowercased.
    var searchText: String {
        let entry = self.entry
        var parts = [entry.kind, entry.actor, entry.role ?? ""]
        for (_, value) in entry.fields {
            switch value {
            case .string(let text): parts.append(text)
            case .int(let number): parts.append(String(number))
            default: break
            }
        }
        if case .record(let record) = self { parts.append("#\(record.seq)") }
        return parts.joined(separator: " ").lowercased()
    }
}

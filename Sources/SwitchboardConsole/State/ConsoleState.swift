import Foundation
import SwitchboardCore
import TerminalUI

/// Everything the screen is drawn from, in parts with one owner each:
///
/// - `library`: the runbooks and reference data loaded at start; the reducer never changes it.
/// - `site`: the probes, folded by `SiteReducer` from readings and the clock.
/// - `session`: the followed incident and this console's writes to its log, folded from log events.
/// - `suggestions`: the runbooks whose triggers hold, derived from the two above.
/// - `viewer`: what belongs to whoever is looking (size, focus, cursors, modals, messages).
///
/// The view is a pure function of this value. A replay rebuilds everything but the viewer from
/// the files on disk, and draws it as the console did.
/// A step condition's reading for the stepper and the policy: true, false or unknown, or true
/// but not yet for its `for:` (with the time it still has to hold).
public enum StepConditionReading: Sendable, Equatable {
    case truth(Truth)
    case holding(remaining: TimeInterval)
}

public struct ConsoleState: Sendable, Equatable {
    public var library: SiteLibrary
    public var site: SiteState
    public var session: IncidentSession
    /// Runbooks whose triggers hold now and that are not running, in the order they became
    /// true (newest last).
    public var suggestions: [String] = []
    /// Since when the condition of each step with a `for:` of a running runbook has held
    /// without a break, by `runbook/step`: followed reading by reading, so a replay keeps the
    /// same count.
    public var holds: [String: Date] = [:]
    public var viewer: Viewer

    public init(site: SiteState, size: Size, actor: String = "operator", library: SiteLibrary = SiteLibrary()) {
        self.library = library
        self.site = site
        self.session = IncidentSession(actor: actor)
        self.viewer = Viewer(size: size, site: site)
    }

    // Read-only shorthands for what nearly every view and reducer reads.
    public var incident: IncidentState? { session.incident }
    public var runbooks: RunbookLibrary { library.runbooks }
    public var reference: SiteReference { library.reference }
    public var size: Size { viewer.size }

    /// The regions Tab moves through, in screen order: panes that have probes, the stepper while
    /// a runbook is shown, then the timeline.
    var focusOrder: [Focus] { Viewer.focusOrder(site, stepper: shownRun != nil) }

    /// The runbook the stepper shows: the one the person chose, while it is still in the
    /// incident; else the newest one running; else the newest one started.
    public var shownRunbookID: String? {
        guard let incident else { return nil }
        let known = incident.runbooks.filter { runbooks.runbook($0.runbookID) != nil }
        if let chosen = viewer.chosenRunbook, known.contains(where: { $0.runbookID == chosen }) { return chosen }
        return (known.last { !$0.isFinished } ?? known.last)?.runbookID
    }

    /// The run the stepper shows, with its definition.
    public var shownRun: (run: RunbookRun, runbook: Runbook)? {
        guard let incident, let id = shownRunbookID, let run = incident.run(of: id), let runbook = runbooks.runbook(id) else { return nil }
        return (run, runbook)
    }

    /// The index of the selected step of `run`: where the person moved, else the current step.
    func selectedStepIndex(_ run: RunbookRun, _ runbook: Runbook) -> Int {
        let current = run.current.flatMap(runbook.index(of:)) ?? 0
        return ListCursor(viewer.stepCursors[runbook.id] ?? current).clamped(to: runbook.steps.count)
    }

    /// How one of a step's conditions reads now, its `for:` included: a condition that holds
    /// but not yet for as long as the step asks is still `holding`, never a ✓.
    public func reading(of condition: Condition, of step: RunbookStep, in runbook: Runbook) -> StepConditionReading {
        let truth = condition.evaluate(in: site)
        guard truth.isYes, let duration = step.holdFor, condition == step.heldCondition else { return .truth(truth) }
        let held = holds[Self.holdKey(runbook, step)].map { site.now.timeIntervalSince($0) } ?? 0
        return held >= duration.seconds ? .truth(.yes) : .holding(remaining: duration.seconds - held)
    }

    /// What a `step.done` says about the step's check: its text, how it read (`holds`, `fails`,
    /// `unknown`, `holding` for one not yet held its `for:`) and the readings behind it.
    public func checkRecord(of step: RunbookStep, in runbook: Runbook) -> [String: JSONValue] {
        guard let check = step.check else { return [:] }
        let reading: String
        switch self.reading(of: check, of: step, in: runbook) {
        case .truth(.yes): reading = "holds"
        case .truth(.no): reading = "fails"
        case .truth(.unknown): reading = "unknown"
        case .holding: reading = "holding"
        }
        return ["check": .string(check.text), "check_state": .string(reading), "check_evidence": .object(check.evidence(in: site))]
    }

    static func holdKey(_ runbook: Runbook, _ step: RunbookStep) -> String { "\(runbook.id)/\(step.id)" }

    /// The step selected in the stepper.
    public var selectedStep: RunbookStep? {
        guard let (run, runbook) = shownRun, !runbook.steps.isEmpty else { return nil }
        return runbook.steps[selectedStepIndex(run, runbook)]
    }

    /// The probe selected in a pane.
    public func selectedProbe(in pane: Pane) -> ProbeState? {
        let probes = site.probes(in: pane)
        guard !probes.isEmpty else { return nil }
        return probes[viewer.paneCursors[pane, default: ListCursor()].clamped(to: probes.count)]
    }

    /// The action log's lines, newest first: unsaved entries, then records, filtered by the
    /// search. Seals of the readings journal are bookkeeping, not news: they are left out; so
    /// are a drill's evaluator notes on a player's console.
    public var timelineItems: [TimelineItem] {
        guard let incident else { return [] }
        let query = viewer.search?.query.trimmed.lowercased() ?? ""
        let unsavedItems = session.unsaved.reversed().map(TimelineItem.unsaved)
        // An evaluator's notes are for the facilitator's console, not the players'.
        let evaluated = library.scenario != nil || incident.drill == nil
        let recordItems = incident.recent.reversed().filter { evaluated || $0.kind != LogKind.drillEvaluation }.map(TimelineItem.record)
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

/// The site's runbooks (valid and broken) and the reference data they point at, as loaded;
/// on a drill's facilitator console, the scenario (players' consoles never load it: they do not
/// see what is expected of them).
public struct SiteLibrary: Sendable, Equatable {
    public var runbooks: RunbookLibrary
    public var reference: SiteReference
    public var scenario: DrillScenario?

    public init(runbooks: RunbookLibrary = RunbookLibrary(), reference: SiteReference = SiteReference(), scenario: DrillScenario? = nil) {
        self.runbooks = runbooks
        self.reference = reference
        self.scenario = scenario
    }
}

/// The incident this console follows and what it has asked the log to write: folded from the
/// log writer's events, so two consoles and a replay hold the same incident.
public struct IncidentSession: Sendable, Equatable {
    /// Who is at this console, as the log records it.
    public var actor: String
    /// The incident followed, folded from its log; nil when none is open.
    public var incident: IncidentState?
    /// An incident is being opened: probe changes from now on are queued for it.
    public var opening = false
    /// Entries handed to the log writer and not yet on disk, oldest first: shown as unsaved.
    public var unsaved: [LogEntry] = []
    /// Why the log cannot be written right now: a red banner until a write succeeds.
    public var logFailure: String?
    /// A runbook to start once the incident being opened for it is attached.
    public var runbookAfterOpening: PendingRunbook?

    public init(actor: String) {
        self.actor = actor
    }

    /// Whether an entry of this kind for this step is already on its way to the log.
    func isPending(_ kind: String, runbook: String, step: String) -> Bool {
        unsaved.contains { $0.kind == kind && $0["runbook"]?.string == runbook && $0["step"]?.string == step }
    }
}

/// A runbook chosen before its incident existed, with the trigger that suggested it.
public struct PendingRunbook: Sendable, Equatable {
    public var id: String
    public var trigger: String?
}

/// One line of the action log pane: a record on disk, or an entry not yet written.
public enum TimelineItem: Sendable, Equatable {
    case record(LogRecord)
    case unsaved(LogEntry)
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

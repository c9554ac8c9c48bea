import Foundation

/// An emergency procedure from `runbooks/*.yaml`: what it is for, when to suggest it, whom it
/// calls, and its steps in order. Loaded and validated once; the incident's log says how far
/// each started runbook has got.
public struct Runbook: Sendable, Equatable, Identifiable {
    public var id: String
    public var title: String
    public var severity: Severity?
    /// The console suggests the runbook when any of these becomes true.
    public var triggers: [Condition]
    /// Contact ids from the site config, shown with every step.
    public var contacts: [String]
    public var steps: [RunbookStep]
    /// Where it was read from, for messages.
    public var file: String
    /// What `switchboard check` warns about: conditions on metrics only readings will tell.
    public var warnings: [ConfigDiagnostic] = []

    public init(id: String, title: String, severity: Severity? = nil, triggers: [Condition] = [], contacts: [String] = [],
                steps: [RunbookStep], file: String) {
        self.id = id
        self.title = title
        self.severity = severity
        self.triggers = triggers
        self.contacts = contacts
        self.steps = steps
        self.file = file
    }

    /// The target a step may name to finish the runbook.
    public static let end = "end"

    public func step(_ id: String) -> RunbookStep? {
        steps.first { $0.id == id }
    }

    public func index(of stepID: String) -> Int? {
        steps.firstIndex { $0.id == stepID }
    }

    /// Where the runbook goes once `stepID` is passed (done, skipped or blocked): its `next`,
    /// else the step below it; nil at the end. A question's branches are its choices instead.
    public func next(after stepID: String) -> String? {
        guard let index = index(of: stepID) else { return nil }
        if let next = steps[index].next { return next == Self.end ? nil : next }
        return index + 1 < steps.count ? steps[index + 1].id : nil
    }

    /// Where the runbook goes when `stepID` is marked blocked: its `on_timeout`, since what to
    /// do when a step does not happen in time is what to do when it cannot happen (a generator
    /// that will not start is started by hand); else as when it is passed.
    public func next(afterBlocking stepID: String) -> String? {
        if let fallback = step(stepID)?.onTimeout { return fallback == Self.end ? nil : fallback }
        return next(after: stepID)
    }

    /// Where a choice leads; nil when it ends the runbook.
    public static func target(_ target: String) -> String? {
        target == end ? nil : target
    }
}

/// One step of a runbook. A step either asks the person to do something (`do`) or asks a
/// question whose answer decides where to go (`ask` + `choices`); the other keys add live
/// proof (`check`), self-completion (`wait`), a deadline (`within` + `on_timeout`), a message to
/// send (`notify`) and a recurring reminder (`every`).
public struct RunbookStep: Sendable, Equatable {
    /// One answer to a question and the step it leads to (or `end`).
    public struct Choice: Sendable, Equatable {
        public var answer: String
        public var target: String

        public init(answer: String, target: String) {
            self.answer = answer
            self.target = target
        }
    }

    public var id: String
    /// What to do, or the question when the step asks one.
    public var text: String
    public var detail: String?
    public var check: Condition?
    public var wait: Condition?
    public var within: Duration?
    /// How long the step's condition (its wait, else its check) must hold without a break before
    /// it counts: "ISP A clean for 30 minutes".
    public var holdFor: Duration?
    public var onTimeout: String?
    public var choices: [Choice]
    public var notify: String?
    /// A spare (its id in the site config) the step takes from the shelf: done, it logs one used.
    public var spare: String?
    public var every: Duration?
    public var next: String?
    /// Contact ids for this step, beside the runbook's own.
    public var contacts: [String]
    public var location: SourceLocation?

    public init(id: String, text: String, detail: String? = nil, check: Condition? = nil, wait: Condition? = nil,
                within: Duration? = nil, onTimeout: String? = nil, choices: [Choice] = [], notify: String? = nil,
                every: Duration? = nil, next: String? = nil, contacts: [String] = [], location: SourceLocation? = nil) {
        self.id = id
        self.text = text
        self.detail = detail
        self.check = check
        self.wait = wait
        self.within = within
        self.onTimeout = onTimeout
        self.choices = choices
        self.notify = notify
        self.every = every
        self.next = next
        self.contacts = contacts
        self.location = location
    }

    public var isQuestion: Bool { !choices.isEmpty }

    /// The condition `holdFor` applies to: the wait, else the check.
    public var heldCondition: Condition? { holdFor == nil ? nil : wait ?? check }

    /// The steps this one can lead to (its branches, `next` or the step below, and `on_timeout`).
    func successors(in runbook: Runbook) -> [String] {
        var targets = isQuestion ? choices.compactMap { Runbook.target($0.target) } : [runbook.next(after: id)].compactMap { $0 }
        if let onTimeout, let target = Runbook.target(onTimeout) { targets.append(target) }
        return targets
    }
}

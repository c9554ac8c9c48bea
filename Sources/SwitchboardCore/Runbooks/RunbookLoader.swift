import Foundation
import Yams

/// What a runbook may point at on this site: its probes (with their kinds and the metrics each
/// declares), contacts, message templates and spares.
public struct RunbookContext: Sendable {
    public var probes: [String: ProbeDeclaration]
    public var contacts: Set<String>
    public var comms: Set<String>
    public var spares: Set<String>

    public init(probes: [String: ProbeDeclaration], contacts: Set<String> = [], comms: Set<String> = [], spares: Set<String> = []) {
        self.probes = probes
        self.contacts = contacts
        self.comms = comms
        self.spares = spares
    }

    public init(config: SiteConfig) {
        self.init(probes: Dictionary(config.probes.map { ($0.spec.id, ProbeDeclaration(kind: $0.spec.kind, metrics: $0.probe.declaredMetrics)) },
                                     uniquingKeysWith: { first, _ in first }),
                  contacts: Set(config.reference.contacts.map(\.id)), comms: Set(config.reference.comms.map(\.id)),
                  spares: Set(config.reference.spares.map(\.id)))
    }
}

/// Reads one runbook's YAML into a `Runbook`, checking it against the site: every problem is
/// reported with its line and column, and the runbook is usable only when there are none.
public struct RunbookLoader: Sendable {
    public static let topLevelKeys = ["id", "title", "description", "severity", "triggers", "contacts", "steps"]
    public static let stepKeys = ["id", "do", "detail", "check", "wait", "for", "within", "on_timeout", "ask", "choices",
                                  "notify", "spare", "every", "next", "contacts"]

    public let context: RunbookContext

    public init(context: RunbookContext) {
        self.context = context
    }

    public func load(yaml: String, file: String) throws(ConfigDiagnostics) -> Runbook {
        let root = try ConfigNode.parse(yaml: yaml, file: file, expected: "id, title and steps")
        var problems: [ConfigDiagnostic] = []
        var warnings: [ConfigDiagnostic] = []
        func collect<T>(_ body: () throws -> T) -> T? {
            do { return try body() } catch { problems += ConfigDiagnostics.of(error, file: file) }
            return nil
        }

        guard let top = collect({ try root.mapping("a runbook (a mapping with id, title and steps)", allowedKeys: Self.topLevelKeys) })
        else { throw ConfigDiagnostics(problems) }
        let id = collect { try Self.identifier(top.required("id"), what: "runbook id") } ?? ""
        let title = collect { try top.required("title").string("the runbook's title") } ?? id
        let severity = top["severity"].flatMap { node in collect { try Self.severity(node) } }
        let triggers = top["triggers"].flatMap { node in
            collect { try node.stringListNodes("a list of conditions").compactMap { item in collect { try condition(item, warnings: &warnings) } } }
        } ?? []
        let contacts = top["contacts"].flatMap { node in collect { try contactList(node) } } ?? []

        var steps: [RunbookStep] = []
        var stepLines: [String: Int] = [:]
        if let stepsNode = collect({ try top.required("steps") }), let list = collect({ try stepsNode.sequence("a list of steps") }) {
            if list.isEmpty { problems.append(stepsNode.error("a runbook needs at least one step")) }
            for entry in list {
                guard let step = collect({ try self.step(entry, problems: &problems, warnings: &warnings) }) else { continue }
                if let line = stepLines[step.id] {
                    problems.append(ConfigDiagnostic(at: step.location ?? entry.location,
                                                     "duplicate step id '\(step.id)' (first at line \(line))"))
                    continue
                }
                stepLines[step.id] = step.location?.line ?? 0
                steps.append(step)
            }
        }
        var runbook = Runbook(id: id, title: title, severity: severity, triggers: triggers, contacts: contacts, steps: steps, file: file)
        runbook.warnings = warnings
        // Where the flow goes can only be judged with every step known.
        if problems.isEmpty { problems += Self.flowProblems(runbook, file: file) }
        guard problems.isEmpty else {
            throw ConfigDiagnostics(problems.inFileOrder)
        }
        return runbook
    }

    /// Reads a step. Without a usable id and `do`/`ask` there is no step (it throws); a problem
    /// with any other key is added to `problems` and the step is kept, so every problem shows.
    private func step(_ entry: ConfigNode, problems: inout [ConfigDiagnostic], warnings: inout [ConfigDiagnostic]) throws -> RunbookStep {
        let fields = try entry.mapping("a step (a mapping with id and do or ask)")
        let idNode = try fields.required("id")
        let id = try Self.identifier(idNode, what: "step id")
        guard id != Runbook.end else { throw idNode.error("'end' is reserved: it is where a runbook finishes") }
        var step = RunbookStep(id: id, text: "", location: idNode.location)
        switch (fields["do"], fields["ask"]) {
        case (let action?, nil): step.text = try action.string("what to do")
        case (nil, let question?):
            step.text = try question.string("the question to ask")
            guard let choices = fields["choices"] else { throw question.error("a question needs 'choices:' (answer: step to go to)") }
            step.choices = try choices.mapping("a mapping of answer to the step it leads to").entries.map { entry in
                RunbookStep.Choice(answer: entry.key, target: try entry.value.string("a step id or 'end'"))
            }
            guard !step.choices.isEmpty else { throw choices.error("a question needs at least one choice") }
        case (_?, let question?): throw question.error("a step either does something ('do') or asks a question ('ask'), not both")
        case (nil, nil): throw fields.node.error("a step needs 'do:' (what to do) or 'ask:' (a question with choices)")
        }

        func collect(_ body: () throws -> Void) {
            do { try body() } catch { problems += ConfigDiagnostics.of(error, file: entry.location.file, at: entry) }
        }
        collect { try fields.requireKeys(in: Self.stepKeys) }
        collect {
            if let choices = fields["choices"], fields["ask"] == nil { throw choices.error("'choices' go with a question: add 'ask:'") }
        }
        collect { step.detail = try fields["detail"]?.string("the step's detail") }
        collect { step.check = try fields["check"].map { try condition($0, warnings: &warnings) } }
        collect { step.wait = try fields["wait"].map { try condition($0, warnings: &warnings) } }
        collect { step.within = try fields["within"]?.duration() }
        collect {
            step.onTimeout = try fields["on_timeout"]?.string("the step to go to when the deadline passes")
            if let onTimeout = fields["on_timeout"], fields["within"] == nil {
                throw onTimeout.error("'on_timeout' needs a deadline: add 'within:'")
            }
        }
        collect { step.every = try fields["every"]?.duration() }
        collect {
            guard let hold = fields["for"] else { return }
            step.holdFor = try hold.duration()
            if fields["wait"] == nil && fields["check"] == nil {
                throw hold.error("'for' is how long a wait or check must hold: add 'wait:' or 'check:'")
            }
        }
        collect {
            step.next = try fields["next"]?.string("a step id or 'end'")
            if let next = fields["next"], step.isQuestion { throw next.error("a question goes where its choices say; 'next' does not apply") }
        }
        collect {
            guard let notify = fields["notify"] else { return }
            let template = try notify.string("a message template id from the site's comms")
            guard context.comms.contains(template) else {
                throw notify.error("no message template '\(template)' in the site's comms\(Self.known(context.comms))")
            }
            step.notify = template
        }
        collect {
            guard let spare = fields["spare"] else { return }
            let id = try spare.string("a spare id from the site's spares")
            guard context.spares.contains(id) else { throw spare.error("no spare '\(id)' in the site's spares\(Self.known(context.spares))") }
            step.spare = id
        }
        collect { step.contacts = try fields["contacts"].map(contactList) ?? [] }
        return step
    }

    /// Gotos must name steps; every step must be reachable from the first.
    static func flowProblems(_ runbook: Runbook, file: String) -> [ConfigDiagnostic] {
        var problems: [ConfigDiagnostic] = []
        let ids = Set(runbook.steps.map(\.id))
        for step in runbook.steps {
            let at = step.location ?? SourceLocation(file: file, line: 1, column: 1)
            let targets = [step.next.map { ("next", $0) }, step.onTimeout.map { ("on_timeout", $0) }].compactMap { $0 }
                + step.choices.map { ("choice '\($0.answer)'", $0.target) }
            for (what, target) in targets where target != Runbook.end && !ids.contains(target) {
                problems.append(ConfigDiagnostic(at: at, "step '\(step.id)': \(what) goes to '\(target)', which is not a step of this runbook "
                                                 + "(steps: \(runbook.steps.map(\.id).joined(separator: ", ")); or 'end')"))
            }
        }
        guard problems.isEmpty, let first = runbook.steps.first else { return problems }
        var reached: Set<String> = [first.id]
        var queue = [first.id]
        while let id = queue.popLast() {
            guard let step = runbook.step(id) else { continue }
            for target in step.successors(in: runbook) where reached.insert(target).inserted { queue.append(target) }
        }
        for step in runbook.steps where !reached.contains(step.id) {
            problems.append(ConfigDiagnostic(at: step.location ?? SourceLocation(file: file, line: 1, column: 1),
                                             "step '\(step.id)' can never be reached (no step leads to it)"))
        }
        return problems
    }

    /// Parses a condition and checks it against the site: the probes it names exist; the
    /// metrics they declare include the ones it reads, in the unit it compares with, and the
    /// words it looks for. A problem is thrown (pointing at the character in the file); what
    /// cannot be told before readings come (a metric a probe does not declare) is a warning.
    func condition(_ node: ConfigNode, warnings: inout [ConfigDiagnostic]) throws -> Condition {
        let text = try node.string("a condition such as \"ups-main is ok\"")
        let parsed: Condition
        do {
            parsed = try Condition(parsing: text)
        } catch {
            throw ConfigDiagnostic(at: node.location(ofCharacter: error.offset), error.message)
        }
        for (mention, _) in parsed.mentions where context.probes[mention.probe] == nil {
            let near = context.probes.keys.sorted()
            throw ConfigDiagnostic(at: node.location(ofCharacter: mention.offset),
                                   "no probe '\(mention.probe)' on this site\(near.isEmpty ? "" : " (probes: \(near.joined(separator: ", ")))")")
        }
        for comparison in parsed.comparisons {
            let probe = comparison.mention.probe
            let location = node.location(ofCharacter: comparison.mention.offset + probe.count + 1)
            let kind = context.probes[probe]?.kind ?? "?"
            guard let declared = context.probes[probe]?.metrics else {
                warnings.append(ConfigDiagnostic(at: location, "warning: probe '\(probe)' (kind \(kind)) declares no metrics, so "
                                                 + "'\(comparison.metric)' is known only from its readings (list it under the probe's metrics:)"))
                continue
            }
            guard let shape = declared[comparison.metric] else {
                let reports = "\(declared.names.joined(separator: ", "))"
                if declared.complete {
                    throw ConfigDiagnostic(at: location, "probe '\(probe)' reports no metric '\(comparison.metric)' (it reports: \(reports))")
                }
                warnings.append(ConfigDiagnostic(at: location, "warning: probe '\(probe)' (kind \(kind)) may not report '\(comparison.metric)' "
                                                 + "(its kind declares: \(reports))"))
                continue
            }
            if let problem = Self.mismatch(shape, "\(probe).\(comparison.metric)", comparison.comparison, comparison.operand) {
                throw ConfigDiagnostic(at: location, problem)
            }
        }
        return parsed
    }

    /// Why comparing a metric of `shape` this way can never be right.
    static func mismatch(_ shape: DeclaredMetrics.Shape, _ metric: String, _ comparison: Condition.Comparison,
                         _ operand: Condition.Operand) -> String? {
        switch (shape, operand) {
        case (.number(let unit), .number(_, let wanted)):
            return MetricUnit.mismatch(metric: metric, unit: unit, wanted: wanted)
        case (.number(let unit), .text(let text)):
            return "\(metric) is a number\(unit.isEmpty ? "" : " (in \(unit))"): '\(text)' is not one"
        case (.text, .number) where ![.equal, .notEqual, .has].contains(comparison):
            return "\(metric) is text: '\(comparison.rawValue)' needs a number"
        case (.text(let values), _) where !values.isEmpty
            && !operand.description.split(separator: " ").allSatisfy({ values.contains(String($0)) }):
            // A value of several words (NUT's `OB LB`) is made of the words it takes.
            return "\(metric) is one of \(values.joined(separator: ", ")): '\(operand.description)' never matches"
        default:
            return nil
        }
    }

    private func contactList(_ node: ConfigNode) throws -> [String] {
        try node.stringListNodes("a list of contact ids").map { item in
            let id = try item.string("a contact id")
            guard context.contacts.contains(id) else {
                throw item.error("no contact '\(id)' in the site's contacts\(Self.known(context.contacts))")
            }
            return id
        }
    }

    private static func known(_ ids: Set<String>) -> String {
        ids.isEmpty ? " (it has none)" : " (known: \(ids.sorted().joined(separator: ", ")))"
    }

    private static func identifier(_ node: ConfigNode, what: String) throws -> String {
        let id = try node.string("a \(what)")
        guard !id.isEmpty, id.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            throw node.error("\(what) '\(id)' may only hold a-z, 0-9 and '-'")
        }
        return id
    }

    private static func severity(_ node: ConfigNode) throws -> Severity {
        let text = try node.string("a severity")
        guard let severity = Severity(rawValue: text.lowercased()) else {
            throw node.error("unknown severity '\(text)' (expected one of: \(Severity.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return severity
    }
}

extension ConfigNode {
    /// Where the `offset`-th character of this scalar's value is in the file (past the opening
    /// quote of a quoted scalar).
    func location(ofCharacter offset: Int) -> SourceLocation {
        var location = self.location
        if case .scalar(let scalar) = node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted { location.column += 1 }
        location.column += offset
        return location
    }
}

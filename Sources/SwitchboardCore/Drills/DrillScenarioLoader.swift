import Foundation

/// What a scenario is checked against: the site's probes, its runbooks (their steps and
/// questions) and its message templates.
public struct ScenarioContext: Sendable {
    public var probes: [String: ProbeDeclaration]
    public var runbooks: RunbookLibrary
    public var comms: Set<String>

    public init(probes: [String: ProbeDeclaration], runbooks: RunbookLibrary, comms: Set<String>) {
        self.probes = probes
        self.runbooks = runbooks
        self.comms = comms
    }
}

/// Reads a drill scenario (`runbooks/drills/*.yaml`) and checks it against the site and its
/// runbooks: an unknown probe, runbook, step, answer, template or objective, a negative time,
/// an inject past the end, two injects driving one probe at once, or overlapping ramps are each
/// one `FILE:LINE:COLUMN: …`, every problem found at once.
public struct DrillScenarioLoader: Sendable {
    public static let topLevelKeys = ["id", "title", "audience", "description", "duration", "objectives", "start", "injects"]
    public static let injectKeys = ["at", "from", "to", "message", "set", "ramp", "expect"]
    public static let readingKeys = ["status", "summary", "metrics"]
    public static let expectationKeys = ["runbook", "step", "decision", "answer", "comms", "note", "within", "objective"]

    public let context: ScenarioContext

    public init(context: ScenarioContext) {
        self.context = context
    }

    public func load(yaml: String, file: String) throws(ConfigDiagnostics) -> DrillScenario {
        let root = try ConfigNode.parse(yaml: yaml, file: file, expected: "a drill scenario: id, title, duration, objectives, injects")
        var problems: [ConfigDiagnostic] = []
        var warnings: [ConfigDiagnostic] = []
        func collect<T>(_ body: () throws -> T) -> T? {
            do { return try body() } catch { problems += ConfigDiagnostics.of(error, file: file) }
            return nil
        }
        guard let top = collect({ try root.mapping("a drill scenario (a mapping with id, title, injects)") }) else {
            throw ConfigDiagnostics(problems)
        }
        // An unknown key is one problem: the rest of the scenario is still checked.
        collect { try top.requireKeys(in: Self.topLevelKeys) }
        let id = collect { try Self.identifier(try top.required("id"), what: "scenario id") } ?? ""
        let title = collect { try top.required("title").string("the scenario's title") } ?? ""
        let audience = collect { try top["audience"]?.string("who the exercise is for") } ?? nil
        let description = collect { try top["description"]?.string("what the scenario is about") } ?? nil
        let durationNode = collect { try top.required("duration") }
        let duration = durationNode.flatMap { node in
            collect { () throws -> TimeInterval in
                let time = try Self.scenarioTime(node)
                guard time > 0 else { throw node.error("a scenario needs a duration longer than 0s, got '\(DrillScenario.timeText(time))'") }
                return time
            }
        } ?? 0

        var objectives: [DrillScenario.Objective] = []
        if let list = top["objectives"].flatMap({ node in collect { try node.sequence("a list of objectives ({id, text})") } }) {
            for entry in list {
                collect {
                    let fields = try entry.mapping("an objective ({id, text})", allowedKeys: ["id", "text"])
                    let idNode = try fields.required("id")
                    let objectiveID = try Self.identifier(idNode, what: "objective id")
                    if objectives.contains(where: { $0.id == objectiveID }) { throw idNode.error("duplicate objective id '\(objectiveID)'") }
                    objectives.append(.init(id: objectiveID, text: try fields.required("text").string("what the objective is")))
                }
            }
        }

        var start: [String: ScenarioReading] = [:]
        if let mapping = top["start"].flatMap({ node in collect { try node.mapping("starting readings by probe id") } }) {
            for entry in mapping.entries {
                collect {
                    try checkProbe(entry.key, at: entry.keyNode)
                    start[entry.key] = try reading(entry.value, probe: entry.key, warnings: &warnings)
                }
            }
        }

        var injects: [DrillScenario.Inject] = []
        if let list = collect({ try top.required("injects").sequence("a list of injects") }) {
            for (index, entry) in list.enumerated() {
                guard let inject = collect({ try self.inject(entry, number: index + 1, objectives: objectives, problems: &problems, warnings: &warnings) }) else { continue }
                if let atNode = try? entry.mapping()["at"] {
                    if duration > 0, inject.at > duration {
                        problems.append(atNode.error("at \(DrillScenario.timeText(inject.at)) is past the scenario's end (duration \(DrillScenario.timeText(duration)))"))
                    }
                    if let earlier = injects.last, inject.at < earlier.at {
                        problems.append(atNode.error("at \(DrillScenario.timeText(inject.at)) comes before the inject above it (\(DrillScenario.timeText(earlier.at))): list injects in time order"))
                    }
                    for other in injects where other.at == inject.at {
                        for probe in inject.probes.intersection(other.probes).sorted() {
                            problems.append(atNode.error("drives \(probe) at \(DrillScenario.timeText(inject.at)) as the inject at line \(other.location?.line ?? 0) does: they overlap"))
                        }
                    }
                }
                injects.append(inject)
            }
        }
        problems += rampOverlaps(injects, list: (try? top.required("injects").sequence()) ?? [])
        // A scenario with problems says its warnings with them, in the order of the file.
        guard problems.isEmpty else {
            throw ConfigDiagnostics((problems + warnings).inFileOrder)
        }
        return DrillScenario(id: id, title: title, audience: audience, description: description, duration: duration, objectives: objectives,
                             start: start, injects: injects, file: file, warnings: warnings.inFileOrder)
    }

    private func inject(_ entry: ConfigNode, number: Int, objectives: [DrillScenario.Objective],
                        problems: inout [ConfigDiagnostic], warnings: inout [ConfigDiagnostic]) throws -> DrillScenario.Inject {
        let fields = try entry.mapping("an inject (a mapping with at and message)")
        // An unknown key is one problem: the inject's others are still looked for.
        do { try fields.requireKeys(in: Self.injectKeys) } catch { problems += ConfigDiagnostics.of(error, file: entry.location.file, at: entry) }
        let atNode = try fields.required("at")
        var inject = DrillScenario.Inject(number: number, at: try Self.scenarioTime(atNode), from: nil, to: nil, message: "",
                                          set: [:], ramp: [:], expect: [], location: atNode.location)
        func collect(_ body: () throws -> Void) {
            do { try body() } catch { problems += ConfigDiagnostics.of(error, file: entry.location.file, at: entry) }
        }
        // A missing message (`mesage:`) is one problem: the rest of the inject is still checked.
        collect { inject.message = try fields.required("message").string("what happens, as the players are told it") }
        collect { inject.from = try fields["from"]?.string("who the message comes from") }
        collect { inject.to = try fields["to"]?.string("whom it is for (a role)") }
        if let set = fields["set"] {
            collect {
                for item in try set.mapping("readings to set, by probe id").entries {
                    collect {
                        try checkProbe(item.key, at: item.keyNode)
                        inject.set[item.key] = try reading(item.value, probe: item.key, warnings: &warnings)
                    }
                }
            }
        }
        if let ramp = fields["ramp"] {
            collect {
                for item in try ramp.mapping("metrics to ramp, by probe id").entries {
                    collect {
                        try checkProbe(item.key, at: item.keyNode)
                        var metrics: [String: DrillScenario.Ramp] = [:]
                        for metric in try item.value.mapping("metrics to ramp ({to, over})").entries {
                            collect {
                                warnings += try checkMetric(metric.key, probe: item.key, at: metric.keyNode, text: nil)
                                let spec = try metric.value.mapping("a ramp ({to: number, over: duration})", allowedKeys: ["to", "over"])
                                let to = try spec.required("to").double("the value it ramps to")
                                let overNode = try spec.required("over")
                                let over = try Self.scenarioTime(overNode)
                                guard over > 0 else { throw overNode.error("a ramp needs a time to ramp over, more than 0") }
                                metrics[metric.key] = .init(to: to, over: over)
                            }
                        }
                        inject.ramp[item.key] = metrics
                    }
                }
            }
        }
        if let expect = fields["expect"] {
            collect {
                for item in try expect.sequence("a list of expectations") {
                    collect { inject.expect.append(try expectation(item, objectives: objectives)) }
                }
            }
        }
        return inject
    }

    private func expectation(_ node: ConfigNode, objectives: [DrillScenario.Objective]) throws -> DrillScenario.Expectation {
        let fields = try node.mapping("an expectation (runbook, step, decision, comms or note, with within)", allowedKeys: Self.expectationKeys)
        let actions = ["runbook", "step", "decision", "comms", "note"].filter { fields[$0] != nil }
        guard actions.count == 1, let kind = actions.first, let actionNode = fields[kind] else {
            throw fields.node.error(actions.isEmpty ? "an expectation names what is expected: runbook, step, decision, comms or note"
                                                    : "an expectation names one thing, not \(actions.joined(separator: " and "))")
        }
        if let answer = fields["answer"], kind != "decision" { throw answer.error("'answer' goes with a decision") }
        let action: DrillScenario.Expectation.Action
        switch kind {
        case "runbook":
            let id = try actionNode.string("a runbook id")
            guard context.runbooks.runbook(id) != nil else {
                throw actionNode.error("no runbook '\(id)'\(Self.known(Set(context.runbooks.runbooks.map(\.id))))")
            }
            action = .runbook(id)
        case "step", "decision":
            let (runbook, step) = try self.step(actionNode)
            if kind == "step" {
                action = .step(runbook: runbook.id, step: step.id)
            } else {
                guard step.isQuestion else { throw actionNode.error("\(runbook.id)/\(step.id) is not a question: expect it as a step") }
                var answer: String?
                if let answerNode = fields["answer"] {
                    let given = try answerNode.string("the answer expected")
                    guard step.choices.contains(where: { $0.answer == given }) else {
                        throw answerNode.error("'\(given)' is not an answer to \(runbook.id)/\(step.id) (answers: \(step.choices.map(\.answer).joined(separator: ", ")))")
                    }
                    answer = given
                }
                action = .decision(runbook: runbook.id, step: step.id, answer: answer)
            }
        case "comms":
            let template = try actionNode.string("a message template id")
            guard context.comms.contains(template) else { throw actionNode.error("no message template '\(template)' in the site's comms\(Self.known(context.comms))") }
            action = .comms(template)
        default:
            let words = try actionNode.string("words the note holds")
            guard !words.trimmingCharacters(in: .whitespaces).isEmpty else { throw actionNode.error("a note expectation needs words") }
            action = .note(words)
        }
        let withinNode = try fields.required("within")
        let within = try Self.scenarioTime(withinNode)
        guard within > 0 else { throw withinNode.error("'within' needs a time, more than 0") }
        var objective: String?
        if let objectiveNode = fields["objective"] {
            let id = try objectiveNode.string("an objective id")
            guard objectives.contains(where: { $0.id == id }) else {
                throw objectiveNode.error("no objective '\(id)'\(Self.known(Set(objectives.map(\.id))))")
            }
            objective = id
        }
        return .init(action: action, within: within, objective: objective, location: actionNode.location)
    }

    /// `runbook/step`, both known.
    private func step(_ node: ConfigNode) throws -> (Runbook, RunbookStep) {
        let text = try node.string("runbook/step")
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw node.error("expected runbook/step, got '\(text)'") }
        guard let runbook = context.runbooks.runbook(parts[0]) else {
            throw node.error("no runbook '\(parts[0])'\(Self.known(Set(context.runbooks.runbooks.map(\.id))))")
        }
        guard let step = runbook.step(parts[1]) else {
            throw node.error("no step '\(parts[1])' in runbook \(runbook.id)\(Self.known(Set(runbook.steps.map(\.id))))")
        }
        return (runbook, step)
    }

    private func checkProbe(_ id: String, at node: ConfigNode) throws {
        guard context.probes[id] != nil else { throw node.error("no probe '\(id)' in the site\(Self.known(Set(context.probes.keys)))") }
    }

    private func reading(_ node: ConfigNode, probe: String, warnings: inout [ConfigDiagnostic]) throws -> ScenarioReading {
        let fields = try node.mapping("a reading ({status, summary, metrics})", allowedKeys: Self.readingKeys)
        var reading = ScenarioReading()
        if let status = fields["status"] {
            let word = try status.string("a status: ok, warning, critical or unknown")
            guard let parsed = ProbeStatus(rawValue: word.lowercased()) else {
                throw status.error("expected ok, warning, critical or unknown, got '\(word)'")
            }
            reading.status = parsed
        }
        reading.summary = try fields["summary"]?.string("the reading's one-line summary")
        if let metrics = fields["metrics"] {
            for entry in try metrics.mapping("metrics by name").entries {
                let isText = if case .text? = context.probes[probe]?.metrics?[entry.key] { true } else { false }
                if !isText, case .scalar(let scalar) = entry.value.node, let number = Double(scalar.string), number.isFinite {
                    warnings += try checkMetric(entry.key, probe: probe, at: entry.keyNode, text: nil)
                    reading.metrics.append((entry.key, .number(number, unit: unit(of: entry.key, probe: probe))))
                } else {
                    let text = try entry.value.string("a number or a text")
                    warnings += try checkMetric(entry.key, probe: probe, at: entry.keyNode, text: text)
                    reading.metrics.append((entry.key, .text(text)))
                }
            }
        }
        return reading
    }

    /// A metric the scenario drives is checked against what the probe declares: a value of the
    /// wrong shape, or a word the metric never takes, is a problem. A metric the probe does not
    /// report is a warning: the pane shows it, but no runbook condition on this site can read it
    /// (a misspelt name drives nothing), and a scenario written for another site's probes still
    /// plays. `text` is the word set, nil for a number (set or ramped).
    private func checkMetric(_ name: String, probe: String, at node: ConfigNode, text: String?) throws -> [ConfigDiagnostic] {
        guard let declared = context.probes[probe]?.metrics else { return [] }
        switch (declared[name], text) {
        case (nil, _) where declared.complete:
            return [ConfigDiagnostic(at: node.location, "warning: probe '\(probe)' reports no metric '\(name)', so no runbook here reads it "
                                     + "(it reports: \(declared.names.joined(separator: ", ")))")]
        case (.number?, let text?):
            throw node.error("\(probe).\(name) is a number: '\(text)' is not one")
        case (.text?, nil):
            throw node.error("\(probe).\(name) is text: it cannot ramp")
        case (.text(let values)?, let text?) where !values.isEmpty && !text.split(separator: " ").allSatisfy({ values.contains(String($0)) }):
            throw node.error("\(probe).\(name) is one of \(values.joined(separator: ", ")): '\(text)' is not")
        default:
            return []
        }
    }

    /// The unit a probe declares for a metric, if it does.
    private func unit(of metric: String, probe: String) -> String {
        guard case .number(let unit)? = context.probes[probe]?.metrics?[metric] else { return "" }
        return unit
    }

    /// Each metric ramped twice at once (by two injects whose ramps overlap in time) is a problem
    /// at the later. A `set` of the metric ends its ramp, as the timeline plays it.
    private func rampOverlaps(_ injects: [DrillScenario.Inject], list: [ConfigNode]) -> [ConfigDiagnostic] {
        var problems: [ConfigDiagnostic] = []
        var running: [String: (until: TimeInterval, line: Int)] = [:]
        for inject in injects {
            for (probe, reading) in inject.set {
                for metric in reading.metrics { running["\(probe).\(metric.name)"] = nil }
            }
            for (probe, metrics) in inject.ramp.sorted(by: { $0.key < $1.key }) {
                for (metric, ramp) in metrics.sorted(by: { $0.key < $1.key }) {
                    let key = "\(probe).\(metric)"
                    if let earlier = running[key], inject.at < earlier.until, let location = inject.location {
                        problems.append(ConfigDiagnostic(at: location, "ramps \(key) while the inject at line \(earlier.line) still ramps it (until \(DrillScenario.timeText(earlier.until))): they overlap"))
                    }
                    running[key] = (inject.at + ramp.over, inject.location?.line ?? 0)
                }
            }
        }
        return problems
    }

    /// A time from the scenario's start: `0`, `90s`, `2m`, `1h30m`; never negative.
    static func scenarioTime(_ node: ConfigNode) throws -> TimeInterval {
        let text = try node.string("a time like 0s, 90s, 2m or 1h")
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("-") { throw node.error("a scenario time cannot be negative, got '\(text)'") }
        if let zero = Double(trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "smh"))), zero == 0 { return 0 }
        return try node.duration().seconds
    }

    private static func identifier(_ node: ConfigNode, what: String) throws -> String {
        let text = try node.string(what)
        guard !text.isEmpty, text.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }) else {
            throw node.error("a \(what) is lowercase letters, digits and dashes, got '\(text)'")
        }
        return text
    }

    private static func known(_ ids: Set<String>) -> String {
        ids.isEmpty ? "" : " (known: \(ids.sorted().joined(separator: ", ")))"
    }
}

import Foundation
import SwitchboardCore
import TerminalUI

/// A drill on the console: the facilitator's keys (Space, `+` `-`, `>`, `!`, `e`, `o`), the
/// injects the scenario clock brings, and the clock's settings logged as they are made. Only a
/// console that loaded the scenario (the facilitator's) runs the drill; a player's console says so.
extension Reduction {
    /// The speeds `+` and `-` step through.
    static let drillSpeeds: [Double] = [1, 2, 4, 8, 15, 30, 60]

    /// The drill followed, and its scenario when this console is the facilitator's.
    private var drill: (progress: DrillProgress, scenario: DrillScenario?)? {
        guard let progress = state.incident?.drill else { return nil }
        return (progress, state.library.scenario)
    }

    /// Handles a facilitator's key; false for any other key, or on a console that is not in a drill.
    mutating func drillKey(_ key: Key) -> Bool {
        if key == .character("v"), let incident = state.incident, incident.drill != nil {
            readInject(incident)
            return true
        }
        guard let (progress, scenario) = drill, case .character(let character) = key, " +->!eo".contains(character) else { return false }
        guard let scenario else {
            showHint("the drill is run from the facilitator's console")
            return true
        }
        switch character {
        case " ":
            effects.append(.drillClock(progress.setting.paused ? .resume : .pause))
        case "+", "-":
            let speeds = Self.drillSpeeds
            let index = speeds.lastIndex { $0 <= progress.setting.speed } ?? 0
            let next = speeds[max(0, min(speeds.count - 1, index + (character == "+" ? 1 : -1)))]
            if next == progress.setting.speed { showHint(character == "+" ? "×\(Int(next)) is the fastest" : "×1 is the slowest") }
            else { effects.append(.drillClock(.speed(next))) }
        case ">":
            guard let next = scenario.injects.first(where: { !progress.hasFired($0.number) && !isPlaying($0.number) }) else {
                showHint("every inject has been played")
                return true
            }
            if next.at > progress.elapsed(at: state.site.now) {
                effects.append(.drillClock(.jump(to: next.at)))
            } else {
                play(next, byHand: true)
            }
        case "!":
            startForm(.inject)
        case "e":
            startForm(.evaluation)
        default:
            state.viewer.show(.objectives(scroll: Scroll()))
        }
        return true
    }

    /// `v`, on any console in a drill: the inject whose banner is on top, else the latest, in
    /// full, as its log record (a banner has one row for a message of a few sentences).
    private mutating func readInject(_ incident: IncidentState) {
        let shown = state.banners.lazy.compactMap { banner -> Int? in if case .inject(let seq)? = banner.id { seq } else { nil } }.first
        guard let seq = shown ?? incident.recent.last(where: { $0.kind == LogKind.drillInject })?.seq else {
            return showHint("no inject yet")
        }
        state.viewer.show(.logRecord(seq: seq, scroll: Scroll()))
    }

    /// What the scenario clock says.
    mutating func reduceDrill(_ input: DrillInput) {
        guard let (progress, scenario) = drill, let scenario, progress.scenario == scenario.id else { return }
        switch input {
        case .injectDue(let number):
            guard let inject = scenario.inject(number), !progress.hasFired(number), !isPlaying(number) else { return }
            play(inject, byHand: false)
        case .scenarioEnded:
            if !progress.ended, !progress.setting.paused { effects.append(.drillClock(.end)) }
        case .clockSet(let action, let setting):
            log(.drillControl(action, setting: setting, actor: state.session.actor, at: state.site.now))
        }
    }

    /// Whether inject `number` is on its way to the log.
    private func isPlaying(_ number: Int) -> Bool {
        state.session.unsaved.contains { $0.kind == LogKind.drillInject && $0["inject"]?.int == number }
    }

    private mutating func play(_ inject: DrillScenario.Inject, byHand: Bool) {
        log(.drillInject(inject, from: inject.from, to: inject.to, message: inject.message, byHand: byHand,
                         actor: state.session.actor, at: state.site.now))
        effects.append(.injectPlayed(inject.number))
    }

    /// The form of `!` or `e`.
    func drillForm(_ purpose: Form.Purpose) -> Form? {
        guard let (progress, scenario) = drill, let scenario else { return nil }
        switch purpose {
        case .inject:
            let unplayed = scenario.injects.filter { !progress.hasFired($0.number) }.map { inject in
                Form.PickOption("#\(inject.number)", detail: "\(TimeText.scenario(inject.at)) \(Sanitizer.line(inject.from ?? "")): "
                                    + Sanitizer.line(inject.message))
            }
            return Form(purpose: .inject, title: "Play an inject now",
                        fields: [.pick(label: "Inject", input: TextInput(), options: unplayed, picked: unplayed.isEmpty ? nil : 0),
                                 .text(label: "To", input: TextInput(), placeholder: "for your own words: the role they go to")],
                        explanation: "↑ ↓ pick one not yet played, or type your own message. Logged as an inject; players see it.")
        case .evaluation:
            // Objectives by their words, not only their ids: the facilitator picks what was trained.
            let objectives = scenario.objectives.map { Form.PickOption($0.id, detail: Sanitizer.line($0.text)) }
                + [Form.PickOption("general", detail: "the exercise as a whole")]
            return Form(purpose: .evaluation, title: "Evaluator's note",
                        fields: [.pick(label: "Objective", input: TextInput(), options: objectives, picked: 0),
                                 .choice(label: "Note", options: ["strength", "improvement", "observation"], selected: 0),
                                 .text(label: "Text", input: TextInput(), placeholder: "what was seen, for the after-action report")],
                        explanation: "Players do not see it. Objective: ↑ ↓ pick (typing narrows) · Note: ← → its kind · Tab: next field.")
                .focusing(2)
        default:
            return nil
        }
    }

    /// The record a filled `!` or `e` form logs; why not, when it cannot be submitted.
    mutating func drillEntry(for form: Form) -> Result<LogEntry, LogLineProblem> {
        guard let (progress, scenario) = drill, let scenario else { return .failure(LogLineProblem("the drill is over")) }
        let actor = state.session.actor
        let now = state.site.now
        switch form.purpose {
        case .inject:
            let typed = form.text(0)
            if let number = Int(typed.trimmingCharacters(in: CharacterSet(charactersIn: "# "))), let inject = scenario.inject(number) {
                guard !progress.hasFired(number), !isPlaying(number) else { return .failure(LogLineProblem("#\(number) has been played")) }
                effects.append(.injectPlayed(number))
                return .success(.drillInject(inject, from: inject.from, to: inject.to, message: inject.message, byHand: true, actor: actor, at: now))
            }
            guard !typed.isEmpty else { return .failure(LogLineProblem("pick an inject, or type a message")) }
            let to = form.text(1)
            return .success(.drillInject(nil, from: "Facilitator", to: to.isEmpty ? nil : to, message: typed, byHand: true, actor: actor, at: now))
        case .evaluation:
            guard !form.text(2).isEmpty else { return .failure(LogLineProblem("write what was seen")) }
            let objective = form.text(0)
            guard objective == "general" || scenario.objective(objective) != nil else {
                return .failure(LogLineProblem("pick an objective from the list, or general"))
            }
            return .success(.drillEvaluation(objective: objective == "general" ? nil : objective, note: form.choice(1), text: form.text(2),
                                             actor: actor, at: now))
        default:
            return .failure(LogLineProblem("not a drill form"))
        }
    }
}

/// A drill's scenario time as the console shows it.
public enum DrillClockText {
    /// `T+12:30 ×4`, or `T+12:30 PAUSED`.
    public static func header(_ progress: DrillProgress, now: Date) -> String {
        let elapsed = TimeText.scenario(progress.elapsed(at: now))
        if progress.setting.paused { return "\(elapsed) PAUSED" }
        return "\(elapsed) ×\(MetricValue.format(progress.setting.speed))"
    }
}

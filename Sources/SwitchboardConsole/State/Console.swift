import Foundation
import SwitchboardCore

/// A console deciding for itself: the reducer folds each input in, then the policy decides what
/// the console logs on its own, and that comes back as one more input. The run loop drives a
/// live one and performs its effects; a replay uses the reducer alone.
public struct Console: Sendable {
    public private(set) var state: ConsoleState

    public init(_ state: ConsoleState) {
        self.state = state
    }

    /// Folds `input` in and returns the effects to perform, the policy's among them.
    public mutating func send(_ input: ConsoleInput) -> [ConsoleEffect] {
        let changeCountBefore = state.site.changeCount
        var effects = ConsoleReducer.reduce(&state, input)
        let changes = Array(state.site.changes.suffix(min(state.site.changes.count, state.site.changeCount - changeCountBefore)))
        let decided = ConsolePolicy.decisions(in: state, changes: changes)
        if !decided.isEmpty { effects += ConsoleReducer.reduce(&state, .decided(decided)) }
        return effects
    }
}

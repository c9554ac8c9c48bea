import Foundation
import SwitchboardCore

/// One input being folded into the state: the state as it changes, and the effects it asks for.
/// The reducers are methods on it, so any of them can change the state or ask for an effect.
struct Reduction {
    var state: ConsoleState
    var effects: [ConsoleEffect] = []

    /// Asks the log to append `entry`, shown as unsaved until the log acknowledges it.
    mutating func log(_ entry: LogEntry) {
        state.session.unsaved.append(entry)
        effects.append(.log(.append(entry)))
    }

    mutating func showHint(_ text: String) {
        state.viewer.hint = Hint(text: text, until: state.site.now.addingTimeInterval(ConsoleReducer.hintDuration))
    }
}

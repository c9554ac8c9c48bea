import Foundation
import SwitchboardCore
import TerminalUI

/// Input to the console: something happened to the site or its action log, a key was pressed,
/// the terminal changed size, or an effect the console asked for came back.
public enum ConsoleInput: Sendable, Equatable {
    case site(SiteEvent)
    case log(ActionLogEvent)
    case key(Key)
    case resize(Size)
    /// `$EDITOR` gave the message back (`text`), or could not be run (`problem`).
    case editorFinished(text: String?, problem: String?)
    /// What the console decided to log on its own (`ConsolePolicy`): probe changes, waits that
    /// held, deadlines that passed.
    case decided([LogEntry])
    /// The topmost scrolling view was drawn and can scroll this far (its last top line).
    case drawn(scrollLimit: Int)
    /// The drill's scenario clock: an inject's time came, or the clock was set as asked.
    case drill(DrillInput)
}

/// What a drill's facilitator console hears of its scenario clock.
public enum DrillInput: Sendable, Equatable {
    /// Scenario time reached inject `number`'s time.
    case injectDue(Int)
    /// Scenario time reached the scenario's duration.
    case scenarioEnded
    /// The clock was paused, resumed, sped up or moved as asked (`action`): how it runs now.
    case clockSet(action: String, ScenarioClock.Setting)
}

/// What a reduction asks of the world. The live console performs these; a replay drops them,
/// so replaying a log never writes anything.
public enum ConsoleEffect: Sendable, Equatable {
    /// A request for the action-log writer.
    case log(ActionLogRequest)
    /// A line for the readings journal of the followed incident.
    case journal(JournalRequest)
    /// Lend the terminal to `$EDITOR` with this text; it comes back as `.editorFinished`.
    case editText(String)
    /// Stop the console.
    case quit
    /// Set the drill's scenario clock; it comes back as `.drill(.clockSet)`.
    case drillClock(DrillClockControl)
    /// An inject was played: the probes it drives read again at once.
    case injectPlayed(Int)
}

/// What the readings journal records: what the console held when it began following the
/// incident, then every reading it applied.
public enum JournalRequest: Sendable, Equatable {
    case begin(incident: String, SiteSnapshot)
    case reading(ProbeResult)
}

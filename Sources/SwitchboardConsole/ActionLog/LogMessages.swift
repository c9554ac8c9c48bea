import Foundation
import SwitchboardCore

/// What the console asks of the action log. The reducer returns these as effects; the run loop
/// hands them to the `ActionLogWriter`, which does the I/O off the console's thread.
public enum ActionLogRequest: Sendable, Equatable {
    /// Starts a new incident; `earlierChanges` are the probe changes seen before it was declared.
    case open(title: String, severity: Severity, actor: String, at: Date, earlierChanges: [LogEntry])
    /// Appends an entry to the followed incident.
    case append(LogEntry)
}

/// What the action log tells the console. Records arrive in log order, whoever wrote them.
public enum ActionLogEvent: Sendable, Equatable {
    /// The console now follows this incident, as folded from its log; `notice` tells the person
    /// something worth knowing (a torn tail was repaired, other incidents are open too).
    case attached(IncidentState, notice: String?)
    /// What the console that followed the incident last held, read back from its readings
    /// journal after `attached` (nil when there is none: a new incident). The console's own
    /// journal begins with this.
    case restored(incident: String, SiteSnapshot?)
    /// Records appended since the last event, by this console or another; `acknowledged` of
    /// this console's entries are now on disk (or were redundant and skipped), oldest first.
    case records([LogRecord], acknowledged: Int)
    /// Entries could not be written; they are held and retried.
    case writeFailed(String)
    /// A request that cannot be carried out, and why (the state directory is not writable,
    /// the incident was closed meanwhile).
    case refused(String)
    /// The readings journal cannot be written; the action log is not affected.
    case journalFailed(String)
}

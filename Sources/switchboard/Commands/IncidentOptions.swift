import ArgumentParser
import Foundation
import SwitchboardCore
import SwitchboardStore

/// `--state-dir`, for every command that reads incidents.
struct StateDirectoryOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Where incidents are kept (default: $SWITCHBOARD_STATE, else $XDG_STATE_HOME/switchboard, else ~/.local/state/switchboard).",
        valueName: "DIR"))
    var stateDir: String?

    var directory: StateDirectory { StateDirectory.locate(explicit: stateDir) }

    /// The log an argument names: a path as given (it names a file, or has a slash or `.jsonl`),
    /// else the log of that incident id in the state directory (a real incident's, else a
    /// drill's: their ids never meet); one clear line when there is none.
    func logPath(of argument: String) throws -> String {
        if argument.contains("/") || argument.hasSuffix(".jsonl") || FileManager.default.fileExists(atPath: argument) {
            guard FileManager.default.fileExists(atPath: argument) else { throw CommandFailure("no incident log at \(argument)", exitCode: 1) }
            return argument
        }
        let path = directory.logPath(for: argument)
        let drill = directory.drills.logPath(for: argument)
        guard FileManager.default.fileExists(atPath: path) else {
            if FileManager.default.fileExists(atPath: drill) { return drill }
            throw CommandFailure("no incident '\(argument)' in \(directory.incidentsPath) ('switchboard incident list' shows them)",
                                 exitCode: 1)
        }
        return path
    }
}

/// `--state-dir` and `--actor`, shared by every command that writes incidents.
struct IncidentOptions: ParsableArguments {
    @OptionGroup var state: StateDirectoryOption

    @Option(name: .long, help: ArgumentHelp("Who is acting, as the log records it (default: $USER).", valueName: "NAME"))
    var actor: String?

    var directory: StateDirectory { state.directory }

    /// `--actor`, else `$USER`, else the login name, else the user id.
    var actorName: String {
        if let actor, !actor.trimmingCharacters(in: .whitespaces).isEmpty { return Sanitizer.line(actor) }
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }

    /// The incident named by `--incident`, else the only open one; fails with the choices.
    func chooseIncident(_ explicit: String?) throws -> String {
        if let explicit { return explicit }
        let (open, unreadable) = directory.openIncidents()
        switch open.count {
        case 0:
            guard unreadable.isEmpty else {
                throw CommandFailure(["no open incident that can be read in \(directory.incidentsPath); these logs cannot be:"]
                                     + unreadable.map { "  \($0.id): \($0.problem)" }, exitCode: 1)
            }
            throw CommandFailure("no open incident in \(directory.incidentsPath) (open one with 'switchboard incident open')", exitCode: 1)
        case 1:
            return open[0].id
        default:
            throw CommandFailure(["\(open.count) incidents are open; say which with --incident:"]
                + open.map { "  \($0.id)  \($0.title)" }, exitCode: 2)
        }
    }

    /// Appends one entry to an incident, turning store problems into one clear line.
    func append(_ entry: LogEntry, to incident: String) throws -> LogRecord {
        do {
            let (state, log, _) = try directory.resumeIncident(incident)
            if let closure = state.closure {
                throw CommandFailure("incident \(incident) is \(closure): nothing more is added to it", exitCode: 1)
            }
            var entry = entry
            entry.role = entry.role ?? state.role(of: entry.actor)
            if entry.kind == LogKind.closed {
                // What consoles that were killed recorded is sealed before the incident ends.
                for seal in directory.sealsForStoppedConsoles(of: incident, sealed: state.sealedJournalBytes) {
                    _ = try log.append(seal.entry(actor: entry.actor, at: entry.at), unlessAlreadyIn: state)
                }
            }
            guard let record = try log.append(entry).records.last else {
                throw CommandFailure("\(log.path): the record was not written", exitCode: 1)
            }
            return record
        } catch let error as StoreError {
            throw CommandFailure(error.message, exitCode: 1)
        }
    }
}

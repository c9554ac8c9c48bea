import ArgumentParser
import Foundation
import Logging
import SwitchboardConsole
import SwitchboardProbes
import SwitchboardCore
import SwitchboardStore
import TerminalUI

/// `switchboard [console]`: the live console.
struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the console (the default command).",
        discussion: "Keys are shown with '?'. Set NO_COLOR to draw without colour.")

    @OptionGroup var options: ConfigOption
    @OptionGroup var incidentOptions: IncidentOptions

    @Option(name: .long, help: ArgumentHelp("Follow this incident (default: the newest open one).", valueName: "ID"))
    var incident: String?

    @Option(name: .long, help: ArgumentHelp(
        "Append diagnostics to this file (also $SWITCHBOARD_LOG_FILE). Nothing is logged to the terminal.",
        valueName: "FILE"))
    var logFile: String?

    func run() throws {
        let startedAt = ContinuousClock.now
        let config = try ConfigLocation.load(ConfigLocation.find(explicit: options.config), failureExitCode: 2)
        let logger = try Self.makeLogger(logFile)
        let directory = incidentOptions.directory
        if let incident {
            // A wrong id is a typo to fix before the screen is taken over, not a banner after; a
            // closed incident is history, kept as it was, not something to follow.
            do {
                let state = try directory.readIncident(incident)
                if let closure = state.closure {
                    let path = directory.logPath(for: incident)
                    throw CommandFailure(["incident \(incident) is \(closure)",
                                          "its log, kept as it was: \(path) · 'switchboard review \(incident)' replays it"],
                                         exitCode: 2)
                }
            } catch let error as StoreError {
                throw CommandFailure(error.message, exitCode: 2)
            }
        }
        logger.info("starting", metadata: ["config": "\(config.source)", "probes": "\(config.probes.count)",
                                           "state_dir": "\(directory.path)"])

        // Whatever the probes start, however it daemonizes, ends with the console, even a killed one.
        ProcessLineage.becomeSubreaper()
        ProcessLineage.startGuardian()
        defer { ProcessLineage.killAll() }
        let exit: ConsoleRunLoop.Exit
        let runLoop: ConsoleRunLoop
        do {
            runLoop = try ConsoleRunLoop(
                config: config, runbooks: ConfigLocation.runbooks(of: config),
                settings: .init(directory: directory, actor: incidentOptions.actorName, incident: incident),
                logger: logger)
            exit = try runLoop.run(startedAt: startedAt, makeBackend: Self.makeTerminal)
        } catch {
            throw CommandFailure("\(error)", exitCode: 1)
        }
        logger.info("stopped", metadata: ["reason": "\(exit)"])
        if !runLoop.unsavedAtExit.isEmpty {
            // The terminal is back to normal: what could not be written goes where the person sees it.
            Switchboard.printError("\(runLoop.unsavedAtExit.count) log entries could not be written; here they are:")
            for entry in runLoop.unsavedAtExit {
                Switchboard.printError("  \(TimeText.iso8601(entry.at)) \(entry.actor) \(entry.kind) "
                                       + (entry.fields["text"]?.string ?? entry.fields["summary"]?.string ?? ""))
            }
            throw ExitCode(1)
        }
        switch exit {
        case .quit: return
        case .signal(let number): throw ExitCode(128 + number)
        case .terminalClosed: throw ExitCode(1)
        }
    }

    /// Diagnostics go to `--log-file`, else `$SWITCHBOARD_LOG_FILE`, else nowhere: never to the terminal.
    static func makeLogger(_ logFile: String?) throws -> Logger {
        let path = logFile ?? ProcessInfo.processInfo.environment["SWITCHBOARD_LOG_FILE"]
        guard let path, !path.isEmpty else {
            return Logger(label: "switchboard") { _ in SwiftLogNoOpLogHandler() }
        }
        do {
            let factory = try FileLogHandler.open(path: path)
            return Logger(label: "switchboard", factory: factory)
        } catch {
            throw CommandFailure("cannot open log file '\(path)': \(error.localizedDescription)", exitCode: 2)
        }
    }

    /// The terminal, in colour unless NO_COLOR is set (https://no-color.org: any non-empty value).
    static func makeTerminal() throws -> NcursesTerminal {
        try NcursesTerminal(colorAllowed: ProcessInfo.processInfo.environment["NO_COLOR", default: ""].isEmpty)
    }
}

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

    @OptionGroup var diagnostics: DiagnosticsOption

    func run() throws {
        let startedAt = ContinuousClock.now
        let config = try ConfigLocation.load(ConfigLocation.find(explicit: options.config), failureExitCode: 2)
        let logger = try diagnostics.makeLogger()
        var directory = incidentOptions.directory
        var clock: any ConsoleClock = WallClock()
        var drill: ConsoleRunLoop.DrillRole?
        if let incident {
            // A wrong id is a typo to fix before the screen is taken over, not a banner after; a
            // closed incident is history, kept as it was, not something to follow. A drill's id
            // joins it as a player: its files live apart, in drills/.
            if !FileManager.default.fileExists(atPath: directory.logPath(for: incident)),
               FileManager.default.fileExists(atPath: directory.drills.logPath(for: incident)) {
                directory = directory.drills
            }
            do {
                let state = try directory.readIncident(incident)
                if let closure = state.closure {
                    let path = directory.logPath(for: incident)
                    throw CommandFailure(["\(state.isDrill ? "drill" : "incident") \(incident) is \(closure)",
                                          "its log, kept as it was: \(path) · 'switchboard review \(incident)' replays it"],
                                         exitCode: 2)
                }
                if let progress = state.drill {
                    let scenarioClock = ScenarioClock(epoch: progress.epoch, base: WallClock(), speed: progress.setting.speed)
                    scenarioClock.follow(progress.setting)
                    if progress.facilitator == incidentOptions.actorName {
                        // The facilitator rejoins their drill where its clock has got to.
                        let runbooks = ConfigLocation.runbooks(of: config)
                        let file = FileManager.default.fileExists(atPath: progress.scenarioFile) ? progress.scenarioFile : progress.scenario
                        let (scenario, _) = try DrillCommand.loadScenario(file, config: config, runbooks: runbooks)
                        try DrillCommand.facilitate(incident, scenario: scenario, clock: scenarioClock, fired: progress.fired,
                                                    simulateAll: progress.simulateAll, config: config, runbooks: runbooks,
                                                    directory: directory, actor: incidentOptions.actorName, logger: logger, startedAt: startedAt)
                        return
                    }
                    clock = scenarioClock
                    drill = .player(scenarioClock, facilitator: progress.facilitator)
                }
            } catch let error as StoreError {
                throw CommandFailure(error.message, exitCode: 2)
            }
        }
        logger.info("starting", metadata: ["config": "\(config.source)", "probes": "\(config.probes.count)",
                                           "state_dir": "\(directory.path)"])
        try Self.runConsole(config: config, runbooks: ConfigLocation.runbooks(of: config),
                            settings: .init(directory: directory, actor: incidentOptions.actorName, incident: incident),
                            clock: clock, drill: drill, logger: logger, startedAt: startedAt)
    }

    /// Runs a console until it stops, with the exit code its end calls for; what could not be
    /// written is printed once the terminal is back. The console command, and a drill's.
    @discardableResult
    static func runConsole(config: SiteConfig, runbooks: RunbookLibrary, settings: ConsoleRunLoop.IncidentSettings, clock: any ConsoleClock,
                           drill: ConsoleRunLoop.DrillRole?, logger: Logger, startedAt: ContinuousClock.Instant) throws -> ConsoleRunLoop.Exit {
        // Whatever the probes start, however it daemonizes, ends with the console, even a killed one.
        ProcessLineage.becomeSubreaper()
        ProcessLineage.startGuardian()
        defer { ProcessLineage.killAll() }
        let exit: ConsoleRunLoop.Exit
        let runLoop: ConsoleRunLoop
        do {
            runLoop = try ConsoleRunLoop(config: config, runbooks: runbooks, settings: settings, clock: clock, drill: drill, logger: logger)
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
        case .quit: return exit
        case .drillClosed(let id):
            print("drill \(id) was closed: 'switchboard report \(id) --format aar' writes its after-action report; "
                  + "'switchboard review \(id)' replays it")
            return exit
        case .signal(let number): throw ExitCode(128 + number)
        case .terminalClosed: throw ExitCode(1)
        }
    }

    /// The terminal, in colour unless NO_COLOR is set (https://no-color.org: any non-empty value).
    static func makeTerminal() throws -> NcursesTerminal {
        try NcursesTerminal(colorAllowed: ProcessInfo.processInfo.environment["NO_COLOR", default: ""].isEmpty)
    }
}

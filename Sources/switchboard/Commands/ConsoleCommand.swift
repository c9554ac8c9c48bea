import ArgumentParser
import Foundation
import Logging
import SwitchboardConsole
import TerminalUI

/// `switchboard [console]`: the live console.
struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the console (the default command).",
        discussion: "Keys are shown with '?'. Set NO_COLOR to draw without colour.")

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: ArgumentHelp(
        "Append diagnostics to this file (also $SWITCHBOARD_LOG_FILE). Nothing is logged to the terminal.",
        valueName: "FILE"))
    var logFile: String?

    func run() throws {
        let startedAt = ContinuousClock.now
        let config = try ConfigLocation.load(ConfigLocation.find(explicit: options.config), failureExitCode: 2)
        let logger = try makeLogger()
        logger.info("starting", metadata: ["config": "\(config.source)", "probes": "\(config.probes.count)"])

        let exit: ConsoleRunLoop.Exit
        do {
            exit = try ConsoleRunLoop(config: config, logger: logger).run(startedAt: startedAt) {
                // https://no-color.org: any non-empty NO_COLOR turns colour off.
                try NcursesTerminal(colorAllowed: ProcessInfo.processInfo.environment["NO_COLOR", default: ""].isEmpty)
            }
        } catch {
            throw CommandFailure("\(error)", exitCode: 1)
        }
        logger.info("stopped", metadata: ["reason": "\(exit)"])
        switch exit {
        case .quit: return
        case .signal(let number): throw ExitCode(128 + number)
        case .terminalClosed: throw ExitCode(1)
        }
    }

    private func makeLogger() throws -> Logger {
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
}

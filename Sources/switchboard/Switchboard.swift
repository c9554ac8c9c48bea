import ArgumentParser
import Foundation

/// The `switchboard` command: the console by default, and the tools around it.
@main
struct Switchboard: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "A terminal incident-command console for contact centers.",
        discussion: """
            With no command, opens the console. Without a config file it shows the built-in demo site.

            Config is looked for at --config, $SWITCHBOARD_CONFIG, ./switchboard.yaml, then \
            $XDG_CONFIG_HOME/switchboard/switchboard.yaml.
            """,
        version: version,
        subcommands: [ConsoleCommand.self, InitCommand.self, CheckCommand.self, ProbeCommand.self,
                      IncidentCommand.self, NoteCommand.self, LogCommand.self, ReviewCommand.self,
                      ReportCommand.self, DrillCommand.self],
        defaultSubcommand: ConsoleCommand.self
    )

    /// Parses and runs, printing errors as `switchboard: <what>` with the right exit code:
    /// usage errors exit 2; command failures exit with their own code; never a stack trace.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // Past a file-size limit a write must fail (EFBIG) and be reported, not kill the process
        // halfway through a log record.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let failure as CommandFailure {
            for line in failure.lines { printError(line) }
            Foundation.exit(failure.exitCode)
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success { self.exit(withError: error) } // --help, --version
            let message = fullMessage(for: error).replacingOccurrences(of: "Error: ", with: "")
            for line in message.split(separator: "\n") where !line.isEmpty && !line.hasPrefix("Usage:") && !line.hasPrefix("  See '") {
                printError(String(line))
            }
            printError("see 'switchboard --help'")
            Foundation.exit(2)
        }
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data("switchboard: \(line)\n".utf8))
    }
}

/// A failure the user can act on: printed as `switchboard: <line>` per line, then exit with `exitCode`.
struct CommandFailure: Error {
    var lines: [String]
    var exitCode: Int32

    init(_ lines: [String], exitCode: Int32) {
        self.lines = lines
        self.exitCode = exitCode
    }

    init(_ line: String, exitCode: Int32) {
        self.init([line], exitCode: exitCode)
    }
}

import ArgumentParser
import Foundation
import Logging
import SwitchboardConsole

/// `--log-file` for the commands that take over the terminal: their diagnostics go to a file,
/// never to the screen the user is reading.
struct DiagnosticsOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Append diagnostics to this file (also $SWITCHBOARD_LOG_FILE). Nothing is logged to the terminal.",
        valueName: "FILE"))
    var logFile: String?

    /// Diagnostics go to `--log-file`, else `$SWITCHBOARD_LOG_FILE`, else nowhere.
    func makeLogger() throws -> Logger {
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

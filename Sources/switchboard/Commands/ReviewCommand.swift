import ArgumentParser
import Foundation
import SwitchboardConsole
import SwitchboardCore
import SwitchboardStore
import TerminalUI

/// `switchboard review FILE|ID`: an incident replayed, the console as it was at any instant.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Replay an incident or drill: the console as it was, at any moment (read-only).",
        discussion: """
            Verifies the log first and says whether it is intact. Space plays, ← → step through records, \
            [ ] through markers, t goes to a time; '?' lists every key. Nothing is written, repaired or locked: \
            a copy on read-only media opens, and a log still being written is followed at its end.

            The panes are drawn with the site config's probes and runbooks (found as for the console).
            """)

    @Argument(help: ArgumentHelp("The incident's log file, or its id in the state directory.", valueName: "FILE|ID"))
    var incident: String

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
        "Start at this time: 14:09 or 14:09:30 (UTC), +12m from the start, or 2026-11-27T14:09:00Z (default: the start).",
        valueName: "TIME"))
    var at: String?

    @Option(name: .customLong("as"), help: ArgumentHelp(
        "Replay this person's console (default: the incident commander's at each moment).", valueName: "ACTOR"))
    var asActor: String?

    @OptionGroup var options: ConfigOption
    @OptionGroup var state: StateDirectoryOption

    @OptionGroup var diagnostics: DiagnosticsOption

    func run() throws {
        let config = try ConfigLocation.load(ConfigLocation.find(explicit: options.config), failureExitCode: 2)
        let logger = try diagnostics.makeLogger()
        let path = try state.logPath(of: incident)
        let runbooks = ConfigLocation.runbooks(of: config)
        let site = ReviewFiles.Site(name: config.site, isDemo: config.isDemo, specs: config.probes.map(\.spec),
                                    library: SiteLibrary(runbooks: runbooks, reference: config.reference))
        var (review, loading): (Review, ReviewLoading)
        do {
            (review, loading) = try ReviewFiles.open(logPath: path, site: site, size: Size(width: 80, height: 24), asActor: asActor, at: nil)
        } catch let error as StoreError {
            throw CommandFailure(error.message, exitCode: 1)
        }
        if let at {
            guard let instant = TypedTime.parse(at, relativeTo: review.start, clockTime: .firstFrom(review.start)) else {
                throw CommandFailure("--at: not a time: '\(at)' (try \(TypedTime.examples))", exitCode: 2)
            }
            review.seek(to: instant)
        }
        let exit: ConsoleRunLoop.Exit
        do {
            exit = try ReviewRunLoop(review: review, loading: loading, logger: logger).run(makeBackend: ConsoleCommand.makeTerminal)
        } catch {
            throw CommandFailure("\(error)", exitCode: 1)
        }
        switch exit {
        case .quit, .drillClosed: return
        case .signal(let number): throw ExitCode(128 + number)
        case .terminalClosed: throw ExitCode(1)
        }
    }
}

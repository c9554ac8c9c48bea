import ArgumentParser
import SwitchboardCore

/// `switchboard check`: validate the site config and its runbooks without starting anything.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the site config and runbooks.",
        discussion: """
            Checks the site config, then every runbook: the config's 'runbooks:' folders, or the \
            PATHs given (runbook files or folders). Runbooks are checked against the site: the \
            probes and metrics their conditions name (with the units they compare in and the \
            words they look for), their contacts and message templates. Prints every problem as \
            FILE:LINE:COLUMN: what was expected. A metric a probe does not declare (an exec \
            plugin without metrics:, a NUT variable beyond the common ones) is a warning. Exits 0 \
            when all is valid (warnings or not), 1 when not, 2 on a usage error.
            """)

    @OptionGroup var options: ConfigOption

    @Argument(help: ArgumentHelp("Runbook files or folders to check instead of the config's.", valueName: "PATH"))
    var paths: [String] = []

    func run() throws {
        let source = ConfigLocation.find(explicit: options.config)
        let config = try ConfigLocation.load(source, failureExitCode: 1)
        let probes = config.probes.count
        let what = source == .demo ? "no switchboard.yaml found; the built-in demo site" : config.source
        print("\(what): ok · site '\(config.site)' · \(probes) probe\(probes == 1 ? "" : "s")")

        let library = RunbookLibrary.load(paths: paths.isEmpty ? config.runbookPaths : paths, declaredAt: config.runbookPathLocations, context: RunbookContext(config: config))
        for runbook in library.runbooks {
            let warned = runbook.warnings.isEmpty ? "" : " · \(runbook.warnings.count) warning\(runbook.warnings.count == 1 ? "" : "s")"
            print("\(runbook.file): ok · \(runbook.id) · \(runbook.steps.count) step\(runbook.steps.count == 1 ? "" : "s")\(warned)")
            for warning in runbook.warnings { print("  \(warning)") }
        }
        guard library.broken.isEmpty else {
            let problems = library.problems.map(\.description)
            throw CommandFailure(problems + ["\(library.broken.count) of \(library.runbooks.count + library.broken.count) runbook files "
                                             + "have problems"], exitCode: 1)
        }
    }
}

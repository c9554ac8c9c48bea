import ArgumentParser
import SwitchboardCore

/// `switchboard check`: validate the site config and its runbooks without starting anything.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the site config, runbooks and drill scenarios.",
        discussion: """
            Checks the site config, then every runbook: the config's 'runbooks:' folders, or the \
            PATHs given (runbook files or folders). Runbooks are checked against the site: the \
            probes and metrics their conditions name (with the units they compare in and the \
            words they look for), their contacts and message templates. Prints every problem as \
            FILE:LINE:COLUMN: what was expected. A metric a probe does not declare (an exec \
            plugin without metrics:, a NUT variable beyond the common ones) is a warning. Then every \
            drill scenario (each runbook folder's drills/, or the PATHs given that are in a drills \
            folder) against the site and the runbooks: its probes, runbooks, steps, answers, templates \
            and objectives, and its times (negative, past the end, or two injects driving one probe at \
            once). Exits 0 when all is valid (warnings or not), 1 when not, 2 on a usage error.
            """)

    @OptionGroup var options: ConfigOption

    @Argument(help: ArgumentHelp("Runbook files or folders, or scenario files in a drills folder, to check instead of the config's.",
                                 valueName: "PATH"))
    var paths: [String] = []

    func run() throws {
        let source = ConfigLocation.find(explicit: options.config)
        let config = try ConfigLocation.load(source, failureExitCode: 1)
        let probes = config.probes.count
        let what = source == .demo ? "no switchboard.yaml found; the built-in demo site" : config.source
        print("\(what): ok · site '\(config.site)' · \(probes) probe\(probes == 1 ? "" : "s")")

        let scenarioPaths = paths.filter(DrillLibrary.isScenarioFile)
        let runbookPaths = paths.filter { !DrillLibrary.isScenarioFile($0) }
        // Scenarios are checked against the site's runbooks, with those given added.
        let library = RunbookLibrary.load(paths: runbookPaths.isEmpty ? config.runbookPaths : runbookPaths,
                                          declaredAt: config.runbookPathLocations, context: RunbookContext(config: config))
        for runbook in library.runbooks {
            let warned = runbook.warnings.isEmpty ? "" : " · \(runbook.warnings.count) warning\(runbook.warnings.count == 1 ? "" : "s")"
            print("\(runbook.file): ok · \(runbook.id) · \(runbook.steps.count) step\(runbook.steps.count == 1 ? "" : "s")\(warned)")
            for warning in runbook.warnings { print("  \(warning)") }
        }
        let siteRunbooks = runbookPaths.isEmpty ? library : ConfigLocation.runbooks(of: config)
        let scenarioFiles = paths.isEmpty ? DrillLibrary.files(inRunbookPaths: config.runbookPaths)
            : scenarioPaths + DrillLibrary.files(inRunbookPaths: runbookPaths)
        let drills = DrillLibrary.load(files: scenarioFiles, context: ScenarioContext(
            config: config, runbooks: RunbookLibrary(runbooks: siteRunbooks.runbooks + library.runbooks.filter { siteRunbooks.runbook($0.id) == nil })))
        for scenario in drills.scenarios {
            let warned = scenario.warnings.isEmpty ? "" : " · \(scenario.warnings.count) warning\(scenario.warnings.count == 1 ? "" : "s")"
            print("\(scenario.file): ok · drill \(scenario.id) · \(scenario.injects.count) injects · "
                  + "\(scenario.injects.reduce(0) { $0 + $1.expect.count }) expectations\(warned)")
            for warning in scenario.warnings { print("  \(warning)") }
        }
        var problems: [String] = []
        if !library.broken.isEmpty {
            problems += library.problems.map(\.description)
            problems.append("\(library.broken.count) of \(library.runbooks.count + library.broken.count) runbook files have problems")
        }
        if !drills.broken.isEmpty {
            problems += drills.problems.map(\.description)
            problems.append("\(drills.broken.count) of \(drills.scenarios.count + drills.broken.count) drill scenarios have problems")
        }
        guard problems.isEmpty else { throw CommandFailure(problems, exitCode: 1) }
    }
}

import ArgumentParser
import Foundation
import SwitchboardCore
import SwitchboardReports
import SwitchboardStore

extension ReportFormat: ExpressibleByArgument {}

/// `switchboard report FILE|ID --format …`: a report of an incident from its verified log.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a report of an incident from its verified log and readings.",
        discussion: """
            Formats: md (a postmortem draft after PagerDuty's template, with prompts for what only people can \
            write), html (one self-contained printable page with a swimlane timeline and each queue's service \
            level), csv (the timeline, one row per record), json (everything, machine-readable), ics214 (FEMA's \
            ICS 214 Activity Log, one form per person; with -o FILE.csv, a CSV with the form's blocks as headers), \
            aar (a drill's after-action report: objectives scored and rated, evaluator notes, injects against \
            actions, an improvement plan to fill; Markdown, or a printable page with -o FILE.html).

            The log is verified first; every format states the result and the head hash. A damaged log is \
            reported up to the damage, saying where, and the command exits 1. The site config (found as for \
            the console) gives the queues' targets, the runbooks' steps, the comms cadence and the follow-ups.
            """)

    @Argument(help: ArgumentHelp("The incident's log file, or its id in the state directory.", valueName: "FILE|ID"))
    var incident: String

    @Option(name: .long, help: ArgumentHelp("md, html, csv, json, ics214 or aar.", valueName: "FORMAT"))
    var format: ReportFormat

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file (default: standard output).", valueName: "OUT"))
    var output: String?

    @OptionGroup var options: ConfigOption
    @OptionGroup var state: StateDirectoryOption

    func run() throws {
        let config = try ConfigLocation.load(ConfigLocation.find(explicit: options.config), failureExitCode: 2)
        let path = try state.logPath(of: incident)
        let runbooks = ConfigLocation.runbooks(of: config)
        let site = ReportSite(name: config.site, specs: config.probes.map(\.spec), runbooks: runbooks, reference: config.reference)
        var scenario: @Sendable (String, String) -> DrillScenario? = { _, _ in nil }
        if format == .aar {
            // The scenario the drill played: in the site's runbook folders, else where the drill found it.
            let context = ScenarioContext(config: config, runbooks: runbooks)
            let library = DrillLibrary.load(files: DrillLibrary.files(inRunbookPaths: config.runbookPaths), context: context)
            scenario = { id, file in
                library.scenario(file) ?? library.scenario(id) ?? DrillLibrary.load(files: [file], context: context).scenarios.first
            }
        }
        let verification: IncidentReport.Verification
        do {
            verification = try IncidentReporter.write(logPath: path, site: site, options: .init(
                format: format, outputPath: output, generatedAt: Date().roundedToMilliseconds, generator: "switchboard \(Switchboard.version)",
                scenario: scenario))
        } catch let error as StoreError {
            throw CommandFailure(error.message, exitCode: 1)
        }
        if !verification.intact {
            throw CommandFailure("\(path): \(verification.statement)", exitCode: 1)
        }
    }
}

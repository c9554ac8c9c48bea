import ArgumentParser
import Foundation
import Logging
import SwitchboardConsole
import SwitchboardCore
import SwitchboardProbes
import SwitchboardStore

/// `switchboard drill SCENARIO`: a tabletop exercise on the console, run by its facilitator.
struct DrillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Facilitate a drill: play a scenario on the console (players join with --incident ID).",
        discussion: """
            Opens a drill incident, kept apart from real ones (in the state directory's drills/ folder: no live \
            console follows it), and starts the facilitator's console on the scenario's clock. The scenario's \
            injects drive the probes it names; the site's other probes run as configured (or steady and \
            healthy with --simulate-all). Players join from their own terminals with 'switchboard --incident ID': \
            they see the same panes and injects, act as in a real incident, and never see what is expected of them.

            Facilitator keys: Space pause/resume · + - speed (×1 … ×60) · > play the next inject now · ! play an \
            inject by hand or your own words · e an evaluator's note · o the objectives board. Close the drill as \
            an incident (i, then x); 'switchboard report ID --format aar' writes the after-action report.

            SCENARIO is a scenario file, or the id of one in a runbook folder's drills/.
            """)

    @Argument(help: ArgumentHelp("The scenario: its file, or its id.", valueName: "SCENARIO"))
    var scenario: String

    @Option(name: .long, help: ArgumentHelp("How many times faster than real time the scenario runs, 1 to 60 (default 1).",
                                             valueName: "N"))
    var speed: Double = 1

    @Flag(name: .long, help: "Start with the scenario clock paused at T+0 (Space starts it): brief the players while they join.")
    var paused = false

    @Flag(name: .long, help: "Run the site's probes the scenario does not drive as steady simulations, not live.")
    var simulateAll = false

    @OptionGroup var options: ConfigOption
    @OptionGroup var incidentOptions: IncidentOptions

    @OptionGroup var diagnostics: DiagnosticsOption

    func validate() throws {
        guard (1...60).contains(speed) else { throw ValidationError("--speed: from 1 to 60, got \(MetricValue.format(speed))") }
    }

    func run() throws {
        let startedAt = ContinuousClock.now
        let config = try ConfigLocation.load(ConfigLocation.find(explicit: options.config), failureExitCode: 2)
        let runbooks = ConfigLocation.runbooks(of: config)
        let (scenario, digest) = try Self.loadScenario(self.scenario, config: config, runbooks: runbooks)
        let logger = try diagnostics.makeLogger()
        let directory = incidentOptions.directory.drills
        let actor = incidentOptions.actorName

        let wall = Date().roundedToMilliseconds
        let clock = ScenarioClock(epoch: wall, base: WallClock(), speed: speed, paused: paused)
        let id: String
        do {
            id = try directory.openIncident(.drillOpened(scenario, sha256: digest, speed: speed, paused: paused, simulateAll: simulateAll,
                                                         actor: actor, at: clock.now(), wall: wall)).state.id
        } catch let error as StoreError {
            throw CommandFailure("cannot open the drill: \(error.message)", exitCode: 1)
        }
        try Self.facilitate(id, scenario: scenario, clock: clock, fired: [], simulateAll: simulateAll, config: config, runbooks: runbooks,
                            directory: directory, actor: actor, logger: logger, startedAt: startedAt)
    }

    /// Runs the facilitator's console on drill `id`, new or rejoined: the scenario drives the
    /// probes it names; the site's others run as configured, or steady with `simulateAll`.
    static func facilitate(_ id: String, scenario: DrillScenario, clock: ScenarioClock, fired: [FiredInject], simulateAll: Bool,
                           config: SiteConfig, runbooks: RunbookLibrary, directory: StateDirectory, actor: String, logger: Logger,
                           startedAt: ContinuousClock.Instant) throws {
        let playback = ScenarioPlayback(scenario: scenario, clock: clock)
        playback.sync(fired)
        var config = config
        config.probes = config.probes.map { probe in
            if scenario.drivenProbes.contains(probe.spec.id) {
                return ConfiguredProbe(spec: probe.spec, probe: ScenarioProbe(probeID: probe.spec.id, playback: playback))
            }
            if simulateAll, probe.spec.kind != "simulated" { return ConfiguredProbe(spec: probe.spec, probe: SteadyProbe()) }
            return probe
        }
        let exit = try ConsoleCommand.runConsole(config: config, runbooks: runbooks,
                                                 settings: .init(directory: directory, actor: actor, incident: id),
                                                 clock: clock, drill: .facilitator(playback), logger: logger, startedAt: startedAt)
        if exit == .quit {
            print("drill \(id) goes on: 'switchboard --incident \(id) --actor \(actor)' rejoins it as its facilitator; "
                  + "once it is closed, 'switchboard report \(id) --format aar' writes its after-action report")
        }
    }

    /// The scenario named (a file, or an id in the runbook folders' drills/) and its SHA-256,
    /// checked against the site and its runbooks; every problem one line.
    static func loadScenario(_ scenario: String, config: SiteConfig, runbooks: RunbookLibrary) throws -> (DrillScenario, String) {
        var file = scenario
        if !FileManager.default.fileExists(atPath: file) {
            let files = DrillLibrary.files(inRunbookPaths: config.runbookPaths)
            guard let found = files.first(where: { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension == scenario }) else {
                let known = files.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
                throw CommandFailure("no scenario '\(scenario)'" + (known.isEmpty ? " (no drills/ folder in the site's runbook folders)"
                                                                    : "; scenarios: \(known.joined(separator: ", "))"), exitCode: 2)
            }
            file = found
        }
        let data: Data
        switch RegularFile.read(file) {
        case .success(let read): data = read
        case .failure(let problem): throw CommandFailure("cannot read scenario '\(file)': \(problem)", exitCode: 2)
        }
        do {
            let scenario = try DrillScenarioLoader(context: ScenarioContext(config: config, runbooks: runbooks))
                .load(yaml: String(decoding: data, as: UTF8.self), file: file)
            return (scenario, DrillScenario.digest(of: data))
        } catch {
            throw CommandFailure(error.items.map(\.description), exitCode: 2)
        }
    }
}

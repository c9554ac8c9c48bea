import ArgumentParser
import SwitchboardCore

/// `switchboard check`: validate the site config without starting anything.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the site config.",
        discussion: "Prints every problem as FILE:LINE:COLUMN: what was expected. Exits 0 when valid, 1 when not, 2 on a usage error.")

    @OptionGroup var options: ConfigOption

    func run() throws {
        let source = ConfigLocation.find(explicit: options.config)
        let config = try ConfigLocation.load(source, failureExitCode: 1)
        let probes = config.probes.count
        let what = source == .demo ? "no switchboard.yaml found; the built-in demo site" : config.source
        print("\(what): ok · site '\(config.site)' · \(probes) probe\(probes == 1 ? "" : "s")")
    }
}

import ArgumentParser
import Foundation
import SwitchboardCore
import SwitchboardProbes

/// `--config FILE`, shared by the commands that read the site config.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The site config to use.", valueName: "FILE"))
    var config: String?
}

/// Finds and loads the site config in the documented order, falling back to the demo site.
enum ConfigLocation {
    /// Where the config comes from: a file, or the built-in demo site.
    enum Source: Equatable {
        case file(String)
        case demo
    }

    static func find(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> Source {
        if let explicit { return .file(explicit) }
        if let fromEnvironment = environment["SWITCHBOARD_CONFIG"], !fromEnvironment.isEmpty { return .file(fromEnvironment) }
        let local = "switchboard.yaml"
        if FileManager.default.fileExists(atPath: local) { return .file(local) }
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"].map { "\($0)/.config" } ?? "")
        let user = "\(configHome)/switchboard/switchboard.yaml"
        if !configHome.isEmpty, FileManager.default.fileExists(atPath: user) { return .file(user) }
        return .demo
    }

    /// Loads the config. A missing or unreadable file, or invalid content, throws a
    /// `CommandFailure` with one line per problem and the given exit code.
    static func load(_ source: Source, failureExitCode: Int32) throws -> SiteConfig {
        let loader = SiteConfigLoader(catalog: .builtIn)
        let text: String
        let name: String
        switch source {
        case .demo:
            text = DemoSite.yaml
            name = DemoSite.source
        case .file(let path):
            name = path
            switch RegularFile.read(path) {
            case .success(let data): text = String(decoding: data, as: UTF8.self)
            case .failure(let problem): throw CommandFailure("cannot read config '\(path)': \(problem)", exitCode: failureExitCode)
            }
        }
        do {
            var config = try loader.load(yaml: text, file: name, isDemo: source == .demo)
            if source == .demo { config.runbookPaths = [ShippedRunbooks.folder] }
            return config
        } catch {
            throw CommandFailure(error.items.map(\.description), exitCode: failureExitCode)
        }
    }

    /// The site's runbooks, valid and broken, as the console loads them.
    static func runbooks(of config: SiteConfig) -> RunbookLibrary {
        RunbookLibrary.load(paths: config.runbookPaths, declaredAt: config.runbookPathLocations, context: RunbookContext(config: config))
    }
}

import Foundation

/// The site's drill scenarios: the `drills/` folder of each runbook folder, loaded and checked
/// against the site and its runbooks. A broken scenario is kept aside with its problems.
public struct DrillLibrary: Sendable {
    public var scenarios: [DrillScenario] = []
    public var broken: [BrokenRunbook] = []

    public init() {}

    public var problems: [ConfigDiagnostic] { broken.flatMap(\.problems) }

    /// The scenario with this id, or in this file.
    public func scenario(_ idOrFile: String) -> DrillScenario? {
        scenarios.first { $0.id == idOrFile || $0.file == idOrFile }
    }

    /// The scenario files of runbook paths: `*.yaml` in each folder's `drills/`.
    public static func files(inRunbookPaths paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [] }
            let folder = (path.hasSuffix("/") ? path : path + "/") + "drills"
            return (try? RunbookLibrary.files(at: folder)) ?? []
        }
    }

    /// Whether a file given by itself is a scenario rather than a runbook: it sits in a `drills` folder.
    public static func isScenarioFile(_ path: String) -> Bool {
        (path as NSString).deletingLastPathComponent.hasSuffix("drills")
    }

    public static func load(files: [String], context: ScenarioContext) -> DrillLibrary {
        var library = DrillLibrary()
        let loader = DrillScenarioLoader(context: context)
        for file in files {
            let text: String
            switch RegularFile.read(file) {
            case .success(let data): text = String(decoding: data, as: UTF8.self)
            case .failure(let problem):
                library.broken.append(BrokenRunbook(file: file, problems: [ConfigDiagnostic(file: file, "cannot read: \(problem)")]))
                continue
            }
            do {
                let scenario = try loader.load(yaml: text, file: file)
                if let other = library.scenarios.first(where: { $0.id == scenario.id }) {
                    library.broken.append(BrokenRunbook(file: file, id: scenario.id, title: scenario.title, problems: [
                        ConfigDiagnostic(file: file, "scenario id '\(scenario.id)' is already used by \(other.file)")]))
                    continue
                }
                library.scenarios.append(scenario)
            } catch {
                library.broken.append(BrokenRunbook(file: file, problems: error.items))
            }
        }
        return library
    }
}

extension DrillScenario {
    /// The SHA-256 of a scenario file's bytes, in hex: a drill's log names the exact scenario it
    /// was played from, so its report can tell when the file changed since.
    public static func digest(of data: Data) -> String {
        HashChain.hexDigest(Array(data))
    }
}

extension ScenarioContext {
    /// The context of a site: its probes and message templates, and its runbooks.
    public init(config: SiteConfig, runbooks: RunbookLibrary) {
        let context = RunbookContext(config: config)
        self.init(probes: context.probes, runbooks: runbooks, comms: context.comms)
    }
}

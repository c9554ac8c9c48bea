import Foundation
import Yams

/// A runbook file that did not load, with every problem in it. The console lists it as broken
/// (with the first problem) while the valid runbooks work.
public struct BrokenRunbook: Sendable, Equatable {
    public var file: String
    /// The id and title, when they could be read, so the list can name it.
    public var id: String?
    public var title: String?
    public var problems: [ConfigDiagnostic]

    public init(file: String, id: String? = nil, title: String? = nil, problems: [ConfigDiagnostic]) {
        self.file = file
        self.id = id
        self.title = title
        self.problems = problems
    }
}

/// The site's runbooks: every file under the configured folders, loaded and checked against
/// the site. Broken files are kept aside, never fatal.
public struct RunbookLibrary: Sendable, Equatable {
    public var runbooks: [Runbook]
    public var broken: [BrokenRunbook]

    public init(runbooks: [Runbook] = [], broken: [BrokenRunbook] = []) {
        self.runbooks = runbooks
        self.broken = broken
    }

    public func runbook(_ id: String) -> Runbook? {
        runbooks.first { $0.id == id }
    }

    /// Every problem in every file, in file order.
    public var problems: [ConfigDiagnostic] { broken.flatMap(\.problems) }

    /// The runbook files a path stands for: a file itself, or the `.yaml`/`.yml` files directly
    /// in a folder (not its subfolders, where drills live), sorted by name.
    /// A missing path is reported where it is `declaredAt` (its line in the site config).
    public static func files(at path: String, declaredAt: SourceLocation? = nil) throws(ConfigDiagnostic) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            guard let declaredAt else { throw ConfigDiagnostic(file: path, "no such runbook file or folder") }
            throw ConfigDiagnostic(at: declaredAt, "no such runbook file or folder: \(path)")
        }
        guard isFolder.boolValue else { return [path] }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            throw ConfigDiagnostic(file: path, "cannot list the folder (permission denied?)")
        }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { path.hasSuffix("/") ? path + $0 : "\(path)/\($0)" }
    }

    /// Loads every runbook under `paths` (`declaredAt` says where the config names each). A
    /// runbook id used twice breaks the later file.
    public static func load(paths: [String], declaredAt: [String: SourceLocation] = [:], context: RunbookContext) -> RunbookLibrary {
        let loader = RunbookLoader(context: context)
        var library = RunbookLibrary()
        var firstFile: [String: String] = [:]
        for path in paths {
            let files: [String]
            do { files = try Self.files(at: path, declaredAt: declaredAt[path]) } catch {
                library.broken.append(BrokenRunbook(file: path, problems: [error]))
                continue
            }
            for file in files {
                let text: String
                switch RegularFile.read(file) {
                case .success(let data): text = String(decoding: data, as: UTF8.self)
                case .failure(let problem):
                    library.broken.append(BrokenRunbook(file: file, problems: [ConfigDiagnostic(file: file, "cannot read the file: \(problem)")]))
                    continue
                }
                do {
                    let runbook = try loader.load(yaml: text, file: file)
                    if let first = firstFile[runbook.id] {
                        let named = Self.names(in: text, file: file)
                        library.broken.append(BrokenRunbook(
                            file: file, id: runbook.id, title: runbook.title,
                            problems: [ConfigDiagnostic(at: named.idLocation ?? SourceLocation(file: file, line: 1, column: 1),
                                                        "duplicate runbook id '\(runbook.id)' (also in \(first))")]))
                        continue
                    }
                    firstFile[runbook.id] = file
                    library.runbooks.append(runbook)
                } catch {
                    let named = Self.names(in: text, file: file)
                    library.broken.append(BrokenRunbook(file: file, id: named.id, title: named.title, problems: error.items))
                }
            }
        }
        return library
    }

    /// The id and title of a file that may not load, read as leniently as possible.
    private static func names(in text: String, file: String) -> (id: String?, title: String?, idLocation: SourceLocation?) {
        guard let node = try? Yams.compose(yaml: text), case .mapping(let mapping) = node else { return (nil, nil, nil) }
        let id = mapping["id"]
        return (id?.string.map(Sanitizer.line), mapping["title"]?.string.map(Sanitizer.line),
                id.map { ConfigNode($0, file: file).location })
    }
}

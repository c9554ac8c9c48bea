import Foundation
import SwitchboardCore

/// Where Switchboard keeps incidents: `--state-dir`, else `$SWITCHBOARD_STATE`, else
/// `$XDG_STATE_HOME/switchboard`, else `~/.local/state/switchboard`. The directory and its
/// `incidents/` folder are private to the user (0700); each log is 0600.
public struct StateDirectory: Sendable {
    public let path: String
    /// Which incidents: the real ones, or drills, which live apart (`drills/`) so that no live
    /// console ever follows an exercise and no exercise ever touches a real incident.
    public let collection: Collection

    public enum Collection: String, Sendable {
        case incidents
        case drills
    }

    public init(path: String, collection: Collection = .incidents) {
        self.path = path
        self.collection = collection
    }

    /// The same state directory's drills.
    public var drills: StateDirectory { StateDirectory(path: path, collection: .drills) }

    public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> StateDirectory {
        StateDirectory(path: locatePath(explicit: explicit, environment: environment))
    }

    private static func locatePath(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let state = environment["SWITCHBOARD_STATE"], !state.isEmpty { return state }
        if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty { return xdg + "/switchboard" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/state/switchboard"
    }

    /// `incidents/`, or `drills/`.
    public var incidentsPath: String { path + "/" + collection.rawValue }

    public func logPath(for incident: String) -> String { incidentsPath + "/\(incident).jsonl" }

    /// Creates the directories (0700) if needed and checks that a log can be written there;
    /// throws a `StoreError` saying why not.
    public func prepare() throws {
        for directory in [path, incidentsPath] {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else { throw StoreError("\(directory) is not a directory") }
                continue
            }
            var made = mkdir(directory, 0o700) == 0
            if !made, errno == ENOENT {
                // Parents as `mkdir -p` would make them; the state directory itself stays private.
                try? FileManager.default.createDirectory(atPath: (directory as NSString).deletingLastPathComponent,
                                                         withIntermediateDirectories: true)
                made = mkdir(directory, 0o700) == 0
            }
            guard made || errno == EEXIST else { throw StoreError.errno("cannot create the state directory", path: directory) }
        }
        guard access(incidentsPath, W_OK | X_OK) == 0 else {
            throw StoreError("cannot write to \(incidentsPath): \(String(cString: strerror(errno)))")
        }
    }

    /// The incidents on disk, newest first.
    public func incidentIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: incidentsPath)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.map { String($0.dropLast(6)) }.sorted(by: >)
    }
}

/// A problem with the state directory or a log file, in words for the person at the console.
public struct StoreError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    static func errno(_ what: String, path: String) -> StoreError {
        StoreError("\(what) \(path): \(String(cString: strerror(Glibc.errno)))")
    }
}

/// Opens a file that must be a regular file: never follows a symlink, never blocks on a FIFO or
/// a device (it is refused at once, with the path and what it is instead). `flags` are O_RDONLY,
/// O_RDWR…; `missing` is the error for a file that does not exist.
func openRegularFile(_ path: String, _ flags: Int32, missing: StoreError? = nil) throws -> Int32 {
    switch RegularFile.open(path, flags, followingLinks: false) {
    case .success(let descriptor): return descriptor
    case .failure(.missing): throw missing ?? StoreError("cannot open \(path): \(String(cString: strerror(ENOENT)))")
    case .failure(.notRegular(let kind)): throw StoreError("\(path) is \(kind), not a regular file")
    case .failure(.failed(let reason)): throw StoreError("cannot open \(path): \(reason)")
    }
}

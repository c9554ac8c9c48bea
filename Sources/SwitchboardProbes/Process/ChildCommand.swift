import Foundation
import Subprocess
import Synchronization
import SwitchboardCore
import SystemPackage

/// A command from the site config (`command:` as an argv array, never a shell; optional `env:`
/// and `cwd:`) and the one way Switchboard runs it: in a process group of its own, marked as a
/// run of this process's lineage, so that stopping it stops everything it started.
///
/// When the running task is cancelled (a timeout, the console quitting) the whole group gets
/// SIGTERM and, after a grace period, SIGKILL. Whatever is left of the group when the command
/// ends is killed too, and so is what left the group (`ProcessLineage`), so a wrapper script's
/// forgotten children and a daemonizing plugin never outlive it.
struct ChildCommand: Sendable {
    static let optionKeys = ["command", "env", "cwd"]
    /// Between SIGTERM and SIGKILL when a command is stopped.
    static let gracePeriod = Duration.seconds(1)

    let argv: [String]
    let environment: [String: String]
    let workingDirectory: String?

    var program: String { argv[0] }

    /// Reads `command:`, `env:` and `cwd:`, failing with the position of a bad one.
    init(options: ConfigMapping) throws {
        let commandNode = try options.required("command")
        argv = try commandNode.sequence("the command as a list: [program, arg, ...]").map { try $0.string("an argument") }
        guard let program = argv.first, !program.isEmpty else {
            throw commandNode.error("expected the command as a list: [program, arg, ...], got an empty list")
        }
        var environment: [String: String] = [:]
        for entry in try options["env"]?.mapping("a mapping of environment variables").entries ?? [] {
            environment[entry.key] = try entry.value.string("a value")
        }
        self.environment = environment
        workingDirectory = try options["cwd"]?.string("a directory")
    }

    /// What `run` found.
    struct Outcome<Value> {
        var value: Value
        var exit: PluginExit
    }

    /// Starts the command with standard output and error as byte streams and hands them to
    /// `body`; returns what `body` returned and how the command ended. Throws if the command
    /// could not be started (the message names the program and the reason).
    func run<Value: Sendable>(
        _ body: @escaping @Sendable (_ output: SubprocessOutputSequence, _ errors: SubprocessOutputSequence) async throws -> Value
    ) async throws -> Outcome<Value> {
        if let problem = Self.cannotRun(program) {
            throw ChildCommandError(message: "cannot run \(program): \(problem)")
        }
        var platform = PlatformOptions()
        platform.processGroupID = 0 // a group of its own, led by the command
        let group = Mutex<pid_t?>(nil)
        let run = ProcessLineage.beginRun()
        defer {
            if let leader = group.withLock({ $0 }) { killpg(leader, SIGKILL) } // leftovers in the group
            ProcessLineage.ended(run) // and those that left it
        }
        var environment = self.environment
        environment[ProcessLineage.variable] = ProcessLineage.mark(of: run)
        do {
            let result = try await withTaskCancellationHandler {
                try await Subprocess.run(
                    program.contains("/") ? .path(FilePath(program)) : .name(program),
                    arguments: Arguments(Array(argv.dropFirst())),
                    environment: .inherit.updating(Dictionary(uniqueKeysWithValues: environment.map {
                        (Environment.Key(stringLiteral: $0.key), Optional($0.value))
                    })),
                    workingDirectory: workingDirectory.map { FilePath($0) },
                    platformOptions: platform,
                    input: .none,
                    output: .sequence,
                    error: .sequence
                ) { execution in
                    group.withLock { $0 = execution.processIdentifier.value }
                    return try await body(execution.standardOutput, execution.standardError)
                }
            } onCancel: {
                if let leader = group.withLock({ $0 }) { Self.stop(group: leader, run: run) }
            }
            let exit: PluginExit = switch result.terminationStatus {
            case .exited(let code): .exited(code)
            case .signaled(let signal): .signaled(signal)
            }
            return Outcome(value: result.closureResult, exit: exit)
        } catch let error as ChildCommandError {
            throw error
        } catch {
            throw ChildCommandError(message: "cannot run \(program): \(error)")
        }
    }

    /// Reads a stream to its end, keeping at most `limit` bytes. Reading goes on past the limit
    /// so a chatty command never blocks on a full pipe.
    static func collect(_ stream: SubprocessOutputSequence, limit: Int) async throws -> (bytes: [UInt8], truncated: Bool) {
        var kept: [UInt8] = []
        var truncated = false
        for try await buffer in stream {
            let room = limit - kept.count
            if room <= 0 {
                truncated = truncated || !buffer.isEmpty
                continue
            }
            buffer.withUnsafeBytes { bytes in
                kept.append(contentsOf: bytes.prefix(room))
                if bytes.count > room { truncated = true }
            }
        }
        return (kept, truncated)
    }

    /// SIGTERM to the whole group now, SIGKILL after the grace period, to it and to every
    /// process of the run that left the group.
    private static func stop(group leader: pid_t, run: Int) {
        killpg(leader, SIGTERM)
        Task.detached {
            try? await Task.sleep(for: gracePeriod)
            killpg(leader, SIGKILL)
            ProcessLineage.killRun(run)
        }
    }

    /// Why a program cannot be started, or nil if it looks runnable.
    static func cannotRun(_ program: String) -> String? {
        let candidates: [String]
        if program.contains("/") {
            candidates = [program]
        } else {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            candidates = path.split(separator: ":").map { "\($0)/\(program)" }
        }
        var sawFile = false
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            sawFile = true
            if access(candidate, X_OK) == 0 { return nil }
        }
        if sawFile { return "not executable" }
        return program.contains("/") ? "no such file" : "not found on PATH"
    }
}

/// A command that could not be started, with a message naming the program and why.
struct ChildCommandError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

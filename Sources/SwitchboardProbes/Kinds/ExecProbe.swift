import Foundation
import Subprocess
import Synchronization
import SwitchboardCore
import SystemPackage

/// `kind: exec`: any monitoring-plugins check, run as an argv array (never through a shell).
///
/// The exit code decides the state (0 ok, 1 warning, 2 critical, 3 unknown; anything else or a
/// signal is unknown with the reason) and standard output is parsed by the plugin contract (text,
/// long text, performance data). The check runs in a process group of its own: when the
/// scheduler's timeout cancels it, the whole group gets SIGTERM and, after a grace period,
/// SIGKILL, so a wrapper script's children go too; after every run whatever is left of the group
/// is killed. Output beyond 64 KiB is read and dropped, never kept.
///
/// ```yaml
/// - id: isp-a
///   pane: network
///   kind: exec
///   command: [/usr/lib/nagios/plugins/check_ping, -H, 192.0.2.1, -w, "100,20%", -c, "500,60%"]
///   env: {LC_ALL: C}          # optional, added to the console's environment
///   cwd: /var/tmp             # optional working directory
/// ```
public final class ExecProbe: Probe {
    public static let kind = "exec"
    public static let optionKeys = ["command", "env", "cwd"]

    /// Standard output kept for parsing; the rest is drained and dropped.
    static let outputLimit = 64 * 1024
    /// Standard error kept for the detail view.
    static let errorLimit = 4 * 1024
    /// Between SIGTERM and SIGKILL when a check is stopped.
    static let gracePeriod = Duration.seconds(1)

    let command: [String]
    let environment: [String: String]
    let workingDirectory: String?

    public init(spec: ProbeSpec, options: ConfigMapping) throws {
        let commandNode = try options.required("command")
        command = try commandNode.sequence("the command as a list: [program, arg, ...]").map { try $0.string("an argument") }
        guard let program = command.first, !program.isEmpty else {
            throw commandNode.error("expected the command as a list: [program, arg, ...], got an empty list")
        }
        var environment: [String: String] = [:]
        for entry in try options["env"]?.mapping("a mapping of environment variables").entries ?? [] {
            environment[entry.key] = try entry.value.string("a value")
        }
        self.environment = environment
        workingDirectory = try options["cwd"]?.string("a directory")
    }

    public func observe() async -> ProbeObservation {
        let program = command[0]
        if let problem = Self.cannotRun(program) {
            return ProbeObservation(status: .unknown, summary: "cannot run \(program): \(problem)")
        }
        var platform = PlatformOptions()
        platform.processGroupID = 0 // a group of its own, led by the check
        let group = Mutex<pid_t?>(nil)
        do {
            let result = try await withTaskCancellationHandler {
                try await run(
                    program.contains("/") ? .path(FilePath(program)) : .name(program),
                    arguments: Arguments(Array(command.dropFirst())),
                    environment: .inherit.updating(Dictionary(uniqueKeysWithValues: environment.map { (.init(stringLiteral: $0.key), Optional($0.value)) })),
                    workingDirectory: workingDirectory.map { FilePath($0) },
                    platformOptions: platform,
                    input: .none,
                    output: .sequence,
                    error: .sequence
                ) { execution in
                    group.withLock { $0 = execution.processIdentifier.value }
                    async let errors = Self.collect(execution.standardError, limit: Self.errorLimit)
                    let output = try await Self.collect(execution.standardOutput, limit: Self.outputLimit)
                    return (output, try await errors)
                }
            } onCancel: {
                if let leader = group.withLock({ $0 }) { Self.stop(group: leader) }
            }
            if let leader = group.withLock({ $0 }) { killpg(leader, SIGKILL) } // leftovers of a finished check
            let ((stdout, stdoutTruncated), (stderr, _)) = result.closureResult
            let exit: PluginExit = switch result.terminationStatus {
            case .exited(let code): .exited(code)
            case .signaled(let signal): .signaled(signal)
            }
            var observation = PluginOutput(parsing: Sanitizer.decode(stdout)).observation(exit: exit)
            if stdoutTruncated {
                observation.details += "\n[output truncated at \(Self.outputLimit / 1024) KiB]"
            }
            let errorText = Sanitizer.decode(stderr).trimmingCharacters(in: .whitespacesAndNewlines)
            if !errorText.isEmpty {
                observation.details += (observation.details.isEmpty ? "" : "\n") + "stderr: " + errorText
            }
            return observation
        } catch {
            if let leader = group.withLock({ $0 }) { killpg(leader, SIGKILL) }
            return ProbeObservation(status: .unknown, summary: "cannot run \(program): \(error)")
        }
    }

    /// Reads a stream to its end, keeping at most `limit` bytes. Reading goes on past the limit
    /// so a chatty check never blocks on a full pipe.
    private static func collect(_ stream: SubprocessOutputSequence, limit: Int) async throws -> ([UInt8], truncated: Bool) {
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

    /// SIGTERM to the whole group now, SIGKILL after the grace period.
    private static func stop(group leader: pid_t) {
        killpg(leader, SIGTERM)
        Task.detached {
            try? await Task.sleep(for: gracePeriod)
            killpg(leader, SIGKILL)
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

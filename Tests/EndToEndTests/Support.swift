import Foundation
import Testing

/// The `switchboard` binary under test: `$SWITCHBOARD_BIN`, else the one SwiftPM built beside
/// the test bundle.
enum Binary {
    static let path: String = {
        if let explicit = ProcessInfo.processInfo.environment["SWITCHBOARD_BIN"], !explicit.isEmpty { return explicit }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("switchboard").path
    }()
}

/// A scratch directory removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("sb-test-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ contents: String) throws -> String {
        let file = "\(path)/\(name)"
        try contents.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion with a clean environment (plus `environment`) in `directory`.
func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
         environment: [String: String] = [:]) throws -> CommandResult {
    try SpawnedCommand(executable, arguments, in: directory, environment: environment).wait()
}

/// A program started with a clean environment (plus `environment`) in `directory`, its output
/// going to files, to be waited for (or killed) by the test.
///
/// Spawned with `posix_spawn` and reaped with `waitpid`: `tmux new-session` leaves a server
/// running that inherits the parent's descriptors, so neither pipes nor Foundation's `Process`
/// (which watches a socket the server would hold open) ever see it finish.
final class SpawnedCommand {
    let pid: pid_t
    private let outPath: String
    private let errPath: String
    /// The raw wait status, once reaped.
    private var waitStatus: Int32?

    init(_ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws {
        let inherited = ProcessInfo.processInfo.environment
        var variables = ["PATH": inherited["PATH"] ?? "/usr/bin:/bin", "HOME": inherited["HOME"] ?? "/tmp", "LANG": "C.UTF-8"]
        // No stray config from the machine: the config home is the test's own directory unless a test sets one.
        variables["XDG_CONFIG_HOME"] = directory ?? "/nonexistent"
        variables.merge(environment) { $1 }
        let argv = ["/usr/bin/env", "-i"] + (directory.map { ["-C", $0] } ?? [])
            + variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + [executable] + arguments

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sb-run-\(UUID().uuidString)").path
        outPath = scratch + ".out"
        errPath = scratch + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else {
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
    }

    deinit {
        if waitStatus == nil {
            kill(pid, SIGKILL)
            _ = wait()
        }
        unlink(outPath)
        unlink(errPath)
    }

    /// Waits for the program to end; its exit status (128 + N when killed by signal N) and output.
    func wait() -> CommandResult {
        if waitStatus == nil {
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0, errno == EINTR {}
            waitStatus = raw
        }
        let status = waitStatus ?? 0
        let exitStatus = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let stdout = FileManager.default.contents(atPath: outPath) ?? Data()
        let stderr = FileManager.default.contents(atPath: errPath) ?? Data()
        return CommandResult(status: exitStatus, stdout: String(decoding: stdout, as: UTF8.self),
                             stderr: String(decoding: stderr, as: UTF8.self))
    }
}

struct SpawnError: Error, CustomStringConvertible {
    var description: String
}

func switchboard(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> CommandResult {
    try run(Binary.path, arguments, in: directory, environment: environment)
}

/// A tmux server of the test's own (its own socket), running a plain shell in one pane of a
/// fixed size. Tests type into it and read the screen back, as a person would.
final class TmuxSession {
    /// The server's socket, removed with the session (tmux leaves it behind after kill-server).
    let socket = FileManager.default.temporaryDirectory.appendingPathComponent("sb-e2e-\(UUID().uuidString.prefix(8)).sock").path
    static let tmux = "/usr/bin/tmux"

    init(width: Int, height: Int, directory: String) throws {
        let shellEnvironment = [
            "env", "-i", "HOME=\(directory)", "PATH=\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")",
            "TERM=xterm-256color", "LANG=C.UTF-8", "XDG_CONFIG_HOME=\(directory)", "PS1=READY$ ",
            "/bin/bash", "--norc", "--noprofile",
        ]
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "\(width)", "-y", "\(height)",
                  "-c", directory] + shellEnvironment)
        try tmux(["set-option", "-g", "status", "off"])
        serverPID = Int32(try tmux(["display-message", "-p", "#{pid}"]).trimmingCharacters(in: .whitespacesAndNewlines))
        try waitFor("the shell prompt") { $0.contains("READY$") }
    }

    /// The tmux server's process, killed by pid when the session ends: kill-server alone has
    /// been seen to leave servers running.
    private var serverPID: Int32?

    deinit {
        _ = try? tmux(["kill-server"])
        killServer()
        unlink(socket)
    }

    /// Kills the tmux server outright, as when an SSH connection drops: the terminal the
    /// console runs in hangs up.
    func killServer() {
        if let serverPID {
            kill(serverPID, SIGKILL)
        }
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let result = try run(Self.tmux, ["-S", socket] + arguments)
        guard result.status == 0 else {
            throw TmuxError(description: "tmux \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result.stdout
    }

    struct TmuxError: Error, CustomStringConvertible {
        var description: String
    }

    /// Types a line into the shell and presses Enter.
    func type(_ line: String) throws {
        try tmux(["send-keys", "-t", "e2e", "-l", line])
        try tmux(["send-keys", "-t", "e2e", "Enter"])
    }

    /// Pastes `text` as a terminal does, bracketed when the program asked for it.
    func paste(_ text: String) throws {
        try tmux(["set-buffer", "-b", "e2e-paste", "--", text])
        try tmux(["paste-buffer", "-p", "-d", "-b", "e2e-paste", "-t", "e2e"])
    }

    /// Presses keys by tmux name (`Tab`, `Enter`, `Escape`, `C-c`, `q`).
    func press(_ keys: String...) throws {
        try tmux(["send-keys", "-t", "e2e"] + keys)
    }

    func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", "e2e"])
    }

    /// The screen with colour and attribute escapes, as tmux keeps it.
    func screenWithAttributes() throws -> String {
        try tmux(["capture-pane", "-p", "-e", "-t", "e2e"])
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", "e2e", "-x", "\(width)", "-y", "\(height)"])
    }

    /// A tmux format value for the pane, such as `#{alternate_on}` or `#{pane_title}`.
    func paneValue(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", "e2e", format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The pid of the program the shell is running in the foreground, if any.
    func foregroundChild() throws -> Int32? {
        let shell = try paneValue("#{pane_pid}")
        let result = try run("/usr/bin/pgrep", ["-P", shell])
        return result.stdout.split(separator: "\n").first.flatMap { Int32($0) }
    }

    /// Polls the screen until `predicate` holds, or fails the test with the screen after `timeout`.
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(15), sourceLocation: SourceLocation = #_sourceLocation,
                 _ predicate: (String) -> Bool) throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var last = ""
        while clock.now < deadline {
            last = try screen()
            if predicate(last) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("timed out waiting for \(what); the screen was:\n\(last)", sourceLocation: sourceLocation)
        throw TmuxError(description: "timed out waiting for \(what)")
    }
}

/// Whether a process is gone (not running, and not a zombie waiting to be reaped).
func processIsGone(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return true }
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    return status.contains("State:\tZ")
}

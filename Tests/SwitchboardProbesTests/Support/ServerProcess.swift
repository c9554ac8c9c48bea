import Foundation

/// A server a test starts in the background: spawned with posix_spawn (Foundation's `Process`
/// reaps children itself and races with the probes' own child handling), its output kept in a
/// log file for failure messages, killed by pid and reaped when stopped or released. A server
/// that forks workers (Kamailio) runs in a process group of its own, killed as a whole.
final class ServerProcess {
    let pid: pid_t
    let logPath: String
    let ownGroup: Bool
    private var running = true

    init(_ argv: [String], environment: [String: String] = [:], logPath: String, ownGroup: Bool = false) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if ownGroup {
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, &cEnvironment)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        self.pid = pid
        self.logPath = logPath
        self.ownGroup = ownGroup
    }

    deinit {
        stop()
    }

    /// Kills the server and reaps it.
    func stop() {
        guard running else { return }
        running = false
        kill(ownGroup ? -pid : pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // Killed members go within milliseconds; this runs from deinit, so it cannot await.
        var waited = 0
        while ownGroup, waited < 250, !livingMembers(ofGroup: pid).isEmpty {
            usleep(20_000)
            waited += 1
        }
    }

    /// Waits for a command that ends by itself (openssl making a certificate); its exit status.
    func waitForExit() -> Int32 {
        guard running else { return -1 }
        running = false
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }

    /// The server's output so far, for failure messages.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}

/// Processes of a process group that still run (not exited and waiting to be reaped).
func livingMembers(ofGroup group: pid_t) -> [pid_t] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        return fields.count > 2 && fields[0] != "Z" && Int32(fields[2]) == group
    }
}

/// Whether something accepts TCP connections on the loopback port.
func acceptsConnections(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}

/// Whether an HTTP server on the loopback port answers `GET path` with 200: a server that
/// listens is not always ready (Prometheus answers 503 until its storage is open).
func answersOK(port: Int, path: String) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var timeout = timeval(tv_sec: 1, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
    let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
    guard connected, request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else { return false }
    var reply = [UInt8](repeating: 0, count: 64)
    let read = reply.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    guard read > 0 else { return false }
    return String(decoding: reply[..<read], as: UTF8.self).split(separator: " ").dropFirst().first == "200"
}

/// Whether `condition` holds within `seconds`, checking every 20 ms: a server takes a moment to
/// listen, a killed process a moment to be reaped. It sleeps by awaiting, never by holding a
/// thread: the concurrency pool has one thread per core, and a test blocking one of two starves
/// the tests beside it until their own deadlines pass.
func waitFor(seconds: Double, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

/// A fresh temporary directory, removed by the caller.
func makeTemporaryDirectory(_ prefix: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// `python3 -m http.server` serving `directory` on a free loopback port.
final class LocalHTTPServer {
    let port: Int
    private let process: ServerProcess

    init(directory: String = "/usr/share/doc") async throws {
        port = try freePort()
        process = try ServerProcess(
            ["/usr/bin/python3", "-m", "http.server", "--bind", "127.0.0.1", "\(port)", "--directory", directory],
            logPath: "/dev/null")
        guard await waitFor(seconds: 10, { acceptsConnections(port: port) }) else { throw POSIXError(.ETIMEDOUT) }
    }
}

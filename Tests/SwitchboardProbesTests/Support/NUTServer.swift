import Foundation

/// Network UPS Tools on loopback, as DESIGN.md describes: `dummy-ups` playing a `.seq` file behind
/// `upsd` on a free port. The UPS is `main`. The driver runs in dummy-once mode: it plays the file
/// to its end once, and again whenever `change(to:)` rewrites it, so a test moves the UPS from
/// state to state when it is ready instead of catching a state in a window of a looping sequence.
/// `stopDriver()` kills the driver so upsd answers `ERR DRIVER-NOT-CONNECTED`.
final class NUTServer {
    static let driverPath = "/lib/nut/dummy-ups"
    static let upsdPath = "/lib/nut/upsd"

    let port: Int
    let directory: URL
    private var driver: ServerProcess?
    private let upsd: ServerProcess
    private var changes = 0

    /// `sequence` is the `.seq` file: `var: value` lines, with `TIMER n` pauses if wanted.
    /// `pollInterval` (seconds) is how often the driver looks at the file; its default is 2.
    init(sequence: String, pollInterval: Int? = nil) async throws {
        port = try freePort()
        directory = try makeTemporaryDirectory("sb-nut")
        let run = directory.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        try "[main]\n  driver = dummy-ups\n  port = main.seq\n  mode = dummy-once\n  desc = \"test UPS\"\n\(pollInterval.map { "  pollinterval = \($0)\n" } ?? "")"
            .write(to: directory.appendingPathComponent("ups.conf"), atomically: true, encoding: .utf8)
        try sequence.write(to: directory.appendingPathComponent("main.seq"), atomically: true, encoding: .utf8)
        try "LISTEN 127.0.0.1 \(port)\n".write(to: directory.appendingPathComponent("upsd.conf"), atomically: true, encoding: .utf8)
        let users = directory.appendingPathComponent("upsd.users")
        try "".write(to: users, atomically: true, encoding: .utf8)
        chmod(users.path, 0o640)
        let environment = ["NUT_CONFPATH": directory.path, "NUT_STATEPATH": run.path, "NUT_ALTPIDPATH": run.path]
        let log = directory.appendingPathComponent("nut.log").path
        let user = getuid() == 0 ? ["-u", "root"] : []
        driver = try ServerProcess([Self.driverPath, "-a", "main"] + user + ["-F"], environment: environment, logPath: log)
        // The driver's socket appears in the state path once it has read the sequence.
        guard await waitFor(seconds: 10, {
            ((try? FileManager.default.contentsOfDirectory(atPath: run.path)) ?? []).contains { $0.hasPrefix("dummy-ups-main") }
        }) else { throw NUTServerError(message: "dummy-ups did not start", log: (try? String(contentsOfFile: log, encoding: .utf8)) ?? "") }
        upsd = try ServerProcess([Self.upsdPath] + user + ["-F"], environment: environment, logPath: log)
        guard await waitFor(seconds: 10, { acceptsConnections(port: port) }) else {
            throw NUTServerError(message: "upsd did not listen on \(port)", log: upsd.log)
        }
        // What answers must be this upsd, not another server on the port it could not take.
        guard !isGone(upsd.pid) else { throw NUTServerError(message: "upsd exited at start", log: upsd.log) }
    }

    deinit {
        driver?.stop()
        upsd.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Rewrites the driver's file; it plays it at its next poll, keeping the values the new text
    /// does not name. Each change is given a later modification time than the one before, so
    /// two changes within a second are both seen.
    func change(to sequence: String) throws {
        changes += 1
        let file = directory.appendingPathComponent("main.seq")
        try sequence.write(to: file, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(Double(changes))], ofItemAtPath: file.path)
    }

    /// The servers' output so far, for failure messages.
    var log: String { upsd.log }

    func stopDriver() {
        driver?.stop()
        driver = nil
    }
}

struct NUTServerError: Error, CustomStringConvertible {
    var message: String
    var log: String
    var description: String { "\(message)\n\(log)" }
}

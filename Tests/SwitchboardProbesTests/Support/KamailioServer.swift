import Foundation

/// Kamailio on loopback, as DESIGN.md describes, answering SIP OPTIONS over UDP and TCP on one
/// free port with the replies given (`[(200, "OK")]`, `[(503, "Service Unavailable")]`, or a
/// provisional `[(100, "Trying")]` and nothing after). It forks workers, so it runs in a process
/// group of its own and `stop()` (or release) kills the whole group.
final class KamailioServer {
    static let binary = "/usr/sbin/kamailio"
    static let modules = "/usr/lib/x86_64-linux-gnu/kamailio/modules"

    let port: Int
    let directory: URL
    private let process: ServerProcess

    /// Whether Kamailio is installed; the tests that need it say so when it is not.
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    init(replies: [(code: Int, reason: String)]) async throws {
        port = try freePort()
        directory = try makeTemporaryDirectory("sb-kamailio")
        let answers = replies.map { "        sl_send_reply(\"\($0.code)\", \"\($0.reason)\");" }.joined(separator: "\n")
        let config = """
            #!KAMAILIO
            debug=1
            log_stderror=yes
            children=1
            tcp_children=1
            listen=udp:127.0.0.1:\(port)
            listen=tcp:127.0.0.1:\(port)
            loadmodule "sl.so"
            loadmodule "pv.so"
            loadmodule "textops.so"
            request_route {
                if (is_method("OPTIONS")) {
            \(answers)
                    exit;
                }
                sl_send_reply("405", "Method Not Allowed");
            }

            """
        let configPath = directory.appendingPathComponent("kamailio.cfg").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        process = try ServerProcess(
            [Self.binary, "-f", configPath, "-L", Self.modules, "-DD", "-E", "-Y", directory.path, "-m", "32", "-M", "4"],
            logPath: directory.appendingPathComponent("kamailio.log").path, ownGroup: true)
        // The TCP listener opens after the UDP socket is bound, so once it accepts, both answer.
        guard await waitFor(seconds: 10, { acceptsConnections(port: port) }) else {
            let log = process.log
            process.stop()
            throw KamailioError(message: "kamailio did not listen on \(port)", log: log)
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Kills Kamailio and all its workers.
    func stop() {
        process.stop()
    }

    /// Kamailio's processes still running.
    var livingProcesses: [pid_t] { livingMembers(ofGroup: process.pid) }
}

struct KamailioError: Error, CustomStringConvertible {
    var message: String
    var log: String
    var description: String { "\(message)\n\(log)" }
}

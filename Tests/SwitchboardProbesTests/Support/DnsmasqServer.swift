import Foundation

/// dnsmasq on a free loopback port (UDP and TCP), with no upstream of its own unless given: it
/// answers from `--host-record`-style options and says NXDOMAIN for other names under `.test`
/// and REFUSED for names elsewhere. It runs in a process group of its own, killed as a whole
/// when released.
final class DnsmasqServer {
    static let binary = "/usr/sbin/dnsmasq"

    let port: Int
    private let process: ServerProcess
    private let logPath: String

    /// Whether dnsmasq is installed; the tests that need it say so when it is not.
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// `records` are dnsmasq options such as `--host-record=pbx.test,192.0.2.10`.
    init(_ records: [String]) async throws {
        port = try freePort()
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("sb-dnsmasq-\(UUID().uuidString).log").path
        let user = getuid() == 0 ? ["--user=root"] : []
        process = try ServerProcess(
            [Self.binary, "--keep-in-foreground", "--conf-file=/dev/null", "--port=\(port)", "--listen-address=127.0.0.1",
             "--bind-interfaces", "--no-resolv", "--no-hosts", "--pid-file=", "--log-facility=-", "--log-queries"] + user + records,
            logPath: logPath, ownGroup: true) // it forks a child per TCP connection
        guard await waitFor(seconds: 10, { acceptsConnections(port: port) }) else {
            throw DnsmasqError(message: "dnsmasq did not listen on \(port)", log: process.log)
        }
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(atPath: logPath)
    }

    var log: String { process.log }
}

struct DnsmasqError: Error, CustomStringConvertible {
    var message: String
    var log: String
    var description: String { "\(message)\n\(log)" }
}

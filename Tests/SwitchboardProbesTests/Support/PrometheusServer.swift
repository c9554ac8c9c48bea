import Foundation

/// A Prometheus server on a free loopback port that scrapes itself every second (job `self`),
/// its configuration and storage in a temporary directory removed with it. Stopped by pid.
final class PrometheusServer {
    static let binary = "/usr/bin/prometheus"

    let port: Int
    let directory: URL
    private let process: ServerProcess

    /// Whether Prometheus is installed; the tests that need it say so when it is not.
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    init() async throws {
        port = try freePort()
        directory = try makeTemporaryDirectory("sb-prometheus")
        let config = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: self
                static_configs:
                  - targets: ["127.0.0.1:\(port)"]

            """
        let configPath = directory.appendingPathComponent("prometheus.yml").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        process = try ServerProcess(
            [Self.binary, "--config.file=\(configPath)", "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
             "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn"],
            logPath: directory.appendingPathComponent("prometheus.log").path)
        // Listening comes before ready: until its storage is open, every query answers 503.
        guard await waitFor(seconds: 15, { answersOK(port: port, path: "/-/ready") }) else {
            let log = process.log
            process.stop()
            throw PrometheusError(message: "prometheus was not ready on \(port)", log: log)
        }
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    func stop() {
        process.stop()
    }

    var log: String { process.log }
}

struct PrometheusError: Error, CustomStringConvertible {
    var message: String
    var log: String
    var description: String { "\(message)\n\(log)" }
}

import Foundation
import SwitchboardCore
import SwitchboardStore

/// `switchboard-log-bench append N DIR`: appends N notes to a new incident in DIR, one fsync each,
/// and prints the latency of each append as percentiles.
/// `switchboard-log-bench generate N FILE`: writes a valid N-record log to FILE quickly (no fsync
/// per record), for `switchboard log verify` to be measured on.
/// `switchboard-log-bench verify BINARY FILE`: runs `BINARY log verify FILE` and prints its wall
/// time and peak resident memory (from wait4's rusage).
enum LogBenchmark {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch (arguments.first, arguments.count) {
        case ("append", 3): try append(count: try number(arguments[1]), directory: arguments[2])
        case ("generate", 3): try generate(count: try number(arguments[1]), path: arguments[2])
        case ("verify", 3): try verify(binary: arguments[1], path: arguments[2])
        default:
            FileHandle.standardError.write(Data("usage: switchboard-log-bench append N DIR | generate N FILE | verify BINARY FILE\n".utf8))
            exit(2)
        }
    }

    static func number(_ text: String) throws -> Int {
        guard let value = Int(text), value > 0 else { throw StoreError("not a positive number: \(text)") }
        return value
    }

    static func append(count: Int, directory: String) throws {
        let store = StateDirectory(path: directory)
        let (state, log) = try store.openIncident(title: "append benchmark", severity: .sev4, actor: "bench", at: Date())
        var latencies: [Duration] = []
        latencies.reserveCapacity(count)
        let clock = ContinuousClock()
        for number in 1...count {
            let entry = LogEntry.remark(.note, text: "benchmark note \(number): generator fuel at 80%, utility ETA 2 h",
                                        actor: "bench", role: "incident commander", at: Date())
            let start = clock.now
            _ = try log.append(entry)
            latencies.append(clock.now - start)
        }
        latencies.sort()
        func ms(_ fraction: Double) -> String {
            let duration = latencies[min(latencies.count - 1, Int(Double(latencies.count) * fraction))]
            return String(format: "%.2f ms", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000)
        }
        print("appended \(count) records to \(store.logPath(for: state.id)), one fsync each")
        print("append latency: p50 \(ms(0.5)) · p90 \(ms(0.9)) · p99 \(ms(0.99)) · max \(ms(1.0))")
    }

    static func generate(count: Int, path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else { throw StoreError("cannot create \(path)") }
        defer { try? handle.close() }
        let incident = "20261123-0000-verify-benchmark"
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        var prev = HashChain.genesis
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for seq in 1...count {
            let at = start.addingTimeInterval(Double(seq) / 10)
            let entry = seq == 1
                ? LogEntry(kind: LogKind.opened, actor: "bench", role: "incident commander", at: at,
                           fields: ["title": .string("verify benchmark"), "severity": .string("sev4")])
                : LogEntry.remark(.note, text: "benchmark note \(seq): generator fuel at 80%, utility ETA 2 h",
                                  actor: "bench", role: "incident commander", at: at)
            let (line, record) = HashChain.seal(entry, incident: incident, seq: seq, prev: prev)
            prev = record.hash
            buffer += line
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
        try handle.synchronize()
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("generated \(count) records, \(size / 1_048_576) MiB, at \(path)")
    }

    static func verify(binary: String, path: String) throws {
        var pid: pid_t = 0
        let argv = [binary, "log", "verify", path]
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let clock = ContinuousClock()
        let start = clock.now
        guard posix_spawn(&pid, binary, nil, nil, &cArguments, environ) == 0 else { throw StoreError("cannot run \(binary)") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "log verify: exit %d · %.2f s wall · %.2f s CPU · peak RSS %.1f MiB", (status >> 8) & 0xFF, seconds,
                     Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6,
                     Double(usage.ru_maxrss) / 1024))
    }
}

do {
    try LogBenchmark.main()
} catch {
    FileHandle.standardError.write(Data("switchboard-log-bench: \(error)\n".utf8))
    exit(1)
}

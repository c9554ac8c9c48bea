import Foundation
import SwitchboardConsole
import SwitchboardCore
import SwitchboardProbes
import SwitchboardStore

/// `switchboard-log-bench append N DIR`: appends N notes to a new incident in DIR, one fsync each,
/// and prints the latency of each append as percentiles.
/// `switchboard-log-bench generate N FILE`: writes a valid N-record log to FILE quickly (no fsync
/// per record), for `switchboard log verify` to be measured on.
/// `switchboard-log-bench verify BINARY FILE`: runs `openssl dgst -sha256 FILE`, `BINARY log verify
/// FILE` and `BINARY report FILE` in every format, five rounds of each, and prints their best and
/// median wall times against openssl's best, and their peak resident memory (from wait4's rusage).
/// `switchboard-log-bench journal PROBES HOURS RECORDS DIR`: an incident whose console read
/// PROBES probes (the demo site's kinds, over and over) every 10 s for HOURS hours while
/// RECORDS records were logged; prints the journal's size, how long it takes to read back and
/// fold (a restart) and to replay to its end, and how long review takes to open it and to
/// seek to instants all over it.
/// `switchboard-log-bench drill SPEED INJECTS`: how close to their scenario time injects fire
/// (DrillBenchmark.swift).
enum LogBenchmark {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch (arguments.first, arguments.count) {
        case ("append", 3): try append(count: try number(arguments[1]), directory: arguments[2])
        case ("generate", 3): try generate(count: try number(arguments[1]), path: arguments[2])
        case ("verify", 3): try verify(binary: arguments[1], path: arguments[2])
        case ("drill", 3): try drill(speed: try number(arguments[1]), injects: try number(arguments[2]))
        case ("journal", 5):
            try await journal(probes: try number(arguments[1]), hours: try number(arguments[2]), records: try number(arguments[3]),
                              directory: arguments[4])
        default:
            FileHandle.standardError.write(Data(
                "usage: switchboard-log-bench append N DIR | generate N FILE | verify BINARY FILE | journal PROBES HOURS RECORDS DIR | drill SPEED INJECTS\n".utf8))
            exit(2)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func journal(probes count: Int, hours: Int, records recordCount: Int, directory: String) async throws {
        let demo = try SiteConfigLoader(catalog: .builtIn).load(yaml: DemoSite.yaml, file: "demo", isDemo: true)
        let probes = (0..<count).map { index in
            let base = demo.probes[index % demo.probes.count]
            var spec = base.spec
            spec.id += "-\(index / demo.probes.count)"
            spec.interval = .seconds(10)
            return ConfiguredProbe(spec: spec, probe: base.probe)
        }
        let specs = probes.map(\.spec)
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let store = StateDirectory(path: directory)
        let (incident, log) = try store.openIncident(title: "journal benchmark", severity: .sev2, actor: "bench", at: start)
        var site = SiteState(siteName: "bench", isDemo: true, specs: specs, startedAt: start)
        let journal = try ReadingsJournalFile.create(in: store, header: JournalHeader(
            incident: incident.id, console: "bench", actor: "bench", host: "bench", pid: getpid(), started: start))
        journal.append(.snapshot(SiteSnapshot(site)))
        let clock = ContinuousClock()
        let writing = clock.now
        let rounds = hours * 3600 / 10
        for round in 0..<rounds {
            for (index, configured) in probes.enumerated() {
                // Spread over the 10 s as a scheduler's jitter spreads them.
                let at = start.addingTimeInterval(Double(round) * 10 + Double(index) * 10 / Double(count))
                guard let polled = configured.probe as? any Probe else { continue }
                let observation = configured.spec.thresholds.apply(to: await polled.observe(at: at))
                SiteReducer.reduce(&site, .probeResult(ProbeResult(probeID: configured.spec.id, observation: observation, at: at,
                                                                    duration: .milliseconds(Int64(3 + index % 40)))))
                if let applied = site.probe(configured.spec.id)?.latest { journal.append(.reading(applied)) }
            }
            if round % 6 == 5 { try journal.flush() }
            if round % 60 == 59, let seal = try journal.seal() { _ = try log.append(seal.entry(actor: "bench", at: site.now)) }
            // The records of the incident, spread over it: what the console logged of the probes'
            // changes, and notes for the rest.
            let due = (round + 1) * recordCount / rounds - round * recordCount / rounds
            let changes = SiteReducer.reduce(&site, .clock(site.now))
            for index in 0..<due {
                let entry = index < changes.count ? LogEntry.probeChanged(changes[index], actor: "bench", at: site.now)
                    : LogEntry.remark(.note, text: "round \(round): generator fuel 80%, utility ETA 2 h", actor: "bench",
                                      role: "incident commander", at: site.now)
                _ = try log.append(entry)
            }
        }
        if let seal = try journal.seal() { _ = try log.append(seal.entry(actor: "bench", at: site.now)) }
        let wrote = clock.now - writing
        let readings = journal.readings
        print(String(format: "journal: %d probes every 10 s for %d h: %d readings, %.1f MB (%.0f bytes a reading); budget 50 MB",
                     count, hours, readings, Double(journal.bytesWritten) / 1e6, Double(journal.bytesWritten) / Double(readings)))
        print(String(format: "journal: encoded and written in %.2f s (%.1f µs a reading, simulation included)",
                     seconds(wrote), seconds(wrote) / Double(readings) * 1e6))

        let reading = clock.now
        let contents = try JournalContents.read(journal.name, in: store)
        let read = clock.now - reading
        let restoring = clock.now
        _ = try JournalContents.finalSite(of: journal.name, in: store, siteName: "bench", isDemo: true, specs: specs)
        let restored = clock.now - restoring
        print(String(format: "journal: read back whole in %.2f s; folded line by line into the site a restarted console takes up, in %.2f s",
                     seconds(read), seconds(restored)))

        let replaying = clock.now
        let records = try store.records(of: incident.id)
        guard let replay = ConsoleReplay(records: records, journal: contents, siteName: "bench", isDemo: true, specs: specs,
                                         library: SiteLibrary(), size: .init(width: 120, height: 40)) else {
            throw StoreError("the journal does not replay")
        }
        var cursor = replay.start()
        cursor.advance(to: site.now)
        let replayed = clock.now - replaying
        let verifying = clock.now
        let verification = try IncidentVerification.verify(path: store.logPath(for: incident.id))
        let verified = clock.now - verifying
        print(String(format: "replay: the console's state at the end of the %d h, from the files, in %.2f s", hours, seconds(replayed)))
        print(String(format: "verify: log and journal checked in %.2f s: %@", seconds(verified),
                     verification.readings.isIntact ? "intact" : verification.readings.problems.joined(separator: "; ")))

        let opening = clock.now
        let view = ReviewView(theme: .make(color: true, unicode: true))
        var (review, loading) = try ReviewFiles.open(
            logPath: store.logPath(for: incident.id), site: ReviewFiles.Site(name: "bench", isDemo: true, specs: specs, library: SiteLibrary()),
            size: .init(width: 120, height: 40), asActor: nil, at: nil)
        _ = view.frame(review)
        let firstFrame = clock.now - opening
        // The readings are read on another thread while the reviewer looks at the start.
        let readingBehind = clock.now
        loading.run { review.loaded($0) }
        let readBehind = clock.now - readingBehind
        var generator = SystemRandomNumberGenerator()
        var seeks: [Duration] = []
        for _ in 0..<200 {
            let instant = review.start.addingTimeInterval(Double.random(in: 0...review.end.timeIntervalSince(review.start), using: &generator))
            let seeking = clock.now
            review.seek(to: instant)
            _ = view.frame(review)
            seeks.append(clock.now - seeking)
        }
        seeks.sort()
        print(String(format: "review: first frame (log verified and read, %d records) in %.2f s; budget 2 s", records.count, seconds(firstFrame)))
        print(String(format: "review: the readings read and keyframed behind it in %.2f s; the cursor goes as far as they are read", seconds(readBehind)))
        print(String(format: "review: seek and draw anywhere: median %.1f ms, p99 %.1f ms, max %.1f ms over %d instants; budget 100 ms",
                     seconds(seeks[seeks.count / 2]) * 1000, seconds(seeks[seeks.count * 99 / 100]) * 1000,
                     seconds(seeks[seeks.count - 1]) * 1000, seeks.count))
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

    /// Runs `argv` to the end; its wall time, CPU time, peak RSS and exit status.
    /// One run of a command: its wall and CPU time, peak memory and exit status.
    typealias Run = (wall: Double, cpu: Double, peakMiB: Double, status: Int32)

    static func measure(_ argv: [String]) throws -> Run {
        var pid: pid_t = 0
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        let clock = ContinuousClock()
        let start = clock.now
        guard posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ) == 0 else { throw StoreError("cannot run \(argv[0])") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        return (seconds(clock.now - start), cpu, Double(usage.ru_maxrss) / 1024, (status >> 8) & 0xFF)
    }

    /// `log verify` and `report` in every format on `path`, against `openssl dgst -sha256`
    /// hashing the same file (the budget: each within 3× of it). Each is run `rounds` times,
    /// interleaved, and its best and median wall time printed: one run on a shared machine can
    /// be off by half.
    static func verify(binary: String, path: String, rounds: Int = 5) throws {
        let formats = ["md", "html", "csv", "json", "ics214"]
        let commands: [(name: String, arguments: [String], output: String?)] =
            [("openssl dgst -sha256", ["/usr/bin/openssl", "dgst", "-sha256", path], nil), ("log verify", [binary, "log", "verify", path], nil)]
            + formats.map { format in
                let output = path + ".report." + format
                return ("report --format " + format, [binary, "report", path, "--format", format, "-o", output], output)
            }
        var runs = Array(repeating: [Run](), count: commands.count)
        var written = Array(repeating: 0, count: commands.count)
        for _ in 0..<rounds {
            for (index, command) in commands.enumerated() {
                runs[index].append(try measure(command.arguments))
                if let output = command.output {
                    written[index] = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
                    try? FileManager.default.removeItem(atPath: output)
                }
            }
        }
        func best(_ runs: [Run]) -> Run { runs.min { $0.wall < $1.wall }! }
        func median(_ runs: [Run]) -> Double { runs.map(\.wall).sorted()[runs.count / 2] }
        let openssl = best(runs[0])
        print(String(format: "openssl dgst -sha256 of the file: %.2f s wall (best of %d; median %.2f s)", openssl.wall, rounds, median(runs[0])))
        for index in commands.indices.dropFirst() {
            let run = best(runs[index])
            var line = String(format: "%@: exit %d · %.2f s wall (best of %d; median %.2f s) · %.1f× openssl (budget 3×) · %.2f s CPU · peak RSS %.1f MiB",
                              commands[index].name, runs[index].map(\.status).max()!, run.wall, rounds, median(runs[index]),
                              run.wall / max(0.001, openssl.wall), run.cpu, runs[index].map(\.peakMiB).max()!)
            if commands[index].output != nil { line += String(format: " · %.0f MB written", Double(written[index]) / 1e6) }
            print(line)
        }
    }
}

do {
    try await LogBenchmark.main()
} catch {
    FileHandle.standardError.write(Data("switchboard-log-bench: \(error)\n".utf8))
    exit(1)
}

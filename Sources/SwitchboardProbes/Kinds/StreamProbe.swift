import Foundation
import SwitchboardCore

/// `kind: stream`: a long-lived program, in any language, that prints one JSON observation per
/// line (see `StreamLine`) whenever it has news. It is started with the console, in a process
/// group of its own, and restarted with backoff when it ends.
///
/// One program may feed several probes: a line with `"id": "queue-sales"` goes to the probe
/// `queue-sales`, configured with `from:` naming the stream. The stream's own row shows the feed
/// itself: running (with how many lines it has sent), a bad line, or the program having ended.
///
/// ```yaml
/// - id: acd-feed
///   pane: agents
///   kind: stream
///   interval: 30s                 # expect a line at least this often; stale after twice this
///   command: [/usr/bin/python3, /opt/feeds/acd.py]
///   env: {ACD_URL: "http://acd.local"}   # optional, like exec
/// - id: queue-sales
///   pane: agents
///   kind: stream
///   from: acd-feed                # fed by acd-feed's lines with "id": "queue-sales"
/// ```
public final class StreamProbe: PushProbe {
    public static let kind = "stream"
    public static let optionKeys = ChildCommand.optionKeys + ["from", DeclaredMetrics.optionKey]

    /// A line longer than this is dropped (and reported), never kept.
    static let lineLimit = 64 * 1024
    /// Standard error kept to explain why the program ended.
    static let errorLimit = 4 * 1024
    /// Restart delays double from the first to the last; a run that lasted `steadyRun` resets them.
    static let firstRestartDelay = Duration.seconds(1)
    static let longestRestartDelay = Duration.seconds(60)
    static let steadyRun = Duration.seconds(60)

    private enum Source {
        case command(ChildCommand)
        case upstream(ProbeReference)
    }

    private let source: Source
    /// How often the feed's own row is refreshed while lines go to other probes.
    private let heartbeat: Duration
    /// What its lines (or the lines addressed to it) report, when the config says.
    public let declaredMetrics: DeclaredMetrics?

    public var upstream: ProbeReference? {
        if case .upstream(let reference) = source { return reference }
        return nil
    }

    public init(spec: ProbeSpec, options: ConfigMapping) throws {
        heartbeat = spec.interval
        declaredMetrics = try options[DeclaredMetrics.optionKey].map { try DeclaredMetrics.parse($0) }
        if let fromNode = options["from"] {
            if let extra = options.entries.first(where: { ChildCommand.optionKeys.contains($0.key) }) {
                throw extra.keyNode.error("'\(extra.key)' does not go with 'from': a probe fed from another stream runs no command")
            }
            source = .upstream(ProbeReference(id: try fromNode.string("the id of the stream probe feeding this one"),
                                              location: fromNode.location))
        } else {
            guard options["command"] != nil else {
                throw options.node.error("a stream probe needs 'command' (the program to run) or 'from' (the stream probe feeding it)")
            }
            source = .command(try ChildCommand(options: options))
        }
    }

    public func run(publish: @escaping @Sendable (PushedObservation) -> Void) async {
        guard case .command(let command) = source else { return }
        let clock = ContinuousClock()
        var delay = Self.firstRestartDelay
        while !Task.isCancelled {
            let started = clock.now
            var ending = await runOnce(command, publish: publish)
            guard !Task.isCancelled else { return }
            if started.duration(to: clock.now) >= Self.steadyRun { delay = Self.firstRestartDelay }
            ending.summary += "; restarting in \(delay.configText)"
            publish(PushedObservation(observation: ending))
            do { try await Task.sleep(for: delay) } catch { return }
            delay = min(delay * 2, Self.longestRestartDelay)
        }
    }

    /// Runs the program once, publishing its lines; returns what to show when it has ended.
    private func runOnce(_ command: ChildCommand, publish: @escaping @Sendable (PushedObservation) -> Void) async -> ProbeObservation {
        let heartbeat = self.heartbeat
        do {
            let outcome = try await command.run { output, errors in
                async let errorBytes = ChildCommand.collect(errors, limit: Self.errorLimit)
                var feed = FeedProgress(heartbeat: heartbeat)
                var splitter = LineSplitter(limit: Self.lineLimit)
                for try await buffer in output {
                    let lines = buffer.withUnsafeBytes { splitter.feed($0) }
                    for line in lines {
                        for observation in feed.observations(for: line) { publish(observation) }
                    }
                }
                return (lines: feed.lineCount, errors: try await errorBytes.bytes)
            }
            let how = switch outcome.exit {
            case .exited(0): "the stream ended"
            case .exited(let code): "the stream exited with status \(code)"
            case .signaled(let signal): "the stream was killed by signal \(signal)"
            }
            let errorText = Sanitizer.decode(outcome.value.errors).trimmingCharacters(in: .whitespacesAndNewlines)
            return ProbeObservation(
                status: .unknown, summary: "\(how) after \(outcome.value.lines) line\(outcome.value.lines == 1 ? "" : "s")",
                details: errorText.isEmpty ? "" : "stderr: " + errorText)
        } catch {
            return ProbeObservation(status: .unknown, summary: "\(error)")
        }
    }
}

/// What one run of a stream has sent so far, and what to publish for each new line: the line's
/// observation, a bad-line report for the feed's own row, and now and then (at most once per
/// heartbeat) a "running" observation for the feed's own row while lines go to other probes.
private struct FeedProgress {
    let heartbeat: Duration
    private(set) var lineCount = 0
    private var fedIDs: [String] = []
    private var lastHeartbeat: ContinuousClock.Instant?

    init(heartbeat: Duration) {
        self.heartbeat = heartbeat
    }

    mutating func observations(for line: LineSplitter.Line) -> [PushedObservation] {
        let parsed: Result<PushedObservation, StreamLineError>
        switch line {
        case .complete(let bytes):
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return [] } // blank lines are allowed
            parsed = StreamLine.parse(bytes)
        case .overlong:
            parsed = .failure(StreamLineError("a line longer than \(StreamProbe.lineLimit / 1024) KiB was dropped"))
        }
        switch parsed {
        case .failure(let problem):
            return [PushedObservation(observation: ProbeObservation(status: .unknown, summary: "bad line from the stream: \(problem)"))]
        case .success(let pushed):
            lineCount += 1
            guard let id = pushed.probeID else { return [pushed] }
            if !fedIDs.contains(id) { fedIDs.append(id) }
            let now = ContinuousClock.now
            guard lastHeartbeat.map({ $0.duration(to: now) >= heartbeat }) ?? true else { return [pushed] }
            lastHeartbeat = now
            let running = ProbeObservation(
                status: .ok, summary: "running · \(lineCount) line\(lineCount == 1 ? "" : "s") for \(fedIDs.joined(separator: ", "))")
            return [pushed, PushedObservation(observation: running)]
        }
    }
}

/// Splits a byte stream into lines, holding at most `limit` bytes of an unfinished line; the
/// rest of a longer line is skipped and reported once as overlong.
struct LineSplitter {
    enum Line: Equatable {
        case complete([UInt8])
        case overlong
    }

    let limit: Int
    private var pending: [UInt8] = []
    private var skipping = false

    init(limit: Int) {
        self.limit = limit
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> [Line] {
        var lines: [Line] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let newline = bytes[start...].firstIndex(of: 0x0A)
            let end = newline ?? bytes.endIndex
            if !skipping {
                if pending.count + (end - start) > limit {
                    skipping = true
                    pending.removeAll()
                    lines.append(.overlong)
                } else {
                    pending.append(contentsOf: bytes[start..<end])
                }
            }
            guard let newline else { break }
            if !skipping { lines.append(.complete(pending)) }
            pending.removeAll(keepingCapacity: true)
            skipping = false
            start = newline + 1
        }
        return lines
    }
}

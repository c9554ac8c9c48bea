import Foundation
import NIOCore
import SwitchboardCore

/// `kind: tcp`: how long a TCP connection to HOST:PORT takes, optionally sending a few bytes and
/// expecting text in the reply (a banner, a health answer).
///
/// The `connect` metric is the time to establish the connection; with `send` or `expect`, `time`
/// is the whole exchange. A refused connection, none within the budget, or a peer that stays
/// silent when a reply is expected is critical; a reply without the expected text is a warning
/// (something answers, but not what should), as `check_tcp` has it.
///
/// ```yaml
/// - id: acd-cti
///   pane: agents
///   kind: tcp
///   target: acd.example.net:5038   # HOST:PORT
///   send: "Action: Ping\r\n\r\n"    # optional; YAML double quotes give \r \n
///   expect: "Response: Success"     # optional: text the reply must contain
///   warn: "connect=50"
/// ```
public struct TCPProbe: Probe {
    public static let kind = "tcp"
    public static let optionKeys = ["target", "send", "expect"]

    /// How much of a reply is searched for `expect`.
    static let replyLimit = 64 * 1024

    let endpoint: Endpoint
    let send: [UInt8]?
    let expect: [UInt8]?
    let timeout: Duration

    public var declaredMetrics: DeclaredMetrics? {
        DeclaredMetrics([("connect", .number(unit: "ms")), ("time", .number(unit: "ms"))], complete: true)
    }

    public init(spec: ProbeSpec, options: ConfigMapping) throws {
        endpoint = try options.required("target").endpoint(defaultPort: nil, example: "pbx.example.net:5038")
        send = try options["send"].map { Array(try $0.string("text to send").utf8) }
        if let expectNode = options["expect"] {
            let text = try expectNode.string("text the reply must contain")
            guard !text.isEmpty else { throw expectNode.error("expected text the reply must contain, got an empty string") }
            expect = Array(text.utf8)
        } else {
            expect = nil
        }
        timeout = spec.timeout
    }

    enum Step: Sendable, Equatable {
        case connecting
        case connected(Duration)
        case replying(Duration, received: [UInt8])
    }

    public func observe(at _: Date) async -> ProbeObservation {
        let budget = ProbeBudget(timeout: timeout)
        let progress = ProbeProgress(Step.connecting)
        let peer = "\(endpoint)"
        do {
            return try await budget.run { try await exchange(budget: budget, progress: progress) }
        } catch is BudgetExceeded {
            let waited = budget.length.shortText
            switch progress.current {
            case .connecting:
                return ProbeObservation(status: .critical, summary: "\(peer): no connection in \(waited)")
            case .connected(let connect):
                return ProbeObservation(status: .critical, summary: "\(peer) accepted the connection but sent no reply in \(waited)",
                                        metrics: [Self.metric("connect", connect)])
            case .replying(let connect, let received):
                return mismatch(received: received, connect: connect, total: budget.elapsed, why: "in \(waited)")
            }
        } catch {
            let failure = NetworkFailure(error)
            switch (failure, progress.current) {
            case (.closed, .connected(let connect)), (.reset, .connected(let connect)):
                return ProbeObservation(status: .critical, summary: "\(peer) closed the connection without a reply",
                                        metrics: [Self.metric("connect", connect)])
            case (.closed, .replying(let connect, let received)), (.reset, .replying(let connect, let received)):
                return mismatch(received: received, connect: connect, total: budget.elapsed, why: "before the connection closed")
            default:
                return ProbeObservation(status: .critical, summary: "\(peer): \(failure)")
            }
        }
    }

    private func exchange(budget: ProbeBudget, progress: ProbeProgress<Step>) async throws -> ProbeObservation {
        let started = ContinuousClock.now
        let connection = try await TCPClient.connect(to: endpoint, budget: budget)
        let connect = started.duration(to: .now)
        progress.reached(.connected(connect))
        return try await connection.executeThenClose { inbound, outbound in
            if let send {
                do {
                    try await outbound.write(ByteBuffer(bytes: send))
                } catch where expect != nil {
                    // The peer may have answered and closed before the text went out: read what it said.
                }
            }
            guard let expect else {
                var metrics = [Self.metric("connect", connect)]
                var summary = "connected in \(connect.shortText)"
                if let send {
                    metrics.append(Self.metric("time", started.duration(to: .now)))
                    summary += " · sent \(send.count) byte\(send.count == 1 ? "" : "s")"
                }
                return ProbeObservation(status: .ok, summary: summary, metrics: metrics)
            }
            var received: [UInt8] = []
            for try await buffer in inbound {
                // Only the new bytes, and the end of the old ones the expected text may straddle, are searched.
                let searchFrom = max(0, received.count - expect.count + 1)
                received += buffer.readableBytesView.prefix(Self.replyLimit - received.count)
                progress.reached(.replying(connect, received: Array(received.prefix(256))))
                if Self.contains(received, expect, from: searchFrom) {
                    let total = started.duration(to: .now)
                    return ProbeObservation(status: .ok, summary: "connected in \(connect.shortText) · reply as expected in \(total.shortText)",
                                            metrics: [Self.metric("connect", connect), Self.metric("time", total)])
                }
                if received.count >= Self.replyLimit {
                    return mismatch(received: received, connect: connect, total: started.duration(to: .now),
                                    why: "in its first \(Self.replyLimit / 1024) KiB")
                }
            }
            throw NetworkFailure.closed
        }
    }

    private func mismatch(received: [UInt8], connect: Duration, total: Duration, why: String) -> ProbeObservation {
        let expected = String(decoding: expect ?? [], as: UTF8.self)
        return ProbeObservation(
            status: .warning,
            summary: "\(endpoint) replied without '\(SummaryText.oneLine(expected, limit: 40))' \(why): '\(SummaryText.oneLine(String(decoding: received, as: UTF8.self), limit: 60))'",
            metrics: [Self.metric("connect", connect), Self.metric("time", total)])
    }

    static func metric(_ name: String, _ duration: Duration) -> Metric {
        Metric(name: name, value: .number(duration.milliseconds, unit: "ms"))
    }

    /// Whether `needle` occurs in `haystack`, starting at or after `from`.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8], from: Int = 0) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count - needle.count >= from else { return false }
        return (from...(haystack.count - needle.count)).contains { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}

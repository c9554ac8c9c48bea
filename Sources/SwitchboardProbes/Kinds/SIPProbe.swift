import Foundation
import NIOCore
import SwitchboardCore

/// `kind: sip`: an OPTIONS "ping" to a SIP server (a PBX, an SBC, a carrier's trunk), over UDP or
/// TCP, spoken natively.
///
/// Over UDP the request is retransmitted 0.5, 1 and 2 s apart (then every 4 s), as RFC 3261's
/// timer A does, until a final answer or the budget ends; over TCP it is sent once. A reply counts
/// only when its top Via branch, Call-ID and CSeq match the request. The round-trip time (from
/// the first transmission) is the `rtt` metric, the status code the `code` metric.
///
/// 2xx is ok; a code listed in `accept:` is ok too; 503 and other server failures are critical;
/// 401, 403, 404, 405, 407, 501 and other answers are a warning ("alive, but 404 Not Found"). No
/// answer, an ICMP port unreachable, or a refused TCP connection is critical.
///
/// ```yaml
/// - id: trunk-a
///   pane: telephony
///   kind: sip
///   target: sip:ping@sbc.example.net:5060   # or host[:port]; port 5060 by default
///   transport: udp                          # udp (default) or tcp
///   accept: [404]                           # answers that count as ok here
///   warn: "rtt=150"
/// ```
public struct SIPProbe: Probe {
    public static let kind = "sip"
    public static let optionKeys = ["target", "transport", "accept"]

    /// A UDP reply, or a TCP message, larger than this is not an answer to OPTIONS.
    static let messageLimit = 64 * 1024

    let target: SIPTarget
    let transport: SIPTransport
    let accepted: Set<Int>
    let timeout: Duration

    public var declaredMetrics: DeclaredMetrics? {
        DeclaredMetrics([("rtt", .number(unit: "ms")), ("code", .number(unit: ""))], complete: true)
    }

    public init(spec: ProbeSpec, options: ConfigMapping) throws {
        let targetNode = try options.required("target")
        let text = try targetNode.string("a SIP address such as sip:pbx.example.net:5060")
        do {
            target = try SIPTarget(parsing: text)
        } catch {
            throw targetNode.error("expected a SIP address such as sip:pbx.example.net:5060, got '\(text)': \(error)")
        }
        if let transportNode = options["transport"] {
            let name = try transportNode.string("udp or tcp")
            guard let chosen = SIPTransport(rawValue: name.lowercased()) else {
                throw transportNode.error("expected udp or tcp, got '\(name)'")
            }
            if let inURI = target.transport, inURI != chosen {
                throw transportNode.error("transport \(chosen.rawValue) contradicts ';transport=\(inURI.rawValue)' in the target")
            }
            transport = chosen
        } else {
            transport = target.transport ?? .udp
        }
        if let acceptNode = options["accept"] {
            let nodes: [ConfigNode] = if case .sequence = acceptNode.node { try acceptNode.sequence() } else { [acceptNode] }
            accepted = Set(try nodes.map { try $0.integer("a SIP status code", in: 100...699) })
        } else {
            accepted = []
        }
        timeout = spec.timeout
    }

    /// How far a reading got, for what a timeout says.
    struct Progress: Sendable {
        var connected = false
        var transmissions = 0
        var provisional: String?
        var strays = 0
    }

    public func observe(at _: Date) async -> ProbeObservation {
        let budget = ProbeBudget(timeout: timeout)
        let progress = ProbeProgress(Progress())
        let peer = "\(transport.rawValue) \(target.endpoint)"
        do {
            let (response, roundTrip) = try await budget.run {
                switch transport {
                case .udp: try await pingOverUDP(progress: progress)
                case .tcp: try await pingOverTCP(budget: budget, progress: progress)
                }
            }
            return SIPVerdict.observation(response: response, roundTrip: roundTrip, transmissions: progress.current.transmissions,
                                          accepted: accepted, peer: peer)
        } catch is BudgetExceeded {
            let seen = progress.current
            let waited = budget.length.shortText
            if let provisional = seen.provisional {
                return ProbeObservation(status: .critical, summary: "\(peer) answered \(provisional) but nothing final in \(waited)")
            }
            if transport == .tcp {
                return ProbeObservation(status: .critical, summary: seen.connected
                    ? "\(peer) accepted the connection but sent no answer in \(waited)"
                    : "\(peer): no connection in \(waited)")
            }
            let tally = DatagramExchange.tally(transmissions: seen.transmissions, strays: seen.strays)
            return ProbeObservation(status: .critical, summary: "no answer from \(peer) in \(waited) (\(tally))")
        } catch let problem as SIPParseError {
            return ProbeObservation(status: .unknown, summary: "\(peer) answered with \(problem)")
        } catch {
            let failure = NetworkFailure(error)
            if transport == .udp, failure == .refused {
                return ProbeObservation(status: .critical, summary: "nothing listens on \(peer) (ICMP port unreachable)")
            }
            if transport == .tcp, failure == .closed, progress.current.connected {
                return ProbeObservation(status: .critical, summary: "\(peer) closed the connection without a final answer")
            }
            return ProbeObservation(status: .critical, summary: "\(peer): \(failure)")
        }
    }

    private func pingOverUDP(progress: ProbeProgress<Progress>) async throws -> (SIPResponse, Duration) {
        try await DatagramExchange.run(to: target.endpoint, schedule: .sip, transmitted: { count in
            progress.update { $0.transmissions = count }
        }) { local in
            let request = SIPOptionsRequest.fresh(target: target, transport: .udp, local: Self.viaAddress(local))
            return DatagramRequest(bytes: Array(request.text.utf8)) { datagram in
                guard datagram.readableBytes <= Self.messageLimit,
                      let response = try? SIPResponse.parse(datagram.readableBytesView), response.answers(request) else {
                    progress.update { $0.strays += 1 }
                    return nil
                }
                guard response.isFinal else {
                    progress.update { $0.provisional = response.statusText }
                    return nil
                }
                return response
            }
        }
    }

    private func pingOverTCP(budget: ProbeBudget, progress: ProbeProgress<Progress>) async throws -> (SIPResponse, Duration) {
        let connection = try await TCPClient.connect(to: target.endpoint, budget: budget)
        progress.update { $0.connected = true }
        let request = SIPOptionsRequest.fresh(target: target, transport: .tcp, local: Self.viaAddress(connection.channel.localAddress))
        return try await connection.executeThenClose { inbound, outbound in
            let sent = ContinuousClock.now
            try await outbound.write(ByteBuffer(string: request.text))
            progress.update { $0.transmissions += 1 }
            var framer = SIPStreamFramer(limit: Self.messageLimit)
            for try await bytes in inbound {
                for message in try framer.feed(bytes.readableBytesView) {
                    let response = try SIPResponse.parse(message)
                    guard response.answers(request) else {
                        progress.update { $0.strays += 1 }
                        continue
                    }
                    if response.isFinal { return (response, sent.duration(to: .now)) }
                    progress.update { $0.provisional = response.statusText }
                }
            }
            throw NetworkFailure.closed
        }
    }

    /// The socket's local address as a Via sent-by: `host:port`, IPv6 in brackets.
    static func viaAddress(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress, let port = address.port else { return "0.0.0.0:9" }
        if case .v6 = address { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}

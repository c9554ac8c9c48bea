import Foundation
import NIOCore
import SwitchboardCore

/// `kind: dns`: resolves a name, natively, against the system's name server (the first
/// `nameserver` in /etc/resolv.conf) or a given `server`, and reports the answers and how long
/// they took.
///
/// The query goes over UDP (EDNS, 1232 bytes), retransmitted after 1 s and then at doubling
/// intervals; a truncated answer is asked again over TCP. An answer counts only with the query's
/// id and question. Answers of the asked type are ok (and with `expect`, must include every
/// value listed); NXDOMAIN, SERVFAIL, REFUSED, an empty answer and no answer at all are each
/// critical with their own summary. Metrics: `time` (ms) and `answers` (how many).
///
/// ```yaml
/// - id: dns-pbx
///   pane: network
///   kind: dns
///   name: pbx.example.net
///   type: A                      # A (default), AAAA, CNAME, MX, NS, PTR, SOA, SRV, TXT
///   server: 10.0.0.53            # HOST[:PORT]; default: the system's name server
///   expect: [192.0.2.10]         # optional: answers that must be among those returned
///   warn: "time=200"
/// ```
public struct DNSProbe: Probe {
    public static let kind = "dns"
    public static let optionKeys = ["name", "type", "server", "expect"]

    let name: DNSName
    let type: DNSType
    let server: Endpoint?
    let expect: [String]
    let timeout: Duration

    public var declaredMetrics: DeclaredMetrics? {
        DeclaredMetrics([("time", .number(unit: "ms")), ("answers", .number(unit: ""))], complete: true)
    }

    public init(spec: ProbeSpec, options: ConfigMapping) throws {
        if let typeNode = options["type"] {
            let text = try typeNode.string("a record type")
            guard let parsed = DNSType(name: text) else {
                throw typeNode.error("unknown record type '\(text)' (expected one of: \(DNSType.allCases.map(\.name).joined(separator: ", ")))")
            }
            type = parsed
        } else {
            type = .a
        }
        let nameNode = try options.required("name")
        let text = try nameNode.string("a name to resolve")
        if type == .ptr, let reverse = DNSName.reverse(of: text) {
            name = reverse
        } else {
            do { name = try DNSName(parsing: text) } catch { throw nameNode.error("\(error)") }
        }
        server = try options["server"].map { try $0.endpoint(defaultPort: 53, example: "10.0.0.53 or 127.0.0.1:5353") }
        expect = try options["expect"]?.stringList("a list of expected answers") ?? []
        timeout = spec.timeout
    }

    /// How far a reading got, for what a timeout says.
    struct Progress: Sendable {
        var transmissions = 0
        var strays = 0
        var overTCP = false
    }

    public func observe(at _: Date) async -> ProbeObservation {
        let budget = ProbeBudget(timeout: timeout)
        let progress = ProbeProgress(Progress())
        let resolver = server ?? ResolvConf.nameservers((try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? "")[0]
        let query = DNSQuery(id: UInt16.random(in: 0...UInt16.max), name: name, type: type)
        do {
            let response = try await budget.run {
                let overUDP = try await askOverUDP(query, server: resolver, progress: progress)
                guard overUDP.truncated else { return overUDP }
                progress.update { $0.overTCP = true }
                return try await askOverTCP(query, server: resolver, budget: budget)
            }
            return DNSVerdict.observation(response, query: query, expect: expect, took: budget.elapsed, server: resolver)
        } catch {
            let seen = progress.current
            let transport = seen.overTCP ? "tcp" : "udp"
            if error is BudgetExceeded {
                let tally = seen.overTCP ? "a truncated answer over udp, none over tcp"
                    : DatagramExchange.tally(transmissions: seen.transmissions, strays: seen.strays)
                return ProbeObservation(status: .critical, summary: "no answer from \(resolver) for \(name) in \(budget.length.shortText) (\(tally))")
            }
            if let problem = error as? DNSMessageError {
                return ProbeObservation(status: .unknown, summary: "\(resolver) sent an answer that cannot be read: \(problem)")
            }
            let failure = NetworkFailure(error)
            if !seen.overTCP, failure == .refused {
                return ProbeObservation(status: .critical, summary: "nothing listens on udp \(resolver) (ICMP port unreachable)")
            }
            return ProbeObservation(status: .critical, summary: "\(transport) \(resolver): \(failure)")
        }
    }

    private func askOverUDP(_ query: DNSQuery, server: Endpoint, progress: ProbeProgress<Progress>) async throws -> DNSResponse {
        try await DatagramExchange.run(to: server, schedule: .dns, transmitted: { count in
            progress.update { $0.transmissions = count }
        }) { _ in
            DatagramRequest(bytes: query.bytes) { datagram in
                guard let response = try? DNSResponse.parse(Array(datagram.readableBytesView)), response.answers(query) else {
                    progress.update { $0.strays += 1 }
                    return nil
                }
                return response
            }
        }.answer
    }

    private func askOverTCP(_ query: DNSQuery, server: Endpoint, budget: ProbeBudget) async throws -> DNSResponse {
        let connection = try await TCPClient.connect(to: server, budget: budget)
        return try await connection.executeThenClose { inbound, outbound in
            let message = query.bytes
            try await outbound.write(ByteBuffer(bytes: DNSQuery.u16(UInt16(message.count)) + message))
            var received: [UInt8] = []
            for try await buffer in inbound {
                received += buffer.readableBytesView
                guard received.count >= 2 else { continue }
                let length = Int(received[0]) << 8 | Int(received[1])
                guard received.count >= 2 + length else { continue }
                let response = try DNSResponse.parse(Array(received[2..<(2 + length)]))
                guard response.answers(query) else { throw DNSMessageError.badRecord("an answer over tcp to another question") }
                return response
            }
            throw NetworkFailure.closed
        }
    }
}

/// What a DNS answer means for the probe's row.
enum DNSVerdict {
    static func observation(_ response: DNSResponse, query: DNSQuery, expect: [String], took: Duration,
                            server: Endpoint) -> ProbeObservation {
        let time = Metric(name: "time", value: .number(took.milliseconds, unit: "ms"))
        func result(_ status: ProbeStatus, _ summary: String, count: Int = 0) -> ProbeObservation {
            ProbeObservation(status: status, summary: summary, details: "asked \(server)",
                             metrics: [time, Metric(name: "answers", value: .number(Double(count), unit: ""))])
        }
        let name = query.name
        switch response.code {
        case .noError:
            break
        case .nameError:
            return result(.critical, "\(name) does not exist (NXDOMAIN from \(server))")
        case .serverFailure:
            return result(.critical, "\(server) failed to resolve \(name) (SERVFAIL)")
        case .refused:
            return result(.critical, "\(server) refused to answer for \(name) (REFUSED)")
        default:
            return result(.unknown, "\(server) answered \(response.code) for \(name)")
        }
        let wanted = response.answers.filter { $0.type == query.type.rawValue }
        guard !wanted.isEmpty else {
            if let alias = response.answers.first(where: { $0.type == DNSType.cname.rawValue }) {
                return result(.critical, "\(name) is an alias of \(SummaryText.oneLine(alias.display, limit: 80)), with no \(query.type.name) record")
            }
            return result(.critical, "\(name) has no \(query.type.name) record (NOERROR, empty answer)")
        }
        let values = wanted.map(\.display)
        // A TXT record alone may hold 64 KiB: each value is cut short for the summary.
        let shown = values.prefix(4).map { SummaryText.oneLine($0, limit: 80) }.joined(separator: ", ")
            + (values.count > 4 ? " and \(values.count - 4) more" : "")
        let missing = expect.filter { expected in !values.contains { normalized($0) == normalized(expected) } }
        if !missing.isEmpty {
            return result(.critical, "\(name) \(query.type.name) \(shown), not \(missing.joined(separator: ", ")) · \(took.shortText)",
                          count: values.count)
        }
        return result(.ok, "\(name) \(query.type.name) \(shown) · \(took.shortText)", count: values.count)
    }

    /// Answers compare without case and without a trailing dot.
    static func normalized(_ text: String) -> String {
        (text.hasSuffix(".") ? String(text.dropLast()) : text).lowercased()
    }
}

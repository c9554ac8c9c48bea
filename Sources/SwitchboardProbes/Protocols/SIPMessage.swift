import Foundation
import SwitchboardCore

/// The transports a SIP probe speaks.
enum SIPTransport: String, Sendable, CaseIterable {
    case udp
    case tcp

    /// As written in a Via header.
    var viaName: String { rawValue.uppercased() }
}

/// Where a SIP OPTIONS ping goes: `sip:[user@]host[:port][;transport=tcp]`, or just
/// `host[:port]`. The port defaults to 5060 (no DNS SRV lookup: name the port if it differs).
struct SIPTarget: Sendable, Equatable {
    static let defaultPort = 5060

    var user: String?
    var endpoint: Endpoint
    /// A transport named in the URI's `;transport=` parameter.
    var transport: SIPTransport?

    init(parsing text: String) throws(EndpointSyntaxError) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if rest.lowercased().hasPrefix("sips:") {
            throw EndpointSyntaxError("sips: (SIP over TLS) is not supported; use sip: with udp or tcp")
        }
        if rest.lowercased().hasPrefix("sip:") { rest = rest.dropFirst(4) }
        var parameters: [Substring] = []
        if let semicolon = rest.firstIndex(of: ";") {
            parameters = rest[rest.index(after: semicolon)...].split(separator: ";")
            rest = rest[..<semicolon]
        }
        if let at = rest.lastIndex(of: "@") {
            let user = rest[..<at]
            guard !user.isEmpty, user.allSatisfy({ !$0.isWhitespace && $0 != ":" && $0 != "<" && $0 != ">" }) else {
                throw EndpointSyntaxError("'\(user)' is not a SIP user name")
            }
            self.user = String(user)
            rest = rest[rest.index(after: at)...]
        }
        endpoint = try Endpoint(parsing: String(rest), defaultPort: Self.defaultPort)
        for parameter in parameters {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.lowercased() }
            guard pair.first == "transport" else { continue }
            guard pair.count == 2, let transport = SIPTransport(rawValue: pair[1]) else {
                throw EndpointSyntaxError("transport must be udp or tcp, got '\(parameter)'")
            }
            self.transport = transport
        }
    }

    /// The Request-URI and To address: `sip:[user@]host:port`.
    var uri: String { "sip:\(user.map { "\($0)@" } ?? "")\(endpoint)" }
}

/// An OPTIONS request as RFC 3261 wants it: a Via with a `z9hG4bK` branch unique to this
/// transaction and `rport`, Max-Forwards 70, a From tag, a Call-ID and a CSeq. Retransmissions
/// send the same bytes.
struct SIPOptionsRequest: Sendable, Equatable {
    var target: SIPTarget
    var transport: SIPTransport
    /// Our address as the peer sees it (the socket's local address): `host:port`, IPv6 in brackets.
    var local: String
    var branch: String
    var fromTag: String
    var callID: String
    var sequence = 1

    /// A request with fresh random branch, tag and Call-ID.
    static func fresh(target: SIPTarget, transport: SIPTransport, local: String) -> SIPOptionsRequest {
        func hex(_ bytes: Int) -> String {
            (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        }
        let localHost = local.hasPrefix("[") ? String(local.prefix { $0 != "]" }) + "]" : String(local.prefix { $0 != ":" })
        return SIPOptionsRequest(target: target, transport: transport, local: local, branch: "z9hG4bK" + hex(10),
                                 fromTag: hex(6), callID: "\(hex(12))@\(localHost)")
    }

    var text: String {
        [
            "OPTIONS \(target.uri) SIP/2.0",
            "Via: SIP/2.0/\(transport.viaName) \(local);branch=\(branch);rport",
            "Max-Forwards: 70",
            "From: <sip:switchboard@\(local)>;tag=\(fromTag)",
            "To: <\(target.uri)>",
            "Call-ID: \(callID)",
            "CSeq: \(sequence) OPTIONS",
            "Contact: <sip:switchboard@\(local);transport=\(transport.rawValue)>",
            "Accept: application/sdp",
            "User-Agent: Switchboard",
            "Content-Length: 0",
            "", "",
        ].joined(separator: "\r\n")
    }
}

/// A SIP response: status line and headers (the body is not needed to judge an OPTIONS ping).
struct SIPResponse: Sendable, Equatable {
    struct Header: Sendable, Equatable {
        var name: String
        var value: String
    }

    var code: Int
    var reason: String
    var headers: [Header]

    /// Compact header forms (RFC 3261 §7.3.3) and the full names they stand for.
    static let compactNames: [String: String] = [
        "v": "via", "i": "call-id", "f": "from", "t": "to", "m": "contact", "l": "content-length",
        "c": "content-type", "k": "supported", "s": "subject", "e": "content-encoding",
    ]

    /// The first value of a header, by its full or compact name, in any case.
    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { header in
            let lower = header.name.lowercased()
            return lower == wanted || Self.compactNames[lower] == wanted
        }?.value
    }

    /// The `branch` parameter of the topmost Via.
    var topViaBranch: String? {
        guard let via = header("via") else { return nil }
        let top = via.split(separator: ",", maxSplits: 1).first ?? ""
        for parameter in top.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "branch" {
                return pair[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// Whether this answers `request`: the same top Via branch, Call-ID and CSeq (number and method).
    func answers(_ request: SIPOptionsRequest) -> Bool {
        guard topViaBranch == request.branch,
              header("call-id")?.trimmingCharacters(in: .whitespaces) == request.callID,
              let cseq = header("cseq") else { return false }
        let parts = cseq.split(whereSeparator: { $0 == " " || $0 == "\t" })
        return parts.count == 2 && Int(parts[0]) == request.sequence && parts[1].uppercased() == "OPTIONS"
    }

    var isFinal: Bool { code >= 200 }

    /// `200 OK`, the reason phrase cut short: it is the server's own text.
    var statusText: String { reason.isEmpty ? "\(code)" : "\(code) \(SummaryText.oneLine(reason, limit: 60))" }

    /// Parses one message: `SIP/2.0 CODE REASON`, headers (folded lines joined), then a blank
    /// line. Anything after the blank line (a body) is ignored.
    static func parse(_ bytes: some Collection<UInt8>) throws(SIPParseError) -> SIPResponse {
        let text = String(decoding: bytes, as: UTF8.self)
        // "\r\n" is one Character in Swift, so split on newline Characters, not on "\n".
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        while lines.first?.isEmpty == true { lines.removeFirst() } // keep-alive CRLFs before a message
        guard let statusLine = lines.first else { throw .notSIP("an empty message") }
        let statusParts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard statusParts.count >= 2, statusParts[0].uppercased() == "SIP/2.0" else {
            if statusLine.hasSuffix("SIP/2.0") { throw .notSIP("a request ('\(statusLine.prefix(40))'), not a response") }
            throw .notSIP("'\(statusLine.prefix(60))' is not a SIP status line")
        }
        guard statusParts[1].count == 3, let code = Int(statusParts[1]), (100...699).contains(code) else {
            throw .notSIP("'\(statusParts[1].prefix(10))' is not a SIP status code")
        }
        let reason = statusParts.count > 2 ? statusParts[2].trimmingCharacters(in: .whitespaces) : ""
        var headers: [Header] = []
        for line in lines.dropFirst() {
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t" {
                guard !headers.isEmpty else { throw .notSIP("a continuation line before any header") }
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { throw .notSIP("header line '\(line.prefix(40))' has no ':'") }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !name.contains(" ") else { throw .notSIP("'\(line.prefix(40))' is not a header") }
            headers.append(Header(name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return SIPResponse(code: code, reason: reason, headers: headers)
    }
}

/// A reply that is not a SIP response.
enum SIPParseError: Error, Equatable, CustomStringConvertible {
    case notSIP(String)
    case tooLarge(Int)

    var description: String {
        switch self {
        case .notSIP(let what): "not a SIP response: \(what)"
        case .tooLarge(let limit): "a message longer than \(limit / 1024) KiB"
        }
    }
}

/// Cuts SIP messages out of a byte stream (TCP): headers up to a blank line, then
/// Content-Length bytes of body. Keep-alive CRLFs between messages are skipped; a message that
/// grows past `limit` without ending is an error.
struct SIPStreamFramer {
    let limit: Int
    private var buffer: [UInt8] = []

    init(limit: Int = 64 * 1024) {
        self.limit = limit
    }

    mutating func feed(_ bytes: some Collection<UInt8>) throws(SIPParseError) -> [[UInt8]] {
        buffer.append(contentsOf: bytes)
        var messages: [[UInt8]] = []
        while true {
            let leading = buffer.prefix { $0 == 0x0D || $0 == 0x0A }.count
            if leading > 0 { buffer.removeFirst(leading) }
            guard let headerEnd = Self.headerEnd(in: buffer) else { break }
            let head = String(decoding: buffer[..<headerEnd], as: UTF8.self)
            let length = try Self.contentLength(head)
            guard length <= limit else { throw .tooLarge(limit) }
            guard buffer.count >= headerEnd + length else { break }
            messages.append(Array(buffer[..<(headerEnd + length)]))
            buffer.removeFirst(headerEnd + length)
        }
        if buffer.count > limit { throw .tooLarge(limit) }
        return messages
    }

    /// The index just past the blank line ending the headers (`\r\n\r\n`, or `\n\n`).
    static func headerEnd(in bytes: [UInt8]) -> Int? {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == 0x0A {
                let next = index + 1
                if next < bytes.endIndex, bytes[next] == 0x0A { return next + 1 }
                if next + 1 < bytes.endIndex, bytes[next] == 0x0D, bytes[next + 1] == 0x0A { return next + 2 }
            }
            index += 1
        }
        return nil
    }

    private static func contentLength(_ head: String) throws(SIPParseError) -> Int {
        for line in head.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            guard name == "content-length" || name == "l" else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard let length = Int(value), length >= 0 else { throw .notSIP("Content-Length '\(value.prefix(20))' is not a number") }
            return length
        }
        return 0
    }
}

/// What an answer to OPTIONS means: 2xx ok; a code listed in `accept:` ok; 503 and other server
/// failures (5xx but 501) critical; anything else (401, 403, 404, 405, 407, 501, 3xx, 6xx) a
/// warning: the server is alive, but not answering as a healthy one would.
enum SIPVerdict {
    static func status(code: Int, accepted: Set<Int>) -> ProbeStatus {
        if (200..<300).contains(code) || accepted.contains(code) { return .ok }
        if (500..<600).contains(code), code != 501 { return .critical }
        return .warning
    }

    static func observation(response: SIPResponse, roundTrip: Duration, transmissions: Int, accepted: Set<Int>,
                            peer: String) -> ProbeObservation {
        let status = status(code: response.code, accepted: accepted)
        var parts = [status == .warning ? "alive, but \(response.statusText)" : response.statusText, roundTrip.shortText]
        if transmissions > 1 {
            parts.append("\(transmissions - 1) retransmission\(transmissions == 2 ? "" : "s")")
        }
        let server = response.header("server") ?? response.header("user-agent")
        return ProbeObservation(
            status: status,
            summary: parts.joined(separator: " · "),
            details: "\(peer)" + (server.map { " · \(SummaryText.oneLine($0, limit: 120))" } ?? ""),
            metrics: [Metric(name: "rtt", value: .number(roundTrip.milliseconds, unit: "ms")),
                      Metric(name: "code", value: .number(Double(response.code), unit: ""))])
    }
}

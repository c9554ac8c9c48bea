import Foundation
import SwitchboardCore

/// A host and port a probe talks to, parsed from what a person writes in config: `host`,
/// `host:port`, `[v6-address]:port` or a bare IPv6 address.
struct Endpoint: Sendable, Equatable, CustomStringConvertible {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `text`, using `defaultPort` when none is written; nil default means a port is required.
    init(parsing text: String, defaultPort: Int?) throws(EndpointSyntaxError) {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw EndpointSyntaxError("no host") }
        var hostPart: Substring
        var portPart: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw EndpointSyntaxError("'[' without ']'") }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.first == ":" else { throw EndpointSyntaxError("expected ':PORT' after ']'") }
                portPart = rest.dropFirst()
            }
            guard hostPart.contains(":") else { throw EndpointSyntaxError("brackets are for IPv6 addresses only") }
        } else if text.filter({ $0 == ":" }).count > 1 {
            hostPart = Substring(text) // a bare IPv6 address; write [addr]:port to give a port
        } else if let colon = text.firstIndex(of: ":") {
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        } else {
            hostPart = Substring(text)
        }
        guard !hostPart.isEmpty else { throw EndpointSyntaxError("no host") }
        if let bad = hostPart.first(where: { $0.isWhitespace || $0 == "/" || $0 == "@" || $0 == "?" || $0 == "#" }) {
            throw EndpointSyntaxError("'\(bad)' cannot be part of a host name")
        }
        host = String(hostPart)
        if let portPart {
            guard let value = Int(portPart), (1...65535).contains(value) else {
                throw EndpointSyntaxError("port '\(portPart)' is not a number from 1 to 65535")
            }
            port = value
        } else if let defaultPort {
            port = defaultPort
        } else {
            throw EndpointSyntaxError("no port (write HOST:PORT)")
        }
    }

    /// Whether the host is written as an IPv6 address (it needs brackets beside a port).
    var isIPv6Literal: Bool { host.contains(":") }

    /// `host:port`, with brackets around an IPv6 address.
    var description: String { isIPv6Literal ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Why a host and port could not be read.
struct EndpointSyntaxError: Error, Equatable, CustomStringConvertible {
    var reason: String
    init(_ reason: String) { self.reason = reason }
    var description: String { reason }
}

extension ConfigNode {
    /// The node as `HOST[:PORT]`, failing at this node's position.
    func endpoint(defaultPort: Int?, example: String) throws -> Endpoint {
        let text = try string("an address such as \(example)")
        do {
            return try Endpoint(parsing: text, defaultPort: defaultPort)
        } catch {
            throw self.error("expected an address such as \(example), got '\(text)': \(error)")
        }
    }
}

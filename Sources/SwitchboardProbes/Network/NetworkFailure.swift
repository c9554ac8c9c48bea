import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// What went wrong on the network, in words a person reads in a probe's row. NIO, the resolver
/// and BoringSSL each report failures their own way; probes describe them all through this.
enum NetworkFailure: Error, Equatable, CustomStringConvertible {
    case refused
    case unreachable
    case cannotResolve(String)
    case reset
    /// The peer closed the connection before the exchange was complete.
    case closed
    case connectTimeout
    case tls(String)
    case other(String)

    var description: String {
        switch self {
        case .refused: "connection refused"
        case .unreachable: "no route to the host"
        case .cannotResolve(let host): "cannot resolve '\(host)'"
        case .reset: "connection reset by the server"
        case .closed: "the server closed the connection"
        case .connectTimeout: "no connection"
        case .tls(let reason): "TLS: \(reason)"
        case .other(let text): text
        }
    }

    init(_ error: any Error) {
        switch error {
        case let failure as NetworkFailure:
            self = failure
        case let connection as NIOConnectionError:
            if let first = connection.connectionErrors.first {
                self.init(first.error)
            } else {
                self = .cannotResolve(connection.host) // no address was tried: the name gave none
            }
        case let io as IOError:
            self.init(errno: io.errnoCode, fallback: "\(io)")
        case let channel as ChannelError:
            switch channel {
            case .connectTimeout: self = .connectTimeout
            case .eof, .ioOnClosedChannel, .alreadyClosed, .inputClosed, .outputClosed: self = .closed
            case .writeHostUnreachable: self = .unreachable
            default: self = .other("\(channel)")
            }
        case let address as SocketAddressError:
            if case .unknown(let host, _) = address { self = .cannotResolve(host) } else { self = .other("\(address)") }
        case let ssl as NIOSSLError:
            self = .tls(Self.describeTLS(ssl))
        case let extra as NIOSSLExtraError:
            if extra == .failedToValidateHostname {
                self = .tls("the certificate is not for this host (\(extra))")
            } else {
                self = .tls("\(extra)")
            }
        case let posix as POSIXError:
            self.init(errno: posix.code.rawValue, fallback: "\(posix)")
        default:
            self = .other("\(error)")
        }
    }

    private init(errno code: Int32, fallback: String) {
        switch code {
        case ECONNREFUSED: self = .refused
        case ENETUNREACH, EHOSTUNREACH, EHOSTDOWN: self = .unreachable
        case ECONNRESET, EPIPE: self = .reset
        case ETIMEDOUT: self = .connectTimeout
        default: self = .other(String(cString: strerror(code)))
        }
    }

    /// BoringSSL's error stack, reduced to what a person can act on.
    private static func describeTLS(_ error: NIOSSLError) -> String {
        let text = "\(error)"
        let upper = text.uppercased()
        if upper.contains("CERTIFICATE_VERIFY_FAILED") { return "the server's certificate is not trusted" }
        if upper.contains("WRONG_VERSION_NUMBER") || upper.contains("HTTP_REQUEST") { return "the server does not speak TLS on this port" }
        if case .uncleanShutdown = error { return "the server closed the connection during the TLS exchange" }
        if upper.contains("NO_PROTOCOLS_AVAILABLE") || upper.contains("UNSUPPORTED_PROTOCOL") { return "no TLS version in common with the server" }
        if upper.contains("HANDSHAKE_FAILURE") { return "handshake refused by the server" }
        return "handshake failed (\(text))"
    }
}

import NIOCore
import NIOPosix
import NIOSSL

/// TCP connections for native probes, on NIO's shared event loops: connect within a probe's
/// budget, optionally through TLS, then talk through an async channel that is closed when the
/// conversation ends, throws, or is cancelled.
enum TCPClient {
    typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// Opens a connection within what is left of `budget`. The caller must go on at once with
    /// `executeThenClose`, which is what closes the socket whatever happens next.
    static func connect(to endpoint: Endpoint, tls: TLSClient? = nil, budget: ProbeBudget) async throws -> Connection {
        let context = try tls?.context()
        return try await bootstrap(budget: budget).connect(host: endpoint.host, port: endpoint.port) { channel in
            channel.eventLoop.makeCompletedFuture {
                if let context {
                    try channel.pipeline.syncOperations.addHandler(try TLSClient.handler(context: context, serverName: endpoint.host))
                }
                return try Connection(wrappingChannelSynchronously: channel)
            }
        }
    }

    /// A bootstrap whose connect attempt gives up when the budget runs out.
    static func bootstrap(budget: ProbeBudget) -> ClientBootstrap {
        ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(budget.remainingTimeAmount)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
    }
}

/// TLS for a client connection: the server is verified against the system's trust store (plus a
/// site's own CA, when given), or, when a site asks for that for a device with a self-signed
/// certificate, not at all.
struct TLSClient: Sendable {
    private let loaded: Result<NIOSSLContext, any Error>

    private init(_ configuration: TLSConfiguration) {
        loaded = Result { try NIOSSLContext(configuration: Self.closingAtOnce(configuration)) }
    }

    /// A probe has no use for the peer's close_notify: NIO's default waits up to 5 s for it when
    /// a connection closes, so a server that hangs after the handshake (or one gone from the
    /// network) would hold a reading that long past its deadline. Ours is sent, and the socket
    /// closed at once.
    private static func closingAtOnce(_ configuration: TLSConfiguration) -> TLSConfiguration {
        var configuration = configuration
        configuration.shutdownTimeout = .zero
        return configuration
    }

    /// Verifying against the system's trust store. Contexts load the store once, not per reading.
    static let system = TLSClient(.makeClientConfiguration())

    /// Not verifying the server's certificate at all.
    static let unverified: TLSClient = {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return TLSClient(configuration)
    }()

    /// Verifying against the system's trust store and the CA certificates (PEM) in `caFile`.
    init(caFile: String) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile))]
        loaded = .success(try NIOSSLContext(configuration: Self.closingAtOnce(configuration)))
    }

    /// The context, loaded (with its trust store) on first use. Call it before connecting, not
    /// in a channel initializer: loading a trust store must not hold up an event loop.
    func context() throws -> NIOSSLContext {
        try loaded.get()
    }

    /// A handler for one connection. `serverName` goes into SNI and is checked against the
    /// certificate; an IP address is checked against the certificate's addresses instead.
    static func handler(context: NIOSSLContext, serverName: String) throws -> NIOSSLClientHandler {
        let isAddress = (try? SocketAddress(ipAddress: serverName, port: 0)) != nil
        return try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : serverName)
    }
}

/// Lines from a connection's inbound bytes, `\n` or `\r\n` terminated, each at most `limit`
/// bytes; a longer one is reported, never kept.
struct LineReader {
    enum Line: Equatable {
        case text(String)
        case overlong
    }

    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var splitter: LineSplitter
    private var ready: [LineSplitter.Line] = []

    init(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, limit: Int) {
        iterator = inbound.makeAsyncIterator()
        splitter = LineSplitter(limit: limit)
    }

    /// The next line, or nil once the peer has closed (an unfinished last line is dropped).
    mutating func next() async throws -> Line? {
        while ready.isEmpty {
            guard let buffer = try await iterator.next() else { return nil }
            ready = buffer.withUnsafeReadableBytes { splitter.feed($0) }
        }
        switch ready.removeFirst() {
        case .overlong:
            return .overlong
        case .complete(var bytes):
            if bytes.last == 0x0D { bytes.removeLast() }
            return .text(String(decoding: bytes, as: UTF8.self))
        }
    }
}

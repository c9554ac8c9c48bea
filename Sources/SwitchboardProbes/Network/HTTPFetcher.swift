import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import SwitchboardCore

/// An http or https URL as a probe fetches it: scheme, host, port and request target.
struct HTTPURL: Sendable, Equatable, CustomStringConvertible {
    var isTLS: Bool
    var endpoint: Endpoint
    /// Path and query, as sent in the request line.
    var target: String

    init(parsing text: String) throws(HTTPURLError) {
        guard let components = URLComponents(string: text.trimmingCharacters(in: .whitespaces)) else {
            throw HTTPURLError("'\(text)' is not a URL")
        }
        switch components.scheme?.lowercased() {
        case "http": isTLS = false
        case "https": isTLS = true
        default: throw HTTPURLError("expected an http:// or https:// URL, got '\(text)'")
        }
        guard var host = components.percentEncodedHost, !host.isEmpty else { throw HTTPURLError("no host in '\(text)'") }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard components.percentEncodedUser == nil, components.percentEncodedPassword == nil else {
            throw HTTPURLError("credentials in the URL are not sent; use headers: {Authorization: ...}")
        }
        let port = components.port ?? (isTLS ? 443 : 80)
        guard (1...65535).contains(port) else { throw HTTPURLError("port \(port) is not from 1 to 65535") }
        endpoint = Endpoint(host: host, port: port)
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        target = path + (components.percentEncodedQuery.map { "?\($0)" } ?? "")
    }

    /// The URL without a fragment, with the port only when it is not the scheme's default.
    var description: String {
        let defaultPort = isTLS ? 443 : 80
        let host = endpoint.isIPv6Literal ? "[\(endpoint.host)]" : endpoint.host
        return "\(isTLS ? "https" : "http")://\(host)\(endpoint.port == defaultPort ? "" : ":\(endpoint.port)")\(target)"
    }

    /// The Host header: host, and port when not the default.
    var hostHeader: String {
        let host = endpoint.isIPv6Literal ? "[\(endpoint.host)]" : endpoint.host
        return endpoint.port == (isTLS ? 443 : 80) ? host : "\(host):\(endpoint.port)"
    }

    /// Whether `other` has the same scheme, host and port (an origin, as RFC 6454 has it).
    func hasSameOrigin(as other: HTTPURL) -> Bool {
        isTLS == other.isTLS && endpoint.port == other.endpoint.port && endpoint.host.lowercased() == other.endpoint.host.lowercased()
    }

    /// Where a redirect's `Location` (absolute, or relative to this URL) points.
    func resolving(location: String) throws(HTTPURLError) -> HTTPURL {
        let shown = SummaryText.oneLine(location, limit: 80)
        guard let base = URL(string: description), let resolved = URL(string: location, relativeTo: base)?.absoluteURL else {
            throw HTTPURLError("a redirect to '\(shown)', which is not a URL")
        }
        do {
            return try HTTPURL(parsing: resolved.absoluteString)
        } catch {
            throw HTTPURLError("a redirect to '\(shown)', which is not an http:// or https:// URL")
        }
    }
}

/// A URL that cannot be fetched.
struct HTTPURLError: Error, Equatable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A GET over HTTP/1.1 for the http and prometheus probes, on NIO: one connection per request
/// (`Connection: close`), TLS checked against the system's trust store (plus a CA file when
/// given), redirects followed up to a limit, the body kept up to a limit, and every socket
/// closed when the fetch ends, fails, or is cancelled at the probe's deadline.
struct HTTPFetcher: Sendable {
    struct Response: Sendable {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: [UInt8]
        /// The body was longer than the limit; `body` holds its start.
        var truncated: Bool
        /// The URL that answered, after redirects.
        var url: HTTPURL
        var redirects: Int
    }

    /// How far a fetch got, for what a timeout says.
    enum Step: Sendable, Equatable {
        case connecting(HTTPURL)
        case waiting(HTTPURL)
        case reading(HTTPURL)
    }

    var headers: [(name: String, value: String)] = []
    var followRedirects = true
    var redirectLimit = 5
    var bodyLimit = 1024 * 1024
    var tls: TLSClient

    /// Headers that carry credentials: not sent on to another origin after a redirect (as curl
    /// and browsers do), so a status page that redirects elsewhere does not receive the token.
    static let credentialHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie"]

    /// A reading of the http and prometheus probes: one fetch of `url` within `timeout`, the
    /// response and the time it took passed to `judge`; a fetch that does not complete is
    /// critical, its summary naming the step that failed.
    func observe(_ url: HTTPURL, timeout: Duration, judge: (Response, _ took: Duration) -> ProbeObservation) async -> ProbeObservation {
        let budget = ProbeBudget(timeout: timeout)
        let progress = ProbeProgress(Step.connecting(url))
        let response: Response
        do {
            response = try await budget.run { try await get(url, budget: budget, progress: progress) }
        } catch {
            return ProbeObservation(status: .critical, summary: Self.failureText(error, step: progress.current, budget: budget))
        }
        return judge(response, budget.elapsed)
    }

    func get(_ url: HTTPURL, budget: ProbeBudget, progress: ProbeProgress<Step>) async throws -> Response {
        var current = url
        var sent = headers
        var redirects = 0
        while true {
            var response = try await fetchOnce(current, headers: sent, budget: budget, progress: progress)
            response.redirects = redirects
            guard followRedirects, [301, 302, 303, 307, 308].contains(response.status.code),
                  let location = response.headers.first(name: "location") else {
                return response
            }
            guard redirects < redirectLimit else { throw HTTPFetchError.tooManyRedirects(redirectLimit) }
            current = try current.resolving(location: location)
            if !current.hasSameOrigin(as: url) {
                sent.removeAll { Self.credentialHeaders.contains($0.name.lowercased()) }
            }
            redirects += 1
        }
    }

    private func fetchOnce(_ url: HTTPURL, headers: [(name: String, value: String)], budget: ProbeBudget,
                           progress: ProbeProgress<Step>) async throws -> Response {
        progress.reached(.connecting(url))
        let context = url.isTLS ? try tls.context() : nil
        let channel = try await TCPClient.bootstrap(budget: budget).connect(host: url.endpoint.host, port: url.endpoint.port) { channel in
            channel.eventLoop.makeCompletedFuture {
                if let context {
                    try channel.pipeline.syncOperations.addHandler(try TLSClient.handler(context: context, serverName: url.endpoint.host))
                }
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
            }
        }
        progress.reached(.waiting(url))
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: url.target)
            head.headers.add(name: "Host", value: url.hostHeader)
            head.headers.add(name: "User-Agent", value: "Switchboard")
            head.headers.add(name: "Accept", value: "*/*")
            for header in headers where header.name.lowercased() != "host" {
                head.headers.replaceOrAdd(name: header.name, value: header.value)
            }
            head.headers.replaceOrAdd(name: "Connection", value: "close")
            // One write for the whole request: a server may answer and close as soon as it has the
            // head, and a second write would then fail although the answer is there to read.
            var requestFailure: (any Error)?
            do {
                try await outbound.write(contentsOf: [.head(head), .end(nil)])
            } catch {
                requestFailure = error
            }
            var response: (status: HTTPResponseStatus, headers: HTTPHeaders)?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let responseHead):
                    response = (responseHead.status, responseHead.headers)
                    progress.reached(.reading(url))
                case .body(let buffer):
                    body += buffer.readableBytesView.prefix(bodyLimit + 1 - body.count)
                    if body.count > bodyLimit, let response {
                        // Enough read: the rest is not wanted, and closing the connection drops it.
                        return Response(status: response.status, headers: response.headers, body: Array(body.prefix(bodyLimit)),
                                        truncated: true, url: url, redirects: 0)
                    }
                case .end:
                    guard let response else { throw requestFailure ?? NetworkFailure.closed }
                    return Response(status: response.status, headers: response.headers, body: body, truncated: false,
                                    url: url, redirects: 0)
                }
            }
            throw requestFailure ?? NetworkFailure.closed
        }
    }
}

/// A fetch that ended without a usable response.
enum HTTPFetchError: Error, Equatable, CustomStringConvertible {
    case tooManyRedirects(Int)

    var description: String {
        switch self {
        case .tooManyRedirects(let limit): "more than \(limit) redirects"
        }
    }
}

extension HTTPFetcher {
    /// A URL in a summary or details: after a redirect it is the server's text, so cut short.
    static func shown(_ url: HTTPURL) -> String {
        SummaryText.oneLine(url.description, limit: 200)
    }

    /// `200 OK`; a reason phrase of the server's own (for a code NIO does not know) cut short.
    static func statusText(_ status: HTTPResponseStatus) -> String {
        status.reasonPhrase.isEmpty ? "\(status.code)" : "\(status.code) \(SummaryText.oneLine(status.reasonPhrase, limit: 60))"
    }

    /// What a fetch that did not complete says: the failure, or for a deadline the step it
    /// was waiting on.
    static func failureText(_ error: any Error, step: Step, budget: ProbeBudget) -> String {
        if error is BudgetExceeded {
            let waited = budget.length.shortText
            return switch step {
            case .connecting(let url): "\(url.endpoint): no connection in \(waited)"
            case .waiting(let url): "\(shown(url)) accepted the connection but sent no response in \(waited)"
            case .reading(let url): "\(shown(url)) sent its response too slowly: not complete in \(waited)"
            }
        }
        if let error = error as? HTTPFetchError { return "\(error)" }
        if let error = error as? HTTPURLError { return "\(error)" }
        var failure = NetworkFailure(error)
        if let parserError = error as? HTTPParserError {
            if parserError == .invalidEOFState {
                failure = .closed // the connection ended before the message did
            } else if case .waiting(let url) = step {
                return "\(shown(url)) answered with something that is not HTTP"
            } else {
                return "the response is not valid HTTP (\(parserError))"
            }
        }
        switch (failure, step) {
        case (.closed, .waiting(let url)): return "\(shown(url)) closed the connection without a response"
        case (.closed, .reading(let url)): return "\(shown(url)) closed the connection in the middle of its response"
        case (_, .connecting(let url)), (_, .waiting(let url)), (_, .reading(let url)): return "\(url.endpoint): \(failure)"
        }
    }
}

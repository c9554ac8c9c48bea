import Foundation

/// Misbehaving network peers on loopback, for what real servers rarely do on cue: never
/// answering, black-holing connection attempts, replying with garbage or dropping the line
/// mid-reply. Each closes its sockets when stopped or released.

/// A loopback socket of the given type bound to a free port; returns the descriptor and port
/// (closing it at once gives a port nothing listens on: `freePort()`).
func boundSocket(_ type: Int32) throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, type, 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else {
        close(fd)
        throw POSIXError(.EADDRINUSE)
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}

/// A TCP port whose connections the kernel completes but nobody ever reads or answers: a
/// server that accepts and then hangs.
final class SilentTCPServer {
    let port: Int
    private let fd: Int32

    init() throws {
        (fd, port) = try boundSocket(Int32(SOCK_STREAM.rawValue))
        guard listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
    }

    deinit { close(fd) }
}

/// A TCP port where connection attempts are never answered: its accept queue is full (a
/// backlog of 0, taken by one connection of our own), so the kernel drops further SYNs, as a
/// firewall that black-holes packets would.
final class BlackholeTCPServer {
    let port: Int
    private let fd: Int32
    private let filler: Int32

    init() throws {
        (fd, port) = try boundSocket(Int32(SOCK_STREAM.rawValue))
        guard listen(fd, 0) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    deinit {
        close(filler)
        close(fd)
    }
}

/// A UDP port that is bound (so no ICMP "port unreachable" comes back) but never answers:
/// packets vanish, as over a network that drops them. It counts what arrives.
final class SilentUDPServer {
    let port: Int
    private let fd: Int32

    init() throws {
        (fd, port) = try boundSocket(Int32(SOCK_DGRAM.rawValue))
    }

    deinit { close(fd) }

    /// The datagrams that arrived so far, each as bytes, without waiting.
    func received() -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard count > 0 else { break }
            datagrams.append(Array(buffer[..<count]))
        }
        return datagrams
    }
}

/// A TCP server that answers every connection from a script: it waits for the first bytes
/// from the client, sends `reply` (one `send` per piece), and then
/// closes the connection, or holds it open when `thenHold` is set. Connections are served one at
/// a time on a thread of its own; `stop()` (or release) ends it.
final class ScriptedTCPServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let pieces: [[UInt8]]
    private let thenHold: Bool
    private let beforeRequest: Bool
    private let lock = NSLock()
    private var held: [Int32] = []
    private var stopped = false
    private var requests: [[UInt8]] = []
    private let finished = DispatchSemaphore(value: 0)

    /// The first bytes each connection sent (one read's worth), in order.
    var received: [String] {
        lock.lock()
        defer { lock.unlock() }
        return requests.map { String(decoding: $0, as: UTF8.self) }
    }

    /// With `beforeRequest`, the reply goes out as soon as a connection is accepted, and the
    /// connection is closed without reading anything: a server that answers and hangs up
    /// before the client has even sent its request.
    convenience init(reply pieces: [String], thenHold: Bool = false, beforeRequest: Bool = false) throws {
        try self.init(replyBytes: pieces.map { Array($0.utf8) }, thenHold: thenHold, beforeRequest: beforeRequest)
    }

    init(replyBytes pieces: [[UInt8]], thenHold: Bool = false, beforeRequest: Bool = false) throws {
        (fd, port) = try boundSocket(Int32(SOCK_STREAM.rawValue))
        self.pieces = pieces
        self.thenHold = thenHold
        self.beforeRequest = beforeRequest
        guard listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    deinit { stop() }

    private func serve() {
        defer { finished.signal() }
        while true {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            if !beforeRequest {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = recv(client, &buffer, buffer.count, 0)
                lock.lock()
                requests.append(Array(buffer[..<max(0, count)]))
                lock.unlock()
            }
            for piece in pieces {
                _ = piece.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
            lock.lock()
            if thenHold && !stopped { held.append(client) } else { close(client) }
            lock.unlock()
        }
    }

    func stop() {
        lock.lock()
        guard !stopped else { lock.unlock(); return }
        stopped = true
        let toClose = held
        held = []
        lock.unlock()
        shutdown(fd, Int32(SHUT_RDWR))
        finished.wait()
        close(fd)
        toClose.forEach { close($0) }
    }
}

/// A UDP server that answers each datagram from a script: `respond` gets the datagram and how
/// many came before it, and returns the datagrams to send back (none, garbage, a reply that
/// matches or one that does not). Served on a thread of its own until stopped or released.
final class ScriptedUDPServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let respond: @Sendable (_ datagram: [UInt8], _ index: Int) -> [[UInt8]]
    private let lock = NSLock()
    private var stopped = false
    private var datagrams: [[UInt8]] = []
    private let finished = DispatchSemaphore(value: 0)

    init(respond: @escaping @Sendable (_ datagram: [UInt8], _ index: Int) -> [[UInt8]]) throws {
        (fd, port) = try boundSocket(Int32(SOCK_DGRAM.rawValue))
        self.respond = respond
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    deinit { stop() }

    /// What arrived so far.
    var received: [[UInt8]] {
        lock.lock()
        defer { lock.unlock() }
        return datagrams
    }

    private func serve() {
        defer { finished.signal() }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            var peer = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, &buffer, buffer.count, 0, $0, &length) }
            }
            lock.lock()
            let done = stopped
            lock.unlock()
            guard count >= 0, !done else { return }
            let datagram = Array(buffer[..<count])
            lock.lock()
            let index = datagrams.count
            datagrams.append(datagram)
            lock.unlock()
            for reply in respond(datagram, index) {
                _ = reply.withUnsafeBytes { bytes in
                    withUnsafePointer(to: &peer) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, bytes.baseAddress, bytes.count, 0, $0, length) }
                    }
                }
            }
        }
    }

    func stop() {
        lock.lock()
        guard !stopped else { lock.unlock(); return }
        stopped = true
        lock.unlock()
        // Wake the blocked recvfrom with a datagram of our own, then close.
        let waker = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(waker, "x", 1, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        close(waker)
        finished.wait()
        close(fd)
    }
}

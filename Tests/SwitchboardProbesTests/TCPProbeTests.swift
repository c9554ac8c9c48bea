import Foundation
import Testing
@testable import SwitchboardCore
@testable import SwitchboardProbes

/// `kind: tcp` against a real server (python3 -m http.server) and peers that misbehave.
@Suite("tcp probes", .serialized)
struct TCPProbeTests {
    @Test("searching a reply, and one-line text for summaries")
    func pieces() {
        #expect(TCPProbe.contains(Array("HTTP/1.0 200 OK".utf8), Array("200".utf8)))
        #expect(TCPProbe.contains(Array("HTTP/1.0 200 OK".utf8), Array("OK".utf8), from: 13))
        #expect(!TCPProbe.contains(Array("HTTP/1.0 200 OK".utf8), Array("200".utf8), from: 10))
        #expect(!TCPProbe.contains(Array("20".utf8), Array("200".utf8)))
        #expect(!TCPProbe.contains([], Array("x".utf8)))
        #expect(SummaryText.oneLine("a\r\n\tb   c\n", limit: 10) == "a b c")
        #expect(SummaryText.oneLine("abcdefghijkl", limit: 5) == "abcde…")
    }

    @Test("config errors point at the option")
    func configErrors() {
        #expect(probeProblems(kind: "tcp", "target: pbx.example.net") == [
            "t.yaml:8:13: expected an address such as pbx.example.net:5038, got 'pbx.example.net': no port (write HOST:PORT)"])
        #expect(probeProblems(kind: "tcp", "target: \"[::1:80\"") == [
            "t.yaml:8:13: expected an address such as pbx.example.net:5038, got '[::1:80': '[' without ']'"])
        #expect(probeProblems(kind: "tcp", "target: h:1\nexpect: \"\"") == [
            "t.yaml:9:13: expected text the reply must contain, got an empty string"])
        #expect(probeProblems(kind: "tcp", "target: h:1\nsend: [a]") == ["t.yaml:9:11: expected text to send, got a list"])
    }

    @Test("a real HTTP server: connect time; send and expect; a reply without the expected text")
    func realServer() async throws {
        let server = try await LocalHTTPServer()
        let connect = await observe(try loadProbe(kind: "tcp", "target: 127.0.0.1:\(server.port)")).observation
        #expect(connect.status == .ok)
        #expect(connect.summary.hasPrefix("connected in "), "\(connect.summary)")
        #expect(connect.metric("connect")?.number != nil)

        let exchange = try loadProbe(kind: "tcp", "target: 127.0.0.1:\(server.port)\nsend: \"HEAD / HTTP/1.0\\r\\n\\r\\n\"\nexpect: \"HTTP/1.0 200\"")
        let answered = await observe(exchange).observation
        #expect(answered.status == .ok, "\(answered.summary)")
        #expect(answered.summary.contains(" · reply as expected in "))
        #expect(answered.metric("time")?.number != nil)

        let wrong = await observe(try loadProbe(kind: "tcp", "target: 127.0.0.1:\(server.port)\nsend: \"HEAD / HTTP/1.0\\r\\n\\r\\n\"\nexpect: SSH-2.0")).observation
        #expect(wrong.status == .warning)
        #expect(wrong.summary.hasPrefix("127.0.0.1:\(server.port) replied without 'SSH-2.0' before the connection closed: 'HTTP/1.0 200 OK Server: SimpleHTTP/"),
                "\(wrong.summary)")
    }

    @Test("refused; black-holed; silent with and without expect; closed without a reply; an endless reply")
    func misbehaving() async throws {
        let port = try freePort()
        let refused = await observe(try loadProbe(kind: "tcp", "target: 127.0.0.1:\(port)")).observation
        #expect(refused.status == .critical)
        #expect(refused.summary == "127.0.0.1:\(port): connection refused")

        let blackhole = try BlackholeTCPServer()
        let unanswered = await observeDirectly(try loadProbe(kind: "tcp", timeout: "1s", "target: 127.0.0.1:\(blackhole.port)"))
        #expect(unanswered.observation.status == .critical)
        #expect(unanswered.observation.summary == "127.0.0.1:\(blackhole.port): no connection in 900 ms")
        #expect(unanswered.took < .seconds(1) + schedulingSlack)

        let silent = try SilentTCPServer()
        #expect(await observe(try loadProbe(kind: "tcp", "target: 127.0.0.1:\(silent.port)")).observation.status == .ok)
        let quiet = await observeDirectly(try loadProbe(kind: "tcp", timeout: "1s", "target: 127.0.0.1:\(silent.port)\nsend: ping\nexpect: pong"))
        #expect(quiet.observation.status == .critical)
        #expect(quiet.observation.summary == "127.0.0.1:\(silent.port) accepted the connection but sent no reply in 900 ms")
        #expect(quiet.took < .seconds(1) + schedulingSlack)

        let hangUp = try ScriptedTCPServer(reply: [])
        let closed = await observe(try loadProbe(kind: "tcp", "target: 127.0.0.1:\(hangUp.port)\nsend: ping\nexpect: pong")).observation
        #expect(closed.status == .critical)
        #expect(closed.summary == "127.0.0.1:\(hangUp.port) closed the connection without a reply")

        let flood = try ScriptedTCPServer(reply: [String(repeating: "y\n", count: 100_000)], thenHold: true)
        let endless = await observe(try loadProbe(kind: "tcp", "target: 127.0.0.1:\(flood.port)\nsend: ping\nexpect: pong")).observation
        #expect(endless.status == .warning)
        #expect(endless.summary.hasPrefix("127.0.0.1:\(flood.port) replied without 'pong' in its first 64 KiB: 'y y y"), "\(endless.summary)")

        let banner = try ScriptedTCPServer(reply: ["220 mail.example ESMTP ready\r\n"], beforeRequest: true)
        for _ in 0..<20 {
            let greeted = await observe(try loadProbe(kind: "tcp", "target: 127.0.0.1:\(banner.port)\nsend: \"EHLO x\\r\\n\"\nexpect: ESMTP")).observation
            #expect(greeted.status == .ok, "a banner sent before our text, then a hang-up, still counts: \(greeted.summary)")
        }

        let slow = try ScriptedTCPServer(reply: ["220 mail.example ESMTP\r\n"], thenHold: true)
        let partial = await observeDirectly(try loadProbe(kind: "tcp", timeout: "1s", "target: 127.0.0.1:\(slow.port)\nsend: x\nexpect: pong")).observation
        #expect(partial.status == .warning)
        #expect(partial.summary == "127.0.0.1:\(slow.port) replied without 'pong' in 900 ms: '220 mail.example ESMTP'")
    }

    @Test("the leak check sees a socket that is open, and not once it is closed")
    func socketCount() throws {
        let silent = try SilentTCPServer()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(silent.port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0)
        #expect(openSockets(toPorts: [silent.port]) == 1)
        close(fd)
        #expect(openSockets(toPorts: [silent.port]) == 0)
    }

    @Test("hundreds of connections, answered, refused and hanging, leave no socket open")
    func noLeaks() async throws {
        let refusedPort = try freePort()
        let server = try await LocalHTTPServer()
        let silent = try SilentTCPServer()
        let probes = [
            try loadProbe(kind: "tcp", "target: 127.0.0.1:\(server.port)"),
            try loadProbe(kind: "tcp", "target: 127.0.0.1:\(refusedPort)"),
            try loadProbe(kind: "tcp", timeout: "300ms", "target: 127.0.0.1:\(silent.port)\nexpect: x"),
        ]
        _ = await observe(probes[0])
        await expectNoSocketsLeft(healthy: [probes[0]], failing: [probes[1], probes[2]], rounds: 100,
                                  ports: [server.port, refusedPort, silent.port])
    }
}

import Foundation
import Testing
@testable import SwitchboardCore
@testable import SwitchboardProbes

/// A reply to a SIP request as a server would build it: the request's Via, From, To, Call-ID
/// and CSeq echoed, with `change` applied to the header lines (to make a reply that does not match).
func sipReply(to request: [UInt8], _ status: String, change: (String) -> String = { $0 }) -> [UInt8] {
    let lines = String(decoding: request, as: UTF8.self).components(separatedBy: "\r\n")
    let echoed = lines.filter { line in ["Via:", "From:", "To:", "Call-ID:", "CSeq:"].contains { line.hasPrefix($0) } }
    let text = (["SIP/2.0 \(status)"] + echoed.map(change) + ["Server: scripted", "Content-Length: 0", "", ""]).joined(separator: "\r\n")
    return Array(text.utf8)
}

extension RetransmitSchedule {
    /// When each transmission goes out, from the first, within `window`.
    func sendTimes(within window: Duration) -> [Duration] {
        var times: [Duration] = [.zero]
        while true {
            let next = times[times.count - 1] + interval(after: times.count)
            guard next < window else { return times }
            times.append(next)
        }
    }
}

/// SIP's pieces: targets, the request, responses, stream framing and what a code means.
@Suite("sip protocol")
struct SIPProtocolTests {
    static let kamailioReply = """
        SIP/2.0 200 OK\r
        Via: SIP/2.0/UDP 127.0.0.1:33151;branch=z9hG4bK.06beb42c;rport=48398;received=127.0.0.1\r
        From: sip:sipsak@127.0.0.1:33151;tag=35b78e75\r
        To: sip:ping@127.0.0.1:5060;tag=b9dcc20e5ffba37e2b03af6a7ee57ad3.3c47cf8a\r
        Call-ID: 901222005@127.0.0.1\r
        CSeq: 1 OPTIONS\r
        Server: kamailio (5.6.3 (x86_64/linux))\r
        Content-Length: 0\r
        \r

        """

    @Test("targets: sip URIs with a user, a port, IPv6, a transport parameter; bare host:port")
    func targets() throws {
        let full = try SIPTarget(parsing: "sip:ping@127.0.0.1:5070")
        #expect(full.user == "ping")
        #expect(full.endpoint == Endpoint(host: "127.0.0.1", port: 5070))
        #expect(full.uri == "sip:ping@127.0.0.1:5070")
        #expect(try SIPTarget(parsing: "pbx.example.net").uri == "sip:pbx.example.net:5060")
        let v6 = try SIPTarget(parsing: "SIP:[::1]:5080;transport=TCP;lr")
        #expect(v6.endpoint == Endpoint(host: "::1", port: 5080))
        #expect(v6.transport == .tcp)
        #expect(v6.uri == "sip:[::1]:5080")
        #expect(throws: EndpointSyntaxError.self) { try SIPTarget(parsing: "sips:pbx.example.net") }
        #expect(throws: EndpointSyntaxError.self) { try SIPTarget(parsing: "sip:pbx;transport=sctp") }
        #expect(throws: EndpointSyntaxError.self) { try SIPTarget(parsing: "sip:@pbx") }
        #expect(throws: EndpointSyntaxError.self) { try SIPTarget(parsing: "sip:pbx:0") }
    }

    @Test("the OPTIONS request: Via with a z9hG4bK branch and rport, Max-Forwards 70, From tag, Call-ID, CSeq")
    func request() throws {
        let target = try SIPTarget(parsing: "sip:ping@10.0.0.9")
        let request = SIPOptionsRequest(target: target, transport: .udp, local: "10.0.0.2:40000", branch: "z9hG4bKabc",
                                        fromTag: "f00d", callID: "c411@10.0.0.2")
        #expect(request.text == """
            OPTIONS sip:ping@10.0.0.9:5060 SIP/2.0\r
            Via: SIP/2.0/UDP 10.0.0.2:40000;branch=z9hG4bKabc;rport\r
            Max-Forwards: 70\r
            From: <sip:switchboard@10.0.0.2:40000>;tag=f00d\r
            To: <sip:ping@10.0.0.9:5060>\r
            Call-ID: c411@10.0.0.2\r
            CSeq: 1 OPTIONS\r
            Contact: <sip:switchboard@10.0.0.2:40000;transport=udp>\r
            Accept: application/sdp\r
            User-Agent: Switchboard\r
            Content-Length: 0\r
            \r

            """)
        let first = SIPOptionsRequest.fresh(target: target, transport: .tcp, local: "[::1]:5062")
        let second = SIPOptionsRequest.fresh(target: target, transport: .tcp, local: "[::1]:5062")
        #expect(first.branch.hasPrefix("z9hG4bK") && first.branch.count > 20)
        #expect(first.branch != second.branch && first.callID != second.callID && first.fromTag != second.fromTag)
        #expect(first.callID.hasSuffix("@[::1]"))
        #expect(first.text.contains("Via: SIP/2.0/TCP [::1]:5062;branch=\(first.branch);rport\r\n"))
    }

    @Test("a response: status, headers by full or compact name, folded lines, LF-only endings")
    func parse() throws {
        let response = try SIPResponse.parse(Array(Self.kamailioReply.utf8))
        #expect(response.code == 200)
        #expect(response.statusText == "200 OK")
        #expect(response.topViaBranch == "z9hG4bK.06beb42c")
        #expect(response.header("server") == "kamailio (5.6.3 (x86_64/linux))")
        let compact = try SIPResponse.parse(Array("""
            SIP/2.0 404 Not Here\n\
            v: SIP/2.0/UDP a;BRANCH=z9hG4bK1 , SIP/2.0/UDP b;branch=z9hG4bK2\n\
            i: abc\n\
            CSeq: 1\n\t OPTIONS\n\
            \n
            """.utf8))
        #expect(compact.code == 404)
        #expect(compact.reason == "Not Here")
        #expect(compact.topViaBranch == "z9hG4bK1")
        #expect(compact.header("Call-ID") == "abc")
        #expect(compact.header("cseq") == "1 OPTIONS")
        #expect(try SIPResponse.parse(Array("\r\n\r\nSIP/2.0 503\r\n\r\n".utf8)).statusText == "503")
    }

    @Test("not SIP: HTTP, a request, a bad code, a header without a colon, nothing",
          arguments: ["HTTP/1.1 200 OK\r\n\r\n", "OPTIONS sip:x SIP/2.0\r\n\r\n", "SIP/2.0 2000 OK\r\n\r\n",
                      "SIP/2.0 099 Low\r\n\r\n", "SIP/2.0 200 OK\r\nVia SIP/2.0/UDP x\r\n\r\n", "", "\u{0}\u{1B}[2J\u{FF}"])
    func notSIP(_ text: String) {
        #expect(throws: SIPParseError.self) { try SIPResponse.parse(Array(text.utf8)) }
    }

    @Test("matching: branch, Call-ID and CSeq number and method must all agree")
    func matching() throws {
        let target = try SIPTarget(parsing: "127.0.0.1")
        let request = SIPOptionsRequest(target: target, transport: .udp, local: "127.0.0.1:4000", branch: "z9hG4bKaa",
                                        fromTag: "t", callID: "id@h")
        func reply(_ change: @escaping (String) -> String) throws -> SIPResponse {
            try SIPResponse.parse(sipReply(to: Array(request.text.utf8), "200 OK", change: change))
        }
        #expect(try reply { $0 }.answers(request))
        #expect(try !reply { $0.replacingOccurrences(of: "z9hG4bKaa", with: "z9hG4bKbb") }.answers(request))
        #expect(try !reply { $0.replacingOccurrences(of: "id@h", with: "other@h") }.answers(request))
        #expect(try !reply { $0.replacingOccurrences(of: "CSeq: 1 OPTIONS", with: "CSeq: 2 OPTIONS") }.answers(request))
        #expect(try !reply { $0.replacingOccurrences(of: "CSeq: 1 OPTIONS", with: "CSeq: 1 INVITE") }.answers(request))
    }

    @Test("stream framing: a message split at every byte, two in one read, bodies, keep-alives")
    func framing() throws {
        let message = Array("SIP/2.0 200 OK\r\nCall-ID: a\r\nContent-Length: 5\r\n\r\nhello".utf8)
        var framer = SIPStreamFramer()
        var found: [[UInt8]] = []
        for byte in message { found += try framer.feed([byte]) }
        #expect(found == [message])
        var pair = SIPStreamFramer()
        let two = try pair.feed(Array("\r\n\r\n".utf8) + message + Array("\r\n".utf8) + message)
        #expect(two == [message, message])
        var noLength = SIPStreamFramer()
        #expect(try noLength.feed(Array("SIP/2.0 200 OK\nCall-ID: a\n\nSIP/2.0 1".utf8)).count == 1)
    }

    @Test("stream framing: an endless header block or a huge or bad Content-Length is an error")
    func framingLimits() {
        var endless = SIPStreamFramer(limit: 1024)
        #expect(throws: SIPParseError.tooLarge(1024)) {
            for _ in 0..<100 { _ = try endless.feed(Array("X-Filler: 0123456789\r\n".utf8)) }
        }
        var huge = SIPStreamFramer(limit: 1024)
        #expect(throws: SIPParseError.tooLarge(1024)) { try huge.feed(Array("SIP/2.0 200 OK\r\nl: 999999\r\n\r\n".utf8)) }
        var bad = SIPStreamFramer()
        #expect(throws: SIPParseError.self) { try bad.feed(Array("SIP/2.0 200 OK\r\nContent-Length: -4\r\n\r\n".utf8)) }
    }

    @Test("what a code means", arguments: [
        (200, [], ProbeStatus.ok), (202, [], .ok), (404, [404], .ok), (401, [], .warning), (403, [], .warning),
        (404, [], .warning), (405, [], .warning), (407, [], .warning), (501, [], .warning), (302, [], .warning),
        (603, [], .warning), (503, [], .critical), (500, [], .critical), (504, [], .critical), (503, [503], .ok),
    ])
    func verdicts(_ code: Int, _ accepted: [Int], _ status: ProbeStatus) {
        #expect(SIPVerdict.status(code: code, accepted: Set(accepted)) == status)
    }

    @Test("retransmissions: 0.5, 1, 2, then every 4 s (timer A); DNS from 1 s")
    func retransmissions() {
        #expect((1...6).map { RetransmitSchedule.sip.interval(after: $0) } == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(4), .seconds(4)])
        #expect(RetransmitSchedule.sip.sendTimes(within: .seconds(5)) == [.zero, .milliseconds(500), .milliseconds(1500), .milliseconds(3500)])
        #expect(RetransmitSchedule.dns.sendTimes(within: .seconds(8)) == [.zero, .seconds(1), .seconds(3), .seconds(7)])
        #expect(RetransmitSchedule.dns.sendTimes(within: .milliseconds(900)) == [.zero])
    }

    @Test("config errors point at the option")
    func configErrors() {
        #expect(probeProblems(kind: "sip", "target: \"sips:pbx\"") == [
            "t.yaml:8:13: expected a SIP address such as sip:pbx.example.net:5060, got 'sips:pbx': sips: (SIP over TLS) is not supported; use sip: with udp or tcp"])
        #expect(probeProblems(kind: "sip", "target: pbx\ntransport: sctp") == ["t.yaml:9:16: expected udp or tcp, got 'sctp'"])
        #expect(probeProblems(kind: "sip", "target: \"sip:pbx;transport=udp\"\ntransport: tcp") == [
            "t.yaml:9:16: transport tcp contradicts ';transport=udp' in the target"])
        #expect(probeProblems(kind: "sip", "target: pbx\naccept: [404, 99]") == [
            "t.yaml:9:19: expected a SIP status code from 100 to 699, got 99"])
        #expect(probeProblems(kind: "sip", "target: pbx:70000") == [
            "t.yaml:8:13: expected a SIP address such as sip:pbx.example.net:5060, got 'pbx:70000': port '70000' is not a number from 1 to 65535"])
        #expect(probeProblems(kind: "sip", "target: pbx\naccept: 404") == [])
    }
}

/// `kind: sip` against a real Kamailio, and against peers that answer oddly or not at all.
@Suite("sip probes", .serialized)
struct SIPProbeTests {
    static let kamailio = KamailioServer.isInstalled

    @Test("Kamailio answering 200 over UDP and TCP", .enabled(if: kamailio, "kamailio is not installed (scripts/test installs it)"))
    func answered() async throws {
        let server = try await KamailioServer(replies: [(200, "OK")])
        for transport in ["udp", "tcp"] {
            let observation = await observe(try loadProbe(kind: "sip", "target: sip:ping@127.0.0.1:\(server.port)\ntransport: \(transport)")).observation
            #expect(observation.status == .ok, "\(transport): \(observation.summary)")
            #expect(observation.summary.hasPrefix("200 OK · "), "\(observation.summary)")
            #expect((observation.metric("rtt")?.number ?? -1) > 0)
            #expect(observation.metric("code") == .number(200, unit: ""))
            #expect(observation.details == "\(transport) 127.0.0.1:\(server.port) · kamailio (5.6.3 (x86_64/linux))"
                || observation.details.hasPrefix("\(transport) 127.0.0.1:\(server.port) · kamailio"), "\(observation.details)")
        }
        let threshold = await observe(try loadProbe(kind: "sip", "target: 127.0.0.1:\(server.port)\ncrit: \"rtt=@0:10000\"")).observation
        #expect(threshold.status == .critical, "the rtt metric takes thresholds")
    }

    @Test("Kamailio answering 503, 404 (with and without accept:), or only 100 Trying",
          .enabled(if: kamailio, "kamailio is not installed (scripts/test installs it)"))
    func answers() async throws {
        let unavailable = try await KamailioServer(replies: [(503, "Service Unavailable")])
        let busy = await observe(try loadProbe(kind: "sip", "target: 127.0.0.1:\(unavailable.port)")).observation
        #expect(busy.status == .critical)
        #expect(busy.summary.hasPrefix("503 Service Unavailable · "), "\(busy.summary)")
        unavailable.stop()

        let notFound = try await KamailioServer(replies: [(404, "Not Found")])
        let alive = await observe(try loadProbe(kind: "sip", "target: 127.0.0.1:\(notFound.port)")).observation
        #expect(alive.status == .warning)
        #expect(alive.summary.hasPrefix("alive, but 404 Not Found · "), "\(alive.summary)")
        let accepted = await observe(try loadProbe(kind: "sip", "target: 127.0.0.1:\(notFound.port)\naccept: [404]")).observation
        #expect(accepted.status == .ok)
        #expect(accepted.summary.hasPrefix("404 Not Found · "))
        notFound.stop()

        let trying = try await KamailioServer(replies: [(100, "Trying")])
        let provisional = await observeDirectly(try loadProbe(kind: "sip", timeout: "1s", "target: 127.0.0.1:\(trying.port)"))
        #expect(provisional.observation.status == .critical)
        #expect(provisional.observation.summary == "udp 127.0.0.1:\(trying.port) answered 100 Trying but nothing final in 900 ms")
        #expect(provisional.took < .seconds(1) + schedulingSlack)
    }

    @Test("Kamailio stopped: no answer over UDP (port unreachable), refused over TCP; no process left",
          .enabled(if: kamailio, "kamailio is not installed (scripts/test installs it)"))
    func stopped() async throws {
        let server = try await KamailioServer(replies: [(200, "OK")])
        let udp = try loadProbe(kind: "sip", "target: 127.0.0.1:\(server.port)")
        let tcp = try loadProbe(kind: "sip", "target: 127.0.0.1:\(server.port)\ntransport: tcp")
        #expect(await observe(udp).observation.status == .ok)
        server.stop()
        #expect(server.livingProcesses.isEmpty, "kamailio processes left: \(server.livingProcesses)")
        let unreachable = await observe(udp).observation
        #expect(unreachable.status == .critical)
        #expect(unreachable.summary == "nothing listens on udp 127.0.0.1:\(server.port) (ICMP port unreachable)")
        let refused = await observe(tcp).observation
        #expect(refused.status == .critical)
        #expect(refused.summary == "tcp 127.0.0.1:\(server.port): connection refused")
    }

    @Test("black-holed UDP: retransmitted, the same request each time, critical within the timeout")
    func blackhole() async throws {
        let silent = try SilentUDPServer()
        let result = await observeDirectly(try loadProbe(kind: "sip", timeout: "2s", "target: sip:ping@127.0.0.1:\(silent.port)"))
        #expect(result.observation.status == .critical)
        #expect(result.took < .seconds(2) + schedulingSlack)
        // 0, 0.5 and 1.5 s fit in the 1.8 s budget; a loaded machine may wake the sender late.
        #expect(RetransmitSchedule.sip.sendTimes(within: .milliseconds(1800)) == [.zero, .milliseconds(500), .milliseconds(1500)])
        let sent = silent.received()
        #expect((2...3).contains(sent.count))
        #expect(result.observation.summary == "no answer from udp 127.0.0.1:\(silent.port) in 1.8 s (\(sent.count) tries)")
        #expect(Set(sent).count == 1, "a retransmission repeats the request byte for byte")
        let text = String(decoding: sent.first ?? [], as: UTF8.self)
        #expect(text.hasPrefix("OPTIONS sip:ping@127.0.0.1:\(silent.port) SIP/2.0\r\n"))
        #expect(text.range(of: #"Via: SIP/2\.0/UDP 127\.0\.0\.1:\d+;branch=z9hG4bK[0-9a-f]{20};rport\r\n"#, options: .regularExpression) != nil)
        #expect(text.contains("\r\nMax-Forwards: 70\r\n"))
        #expect(text.range(of: #"\r\nFrom: <sip:switchboard@127\.0\.0\.1:\d+>;tag=[0-9a-f]{12}\r\n"#, options: .regularExpression) != nil)
        #expect(text.contains("\r\nCSeq: 1 OPTIONS\r\n"))
        #expect(text.hasSuffix("\r\nContent-Length: 0\r\n\r\n"))
    }

    @Test("stray and garbled datagrams are ignored; the answer to a retransmission counts, timed from the first")
    func strays() async throws {
        let server = try ScriptedUDPServer { request, index in
            switch index {
            case 0: // a reply for another transaction, garbage, and a provisional answer
                [sipReply(to: request, "200 OK") { $0.replacingOccurrences(of: "branch=z9hG4bK", with: "branch=z9hG4bKx") },
                 Array("\u{1B}[2Jnot sip at all".utf8), sipReply(to: request, "100 Trying")]
            default:
                [sipReply(to: request, "200 OK")]
            }
        }
        let result = await observe(try loadProbe(kind: "sip", "target: 127.0.0.1:\(server.port)"))
        #expect(result.observation.status == .ok)
        #expect(result.observation.summary.hasPrefix("200 OK · "), "\(result.observation.summary)")
        #expect(result.observation.summary.hasSuffix(" · 1 retransmission"), "\(result.observation.summary)")
        #expect((result.observation.metric("rtt")?.number ?? 0) >= 500, "timed from the first transmission")
        #expect(server.received.count == 2)
    }

    @Test("TCP: a server that accepts and never answers, one that black-holes, one that speaks HTTP")
    func tcpMisbehaving() async throws {
        let silent = try SilentTCPServer()
        let quiet = await observeDirectly(try loadProbe(kind: "sip", timeout: "1s", "target: 127.0.0.1:\(silent.port)\ntransport: tcp"))
        #expect(quiet.observation.status == .critical)
        #expect(quiet.observation.summary == "tcp 127.0.0.1:\(silent.port) accepted the connection but sent no answer in 900 ms")
        #expect(quiet.took < .seconds(1) + schedulingSlack)

        let blackhole = try BlackholeTCPServer()
        let unanswered = await observeDirectly(try loadProbe(kind: "sip", timeout: "1s", "target: 127.0.0.1:\(blackhole.port)\ntransport: tcp"))
        #expect(unanswered.observation.summary == "tcp 127.0.0.1:\(blackhole.port): no connection in 900 ms")
        #expect(unanswered.took < .seconds(1) + schedulingSlack)

        let http = try ScriptedTCPServer(reply: ["HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"])
        let garbage = await observe(try loadProbe(kind: "sip", "target: 127.0.0.1:\(http.port)\ntransport: tcp")).observation
        #expect(garbage.status == .unknown)
        #expect(garbage.summary == "tcp 127.0.0.1:\(http.port) answered with not a SIP response: 'HTTP/1.1 400 Bad Request' is not a SIP status line")

        let hangUp = try ScriptedTCPServer(reply: ["SIP/2.0 100 Trying\r\n"])
        let dropped = await observe(try loadProbe(kind: "sip", "target: 127.0.0.1:\(hangUp.port)\ntransport: tcp")).observation
        #expect(dropped.summary == "tcp 127.0.0.1:\(hangUp.port) closed the connection without a final answer")
    }

    @Test("hundreds of pings, answered, unreachable and unanswered, leave no socket open",
          .enabled(if: kamailio, "kamailio is not installed (scripts/test installs it)"))
    func noLeaks() async throws {
        let refusedPort = try freePort()
        let server = try await KamailioServer(replies: [(200, "OK")])
        let silent = try SilentUDPServer()
        let probes = [
            try loadProbe(kind: "sip", "target: 127.0.0.1:\(server.port)"),
            try loadProbe(kind: "sip", "target: 127.0.0.1:\(server.port)\ntransport: tcp"),
            try loadProbe(kind: "sip", "target: 127.0.0.1:\(refusedPort)"),
            try loadProbe(kind: "sip", timeout: "300ms", "target: 127.0.0.1:\(silent.port)"),
        ]
        _ = await observe(probes[0])
        await expectNoSocketsLeft(healthy: [probes[0], probes[1]], failing: [probes[2], probes[3]], rounds: 50,
                                  ports: [server.port, refusedPort, silent.port])
    }
}

import Foundation
import Testing
@testable import SwitchboardCore
@testable import SwitchboardProbes

/// A DNS response built by hand: the header, the question of `query`, and the given answer
/// records (already encoded), with `code` and flags as given.
func dnsResponse(to query: DNSQuery, code: UInt8 = 0, truncated: Bool = false, id: UInt16? = nil, answers: [[UInt8]] = []) -> [UInt8] {
    var bytes = DNSQuery.u16(id ?? query.id)
    bytes += [0x81 | (truncated ? 0x02 : 0), 0x80 | code]
    bytes += DNSQuery.u16(1) + DNSQuery.u16(UInt16(answers.count)) + DNSQuery.u16(0) + DNSQuery.u16(0)
    bytes += query.name.wire + DNSQuery.u16(query.type.rawValue) + DNSQuery.u16(1)
    return bytes + answers.flatMap { $0 }
}

/// One answer record: a pointer to the question's name (offset 12), type, class IN, TTL 60, data.
func dnsRecord(type: UInt16, _ data: [UInt8]) -> [UInt8] {
    [0xC0, 12] + DNSQuery.u16(type) + DNSQuery.u16(1) + [0, 0, 0, 60] + DNSQuery.u16(UInt16(data.count)) + data
}

/// The DNS message codec and what an answer means, with odd and hostile input.
@Suite("dns protocol")
struct DNSProtocolTests {
    static let query = DNSQuery(id: 0xBEEF, name: try! DNSName(parsing: "pbx.test"), type: .a)

    @Test("names: labels, trailing dot, limits, non-ASCII; reverse names for PTR")
    func names() throws {
        #expect(try DNSName(parsing: "pbx.example.net.").labels == ["pbx", "example", "net"])
        #expect(try DNSName(parsing: "pbx.test").wire == [3, 0x70, 0x62, 0x78, 4, 0x74, 0x65, 0x73, 0x74, 0])
        #expect(try DNSName(parsing: ".").wire == [0])
        for bad in ["a..b", String(repeating: "x", count: 64) + ".test", "bad name.test", "bücher.test",
                    Array(repeating: "abcdefghi", count: 30).joined(separator: ".")] {
            #expect(throws: DNSMessageError.self, "\(bad)") { try DNSName(parsing: bad) }
        }
        #expect(DNSName.reverse(of: "192.0.2.10")?.description == "10.2.0.192.in-addr.arpa")
        #expect(DNSName.reverse(of: "2001:db8::1")?.description
            == "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")
        #expect(DNSName.reverse(of: "pbx.test") == nil)
    }

    @Test("the query on the wire: id, RD, one question, EDNS with 1232 bytes")
    func queryBytes() {
        #expect(Self.query.bytes == [0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1,
                                     3, 0x70, 0x62, 0x78, 4, 0x74, 0x65, 0x73, 0x74, 0, 0, 1, 0, 1,
                                     0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0])
    }

    @Test("answers of every kind the probe shows, through compression pointers")
    func records() throws {
        let mailName = [4] + Array("mail".utf8) + [0xC0, 16] // mail.test, pointing into the question
        let response = try DNSResponse.parse(dnsResponse(to: Self.query, answers: [
            dnsRecord(type: 1, [192, 0, 2, 10]),
            dnsRecord(type: 28, [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1]),
            dnsRecord(type: 15, [0, 10] + mailName),
            dnsRecord(type: 33, [0, 1, 0, 2, 0x13, 0xC4] + mailName),
            dnsRecord(type: 16, [5] + Array("hello".utf8) + [0]),
            dnsRecord(type: 5, mailName),
            dnsRecord(type: 6, mailName + mailName + [0, 0, 0, 7] + Array(repeating: 0, count: 16)),
            dnsRecord(type: 99, [1, 2, 3]),
        ]))
        #expect(response.answers(Self.query))
        #expect(response.code == .noError)
        #expect(response.answers.map(\.display) == ["192.0.2.10", "2001:db8::1", "10 mail.test", "1 2 5060 mail.test",
                                                    "\"hello\" \"\"", "mail.test", "mail.test serial 7", "TYPE99 (3 bytes)"])
        #expect(response.answers.allSatisfy { $0.name.description == "pbx.test" && $0.ttl == 60 })
    }

    @Test("response codes and matching: id, question, QR bit")
    func codes() throws {
        #expect(try DNSResponse.parse(dnsResponse(to: Self.query, code: 3)).code == .nameError)
        #expect(try DNSResponse.parse(dnsResponse(to: Self.query, code: 2)).code == .serverFailure)
        #expect(try DNSResponse.parse(dnsResponse(to: Self.query, code: 5)).code == .refused)
        #expect(try DNSResponse.parse(dnsResponse(to: Self.query, code: 9)).code == .other(9))
        #expect(try DNSResponse.parse(dnsResponse(to: Self.query, truncated: true)).truncated)
        #expect(try !DNSResponse.parse(dnsResponse(to: Self.query, id: 1)).answers(Self.query))
        let other = DNSQuery(id: Self.query.id, name: try DNSName(parsing: "other.test"), type: .a)
        #expect(try !DNSResponse.parse(dnsResponse(to: other)).answers(Self.query))
        let aaaa = DNSQuery(id: Self.query.id, name: Self.query.name, type: .aaaa)
        #expect(try !DNSResponse.parse(dnsResponse(to: aaaa)).answers(Self.query))
        #expect(try DNSResponse.parse(dnsResponse(to: DNSQuery(id: Self.query.id, name: try DNSName(parsing: "PBX.Test"), type: .a)))
            .answers(Self.query), "names compare without case")
        #expect(try !DNSResponse.parse(Self.query.bytes).answers(Self.query), "our own query is not an answer")
    }

    @Test("hostile messages: cut short, pointer loops, forward pointers, bad labels, wrong lengths",
          arguments: [
              Array(dnsResponse(to: query).prefix(11)),
              Array(dnsResponse(to: query, answers: [dnsRecord(type: 1, [192, 0, 2, 10])]).dropLast(2)),
              dnsResponse(to: query, answers: [[0xC0, 40] + dnsRecord(type: 1, [1, 2, 3, 4]).dropFirst(2)]),
              dnsResponse(to: query, answers: [[0xC0, 26] + dnsRecord(type: 1, [1, 2, 3, 4]).dropFirst(2)]),
              dnsResponse(to: query, answers: [[0x80, 1] + dnsRecord(type: 1, [1, 2, 3, 4]).dropFirst(2)]),
              dnsResponse(to: query, answers: [dnsRecord(type: 1, [1, 2, 3])]),
              dnsResponse(to: query, answers: [dnsRecord(type: 28, [1, 2, 3, 4])]),
              dnsResponse(to: query, answers: [dnsRecord(type: 16, [9, 65])]),
              dnsResponse(to: query, answers: [dnsRecord(type: 5, [3, 65, 66, 67, 0, 7])]),
              dnsResponse(to: query, answers: [dnsRecord(type: 6, [0, 0, 0, 0, 0, 1])]),
              [UInt8](repeating: 0xFF, count: 600),
              [],
          ])
    func hostile(_ bytes: [UInt8]) {
        #expect(throws: DNSMessageError.self) { try DNSResponse.parse(bytes) }
    }

    @Test("a truncated answer cut in the middle of a record still reads as truncated (and is asked again over TCP)")
    func truncatedMidRecord() throws {
        let full = dnsResponse(to: Self.query, truncated: true, answers: [dnsRecord(type: 1, [192, 0, 2, 10]), dnsRecord(type: 1, [192, 0, 2, 11])])
        let cut = Array(full.dropLast(6))
        let response = try DNSResponse.parse(cut)
        #expect(response.truncated)
        #expect(response.answers(Self.query))
        #expect(response.answers.map(\.display) == ["192.0.2.10"])
        var untruncated = cut
        untruncated[2] &= ~0x02
        #expect(throws: DNSMessageError.truncatedMessage) { try DNSResponse.parse(untruncated) }
    }

    @Test("a name that points to itself never loops")
    func selfPointer() {
        var bytes = dnsResponse(to: Self.query)
        bytes[7] = 1 // one answer
        bytes += [0xC0, UInt8(bytes.count)] + [0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4]
        #expect(throws: DNSMessageError.badPointer) { try DNSResponse.parse(bytes) }
    }

    @Test("resolv.conf: the nameserver lines, zones dropped, comments and junk ignored, the default")
    func resolvConf() {
        #expect(ResolvConf.nameservers("# generated\nsearch example.net\nnameserver 10.0.0.53\nnameserver fe80::1%eth0\n")
            == [Endpoint(host: "10.0.0.53", port: 53), Endpoint(host: "fe80::1", port: 53)])
        #expect(ResolvConf.nameservers("nameserver\nnameserver not-an-address\noptions ndots:2") == [Endpoint(host: "127.0.0.1", port: 53)])
        #expect(ResolvConf.nameservers("") == [Endpoint(host: "127.0.0.1", port: 53)])
    }

    @Test("what an answer means: NXDOMAIN, SERVFAIL, REFUSED, empty, an alias only, expected values")
    func verdicts() throws {
        let server = Endpoint(host: "10.0.0.53", port: 53)
        func judge(_ bytes: [UInt8], expect: [String] = []) throws -> ProbeObservation {
            DNSVerdict.observation(try DNSResponse.parse(bytes), query: Self.query, expect: expect, took: .milliseconds(3), server: server)
        }
        #expect(try judge(dnsResponse(to: Self.query, code: 3)).summary == "pbx.test does not exist (NXDOMAIN from 10.0.0.53:53)")
        #expect(try judge(dnsResponse(to: Self.query, code: 2)).summary == "10.0.0.53:53 failed to resolve pbx.test (SERVFAIL)")
        #expect(try judge(dnsResponse(to: Self.query, code: 5)).summary == "10.0.0.53:53 refused to answer for pbx.test (REFUSED)")
        #expect(try judge(dnsResponse(to: Self.query, code: 4)).status == .unknown)
        #expect(try judge(dnsResponse(to: Self.query)).summary == "pbx.test has no A record (NOERROR, empty answer)")
        let alias = try judge(dnsResponse(to: Self.query, answers: [dnsRecord(type: 5, [3] + Array("www".utf8) + [0xC0, 16])]))
        #expect(alias.summary == "pbx.test is an alias of www.test, with no A record")
        let five = (1...5).map { dnsRecord(type: 1, [192, 0, 2, UInt8($0)]) }
        let many = try judge(dnsResponse(to: Self.query, answers: five))
        #expect(many.status == .ok)
        #expect(many.summary == "pbx.test A 192.0.2.1, 192.0.2.2, 192.0.2.3, 192.0.2.4 and 1 more · 3 ms")
        #expect(many.metric("answers") == .number(5, unit: ""))
        #expect(try judge(dnsResponse(to: Self.query, answers: five), expect: ["192.0.2.5"]).status == .ok)
        let wrong = try judge(dnsResponse(to: Self.query, answers: five), expect: ["192.0.2.9", "192.0.2.1"])
        #expect(wrong.status == .critical)
        #expect(wrong.summary.hasSuffix(" and 1 more, not 192.0.2.9 · 3 ms"))
    }

    @Test("config errors point at the option")
    func configErrors() {
        #expect(probeProblems(kind: "dns", "name: pbx.test\ntype: AXFR") == [
            "t.yaml:9:11: unknown record type 'AXFR' (expected one of: A, NS, CNAME, SOA, PTR, MX, TXT, AAAA, SRV)"])
        #expect(probeProblems(kind: "dns", "name: \"a..b\"") == ["t.yaml:8:11: 'a..b' has an empty label or one longer than 63 bytes"])
        #expect(probeProblems(kind: "dns", "name: pbx.test\nserver: \"10.0.0.53:0\"") == [
            "t.yaml:9:13: expected an address such as 10.0.0.53 or 127.0.0.1:5353, got '10.0.0.53:0': port '0' is not a number from 1 to 65535"])
        #expect(probeProblems(kind: "dns", "name: 192.0.2.10\ntype: ptr") == [])
    }
}

/// `kind: dns` against a real dnsmasq, and against servers that do not answer or answer oddly.
@Suite("dns probes", .serialized)
struct DNSProbeTests {
    static let dnsmasq = DnsmasqServer.isInstalled

    /// Records for the authoritative dnsmasq.
    static let records = [
        "--host-record=pbx.test,192.0.2.10", "--local=/test/", "--cname=alias.test,pbx.test", "--mx-host=test,mail.test,10",
        "--txt-record=pbx.test,site=phoenix",
    ] + (1...8).map { "--txt-record=big.test,\(String(repeating: Character(String($0)), count: 250))" }

    @Test("dnsmasq: A, AAAA (none), CNAME, MX, TXT, PTR, expect, NXDOMAIN, REFUSED", .enabled(if: dnsmasq, "dnsmasq is not installed (scripts/test installs it)"))
    func answers() async throws {
        let server = try await DnsmasqServer(Self.records)
        func ask(_ options: String) async throws -> ProbeObservation {
            await observe(try loadProbe(kind: "dns", "server: 127.0.0.1:\(server.port)\n" + options)).observation
        }
        let a = try await ask("name: pbx.test")
        #expect(a.status == .ok, "\(a.summary)\n\(server.log)")
        #expect(a.summary.hasPrefix("pbx.test A 192.0.2.10 · "))
        #expect(a.metric("answers") == .number(1, unit: ""))
        #expect(a.details == "asked 127.0.0.1:\(server.port)")
        #expect(try await ask("name: pbx.test\nexpect: [192.0.2.10]").status == .ok)
        let unexpected = try await ask("name: pbx.test\nexpect: [192.0.2.99]")
        #expect(unexpected.status == .critical)
        #expect(unexpected.summary.hasPrefix("pbx.test A 192.0.2.10, not 192.0.2.99 · "))

        let noAAAA = try await ask("name: pbx.test\ntype: AAAA")
        #expect(noAAAA.status == .critical)
        #expect(noAAAA.summary == "pbx.test has no AAAA record (NOERROR, empty answer)")
        #expect(try await ask("name: alias.test\ntype: CNAME").summary.hasPrefix("alias.test CNAME pbx.test · "))
        #expect(try await ask("name: test\ntype: MX").summary.hasPrefix("test MX 10 mail.test · "))
        let text = try await ask("name: pbx.test\ntype: TXT")
        #expect(text.summary.hasPrefix("pbx.test TXT \"site=phoenix\" · "), "\(text.summary)")
        let reverse = try await ask("name: 192.0.2.10\ntype: PTR")
        #expect(reverse.summary.hasPrefix("10.2.0.192.in-addr.arpa PTR pbx.test · "), "\(reverse.summary)")

        let missing = try await ask("name: nope.test")
        #expect(missing.status == .critical)
        #expect(missing.summary == "nope.test does not exist (NXDOMAIN from 127.0.0.1:\(server.port))")
        let refused = try await ask("name: example.com")
        #expect(refused.status == .critical)
        #expect(refused.summary == "127.0.0.1:\(server.port) refused to answer for example.com (REFUSED)")
    }

    @Test("dnsmasq: a truncated UDP answer is asked again over TCP", .enabled(if: dnsmasq, "dnsmasq is not installed (scripts/test installs it)"))
    func truncated() async throws {
        let server = try await DnsmasqServer(Self.records)
        let big = await observe(try loadProbe(kind: "dns", "server: 127.0.0.1:\(server.port)\nname: big.test\ntype: TXT")).observation
        #expect(big.status == .ok, "\(big.summary)")
        #expect(big.metric("answers") == .number(8, unit: ""))
        #expect(big.summary.contains(" and 4 more · "))
    }

    @Test("dnsmasq validating DNSSEC over an unsigned upstream: SERVFAIL", .enabled(if: dnsmasq, "dnsmasq is not installed (scripts/test installs it)"))
    func serverFailure() async throws {
        let upstream = try await DnsmasqServer(Self.records)
        let validating = try await DnsmasqServer([
            "--server=127.0.0.1#\(upstream.port)", "--dnssec",
            "--trust-anchor=.,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
        ])
        let failed = await observe(try loadProbe(kind: "dns", "server: 127.0.0.1:\(validating.port)\nname: pbx.test")).observation
        #expect(failed.status == .critical)
        #expect(failed.summary == "127.0.0.1:\(validating.port) failed to resolve pbx.test (SERVFAIL)", "\(validating.log)")
    }

    @Test("no answer (black hole), port unreachable, strays before the answer, garbage only")
    func misbehaving() async throws {
        let silent = try SilentUDPServer()
        let result = await observeDirectly(try loadProbe(kind: "dns", timeout: "2s", "server: 127.0.0.1:\(silent.port)\nname: pbx.test"))
        #expect(result.observation.status == .critical)
        #expect(result.took < .seconds(2) + schedulingSlack)
        let sent = silent.received().count // 0 and 1 s; a loaded machine may wake the sender late
        #expect((1...2).contains(sent))
        #expect(result.observation.summary == "no answer from 127.0.0.1:\(silent.port) for pbx.test in 1.8 s (\(sent) tr\(sent == 1 ? "y" : "ies"))")

        let port = try freePort()
        let unreachable = await observe(try loadProbe(kind: "dns", "server: 127.0.0.1:\(port)\nname: pbx.test")).observation
        #expect(unreachable.summary == "nothing listens on udp 127.0.0.1:\(port) (ICMP port unreachable)")

        let scripted = try ScriptedUDPServer { datagram, _ in
            let id = UInt16(datagram[0]) << 8 | UInt16(datagram[1])
            let query = DNSQuery(id: id, name: try! DNSName(parsing: "pbx.test"), type: .a)
            return [Array("garbage".utf8), dnsResponse(to: query, id: id &+ 1, answers: [dnsRecord(type: 1, [10, 0, 0, 1])]),
                    dnsResponse(to: query, answers: [dnsRecord(type: 1, [192, 0, 2, 10])])]
        }
        let answered = await observe(try loadProbe(kind: "dns", "server: 127.0.0.1:\(scripted.port)\nname: pbx.test")).observation
        #expect(answered.status == .ok)
        #expect(answered.summary.hasPrefix("pbx.test A 192.0.2.10 · "))

        let junk = try ScriptedUDPServer { _, _ in [Array(repeating: 0xFF, count: 40)] }
        let unreadable = await observeDirectly(try loadProbe(kind: "dns", timeout: "1s", "server: 127.0.0.1:\(junk.port)\nname: pbx.test")).observation
        // The garbage is ignored, never taken for an answer. How many tries went out before the
        // deadline (and drew how many replies) depends on how late a loaded machine wakes the probe.
        let prefix = "no answer from 127.0.0.1:\(junk.port) for pbx.test in 900 ms ("
        #expect(unreadable.summary.hasPrefix(prefix) && unreadable.summary.contains("unrelated or unreadable repl"),
                "\(unreadable.summary)")
    }

    @Test("hundreds of queries, answered, unreachable and unanswered, leave no socket open",
          .enabled(if: dnsmasq, "dnsmasq is not installed (scripts/test installs it)"))
    func noLeaks() async throws {
        let refusedPort = try freePort()
        let server = try await DnsmasqServer(Self.records)
        let silent = try SilentUDPServer()
        let probes = [
            try loadProbe(kind: "dns", "server: 127.0.0.1:\(server.port)\nname: pbx.test"),
            try loadProbe(kind: "dns", "server: 127.0.0.1:\(refusedPort)\nname: pbx.test"),
            try loadProbe(kind: "dns", timeout: "300ms", "server: 127.0.0.1:\(silent.port)\nname: pbx.test"),
        ]
        _ = await observe(probes[0])
        await expectNoSocketsLeft(healthy: [probes[0]], failing: [probes[1], probes[2]], rounds: 100,
                                  ports: [server.port, refusedPort, silent.port])
    }
}

import Foundation
import Testing
@testable import SwitchboardCore
@testable import SwitchboardProbes

/// The NUT protocol's pieces, with the odd input a network hands over.
@Suite("nut protocol")
struct NUTProtocolTests {
    @Test("words: plain, quoted, escaped, empty quotes, tabs")
    func words() throws {
        #expect(try NUTProtocol.words(#"VAR main ups.status "OL""#) == ["VAR", "main", "ups.status", "OL"])
        #expect(try NUTProtocol.words(#"VAR main device.model "Smart-UPS 1500""#) == ["VAR", "main", "device.model", "Smart-UPS 1500"])
        #expect(try NUTProtocol.words(#"VAR main ups.id "say \"hi\" \\ back""#) == ["VAR", "main", "ups.id", #"say "hi" \ back"#])
        #expect(try NUTProtocol.words(#"VAR main ups.alarm """#) == ["VAR", "main", "ups.alarm", ""])
        #expect(try NUTProtocol.words("BEGIN\tLIST  VAR   main ") == ["BEGIN", "LIST", "VAR", "main"])
        #expect(try NUTProtocol.words(#"a"b c"d"#) == ["ab cd"])
        #expect(try NUTProtocol.words("") == [])
    }

    @Test("words: an unclosed quote or a trailing backslash is garbled, not guessed")
    func badWords() {
        #expect(throws: NUTReplyError.self) { try NUTProtocol.words(#"VAR main ups.status "OL"#) }
        #expect(throws: NUTReplyError.self) { try NUTProtocol.words(#"VAR main x \"#) }
    }

    @Test("a LIST VAR reply, line by line")
    func list() throws {
        var list = NUTProtocol.VariableList(ups: "main")
        #expect(try !list.feed("BEGIN LIST VAR main"))
        #expect(try !list.feed(#"VAR main battery.charge "83""#))
        #expect(try !list.feed(#"VAR main ups.status "OB DISCHRG""#))
        #expect(try list.feed("END LIST VAR main"))
        #expect(list.variables.map(\.name) == ["battery.charge", "ups.status"])
        #expect(list.variables.map(\.value) == ["83", "OB DISCHRG"])
    }

    @Test("a LIST VAR reply: ERR, another UPS, garbage and extra words are errors")
    func listErrors() {
        func first(_ lines: [String]) -> NUTReplyError? {
            var list = NUTProtocol.VariableList(ups: "main")
            do {
                for line in lines { _ = try list.feed(line) }
            } catch {
                return error
            }
            return nil
        }
        #expect(first(["ERR DRIVER-NOT-CONNECTED"]) == .server(code: "DRIVER-NOT-CONNECTED", detail: ""))
        #expect(first(["ERR UNKNOWN-UPS extra words"]) == .server(code: "UNKNOWN-UPS", detail: "extra words"))
        guard case .garbled = first(["HTTP/1.1 400 Bad Request"]) else { Issue.record("HTTP accepted as NUT"); return }
        guard case .garbled = first(["BEGIN LIST VAR main", #"VAR other ups.status "OL""#]) else { Issue.record("another UPS's variable accepted"); return }
        guard case .garbled = first(["BEGIN LIST VAR main", #"VAR main ups.status "OL" extra"#]) else { Issue.record("extra words accepted"); return }
        guard case .garbled = first(["BEGIN LIST VAR main", "END LIST VAR other"]) else { Issue.record("another UPS's END accepted"); return }
        #expect(first(["BEGIN LIST VAR main", "\u{1B}[31m\u{0}"]) != nil)
        guard case .garbled(_, "not a variable name") = first(["BEGIN LIST VAR main", "VAR main \"\u{1B}]0;owned\u{7}\" \"5\""]) else {
            Issue.record("an escape sequence accepted as a variable name, to be shown as a metric's"); return
        }
        guard case .garbled(_, "not a variable name") = first(["BEGIN LIST VAR main", #"VAR main "two words" "5""#]) else {
            Issue.record("a name with a space accepted"); return
        }
        let endless = ["BEGIN LIST VAR main"] + (0...NUTProtocol.VariableList.variableLimit).map { #"VAR main x.\#($0) "1""# }
        guard case .garbled(_, "more than 4096 variables") = first(endless) else { Issue.record("an endless list accepted"); return }
        #expect(first(["BEGIN LIST VAR main", #"VAR main outlet.1.switchable "yes""#, #"VAR main driver.parameter.usb_set_altinterface "0""#,
                       #"VAR main ambient-1.temperature "21""#]) == nil)
    }

    @Test("ups.status tokens map to statuses, in a summary read at a glance",
          arguments: [
              ("OL", ProbeStatus.ok, "on line"),
              ("OL CHRG", .ok, "on line, charging"),
              ("OB DISCHRG", .warning, "on battery"),
              ("OB LB", .critical, "on battery, battery low"),
              ("OL TRIM", .warning, "on line, trimming voltage"),
              ("OL BOOST", .warning, "on line, boosting voltage"),
              ("OL BYPASS", .warning, "on line, on bypass"),
              ("OL RB", .warning, "on line, replace battery"),
              ("FSD OB LB", .critical, "forced shutdown, on battery, battery low"),
              ("OFF", .critical, "output off"),
              ("OL OVER", .critical, "on line, overloaded"),
              ("OL WEIRD", .ok, "on line, WEIRD"),
              ("WAIT", .unknown, "waiting for the driver's first reading"),
          ])
    func statuses(_ flags: String, _ status: ProbeStatus, _ words: String) {
        let observation = NUTReading.observation(variables: [("ups.status", flags)])
        #expect(observation.status == status)
        #expect(observation.summary == words)
    }

    @Test("the summary: state, charge, runtime left, load; every variable a metric with its unit")
    func summaryAndMetrics() {
        let observation = NUTReading.observation(variables: [
            ("battery.charge", "83"), ("battery.charge.low", "10"), ("battery.runtime", "840"), ("device.model", "Smart-UPS 1500"),
            ("input.voltage", "0.0"), ("input.voltage.nominal", "230"), ("ups.load", "35"), ("ups.status", "OB DISCHRG"),
            ("ups.serial", "AS1234"), ("ups.delay.shutdown", "20"),
        ])
        #expect(observation.summary == "on battery · 83 % · 14 min left · load 35 %")
        #expect(observation.metric("battery.charge") == .number(83, unit: "%"))
        #expect(observation.metric("battery.charge.low") == .number(10, unit: "%"))
        #expect(observation.metric("battery.runtime") == .number(840, unit: "s"))
        #expect(observation.metric("input.voltage.nominal") == .number(230, unit: "V"))
        #expect(observation.metric("ups.delay.shutdown") == .number(20, unit: "s"))
        #expect(observation.metric("ups.status") == .text("OB DISCHRG"))
        #expect(observation.metric("device.model") == .text("Smart-UPS 1500"))
        #expect(observation.metric("ups.serial") == .text("AS1234"))
        #expect(observation.metrics.map(\.name).first == "battery.charge", "the order upsd gave is kept")
    }

    @Test("no ups.status is unknown, not ok")
    func noStatus() {
        let observation = NUTReading.observation(variables: [("battery.charge", "100")])
        #expect(observation.status == .unknown)
        #expect(observation.summary == "upsd reports no ups.status for this UPS")
    }

    @Test("runtime reads as seconds, minutes, or hours and minutes")
    func runtime() {
        #expect(NUTReading.runtimeText(seconds: 45) == "45 s")
        #expect(NUTReading.runtimeText(seconds: 840) == "14 min")
        #expect(NUTReading.runtimeText(seconds: 7500) == "2 h 05 min")
        #expect(NUTReading.runtimeText(seconds: -3) == "0 s")
    }

    @Test("target and login errors point at the option")
    func configErrors() {
        #expect(probeProblems(kind: "nut", "target: 127.0.0.1") == [
            "t.yaml:8:13: expected UPS@HOST[:PORT] such as main@127.0.0.1:3493, got '127.0.0.1' (no '@')"])
        #expect(probeProblems(kind: "nut", "target: main@127.0.0.1:99999") == [
            "t.yaml:8:13: expected UPS@HOST[:PORT] such as main@127.0.0.1:3493, got 'main@127.0.0.1:99999': port '99999' is not a number from 1 to 65535"])
        #expect(probeProblems(kind: "nut", "target: \"my ups@host\"") == [
            "t.yaml:8:13: expected a UPS name of letters, digits, '-', '_' or '.' before '@', got 'my ups'"])
        #expect(probeProblems(kind: "nut", "target: main@\nusername: monitor\npassword: x") == [
            "t.yaml:8:13: expected UPS@HOST[:PORT] such as main@127.0.0.1:3493, got 'main@': no host"])
        #expect(probeProblems(kind: "nut", "target: main@h\nusername: monitor").first?.hasSuffix("'username' needs 'password' too") == true)
        #expect(probeProblems(kind: "nut", "").first?.hasSuffix("missing required key 'target'") == true)
        #expect(probeProblems(kind: "nut", "target: main@[::1]:3493") == [])
    }
}

/// `kind: nut` against a real NUT upsd + dummy-ups, and against peers that misbehave.
@Suite("nut probes", .serialized)
struct NUTProbeTests {
    @Test("a real upsd: on line, then on battery, then low battery; thresholds on battery.runtime")
    func states() async throws {
        let nut = try await NUTServer(sequence: "ups.status: OL\nbattery.charge: 100\nbattery.runtime: 2400\nups.load: 35\n", pollInterval: 1)
        let probe = try loadProbe(kind: "nut", "target: main@127.0.0.1:\(nut.port)")
        let strict = try loadProbe(kind: "nut", "target: main@127.0.0.1:\(nut.port)\ncrit: \"battery.runtime=900:\"")
        let online = await observeUntil(probe, seconds: 10) { $0.metric("ups.status") == .text("OL") }
        #expect(online?.status == .ok)
        #expect(online?.summary == "on line · 100 % · 40 min left · load 35 %")
        #expect(online?.metric("battery.charge") == .number(100, unit: "%"))
        #expect(online?.details.hasPrefix("main@127.0.0.1:\(nut.port)") == true)

        try nut.change(to: "ups.status: OB DISCHRG\nbattery.charge: 83\nbattery.runtime: 840\n")
        let onBattery = await observeUntil(probe, seconds: 10) { $0.metric("ups.status") == .text("OB DISCHRG") }
        #expect(onBattery?.status == .warning)
        #expect(onBattery?.summary == "on battery · 83 % · 14 min left · load 35 %")
        let strictOnBattery = await observeUntil(strict, seconds: 10) { $0.metric("ups.status") == .text("OB DISCHRG") }
        #expect(strictOnBattery?.status == .critical, "battery.runtime 840 s is under the 900 s threshold")

        try nut.change(to: "ups.status: OB LB\nbattery.charge: 15\nbattery.runtime: 120\n")
        let low = await observeUntil(probe, seconds: 10) { $0.metric("ups.status") == .text("OB LB") }
        #expect(low?.status == .critical)
        #expect(low?.summary == "on battery, battery low · 15 % · 2 min left · load 35 %")
    }

    @Test("a real upsd: login, an unknown UPS, then the driver killed")
    func errors() async throws {
        let nut = try await NUTServer(sequence: "ups.status: OL\nbattery.charge: 97\nTIMER 60\n")
        let withLogin = try loadProbe(kind: "nut", "target: main@127.0.0.1:\(nut.port)\nusername: monitor\npassword: \"pa ss\\\"word\"")
        let loggedIn = await observeUntil(withLogin, seconds: 10) { $0.metric("ups.status") == .text("OL") }
        #expect(loggedIn?.status == .ok, "\(String(describing: loggedIn))")
        #expect(loggedIn?.summary == "on line · 97 %")

        let unknownUPS = await observe(try loadProbe(kind: "nut", "target: nosuch@127.0.0.1:\(nut.port)")).observation
        #expect(unknownUPS.status == .unknown)
        #expect(unknownUPS.summary == "upsd at 127.0.0.1:\(nut.port) has no UPS named 'nosuch' (UNKNOWN-UPS)")

        nut.stopDriver()
        let probe = try loadProbe(kind: "nut", "target: main@127.0.0.1:\(nut.port)")
        let gone = await observeUntil(probe, seconds: 15) { $0.summary.contains("DRIVER-NOT-CONNECTED") || $0.summary.contains("DATA-STALE") }
        #expect(gone?.status == .critical)
        #expect(gone?.summary == "upsd at 127.0.0.1:\(nut.port) has lost the driver for 'main' (DRIVER-NOT-CONNECTED): the UPS is not watched"
            || gone?.summary == "data for 'main' is stale (DATA-STALE): the driver cannot reach the UPS", "\(String(describing: gone))")
    }

    @Test("nothing listening: connection refused, critical")
    func refused() async throws {
        let port = try freePort()
        let observation = await observe(try loadProbe(kind: "nut", "target: main@127.0.0.1:\(port)")).observation
        #expect(observation.status == .critical)
        #expect(observation.summary == "upsd at 127.0.0.1:\(port): connection refused")
    }

    @Test("a server that accepts and never answers, and one that black-holes the connection: ended within the timeout")
    func hangs() async throws {
        let silent = try SilentTCPServer()
        let quiet = await observeDirectly(try loadProbe(kind: "nut", timeout: "1s", "target: main@127.0.0.1:\(silent.port)"))
        #expect(quiet.observation.status == .critical)
        #expect(quiet.observation.summary == ("upsd at 127.0.0.1:\(silent.port) accepted the connection but sent no reply in 900 ms"),
                "\(quiet.observation.summary)")
        #expect(quiet.took < .seconds(1) + schedulingSlack)

        let blackhole = try BlackholeTCPServer()
        let unanswered = await observeDirectly(try loadProbe(kind: "nut", timeout: "1s", "target: main@127.0.0.1:\(blackhole.port)"))
        #expect(unanswered.observation.status == .critical)
        #expect(unanswered.observation.summary == ("upsd at 127.0.0.1:\(blackhole.port): no connection in 900 ms"),
                "\(unanswered.observation.summary)")
        #expect(unanswered.took < .seconds(1) + schedulingSlack)
    }

    @Test("a reply cut off, garbage, and an endless line each say what happened")
    func brokenReplies() async throws {
        let dropped = try ScriptedTCPServer(reply: ["BEGIN LIST VAR main\n", "VAR main ups.status \"OL\"\n", "VAR main battery.ch"])
        let cut = await observe(try loadProbe(kind: "nut", "target: main@127.0.0.1:\(dropped.port)")).observation
        #expect(cut.status == .critical)
        #expect(cut.summary == "upsd at 127.0.0.1:\(dropped.port) dropped the connection before its reply was complete")

        let http = try ScriptedTCPServer(reply: ["HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"])
        let garbage = await observe(try loadProbe(kind: "nut", "target: main@127.0.0.1:\(http.port)")).observation
        #expect(garbage.status == .unknown)
        #expect(garbage.summary == "upsd at 127.0.0.1:\(http.port) is not speaking the NUT protocol: unexpected reply 'HTTP/1.1 400 Bad Request' (expected BEGIN LIST VAR main)")

        let endless = try ScriptedTCPServer(reply: ["BEGIN LIST VAR main\n", String(repeating: "x", count: 100_000)], thenHold: true)
        let long = await observe(try loadProbe(kind: "nut", "target: main@127.0.0.1:\(endless.port)")).observation
        #expect(long.status == .unknown)
        #expect(long.summary.hasSuffix("(a line longer than 4096 bytes)"), "\(long.summary)")
    }

    @Test("hundreds of readings, answered and refused, leave no socket open")
    func noLeaks() async throws {
        let refusedPort = try freePort()
        let nut = try await NUTServer(sequence: "ups.status: OL\nbattery.charge: 100\nTIMER 60\n")
        let good = try loadProbe(kind: "nut", "target: main@127.0.0.1:\(nut.port)")
        let refused = try loadProbe(kind: "nut", "target: main@127.0.0.1:\(refusedPort)")
        let silent = try SilentTCPServer()
        let hanging = try loadProbe(kind: "nut", timeout: "200ms", "target: main@127.0.0.1:\(silent.port)")
        #expect(await observeUntil(good, seconds: 10) { $0.status == .ok }?.status == .ok)
        await expectNoSocketsLeft(healthy: [good], failing: [refused, hanging], rounds: 100, ports: [nut.port, refusedPort, silent.port])
    }
}

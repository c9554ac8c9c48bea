import Testing
@testable import SwitchboardCore

/// The monitoring-plugins output contract, as in the plugin development guidelines.
@Suite("Plugin output and performance data")
struct PluginOutputTests {
    @Test("first line: text and perfdata")
    func firstLine() {
        let output = PluginOutput(parsing: "PING OK - Packet loss = 0%, RTA = 0.05 ms|rta=0.050000ms;100.000000;500.000000;0.000000 pl=0%;20;60;0\n")
        #expect(output.summary == "PING OK - Packet loss = 0%, RTA = 0.05 ms")
        #expect(output.longText == "")
        #expect(output.perfdata == [
            PerfDatum(label: "rta", value: 0.05, unit: "ms", warning: try! .init(parsing: "100.000000"),
                      critical: try! .init(parsing: "500.000000"), min: 0),
            PerfDatum(label: "pl", value: 0, unit: "%", warning: try! .init(parsing: "20"), critical: try! .init(parsing: "60"), min: 0),
        ])
    }

    @Test("long text lines, then perfdata joined from the first line, a later '|' and the lines after it")
    func multiline() {
        let output = PluginOutput(parsing: """
            DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968
            / 15272 MB (77%);
            /boot 68 MB (69%); | /boot=68MB;88;93;0;98
            /home=69357MB;253404;253409;0;253414
            /var/log=818MB;970;975;0;980
            """)
        #expect(output.summary == "DISK OK - free space: / 3326 MB (56%);")
        #expect(output.longText == "/ 15272 MB (77%);\n/boot 68 MB (69%); ")
        #expect(output.perfdata.map(\.label) == ["/", "/boot", "/home", "/var/log"])
        #expect(output.perfdata.last?.max == 980)
    }

    @Test("quoted labels may hold spaces, '=' and doubled quotes")
    func quotedLabels() {
        let output = PluginOutput(parsing: "OK | 'C:\\ Label with spaces'=10 'it''s'=2 'a=b'=3")
        #expect(output.perfdata.map(\.label) == ["C:\\ Label with spaces", "it's", "a=b"])
        #expect(output.malformed.isEmpty)
    }

    @Test("U values, empty and missing trailing fields")
    func sparseFields() {
        let output = PluginOutput(parsing: "OK | a=U b=1;;;; c=2;;5 d=3s;~:10;@20:30;;100")
        #expect(output.perfdata[0].value == nil)
        #expect(output.perfdata[1] == PerfDatum(label: "b", value: 1))
        #expect(output.perfdata[2].critical == (try! ThresholdRange(parsing: "5")))
        #expect(output.perfdata[3].warning == (try! ThresholdRange(parsing: "~:10")))
        #expect(output.perfdata[3].critical?.alertsInside == true)
        #expect(output.perfdata[3].max == 100)
    }

    @Test("every unit of measure in the guidelines", arguments: ["s", "ms", "us", "%", "B", "KB", "MB", "TB", "c"])
    func units(_ unit: String) {
        #expect(PluginOutput(parsing: "OK | x=1.5\(unit)").perfdata.first?.unit == unit)
    }

    @Test("malformed items are set aside, and the good ones still parse")
    func malformed() {
        let output = PluginOutput(parsing: "OK | good=1 =2 bad novalue= x=1;2;3;4;5;6 y=abc 'unclosed=3")
        #expect(output.perfdata.map(\.label) == ["good"])
        #expect(output.malformed == ["=2", "bad", "novalue=", "x=1;2;3;4;5;6", "y=abc", "'unclosed=3"])
    }

    @Test("exit codes 0–3 map to the four states; others and signals are unknown with the reason")
    func exitCodes() {
        let output = PluginOutput(parsing: "CHECK - something | v=1")
        #expect(output.observation(exit: .exited(0)).status == .ok)
        #expect(output.observation(exit: .exited(1)).status == .warning)
        #expect(output.observation(exit: .exited(2)).status == .critical)
        #expect(output.observation(exit: .exited(3)).status == .unknown)
        let odd = output.observation(exit: .exited(127))
        #expect(odd.status == .unknown)
        #expect(odd.summary.hasPrefix("exit code 127 is not a plugin status"))
        let killed = output.observation(exit: .signaled(9))
        #expect(killed.status == .unknown)
        #expect(killed.summary.hasPrefix("killed by signal 9"))
        #expect(killed.metrics == [Metric(name: "v", value: .number(1, unit: ""))])
    }

    @Test("no output at all still gives a summary")
    func empty() {
        #expect(PluginOutput(parsing: "").observation(exit: .exited(0)).summary == "(no output)")
    }
}

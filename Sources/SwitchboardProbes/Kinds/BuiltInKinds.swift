import SwitchboardCore

extension ProbeCatalog {
    /// Every probe kind Switchboard ships. A new native kind is one file in `Kinds/` and one line here.
    public static let builtIn = ProbeCatalog([
        SimulatedProbe.self,
        ExecProbe.self,
        StreamProbe.self,
        NUTProbe.self,
        SIPProbe.self,
        TCPProbe.self,
        HTTPProbe.self,
        DNSProbe.self,
        PrometheusProbe.self,
        AgentsProbe.self,
    ])
}

import Foundation
import NIOCore
import SwitchboardCore

/// `kind: nut`: a UPS as Network UPS Tools' `upsd` reports it, read natively over its TCP
/// protocol (no `upsc`, no helper process).
///
/// Each reading connects, logs in when a username is given, asks `LIST VAR <ups>`, and says
/// `LOGOUT`. `ups.status` decides the status (OL ok; OB, RB, BYPASS, CAL, TRIM, BOOST, ALARM
/// warning; LB, FSD, OFF, OVER critical; WAIT, before the driver's first reading, unknown) and
/// the summary reads "on battery · 83 % · 14 min left · load 35 %". Every variable is a metric: numbers with the unit NUT's naming implies
/// (`battery.charge` %, `battery.runtime` s, `input.voltage` V), the rest as text, so
/// thresholds (`crit: "battery.runtime=300:"`) and runbook checks (`ups.status has OB`) see them.
///
/// ```yaml
/// - id: ups-main
///   pane: power
///   kind: nut
///   target: main@10.0.0.5          # UPS@HOST[:PORT], port 3493 by default
///   username: monitor              # optional, with password: for a upsd that requires a login
///   password: secret
///   crit: "battery.runtime=300:"
/// ```
public struct NUTProbe: Probe {
    public static let kind = "nut"
    public static let optionKeys = ["target", "username", "password"]

    let ups: String
    let endpoint: Endpoint
    let login: (username: String, password: String)?
    let timeout: Duration

    /// The variables most UPS drivers report, with the units NUT's naming gives them; a driver
    /// may report more, so a runbook naming another is only warned about.
    public var declaredMetrics: DeclaredMetrics? {
        let numbers = ["battery.charge", "battery.charge.low", "battery.runtime", "battery.runtime.low", "battery.voltage",
                       "battery.temperature", "input.voltage", "input.frequency", "output.voltage", "output.frequency",
                       "output.current", "ups.load", "ups.temperature", "ups.realpower", "ups.power", "ups.delay.shutdown"]
        return DeclaredMetrics([("ups.status", .text(values: NUTReading.tokens.keys.sorted()))]
                               + numbers.map { ($0, .number(unit: NUTReading.unit(for: $0))) }, complete: false)
    }

    public init(spec: ProbeSpec, options: ConfigMapping) throws {
        let targetNode = try options.required("target")
        let target = try targetNode.string("a UPS as UPS@HOST[:PORT], such as main@127.0.0.1:3493")
        guard let at = target.firstIndex(of: "@") else {
            throw targetNode.error("expected UPS@HOST[:PORT] such as main@127.0.0.1:3493, got '\(target)' (no '@')")
        }
        let name = String(target[..<at])
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw targetNode.error("expected a UPS name of letters, digits, '-', '_' or '.' before '@', got '\(name)'")
        }
        ups = name
        do {
            endpoint = try Endpoint(parsing: String(target[target.index(after: at)...]), defaultPort: NUTProtocol.defaultPort)
        } catch {
            throw targetNode.error("expected UPS@HOST[:PORT] such as main@127.0.0.1:3493, got '\(target)': \(error)")
        }
        let username = try options["username"].map { try Self.credential($0, "a upsd username") }
        let password = try options["password"].map { try Self.credential($0, "a upsd password") }
        switch (username, password) {
        case (let username?, let password?): login = (username, password)
        case (nil, nil): login = nil
        case (_?, nil): throw options.node.error("'username' needs 'password' too")
        case (nil, _?): throw options.node.error("'password' needs 'username' too")
        }
        timeout = spec.timeout
    }

    private static func credential(_ node: ConfigNode, _ what: String) throws -> String {
        let text = try node.string(what)
        guard !text.isEmpty, !text.contains(where: { $0.isNewline }) else { throw node.error("expected \(what) on one line") }
        return text
    }

    enum Step: Sendable {
        case connecting
        case connected
        case replying
    }

    public func observe(at _: Date) async -> ProbeObservation {
        let budget = ProbeBudget(timeout: timeout)
        let progress = ProbeProgress(Step.connecting)
        let server = "upsd at \(endpoint)"
        do {
            let variables = try await budget.run { try await readVariables(budget: budget, progress: progress) }
            var observation = NUTReading.observation(variables: variables)
            let device = ["device.mfr", "device.model", "ups.mfr", "ups.model"].compactMap { name in
                variables.first { $0.name == name }?.value
            }
            observation.details = "\(ups)@\(endpoint)"
                + (device.isEmpty ? "" : ": " + SummaryText.oneLine(device.prefix(2).joined(separator: " "), limit: 120))
            return observation
        } catch is BudgetExceeded {
            let waited = budget.length.shortText
            return switch progress.current {
            case .connecting: ProbeObservation(status: .critical, summary: "\(server): no connection in \(waited)")
            case .connected: ProbeObservation(status: .critical, summary: "\(server) accepted the connection but sent no reply in \(waited)")
            case .replying: ProbeObservation(status: .critical, summary: "\(server) stopped in the middle of its reply (\(waited))")
            }
        } catch let reply as NUTReplyError {
            return observation(for: reply, server: server)
        } catch {
            let failure = NetworkFailure(error)
            if failure == .closed, progress.current != .connecting {
                return ProbeObservation(status: .critical, summary: "\(server) dropped the connection before its reply was complete")
            }
            return ProbeObservation(status: .critical, summary: "\(server): \(failure)")
        }
    }

    private func readVariables(budget: ProbeBudget, progress: ProbeProgress<Step>) async throws -> [(name: String, value: String)] {
        let connection = try await TCPClient.connect(to: endpoint, budget: budget)
        progress.reached(.connected)
        return try await connection.executeThenClose { inbound, outbound in
            var lines = LineReader(inbound, limit: NUTProtocol.lineLimit)
            func nextLine() async throws -> String {
                switch try await lines.next() {
                case nil: throw NetworkFailure.closed
                case .overlong: throw NUTReplyError.garbled("…", "a line longer than \(NUTProtocol.lineLimit) bytes")
                case .text(let line):
                    progress.reached(.replying)
                    return line
                }
            }
            if let login {
                try await outbound.write(ByteBuffer(string: "USERNAME \(Self.quoted(login.username))\n"))
                try NUTProtocol.acknowledgement(try await nextLine())
                try await outbound.write(ByteBuffer(string: "PASSWORD \(Self.quoted(login.password))\n"))
                try NUTProtocol.acknowledgement(try await nextLine())
            }
            try await outbound.write(ByteBuffer(string: "LIST VAR \(ups)\n"))
            var list = NUTProtocol.VariableList(ups: ups)
            while try !list.feed(try await nextLine()) {}
            // A polite goodbye; the connection is closed either way.
            try? await outbound.write(ByteBuffer(string: "LOGOUT\n"))
            return list.variables
        }
    }

    /// A word as upsd reads it: in quotes, with `\` and `"` escaped.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private func observation(for reply: NUTReplyError, server: String) -> ProbeObservation {
        guard case .server(let code, _) = reply else {
            return ProbeObservation(status: .unknown, summary: "\(server) is not speaking the NUT protocol: \(reply)")
        }
        return switch code {
        case "DRIVER-NOT-CONNECTED":
            ProbeObservation(status: .critical, summary: "\(server) has lost the driver for '\(ups)' (DRIVER-NOT-CONNECTED): the UPS is not watched")
        case "DATA-STALE":
            ProbeObservation(status: .critical, summary: "data for '\(ups)' is stale (DATA-STALE): the driver cannot reach the UPS")
        case "UNKNOWN-UPS":
            ProbeObservation(status: .unknown, summary: "\(server) has no UPS named '\(ups)' (UNKNOWN-UPS)")
        case "ACCESS-DENIED":
            ProbeObservation(status: .unknown, summary: "\(server) denied access (ACCESS-DENIED): check upsd.conf and upsd.users")
        case "INVALID-PASSWORD", "INVALID-USERNAME", "USERNAME-REQUIRED", "PASSWORD-REQUIRED":
            ProbeObservation(status: .unknown, summary: "\(server) refused the login (\(code))")
        default:
            ProbeObservation(status: .unknown, summary: "\(server) answered \(reply)")
        }
    }
}

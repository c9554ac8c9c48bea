import Foundation
import SwitchboardCore

/// `kind: exec`: any monitoring-plugins check, run as an argv array (never through a shell).
///
/// The exit code decides the state (0 ok, 1 warning, 2 critical, 3 unknown; anything else or a
/// signal is unknown with the reason) and standard output is parsed by the plugin contract (text,
/// long text, performance data). The check runs in a process group of its own: when the
/// scheduler's timeout cancels it, the whole group gets SIGTERM and, after a grace period,
/// SIGKILL, so a wrapper script's children go too; after every run whatever is left of the group
/// is killed. Output beyond 64 KiB is read and dropped, never kept.
///
/// ```yaml
/// - id: isp-a
///   pane: network
///   kind: exec
///   command: [/usr/lib/nagios/plugins/check_ping, -H, 192.0.2.1, -w, "100,20%", -c, "500,60%"]
///   env: {LC_ALL: C}          # optional, added to the console's environment
///   cwd: /var/tmp             # optional working directory
///   metrics: {rta: ms, pl: "%"}   # optional: the perfdata it reports, for runbooks to be checked against
/// ```
public final class ExecProbe: Probe {
    public static let kind = "exec"
    public static let optionKeys = ChildCommand.optionKeys + [DeclaredMetrics.optionKey]

    /// Standard output kept for parsing; the rest is drained and dropped.
    static let outputLimit = 64 * 1024
    /// Standard error kept for the detail view.
    static let errorLimit = 4 * 1024

    let command: ChildCommand
    public let declaredMetrics: DeclaredMetrics?

    public init(spec: ProbeSpec, options: ConfigMapping) throws {
        command = try ChildCommand(options: options)
        declaredMetrics = try options[DeclaredMetrics.optionKey].map { try DeclaredMetrics.parse($0, numbersOnly: true) }
    }

    public func observe(at _: Date) async -> ProbeObservation {
        let outcome: ChildCommand.Outcome<(output: (bytes: [UInt8], truncated: Bool), errors: [UInt8])>
        do {
            outcome = try await command.run { output, errors in
                async let errorBytes = ChildCommand.collect(errors, limit: Self.errorLimit)
                let outputBytes = try await ChildCommand.collect(output, limit: Self.outputLimit)
                return (outputBytes, try await errorBytes.bytes)
            }
        } catch {
            return ProbeObservation(status: .unknown, summary: "\(error)")
        }
        var observation = PluginOutput(parsing: Sanitizer.decode(outcome.value.output.bytes)).observation(exit: outcome.exit)
        if outcome.value.output.truncated {
            observation.details += "\n[output truncated at \(Self.outputLimit / 1024) KiB]"
        }
        let errorText = Sanitizer.decode(outcome.value.errors).trimmingCharacters(in: .whitespacesAndNewlines)
        if !errorText.isEmpty {
            observation.details += (observation.details.isEmpty ? "" : "\n") + "stderr: " + errorText
        }
        return observation
    }
}

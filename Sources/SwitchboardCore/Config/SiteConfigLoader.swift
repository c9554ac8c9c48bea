import Foundation
import Yams

/// Reads `switchboard.yaml` text into a `SiteConfig`, collecting every problem with its position.
public struct SiteConfigLoader: Sendable {
    /// Keys of a probe entry that every kind shares.
    public static let commonProbeKeys = ["id", "pane", "kind", "interval", "timeout", "metric", "warn", "crit", "attempts"]
    /// Top-level keys. `contacts`, `staff`, `spares`, `comms`, `comms_cadence` and
    /// `alternate_sites` hold the reference data runbooks and the console point at.
    public static let topLevelKeys = ["site", "probes", "runbooks", "contacts", "staff", "spares", "comms", "comms_cadence",
                                      "alternate_sites"]

    static let defaultInterval = Duration.seconds(30)
    static let defaultTimeout = Duration.seconds(10)

    public let catalog: ProbeCatalog

    public init(catalog: ProbeCatalog) {
        self.catalog = catalog
    }

    /// Parses and validates. Throws `ConfigDiagnostics` holding every problem found.
    public func load(yaml: String, file: String, isDemo: Bool = false) throws(ConfigDiagnostics) -> SiteConfig {
        let root = try ConfigNode.parse(yaml: yaml, file: file, expected: "'site:' and 'probes:'")

        var problems: [ConfigDiagnostic] = []
        func collect<T>(_ body: () throws -> T) -> T? {
            do { return try body() } catch let diagnostic as ConfigDiagnostic {
                problems.append(diagnostic)
            } catch {
                problems.append(ConfigDiagnostic(file: file, "\(error)"))
            }
            return nil
        }

        guard let top = collect({ try root.mapping("a mapping with 'site:' and 'probes:'", allowedKeys: Self.topLevelKeys) }) else {
            throw ConfigDiagnostics(problems)
        }
        let site = collect { try top.required("site").string("the site's name") } ?? ""
        let reference = SiteReference.load(top, problems: &problems)
        let runbookPaths = top["runbooks"].flatMap { node in collect { try node.stringList("a list of runbook folders or files") } } ?? []

        var probes: [ConfiguredProbe] = []
        var firstSeen: [String: SourceLocation] = [:]
        if let list = collect({ try top.required("probes").sequence("a list of probes") }) {
            for entry in list {
                guard let probe = collect({ try loadProbe(entry) }) else { continue }
                if let first = firstSeen[probe.spec.id] {
                    problems.append(ConfigDiagnostic(
                        at: probe.spec.location ?? entry.location,
                        "duplicate probe id '\(probe.spec.id)' (first defined at line \(first.line))"))
                    continue
                }
                firstSeen[probe.spec.id] = probe.spec.location ?? entry.location
                probes.append(probe)
            }
        }
        problems += Self.upstreamProblems(probes, file: file)
        guard problems.isEmpty else { throw ConfigDiagnostics(problems) }
        let folder = (file as NSString).deletingLastPathComponent
        return SiteConfig(site: site, source: file, isDemo: isDemo, probes: probes, reference: reference,
                          runbookPaths: runbookPaths.map { $0.hasPrefix("/") || folder.isEmpty ? $0 : "\(folder)/\($0)" })
    }

    private func loadProbe(_ entry: ConfigNode) throws -> ConfiguredProbe {
        let fields = try entry.mapping("a probe (a mapping with id, pane and kind)")
        let idNode = try fields.required("id")
        let id = try idNode.string("a probe id")
        guard !id.isEmpty, id.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            throw idNode.error("probe id '\(id)' may only hold a-z, 0-9 and '-'")
        }
        let paneNode = try fields.required("pane")
        let paneName = try paneNode.string("a pane")
        guard let pane = Pane(rawValue: paneName) else {
            throw paneNode.error("unknown pane '\(paneName)' (expected one of: \(Pane.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let kindNode = try fields.required("kind")
        let kindName = try kindNode.string("a probe kind")
        guard let kind = catalog[kindName] else {
            throw kindNode.error("unknown probe kind '\(kindName)' (expected one of: \(catalog.names.joined(separator: ", ")))")
        }
        try fields.requireKeys(in: Self.commonProbeKeys + kind.optionKeys)

        let interval = try fields["interval"]?.duration() ?? Self.defaultInterval
        var timeout = min(Self.defaultTimeout, interval)
        if let timeoutNode = fields["timeout"] {
            timeout = try timeoutNode.duration()
            guard timeout <= interval else {
                throw timeoutNode.error("timeout \(timeout.configText) is longer than the interval \(interval.configText)")
            }
        }
        let thresholds = try Self.thresholds(warn: fields["warn"], crit: fields["crit"])
        let attempts = try fields["attempts"]?.integer("a number of attempts", in: 1...100) ?? 1
        var spec = ProbeSpec(
            id: id, pane: pane, kind: kindName, interval: interval, timeout: timeout,
            mainMetric: try fields["metric"]?.string("a metric name") ?? kind.defaultMetric, thresholds: thresholds,
            attempts: attempts, location: entry.location)
        let probe = try kind.init(spec: spec, options: fields)
        if let push = probe as? any PushProbe { spec.pushedBy = push.upstream?.id ?? id }
        return ConfiguredProbe(spec: spec, probe: probe)
    }

    /// A push probe fed by another must name an existing push probe of its own kind that runs
    /// its own source.
    static func upstreamProblems(_ probes: [ConfiguredProbe], file: String) -> [ConfigDiagnostic] {
        let byID = Dictionary(probes.map { ($0.spec.id, $0) }, uniquingKeysWith: { first, _ in first })
        return probes.compactMap { configured in
            guard let push = configured.probe as? any PushProbe, let upstream = push.upstream else { return nil }
            let at = upstream.location ?? configured.spec.location
            func problem(_ message: String) -> ConfigDiagnostic {
                at.map { ConfigDiagnostic(at: $0, message) } ?? ConfigDiagnostic(file: file, message)
            }
            guard let source = byID[upstream.id] else {
                return problem("no probe '\(upstream.id)' to be fed from")
            }
            guard source.spec.kind == configured.spec.kind, let sourcePush = source.probe as? any PushProbe else {
                return problem("probe '\(upstream.id)' is kind \(source.spec.kind); only a \(configured.spec.kind) probe can feed this one")
            }
            guard sourcePush.upstream == nil else {
                return problem("probe '\(upstream.id)' is itself fed from '\(sourcePush.upstream?.id ?? "")'; name the probe that runs the command")
            }
            return nil
        }
    }

    /// `warn:`/`crit:` as `"metric=range"`, several separated by commas, or a mapping of metric to range.
    static func thresholds(warn: ConfigNode?, crit: ConfigNode?) throws -> [MetricThreshold] {
        var byMetric: [(String, MetricThreshold)] = []
        func add(_ node: ConfigNode, critical: Bool) throws {
            for (metric, range) in try ranges(node) {
                if let index = byMetric.firstIndex(where: { $0.0 == metric }) {
                    if critical { byMetric[index].1.critical = range } else { byMetric[index].1.warning = range }
                } else {
                    byMetric.append((metric, MetricThreshold(metric: metric, warning: critical ? nil : range, critical: critical ? range : nil)))
                }
            }
        }
        if let warn { try add(warn, critical: false) }
        if let crit { try add(crit, critical: true) }
        return byMetric.map(\.1)
    }

    private static func ranges(_ node: ConfigNode) throws -> [(String, ThresholdRange)] {
        let pairs: [(String, String, ConfigNode)]
        if case .mapping = node.node {
            pairs = try node.mapping().entries.map { ($0.key, try $0.value.string("a range such as 10:20"), $0.value) }
        } else {
            let text = try node.string("thresholds such as \"battery.charge=50:\"")
            pairs = try text.split(separator: ",").map { part in
                let pieces = part.split(separator: "=", maxSplits: 1)
                guard pieces.count == 2, !pieces[0].trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw node.error("expected METRIC=RANGE such as \"battery.charge=50:\", got '\(part)'")
                }
                return (pieces[0].trimmingCharacters(in: .whitespaces), String(pieces[1]), node)
            }
        }
        return try pairs.map { metric, text, at in
            do { return (metric, try ThresholdRange(parsing: text)) } catch { throw at.error("\(error) for metric '\(metric)'") }
        }
    }

    /// Turns a Yams parse error into `FILE:LINE:COLUMN: problem`.
    static func diagnostic(forYAMLError error: Error, file: String) -> ConfigDiagnostic {
        guard let yamlError = error as? YamlError else { return ConfigDiagnostic(file: file, "\(error)") }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let contextText = context.map { "\($0.text) " } ?? ""
            return ConfigDiagnostic(
                at: SourceLocation(file: file, line: mark.line, column: mark.column),
                "YAML syntax: \(contextText)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigDiagnostic(
                at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) \(context.text)")
        case .reader(let problem, let offset, _, _):
            return ConfigDiagnostic(file: file, "cannot read the file as text: \(problem)\(offset.map { " at byte \($0)" } ?? "")")
        default:
            return ConfigDiagnostic(file: file, "\(yamlError)")
        }
    }
}

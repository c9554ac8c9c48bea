import Foundation
import Yams

/// Reads `switchboard.yaml` text into a `SiteConfig`, collecting every problem with its position.
public struct SiteConfigLoader: Sendable {
    /// Keys of a probe entry that every kind shares.
    public static let commonProbeKeys = ["id", "pane", "kind", "interval", "timeout", "metric", "warn", "crit", "attempts"]
    /// Top-level keys. `contacts`, `staff`, `spares`, `comms`, `comms_cadence`,
    /// `alternate_sites` and `follow_ups` hold the reference data runbooks, the console and
    /// reports point at.
    public static let topLevelKeys = ["site", "probes", "runbooks", "contacts", "staff", "spares", "comms", "comms_cadence",
                                      "alternate_sites", "follow_ups"]

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
            do { return try body() } catch { problems += ConfigDiagnostics.of(error, file: file) }
            return nil
        }

        guard let top = collect({ try root.mapping("a mapping with 'site:' and 'probes:'", allowedKeys: Self.topLevelKeys) }) else {
            throw ConfigDiagnostics(problems)
        }
        let site = collect { try top.required("site").string("the site's name") } ?? ""
        let reference = SiteReference.load(top, problems: &problems)
        let runbookNodes = top["runbooks"].flatMap { node in
            collect { try node.stringListNodes("a list of runbook folders or files").map { ($0, try $0.string("a runbook folder or file")) } }
        } ?? []

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
        let runbooks = runbookNodes.map { node, path in
            (path: path.hasPrefix("/") || folder.isEmpty ? path : "\(folder)/\(path)", location: node.location)
        }
        var config = SiteConfig(site: site, source: file, isDemo: isDemo, probes: probes, reference: reference,
                                runbookPaths: runbooks.map(\.path))
        config.runbookPathLocations = Dictionary(runbooks.map { ($0.path, $0.location) }, uniquingKeysWith: { first, _ in first })
        return config
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

    /// Turns a Yams parse error into one line, `FILE:LINE:COLUMN: problem`, never quoting the
    /// file itself (Yams carries the whole text in some errors).
    static func diagnostic(forYAMLError error: Error, yaml: String, file: String) -> ConfigDiagnostic {
        guard let yamlError = error as? YamlError else { return ConfigDiagnostic(file: file, Sanitizer.line("\(error)")) }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let contextText = context.map { "\($0.text) " } ?? ""
            return ConfigDiagnostic(
                at: SourceLocation(file: file, line: mark.line, column: mark.column),
                "YAML syntax: \(contextText)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let first = SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
            let second = Self.repeatedKey(key, after: first, in: yaml) ?? first
            let others = duplicates.count > 1 ? " (and \(duplicates.dropFirst().map { "'\(Sanitizer.line($0))'" }.joined(separator: ", ")))" : ""
            return ConfigDiagnostic(at: second, "duplicate key '\(Sanitizer.line(key))'\(others), first at line \(first.line)")
        case .reader(let problem, let offset, let value, _):
            let what = value == 0 ? "a NUL byte" : value >= 0 ? "character U+\(String(value, radix: 16, uppercase: true))" : "the text"
            guard let offset else { return ConfigDiagnostic(file: file, "cannot read the file as text: \(problem)") }
            return ConfigDiagnostic(at: Self.location(ofCharacter: offset, in: yaml, file: file),
                                    "cannot read the file as text: \(what) (\(problem))")
        default:
            return ConfigDiagnostic(file: file, Sanitizer.line("\(yamlError)"))
        }
    }

    /// Where the `offset`-th character of `text` is, as line and column.
    private static func location(ofCharacter offset: Int, in text: String, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character.isNewline { line += 1; column = 1 } else { column += 1 }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    /// The repetition of a block-mapping `key` written at `first`: the next line that starts
    /// with the key at the same column, before the mapping ends (a line indented less).
    private static func repeatedKey(_ key: String, after first: SourceLocation, in yaml: String) -> SourceLocation? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = first.column - 1
        guard first.line < lines.count else { return nil }
        for index in first.line..<lines.count {
            let line = lines[index]
            let content = line.drop { $0 == " " }
            if content.isEmpty || content.hasPrefix("#") { continue }
            let column = line.count - content.count
            if column < indent { return nil }
            guard column == indent else { continue }
            for spelling in [key, "\"\(key)\"", "'\(key)'"] where content.hasPrefix(spelling) {
                if content.dropFirst(spelling.count).drop(while: { $0 == " " }).hasPrefix(":") {
                    return SourceLocation(file: first.file, line: index + 1, column: indent + 1)
                }
            }
        }
        return nil
    }
}

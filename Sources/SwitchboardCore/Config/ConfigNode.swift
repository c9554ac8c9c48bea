import Foundation
import Yams

/// A YAML node together with the file it came from, with typed accessors that fail with a
/// `ConfigDiagnostic` pointing at the exact line and column. Decoding config by hand through
/// these (rather than `Codable`) is what lets every error name its position.
public struct ConfigNode {
    public let node: Node
    public let file: String

    public init(_ node: Node, file: String) {
        self.node = node
        self.file = file
    }

    /// The root node of a YAML file; a syntax error or an empty file is a diagnostic, the empty
    /// one saying what the file should hold (`expected`).
    public static func parse(yaml: String, file: String, expected: String) throws(ConfigDiagnostics) -> ConfigNode {
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch {
            throw ConfigDiagnostics([SiteConfigLoader.diagnostic(forYAMLError: error, yaml: yaml, file: file)])
        }
        guard let node else { throw ConfigDiagnostics([ConfigDiagnostic(file: file, "the file is empty (expected \(expected))")]) }
        return ConfigNode(node, file: file)
    }

    public var location: SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// A diagnostic at this node.
    public func error(_ message: String) -> ConfigDiagnostic {
        ConfigDiagnostic(at: location, message)
    }

    /// The node's text as written, for messages.
    var shownValue: String {
        switch node {
        case .scalar(let scalar): "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    public var isNull: Bool {
        if case .scalar(let scalar) = node { return node.null != nil && scalar.style == .plain }
        return false
    }

    public func string(_ what: String = "a string") throws -> String {
        guard case .scalar(let scalar) = node, !isNull else { throw error("expected \(what), got \(shownValue)") }
        return scalar.string
    }

    /// A finite number, within `range` when given; by default within ±10¹⁵, beyond which no
    /// figure in a site's config means anything and arithmetic on it would overflow.
    public func double(_ what: String = "a number", in range: ClosedRange<Double> = -1e15...1e15) throws -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string), value.isFinite else {
            throw error("expected \(what), got \(shownValue)")
        }
        guard range.contains(value) else {
            throw error("expected \(what) from \(MetricValue.format(range.lowerBound)) to \(MetricValue.format(range.upperBound)), "
                        + "got \(MetricValue.format(value))")
        }
        return value
    }

    public func integer(_ what: String = "a whole number", in range: ClosedRange<Int>? = nil) throws -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            throw error("expected \(what), got \(shownValue)")
        }
        if let range, !range.contains(value) {
            throw error("expected \(what) from \(range.lowerBound) to \(range.upperBound), got \(value)")
        }
        return value
    }

    public func bool() throws -> Bool {
        guard case .scalar = node, let value = node.bool else { throw error("expected true or false, got \(shownValue)") }
        return value
    }

    /// A duration such as `500ms`, `30s`, `5m`, `1h` or `1h30m`; a bare number means seconds.
    public func duration() throws -> Duration {
        let text = try string("a duration like 30s, 5m or 1h")
        guard let duration = Duration(configText: text) else {
            if Duration.configSeconds(text) != nil { throw error("'\(text)' is longer than a year (\(Duration.configMaximum.configText))") }
            throw error("expected a duration like 30s, 5m or 1h, got '\(text)'")
        }
        return duration
    }

    public func sequence(_ what: String = "a list") throws -> [ConfigNode] {
        guard case .sequence(let sequence) = node else { throw error("expected \(what), got \(shownValue)") }
        return sequence.map { ConfigNode($0, file: file) }
    }

    /// A list of strings; a single string is accepted as a list of one.
    public func stringList(_ what: String = "a list of strings") throws -> [String] {
        try stringListNodes(what).map { try $0.string(what) }
    }

    /// The items of a list, or this node alone when it is a single scalar.
    func stringListNodes(_ what: String) throws -> [ConfigNode] {
        if case .scalar = node { return [self] }
        return try sequence(what)
    }

    /// The node as a mapping whose keys must all be among `allowedKeys`.
    public func mapping(_ what: String = "a mapping", allowedKeys: [String]? = nil) throws -> ConfigMapping {
        guard case .mapping(let mapping) = node else { throw error("expected \(what), got \(shownValue)") }
        var entries: [ConfigMapping.Entry] = []
        for (key, value) in mapping {
            let keyNode = ConfigNode(key, file: file)
            let name = try keyNode.string("a key")
            if let previous = entries.first(where: { $0.key == name }) {
                throw keyNode.error("duplicate key '\(name)' (first at line \(previous.keyNode.location.line))")
            }
            entries.append(.init(key: name, keyNode: keyNode, value: ConfigNode(value, file: file)))
        }
        let result = ConfigMapping(entries: entries, node: self)
        if let allowedKeys { try result.requireKeys(in: allowedKeys) }
        return result
    }
}

/// A YAML mapping in the order it was written, keeping each key's position.
public struct ConfigMapping {
    public struct Entry {
        public let key: String
        public let keyNode: ConfigNode
        public let value: ConfigNode
    }

    public let entries: [Entry]
    /// The mapping node itself, for errors about missing keys.
    public let node: ConfigNode

    public subscript(key: String) -> ConfigNode? {
        entries.first { $0.key == key }?.value
    }

    /// The value of a key that must be present.
    public func required(_ key: String) throws -> ConfigNode {
        guard let value = self[key] else { throw node.error("missing required key '\(key)'") }
        return value
    }

    /// Fails at the first key that is not in `allowed`, naming the keys that are.
    public func requireKeys(in allowed: [String]) throws {
        for entry in entries where !allowed.contains(entry.key) {
            throw entry.keyNode.error("unknown key '\(entry.key)' (expected one of: \(allowed.joined(separator: ", ")))")
        }
    }
}

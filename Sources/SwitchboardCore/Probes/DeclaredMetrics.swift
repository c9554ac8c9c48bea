import Foundation
import Yams

/// The metrics a probe says it reports, each with its unit or the words it takes: a runbook
/// naming another metric, comparing one in the wrong unit, or waiting for a word it never says,
/// is caught by `switchboard check` instead of showing `?` (or a wrong ✓) in an outage.
///
/// Native kinds declare theirs; `exec` and `stream` probes declare them in the site config:
/// ```yaml
/// metrics:
///   load: "%"                                  # a number and its unit
///   runtime: s
///   calls: ""                                  # a plain number
///   state: [running, standby, stopped, failed]  # a word, one of these
///   firmware: text                             # any text
/// ```
public struct DeclaredMetrics: Sendable, Equatable {
    public enum Shape: Sendable, Equatable {
        case number(unit: String)
        /// A text value; `values` are all it can be (empty: any text).
        case text(values: [String])
        /// A number or a text, as a JSON value is.
        case either
    }

    public private(set) var metrics: [(name: String, shape: Shape)]
    /// Whether the probe reports these and no others. A NUT server reports the variables its
    /// UPS driver has, beyond the common ones declared here: a runbook naming another is only
    /// warned about.
    public var complete: Bool

    public init(_ metrics: [(String, Shape)], complete: Bool) {
        self.metrics = metrics.map { (name: $0.0, shape: $0.1) }
        self.complete = complete
    }

    public subscript(name: String) -> Shape? {
        metrics.first { $0.name == name }?.shape
    }

    public var names: [String] { metrics.map(\.name) }

    public static func == (lhs: DeclaredMetrics, rhs: DeclaredMetrics) -> Bool {
        lhs.complete == rhs.complete && lhs.metrics.map(\.name) == rhs.metrics.map(\.name)
            && lhs.metrics.map(\.shape) == rhs.metrics.map(\.shape)
    }

    /// The config keys a kind reads with `parse`.
    public static let optionKey = "metrics"

    /// Reads a probe's `metrics:` (a mapping of name to unit, `text`, or a list of words).
    /// `numbersOnly` for a kind that can report nothing else (a plugin's performance data).
    public static func parse(_ node: ConfigNode, numbersOnly: Bool = false) throws -> DeclaredMetrics {
        let mapping = try node.mapping("a mapping of metric names to their unit (\"%\", s, \"\"), text, or the words they take")
        var metrics: [(String, Shape)] = []
        for entry in mapping.entries {
            if numbersOnly, case .sequence = entry.value.node {
                throw entry.value.error("a plugin's performance data are numbers: '\(entry.key)' cannot be a word "
                                        + "(a stream probe can report words)")
            }
            if case .sequence = entry.value.node {
                let words = try entry.value.stringList("the words '\(entry.key)' takes")
                guard !words.isEmpty else { throw entry.value.error("list the words '\(entry.key)' takes, or write text") }
                metrics.append((entry.key, .text(values: words)))
                continue
            }
            let unit = try entry.value.string("a unit (\"%\", s, ms, V, \"\" for none), text, or a list of words")
            if unit == "text" {
                guard !numbersOnly else {
                    throw entry.value.error("a plugin's performance data are numbers: '\(entry.key)' cannot be text "
                                            + "(a stream probe can report text)")
                }
                metrics.append((entry.key, .text(values: [])))
            } else {
                guard unit.allSatisfy({ $0.isLetter || $0 == "%" || $0 == "µ" || $0 == "/" }) else {
                    throw entry.value.error("'\(unit)' is not a unit: letters or %, such as \"%\", s, ms, V (\"\" for none)")
                }
                metrics.append((entry.key, .number(unit: unit)))
            }
        }
        return DeclaredMetrics(metrics, complete: true)
    }
}

/// A probe as a runbook may name it: its kind and the metrics it declares (nil: only its
/// readings will tell).
public struct ProbeDeclaration: Sendable, Equatable {
    public var kind: String
    public var metrics: DeclaredMetrics?

    public init(kind: String, metrics: DeclaredMetrics?) {
        self.kind = kind
        self.metrics = metrics
    }
}

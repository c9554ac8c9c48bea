import Mustache

/// A mustache template filled with metric values, e.g. `on line · {{battery.charge}} %`.
///
/// Metric names contain dots (NUT's `battery.charge`) and mustache reads dots as nesting, so the
/// context is built as nested mappings. Output is plain text: nothing is HTML-escaped.
public struct MetricTemplate: Sendable {
    private let template: MustacheTemplate

    public init(_ text: String) throws {
        template = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text)
    }

    public func render(_ values: [String: String]) -> String {
        template.render(Self.nested(values))
    }

    /// `["battery.charge": "98"]` → `["battery": ["charge": "98"]]`. A name that is both a value
    /// and a prefix of others (`ups` and `ups.load`) keeps the nested branch.
    static func nested(_ values: [String: String]) -> [String: Any] {
        var root: [String: Any] = [:]
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            insert(value, path: name.split(separator: ".").map(String.init)[...], into: &root)
        }
        return root
    }

    private static func insert(_ value: String, path: ArraySlice<String>, into node: inout [String: Any]) {
        guard let head = path.first else { return }
        if path.count == 1 {
            if node[head] == nil { node[head] = value }
            return
        }
        var child = node[head] as? [String: Any] ?? [:]
        insert(value, path: path.dropFirst(), into: &child)
        node[head] = child
    }
}

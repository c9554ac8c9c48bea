import Foundation
import Testing
@testable import SwitchboardCore
@testable import SwitchboardProbes

/// The README's documentation of the native kinds and the starter config's commented examples
/// are config a user will copy: they must load as written, and every option must be documented.
@Suite("native kinds: documented examples load")
struct NativeKindDocsTests {
    static let kinds: [any ProbeKind.Type] = [NUTProbe.self, SIPProbe.self, TCPProbe.self, HTTPProbe.self, DNSProbe.self, PrometheusProbe.self,
                                              AgentsProbe.self]

    static let readme: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    /// The README's text from one heading to the next of the same or a higher level.
    static func section(_ heading: String) -> String {
        guard let start = readme.range(of: "\n\(heading)\n") else { return "" }
        let level = heading.prefix { $0 == "#" }.count
        let rest = readme[start.upperBound...]
        let end = rest.components(separatedBy: "\n").firstIndex { line in
            let hashes = line.prefix { $0 == "#" }.count
            return hashes > 0 && hashes <= level && line.dropFirst(hashes).hasPrefix(" ")
        }
        return rest.components(separatedBy: "\n").prefix(end ?? Int.max).joined(separator: "\n")
    }

    /// The ```yaml blocks of some text.
    static func yamlBlocks(_ text: String) -> [String] {
        text.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```").first ?? "" }
    }

    @Test("every native kind's README section has examples that load, and a row for every option")
    func readmeSections() throws {
        for kind in Self.kinds {
            let text = Self.section("#### `kind: \(kind.kind)`")
            #expect(!text.isEmpty, "no README section for kind: \(kind.kind)")
            let blocks = Self.yamlBlocks(text)
            #expect(!blocks.isEmpty, "no example for kind: \(kind.kind)")
            for block in blocks {
                let config = try SiteConfigLoader(catalog: .builtIn).load(yaml: "site: t\nprobes:\n" + block, file: "README (\(kind.kind))")
                #expect(config.probes.allSatisfy { $0.spec.kind == kind.kind })
            }
            for key in kind.optionKeys {
                #expect(text.contains("| `\(key)`") || text.contains(", `\(key)`"), "kind: \(kind.kind) does not document '\(key)'")
            }
        }
    }

    @Test("the starter config's commented examples load once uncommented, one of every kind")
    func starterExamples() throws {
        var uncommented: [String] = []
        var inExample = false
        for line in StarterConfig.yaml.components(separatedBy: "\n") {
            if line.hasPrefix("  # - id:") {
                inExample = true
            } else if !line.hasPrefix("  #   ") {
                inExample = false
            }
            if inExample { uncommented.append("  " + line.dropFirst(4)) }
        }
        let config = try SiteConfigLoader(catalog: .builtIn).load(yaml: "site: t\nprobes:\n" + uncommented.joined(separator: "\n"),
                                                                  file: "starter examples")
        let shown = Set(config.probes.map(\.spec.kind))
        for kind in Self.kinds {
            #expect(shown.contains(kind.kind), "the starter config has no example of kind: \(kind.kind)")
        }
        let live = try SiteConfigLoader(catalog: .builtIn).load(yaml: StarterConfig.yaml, file: "switchboard.yaml")
        #expect(Set(live.probes.map(\.spec.kind)).union(shown) == Set(ProbeCatalog.builtIn.names))
    }
}

import Foundation
import Testing
import SwitchboardProbes

/// The inputs the fuzzer found crashing (kept in `Fuzz/regressions/<target>/`, each fixed) and
/// every target's seeds go through their targets again: none may crash or hang.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let regressions: String = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return root.appendingPathComponent("Fuzz/regressions").path
    }()

    @Test("seeds and the inputs that once crashed run through each target", arguments: FuzzTarget.all.map(\.name))
    func replay(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let folder = Self.regressions + "/" + name
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        for file in files {
            let bytes = try #require(FileManager.default.contents(atPath: folder + "/" + file), "\(file)")
            target.run(Array(bytes))
        }
        for seed in target.seeds { target.run(Array(seed.utf8)) }
    }

    @Test("every folder of regressions names a target")
    func foldersNameTargets() throws {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: Self.regressions)) ?? []
        let unknown = folders.filter { FuzzTarget.named($0) == nil && !$0.hasPrefix(".") && $0 != "README.md" }
        #expect(unknown.isEmpty, "folders in Fuzz/regressions that name no target: \(unknown)")
    }
}

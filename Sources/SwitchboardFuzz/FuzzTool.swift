// The fuzzing driver for `FuzzTarget.all`.
//
// Built by `scripts/fuzz` with `-sanitize=fuzzer -D LIBFUZZER`, it hands its arguments to
// libFuzzer (`-max_total_time`, corpus folders…) for the target named by
// `SWITCHBOARD_FUZZ_TARGET`. Built as usual, it lists the targets, writes their seeds and
// replays inputs, so a crash libFuzzer found can be rerun by hand.
import CFuzzer
import Foundation
import SwitchboardProbes

#if LIBFUZZER
/// One input, for the current target. Exported under libFuzzer's name too: its runtime refers to it.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTool.current?.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
#endif

@main
struct FuzzTool {
    static let usage = """
        usage: switchboard-fuzz list                    the targets
               switchboard-fuzz seed TARGET DIR         write TARGET's seed inputs into DIR
               switchboard-fuzz replay TARGET FILE...   run inputs through TARGET (a crash reproduces)
        Coverage-guided runs: scripts/fuzz [SECONDS] [TARGET...]
        """

    static func main() {
        #if LIBFUZZER
        fuzz()
        #else
        command(Array(CommandLine.arguments.dropFirst()))
        #endif
    }

    static func command(_ arguments: [String]) {
        switch arguments.first {
        case "list":
            for target in FuzzTarget.all { print(target.name) }
        case "seed" where arguments.count == 3:
            writeSeeds(of: named(arguments[1]), into: arguments[2])
        case "replay" where arguments.count >= 3:
            let target = named(arguments[1])
            for file in arguments.dropFirst(2) {
                guard let bytes = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
                target.run(Array(bytes))
                print("\(file): ok")
            }
        case "-h", "--help", "help":
            print(usage)
        default:
            fail("\(arguments.joined(separator: " ")): unknown command\n\(usage)")
        }
    }

    #if LIBFUZZER
    /// The target libFuzzer calls, chosen once from the environment.
    nonisolated(unsafe) static var current: FuzzTarget?

    /// `SWITCHBOARD_FUZZ_TARGET=list` lists the targets; `SWITCHBOARD_FUZZ_SEEDS=DIR` writes
    /// the target's seeds into DIR (its starting corpus) before libFuzzer starts.
    static func fuzz() {
        let environment = ProcessInfo.processInfo.environment
        let name = environment["SWITCHBOARD_FUZZ_TARGET"] ?? ""
        if name == "list" { return command(["list"]) }
        current = named(name)
        if let folder = environment["SWITCHBOARD_FUZZ_SEEDS"], let current { writeSeeds(of: current, into: folder) }
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
    #endif

    static func writeSeeds(of target: FuzzTarget, into folder: String) {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (index, seed) in target.seeds.enumerated() {
            guard FileManager.default.createFile(atPath: "\(folder)/seed-\(index)", contents: Data(seed.utf8)) else {
                fail("cannot write into \(folder)")
            }
        }
    }

    static func named(_ name: String) -> FuzzTarget {
        guard let target = FuzzTarget.named(name) else {
            fail("no target '\(name)'; the targets: \(FuzzTarget.all.map(\.name).joined(separator: ", "))")
        }
        return target
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("switchboard-fuzz: \(message)\n".utf8))
        exit(2)
    }
}

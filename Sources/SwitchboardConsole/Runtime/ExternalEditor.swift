import Dispatch
import Foundation
import Glibc
import Subprocess
import SystemPackage
import Synchronization

/// Runs the person's editor (`$VISUAL`, else `$EDITOR`, else `vi`) on a text, on the console's
/// own terminal, and gives back what they saved. The command is split at spaces into an argv
/// (`code --wait` works); it never goes through a shell.
enum ExternalEditor {
    static func command(environment: [String: String]) -> [String] {
        for name in ["VISUAL", "EDITOR"] {
            let words = (environment[name] ?? "").split(separator: " ").map(String.init)
            if !words.isEmpty { return words }
        }
        return ["vi"]
    }

    /// Blocks until the editor exits. The text comes back without changes when the editor fails.
    static func edit(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> (text: String?, problem: String?) {
        var template = Array((NSTemporaryDirectory() + "/switchboard-message-XXXXXX.txt").utf8CString)
        let descriptor = mkstemps(&template, 4)
        guard descriptor >= 0 else { return (nil, "cannot create a file for the editor: \(Errno(rawValue: errno))") }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        let written = Array(text.utf8).withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == text.utf8.count else { return (nil, "cannot write the file for the editor") }

        let argv = command(environment: environment)
        let outcome = Mutex<Result<TerminationStatus, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            let result: Result<TerminationStatus, any Error>
            do {
                let record = try await Subprocess.run(
                    .name(argv[0]), arguments: Arguments(Array(argv.dropFirst()) + [path]),
                    input: .fileDescriptor(.standardInput, closeAfterSpawningProcess: false),
                    output: .fileDescriptor(.standardOutput, closeAfterSpawningProcess: false),
                    error: .fileDescriptor(.standardError, closeAfterSpawningProcess: false))
                result = .success(record.terminationStatus)
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            finished.signal()
        }
        finished.wait()
        switch outcome.withLock({ $0 }) {
        case .success(.exited(0))?:
            guard let edited = try? String(contentsOfFile: path, encoding: .utf8) else {
                return (nil, "cannot read back what \(argv[0]) saved")
            }
            return (edited, nil)
        case .success(let status)?:
            return (nil, "\(argv[0]) ended with \(status): the text is as it was")
        case .failure(let error)?:
            return (nil, "cannot run \(argv[0]) (set $EDITOR): \(error)")
        case nil:
            return (nil, "the editor did not run")
        }
    }
}

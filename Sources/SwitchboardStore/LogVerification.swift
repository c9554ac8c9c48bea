import Foundation
import SwitchboardCore

/// `switchboard log verify`: reads a log file once, in constant memory, and says whether every
/// record is intact and in its place.
public enum LogVerification: Sendable, Equatable {
    /// Every record sound and chained; `head` is the last record's hash, worth keeping elsewhere:
    /// a chain can only prove nothing changed up to a head someone kept.
    case intact(records: Int, head: String)
    /// The records before the tail are intact; the file ends in a partial line, as a crash
    /// while writing leaves it (the next start moves it aside).
    case truncatedTail(records: Int, bytes: Int)
    /// An edit, deletion, insertion, reordering or forged record: the first bad line and why.
    case tampered(intactRecords: Int, problem: String)

    public static func verify(path: String) throws -> LogVerification {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StoreError.errno("cannot open", path: path) }
        defer { close(descriptor) }
        var verifier = ChainVerifier()
        var lineNumber = 0
        struct Found: Error { var problem: String }
        let tail: LogLines.Tail
        do {
            tail = try LogLines.scan(descriptor, from: 0, path: path) { line, _ in
                lineNumber += 1
                if case .failure(let problem) = verifier.check(line, lineNumber: lineNumber) {
                    throw Found(problem: problem.message)
                }
            }
        } catch let found as Found {
            return .tampered(intactRecords: verifier.recordCount, problem: found.problem)
        } catch let overlong as LogLines.OverlongLine {
            return .tampered(intactRecords: verifier.recordCount, problem: overlong.message)
        }
        if !tail.partial.isEmpty {
            return .truncatedTail(records: verifier.recordCount, bytes: tail.partial.count)
        }
        return .intact(records: verifier.recordCount, head: verifier.lastHash)
    }
}

import Dispatch
import Foundation
import SwitchboardCore

/// `switchboard log verify`: reads a log file once, in bounded memory, and says whether every
/// record is intact and in its place.
public enum LogVerification: Sendable, Equatable {
    /// Every record sound and chained; `head` is the last record's hash, worth keeping elsewhere:
    /// a chain can only prove nothing changed up to a head someone kept.
    case intact(records: Int, head: String)
    /// Every record intact, but the last lacks its final newline (an editor stripped it): not
    /// tampering; the next start adds the newline and keeps the record.
    case missingFinalNewline(records: Int, head: String)
    /// The records before the tail are intact; the file ends in a partial line, as a crash
    /// while writing leaves it (the next start moves it aside).
    case truncatedTail(records: Int, bytes: Int)
    /// An edit, deletion, insertion, reordering or forged record: the first bad line and why.
    case tampered(intactRecords: Int, problem: String)
    /// The chain is whole, but something was logged after the incident was closed (only the
    /// seals of readings journals may follow a close).
    case recordsAfterClose(records: Int, problem: String)
    /// No records at all: not an incident log yet.
    case empty

    /// Lines checked together: each line's own hash and fields are read on every core at once,
    /// then the batch is chained in order. Bounds memory to a batch of lines.
    static let batchSize = 4096

    /// Verifies the chain; `seal` sees each intact seal of a readings journal, with its record's seq.
    public static func verify(path: String, seal: ((ReadingsVerification.SealRecord) -> Void)? = nil) throws -> LogVerification {
        let descriptor = try openRegularFile(path, O_RDONLY)
        defer { close(descriptor) }
        var verifier = ChainVerifier()
        var lineNumber = 0
        var batch: [[UInt8]] = []
        batch.reserveCapacity(batchSize)
        var closedAt: Int?
        var afterClose: String?
        struct Found: Error { var problem: LogLineProblem }
        /// Only the seals of readings journals may follow `incident.closed`.
        func checkAfterClose(_ link: ChainLink, line: Int) {
            if let closedAt, afterClose == nil, link.kind != LogKind.readingsSealed {
                afterClose = "line \(line) (seq \(link.seq)): a \(link.kind) record after the incident was closed at seq \(closedAt)"
            }
            if link.kind == LogKind.closed, closedAt == nil { closedAt = link.seq }
        }

        func checkBatch() throws {
            defer { batch.removeAll(keepingCapacity: true) }
            for (line, read) in zip(batch, readLinks(batch)) {
                lineNumber += 1
                switch verifier.follow(read, lineNumber: lineNumber) {
                case .failure(let problem):
                    throw Found(problem: problem)
                case .success(let link):
                    checkAfterClose(link, line: lineNumber)
                    // Only seals are read whole: every other record needs no more than its link.
                    if let seal, link.kind == LogKind.readingsSealed, case .success(let record) = HashChain.open(line),
                       let journalSeal = JournalSeal(record) {
                        seal(ReadingsVerification.SealRecord(seq: link.seq, seal: journalSeal))
                    }
                }
            }
        }

        let tail: LogLines.Tail
        do {
            tail = try LogLines.scan(descriptor, from: 0, path: path) { line, _ in
                batch.append(Array(line))
                if batch.count == batchSize { try checkBatch() }
            }
            try checkBatch()
        } catch let found as Found {
            var problem = found.problem.message
            if let missing = found.problem.expectedSeq, let later = try line(withSeq: missing, after: lineNumber, in: descriptor, path: path) {
                problem = problem.replacingOccurrences(of: "records were deleted", with: "records were reordered (seq \(missing) is at line \(later))")
            }
            return .tampered(intactRecords: verifier.recordCount, problem: problem)
        } catch let overlong as LogLines.OverlongLine {
            try? checkBatch() // the lines before the damage decide how many records are intact
            return .tampered(intactRecords: verifier.recordCount, problem: overlong.message)
        }
        if !tail.partial.isEmpty {
            // A whole record but for its newline is not a torn line.
            var extended = verifier
            guard case .success(let link) = extended.follow(HashChain.link(tail.partial), lineNumber: lineNumber + 1) else {
                return .truncatedTail(records: verifier.recordCount, bytes: tail.partial.count)
            }
            checkAfterClose(link, line: lineNumber + 1)
            if let afterClose { return .recordsAfterClose(records: extended.recordCount, problem: afterClose) }
            return .missingFinalNewline(records: extended.recordCount, head: extended.lastHash)
        }
        if let afterClose { return .recordsAfterClose(records: verifier.recordCount, problem: afterClose) }
        if verifier.recordCount == 0 { return .empty }
        return .intact(records: verifier.recordCount, head: verifier.lastHash)
    }

    /// The line number of the first record after `lineNumber` with this seq, if there is one:
    /// what tells records moved from records deleted.
    private static func line(withSeq seq: Int, after lineNumber: Int, in descriptor: Int32, path: String) throws -> Int? {
        var number = 0
        var found: Int?
        struct Stop: Error {}
        do {
            _ = try LogLines.scan(descriptor, from: 0, path: path) { line, _ in
                number += 1
                guard number > lineNumber, case .success(let link) = HashChain.link(line), link.seq == seq else { return }
                found = number
                throw Stop()
            }
        } catch is Stop {} catch is LogLines.OverlongLine {}
        return found
    }

    /// Reads every line's chain link, spread over the machine's cores.
    private static func readLinks(_ lines: [[UInt8]]) -> [Result<ChainLink, LogLineProblem>] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, lines.count / 256))
        let results = UnsafeMutableBufferPointer<Result<ChainLink, LogLineProblem>>.allocate(capacity: lines.count)
        defer { results.deallocate() }
        let slice = (lines.count + workers - 1) / max(1, workers)
        nonisolated(unsafe) let shared = results
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            // Each worker writes only its own range of the buffer.
            for index in (worker * slice)..<min(lines.count, (worker + 1) * slice) {
                (shared.baseAddress! + index).initialize(to: HashChain.link(lines[index]))
            }
        }
        defer { _ = results.baseAddress.map { $0.deinitialize(count: lines.count) } }
        return Array(results)
    }
}

/// `switchboard log verify`: the log's chain, and the readings journals it seals.
public struct IncidentVerification: Sendable, Equatable {
    public var log: LogVerification
    public var readings: ReadingsVerification

    public static func verify(path: String) throws -> IncidentVerification {
        var seals: [ReadingsVerification.SealRecord] = []
        let log = try LogVerification.verify(path: path) { seals.append($0) }
        return IncidentVerification(log: log, readings: ReadingsVerification.verify(logPath: path, seals: seals))
    }
}

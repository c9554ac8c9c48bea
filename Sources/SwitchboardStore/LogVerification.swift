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

    /// Verifies the chain; `seal` sees each intact seal of a readings journal, with its record's
    /// seq. The file is read in blocks, each line's hash and fields checked on every core at once,
    /// then chained in order: a log of any length in bounded memory, at about the speed of hashing it.
    public static func verify(path: String, seal: ((ReadingsVerification.SealRecord) -> Void)? = nil) throws -> LogVerification {
        try verify(path: path, seal: seal, reading: RecordReading(batch: {}, prepare: { _, _, _ in }), batches: { _ in })
    }

    /// `verify`, making something of every intact record too, so a report reads the log once.
    /// The lines are read in slices, one per core at a time: `prepare` runs on the slice's
    /// worker with each intact line and its link in the chain, adding what it makes of it to
    /// the slice's `Batch` (begun by `batch`); `batches` then gets each slice's batch in file
    /// order, on the caller's thread, once the slice is known to be intact and in place. A
    /// batch holds only records that passed.
    public static func verify<Batch>(path: String, seal: ((ReadingsVerification.SealRecord) -> Void)? = nil,
                                     batch: @escaping @Sendable () -> Batch,
                                     prepare: @escaping @Sendable (inout Batch, UnsafeBufferPointer<UInt8>, ChainLink) -> Void,
                                     batches: (Batch) throws -> Void) throws -> LogVerification {
        try verify(path: path, seal: seal, reading: RecordReading(batch: batch, prepare: prepare), batches: batches)
    }

    /// What `verify`'s workers make of the records, when it is asked to.
    private struct RecordReading<Batch>: Sendable {
        var batch: @Sendable () -> Batch
        var prepare: @Sendable (inout Batch, UnsafeBufferPointer<UInt8>, ChainLink) -> Void
    }

    private static func verify<Batch>(path: String, seal: ((ReadingsVerification.SealRecord) -> Void)?,
                                      reading: RecordReading<Batch>, batches: (Batch) throws -> Void) throws -> LogVerification {
        let descriptor = try openRegularFile(path, O_RDONLY)
        defer { close(descriptor) }
        var lineNumber = 0
        var closedAt: Int?
        var afterClose: String?
        /// Only the seals of readings journals may follow `incident.closed`: checks the links
        /// after line `lineNumber`.
        func checkAfterClose(_ links: SliceLinks) {
            func found(_ link: LinkSummary, closedAt: Int) {
                afterClose = "line \(lineNumber + link.index + 1) (seq \(link.seq)): a \(link.kind) record after the incident was closed at seq \(closedAt)"
            }
            if let closedAt, afterClose == nil, let link = links.firstNotSeal { found(link, closedAt: closedAt) }
            if closedAt == nil, let close = links.firstClose {
                closedAt = close.seq
                if let link = links.firstNotSealAfterClose { found(link, closedAt: close.seq) }
            }
        }
        let incident = try firstIncident(descriptor, path: path)
        /// The chain as verified up to the last slice taken.
        var carried = ChainVerifier()

        /// Takes a verified slice in: what follows a close, the seals, what was made of its
        /// records; stops at its failure.
        func accept(_ slice: VerifiedSlice<Batch>, lines: LogLines.Lines) throws {
            checkAfterClose(slice.links)
            // Only seals are read whole for verification: every other record needs no more than its link.
            if let seal {
                for index in slice.links.seals {
                    if case .success(let opened) = HashChain.open(bytes: lines[index]), let journalSeal = JournalSeal(opened) {
                        seal(ReadingsVerification.SealRecord(seq: opened.seq, seal: journalSeal))
                    }
                }
            }
            lineNumber += slice.links.count
            try batches(slice.batch)
            carried = slice.verifier
            if let failure = slice.failure {
                lineNumber += 1
                throw FoundDamage(problem: failure)
            }
        }

        let tail: LogLines.Tail
        do {
            tail = try LogLines.scanInParallel(descriptor, from: 0, path: path, work: { lines in
                verifySlice(lines, incident: incident, reading: reading)
            }, each: accept)
        } catch let found as FoundDamage {
            var problem = found.problem.message
            if let missing = found.problem.expectedSeq, let later = try line(withSeq: missing, after: lineNumber, in: descriptor, path: path) {
                problem = problem.replacingOccurrences(of: "records were deleted", with: "records were reordered (seq \(missing) is at line \(later))")
            }
            return .tampered(intactRecords: carried.recordCount, problem: problem)
        } catch let overlong as LogLines.OverlongLine {
            return .tampered(intactRecords: carried.recordCount, problem: overlong.message)
        }
        let verifier = carried
        if !tail.partial.isEmpty {
            // A whole record but for its newline is not a torn line.
            var extended = verifier
            guard case .success(let link) = extended.follow(HashChain.link(tail.partial), lineNumber: lineNumber + 1) else {
                return .truncatedTail(records: verifier.recordCount, bytes: tail.partial.count)
            }
            var links = SliceLinks()
            links.add(link)
            checkAfterClose(links)
            var batch = reading.batch()
            tail.partial.withUnsafeBufferPointer { reading.prepare(&batch, $0, link) }
            try batches(batch)
            if let afterClose { return .recordsAfterClose(records: extended.recordCount, problem: afterClose) }
            return .missingFinalNewline(records: extended.recordCount, head: extended.lastHash)
        }
        if let afterClose { return .recordsAfterClose(records: verifier.recordCount, problem: afterClose) }
        if verifier.recordCount == 0 { return .empty }
        return .intact(records: verifier.recordCount, head: verifier.lastHash)
    }

    /// Reads a slice's lines and checks their chain, from the line before it (read again by
    /// this worker; the first line of the file begins the chain); makes what `reading` asks of
    /// each intact line. The slices are read at once: the slice before is known to be intact
    /// (and this one's reading kept) only once it has been taken in order.
    private static func verifySlice<Batch>(_ lines: LogLines.Lines, incident shared: String?,
                                           reading: RecordReading<Batch>) -> VerifiedSlice<Batch> {
        // Every link of the slice shares the incident's string: a copy of the slice's own, so
        // the workers do not count references to one string at once (its count would bounce
        // between their cores on every line).
        let incident = shared.map { String(decoding: Array($0.utf8), as: UTF8.self) }
        var batch = reading.batch()
        var verifier = ChainVerifier()
        var links = SliceLinks()
        if let previous = lines.previous {
            guard case .success(let before) = HashChain.link(bytes: previous, incident: incident) else {
                // The slice before fails at its last line: this one is never reached.
                return VerifiedSlice(links: links, verifier: verifier, batch: batch, failure: nil)
            }
            verifier = ChainVerifier(continuingAfter: before)
        }
        for index in lines.indices {
            let line = lines[index]
            let lineNumber = lines.linesBefore + index + 1
            do throws(LogLineProblem) {
                let link: ChainLink
                do throws(LogLineProblem) {
                    link = try HashChain.checkedLink(bytes: line, incident: incident)
                } catch {
                    throw LogLineProblem("line \(lineNumber): \(error.message)")
                }
                try verifier.follow(link, lineNumber: lineNumber)
                links.add(link)
                reading.prepare(&batch, line, link)
            } catch {
                return VerifiedSlice(links: links, verifier: verifier, batch: batch, failure: error)
            }
        }
        return VerifiedSlice(links: links, verifier: verifier, batch: batch, failure: nil)
    }

    /// The incident the first line names, if it can be read: every line after it is expected
    /// to name the same (and then shares its string).
    private static func firstIncident(_ descriptor: Int32, path: String) throws -> String? {
        var incident: String?
        struct Stop: Error {}
        do {
            _ = try LogLines.scan(descriptor, from: 0, path: path) { line, _ in
                if case .success(let link) = HashChain.link(line) { incident = link.incident }
                throw Stop()
            }
        } catch is Stop {} catch is LogLines.OverlongLine {}
        return incident
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
}

/// The first line that is not sound or not in its place, which ends verification.
private struct FoundDamage: Error {
    var problem: LogLineProblem
}

/// A link verify names in a problem: its line in the slice, its seq and kind.
private struct LinkSummary {
    var index: Int
    var seq: Int
    var kind: String
}

/// What verify looks at of a slice's links once their chain is checked, gathered by the
/// slice's worker: how many, where the seals of readings journals are, and the links that say
/// whether anything but a seal follows the incident's close.
private struct SliceLinks {
    private(set) var count = 0
    /// The seals' indices in the slice.
    private(set) var seals: [Int] = []
    /// The first link that is not a seal (a close may come in an earlier slice).
    private(set) var firstNotSeal: LinkSummary?
    private(set) var firstClose: LinkSummary?
    /// The first link after `firstClose` that is not a seal.
    private(set) var firstNotSealAfterClose: LinkSummary?

    mutating func add(_ link: borrowing ChainLink) {
        defer { count += 1 }
        if link.kind == LogKind.readingsSealed { return seals.append(count) }
        if firstNotSeal == nil { firstNotSeal = LinkSummary(index: count, seq: link.seq, kind: link.kind) }
        if firstClose != nil {
            if firstNotSealAfterClose == nil { firstNotSealAfterClose = LinkSummary(index: count, seq: link.seq, kind: link.kind) }
        } else if link.kind == LogKind.closed {
            firstClose = LinkSummary(index: count, seq: link.seq, kind: link.kind)
        }
    }
}

/// A slice of a log's lines as one worker read and chained them: the links it read up to its
/// first failure, what it made of those records, and the chain after the last of them.
private struct VerifiedSlice<Batch> {
    var links: SliceLinks
    var verifier: ChainVerifier
    var batch: Batch
    var failure: LogLineProblem?
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

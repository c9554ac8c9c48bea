import Foundation
import SwitchboardCore

/// An incident's log read from where it last stopped, each record checked in its place in the
/// chain, without changing, repairing or locking the file: review reads a copy on read-only
/// media, or a log a live console is still appending to, the same way. The first damaged line
/// ends what is read (the records before it stand); a partial last line is read again next
/// time, as it may still be being written.
public struct RecordedLog: Sendable {
    public let path: String
    private var verifier = ChainVerifier()
    private var offset: off_t = 0
    private var lineNumber = 0
    /// The first damaged line and why; nothing after it is read.
    public private(set) var damage: String?

    public init(path: String) {
        self.path = path
    }

    /// The records appended since the last read, in order.
    public mutating func readNew() throws -> [LogRecord] {
        guard damage == nil else { return [] }
        let descriptor = try openRegularFile(path, O_RDONLY, missing: StoreError("no incident log at \(path)"))
        defer { close(descriptor) }
        var records: [LogRecord] = []
        struct Damaged: Error { var message: String }
        do {
            _ = try LogLines.scan(descriptor, from: offset, path: path) { line, end in
                lineNumber += 1
                switch verifier.check(line, lineNumber: lineNumber) {
                case .success(let record):
                    records.append(record)
                    offset = end
                case .failure(let problem):
                    throw Damaged(message: problem.message)
                }
            }
        } catch let damaged as Damaged {
            damage = damaged.message
        } catch let overlong as LogLines.OverlongLine {
            damage = overlong.message
        }
        return records
    }
}

/// An incident's files as review reads them: its log, and the readings journals of the consoles
/// that followed it (`<id>.readings/*.jsonl` beside the log), each read as far as it is sound
/// and followed as it grows.
public struct IncidentRecording: Sendable {
    public var log: RecordedLog
    public var journals: [JournalReader]

    /// The log at `logPath` and the journals beside it, none read yet.
    public init(logPath: String) {
        log = RecordedLog(path: logPath)
        let folder = Self.journalFolder(ofLog: logPath)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
        journals = names.map { JournalReader(path: folder + "/" + $0) }
    }

    /// `incidents/<id>.readings` for `incidents/<id>.jsonl`.
    public static func journalFolder(ofLog logPath: String) -> String {
        (logPath as NSString).deletingPathExtension + ".readings"
    }
}

import Crypto
import Foundation
import SwitchboardCore

/// Whether the readings journals of an incident are what its log sealed: every seal record
/// names a journal, how many of its bytes it covers and their SHA-256. Any edit, deletion,
/// insertion or reordering of a sealed reading no longer matches. Each journal is read once,
/// in bounded memory, checking every seal on the way.
public struct ReadingsVerification: Sendable, Equatable {
    /// What was found in one journal.
    public struct Journal: Sendable, Equatable {
        /// Relative to the incidents folder, as seals name it.
        public var name: String
        public var bytes: Int
        /// How far its last good seal reaches.
        public var sealedBytes: Int
        public var sealedReadings: Int
    }

    public var journals: [Journal] = []
    /// Tampering or loss: each names the journal and the seal it breaks.
    public var problems: [String] = []
    /// Worth knowing but not tampering: readings written after a console's last seal.
    public var notes: [String] = []

    public var isIntact: Bool { problems.isEmpty }

    /// A seal as the log holds it: the record it is in.
    public struct SealRecord: Sendable, Equatable {
        public var seq: Int
        public var seal: JournalSeal

        public init(seq: Int, seal: JournalSeal) {
            self.seq = seq
            self.seal = seal
        }
    }

    /// Checks the journals of the log at `logPath` against its `seals`, and lists journals in
    /// its readings folder that no seal names.
    public static func verify(logPath: String, seals: [SealRecord]) -> ReadingsVerification {
        let incidents = (logPath as NSString).deletingLastPathComponent
        let incident = ((logPath as NSString).lastPathComponent as NSString).deletingPathExtension
        var result = ReadingsVerification()
        var byJournal: [String: [SealRecord]] = [:]
        for record in seals { byJournal[record.seal.journal, default: []].append(record) }
        for (name, records) in byJournal.sorted(by: { $0.key < $1.key }) {
            guard isJournalName(name, of: incident) else {
                result.problems.append("record #\(records[0].seq) seals '\(name)', which is not a journal of this incident")
                continue
            }
            result.check(name, path: incidents + "/" + name, seals: records)
        }
        let folder = incidents + "/\(incident).readings"
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".jsonl") }
        for file in files.sorted() where byJournal["\(incident).readings/\(file)"] == nil {
            result.notes.append("\(incident).readings/\(file) is not sealed by any record: its readings cannot be vouched for")
        }
        return result
    }

    /// `<id>.readings/<console>.jsonl`, nothing that leads elsewhere.
    private static func isJournalName(_ name: String, of incident: String) -> Bool {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0] == "\(incident).readings" && parts[1].hasSuffix(".jsonl")
            && !parts[1].hasPrefix(".") && !parts[1].contains("..")
    }

    private mutating func check(_ name: String, path: String, seals: [SealRecord]) {
        if let negative = seals.first(where: { $0.seal.bytes < 0 }) {
            problems.append("record #\(negative.seq) seals \(negative.seal.bytes) bytes of \(name): not a seal")
            return
        }
        let descriptor: Int32
        do {
            descriptor = try openRegularFile(path, O_RDONLY)
        } catch {
            problems.append("\(name), sealed in record #\(seals[0].seq), cannot be read: \(error) (deleted or replaced)")
            return
        }
        defer { close(descriptor) }
        var pending = seals.sorted { $0.seal.bytes < $1.seal.bytes }[...]
        var hasher = SHA256()
        var offset = 0
        var sealed = (bytes: 0, readings: 0)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var broken = false
        reading: while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            var start = 0
            // Hash up to each seal that falls in this chunk, and check it there.
            while let next = pending.first, next.seal.bytes <= offset + count {
                let cut = next.seal.bytes - offset
                hasher.update(data: chunk[start..<cut])
                start = cut
                guard ReadingsJournalFile.hex(hasher) == next.seal.sha256 else {
                    broken = true
                    problems.append("\(name): its first \(next.seal.bytes) bytes do not match the seal in record #\(next.seq): "
                                    + "readings were edited, deleted, inserted or reordered")
                    break reading
                }
                sealed = (next.seal.bytes, next.seal.readings)
                pending.removeFirst()
            }
            hasher.update(data: chunk[start..<count])
            offset += count
        }
        if !broken, let short = pending.first {
            broken = true
            problems.append("\(name) has \(offset) bytes, but record #\(short.seq) sealed \(short.seal.bytes): "
                            + "readings were deleted or the file was cut")
        }
        var info = stat()
        let size = fstat(descriptor, &info) == 0 ? Int(info.st_size) : offset
        journals.append(Journal(name: name, bytes: size, sealedBytes: sealed.bytes, sealedReadings: sealed.readings))
        if !broken, offset > sealed.bytes {
            notes.append("\(name): \(offset - sealed.bytes) bytes written after its last seal (its console stopped "
                         + "before sealing them): not vouched for")
        }
    }
}

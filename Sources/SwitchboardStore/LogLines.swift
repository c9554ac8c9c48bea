import Foundation

/// Reads a log file's lines from an offset in fixed-size chunks, so a log of any length is read
/// in constant memory. What follows the last newline is returned apart: it is either a line
/// still being written or a torn tail left by a crash.
enum LogLines {
    static let chunkSize = 64 * 1024
    /// No record comes near this; a longer "line" is damage, not a record.
    static let lineLimit = 1 << 20

    /// A "line" longer than `lineLimit`: damage in the file, not a failure to read it.
    struct OverlongLine: Error {
        var startingAt: off_t
        var limit: Int
        var message: String { "a line at byte \(startingAt) runs past \(limit / 1024) KiB: not a record" }
    }

    struct Tail {
        /// Where the first byte after the last complete line is.
        var end: off_t
        /// The bytes after the last newline (empty when the file ends with one).
        var partial: [UInt8]
    }

    /// Calls `body` with each complete line (without its newline) and its end offset; a line
    /// past `lineLimit` fails as damage to the log, with the path.
    static func read(_ descriptor: Int32, from start: off_t, path: String, lineLimit: Int = lineLimit,
                     _ body: (_ line: ArraySlice<UInt8>, _ end: off_t) throws -> Void) throws -> Tail {
        do {
            return try scan(descriptor, from: start, path: path, lineLimit: lineLimit, body)
        } catch let overlong as OverlongLine {
            throw StoreError("\(path): \(overlong.message)")
        }
    }

    /// As `read`, but an overlong line fails as `OverlongLine`, for verification to report.
    static func scan(_ descriptor: Int32, from start: off_t, path: String, lineLimit: Int = lineLimit,
                     _ body: (_ line: ArraySlice<UInt8>, _ end: off_t) throws -> Void) throws -> Tail {
        var pending: [UInt8] = []
        var offset = start
        var lineStart = start
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, chunkSize, offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError.errno("cannot read", path: path)
            }
            if count == 0 { break }
            var from = 0
            // memchr finds the newlines: a byte loop was a tenth of `log verify`'s time.
            while let index = chunk.withUnsafeBytes({ buffer in
                memchr(buffer.baseAddress! + from, Int32(UInt8(ascii: "\n")), count - from).map { $0 - UnsafeMutableRawPointer(mutating: buffer.baseAddress!) }
            }) {
                pending.append(contentsOf: chunk[from..<index])
                lineStart += off_t(pending.count + 1)
                try body(pending[...], lineStart)
                pending.removeAll(keepingCapacity: true)
                from = index + 1
            }
            pending.append(contentsOf: chunk[from..<count])
            offset += off_t(count)
            if pending.count > lineLimit {
                throw OverlongLine(startingAt: lineStart, limit: lineLimit)
            }
        }
        return Tail(end: lineStart, partial: pending)
    }

    /// Moves a partial last line aside to `<path>.torn-<ms>` and cuts the file to its last
    /// complete line, so what a crash left half-written never takes the rest with it. Returns
    /// where the partial line went.
    static func moveAside(_ tail: Tail, of descriptor: Int32, path: String) throws -> String {
        let movedTo = path + ".torn-\(Date().millisecondsSince1970)"
        let aside = open(movedTo, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard aside >= 0 else { throw StoreError.errno("cannot move a torn tail aside to", path: movedTo) }
        defer { close(aside) }
        try writeAll(tail.partial, to: aside, path: movedTo)
        guard fsync(aside) == 0 else { throw StoreError.errno("cannot sync", path: movedTo) }
        guard ftruncate(descriptor, tail.end) == 0, fsync(descriptor) == 0 else {
            throw StoreError.errno("cannot cut the torn tail from", path: path)
        }
        return movedTo
    }

    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError.errno("cannot write to", path: path)
            }
            written += count
        }
    }
}

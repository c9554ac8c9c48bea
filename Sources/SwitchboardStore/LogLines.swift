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
        var message: String { "a line at byte \(startingAt) runs past \(LogLines.lineLimit / 1024) KiB: not a log record" }
    }

    struct Tail {
        /// Where the first byte after the last complete line is.
        var end: off_t
        /// The bytes after the last newline (empty when the file ends with one).
        var partial: [UInt8]
    }

    /// Calls `body` with each complete line (without its newline) and its end offset; a line
    /// past `lineLimit` fails as damage to the log, with the path.
    static func read(_ descriptor: Int32, from start: off_t, path: String,
                     _ body: (_ line: ArraySlice<UInt8>, _ end: off_t) throws -> Void) throws -> Tail {
        do {
            return try scan(descriptor, from: start, path: path, body)
        } catch let overlong as OverlongLine {
            throw StoreError("\(path): \(overlong.message)")
        }
    }

    /// As `read`, but an overlong line fails as `OverlongLine`, for verification to report.
    static func scan(_ descriptor: Int32, from start: off_t, path: String,
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
            for index in 0..<count where chunk[index] == UInt8(ascii: "\n") {
                pending.append(contentsOf: chunk[from..<index])
                lineStart += off_t(pending.count + 1)
                try body(pending[...], lineStart)
                pending.removeAll(keepingCapacity: true)
                from = index + 1
            }
            pending.append(contentsOf: chunk[from..<count])
            offset += off_t(count)
            if pending.count > lineLimit {
                throw OverlongLine(startingAt: lineStart)
            }
        }
        return Tail(end: lineStart, partial: pending)
    }
}

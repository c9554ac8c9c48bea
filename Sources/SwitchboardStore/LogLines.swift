import Dispatch
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

    /// The size of the blocks `scanInParallel` reads.
    static let blockSize = 4 << 20

    /// Some consecutive complete lines of a block, in place.
    struct Lines {
        let block: UnsafeBufferPointer<UInt8>
        /// Where every line of the block is.
        let all: [Range<Int>]
        /// Which of them these are.
        let slice: Range<Int>
        /// How many lines of the file come before the first of the block.
        let linesBeforeBlock: Int

        var count: Int { slice.count }
        var indices: Range<Int> { 0..<slice.count }
        /// How many lines of the file come before the first of these.
        var linesBefore: Int { linesBeforeBlock + slice.lowerBound }

        subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: block[all[slice.lowerBound + index]])
        }

        /// The line just before these, when it is in the same block.
        var previous: UnsafeBufferPointer<UInt8>? {
            slice.lowerBound > 0 ? UnsafeBufferPointer(rebasing: block[all[slice.lowerBound - 1]]) : nil
        }
    }

    /// Reads the complete lines from `start` in large blocks, in place: each block's lines are
    /// cut into a slice per core and `work` reads the slices at once (no line is copied), then
    /// `each` gets each slice's result with its lines, in file order. For reading a log of a
    /// million records in about the time it takes to hash it: `log verify` and reports. An
    /// overlong line fails as `OverlongLine`, after `each` has had every line before it. What
    /// follows the last newline is returned apart, as `scan` does.
    static func scanInParallel<SliceResult>(
        _ descriptor: Int32, from start: off_t, path: String, lineLimit: Int = lineLimit,
        work: @Sendable (Lines) -> SliceResult, each: (SliceResult, Lines) throws -> Void
    ) throws -> Tail {
        var buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: blockSize)
        defer { buffer.deallocate() }
        /// Bytes of a line begun in the last block, kept at the start of the buffer.
        var carried = 0
        var offset = start
        var lineStart = start
        var linesBefore = 0
        var lines: [Range<Int>] = []
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        while true {
            if carried == buffer.count {
                // One line fills the block: room for more of it, up to the limit.
                guard buffer.count <= lineLimit else { throw OverlongLine(startingAt: lineStart, limit: lineLimit) }
                let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
                _ = larger.initialize(from: buffer)
                buffer.deallocate()
                buffer = larger
            }
            let count = pread(descriptor, buffer.baseAddress! + carried, buffer.count - carried, offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError.errno("cannot read", path: path)
            }
            if count == 0 { break }
            offset += off_t(count)
            let filled = carried + count
            lines.removeAll(keepingCapacity: true)
            var from = 0
            let base = UnsafeRawPointer(buffer.baseAddress!)
            while from < filled, let newline = memchr(base + from, Int32(UInt8(ascii: "\n")), filled - from) {
                let index = base.distance(to: UnsafeRawPointer(newline))
                lines.append(from..<index)
                from = index + 1
            }
            // What precedes an overlong line is read; then it fails.
            let overlong = lines.firstIndex { $0.count > lineLimit }
            if let overlong { lines.removeSubrange(overlong...) }
            let block = UnsafeBufferPointer(buffer)
            let slices = slices(of: lines.count, workers: workers)
            let before = linesBefore
            nonisolated(unsafe) let shared = (results: UnsafeMutableBufferPointer<SliceResult>.allocate(capacity: slices.count),
                                              lines: lines, block: block)
            defer { shared.results.deallocate() }
            // Each worker writes only its own slice's result.
            DispatchQueue.concurrentPerform(iterations: slices.count) { slice in
                (shared.results.baseAddress! + slice).initialize(
                    to: work(Lines(block: shared.block, all: shared.lines, slice: slices[slice], linesBeforeBlock: before)))
            }
            defer { shared.results.baseAddress!.deinitialize(count: slices.count) }
            for (slice, range) in slices.enumerated() {
                try each(shared.results[slice], Lines(block: block, all: lines, slice: range, linesBeforeBlock: before))
                lineStart += off_t(lines[range].reduce(0) { $0 + $1.count + 1 })
            }
            linesBefore += lines.count
            if overlong != nil { throw OverlongLine(startingAt: lineStart, limit: lineLimit) }
            // The partial line moves to the front.
            carried = filled - from
            if carried > 0, from > 0 { buffer.baseAddress!.update(from: buffer.baseAddress! + from, count: carried) }
            if carried > lineLimit { throw OverlongLine(startingAt: lineStart, limit: lineLimit) }
        }
        return Tail(end: lineStart, partial: Array(buffer[0..<carried]))
    }

    /// `count` lines cut into a slice per worker (none when there are no lines).
    private static func slices(of count: Int, workers: Int) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let used = min(workers, max(1, count / 64))
        let size = (count + used - 1) / used
        return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
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

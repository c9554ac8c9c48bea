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
        /// The last line of the block before (a copy, kept while this block is read).
        let lineBeforeBlock: UnsafeBufferPointer<UInt8>?

        var count: Int { slice.count }
        var indices: Range<Int> { 0..<slice.count }
        /// How many lines of the file come before the first of these.
        var linesBefore: Int { linesBeforeBlock + slice.lowerBound }

        subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: block[all[slice.lowerBound + index]])
        }

        /// The line just before these; nil for the first line read.
        var previous: UnsafeBufferPointer<UInt8>? {
            slice.lowerBound > 0 ? UnsafeBufferPointer(rebasing: block[all[slice.lowerBound - 1]]) : lineBeforeBlock
        }
    }

    /// Reads the complete lines from `start` in large blocks, in place: each block's lines are
    /// cut into a slice per core and `work` reads the slices at once (no line is copied), then
    /// `each` gets each slice's result with its lines, in file order, on the caller's thread,
    /// while the workers read the next block. For reading a log of a million records in about
    /// the time it takes to hash it: `log verify` and reports. An overlong line fails as
    /// `OverlongLine`, after `each` has had every line before it. What follows the last newline
    /// is returned apart, as `scan` does.
    static func scanInParallel<SliceResult>(
        _ descriptor: Int32, from start: off_t, path: String, lineLimit: Int = lineLimit,
        work: @escaping @Sendable (Lines) -> SliceResult, each: (SliceResult, Lines) throws -> Void
    ) throws -> Tail {
        // Three buffers: while the workers read one block, the caller takes the one before and
        // reads the one after.
        let buffers = [ReadBuffer(capacity: blockSize), ReadBuffer(capacity: blockSize), ReadBuffer(capacity: blockSize)]
        var offset = start
        var lineStart = start
        var linesBefore = 0
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

        /// A block read: its lines, in its buffer, which begins with the partial line the block
        /// before ended in; nil at the end of the file, the partial line then left in `buffer`.
        func read(into buffer: ReadBuffer, after previous: (buffer: ReadBuffer, partial: Range<Int>)?) throws -> (lines: [Range<Int>], end: Int, overlong: Bool)? {
            var carried = 0
            if let previous {
                carried = previous.partial.count
                // One line fills the block: room for more of it, up to the limit.
                if buffer.bytes.count <= carried {
                    guard carried <= lineLimit else { throw OverlongLine(startingAt: lineStart, limit: lineLimit) }
                    buffer.grow(to: carried * 2)
                }
                if carried > 0 {
                    buffer.bytes.baseAddress!.update(from: previous.buffer.bytes.baseAddress! + previous.partial.lowerBound, count: carried)
                }
            }
            var count: Int
            repeat {
                count = pread(descriptor, buffer.bytes.baseAddress! + carried, buffer.bytes.count - carried, offset)
            } while count < 0 && errno == EINTR
            if count < 0 { throw StoreError.errno("cannot read", path: path) }
            buffer.held = carried
            if count == 0 { return nil }
            offset += off_t(count)
            let filled = carried + count
            var lines: [Range<Int>] = []
            var from = 0
            let base = UnsafeRawPointer(buffer.bytes.baseAddress!)
            while from < filled, let newline = memchr(base + from, Int32(UInt8(ascii: "\n")), filled - from) {
                let index = base.distance(to: UnsafeRawPointer(newline))
                lines.append(from..<index)
                from = index + 1
            }
            // What precedes an overlong line is read; then it fails.
            let overlong = lines.firstIndex { $0.count > lineLimit }
            if let overlong { lines.removeSubrange(overlong...) }
            buffer.held = filled
            return (lines, from, overlong != nil || filled - from > lineLimit)
        }

        /// Hands a block's results over, in order; then fails at an overlong line.
        func take(_ block: BlockWork<SliceResult>) throws {
            block.finish()
            for (slice, range) in block.slices.enumerated() {
                try each(block.results[slice], block.lines(range))
                lineStart += off_t(block.lines.all[range].reduce(0) { $0 + $1.count + 1 })
            }
            if block.overlong { throw OverlongLine(startingAt: lineStart, limit: lineLimit) }
        }

        var current = 0
        var next = try read(into: buffers[current], after: nil)
        var lineBeforeBlock: [UInt8]?
        var inFlight: BlockWork<SliceResult>?
        // Nothing returns while workers still read a buffer.
        defer { inFlight?.finish() }
        while let block = next {
            let buffer = buffers[current]
            let blockWork = BlockWork<SliceResult>(block: UnsafeBufferPointer(buffer.bytes), lines: block.lines, linesBefore: linesBefore,
                                                   lineBefore: lineBeforeBlock, slices: slices(of: block.lines.count, workers: workers),
                                                   overlong: block.overlong, reading: buffers)
            blockWork.start(work)
            let before = inFlight
            inFlight = blockWork
            // The block before is taken (which waits for its workers, done with the buffer read
            // next) while this one is read.
            if let before { try take(before) }
            linesBefore += block.lines.count
            if let last = block.lines.last { lineBeforeBlock = Array(buffer.bytes[last]) }
            if block.overlong { break }
            current = (current + 1) % buffers.count
            next = try read(into: buffers[current], after: (buffer, block.end..<buffer.held))
        }
        if let last = inFlight {
            inFlight = nil
            try take(last)
        }
        let rest = buffers[current]
        return Tail(end: lineStart, partial: Array(rest.bytes[0..<rest.held]))
    }

    /// A buffer a block of the file is read into.
    private final class ReadBuffer {
        private(set) var bytes: UnsafeMutableBufferPointer<UInt8>
        /// How many of its bytes were read into it.
        var held = 0

        init(capacity: Int) {
            bytes = .allocate(capacity: capacity)
        }

        deinit { bytes.deallocate() }

        /// At least `size` bytes, holding nothing yet.
        func grow(to size: Int) {
            bytes.deallocate()
            bytes = .allocate(capacity: size)
            held = 0
        }
    }

    /// One block's lines, read by the workers: each writes only its own slice's result.
    private final class BlockWork<SliceResult>: @unchecked Sendable {
        let lines: Lines
        let slices: [Range<Int>]
        let overlong: Bool
        let results: UnsafeMutableBufferPointer<SliceResult>
        /// A copy of the line before the block, which its first slice chains from.
        private let lineBefore: UnsafeMutableBufferPointer<UInt8>?
        /// The buffers its lines are in, kept while it is read.
        private let reading: [ReadBuffer]
        private let done = DispatchGroup()
        private var finished = false

        init(block: UnsafeBufferPointer<UInt8>, lines: [Range<Int>], linesBefore: Int, lineBefore: [UInt8]?, slices: [Range<Int>],
             overlong: Bool, reading: [ReadBuffer]) {
            self.lineBefore = lineBefore.map { line in
                let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: line.count)
                _ = copy.initialize(from: line)
                return copy
            }
            self.lines = Lines(block: block, all: lines, slice: 0..<lines.count, linesBeforeBlock: linesBefore,
                               lineBeforeBlock: self.lineBefore.map { UnsafeBufferPointer($0) })
            self.slices = slices
            self.overlong = overlong
            self.reading = reading
            results = .allocate(capacity: slices.count)
        }

        deinit {
            results.baseAddress!.deinitialize(count: slices.count)
            results.deallocate()
            lineBefore?.deallocate()
        }

        func lines(_ slice: Range<Int>) -> Lines {
            Lines(block: lines.block, all: lines.all, slice: slice, linesBeforeBlock: lines.linesBeforeBlock,
                  lineBeforeBlock: lines.lineBeforeBlock)
        }

        /// Starts the workers on the block's slices.
        func start(_ work: @escaping @Sendable (Lines) -> SliceResult) {
            for slice in slices.indices {
                DispatchQueue.global().async(group: done) { [self] in
                    (results.baseAddress! + slice).initialize(to: work(lines(slices[slice])))
                }
            }
        }

        /// Waits for the workers to be done with the block.
        func finish() {
            guard !finished else { return }
            done.wait()
            finished = true
        }
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

import Foundation
import Synchronization
import SwitchboardCore

/// Rows of a report as bytes: what a worker formats of the records it verified, appended
/// without making a string per row (a long log's report writes a million of them).
struct RowBytes: Sendable {
    private(set) var bytes: [UInt8] = []

    var isEmpty: Bool { bytes.isEmpty }

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Rows written into `buffer`, emptied first (its capacity is kept).
    init(reusing buffer: [UInt8]) {
        bytes = buffer
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Text made at run time (a literal is appended as the `StaticString` it is).
    mutating func append(string text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// `text`, escaped for where it goes.
    mutating func append(_ text: String, escaping style: Escape.Style) {
        Escape.append(text, style, to: &bytes)
    }

    /// An entry's text, escaped for where it goes.
    mutating func append(_ text: EntryText, escaping style: Escape.Style) {
        text.withUTF8 { Escape.append(utf8: $0, style, to: &bytes) }
    }

    /// A decimal number.
    mutating func append(_ number: Int) {
        guard number != 0 else { return bytes.append(UInt8(ascii: "0")) }
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var rest = number.magnitude
        withUnsafeMutableBytes(of: &digits) { buffer in
            var at = buffer.count
            while rest > 0 {
                at -= 1
                buffer[at] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: buffer[at...])
        }
    }

    /// Bytes that need no escaping.
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes.append(contentsOf: bytes)
    }

    /// `2026-11-23 20:54:01`.
    mutating func append(dateTime time: EntryTime) {
        time.write(dateTime: &self)
    }

    /// `2026-11-23T20:54:01.123Z`.
    mutating func append(iso8601 time: EntryTime) {
        time.write(iso8601: &self)
    }

    /// `2026-11-23 20:54:01`.
    mutating func append(dateTime date: Date) {
        appendTime { TimeText.write(dateTime: date, into: $0) }
    }

    /// `2026-11-23T20:54:01.123Z`.
    mutating func append(iso8601 date: Date) {
        appendTime { TimeText.write(iso8601: date, into: $0) }
    }

    private mutating func appendTime(_ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: TimeText.utcCapacity) { buffer in
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<write(buffer.baseAddress!)]))
        }
    }

    mutating func append(_ hash: RecordHash) {
        hash.withHexBytes { bytes.append(contentsOf: $0) }
    }

    /// `other`'s bytes, escaped for where they go.
    mutating func append(_ other: RowBytes, escaping style: Escape.Style) {
        other.bytes.withUnsafeBufferPointer { Escape.append(utf8: $0, style, to: &bytes) }
    }
}

/// What a worker formats of one slice of the log for a report: rows for each of the format's
/// spools (by index: the timeline, the notes…), or for each group of rows kept apart (by key:
/// ICS 214 keeps each person's activities). Handed to the format in file order once the slice
/// is verified, which appends each buffer to its spool at once.
struct SliceRows: Sendable {
    private(set) var spools: [RowBytes]
    private(set) var groups: [(key: String, rows: RowBytes)] = []
    private var groupIndex: [String: Int] = [:]
    private let buffers: RowBuffers

    init(spools: Int, buffers: RowBuffers) {
        self.buffers = buffers
        self.spools = (0..<spools).map { _ in buffers.take(reserving: RowBuffers.reserved) }
    }

    subscript(spool: Int) -> RowBytes {
        get { spools[spool] }
        _modify { yield &spools[spool] }
    }

    /// The rows of the group `key`, begun when first named.
    subscript(group key: String) -> RowBytes {
        get { groupIndex[key].map { groups[$0].rows } ?? RowBytes() }
        _modify {
            let index: Int
            if let known = groupIndex[key] {
                index = known
            } else {
                index = groups.count
                groups.append((key, buffers.take(reserving: RowBuffers.reserved / 16)))
                groupIndex[key] = index
            }
            yield &groups[index].rows
        }
    }
}

/// Row buffers given back once their rows are in a spool, for the slices still to be read: a
/// long log's report allocates its buffers (and the kernel zeroes their pages) once, not for
/// every slice.
final class RowBuffers: Sendable {
    /// Bytes reserved for a spool's rows: about what a slice of a long log writes, so the rows
    /// are not copied again and again as they grow.
    static let reserved = 1 << 20

    private let kept = Mutex<[[UInt8]]>([])

    func take(reserving capacity: Int) -> RowBytes {
        kept.withLock { $0.popLast() }.map(RowBytes.init(reusing:)) ?? RowBytes(capacity: capacity)
    }

    /// Takes a slice's buffers back, once their rows are written.
    func giveBack(_ rows: consuming SliceRows) {
        let buffers = rows.spools.map(\.bytes) + rows.groups.map(\.rows.bytes)
        kept.withLock { $0.append(contentsOf: buffers) }
    }
}

import Foundation
import Synchronization
import SwitchboardCore

/// Rows of a report as bytes: what a worker formats of the records it verified, appended
/// without making a string per row (a long log's report writes a million of them), straight
/// into memory of its own: for the few bytes of a row's piece, Array's generic append costs
/// more than the copy. A value like any other: memory shared by copies is copied before
/// either writes.
struct RowBytes: @unchecked Sendable, Equatable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    /// Frees the memory when the last copy is gone.
    private var owner: Allocation

    private final class Allocation {
        let base: UnsafeMutablePointer<UInt8>

        init(capacity: Int) {
            base = .allocate(capacity: capacity)
        }

        deinit { base.deallocate() }
    }

    var isEmpty: Bool { count == 0 }

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 64)
        owner = Allocation(capacity: self.capacity)
        base = owner.base
    }

    /// The rows written so far.
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    static func == (left: RowBytes, right: RowBytes) -> Bool {
        left.withUnsafeBytes { left in right.withUnsafeBytes { left.elementsEqual($0) } }
    }

    /// Empties the rows, keeping their memory.
    mutating func removeAll() {
        count = 0
    }

    /// Room for `extra` more bytes, at the address where they go; `count` is then moved on
    /// by what was written.
    @inline(__always)
    private mutating func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        if capacity - count < extra || !isKnownUniquelyReferenced(&owner) { reallocate(toHold: count + extra) }
        return base + count
    }

    private mutating func reallocate(toHold needed: Int) {
        capacity = max(needed, capacity * 2)
        let grown = Allocation(capacity: capacity)
        grown.base.update(from: base, count: count)
        owner = grown
        base = grown.base
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1).pointee = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        append(bytes: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Bytes that need no escaping.
    @inline(__always)
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress else { return }
        reserve(bytes.count).update(from: start, count: bytes.count)
        count += bytes.count
    }

    /// Bytes between double quotes, written with one check for room.
    @inline(__always)
    private mutating func append(quoted bytes: UnsafeBufferPointer<UInt8>) {
        let at = reserve(bytes.count + 2)
        at.pointee = UInt8(ascii: "\"")
        if let start = bytes.baseAddress { (at + 1).update(from: start, count: bytes.count) }
        at[bytes.count + 1] = UInt8(ascii: "\"")
        count += bytes.count + 2
    }

    /// Text made at run time (a literal is appended as the `StaticString` it is).
    mutating func append(string text: String) {
        var text = text
        text.withUTF8 { append(bytes: $0) }
    }

    /// `text`, escaped for where it goes.
    mutating func append(_ text: String, escaping style: Escape.Style) {
        var text = text
        text.withUTF8 { Escape.append(utf8: $0, style, to: &self) }
    }

    /// An entry's text, escaped for where it goes.
    mutating func append(_ text: EntryText, escaping style: Escape.Style) {
        // A text read in place holds no quote, backslash or control character: as a JSON
        // string it is itself, and a CSV field of it is quoted only for a comma.
        if let plain = text.asJSONString {
            if style == .json || (style == .csvField && !plain.isEmpty && memchr(plain.baseAddress!, Int32(UInt8(ascii: ",")), plain.count) != nil) {
                return append(quoted: plain)
            }
            if style == .csvField { return append(bytes: plain) }
        }
        text.withUTF8 { Escape.append(utf8: $0, style, to: &self) }
    }

    /// A decimal number.
    mutating func append(_ number: Int) {
        if number < 0 { append(UInt8(ascii: "-")) }
        var rest = number.magnitude
        // The digits from the last, then turned around.
        let digits = reserve(20)
        var written = 0
        repeat {
            digits[written] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            written += 1
        } while rest > 0
        var turned = UnsafeMutableBufferPointer(start: digits, count: written)
        turned.reverse()
        count += written
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
        count += TimeText.write(dateTime: date, into: reserve(TimeText.utcCapacity))
    }

    /// `2026-11-23T20:54:01.123Z`.
    mutating func append(iso8601 date: Date) {
        count += TimeText.write(iso8601: date, into: reserve(TimeText.utcCapacity))
    }

    mutating func append(_ hash: RecordHash) {
        hash.withHexBytes { append(bytes: $0.assumingMemoryBound(to: UInt8.self)) }
    }

    /// `other`'s bytes, escaped for where they go.
    mutating func append(_ other: RowBytes, escaping style: Escape.Style) {
        Escape.append(utf8: UnsafeBufferPointer(start: other.base, count: other.count), style, to: &self)
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
    private var lastGroup: Int?
    private let buffers: RowBuffers

    init(spools: Int, buffers: RowBuffers) {
        self.buffers = buffers
        self.spools = (0..<spools).map { _ in buffers.take(reserving: RowBuffers.reserved) }
    }

    subscript(spool: Int) -> RowBytes {
        get { spools[spool] }
        _modify { yield &spools[spool] }
    }

    /// The rows of the group `key`, begun when first named. The group written last is found
    /// without making a string of the key: the same person's records come in a row.
    subscript(group key: EntryText) -> RowBytes {
        get { groupIndex[key.string].map { groups[$0].rows } ?? RowBytes() }
        _modify {
            let index: Int
            if let last = lastGroup, key.spells(groups[last].key) {
                index = last
            } else if let known = groupIndex[key.string] {
                index = known
            } else {
                index = groups.count
                groups.append((key.string, buffers.take(reserving: RowBuffers.reserved / 16)))
                groupIndex[key.string] = index
            }
            lastGroup = index
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

    private let kept = Mutex<[RowBytes]>([])

    func take(reserving capacity: Int) -> RowBytes {
        guard var rows = kept.withLock({ $0.popLast() }) else { return RowBytes(capacity: capacity) }
        rows.removeAll()
        return rows
    }

    /// Takes a slice's buffers back, once their rows are written.
    func giveBack(_ rows: consuming SliceRows) {
        let buffers = rows.spools + rows.groups.map(\.rows)
        kept.withLock { $0.append(contentsOf: buffers) }
    }
}

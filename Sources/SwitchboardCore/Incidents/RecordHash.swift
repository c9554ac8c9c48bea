import Crypto

/// A record's SHA-256 as the log writes it (64 lowercase hex digits), held as the eight words
/// of those 64 bytes: a million records are chained by comparing these, with no string built
/// for any of them. Two are equal when their bytes are: a `prev` is compared as written.
public struct RecordHash: Sendable, Hashable, CustomStringConvertible {
    private var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    /// The hash before the first record: 64 zeros.
    public static let genesis = RecordHash(hex: HashChain.genesis)!

    /// 64 hex digits, kept as written (a `prev` in capitals does not match the hash it spells).
    public init?(hex text: String) {
        var text = text
        guard let read = text.withUTF8({ bytes -> RecordHash? in
            guard bytes.count == 64, bytes.allSatisfy(Self.isHexDigit) else { return nil }
            return RecordHash(bytes: bytes)
        }) else { return nil }
        self = read
    }

    /// The first 64 bytes of `bytes` (which must hold them), whatever they are.
    init(bytes: UnsafeBufferPointer<UInt8>) {
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        func word(_ index: Int) -> UInt64 { raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self) }
        words = (word(0), word(1), word(2), word(3), word(4), word(5), word(6), word(7))
    }

    /// The hex digits of a digest, lowercase, as the log writes them.
    init(digest: SHA256.Digest) {
        var hex: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &hex) { text in
            digest.withUnsafeBytes { raw in
                for (index, byte) in raw.enumerated() {
                    text[2 * index] = Self.digit(byte >> 4)
                    text[2 * index + 1] = Self.digit(byte & 0x0F)
                }
            }
        }
        words = hex
    }

    /// The 64 hex digits as bytes, for writers that append them without making a string.
    public func withHexBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var copy = words
        return try withUnsafeBytes(of: &copy, body)
    }

    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }

    /// Whether every byte is ASCII (a line's `prev` may be anything).
    var isASCII: Bool {
        let high: UInt64 = 0x8080_8080_8080_8080
        return (words.0 | words.1 | words.2 | words.3 | words.4 | words.5 | words.6 | words.7) & high == 0
    }

    public var description: String {
        withHexBytes { String(decoding: $0, as: UTF8.self) }
    }

    public static func == (lhs: RecordHash, rhs: RecordHash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
            && lhs.words.4 == rhs.words.4 && lhs.words.5 == rhs.words.5 && lhs.words.6 == rhs.words.6 && lhs.words.7 == rhs.words.7
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.7)
    }
}

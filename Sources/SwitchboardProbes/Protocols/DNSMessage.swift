import Foundation

/// Record types a DNS probe asks for, with their numbers on the wire.
enum DNSType: UInt16, Sendable, CaseIterable {
    case a = 1
    case ns = 2
    case cname = 5
    case soa = 6
    case ptr = 12
    case mx = 15
    case txt = 16
    case aaaa = 28
    case srv = 33

    init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.name == name.uppercased() }) else { return nil }
        self = found
    }

    var name: String {
        switch self {
        case .a: "A"
        case .ns: "NS"
        case .cname: "CNAME"
        case .soa: "SOA"
        case .ptr: "PTR"
        case .mx: "MX"
        case .txt: "TXT"
        case .aaaa: "AAAA"
        case .srv: "SRV"
        }
    }
}

/// A DNS name: labels of 1–63 bytes, at most 255 bytes on the wire. Names are ASCII (write an
/// internationalized name in its xn-- form). A trailing dot is allowed; the name is always
/// treated as absolute (no search domains).
struct DNSName: Sendable, Equatable, CustomStringConvertible {
    let labels: [String]

    init(parsing text: String) throws(DNSMessageError) {
        let trimmed = text.hasSuffix(".") && text != "." ? String(text.dropLast()) : text
        if trimmed == "." || trimmed.isEmpty {
            labels = []
            return
        }
        guard trimmed.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw .badName("'\(text)' holds spaces or characters outside ASCII (write an international name as xn--…)")
        }
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.allSatisfy({ (1...63).contains($0.utf8.count) }) else {
            throw .badName("'\(text)' has an empty label or one longer than 63 bytes")
        }
        guard parts.reduce(1, { $0 + $1.utf8.count + 1 }) <= 255 else { throw .badName("'\(text)' is longer than 255 bytes") }
        labels = parts
    }

    init(labels: [String]) {
        self.labels = labels
    }

    /// The name for a reverse (PTR) lookup of an IPv4 or IPv6 address, or nil if `text` is not one.
    static func reverse(of text: String) -> DNSName? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let bytes = withUnsafeBytes(of: v4) { Array($0) }
            return DNSName(labels: bytes.reversed().map { String($0) } + ["in-addr", "arpa"])
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            let nibbles = bytes.flatMap { [String($0 >> 4, radix: 16), String($0 & 0x0F, radix: 16)] }
            return DNSName(labels: nibbles.reversed() + ["ip6", "arpa"])
        }
        return nil
    }

    var description: String { labels.isEmpty ? "." : labels.joined(separator: ".") }

    /// Names compare without regard to ASCII case.
    func matches(_ other: DNSName) -> Bool {
        labels.count == other.labels.count && zip(labels, other.labels).allSatisfy { $0.lowercased() == $1.lowercased() }
    }

    var wire: [UInt8] {
        labels.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
    }
}

/// A query: one question, recursion desired, with an EDNS(0) record offering 1232-byte UDP
/// answers (the size the DNS flag day settled on, safe from fragmentation).
struct DNSQuery: Sendable, Equatable {
    var id: UInt16
    var name: DNSName
    var type: DNSType

    var bytes: [UInt8] {
        var message: [UInt8] = []
        message += Self.u16(id)
        message += [0x01, 0x00]                  // QR=0, opcode QUERY, RD=1
        message += Self.u16(1) + Self.u16(0) + Self.u16(0) + Self.u16(1) // QD, AN, NS, AR counts
        message += name.wire + Self.u16(type.rawValue) + Self.u16(1)      // class IN
        message += [0] + Self.u16(41) + Self.u16(1232) + [0, 0, 0, 0] + Self.u16(0) // OPT: root, type 41, size, ttl, no data
        return message
    }

    static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
}

/// The response code of a DNS answer.
enum DNSResponseCode: Sendable, Equatable, CustomStringConvertible {
    case noError, formatError, serverFailure, nameError, notImplemented, refused
    case other(UInt8)

    init(_ value: UInt8) {
        switch value {
        case 0: self = .noError
        case 1: self = .formatError
        case 2: self = .serverFailure
        case 3: self = .nameError
        case 4: self = .notImplemented
        case 5: self = .refused
        default: self = .other(value)
        }
    }

    var description: String {
        switch self {
        case .noError: "NOERROR"
        case .formatError: "FORMERR"
        case .serverFailure: "SERVFAIL"
        case .nameError: "NXDOMAIN"
        case .notImplemented: "NOTIMP"
        case .refused: "REFUSED"
        case .other(let value): "RCODE \(value)"
        }
    }
}

/// One resource record from an answer, its data read by type.
struct DNSRecord: Sendable, Equatable {
    enum Data: Sendable, Equatable {
        case address(String)
        case name(DNSName)
        case mx(preference: UInt16, exchange: DNSName)
        case srv(priority: UInt16, weight: UInt16, port: UInt16, target: DNSName)
        case soa(primary: DNSName, serial: UInt32)
        case text([String])
        case other(type: UInt16, length: Int)
    }

    var name: DNSName
    var type: UInt16
    var ttl: UInt32
    var data: Data

    /// The data as a person (and `expect:`) reads it: `192.0.2.10`, `10 mail.example.com`.
    var display: String {
        switch data {
        case .address(let text): text
        case .name(let name): name.description
        case .mx(let preference, let exchange): "\(preference) \(exchange)"
        case .srv(let priority, let weight, let port, let target): "\(priority) \(weight) \(port) \(target)"
        case .soa(let primary, let serial): "\(primary) serial \(serial)"
        case .text(let strings): strings.map { "\"\($0)\"" }.joined(separator: " ")
        case .other(let type, let length): "TYPE\(type) (\(length) bytes)"
        }
    }
}

/// A DNS response, read defensively: every length is checked, compression pointers must point
/// backwards (so they cannot loop), and names stay within 255 bytes.
struct DNSResponse: Sendable, Equatable {
    var id: UInt16
    var isResponse: Bool
    var truncated: Bool
    var code: DNSResponseCode
    var question: (name: DNSName, type: UInt16)?
    var answers: [DNSRecord]

    static func == (lhs: DNSResponse, rhs: DNSResponse) -> Bool {
        lhs.id == rhs.id && lhs.isResponse == rhs.isResponse && lhs.truncated == rhs.truncated && lhs.code == rhs.code
            && lhs.question?.name == rhs.question?.name && lhs.question?.type == rhs.question?.type && lhs.answers == rhs.answers
    }

    /// Whether this answers `query`: a response with its id and its question.
    func answers(_ query: DNSQuery) -> Bool {
        guard isResponse, id == query.id, let question else { return false }
        return question.type == query.type.rawValue && question.name.matches(query.name)
    }

    static func parse(_ bytes: [UInt8]) throws(DNSMessageError) -> DNSResponse {
        var reader = Reader(bytes: bytes)
        let id = try reader.u16()
        let flags = try reader.u16()
        let questionCount = try reader.u16()
        let answerCount = try reader.u16()
        _ = try reader.u16() // authority
        _ = try reader.u16() // additional
        var question: (DNSName, UInt16)?
        for index in 0..<Int(questionCount) {
            let name = try reader.name()
            let type = try reader.u16()
            _ = try reader.u16() // class
            if index == 0 { question = (name, type) }
        }
        let truncated = flags & 0x0200 != 0
        var answers: [DNSRecord] = []
        for _ in 0..<Int(answerCount) {
            do throws(DNSMessageError) {
                answers.append(try reader.record())
            } catch {
                // A truncated answer may end in the middle of a record (a server or a middlebox
                // cut the datagram); it is asked again over TCP, so what it holds is not needed.
                guard truncated else { throw error }
                break
            }
        }
        return DNSResponse(id: id, isResponse: flags & 0x8000 != 0, truncated: truncated,
                           code: DNSResponseCode(UInt8(flags & 0x000F)), question: question, answers: answers)
    }

    /// Reads a message front to back, failing on anything that runs past its end.
    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func u8() throws(DNSMessageError) -> UInt8 {
            guard offset < bytes.count else { throw .truncatedMessage }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func u16() throws(DNSMessageError) -> UInt16 {
            UInt16(try u8()) << 8 | UInt16(try u8())
        }

        mutating func u32() throws(DNSMessageError) -> UInt32 {
            UInt32(try u16()) << 16 | UInt32(try u16())
        }

        mutating func take(_ count: Int) throws(DNSMessageError) -> ArraySlice<UInt8> {
            guard count >= 0, offset + count <= bytes.count else { throw .truncatedMessage }
            defer { offset += count }
            return bytes[offset..<(offset + count)]
        }

        /// A name at the current offset, following compression pointers.
        mutating func name() throws(DNSMessageError) -> DNSName {
            var labels: [String] = []
            var position = offset
            var length = 1
            var jumped = false
            while true {
                guard position < bytes.count else { throw .truncatedMessage }
                let byte = bytes[position]
                switch byte & 0xC0 {
                case 0xC0:
                    guard position + 1 < bytes.count else { throw .truncatedMessage }
                    let target = Int(byte & 0x3F) << 8 | Int(bytes[position + 1])
                    guard target < position else { throw .badPointer }
                    if !jumped { offset = position + 2 }
                    jumped = true
                    position = target
                case 0x00:
                    let count = Int(byte)
                    if count == 0 {
                        if !jumped { offset = position + 1 }
                        return DNSName(labels: labels)
                    }
                    guard position + 1 + count <= bytes.count else { throw .truncatedMessage }
                    length += count + 1
                    guard length <= 255 else { throw .nameTooLong }
                    labels.append(String(decoding: bytes[(position + 1)...(position + count)], as: UTF8.self))
                    position += 1 + count
                default:
                    throw .badLabel
                }
            }
        }

        mutating func record() throws(DNSMessageError) -> DNSRecord {
            let name = try name()
            let type = try u16()
            _ = try u16() // class
            let ttl = try u32()
            let length = Int(try u16())
            let start = offset
            guard start + length <= bytes.count else { throw .truncatedMessage }
            let data: DNSRecord.Data
            switch DNSType(rawValue: type) {
            case .a:
                guard length == 4 else { throw .badRecord("an A record of \(length) bytes") }
                data = .address(try take(4).map(String.init).joined(separator: "."))
            case .aaaa:
                guard length == 16 else { throw .badRecord("an AAAA record of \(length) bytes") }
                var address = in6_addr()
                let raw = try take(16)
                withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: raw) }
                var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
                data = .address(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            case .cname, .ns, .ptr:
                data = .name(try self.name())
            case .mx:
                data = .mx(preference: try u16(), exchange: try self.name())
            case .srv:
                data = .srv(priority: try u16(), weight: try u16(), port: try u16(), target: try self.name())
            case .soa:
                let primary = try self.name()
                _ = try self.name() // responsible mailbox
                data = .soa(primary: primary, serial: try u32())
                guard offset + 16 <= start + length else { throw .badRecord("an SOA record too short for its fields") }
                offset = start + length // refresh, retry, expire and minimum are not needed
            case .txt:
                var strings: [String] = []
                while offset < start + length {
                    let count = Int(try u8())
                    strings.append(String(decoding: try take(count), as: UTF8.self))
                }
                data = .text(strings)
            case nil:
                _ = try take(length)
                data = .other(type: type, length: length)
            }
            guard offset == start + length else { throw .badRecord("a \(DNSType(rawValue: type)?.name ?? "TYPE\(type)") record whose data does not fill its length") }
            return DNSRecord(name: name, type: type, ttl: ttl, data: data)
        }
    }
}

/// A DNS message that cannot be read, or a name that cannot be asked for.
enum DNSMessageError: Error, Equatable, CustomStringConvertible {
    case badName(String)
    case truncatedMessage
    case badPointer
    case badLabel
    case nameTooLong
    case badRecord(String)

    var description: String {
        switch self {
        case .badName(let why): why
        case .truncatedMessage: "the message ends in the middle of a field"
        case .badPointer: "a name pointer that does not point backwards"
        case .badLabel: "a label of an unknown kind"
        case .nameTooLong: "a name longer than 255 bytes"
        case .badRecord(let what): what
        }
    }
}

/// The system resolver's name servers, from `/etc/resolv.conf`'s `nameserver` lines (an IPv6
/// zone such as `%eth0` dropped). resolv.conf(5) says none means the local machine.
enum ResolvConf {
    static func nameservers(_ text: String) -> [Endpoint] {
        let servers = text.split(whereSeparator: \.isNewline).compactMap { line -> Endpoint? in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2, words[0] == "nameserver" else { return nil }
            let address = String(words[1].prefix { $0 != "%" })
            guard isIPAddress(address) else { return nil }
            return Endpoint(host: address, port: 53)
        }
        return servers.isEmpty ? [Endpoint(host: "127.0.0.1", port: 53)] : servers
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}

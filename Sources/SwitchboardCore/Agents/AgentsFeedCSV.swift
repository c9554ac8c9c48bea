import Foundation

/// One row of a CSV feed: its cells by column, and the line it starts on.
struct CSVQueueRecord: QueueRecord {
    let place: String
    private let line: Int
    private let cells: [FeedField: String]

    /// The rows of a whole file, after checking its header.
    static func records(in text: String) throws(AgentsFeedError) -> [CSVQueueRecord] {
        let rows = try CSVRows.read(text)
        guard let header = rows.first else { throw AgentsFeedError("no header row: the feed is empty") }
        let columns = try columns(of: header)
        var records: [CSVQueueRecord] = []
        for row in rows.dropFirst() {
            guard row.fields.count == columns.count else {
                throw AgentsFeedError("line \(row.line): \(row.fields.count) fields, but the header on line \(header.line) has \(columns.count)")
            }
            records.append(CSVQueueRecord(line: row.line, cells: Dictionary(uniqueKeysWithValues: zip(columns, row.fields))))
        }
        return records
    }

    /// The header's fields, each a known column, none twice, every required one there.
    private static func columns(of header: CSVRows.Row) throws(AgentsFeedError) -> [FeedField] {
        var columns: [FeedField] = []
        for name in header.fields {
            guard let field = FeedField(rawValue: name) else {
                throw AgentsFeedError("line \(header.line): unknown column \(AgentsFeed.quoted(name))")
            }
            guard !columns.contains(field) else {
                throw AgentsFeedError("line \(header.line): column \(AgentsFeed.quoted(name)) appears twice")
            }
            columns.append(field)
        }
        let missing = FeedField.allCases.filter { $0.isRequired && !columns.contains($0) }
        guard missing.isEmpty else {
            let names = missing.map { AgentsFeed.quoted($0.rawValue) }.joined(separator: ", ")
            throw AgentsFeedError("line \(header.line): missing \(missing.count == 1 ? "column" : "columns") \(names)")
        }
        return columns
    }

    private init(line: Int, cells: [FeedField: String]) {
        self.place = "line \(line)"
        self.line = line
        self.cells = cells
    }

    func string(_ field: FeedField) -> String? {
        cells[field].flatMap { $0.isEmpty ? nil : $0 }
    }

    func number(_ field: FeedField) throws(AgentsFeedError) -> Double? {
        guard let text = string(field) else { return nil }
        guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite else {
            throw problem(field, "expected \(field.expectation), got \(AgentsFeed.quoted(text))")
        }
        return number
    }

    func missing(_ field: FeedField) -> AgentsFeedError {
        AgentsFeedError("line \(line): column \(AgentsFeed.quoted(field.rawValue)) is empty")
    }

    func problem(_ field: FeedField?, _ message: String) -> AgentsFeedError {
        AgentsFeedError("line \(line): \(field.map { "column \(AgentsFeed.quoted($0.rawValue)): " } ?? "")\(message)")
    }
}

/// RFC 4180 records: fields separated by commas, a field in double quotes may hold commas, line
/// breaks and doubled quotes. Lines that are blank or start with `#` are skipped; spaces around
/// an unquoted field are dropped; LF, CRLF and CR all end a line; a leading byte-order mark is
/// ignored. Every row must end with a line break, the last one too: a row without one is how a
/// file cut off in its last field looks, and its numbers cannot be trusted.
enum CSVRows {
    struct Row {
        /// The line the row starts on, 1-based.
        var line: Int
        var fields: [String]
    }

    static func read(_ text: String) throws(AgentsFeedError) -> [Row] {
        var reader = Reader(text)
        var rows: [Row] = []
        while let row = try reader.nextRow() {
            rows.append(row)
        }
        return rows
    }

    private struct Reader {
        private let scalars: [Unicode.Scalar]
        private var index = 0
        private var line = 1

        init(_ text: String) {
            let scalars = Array(text.unicodeScalars)
            self.scalars = scalars.first == "\u{FEFF}" ? Array(scalars.dropFirst()) : scalars
        }

        private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        private static func isLineEnd(_ scalar: Unicode.Scalar?) -> Bool { scalar == "\n" || scalar == "\r" }

        mutating func nextRow() throws(AgentsFeedError) -> Row? {
            while skipBlankOrComment() {}
            guard current != nil else { return nil }
            let start = line
            var fields: [String] = []
            while true {
                fields.append(try field())
                guard current == "," else { break }
                index += 1
            }
            guard current != nil else {
                throw AgentsFeedError("line \(start): the row does not end with a line break (the file may be cut off)")
            }
            endLine()
            return Row(line: start, fields: fields)
        }

        /// Skips one blank or comment line; false when the next line is a row or the text ended.
        private mutating func skipBlankOrComment() -> Bool {
            skipSpaces()  // a row's first field skips them too
            guard let first = current, Self.isLineEnd(first) || first == "#" else { return false }
            while let scalar = current, !Self.isLineEnd(scalar) { index += 1 }
            endLine()
            return true
        }

        /// Consumes the line break at the cursor (CRLF as one), if any.
        private mutating func endLine() {
            switch current {
            case "\r":
                index += 1
                if current == "\n" { index += 1 }
                line += 1
            case "\n":
                index += 1
                line += 1
            default:
                break
            }
        }

        private mutating func field() throws(AgentsFeedError) -> String {
            skipSpaces()
            return current == "\"" ? try quoted() : try unquoted()
        }

        private mutating func quoted() throws(AgentsFeedError) -> String {
            let start = line
            index += 1
            var value = String.UnicodeScalarView()
            while true {
                guard let scalar = current else {
                    throw AgentsFeedError("line \(start): a quoted field is not closed (the file may be cut off)")
                }
                index += 1
                if scalar == "\"" {
                    guard current == "\"" else { break }
                    index += 1
                } else if scalar == "\n" || (scalar == "\r" && current != "\n") {
                    line += 1
                }
                value.append(scalar)
            }
            skipSpaces()
            guard current == nil || current == "," || Self.isLineEnd(current) else {
                throw AgentsFeedError("line \(line): text after the closing quote of a field")
            }
            return String(value)
        }

        private mutating func unquoted() throws(AgentsFeedError) -> String {
            var value = String.UnicodeScalarView()
            while let scalar = current, scalar != ",", !Self.isLineEnd(scalar) {
                guard scalar != "\"" else {
                    throw AgentsFeedError("line \(line): a quote inside an unquoted field (quote the whole field and double the quote)")
                }
                value.append(scalar)
                index += 1
            }
            return String(value).trimmingCharacters(in: .whitespaces)
        }

        private mutating func skipSpaces() {
            while current == " " || current == "\t" { index += 1 }
        }
    }
}

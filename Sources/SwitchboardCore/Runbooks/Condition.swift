import Foundation

/// A runbook condition over live probe state, e.g. `ups-main.ups.status has OB and generator is ok`.
///
/// ```
/// condition  := or
/// or         := and ("or" and)*
/// and        := unary ("and" unary)*
/// unary      := "not" unary | "(" condition ")" | comparison
/// comparison := PROBE "is" STATUS
///             | PROBE "." METRIC ("==" | "!=" | "<" | "<=" | ">" | ">=" | "has") VALUE
/// ```
/// Probe ids hold no dots, so the first dot ends the probe and the rest is the metric
/// (`ups-main.battery.charge`). A value is a number with an optional unit (`15m`, `250ms`, `80%`),
/// a bare word, or a quoted string. Parsed once, when the runbook is loaded; evaluated against
/// every new site state.
public struct Condition: Sendable, Equatable, CustomStringConvertible {
    /// The text as written.
    public let text: String
    public let root: Node

    public indirect enum Node: Sendable, Equatable {
        case status(ProbeMention, DisplayStatus)
        case metric(ProbeMention, metric: String, Comparison, Operand)
        case not(Node)
        case and(Node, Node)
        case or(Node, Node)
    }

    /// A probe named in a condition, with where it was named (a character offset into the text).
    public struct ProbeMention: Sendable, Equatable {
        public var probe: String
        public var offset: Int
    }

    public enum Comparison: String, Sendable, CaseIterable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", has
    }

    public enum Operand: Sendable, Equatable, CustomStringConvertible {
        /// A number and its unit, as written (empty for a plain number).
        case number(Double, unit: String)
        case text(String)

        public var description: String {
            switch self {
            case .number(let value, let unit): MetricValue.format(value) + unit
            case .text(let text): text
            }
        }
    }

    /// Why a condition does not parse: the message and the character offset it points at.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var offset: Int
        public var description: String { message }

        public init(message: String, offset: Int) {
            self.message = message
            self.offset = offset
        }
    }

    public init(parsing text: String) throws(ParseError) {
        self.text = text
        var parser = Parser(tokens: try Self.tokenize(text), end: text.count)
        root = try parser.condition()
        if let extra = parser.peek {
            throw ParseError(message: "unexpected '\(extra.text)' after a complete condition (join conditions with and/or)",
                             offset: extra.offset)
        }
    }

    public var description: String { text }

    /// Every probe the condition reads, with the metric when it reads one, in the order written.
    public var mentions: [(mention: ProbeMention, metric: String?)] {
        func walk(_ node: Node) -> [(ProbeMention, String?)] {
            switch node {
            case .status(let mention, _): [(mention, nil)]
            case .metric(let mention, let metric, _, _): [(mention, metric)]
            case .not(let inner): walk(inner)
            case .and(let left, let right), .or(let left, let right): walk(left) + walk(right)
            }
        }
        return walk(root)
    }

    /// Every metric comparison, in the order written.
    public var comparisons: [(mention: ProbeMention, metric: String, comparison: Comparison, operand: Operand)] {
        func walk(_ node: Node) -> [(ProbeMention, String, Comparison, Operand)] {
            switch node {
            case .status: []
            case .metric(let mention, let metric, let comparison, let operand): [(mention, metric, comparison, operand)]
            case .not(let inner): walk(inner)
            case .and(let left, let right), .or(let left, let right): walk(left) + walk(right)
            }
        }
        return walk(root).map { (mention: $0.0, metric: $0.1, comparison: $0.2, operand: $0.3) }
    }

    /// The probes read, each once, in the order written.
    public var probeIDs: [String] {
        var seen: [String] = []
        for (mention, _) in mentions where !seen.contains(mention.probe) { seen.append(mention.probe) }
        return seen
    }

    // MARK: - Tokens

    struct Token: Equatable {
        enum Kind: Equatable { case word, quoted, open, close, comparison }
        var kind: Kind
        var text: String
        var offset: Int
    }

    static func tokenize(_ text: String) throws(ParseError) -> [Token] {
        let characters = Array(text)
        var tokens: [Token] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
            } else if character == "(" || character == ")" {
                tokens.append(Token(kind: character == "(" ? .open : .close, text: String(character), offset: index))
                index += 1
            } else if "=!<>".contains(character) {
                let twoCharacter = index + 1 < characters.count && characters[index + 1] == "="
                let symbol = String(characters[index..<(index + (twoCharacter ? 2 : 1))])
                guard Comparison(rawValue: symbol) != nil else {
                    throw ParseError(message: "'\(symbol)' is not a comparison (expected ==, !=, <, <=, >, >= or has)", offset: index)
                }
                tokens.append(Token(kind: .comparison, text: symbol, offset: index))
                index += symbol.count
            } else if character == "\"" || character == "'" {
                guard let close = characters[(index + 1)...].firstIndex(of: character) else {
                    throw ParseError(message: "unterminated quoted value (no closing \(character))", offset: index)
                }
                tokens.append(Token(kind: .quoted, text: String(characters[(index + 1)..<close]), offset: index))
                index = close + 1
            } else {
                let start = index
                while index < characters.count, !characters[index].isWhitespace, !"()=!<>\"'".contains(characters[index]) {
                    index += 1
                }
                tokens.append(Token(kind: .word, text: String(characters[start..<index]), offset: start))
            }
        }
        return tokens
    }

    // MARK: - Parser

    /// How deep parentheses and `not` may nest, and how many comparisons one condition may
    /// join: far beyond any runbook, and short of what would exhaust the stack of the recursive
    /// parser and of every walk over the tree.
    public static let maximumNesting = 32
    public static let maximumComparisons = 256

    /// Recursive descent over the tokens; `end` is where "the end of the condition" points.
    struct Parser {
        var tokens: [Token]
        var position = 0
        let end: Int
        var nesting = 0
        var comparisons = 0

        var peek: Token? { position < tokens.count ? tokens[position] : nil }

        mutating func next() -> Token? {
            defer { position += 1 }
            return peek
        }

        func isKeyword(_ word: String) -> Bool {
            peek.map { $0.kind == .word && $0.text == word } ?? false
        }

        func failure(_ expected: String) -> ParseError {
            guard let token = peek else { return ParseError(message: "expected \(expected), but the condition ends", offset: end) }
            return ParseError(message: "expected \(expected), got '\(token.text)'", offset: token.offset)
        }

        mutating func condition() throws(ParseError) -> Node {
            var node = try conjunction()
            while isKeyword("or") {
                position += 1
                node = .or(node, try conjunction())
            }
            return node
        }

        mutating func conjunction() throws(ParseError) -> Node {
            var node = try unary()
            while isKeyword("and") {
                position += 1
                node = .and(node, try unary())
            }
            return node
        }

        mutating func unary() throws(ParseError) -> Node {
            guard isKeyword("not") || peek?.kind == .open else { return try comparison() }
            guard nesting < Condition.maximumNesting else {
                throw ParseError(message: "nested more than \(Condition.maximumNesting) deep (parentheses and 'not')", offset: peek?.offset ?? end)
            }
            nesting += 1
            defer { nesting -= 1 }
            if isKeyword("not") {
                position += 1
                return .not(try unary())
            }
            let open = next()!
            let inner = try condition()
            guard peek?.kind == .close else {
                if peek == nil { throw ParseError(message: "'(' is never closed", offset: open.offset) }
                throw failure("')' or and/or")
            }
            position += 1
            return inner
        }

        mutating func comparison() throws(ParseError) -> Node {
            guard let subject = peek, subject.kind == .word, !["and", "or", "not", "is", "has"].contains(subject.text) else {
                throw failure("PROBE is STATUS or PROBE.METRIC compared with a value")
            }
            comparisons += 1
            guard comparisons <= Condition.maximumComparisons else {
                throw ParseError(message: "more than \(Condition.maximumComparisons) comparisons in one condition", offset: subject.offset)
            }
            position += 1
            let parts = subject.text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            let probe = String(parts[0])
            guard !probe.isEmpty, probe.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
                throw ParseError(message: "'\(probe)' is not a probe id (a-z, 0-9 and '-')", offset: subject.offset)
            }
            let mention = ProbeMention(probe: probe, offset: subject.offset)

            if isKeyword("is") {
                position += 1
                guard parts.count == 1 else {
                    throw ParseError(message: "'is' takes a probe, not a metric: write '\(probe) is STATUS' or compare "
                                     + "'\(subject.text)' with == != < <= > >= has", offset: subject.offset)
                }
                let statuses = DisplayStatus.allCases.filter { $0 != .pending }
                guard let word = peek, word.kind == .word, let status = DisplayStatus(rawValue: word.text), status != .pending else {
                    throw failure("a status (\(statuses.map(\.rawValue).joined(separator: ", ")))")
                }
                position += 1
                return .status(mention, status)
            }

            let comparison: Comparison
            if let token = peek, token.kind == .comparison, let parsed = Comparison(rawValue: token.text) {
                comparison = parsed
            } else if isKeyword("has") {
                comparison = .has
            } else if parts.count == 1 {
                throw failure("'is STATUS' after the probe '\(probe)', or PROBE.METRIC and a comparison")
            } else {
                throw failure("a comparison (==, !=, <, <=, >, >= or has) after '\(subject.text)'")
            }
            guard parts.count == 2, !parts[1].isEmpty else {
                throw ParseError(message: "'\(comparison.rawValue)' compares a metric: write '\(probe).METRIC \(comparison.rawValue) VALUE'",
                                 offset: subject.offset)
            }
            position += 1
            guard let valueToken = peek, valueToken.kind == .word || valueToken.kind == .quoted,
                  valueToken.kind == .quoted || !["and", "or", "not"].contains(valueToken.text) else {
                throw failure("a value to compare '\(subject.text)' with")
            }
            position += 1
            let operand: Operand
            if valueToken.kind == .word, let (number, unit) = MetricUnit.parse(valueToken.text) {
                operand = .number(number, unit: unit)
            } else {
                operand = .text(valueToken.text)
            }
            if [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(comparison), case .text = operand {
                throw ParseError(message: "'\(comparison.rawValue)' needs a number, got '\(valueToken.text)'", offset: valueToken.offset)
            }
            return .metric(mention, metric: String(parts[1]), comparison, operand)
        }
    }
}

import SwitchboardCore
import TerminalUI

/// One line of text being typed, with a cursor. Editing keys are the ones a shell user expects:
/// arrows, Home/End, Backspace, Ctrl-U (clear), Ctrl-W (delete a word).
public struct TextInput: Sendable, Equatable {
    /// As much as `switchboard note` takes from a shell: a pasted report fits whole.
    public static let maximumLength = 100_000

    public private(set) var text: String
    /// In characters from the start.
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        self.text = String(text.prefix(Self.maximumLength))
        self.cursor = self.text.count
    }

    /// Applies an editing key; false if the key is not an editing key.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let character):
            guard text.count < Self.maximumLength, !character.isNewline else { return true }
            let index = text.index(text.startIndex, offsetBy: cursor)
            text.insert(character, at: index)
            cursor += 1
        case .paste(let pasted):
            // One line: its line breaks and tabs become spaces, and it is kept up to the limit.
            let line = Sanitizer.pasted(pasted).split(separator: "\n").joined(separator: " ")
                .prefix(max(0, Self.maximumLength - text.count))
            text.insert(contentsOf: line, at: text.index(text.startIndex, offsetBy: cursor))
            cursor += line.count
        case .backspace:
            guard cursor > 0 else { return true }
            text.remove(at: text.index(text.startIndex, offsetBy: cursor - 1))
            cursor -= 1
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = text.count
        case .control("u"):
            text = ""
            cursor = 0
        case .control("w"):
            let before = text.prefix(cursor)
            let kept = before.reversed().drop { $0 == " " }.drop { $0 != " " }
            let removed = before.count - kept.count
            text.removeSubrange(text.index(text.startIndex, offsetBy: cursor - removed)..<text.index(text.startIndex, offsetBy: cursor))
            cursor -= removed
        default:
            return false
        }
        return true
    }

    public var trimmed: String { text.trimmingCharacters(in: .whitespaces) }
}

/// A small dialog over the console: a few fields, Enter to submit, Esc to cancel. What the
/// submission does is given by `purpose`.
public struct Form: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        case openIncident
        case remark
        case handover
        case assignRole
        case severity
        case close
        case amend(seq: Int)
        /// A milestone (mitigated, resolved, …), now or when it happened.
        case milestone
        /// Why a runbook step is skipped (`skip`) or blocked.
        case stepReason(skip: Bool, runbook: String, step: String)
        /// The answer to a runbook question.
        case decision(runbook: String, step: String)
        case stepNote(runbook: String, step: String)
        /// Why a step is marked done though its check does not hold.
        case doneOverCheck(runbook: String, step: String)
        /// A spare part taken from the shelf (`x`).
        case useSpare
        /// A drill inject played by hand: one not yet played, or words for a role (`!`).
        case inject
        /// An evaluator's note on a drill objective (`e`).
        case evaluation
    }

    public enum Field: Sendable, Equatable {
        case text(label: String, input: TextInput, placeholder: String)
        /// One of a few options, changed with ← → or Space.
        case choice(label: String, options: [String], selected: Int)
        /// A name typed or picked from a list (the site's staff, its spares): typing narrows the
        /// list, ↑ ↓ pick from it; what is typed stands when nothing is picked.
        case pick(label: String, input: TextInput, options: [PickOption], picked: Int?)
    }

    /// One entry of a pick list: the value it fills in, and what it shows beside it.
    public struct PickOption: Sendable, Equatable {
        public var value: String
        public var detail: String

        public init(_ value: String, detail: String = "") {
            self.value = value
            self.detail = detail
        }
    }

    /// Shown under a pick field at most.
    static let pickRows = 4

    /// The options of a pick field that match what is typed (by words, anywhere in the value or
    /// its detail), in their order.
    static func matching(_ options: [PickOption], _ input: TextInput) -> [PickOption] {
        let words = input.trimmed.lowercased().split(separator: " ")
        return options.filter { option in
            let haystack = (option.value + " " + option.detail).lowercased()
            return words.allSatisfy { haystack.contains($0) }
        }
    }

    public var purpose: Purpose
    public var title: String
    public var fields: [Field]
    public var focused = 0
    /// Why the last Enter was not accepted.
    public var problem: String?
    /// A line under the fields saying what will happen.
    public var explanation: String

    public init(purpose: Purpose, title: String, fields: [Field], explanation: String) {
        self.purpose = purpose
        self.title = title
        self.fields = fields
        self.explanation = explanation
    }

    /// The text typed in field `index`, trimmed; for a pick field, the option picked, else what
    /// is typed.
    public func text(_ index: Int) -> String {
        guard fields.indices.contains(index) else { return "" }
        switch fields[index] {
        case .text(_, let input, _): return input.trimmed
        case .pick(_, let input, let options, let picked):
            let matches = Self.matching(options, input)
            if let picked, matches.indices.contains(picked) { return matches[picked].value }
            return input.trimmed
        case .choice: return ""
        }
    }

    /// The option field `index` holds: picked, or the one whose value is typed exactly.
    public func pickedOption(_ index: Int) -> PickOption? {
        guard fields.indices.contains(index), case .pick(_, _, let options, _) = fields[index] else { return nil }
        let value = text(index)
        return options.first { $0.value.caseInsensitiveCompare(value) == .orderedSame }
    }

    /// The option chosen in field `index`.
    public func choice(_ index: Int) -> String {
        guard fields.indices.contains(index), case .choice(_, let options, let selected) = fields[index] else { return "" }
        return options[selected]
    }

    /// Handles every key but Enter and Esc: Tab and Shift-Tab move between fields; ← → change a
    /// choice; anything else edits the focused text.
    mutating func handle(_ key: Key) {
        switch (key, fields[focused]) {
        case (.down, .pick(let label, let input, let options, let picked)), (.up, .pick(let label, let input, let options, let picked)):
            let count = min(Self.pickRows, Self.matching(options, input).count)
            guard count > 0 else { return }
            let next = key == .down ? (picked.map { $0 + 1 } ?? 0) : (picked ?? count) - 1
            fields[focused] = .pick(label: label, input: input, options: options, picked: (0..<count).contains(next) ? next : nil)
        case (.tab, _):
            focused = (focused + 1) % fields.count
        case (.backTab, _):
            focused = (focused + fields.count - 1) % fields.count
        // The arrows stop at the ends: ↓ pressed once too often must not put the next words
        // typed into the first field.
        case (.down, _):
            focused = min(focused + 1, fields.count - 1)
        case (.up, _):
            focused = max(focused - 1, 0)
        case (.left, .choice(let label, let options, let selected)):
            fields[focused] = .choice(label: label, options: options, selected: (selected + options.count - 1) % options.count)
        case (.right, .choice(let label, let options, let selected)), (.character(" "), .choice(let label, let options, let selected)):
            fields[focused] = .choice(label: label, options: options, selected: (selected + 1) % options.count)
        case (_, .text(let label, var input, let placeholder)):
            if input.handle(key) {
                fields[focused] = .text(label: label, input: input, placeholder: placeholder)
                problem = nil
            }
        case (_, .pick(let label, var input, let options, let picked)):
            let before = input.text
            if input.handle(key) {
                // Typing narrows the list and starts the pick over; moving the cursor keeps it.
                fields[focused] = .pick(label: label, input: input, options: options, picked: input.text == before ? picked : nil)
                problem = nil
            }
        default:
            break
        }
    }
}

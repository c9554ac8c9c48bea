import SwitchboardCore
import TerminalUI

/// One line of text being typed, with a cursor. Editing keys are the ones a shell user expects:
/// arrows, Home/End, Backspace, Ctrl-U (clear), Ctrl-W (delete a word).
public struct TextInput: Sendable, Equatable {
    public static let maximumLength = 500

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
        /// Why a runbook step is skipped (`skip`) or blocked.
        case stepReason(skip: Bool, runbook: String, step: String)
        /// The answer to a runbook question.
        case decision(runbook: String, step: String)
        case stepNote(runbook: String, step: String)
        /// Why a step is marked done though its check does not hold.
        case doneOverCheck(runbook: String, step: String)
    }

    public enum Field: Sendable, Equatable {
        case text(label: String, input: TextInput, placeholder: String)
        /// One of a few options, changed with ← → or Space.
        case choice(label: String, options: [String], selected: Int)
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

    /// The text typed in field `index`, trimmed.
    public func text(_ index: Int) -> String {
        guard fields.indices.contains(index), case .text(_, let input, _) = fields[index] else { return "" }
        return input.trimmed
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
        case (.tab, _), (.down, _):
            focused = (focused + 1) % fields.count
        case (.backTab, _), (.up, _):
            focused = (focused + fields.count - 1) % fields.count
        case (.left, .choice(let label, let options, let selected)):
            fields[focused] = .choice(label: label, options: options, selected: (selected + options.count - 1) % options.count)
        case (.right, .choice(let label, let options, let selected)), (.character(" "), .choice(let label, let options, let selected)):
            fields[focused] = .choice(label: label, options: options, selected: (selected + 1) % options.count)
        case (_, .text(let label, var input, let placeholder)):
            if input.handle(key) {
                fields[focused] = .text(label: label, input: input, placeholder: placeholder)
                problem = nil
            }
        default:
            break
        }
    }
}

import Foundation
import SwitchboardCore
import TerminalUI

/// A customer message being written from a template: the blanks the commander fills (`{{eta}}`,
/// `{{text}}`), the subject and the text as they will be sent. Until the person edits the subject
/// or the text by hand, both are filled again from the template whenever a blank changes.
public struct Composer: Sendable, Equatable {
    public enum Field: Sendable, Equatable {
        case eta, news, subject, body
    }

    /// What the composer is waiting for besides typing.
    public enum Question: Sendable, Equatable {
        /// "Log it as sent?" after Ctrl-D.
        case send
        /// Esc with typed text: a second Esc throws it away.
        case discard
    }

    public var template: CommsTemplate
    /// The runbook step whose `notify:` opened the composer; sending also marks it done.
    public var notifyStep: StepReference?
    public var eta = TextInput()
    public var news = TextInput()
    public var subject: TextInput?
    public var body: TextArea
    /// The fields shown, in order: the blanks the template uses, the subject if it has one, the text.
    public let fields: [Field]
    public var focused: Field
    public var editedByHand = false
    public var question: Question?
    public var problem: String?
    /// Waiting for `$EDITOR` to give the text back.
    public var inEditor = false
    /// Written in a drill: the text starts and ends with `EXERCISE EXERCISE EXERCISE`, as
    /// exercise traffic does, so nobody takes it for a real outage.
    public let exercise: Bool

    /// What marks exercise traffic, first and last.
    public static let exerciseMark = "EXERCISE EXERCISE EXERCISE"

    public init(template: CommsTemplate, notifyStep: StepReference?, values: [String: String], exercise: Bool = false) {
        self.template = template
        self.notifyStep = notifyStep
        self.exercise = exercise
        let source = (template.subject ?? "") + template.body
        var fields: [Field] = []
        if Self.mentions("eta", in: source) { fields.append(.eta) }
        if Self.mentions("text", in: source) { fields.append(.news) }
        if template.subject != nil { fields.append(.subject) }
        fields.append(.body)
        self.fields = fields
        focused = fields[0]
        body = TextArea()
        if template.subject != nil { subject = TextInput() }
        refill(values)
    }

    /// The values the commander typed, by template name.
    public var typed: [String: String] { ["eta": eta.trimmed, "text": news.trimmed] }

    /// Fills the subject and text from the template again, unless the person has edited them.
    mutating func refill(_ values: [String: String]) {
        guard !editedByHand else { return }
        if let subject = template.subject { self.subject = TextInput((exercise ? "EXERCISE: " : "") + Self.render(subject, values)) }
        let text = Self.render(template.body, values)
        body = TextArea(exercise ? Self.exerciseMarked(text) : text)
    }

    /// `text` starting and ending with the exercise mark (added where it is missing).
    public static func exerciseMarked(_ text: String) -> String {
        var marked = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !marked.hasPrefix(exerciseMark) { marked = exerciseMark + "\n\n" + marked }
        if !marked.hasSuffix(exerciseMark) { marked += "\n\n" + exerciseMark }
        return marked
    }

    /// Whether anything was typed that Esc would throw away.
    var hasTyping: Bool { editedByHand || !eta.text.isEmpty || !news.text.isEmpty }

    /// A blank the template uses but nobody filled in: `{{eta}}` renders as nothing.
    var unfilledBlank: String? {
        if fields.contains(.eta), eta.trimmed.isEmpty { return "ETA" }
        if fields.contains(.news), news.trimmed.isEmpty { return "the news line" }
        return nil
    }

    static func render(_ text: String, _ values: [String: String]) -> String {
        (try? MetricTemplate(text))?.render(values) ?? text
    }

    private static func mentions(_ name: String, in template: String) -> Bool {
        template.range(of: #"\{\{\{?\s*&?\s*"# + name + #"\s*\}?\}\}"#, options: .regularExpression) != nil
    }
}

/// A step of a running runbook, by ids.
public struct StepReference: Sendable, Equatable {
    public var runbook: String
    public var step: String
    /// For a step whose message is being written: the reason given for marking it done though
    /// its check does not hold, logged with the step once the message is sent.
    public var doneOverCheckWhy: String?

    public init(runbook: String, step: String, doneOverCheckWhy: String? = nil) {
        self.runbook = runbook
        self.step = step
        self.doneOverCheckWhy = doneOverCheckWhy
    }
}

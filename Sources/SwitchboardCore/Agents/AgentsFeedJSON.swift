import Foundation

/// One queue of a JSON feed, `queues[i]`: its keys, its `agents` object, and the top-level
/// `interval_seconds` and `threshold_seconds` it inherits unless it gives its own.
struct JSONQueueRecord: QueueRecord {
    let place: String
    private let fields: [String: JSONValue]
    private let agents: [String: JSONValue]
    private let defaults: [FeedField: Double]

    /// The queues of a whole document, after checking its top level.
    static func records(in data: Data) throws(AgentsFeedError) -> [JSONQueueRecord] {
        let text = withoutByteOrderMark(data)
        let document: JSONValue
        do {
            document = try JSONDecoder().decode(JSONValue.self, from: text)
        } catch {
            throw AgentsFeedError("not valid JSON: \(syntaxProblem(in: text))")
        }
        guard case .object(let top) = document else {
            throw AgentsFeedError("expected a JSON object with \"queues\", got \(describe(document))")
        }
        try rejectUnknownKeys(top, known: ["interval_seconds", "threshold_seconds", "queues"], at: nil)
        var defaults: [FeedField: Double] = [:]
        for field in [FeedField.intervalSeconds, .thresholdSeconds] {
            guard let value = present(top[field.rawValue]) else { continue }
            let number = try number(value, field: field, at: field.rawValue)
            if let problem = field.problem(with: number) { throw AgentsFeedError("\(field.rawValue): \(problem)") }
            defaults[field] = number
        }
        guard let queues = present(top["queues"]) else { throw AgentsFeedError("missing \"queues\"") }
        guard case .array(let entries) = queues else {
            throw AgentsFeedError("queues: expected an array, got \(describe(queues))")
        }
        var records: [JSONQueueRecord] = []
        for (index, entry) in entries.enumerated() {
            records.append(try JSONQueueRecord(index: index, entry: entry, defaults: defaults))
        }
        return records
    }

    private init(index: Int, entry: JSONValue, defaults: [FeedField: Double]) throws(AgentsFeedError) {
        let place = "queues[\(index)]"
        guard case .object(let fields) = entry else {
            throw AgentsFeedError("\(place): expected an object, got \(Self.describe(entry))")
        }
        let queueKeys = FeedField.allCases.filter { !$0.isAgentCount }.map(\.rawValue) + ["agents"]
        try Self.rejectUnknownKeys(fields, known: queueKeys, at: place)
        guard let agentsValue = Self.present(fields["agents"]) else { throw AgentsFeedError("\(place): missing \"agents\"") }
        guard case .object(let agents) = agentsValue else {
            throw AgentsFeedError("\(place).agents: expected an object, got \(Self.describe(agentsValue))")
        }
        try Self.rejectUnknownKeys(agents, known: FeedField.allCases.filter(\.isAgentCount).map(\.rawValue), at: "\(place).agents")
        self.place = place
        self.fields = fields
        self.agents = agents
        self.defaults = defaults
    }

    func string(_ field: FeedField) throws(AgentsFeedError) -> String? {
        switch raw(field) {
        case nil: return nil
        case .string(let text): return text
        case .int(let number): return String(number)
        case let value?: throw problem(field, "expected \(field.expectation), got \(Self.describe(value))")
        }
    }

    func number(_ field: FeedField) throws(AgentsFeedError) -> Double? {
        guard let value = raw(field) else { return defaults[field] }
        return try Self.number(value, field: field, at: path(field))
    }

    func missing(_ field: FeedField) -> AgentsFeedError {
        if field.isAgentCount { return AgentsFeedError("\(place).agents: missing \"\(field.rawValue)\"") }
        let hint = field == .intervalSeconds ? " (give it here or at the top level)" : ""
        return AgentsFeedError("\(place): missing \"\(field.rawValue)\"\(hint)")
    }

    func problem(_ field: FeedField?, _ message: String) -> AgentsFeedError {
        AgentsFeedError("\(field.map(path) ?? place): \(message)")
    }

    private func path(_ field: FeedField) -> String {
        field.isAgentCount ? "\(place).agents.\(field.rawValue)" : "\(place).\(field.rawValue)"
    }

    private func raw(_ field: FeedField) -> JSONValue? {
        Self.present((field.isAgentCount ? agents : fields)[field.rawValue])
    }

    /// A key given as `null` counts as not given.
    private static func present(_ value: JSONValue?) -> JSONValue? {
        value == .null ? nil : value
    }

    private static func number(_ value: JSONValue, field: FeedField, at path: String) throws(AgentsFeedError) -> Double {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: throw AgentsFeedError("\(path): expected \(field.expectation), got \(describe(value))")
        }
    }

    private static func rejectUnknownKeys(_ object: [String: JSONValue], known: [String], at path: String?) throws(AgentsFeedError) {
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw AgentsFeedError("\(path.map { "\($0): " } ?? "")unknown key \(AgentsFeed.quoted(unknown))")
        }
    }

    /// A value as it appeared, for "got …".
    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): AgentsFeed.quoted(text)
        case .int(let number): String(number)
        case .double(let number): AgentsFeed.show(number)
        case .bool(let flag): String(flag)
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }

    private static func withoutByteOrderMark(_ data: Data) -> Data {
        data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data
    }

    /// Where the JSON breaks. JSONDecoder only says that it does (on Linux), so the refused
    /// document is read again by JSONSerialization, which says where.
    private static func syntaxProblem(in text: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: text, options: .fragmentsAllowed)
        } catch {
            if let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String {
                return detail.prefix(1).lowercased() + detail.dropFirst().trimmingCharacters(in: CharacterSet(charactersIn: "."))
            }
        }
        return "the decoder could not read it"
    }
}

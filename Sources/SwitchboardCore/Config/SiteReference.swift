import Foundation

/// Someone the site calls in an emergency: a vendor, a carrier, the utility. Runbooks name them
/// by `id`, and the stepper shows their numbers beside the steps that need them.
public struct Contact: Sendable, Equatable {
    public var id: String
    public var name: String
    public var phone: String?
    public var email: String?
    /// The support contract or account number to quote when calling.
    public var contract: String?
    /// When they can be reached, e.g. `24/7` or `Mon-Fri 8-18`.
    public var hours: String?
    public var notes: String?

    public static let keys = ["id", "name", "phone", "email", "contract", "hours", "notes"]

    public init(id: String, name: String, phone: String? = nil, email: String? = nil, contract: String? = nil,
                hours: String? = nil, notes: String? = nil) {
        self.id = id
        self.name = name
        self.phone = phone
        self.email = email
        self.contract = contract
        self.hours = hours
        self.notes = notes
    }

    /// One line for the stepper: name, phone, contract, hours.
    public var line: String {
        ([name] + [phone, contract.map { "contract \($0)" }, hours].compactMap { $0 }).joined(separator: " · ")
    }
}

/// A member of the on-site technical staff and the role they usually take: the names roles and
/// hand-overs pick from.
public struct StaffMember: Sendable, Equatable {
    public var name: String
    public var role: String?
    public var phone: String?
    public var email: String?
    /// The name their console logs as (`--as`, else their login), when it is not `name`: how a
    /// hand-over to them reaches their console.
    public var user: String?
    public var notes: String?

    public static let keys = ["name", "role", "phone", "email", "user", "notes"]

    public init(name: String, role: String? = nil, phone: String? = nil, email: String? = nil, user: String? = nil, notes: String? = nil) {
        self.name = name
        self.role = role
        self.phone = phone
        self.email = email
        self.user = user
        self.notes = notes
    }

    /// Whether a console logging as `actor` is this person's.
    public func isUsing(_ actor: String) -> Bool {
        actor.caseInsensitiveCompare(name) == .orderedSame || user.map { actor.caseInsensitiveCompare($0) == .orderedSame } ?? false
    }
}

/// A spare part kept on site. `count` is how many the config says are on the shelf; an
/// incident's `spare.used` records take from it.
public struct Spare: Sendable, Equatable {
    public var id: String
    public var item: String
    public var location: String?
    public var count: Int?
    public var notes: String?

    public static let keys = ["id", "item", "location", "count", "notes"]

    public init(id: String, item: String, location: String? = nil, count: Int? = nil, notes: String? = nil) {
        self.id = id
        self.item = item
        self.location = location
        self.count = count
        self.notes = notes
    }

    /// How many are left after `used`; nil when the config keeps no count.
    public func onHand(after used: Int) -> Int? { count.map { max(0, $0 - used) } }
}

/// A message template for clients or callers (mustache), which `notify:` steps point at.
public struct CommsTemplate: Sendable, Equatable {
    public var id: String
    /// Where it goes: `client-email`, `ivr-announcement`, `status-page`, …
    public var channel: String
    public var audience: String?
    public var subject: String?
    public var body: String
    /// Whether sending it is a client update that the cadence counts (`cadence:` in the config);
    /// by default, when its audience names clients. An SMS to staff is not a client update.
    public var countsForCadence: Bool

    public static let keys = ["channel", "audience", "subject", "body", "cadence"]

    public init(id: String, channel: String, audience: String? = nil, subject: String? = nil, body: String, cadence: Bool? = nil) {
        self.id = id
        self.channel = channel
        self.audience = audience
        self.subject = subject
        self.body = body
        countsForCadence = cadence ?? Self.namesClients(audience)
    }

    /// Whether an audience names clients (`all clients`, `Client contacts`): the cadence's
    /// default, and how a `comms.sent` record written before `cadence` was logged is read.
    public static func namesClients(_ audience: String?) -> Bool {
        guard let audience else { return false }
        return audience.lowercased().split(whereSeparator: { !$0.isLetter }).contains { $0 == "client" || $0 == "clients" }
    }
}

/// Another contact center that can take this site's calls, and how many agents it can lend:
/// the agents pane's detail says whether routing a queue there would meet the target.
public struct AlternateSite: Sendable, Equatable {
    public var id: String
    public var name: String?
    public var agents: Int
    /// The queues it can answer (the `queue:` of agents probes); empty means any.
    public var queues: [String]
    public var notes: String?

    public static let keys = ["id", "name", "agents", "queues", "notes"]

    public init(id: String, name: String? = nil, agents: Int, queues: [String] = [], notes: String? = nil) {
        self.id = id
        self.name = name
        self.agents = agents
        self.queues = queues
        self.notes = notes
    }

    public func takes(queue: String) -> Bool { queues.isEmpty || queues.contains(queue) }
}

/// Something to do after an incident (a post-incident review, the client satisfaction survey:
/// business continuity puts the survey after the disruption, not during it), with who owns it
/// and how long after resolution it is due. Reports list them as action items.
public struct FollowUp: Sendable, Equatable {
    public var id: String
    public var action: String
    public var owner: String
    /// Due this long after the incident is resolved.
    public var due: Duration?
    public var notes: String?

    public static let keys = ["id", "action", "owner", "due", "notes"]

    public init(id: String, action: String, owner: String, due: Duration? = nil, notes: String? = nil) {
        self.id = id
        self.action = action
        self.owner = owner
        self.due = due
        self.notes = notes
    }
}

/// The reference data of a site that runbooks point at, besides its probes.
public struct SiteReference: Sendable, Equatable {
    public var contacts: [Contact] = []
    public var staff: [StaffMember] = []
    public var spares: [Spare] = []
    public var comms: [CommsTemplate] = []
    public var commsCadence = CommsCadence()
    public var alternateSites: [AlternateSite] = []
    public var followUps: [FollowUp] = []

    public init(contacts: [Contact] = [], staff: [StaffMember] = [], spares: [Spare] = [], comms: [CommsTemplate] = [],
                commsCadence: CommsCadence = CommsCadence(), alternateSites: [AlternateSite] = [], followUps: [FollowUp] = []) {
        self.contacts = contacts
        self.staff = staff
        self.spares = spares
        self.comms = comms
        self.commsCadence = commsCadence
        self.alternateSites = alternateSites
        self.followUps = followUps
    }

    public func contact(_ id: String) -> Contact? { contacts.first { $0.id == id } }
    public func spare(_ id: String) -> Spare? { spares.first { $0.id == id } }

    /// Whether `person` (a name typed in a hand-over) is whom a console logging as `actor` serves:
    /// the same name, or a staff member with that name whose `user` is `actor`.
    public func person(_ person: String, isServedBy actor: String) -> Bool {
        if person.caseInsensitiveCompare(actor) == .orderedSame { return true }
        return staff.contains { $0.name.caseInsensitiveCompare(person) == .orderedSame && $0.isUsing(actor) }
    }
    public func template(_ id: String) -> CommsTemplate? { comms.first { $0.id == id } }

    /// Reads `contacts`, `staff`, `spares`, `comms`, `comms_cadence`, `alternate_sites` and `follow_ups` from
    /// the top-level mapping, adding a diagnostic for each bad entry.
    static func load(_ top: ConfigMapping, problems: inout [ConfigDiagnostic]) -> SiteReference {
        var reference = SiteReference()
        func each(_ key: String, _ what: String, allowed: [String], _ body: (ConfigMapping) throws -> Void) {
            guard let list = top[key] else { return }
            do {
                var seen: [String: Int] = [:]
                for entry in try list.sequence("a list under '\(key)'") {
                    do {
                        let fields = try entry.mapping(what, allowedKeys: allowed)
                        if let idNode = fields["id"], let id = try? idNode.string() {
                            if let line = seen[id] { throw idNode.error("duplicate id '\(id)' under '\(key)' (first at line \(line))") }
                            seen[id] = idNode.location.line
                        }
                        try body(fields)
                    } catch let diagnostic as ConfigDiagnostic {
                        problems.append(diagnostic)
                    }
                }
            } catch let diagnostic as ConfigDiagnostic {
                problems.append(diagnostic)
            } catch {}
        }
        func text(_ fields: ConfigMapping, _ key: String) throws -> String? { try fields[key]?.string() }

        each("contacts", "a contact (id, name, phone, contract, hours)", allowed: Contact.keys) { fields in
            reference.contacts.append(Contact(
                id: try fields.required("id").string("a contact id"), name: try fields.required("name").string("a name"),
                phone: try text(fields, "phone"), email: try text(fields, "email"), contract: try text(fields, "contract"),
                hours: try text(fields, "hours"), notes: try text(fields, "notes")))
        }
        each("staff", "a staff member (name, role, phone)", allowed: StaffMember.keys) { fields in
            reference.staff.append(StaffMember(name: try fields.required("name").string("a name"),
                                               role: try text(fields, "role"), phone: try text(fields, "phone"),
                                               email: try text(fields, "email"), user: try text(fields, "user"),
                                               notes: try text(fields, "notes")))
        }
        each("spares", "a spare part (id, item, location, count)", allowed: Spare.keys) { fields in
            reference.spares.append(Spare(id: try fields.required("id").string("a spare id"), item: try fields.required("item").string(),
                                          location: try text(fields, "location"),
                                          count: try fields["count"]?.integer("a count", in: 0...1_000_000), notes: try text(fields, "notes")))
        }
        each("alternate_sites", "an alternate site (id, name, agents, queues)", allowed: AlternateSite.keys) { fields in
            reference.alternateSites.append(AlternateSite(
                id: try fields.required("id").string("a site id"), name: try text(fields, "name"),
                agents: try fields.required("agents").integer("a number of agents", in: 1...100_000),
                queues: try fields["queues"]?.stringList("a list of queue names") ?? [], notes: try text(fields, "notes")))
        }
        each("follow_ups", "a follow-up (id, action, owner, due)", allowed: FollowUp.keys) { fields in
            reference.followUps.append(FollowUp(
                id: try fields.required("id").string("a follow-up id"), action: try fields.required("action").string("what is to be done"),
                owner: try fields.required("owner").string("who owns it"), due: try fields["due"]?.duration(),
                notes: try text(fields, "notes")))
        }
        if let cadence = top["comms_cadence"] {
            do {
                let fields = try cadence.mapping("first and every, e.g. {first: 5m, every: 20m}", allowedKeys: CommsCadence.keys)
                if let first = fields["first"] { reference.commsCadence.first = try first.duration().seconds }
                if let every = fields["every"] { reference.commsCadence.every = try every.duration().seconds }
            } catch let diagnostic as ConfigDiagnostic {
                problems.append(diagnostic)
            } catch {}
        }
        if let comms = top["comms"] {
            do {
                for entry in try comms.mapping("a mapping of template id to {channel, subject, body}").entries {
                    do {
                        let fields = try entry.value.mapping("a message template", allowedKeys: CommsTemplate.keys)
                        let bodyNode = try fields.required("body")
                        let body = try bodyNode.string("the message text")
                        do { _ = try MetricTemplate(body) } catch { throw bodyNode.error("the message is not a valid template: \(error)") }
                        reference.comms.append(CommsTemplate(
                            id: entry.key, channel: try fields.required("channel").string("a channel such as client-email"),
                            audience: try text(fields, "audience"), subject: try text(fields, "subject"), body: body,
                            cadence: try fields["cadence"]?.bool()))
                    } catch let diagnostic as ConfigDiagnostic {
                        problems.append(diagnostic)
                    }
                }
            } catch let diagnostic as ConfigDiagnostic {
                problems.append(diagnostic)
            } catch {}
        }
        return reference
    }
}

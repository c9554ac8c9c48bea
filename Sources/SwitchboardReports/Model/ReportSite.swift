import Foundation
import SwitchboardCore

/// What a report needs of the site beyond the log: its name, its probes' panes, its runbooks
/// (step order, triggers), its people and reference data (the comms cadence, follow-ups).
/// The log does not record the config it ran with; the report reads the site's config as it is.
public struct ReportSite: Sendable {
    public var name: String
    public var specs: [ProbeSpec]
    public var runbooks: RunbookLibrary
    public var reference: SiteReference

    public init(name: String, specs: [ProbeSpec], runbooks: RunbookLibrary, reference: SiteReference) {
        self.name = name
        self.specs = specs
        self.runbooks = runbooks
        self.reference = reference
    }

    func pane(of probe: String) -> Pane? { specs.first { $0.id == probe }?.pane }

    /// The staff entry of a person who logged as `actor`.
    func staffMember(_ actor: String) -> StaffMember? {
        reference.staff.first { $0.isUsing(actor) }
    }
}

/// A list that keeps at most `limit` elements whatever is appended: past it, neighbours are
/// merged two by two (`merge` keeps what matters of both, such as the worse status or the
/// lower service level). Lanes and charts of an incident of any length stay this small.
struct BoundedSeries<Element> {
    let limit: Int
    let merge: (Element, Element) -> Element
    private(set) var elements: [Element] = []

    init(limit: Int, merge: @escaping (Element, Element) -> Element) {
        self.limit = limit
        self.merge = merge
    }

    mutating func append(_ element: Element) {
        elements.append(element)
        guard elements.count > limit else { return }
        var merged: [Element] = []
        merged.reserveCapacity(elements.count / 2 + 1)
        var index = 0
        while index + 1 < elements.count {
            merged.append(merge(elements[index], elements[index + 1]))
            index += 2
        }
        if index < elements.count { merged.append(elements[index]) }
        elements = merged
    }
}

/// A list of which only the first `limit` are kept, and how many there were.
struct CappedList<Element> {
    let limit: Int
    private(set) var elements: [Element] = []
    private(set) var total = 0

    init(limit: Int) {
        self.limit = limit
    }

    mutating func append(_ element: Element) {
        total += 1
        if elements.count < limit { elements.append(element) }
    }

    /// Changes the last one kept.
    mutating func updateLast(_ change: (inout Element) -> Void) {
        guard !elements.isEmpty else { return }
        change(&elements[elements.count - 1])
    }
}

import Foundation

/// Who wrote a readings journal: one console process following one incident.
public struct JournalHeader: Sendable, Equatable {
    /// The format's version; a reader refuses newer ones.
    public static let version = 1

    public var incident: String
    /// The console's name, unique in the incident: its file is `<console>.jsonl`.
    public var console: String
    public var actor: String
    public var host: String
    public var pid: Int32
    public var started: Date

    public init(incident: String, console: String, actor: String, host: String, pid: Int32, started: Date) {
        self.incident = incident
        self.console = console
        self.actor = actor
        self.host = host
        self.pid = pid
        self.started = started
    }
}

/// One line of a readings journal: who wrote it (first), what the console held when it began
/// (second), then every probe reading it applied, in order.
public enum JournalLine: Sendable, Equatable {
    case header(JournalHeader)
    case snapshot(SiteSnapshot)
    case reading(ProbeResult)
}

/// A line that is not a journal line, and why.
public struct JournalLineProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Writes journal lines compactly: one JSON object a line, times in milliseconds since 1970,
/// and each reading written as what changed since the probe's previous one (its status always;
/// its summary, details and metrics only when they changed). A snapshot line starts every
/// probe afresh. 100 probes read every 10 s for 8 hours stay well under 50 MB.
///
/// A reading line's keys: `t` time, `p` probe, `s` status, `ms` how long it took, `u` summary,
/// `d` details, `m` changed metric values by name (the same names in the same order as
/// before), `M` the whole metric list (when the names changed), `k` when its kept figures were
/// read. A value is a number, `[number, "unit"]`, or a string for a text value; in `m`, a bare
/// number keeps the unit the metric had.
public struct JournalEncoder: Sendable {
    private var previous: [String: ProbeObservation] = [:]
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        // The same reading gives the same bytes, whatever the run.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public init() {}

    /// Makes the next reading of every probe a whole one: the readings before it were not all
    /// written.
    public mutating func forgetPrevious() {
        previous = [:]
    }

    /// The line for `line`, with its newline.
    public mutating func encode(_ line: JournalLine) -> [UInt8] {
        let data: Data?
        switch line {
        case .header(let header):
            data = try? encoder.encode(WireHeader(header))
        case .snapshot(let snapshot):
            previous = snapshot.latestObservations
            data = try? encoder.encode(WireSnapshotLine(snapshot))
        case .reading(let result):
            data = try? encoder.encode(WireReading(result, after: previous[result.probeID]))
            previous[result.probeID] = result.observation
        }
        // The wire types hold only strings, integers and finite numbers: encoding cannot fail.
        return Array(data ?? Data("{}".utf8)) + [UInt8(ascii: "\n")]
    }
}

/// Reads journal lines back, undoing the encoder's deltas.
public struct JournalDecoder: Sendable {
    private var previous: [String: ProbeObservation] = [:]
    private let decoder = JSONDecoder()

    public init() {}

    /// Decodes one line (without its newline).
    public mutating func decode(_ line: some Collection<UInt8>) -> Result<JournalLine, JournalLineProblem> {
        if let reading = ReadingLineParser.parse(line) {
            let result = reading.result(after: previous[reading.p])
            previous[reading.p] = result.observation
            return .success(.reading(result))
        }
        return decodeGenerally(line)
    }

    /// Decodes a line with a general JSON parser: the header and snapshots, and any line the
    /// reading parser gives up on (it then says what is wrong with it).
    mutating func decodeGenerally(_ line: some Collection<UInt8>) -> Result<JournalLine, JournalLineProblem> {
        let data = Data(line)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return .failure(JournalLineProblem("not valid JSON"))
        }
        // Readings are nearly every line: read straight from the parsed object. The header and
        // snapshots, one each, go through their Codable types.
        guard object["journal"] != nil || object["snapshot"] != nil else {
            do {
                let reading = try WireReading(object)
                let result = reading.result(after: previous[reading.p])
                previous[reading.p] = result.observation
                return .success(.reading(result))
            } catch {
                return .failure(error)
            }
        }
        let wire: WireLine
        do {
            wire = try decoder.decode(WireLine.self, from: data)
        } catch {
            return .failure(JournalLineProblem("not a journal line: \(Self.describe(error))"))
        }
        switch wire {
        case .header(let header):
            guard header.journal <= JournalHeader.version else {
                return .failure(JournalLineProblem("journal format \(header.journal) is newer than this switchboard reads (\(JournalHeader.version))"))
            }
            return .success(.header(header.header))
        case .snapshot(let line):
            let snapshot = line.siteSnapshot
            previous = snapshot.latestObservations
            return .success(.snapshot(snapshot))
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "'\(key.stringValue)' is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        default: "\(error)"
        }
    }
}

// MARK: - On the wire

private struct WireHeader: Codable {
    var journal: Int
    var incident: String
    var console: String
    var actor: String
    var host: String
    var pid: Int32
    var started: Int64

    init(_ header: JournalHeader) {
        journal = JournalHeader.version
        incident = header.incident
        console = header.console
        actor = header.actor
        host = header.host
        pid = header.pid
        started = header.started.millisecondsSince1970
    }

    var header: JournalHeader {
        JournalHeader(incident: incident, console: console, actor: actor, host: host, pid: pid,
                      started: Date(millisecondsSince1970: started))
    }
}

/// A metric's value: a bare number, `[number, "unit"]`, or a string. A number that is not
/// finite is written as a string inside the array form (`["NaN", ""]`), as JSON has no NaN.
/// A change of value (`m`) leaves out a unit that did not change: a bare number there keeps the
/// unit the metric had.
struct WireValue: Codable, Equatable {
    var value: MetricValue
    /// A bare number: its unit is none, or (in a change) the one the metric had.
    var bare: Bool

    /// A value in a whole list: a number without a unit is bare.
    init(_ value: MetricValue) {
        self.value = value
        if case .number(let number, let unit) = value { bare = unit.isEmpty && number.isFinite } else { bare = false }
    }

    /// A changed value: a number whose unit did not change is bare.
    init(_ value: MetricValue, unitKnownFrom old: MetricValue) {
        self.value = value
        if case .number(let number, let unit) = value, case .number(_, let oldUnit) = old {
            bare = unit == oldUnit && number.isFinite
        } else {
            bare = false
        }
    }

    var metricValue: MetricValue { value }

    init(value: MetricValue, bare: Bool) {
        self.value = value
        self.bare = bare
    }

    /// A value as JSONSerialization parsed it.
    init(parsed: Any, key: String) throws(JournalLineProblem) {
        if let text = parsed as? String {
            value = .text(text)
            bare = false
        } else if let number = parsed as? NSNumber {
            value = .number(number.doubleValue, unit: "")
            bare = true
        } else if let pair = parsed as? [Any], pair.count == 2, let unit = pair[1] as? String {
            if let number = pair[0] as? NSNumber {
                value = .number(number.doubleValue, unit: unit)
            } else if let text = pair[0] as? String, let number = Double(text) {
                value = .number(number, unit: unit)
            } else {
                throw JournalLineProblem("not a journal line: '\(key)' is not a value")
            }
            bare = false
        } else {
            throw JournalLineProblem("not a journal line: '\(key)' is not a value")
        }
    }

    /// The value, a bare number taking the unit of the value it changes.
    func metricValue(unitKnownFrom old: MetricValue) -> MetricValue {
        guard bare, case .number(let number, _) = value, case .number(_, let unit) = old else { return value }
        return .number(number, unit: unit)
    }

    func encode(to encoder: Encoder) throws {
        switch value {
        case .text(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .number(let number, _) where bare:
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .number(let number, let unit):
            var container = encoder.unkeyedContainer()
            if number.isFinite { try container.encode(number) } else { try container.encode(String(number)) }
            try container.encode(unit)
        }
    }

    init(from decoder: Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            let number: Double
            if let finite = try? array.decode(Double.self) {
                number = finite
            } else {
                let text = try array.decode(String.self)
                guard let parsed = Double(text) else {
                    throw DecodingError.dataCorruptedError(in: array, debugDescription: "not a number: \(text)")
                }
                number = parsed
            }
            value = .number(number, unit: try array.decode(String.self))
            bare = false
            return
        }
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = .number(number, unit: "")
            bare = true
        } else {
            value = .text(try container.decode(String.self))
            bare = false
        }
    }
}

/// A metric in a whole list: `[name, value]`, the value as in `WireValue`.
struct WireMetric: Codable {
    var metric: Metric

    init(_ metric: Metric) { self.metric = metric }

    func encode(to encoder: Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(metric.name)
        try container.encode(WireValue(metric.value))
    }

    init(from decoder: Decoder) throws {
        var container = try decoder.unkeyedContainer()
        metric = Metric(name: try container.decode(String.self), value: try container.decode(WireValue.self).metricValue)
    }
}

struct WireReading: Codable {
    var t: Int64
    var p: String
    var s: ProbeStatus
    var ms: Int64?
    var u: String?
    var d: String?
    var m: [String: WireValue]?
    var M: [WireMetric]?
    var k: Int64?

    init(t: Int64, p: String, s: ProbeStatus, ms: Int64?, u: String?, d: String?, m: [String: WireValue]?, M: [WireMetric]?, k: Int64?) {
        (self.t, self.p, self.s, self.ms, self.u, self.d, self.m, self.M, self.k) = (t, p, s, ms, u, d, m, M, k)
    }

    /// `result` as what changed since `before` (everything, when there is nothing before).
    init(_ result: ProbeResult, after before: ProbeObservation?) {
        let observation = result.observation
        t = result.at.millisecondsSince1970
        p = result.probeID
        s = observation.status
        let milliseconds = Int64(Int(saturating: (result.duration.seconds * 1000).rounded()))
        ms = milliseconds == 0 ? nil : milliseconds
        // With nothing before, the reading is written whole (empty details and metrics too): a
        // reader may remember a reading from before a gap, and must not fill this one from it.
        u = observation.summary == before?.summary ? nil : observation.summary
        d = before != nil && observation.details == before?.details ? nil : observation.details
        k = observation.keptFrom?.millisecondsSince1970
        let names = observation.metrics.map(\.name)
        if let before, before.metrics.map(\.name) == names, Set(names).count == names.count {
            let changed = zip(before.metrics, observation.metrics).filter { $0.value != $1.value }.map { old, new in
                (new.name, WireValue(new.value, unitKnownFrom: old.value))
            }
            m = changed.isEmpty ? nil : Dictionary(changed, uniquingKeysWith: { _, last in last })
        } else {
            M = observation.metrics.map(WireMetric.init)
        }
    }

    /// Reads a reading from its parsed JSON object, checking each key's type.
    init(_ object: [String: Any]) throws(JournalLineProblem) {
        func number(_ key: String) throws(JournalLineProblem) -> Int64? {
            guard let value = object[key] else { return nil }
            guard let number = value as? NSNumber else { throw JournalLineProblem("not a journal line: '\(key)' has the wrong type") }
            return number.int64Value
        }
        func text(_ key: String) throws(JournalLineProblem) -> String? {
            guard let value = object[key] else { return nil }
            guard let text = value as? String else { throw JournalLineProblem("not a journal line: '\(key)' has the wrong type") }
            return text
        }
        func required<T>(_ value: T?, _ key: String) throws(JournalLineProblem) -> T {
            guard let value else { throw JournalLineProblem("not a journal line: '\(key)' is missing") }
            return value
        }
        t = try required(try number("t"), "t")
        p = try required(try text("p"), "p")
        guard let status = ProbeStatus(rawValue: try required(try text("s"), "s")) else {
            throw JournalLineProblem("not a journal line: 's' is not a status")
        }
        s = status
        ms = try number("ms")
        u = try text("u")
        d = try text("d")
        k = try number("k")
        if let changed = object["m"] {
            guard let changed = changed as? [String: Any] else { throw JournalLineProblem("not a journal line: 'm' has the wrong type") }
            var values: [String: WireValue] = [:]
            for (name, value) in changed { values[name] = try WireValue(parsed: value, key: "m.\(name)") }
            m = values
        }
        if let list = object["M"] {
            guard let list = list as? [Any] else { throw JournalLineProblem("not a journal line: 'M' has the wrong type") }
            M = try list.map { item throws(JournalLineProblem) in
                guard let pair = item as? [Any], pair.count == 2, let name = pair[0] as? String else {
                    throw JournalLineProblem("not a journal line: 'M' holds something other than [name, value]")
                }
                return WireMetric(Metric(name: name, value: try WireValue(parsed: pair[1], key: "M.\(name)").value))
            }
        }
    }

    func result(after before: ProbeObservation?) -> ProbeResult {
        var metrics = M.map { $0.map(\.metric) } ?? before?.metrics ?? []
        if let m {
            for index in metrics.indices {
                if let value = m[metrics[index].name] { metrics[index].value = value.metricValue(unitKnownFrom: metrics[index].value) }
            }
        }
        let observation = ProbeObservation(status: s, summary: u ?? before?.summary ?? "", details: d ?? before?.details ?? "",
                                           metrics: metrics, keptFrom: k.map(Date.init(millisecondsSince1970:)))
        return ProbeResult(probeID: p, observation: observation, at: Date(millisecondsSince1970: t),
                           duration: .milliseconds(ms ?? 0))
    }
}

/// A history entry: `[t, status, value or null, summary]`.
private struct WireHistoryEntry: Codable {
    var entry: ProbeHistoryEntry

    init(_ entry: ProbeHistoryEntry) { self.entry = entry }

    func encode(to encoder: Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(entry.at.millisecondsSince1970)
        try container.encode(entry.status)
        if let value = entry.value, value.isFinite { try container.encode(value) } else { try container.encodeNil() }
        try container.encode(entry.summary)
    }

    init(from decoder: Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let at = Date(millisecondsSince1970: try container.decode(Int64.self))
        let status = try container.decode(ProbeStatus.self)
        let value = try container.decodeNil() ? nil : try container.decode(Double.self)
        entry = ProbeHistoryEntry(at: at, status: status, summary: try container.decode(String.self), value: value)
    }
}

private struct WireProbe: Codable {
    var p: String
    var latest: WireReading?
    var hard: ProbeStatus?
    var streak: Int?
    var since: Int64?
    var stale: Bool?
    var history: [WireHistoryEntry]

    init(_ probe: SiteSnapshot.Probe) {
        p = probe.id
        latest = probe.latest.map { WireReading($0, after: nil) }
        hard = probe.hardStatus
        streak = probe.problemStreak == 0 ? nil : probe.problemStreak
        since = probe.since?.millisecondsSince1970
        stale = probe.staleRecorded ? true : nil
        history = probe.history.map(WireHistoryEntry.init)
    }

    var probe: SiteSnapshot.Probe {
        SiteSnapshot.Probe(id: p, latest: latest?.result(after: nil), hardStatus: hard, problemStreak: streak ?? 0,
                           since: since.map(Date.init(millisecondsSince1970:)), history: history.map(\.entry),
                           staleRecorded: stale ?? false)
    }
}

private struct WireSnapshotLine: Codable {
    struct Body: Codable {
        var started: Int64
        var probes: [WireProbe]
    }

    var t: Int64
    var snapshot: Body

    init(_ snapshot: SiteSnapshot) {
        t = snapshot.at.millisecondsSince1970
        self.snapshot = Body(started: snapshot.startedAt.millisecondsSince1970, probes: snapshot.probes.map(WireProbe.init))
    }

    var siteSnapshot: SiteSnapshot {
        SiteSnapshot(at: Date(millisecondsSince1970: t), startedAt: Date(millisecondsSince1970: snapshot.started),
                     probes: snapshot.probes.map(\.probe))
    }
}

/// The header (it has `journal`) or a snapshot line.
private enum WireLine: Decodable {
    case header(WireHeader)
    case snapshot(WireSnapshotLine)

    private enum Key: String, CodingKey { case journal }

    init(from decoder: Decoder) throws {
        if try decoder.container(keyedBy: Key.self).contains(.journal) {
            self = .header(try WireHeader(from: decoder))
        } else {
            self = .snapshot(try WireSnapshotLine(from: decoder))
        }
    }
}

extension SiteSnapshot {
    /// Each probe's latest observation: what the readings after a snapshot line are written against.
    fileprivate var latestObservations: [String: ProbeObservation] {
        Dictionary(probes.compactMap { probe in probe.latest.map { (probe.id, $0.observation) } }, uniquingKeysWith: { _, last in last })
    }
}

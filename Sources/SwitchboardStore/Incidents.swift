import Foundation
import SwitchboardCore

extension StateDirectory {
    /// A new incident id: the UTC date and time it was opened and a slug of its title, such as
    /// `20261123-2054-ups-on-battery`; sortable, readable, and unique in this directory.
    public func newIncidentID(title: String, at date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let stamp = String(format: "%04d%02d%02d-%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                           parts.hour ?? 0, parts.minute ?? 0)
        var slug = ""
        for character in title.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                slug.append(character)
            } else if !slug.hasSuffix("-"), !slug.isEmpty {
                slug.append("-")
            }
        }
        slug = String(slug.prefix(32)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        let base = "\(stamp)-\(slug.isEmpty ? "incident" : slug)"
        var candidate = base
        var number = 2
        while FileManager.default.fileExists(atPath: logPath(for: candidate)) {
            candidate = "\(base)-\(number)"
            number += 1
        }
        return candidate
    }

    /// Reads a log without changing it (no repair, no lock held longer than the read) and folds
    /// it into its incident's state.
    public func readIncident(_ id: String) throws -> IncidentState {
        var folder = IncidentFolder(path: logPath(for: id))
        try readRecords(of: id) { try folder.add($0) }
        return try folder.finish()
    }

    /// Every record of an incident's log, in order, each checked in its place in the chain.
    public func records(of id: String) throws -> [LogRecord] {
        var records: [LogRecord] = []
        try readRecords(of: id) { records.append($0) }
        return records
    }

    /// Reads a log's records in order without changing the file (no repair, a shared lock
    /// held only while reading); a damaged line fails with the path and why.
    private func readRecords(of id: String, _ each: (LogRecord) throws -> Void) throws {
        let path = logPath(for: id)
        let descriptor = try openRegularFile(path, O_RDONLY, missing: StoreError("no incident '\(id)' in \(incidentsPath)"))
        defer { close(descriptor) }
        flock(descriptor, LOCK_SH)
        defer { flock(descriptor, LOCK_UN) }
        var verifier = ChainVerifier()
        var lineNumber = 0
        _ = try LogLines.read(descriptor, from: 0, path: path) { line, _ in
            lineNumber += 1
            switch verifier.check(line, lineNumber: lineNumber) {
            case .success(let record): try each(record)
            case .failure(let problem): throw StoreError("\(path): \(problem.message)")
            }
        }
    }

    /// Opens an incident's log for appending and folds what it holds, repairing its last line
    /// (reported in the result).
    public func resumeIncident(_ id: String, now: Date = Date()) throws
        -> (state: IncidentState, log: IncidentLogFile, repaired: IncidentLogFile.Repair?) {
        let log = try IncidentLogFile.open(in: self, incident: id)
        var folder = IncidentFolder(path: log.path)
        var failure: Error?
        let repaired = try log.readNew(now: now) { record in
            guard failure == nil else { return }
            do { try folder.add(record) } catch { failure = error }
        }
        if let failure { throw failure }
        return (try folder.finish(), log, repaired)
    }

    /// Every incident in the directory, newest first; unreadable ones with the reason.
    public func incidents() -> [(id: String, state: Result<IncidentState, StoreError>)] {
        incidentIDs().map { id in
            do { return (id, .success(try readIncident(id))) } catch let error as StoreError {
                return (id, .failure(error))
            } catch {
                return (id, .failure(StoreError("\(error)")))
            }
        }
    }

    /// The open incidents, newest first, and the logs that could not be read (one of them may
    /// be open: whoever looks for an open incident must hear of them).
    public func openIncidents() -> (open: [IncidentState], unreadable: [(id: String, problem: StoreError)]) {
        var open: [IncidentState] = []
        var unreadable: [(id: String, problem: StoreError)] = []
        for (id, state) in incidents() {
            switch state {
            case .success(let incident): if incident.isOpen { open.append(incident) }
            case .failure(let problem): unreadable.append((id, problem))
            }
        }
        return (open, unreadable)
    }

    /// Starts a new incident: creates its log and writes `incident.opened`, then the probe
    /// changes seen before it was declared.
    public func openIncident(title: String, severity: Severity, actor: String, at date: Date,
                             earlierChanges: [LogEntry] = []) throws -> (state: IncidentState, log: IncidentLogFile) {
        try openIncident(LogEntry(kind: LogKind.opened, actor: actor, role: "incident commander", at: date,
                                  fields: ["title": .string(title), "severity": .string(severity.rawValue)]),
                         earlierChanges: earlierChanges)
    }

    /// Starts a new incident (or drill) with `opening`, its `incident.opened` record.
    public func openIncident(_ opening: LogEntry, earlierChanges: [LogEntry] = []) throws -> (state: IncidentState, log: IncidentLogFile) {
        let id = newIncidentID(title: opening["title"]?.string ?? "incident", at: opening.at)
        let log = try IncidentLogFile.create(in: self, incident: id)
        let opened = try log.append(opening)
        guard var state = opened.records.last.flatMap(IncidentState.init(opening:)) else {
            throw StoreError("\(log.path): could not read back the incident it opened")
        }
        for change in earlierChanges {
            for record in try log.append(change).records { state.apply(record) }
        }
        return (state, log)
    }
}

/// Folds a log's records, in order, into its incident's state.
private struct IncidentFolder {
    let path: String
    var state: IncidentState?

    init(path: String) {
        self.path = path
    }

    mutating func add(_ record: LogRecord) throws {
        if state == nil {
            guard let opened = IncidentState(opening: record) else {
                throw StoreError("\(path): the first record is '\(record.kind)', not '\(LogKind.opened)'")
            }
            state = opened
        } else {
            state?.apply(record)
        }
    }

    func finish() throws -> IncidentState {
        guard let state else { throw StoreError("\(path): the log is empty") }
        return state
    }
}

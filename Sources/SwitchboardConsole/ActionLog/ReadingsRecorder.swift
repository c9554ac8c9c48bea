import Foundation
import SwitchboardCore
import SwitchboardStore

/// This console's readings journal for the followed incident. Used only on the action-log
/// writer's queue, which appends the seals it makes to the log.
final class ReadingsRecorder {
    /// The console process the journal belongs to.
    struct Identity: Sendable {
        var actor: String
        var host: String
        var pid: Int32
        var started: Date

        /// `20261127-140552-host-1234`: sortable by start, unique on the machine.
        var consoleName: String {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: started)
            let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                               parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
            let safeHost = String(host.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") ? $0 : "_" }.prefix(64))
            return "\(stamp)-\(safeHost)-\(pid)"
        }

        static func current(actor: String, started: Date) -> Identity {
            Identity(actor: actor, host: ProcessInfo.processInfo.hostName, pid: getpid(), started: started)
        }
    }

    private let directory: StateDirectory
    private let identity: Identity
    private(set) var journal: ReadingsJournalFile?

    init(directory: StateDirectory, identity: Identity) {
        self.directory = directory
        self.identity = identity
    }

    /// Starts this console's journal for `incident` with what the console holds now; returns the
    /// seal of that beginning.
    func begin(incident: String, snapshot: SiteSnapshot) throws -> JournalSeal? {
        journal = nil
        let header = JournalHeader(incident: incident, console: identity.consoleName, actor: identity.actor,
                                   host: identity.host, pid: identity.pid, started: identity.started)
        let journal = try ReadingsJournalFile.create(in: directory, header: header)
        journal.append(.snapshot(snapshot))
        self.journal = journal
        return try journal.seal()
    }

    func record(_ reading: ProbeResult) {
        journal?.append(.reading(reading))
    }

    func flush() throws {
        try journal?.flush()
    }

    /// Writes, syncs and seals what was recorded; nil when there is nothing new to seal.
    func seal() throws -> JournalSeal? {
        try journal?.seal()
    }

    func end() {
        journal = nil
    }
}

/// The journals consoles before this one left for an incident: what the last of them held, for
/// a restarted console to take up. Reads files only; safe on any queue.
struct EarlierJournals: Sendable {
    /// The site's probes, to fold a journal back into the site it describes.
    struct Site: Sendable {
        var name: String
        var isDemo: Bool
        var specs: [ProbeSpec]
    }

    let directory: StateDirectory
    let site: Site

    /// What the console that wrote the newest journal of `incident` held when it stopped: a
    /// restarted console takes each probe's history and since-when from it.
    func restore(incident: String) -> SiteSnapshot? {
        let newest = directory.journals(of: incident).max { modified($0) < modified($1) }
        guard let newest, let held = try? JournalContents.finalSite(of: newest, in: directory, siteName: site.name,
                                                                   isDemo: site.isDemo, specs: site.specs) else { return nil }
        return SiteSnapshot(held)
    }

    private func modified(_ name: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: directory.journalPath(name)))?[.modificationDate] as? Date) ?? .distantPast
    }
}

import Dispatch
import Foundation
import SwitchboardCore
import SwitchboardStore

/// Feeds a player's console in a drill: the readings the facilitator's console applied, read
/// from its readings journal as it grows (inotify on the readings folder, no polling), so every
/// player sees the panes the scenario drives, in the order the facilitator saw them. The player
/// runs no probes of its own.
final class JournalFeed: @unchecked Sendable {
    private let folder: String
    private let incidentsPath: String
    private let facilitator: String
    private let queue = DispatchQueue(label: "switchboard.journal-feed")
    private let post: @Sendable (SiteEvent) -> Void
    private var reader: JournalReader?
    private var watch: DirectoryWatch?

    /// Follows the journal of `facilitator`'s console for `incident` in `directory`.
    init(directory: StateDirectory, incident: String, facilitator: String, post: @escaping @Sendable (SiteEvent) -> Void) {
        folder = directory.journalFolder(for: incident)
        incidentsPath = directory.incidentsPath
        self.facilitator = facilitator
        self.post = post
    }

    func start() {
        queue.async { [self] in
            // The folder exists once the facilitator's console (or this one) begins its journal.
            if mkdir(folder, 0o700) != 0, errno != EEXIST { return }
            watch = try? DirectoryWatch(path: folder, queue: queue) { [weak self] _ in self?.readNew() }
            readNew()
        }
    }

    func stop() {
        queue.sync { watch = nil }
    }

    /// Reads what the facilitator's journal gained; finds the journal first.
    private func readNew() {
        if reader == nil { reader = findJournal() }
        guard var current = reader else { return }
        _ = try? current.readNew { [post] line in
            switch line {
            case .snapshot(let snapshot): post(.restored(snapshot))
            case .reading(let reading): post(.probeResult(reading))
            case .header: break
            }
        }
        reader = current
    }

    /// The facilitator's journal: the first in the folder (they are named by when they began)
    /// whose console is theirs.
    private func findJournal() -> JournalReader? {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
        for name in names {
            var candidate = JournalReader(path: folder + "/" + name)
            _ = try? candidate.readNew(limit: 1) { _ in }
            // Not this console's own, if its person facilitates too.
            if let header = candidate.header, header.actor == facilitator, header.pid != getpid() || header.host != ProcessInfo.processInfo.hostName {
                return JournalReader(path: folder + "/" + name)
            }
        }
        return nil
    }
}

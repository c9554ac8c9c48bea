import Foundation
import SwitchboardCore
import SwitchboardProbes
import SwitchboardStore

/// What runs beside a drill console's loop. On the facilitator's: the injects, each posted when
/// the scenario clock reaches its time (a pause holds them, a jump brings them), then the end of
/// the scenario's time. On a player's:
/// the facilitator's readings, fed from its journal, and the scenario clock set as the
/// facilitator's controls in the log say.
final class DrillTasks: @unchecked Sendable {
    private let role: ConsoleRunLoop.DrillRole?
    private var injects: Task<Void, Never>?
    private var feed: JournalFeed?

    init(_ role: ConsoleRunLoop.DrillRole?, directory: StateDirectory, incident: String?, post: @escaping @Sendable (ConsoleInput) -> Void) {
        self.role = role
        switch role {
        case .facilitator(let playback)?:
            injects = Task {
                await playback.postInjectsOnTime { post(.drill(.injectDue($0))) }
                let end = playback.clock.epoch.addingTimeInterval(playback.scenario.duration)
                do { try await playback.clock.sleep(until: end) } catch { return }
                post(.drill(.scenarioEnded))
            }
        case .player(_, let facilitator)?:
            guard let incident else { break }
            feed = JournalFeed(directory: directory, incident: incident, facilitator: facilitator) { post(.site($0)) }
            feed?.start()
        case nil:
            break
        }
    }

    /// The incident as the log now tells it: the facilitator's playback takes the injects it
    /// says were played; a player's clock runs as the last control set it.
    func follow(_ incident: IncidentState?) {
        guard let progress = incident?.drill else { return }
        switch role {
        case .facilitator(let playback)?: playback.sync(progress.fired)
        case .player(let clock, _)?: if clock.setting != progress.setting { clock.follow(progress.setting) }
        case nil: break
        }
    }

    func stop() {
        injects?.cancel()
        feed?.stop()
    }
}

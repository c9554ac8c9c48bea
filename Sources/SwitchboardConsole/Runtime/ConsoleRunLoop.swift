import Dispatch
import Foundation
import Glibc
import Logging
import SwitchboardCore
import SwitchboardProbes
import SwitchboardStore
import TerminalUI

/// The console's owner: the only code that touches the terminal and the state.
///
/// It blocks in `poll()` on the terminal's input and the event inbox, with a timeout that is the
/// next due timer (the once-a-second clock, or a frame held back by the frame-rate cap). Probes,
/// the action-log writer and signal handlers only post events to the inbox. Every input is sent
/// to the `Console` at once, and the run loop performs the effects it returns: log requests and
/// journal lines go to the writer, `$EDITOR` gets the terminal, a quit stops the loop.
/// What the person did (keys, resizes) and what the log reports are drawn within one frame, at
/// most 20 a second; probe results are drawn with the next clock second, so an idle console
/// draws once a second however many probes report, and the backend writes only the cells that
/// changed.
public final class ConsoleRunLoop {
    /// Why the console stopped.
    public enum Exit: Equatable, Sendable {
        case quit
        case signal(Int32)
        case terminalClosed
        /// The drill this console was in was closed: a drill's console has nothing left to do.
        case drillClosed(String)
    }

    enum RuntimeEvent: Sendable {
        case input(ConsoleInput)
        case signal(Int32)
    }

    /// At most 20 frames a second.
    static let frameInterval: TimeInterval = 0.05
    /// Where incidents are kept, who is at the console, and which incident to follow (nil: the
    /// newest open one).
    public struct IncidentSettings: Sendable {
        public var directory: StateDirectory
        public var actor: String
        public var incident: String?

        public init(directory: StateDirectory, actor: String, incident: String?) {
            self.directory = directory
            self.actor = actor
            self.incident = incident
        }
    }

    /// A console in a drill: the facilitator's plays the scenario (its clock, its injects, the
    /// probes it drives); a player's follows the facilitator's readings and clock.
    public enum DrillRole: Sendable {
        case facilitator(ScenarioPlayback)
        case player(ScenarioClock, facilitator: String)
    }

    private let config: SiteConfig
    private let runbooks: RunbookLibrary
    private let settings: IncidentSettings
    private let clock: any ConsoleClock
    private let drill: DrillRole?
    private let logger: Logger
    private let inbox: EventInbox<RuntimeEvent>
    /// The console asked to stop (`q`, confirmed).
    private var quitRequested = false
    /// Entries the log could still not write when the console stopped (disk full): the caller
    /// prints them, so nothing typed is silently lost.
    public private(set) var unsavedAtExit: [LogEntry] = []

    /// `clock` is the one time the console runs on: its ticks, the probes' pace, every age and
    /// deadline on screen.
    /// In a drill, `drill` says whose console it is, and `clock` is the drill's scenario clock.
    public init(config: SiteConfig, runbooks: RunbookLibrary, settings: IncidentSettings, clock: any ConsoleClock = WallClock(),
                drill: DrillRole? = nil, logger: Logger) throws {
        self.config = config
        self.runbooks = runbooks
        self.settings = settings
        self.clock = clock
        self.drill = drill
        self.logger = logger
        self.inbox = try EventInbox()
    }

    /// Runs the console until the user quits or a signal ends it. Signal handling is installed
    /// before the terminal is created, so curses does not install its own.
    public func run(startedAt: ContinuousClock.Instant, makeBackend: () throws -> TerminalBackend) throws -> Exit {
        let inbox = self.inbox
        let signals = TerminalSignals { inbox.post(.signal($0)) }
        defer { signals.remove() }
        let backend = try makeBackend()
        defer { backend.shutdown() }

        let theme = Theme.make(color: backend.supportsColor, unicode: backend.supportsUnicode)
        let view = ConsoleView(theme: theme)
        let clock = self.clock
        let started = clock.now()
        var playback: ScenarioPlayback? { if case .facilitator(let playback)? = drill { playback } else { nil } }
        let specs = config.probes.map(\.spec)
        var initial = ConsoleState(
            site: SiteState(siteName: config.site, isDemo: config.isDemo, specs: specs, startedAt: started),
            size: backend.size, actor: settings.actor, library: SiteLibrary(runbooks: runbooks, reference: config.reference,
                                                                            scenario: playback?.scenario))
        if playback != nil, let id = settings.incident {
            // What the players need to join, until the facilitator presses a key.
            initial.viewer.notice = Notice(text: "join: switchboard --incident \(id)", isProblem: false)
        }
        if let broken = runbooks.broken.first {
            let more = runbooks.broken.count > 1 ? " (and \(runbooks.broken.count - 1) more)" : ""
            initial.viewer.notice = Notice(text: "runbook broken\(more): \(broken.problems.first?.description ?? broken.file) · r lists it",
                                           isProblem: true)
        }
        var console = Console(initial)

        _ = present(view, console.state, on: backend)
        var lastFrame = Date()
        logger.info("first frame drawn", metadata: [
            "ms_since_start": "\(Int(((ContinuousClock.now - startedAt).seconds * 1000).rounded()))",
            "unix_ms": "\(Int64((lastFrame.timeIntervalSince1970 * 1000).rounded()))",
            "size": "\(backend.size)",
        ])

        let writer = ActionLogWriter(
            directory: settings.directory,
            console: .init(actor: settings.actor, started: started, siteName: config.site, isDemo: config.isDemo, specs: specs),
            journalFlushInterval: playback == nil ? ActionLogWriter.journalFlushInterval : ActionLogWriter.drillJournalFlushInterval,
            now: { clock.now() }, post: { event in inbox.post(.input(.log(event))) })
        writer.start(resuming: settings.incident)
        defer {
            unsavedAtExit = writer.finish()
            if !unsavedAtExit.isEmpty { logger.error("entries not written", metadata: ["count": "\(unsavedAtExit.count)"]) }
        }

        var nextTick = Self.nextWholeSecond(after: clock.now())
        /// Something the person did is not on screen yet: draw within a frame. (Probe results
        /// need no flag while the clock runs: its tick, at most a second away, draws them; on a
        /// clock that stands still, a drill's paused scenario clock, they draw themselves.)
        var dirty = false
        var fullRedraw = false
        /// SIGINTs that arrived while the editor had the terminal were the editor's.
        var interruptsToIgnore = false

        // A player's console runs no probes: it follows what the facilitator's console read.
        let scheduler = ProbeScheduler(probes: drill.map { if case .player = $0 { [] } else { config.probes } } ?? config.probes, clock: clock)
        scheduler.start { result in inbox.post(.input(.site(.probeResult(result)))) }
        defer { scheduler.stop() }
        /// The drill followed, and whether it was closed: the console then ends.
        var drillIncident: String?
        var drillClosed: String?
        let drillTasks = DrillTasks(drill, directory: settings.directory, incident: settings.incident) { inbox.post(.input($0)) }
        defer { drillTasks.stop() }

        /// Folds an input in and performs the effects it asks for.
        func send(_ input: ConsoleInput) {
            // An inject or a clock control is logged at the scenario time it happened, not the last tick.
            if case .drill = input { send(.site(.clock(clock.now()))) }
            for effect in console.send(input) {
                switch effect {
                case .log(let request): writer.submit(request)
                case .journal(let request): writer.journal(request)
                case .editText(let text): runEditor(on: text)
                case .quit: quitRequested = true
                case .drillClock(let request):
                    guard let playback else { break }
                    playback.clock.apply(request)
                    send(.drill(.clockSet(action: request.action, playback.clock.setting)))
                case .injectPlayed(let number):
                    guard let playback else { break }
                    // The probes it drives read again at once, not at their next turn.
                    for result in playback.play(number, specs: specs) { send(.site(.probeResult(result))) }
                }
            }
            if case .log = input {
                drillTasks.follow(console.state.incident)
                if let incident = console.state.incident, incident.isDrill { drillIncident = incident.id }
                if drill != nil, let id = drillIncident, console.state.incident == nil { drillClosed = id }
            }
        }

        /// Lends the terminal to `$EDITOR`. Probe results and log events wait in the inbox
        /// meanwhile; a Ctrl-C meant for the editor does not stop the console.
        func runEditor(on text: String) {
            logger.info("editor started")
            backend.suspend()
            let edited = ExternalEditor.edit(text)
            backend.resume()
            interruptsToIgnore = true
            send(.editorFinished(text: edited.text, problem: edited.problem))
            fullRedraw = true
        }

        while true {
            var timeout: Int32 = 60_000
            if let untilTick = clock.realTime(until: nextTick) {
                timeout = Int32(max(0, min(60_000, (untilTick * 1000).rounded(.up))))
            }
            if dirty {
                let untilFrame = lastFrame.addingTimeInterval(Self.frameInterval).timeIntervalSinceNow
                timeout = min(timeout, Int32(max(0, (untilFrame * 1000).rounded(.up))))
            }

            var descriptors = [
                pollfd(fd: backend.inputDescriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, timeout)
            if ready < 0, errno != EINTR {
                logger.error("poll failed", metadata: ["errno": "\(errno)"])
                return .terminalClosed
            }

            // A hung-up terminal also reports POLLIN, with nothing to read: check for it first, or
            // the loop would spin on an empty read.
            if descriptors[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                logger.notice("terminal closed")
                return .terminalClosed
            }
            if descriptors[0].revents & Int16(POLLIN) != 0 {
                let keys = backend.readKeys()
                // What a key logs is stamped with the time it was pressed, not the last clock second.
                if !keys.isEmpty { send(.site(.clock(clock.now()))) }
                for key in keys {
                    if key == .control("l") { fullRedraw = true }
                    send(.key(key))
                    dirty = true
                }
            }

            if descriptors[1].revents & Int16(POLLIN) != 0 {
                for event in inbox.drain() {
                    switch event {
                    case .input(let input):
                        send(input)
                        if case .log = input { dirty = true }
                        if case .site = input, clock.realTime(until: nextTick) == nil { dirty = true }
                    case .signal(SIGWINCH):
                        backend.refreshSize()
                        send(.resize(backend.size))
                        logger.debug("resized", metadata: ["size": "\(backend.size)"])
                        dirty = true
                    case .signal(SIGINT) where interruptsToIgnore:
                        logger.info("interrupt during the editor ignored")
                    case .signal(let number):
                        logger.notice("stopping on signal", metadata: ["signal": "\(number)"])
                        return .signal(number)
                    }
                }
                interruptsToIgnore = false
            }

            let now = clock.now()
            if now >= nextTick {
                send(.site(.clock(now)))
                nextTick = Self.nextWholeSecond(after: now)
                dirty = true
            }
            if quitRequested { return .quit }
            if let drillClosed { return .drillClosed(drillClosed) }

            if dirty, Date().timeIntervalSince(lastFrame) >= Self.frameInterval {
                if fullRedraw {
                    backend.refreshSize()
                    fullRedraw = false
                }
                // The topmost view learns how far it scrolls; a new one with the same limit too.
                if let limit = present(view, console.state, on: backend), limit != console.state.viewer.modal?.scroll?.limit {
                    send(.drawn(scrollLimit: limit))
                }
                lastFrame = Date()
                dirty = false
            }
        }
    }

    /// Draws a frame; returns how far its topmost scrolling view can scroll.
    private func present(_ view: ConsoleView, _ state: ConsoleState, on backend: TerminalBackend) -> Int? {
        let frame = view.frame(state)
        backend.present(frame.buffer)
        return frame.scrollLimit
    }

    private static func nextWholeSecond(after date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 + 0.001).rounded(.down) + 1)
    }
}

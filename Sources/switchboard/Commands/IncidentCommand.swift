import ArgumentParser
import Foundation
import SwitchboardCore
import SwitchboardStore

/// `switchboard incident open|list|close|milestone`: the incident lifecycle from any shell.
struct IncidentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident",
        abstract: "Open, list and close incidents, and set their milestones.",
        subcommands: [Open.self, List.self, Close.self, MilestoneCommand.self])

    /// A time given with `--at` or `--resolved-at` for something that has happened.
    static func pastTime(_ text: String, option: String, now: Date) throws -> Date {
        guard let time = TypedTime.parse(text, relativeTo: now, clockTime: .lastBefore(now)) else {
            throw CommandFailure("\(option): not a time: '\(text)' (try \(TypedTime.examples))", exitCode: 2)
        }
        guard time <= now else { throw CommandFailure("\(option): \(TimeText.iso8601(time)) is in the future", exitCode: 2) }
        return time
    }

    struct MilestoneCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "milestone",
            abstract: "Record a milestone of the open incident: \(Milestone.allCases.map(\.rawValue).joined(separator: ", ")).",
            discussion: """
                Set it when it happens, or later with --at. Setting one again replaces it; a correction with a \
                reason is an amendment ('a' on its record in the console).
                """)

        @Argument(help: ArgumentHelp("The milestone: \(Milestone.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "NAME"))
        var name: String

        // Unconditional: `--at -10m` is a time, not an option.
        @Option(name: .long, parsing: .unconditional,
                help: ArgumentHelp("When it happened: \(TypedTime.examples) (default: now).", valueName: "TIME"))
        var at: String?

        @Option(name: .long, help: "The incident (default: the only open one).")
        var incident: String?

        @OptionGroup var options: IncidentOptions

        func validate() throws {
            guard Milestone(rawValue: name) != nil else {
                throw ValidationError("unknown milestone '\(name)' (expected \(Milestone.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }

        func run() throws {
            let now = Date()
            let occurred = try at.map { try IncidentCommand.pastTime($0, option: "--at", now: now) } ?? now
            let id = try options.chooseIncident(incident)
            let record = try options.append(.milestone(Milestone(rawValue: name) ?? .resolved, occurredAt: occurred,
                                                       actor: options.actorName, role: nil, at: now), to: id)
            print("\(name) at \(TimeText.iso8601(occurred)) in \(id) (#\(record.seq))")
        }
    }

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open an incident and print its id.",
            discussion: "The actor who opens it holds command until it is handed over.")

        @Option(name: .long, help: "A short title, e.g. \"UPS on battery\".")
        var title = "Incident"

        @Option(name: .long, help: ArgumentHelp("sev1 (most severe) to sev4.", valueName: "SEVERITY"))
        var severity: String = Severity.sev3.rawValue

        @OptionGroup var options: IncidentOptions

        func validate() throws {
            guard Severity(rawValue: severity) != nil else {
                throw ValidationError("unknown severity '\(severity)' (expected sev1, sev2, sev3 or sev4)")
            }
            guard !title.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("the title is empty") }
        }

        func run() throws {
            do {
                let (state, _) = try options.directory.openIncident(
                    title: Sanitizer.line(title), severity: Severity(rawValue: severity) ?? .sev3,
                    actor: options.actorName, at: Date())
                print(state.id)
            } catch let error as StoreError {
                throw CommandFailure("cannot open the incident: \(error.message)", exitCode: 1)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List open and recent incidents, newest first, then drills.")

        @OptionGroup var options: IncidentOptions

        func run() throws {
            let incidents = options.directory.incidents()
            if incidents.isEmpty { print("no incidents in \(options.directory.incidentsPath)") }
            Self.list(incidents)
            // Drills live apart; players join one with --incident ID.
            let drills = options.directory.drills.incidents()
            if !drills.isEmpty {
                print("drills (players join with 'switchboard --incident ID'):")
                Self.list(drills)
            }
        }

        private static func list(_ incidents: [(id: String, state: Result<IncidentState, StoreError>)]) {
            let now = Date()
            let idWidth = incidents.map(\.id.count).max() ?? 0
            for (id, result) in incidents {
                let padded = id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
                switch result {
                case .success(let state):
                    let status = state.isOpen ? "open  " : "closed"
                    let age = TimeText.age(now.timeIntervalSince(state.openedAt))
                    print("\(padded)  \(status)  \(state.severity.rawValue)  \(age.padding(toLength: 6, withPad: " ", startingAt: 0))"
                          + "  IC \(state.commander)  \(state.title)")
                case .failure(let error):
                    print("\(padded)  unreadable: \(error.message)")
                }
            }
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close an incident with a one-line summary.",
            discussion: "Without ID, closes the only open incident. Without --summary, asks for one on a terminal.")

        @Argument(help: "The incident to close (default: the only open one).")
        var id: String?

        @Option(name: .long, help: "What happened and how it ended, in one line.")
        var summary: String?

        @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
            "When service was back, if the resolved milestone is not set yet: \(TypedTime.examples) (default: now).", valueName: "TIME"))
        var resolvedAt: String?

        @OptionGroup var options: IncidentOptions

        func run() throws {
            let incident = try options.chooseIncident(id)
            // What is still to do is said before the incident closes over it.
            let state = try? options.directory.readIncident(incident)
            let running = state?.unfinishedRuns() ?? []
            if !running.isEmpty {
                let lines = ["\(running.count) runbook\(running.count == 1 ? " is" : "s are") not finished in \(incident):"]
                    + running.map { "  \($0)" }
                FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            }
            let todos = state?.openTodos ?? []
            if !todos.isEmpty {
                let lines = ["\(todos.count) to-do\(todos.count == 1 ? " is" : "s are") still open in \(incident):"]
                    + todos.map { "  #\($0.seq)  \(Sanitizer.line($0.text))" }
                FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            }
            var text = summary
            if text == nil, isatty(STDIN_FILENO) != 0 {
                FileHandle.standardError.write(Data("Summary of \(incident): ".utf8))
                text = readLine()
            }
            guard let line = text.map({ Sanitizer.line($0) }), !line.isEmpty else {
                throw CommandFailure("closing needs a one-line summary: --summary \"...\"", exitCode: 2)
            }
            let now = Date()
            let resolvedTime = try resolvedAt.map { try IncidentCommand.pastTime($0, option: "--resolved-at", now: now) }
            // A review measures to the resolution: set it at the close unless it was set.
            if (try? options.directory.readIncident(incident).milestones[.resolved]) == nil {
                let resolved = resolvedTime ?? now
                _ = try options.append(.milestone(.resolved, occurredAt: resolved, actor: options.actorName, role: nil, at: now), to: incident)
                if resolvedTime == nil {
                    FileHandle.standardError.write(Data("resolved set to the close, \(TimeText.iso8601(resolved)) (--resolved-at gives another time)\n".utf8))
                }
            }
            let record = try options.append(
                .closed(summary: line, actor: options.actorName, role: nil, at: now),
                to: incident)
            print("closed \(incident) after \(record.seq) records; last hash \(record.hash)")
        }
    }
}

/// `switchboard note TEXT...`: a note in the open incident's log, from any shell.
struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Append a note to the open incident's log.",
        discussion: "Consoles following the incident show it within a second.")

    @Option(name: .long, help: "The incident (default: the only open one).")
    var incident: String?

    @Argument(help: "The note.")
    var text: [String]

    @OptionGroup var options: IncidentOptions

    func validate() throws {
        guard !text.joined().trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("the note is empty") }
    }

    func run() throws {
        let id = try options.chooseIncident(incident)
        let record = try options.append(
            .remark(.note, text: text.joined(separator: " "), actor: options.actorName, role: nil, at: Date()),
            to: id)
        print("noted as record \(record.seq) of \(id)")
    }
}

/// `switchboard log verify FILE`: is this action log intact?
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Check action logs.",
        subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify an action log's hash chain and the readings journals it seals.",
            discussion: """
                Exits 0 when every record is intact and in its place, 1 when a record was edited, deleted, \
                inserted, reordered or forged (naming the first bad one and why) or when the file ends in a \
                partial line left by a crash (a truncated tail, which is not tampering). Prints the last \
                record's hash: keep it elsewhere, since a chain can only prove that nothing before a hash \
                someone kept has changed.

                The readings journals beside the log (incidents/<id>.readings/) are checked against the \
                seal records in the log: a reading edited, deleted, inserted or reordered, or a journal \
                removed, exits 1. Readings a console wrote after its last seal (it was killed) are \
                reported but are not tampering.
                """)

        @Argument(help: "The log file (incidents/<id>.jsonl).")
        var file: String

        func run() throws {
            let result: IncidentVerification
            do { result = try IncidentVerification.verify(path: file) } catch let error as StoreError {
                throw CommandFailure(error.message, exitCode: 1)
            }
            var failures: [String] = []
            switch result.log {
            case .intact(let records, let head):
                print("\(file): intact · \(records) record\(records == 1 ? "" : "s") · last hash \(head)")
            case .missingFinalNewline(let records, let head):
                print("\(file): intact · \(records) record\(records == 1 ? "" : "s") · last hash \(head) · "
                      + "the last record lacks its final newline (not tampering; the next start adds it)")
            case .recordsAfterClose(_, let problem):
                failures.append("\(file): after the close: \(problem)")
            case .empty:
                failures.append("\(file): empty: no records (not an incident log yet)")
            case .truncatedTail(let records, let bytes):
                failures.append("\(file): truncated tail: \(records) intact records, then a partial line of \(bytes) bytes "
                                + "(a crash while writing, not tampering; the next start moves it aside)")
            case .tampered(let intact, let problem):
                let before = intact == 1 ? "the record before it is intact" : "the \(intact) records before it are intact"
                failures.append("\(file): tampered: \(problem) (\(before))")
            }
            let readings = result.readings
            if !readings.journals.isEmpty, readings.isIntact {
                let count = readings.journals.reduce(0) { $0 + $1.sealedReadings }
                let journals = readings.journals.count
                print("readings: \(journals) journal\(journals == 1 ? "" : "s") intact · \(count) reading\(count == 1 ? "" : "s") sealed")
            }
            for note in readings.notes { print("readings: note: \(note)") }
            failures += readings.problems.map { "\(file): readings tampered: \($0)" }
            if !failures.isEmpty { throw CommandFailure(failures, exitCode: 1) }
        }
    }
}

import Foundation
import Testing
import SwitchboardCore
@testable import SwitchboardConsole
import SwitchboardStore
import TerminalUI

/// `switchboard review`: the files of the replay-equals-live script opened as a reviewer opens
/// them, the frames compared with those the live console drew, and every key tried.
@Suite("Review")
struct ReviewTests {
    static let theme = Theme.make(color: true, unicode: true)

    /// The script's incident, recorded at `size` on a thread of its own (it is long and busy).
    static func recorded(size: Size = Size(width: 80, height: 24)) async throws -> ReplayEqualsLiveTests.Recorded {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try ReplayEqualsLiveTests.record(size: size) }) }.start()
        }
    }

    static func open(_ recorded: ReplayEqualsLiveTests.Recorded, logPath: String? = nil, size: Size = Size(width: 80, height: 24),
                     asActor: String? = nil, keyframeSpacing: Int = 64) throws -> (ReviewFiles, Review) {
        try ReviewFiles.openRead(logPath: logPath ?? recorded.logPath, site: recorded.site, size: size, asActor: asActor, at: nil,
                                 keyframeSpacing: keyframeSpacing)
    }

    static func instant(_ second: Int) -> Date { Fixtures.start.addingTimeInterval(Double(second)) }

    @Test("at any instant, sought in any order through keyframes, the review draws the frame the live console drew (its header's facts, every row under it, cell for cell)",
          arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40)])
    func reviewEqualsLive(size: Size) async throws {
        let recorded = try await Self.recorded(size: size)
        defer { recorded.remove() }
        var (_, review) = try Self.open(recorded, size: size)
        #expect(review.integrity.text.hasPrefix("verified: log intact") && !review.integrity.isProblem, "\(review.integrity)")
        review.handle(.escape) // hides the verification banner, which is the reviewer's and not the console's
        // Backwards, then a stride forwards: every seek starts from a keyframe, not from the last instant.
        let chosen = Array(recorded.frames.reversed().prefix(40)) + stride(from: 0, to: recorded.frames.count, by: 23).map { recorded.frames[$0] }
        var differing: [String] = []
        for (second, drawn) in chosen {
            review.seek(to: Self.instant(second))
            let frame = ReviewView(theme: Self.theme).frame(review).buffer
            let header = (drawn.lines[0], frame.lines[0])
            // The header's facts: age, commander, the update countdown and the clock.
            let facts = { (line: String) in line.range(of: " · ").map { String(line[$0.lowerBound...]) } ?? line }
            if facts(header.0) != facts(header.1) { differing.append("at \(second)s the header: \(header.0) | \(header.1)") }
            #expect(frame.lines[0].contains(" REVIEW "))
            for y in 1..<(size.height - 1) where (0..<size.width).contains(where: { drawn[$0, y] != frame[$0, y] }) {
                differing.append("at \(second)s, line \(y + 1):\n  live:   \(drawn.lines[y])\n  review: \(frame.lines[y])")
            }
        }
        #expect(differing.isEmpty, "\(differing.count) rows differ; the first: \(differing.first ?? "")")
    }

    @Test("after the close the notice the console showed is shown, no incident is, and i says so rather than offering to open one")
    func afterTheClose() async throws {
        let recorded = try await Self.recorded()
        defer { recorded.remove() }
        let log = try IncidentLogFile.open(in: recorded.directory, incident: recorded.incidentID)
        let last = try #require(try recorded.directory.records(of: recorded.incidentID).last)
        _ = try log.append(.closed(summary: "power back", actor: "alice", role: "incident commander", at: last.at.addingTimeInterval(60)))
        var (_, review) = try Self.open(recorded)
        review.handle(.escape) // the verification banner; under it, what the console showed
        review.handle(.character("G"))
        #expect(review.shown.incident == nil)
        // As the console drew it: the close, by whom, with what, and the last hash.
        #expect(review.shown.viewer.notice?.text.contains("closed by alice: power back") == true, "\(String(describing: review.shown.viewer.notice))")
        #expect(ReviewView(theme: Self.theme).frame(review).buffer.text.contains("closed by alice"))
        review.handle(.escape)
        #expect(review.shown.viewer.notice == nil)
        review.handle(.left)
        #expect(review.shown.viewer.notice == nil, "no close before it")
        review.handle(.character("G"))
        #expect(review.shown.viewer.notice == nil, "hidden by the reviewer, it stays hidden")
        review.handle(.character("i"))
        #expect(review.shown.viewer.modal == nil && review.hint?.contains("no incident is open at this moment") == true)
        review.handle(.left)
        #expect(review.shown.incident != nil)
        review.handle(.character("i"))
        #expect(review.shown.viewer.modal == .incident(scroll: Scroll()))

        // Behind the too-small screen, with the details open, nothing moves and q quits as it says.
        let at = review.instant
        review.resize(Size(width: 60, height: 15))
        review.handle(.character("g"))
        review.handle(.escape)
        #expect(review.instant == at && review.shown.viewer.modal == .incident(scroll: Scroll()))
        review.handle(.character("q"))
        #expect(review.quitRequested && review.shown.viewer.modal != .confirmQuit)
    }

    @Test("every navigation key moves the cursor where it says, and nothing is written")
    func navigationKeys() async throws {
        let recorded = try await Self.recorded()
        defer { recorded.remove() }
        let before = try Data(contentsOf: URL(fileURLWithPath: recorded.logPath))
        var (_, review) = try Self.open(recorded)
        let records = review.records.filter { $0.kind != LogKind.readingsSealed }
        #expect(review.instant == review.start, "a review starts at the start, as a recording does")
        review.handle(.character("G"))
        #expect(review.isAtEnd && review.instant == review.end && review.end >= (records.last?.at ?? .distantFuture))
        #expect(review.replayedConsole == "alice")

        // The incident opened as the console's journal began: the start is the first record.
        review.handle(.character("g"))
        #expect(review.instant == review.start && review.start == records[0].at)
        let instants = Array(Set(records.map(\.at))).sorted()
        review.handle(.right)
        #expect(review.instant == instants[1])
        review.handle(.right)
        #expect(review.instant == instants[2])
        review.handle(.left)
        #expect(review.instant == instants[1])
        review.handle(.shiftRight)
        #expect(review.instant == instants[1].addingTimeInterval(60))
        review.handle(.shiftLeft)
        #expect(review.instant == instants[1])
        review.handle(.character("]"))
        let nextMarker = try #require(review.markers.first { $0.at > instants[1] })
        #expect(review.instant == nextMarker.at)
        review.handle(.character("["))
        #expect(review.instant == review.markers.last { $0.at < nextMarker.at }?.at)
        review.handle(.character("5"))
        #expect(review.instant == review.start.addingTimeInterval(review.end.timeIntervalSince(review.start) / 2))
        review.handle(.character("0"))
        #expect(review.instant == review.start)
        review.handle(.character("G"))
        #expect(review.isAtEnd)

        // t: a time of day, relative times, and what is not a time.
        review.handle(.character("g"))
        for key in "t+2m" { review.handle(.character(key)) }
        review.handle(.enter)
        #expect(review.instant == review.start.addingTimeInterval(120))
        for key in "t" + TimeText.clock(Self.instant(300)) { review.handle(.character(key)) }
        review.handle(.enter)
        #expect(review.instant == Self.instant(300))
        for key in "tlunch" { review.handle(.character(key)) }
        review.handle(.enter)
        #expect(review.instant == Self.instant(300) && review.hint?.contains("not a time") == true)
        review.handle(.character("t"))
        review.handle(.escape)
        #expect(review.timePrompt == nil && review.instant == Self.instant(300))

        // Space plays in real time × the speed; + and - double and halve it, within ×1…×64.
        review.handle(.character(" "))
        #expect(review.playing)
        review.play(for: 2)
        #expect(review.instant == Self.instant(302))
        for _ in 0..<10 { review.handle(.character("+")) }
        #expect(review.speed == Review.maximumSpeed)
        review.handle(.character("-"))
        review.play(for: 1)
        #expect(review.speed == 32 && review.instant == Self.instant(334))
        review.play(for: 3600)
        #expect(review.isAtEnd && !review.playing, "playing stops at the end")
        review.handle(.character(" "))
        #expect(review.playing && review.instant == review.start, "Space at the end plays from the start")
        review.handle(.character(" "))
        #expect(!review.playing)

        // The console's own keys that only look: Tab to the log, Enter for a record's detail, Esc.
        review.handle(.character("G"))
        review.handle(.backTab)
        #expect(review.shown.viewer.focus == .timeline)
        review.handle(.enter)
        guard case .logRecord(let seq, _)? = review.shown.viewer.modal else {
            Issue.record("Enter on the log opens no record")
            return
        }
        #expect(seq == records.last?.seq)
        review.handle(.character("q"))
        #expect(review.shown.viewer.modal == nil && !review.quitRequested, "q closes the detail first")

        // / searches the log as in the console; with a filter, ] and [ go to the matches.
        review.handle(.character("g"))
        review.handle(.character("/"))
        for key in "generator on load" { review.handle(.character(key)) }
        review.handle(.enter)
        review.handle(.character("]"))
        let note = try #require(records.first { $0.kind == LogKind.note })
        #expect(review.instant == note.at)
        review.handle(.escape)

        // What acts on an incident is refused, saying why; ? shows the review's keys.
        let shownBefore = review.shown
        for key in "dnrhcxa" { review.handle(.character(key)) }
        #expect(review.hint?.contains("read-only") == true && review.shown.session.unsaved.isEmpty)
        #expect(review.shown.incident == shownBefore.incident)
        review.handle(.character("?"))
        #expect(ReviewView(theme: Self.theme).frame(review).buffer.text.contains("Moving through time"))
        review.handle(.escape)
        review.handle(.character("q"))
        #expect(review.quitRequested)
        #expect(try Data(contentsOf: URL(fileURLWithPath: recorded.logPath)) == before, "review wrote nothing")
        #expect(!FileManager.default.fileExists(atPath: recorded.logPath + ".lock"))
    }

    @Test("the readings are read behind the first frame: the cursor goes as far as they are read, and where it was sent once they are")
    func readingBehindTheFirstFrame() async throws {
        let recorded = try await Self.recorded()
        defer { recorded.remove() }
        var (review, loading) = try ReviewFiles.open(logPath: recorded.logPath, site: recorded.site, size: Size(width: 80, height: 24),
                                                     asActor: nil, at: nil, keyframeSpacing: 64)
        #expect(review.instant == review.start && review.end == review.start && review.readingProgress == 0)
        let strip = ReviewView(theme: Self.theme).frame(review).buffer.lines[23]
        #expect(strip.contains("reading 0%") && strip.contains("···"), "\(strip)")
        review.handle(.character("G"))
        #expect(review.instant == review.start, "nothing read yet: the cursor stays")
        var partial: [Date] = []
        loading.run { load in
            if case .read(_, _, let until, _) = load, until != .distantFuture {
                review.loaded(load)
                partial.append(review.end)
                #expect(review.end == until && review.instant == until, "sent to the end, the cursor goes as far as is read")
            } else {
                review.loaded(load)
            }
        }
        #expect(partial.count == 1, "the script's readings come in one batch")
        #expect(review.readingProgress == nil && review.isAtEnd, "once read, G's end is reached")
    }

    @Test("by default the incident commander's console of each moment is replayed; --as keeps one; an --as without a console is refused, naming those there are")
    func whoseConsole() async throws {
        let recorded = try await Self.recorded()
        defer { recorded.remove() }
        // A second console, bob's, that recorded the same readings (bob takes command at 320 s).
        let name = try #require(recorded.directory.journals(of: recorded.incidentID).first)
        let journal = try String(contentsOfFile: recorded.directory.journalPath(name), encoding: .utf8)
        let bobs = journal.replacingOccurrences(of: #""actor":"alice""#, with: #""actor":"bob""#)
        #expect(bobs != journal)
        try bobs.write(toFile: IncidentRecording.journalFolder(ofLog: recorded.logPath) + "/zz-bob.jsonl", atomically: true, encoding: .utf8)

        var (_, review) = try Self.open(recorded)
        review.seek(to: Self.instant(300))
        #expect(review.replayedConsole == "alice" && review.shown.session.actor == "alice")
        review.seek(to: Self.instant(400))
        #expect(review.replayedConsole == "bob" && review.shown.session.actor == "bob")
        #expect(ReviewView(theme: Self.theme).frame(review).buffer.lines[23].contains(" bob "))

        var (_, alices) = try Self.open(recorded, asActor: "alice")
        alices.seek(to: Self.instant(400))
        #expect(alices.replayedConsole == "alice")
        #expect(throws: StoreError("no console of 'carol' recorded readings for this incident; consoles: alice, bob")) {
            _ = try Self.open(recorded, asActor: "carol")
        }
    }

    @Test("a tampered copy opens up to the damage, with the red banner naming the record, and DAMAGED in the footer")
    func tamperedCopy() async throws {
        let recorded = try await Self.recorded()
        defer { recorded.remove() }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("sb-tampered-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        var lines = try String(contentsOfFile: recorded.logPath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let noteLine = try #require(lines.firstIndex { $0.contains("generator on load") })
        lines[noteLine] = Substring(lines[noteLine].replacingOccurrences(of: "utility says 2 h", with: "utility says 1 h"))
        let path = copy + "/\(recorded.incidentID).jsonl"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o400)

        var (_, review) = try Self.open(recorded, logPath: path)
        #expect(review.integrity.isProblem)
        #expect(review.integrity.text.contains("TAMPERED or damaged at record \(noteLine + 1)"), "\(review.integrity.text)")
        #expect(review.records.count == noteLine, "the records before the damage, and none after")
        let frame = ReviewView(theme: Self.theme).frame(review).buffer
        #expect(frame.lines[1].contains("TAMPERED") && frame[2, 1].style == Self.theme.problemBanner)
        review.handle(.escape)
        #expect(ReviewView(theme: Self.theme).frame(review).buffer.lines[23].contains("DAMAGED"))
    }

    @Test("without a readings journal, the panes come from the log's probe changes and the banner says what is missing")
    func withoutJournal() async throws {
        let recorded = try await Self.recorded()
        defer { recorded.remove() }
        try FileManager.default.removeItem(atPath: IncidentRecording.journalFolder(ofLog: recorded.logPath))
        var (_, review) = try Self.open(recorded)
        #expect(review.integrity.text.contains("values and sparklines are not available"))
        #expect(review.replayedConsole == nil)
        review.seek(to: Self.instant(450))
        let screen = ReviewView(theme: Self.theme).frame(review).buffer.text
        #expect(screen.contains("CRIT  trunk-b"), "\(screen)")
        #expect(screen.contains("log only"))
        // The generator's change back to OK at 250 s is in the log: at 200 s it is still down.
        review.seek(to: Self.instant(200))
        #expect(review.shown.site.probe("generator").map(review.shown.site.displayStatus(of:)) == .critical)
    }

    @Test("a log still being written: new records and readings are read from where the last read stopped, and at the end the cursor follows")
    func followsALiveLog() async throws {
        let recorded = try await Self.recorded()
        defer { recorded.remove() }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("sb-follow-\(UUID().uuidString.prefix(8))").path
        let readings = copy + "/\(recorded.incidentID).readings"
        try FileManager.default.createDirectory(atPath: readings, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let log = try Data(contentsOf: URL(fileURLWithPath: recorded.logPath))
        let journalName = try #require(recorded.directory.journals(of: recorded.incidentID).first)
        let journal = try Data(contentsOf: URL(fileURLWithPath: recorded.directory.journalPath(journalName)))
        let journalCopy = readings + "/" + (journalName as NSString).lastPathComponent
        let logCopy = copy + "/\(recorded.incidentID).jsonl"
        // The first half of each, the log cut in the middle of a line as a writer leaves it.
        try log.prefix(log.count / 2).write(to: URL(fileURLWithPath: logCopy))
        try journal.prefix(journal.count / 2).write(to: URL(fileURLWithPath: journalCopy))

        var (files, review) = try Self.open(recorded, logPath: logCopy)
        review.handle(.character("G"))
        #expect(review.isAtEnd)
        let endBefore = review.end
        let recordsBefore = review.records.count
        for (path, data) in [(logCopy, log), (journalCopy, journal)] {
            let handle = try #require(FileHandle(forWritingAtPath: path))
            handle.seekToEndOfFile()
            handle.write(data.dropFirst(data.count / 2))
            try handle.close()
        }
        let (records, added) = try files.readNew()
        review.append(records: records, readings: added)
        #expect(review.records.count == (try recorded.directory.records(of: recorded.incidentID)).count)
        #expect(review.records.count > recordsBefore && review.end > endBefore)
        #expect(review.isAtEnd, "at the end, the cursor follows")
        // What it shows at the end is what the whole files show.
        var (_, whole) = try Self.open(recorded)
        whole.seek(to: review.instant)
        #expect(review.shown.site == whole.shown.site && review.shown.incident == whole.shown.incident)
    }
}

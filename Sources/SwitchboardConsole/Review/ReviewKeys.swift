import Foundation
import SwitchboardCore
import TerminalUI

/// The reviewer's keys, after asciinema-player and atop: Space plays, `+`/`-` change speed,
/// arrows step through records and minutes, `[`/`]` through markers, digits jump by tenths,
/// `g`/`G` to either end, `t` to a typed time. Keys that only look (Tab, ↑↓, Enter, Esc, `/`)
/// go to the console's own reducer, so details, selection and search work as in the console;
/// keys that would change the incident are refused: review writes nothing.
extension Review {
    /// Console keys that act on the incident: refused, saying why.
    private static let actingKeys: Set<Character> = ["d", "s", "b", "u", "n", "r", "c", "h", "x", "a", "m"]

    public mutating func handle(_ key: Key) {
        hint = nil
        // Behind the "terminal too small" screen nothing moves unseen; q quits, as it says.
        if shown.isTooSmall {
            if key == .character("q") { quitRequested = true }
            return
        }
        if timePrompt != nil { return handlePromptKey(key) }
        if help != nil { return handleHelpKey(key) }
        if let search = shown.viewer.search, search.editing { return forward(key) }
        switch key {
        case .character(" "):
            if !playing, isAtEnd { seek(to: start) }
            playing.toggle()
        case .character("+"), .character("="): speed = min(Self.maximumSpeed, speed * 2)
        case .character("-"), .character("_"): speed = max(1, speed / 2)
        case .left: seek(to: shownRecords.last { $0.at < instant }?.at ?? start)
        case .right: if let next = shownRecords.first(where: { $0.at > instant }) { seek(to: next.at) } else { seek(to: end) }
        case .shiftLeft: seek(to: instant.addingTimeInterval(-60))
        case .shiftRight: seek(to: instant.addingTimeInterval(60))
        case .character("["): seekMarker(before: true)
        case .character("]"): seekMarker(before: false)
        case .character(let digit) where digit.isASCII && digit.isNumber:
            let tenths = Double(digit.wholeNumberValue ?? 0) / 10
            seek(to: start.addingTimeInterval(end.timeIntervalSince(start) * tenths))
        case .character("g"): seek(to: start)
        // While the readings are being read, the end is where they end.
        case .character("G"): seek(to: readingsUntil.isEmpty ? end : .distantFuture)
        case .character("t"): timePrompt = TextInput()
        case .character("?"), .function(1): help = Scroll()
        case .character("q") where shown.viewer.modal == nil: quitRequested = true
        case .character(let letter) where Self.actingKeys.contains(letter) && shown.viewer.modal == nil:
            hint = "review is read-only: '\(letter)' acts on a live incident · ? shows the review keys"
        // `i` shows the incident; with none at this moment it would open one.
        case .character("i") where shown.incident == nil && shown.viewer.modal == nil:
            hint = "no incident is open at this moment of the recording · ← steps back through its records"
        default:
            if Self.isLooking(key, modalOpen: shown.viewer.modal != nil) {
                forward(key)
            } else {
                hint = "that key does nothing in review · ? shows the keys"
            }
        }
    }

    /// Records as the log pane lists them (seals of the journal are bookkeeping).
    private var shownRecords: [LogRecord] { records.filter { $0.kind != LogKind.readingsSealed } }

    /// Console keys that only move the reviewer's eyes, passed to the console's reducer: in
    /// details only scrolling and closing (their own keys, amend or step actions, act).
    private static func isLooking(_ key: Key, modalOpen: Bool) -> Bool {
        switch key {
        case .up, .down, .pageUp, .pageDown, .home, .end, .enter, .escape, .character("j"), .character("k"), .control("l"): true
        // In details, q closes them, as in the console.
        case .character("q"): modalOpen
        // v reads a drill's inject in full, as the players did.
        case .tab, .backTab, .character("/"), .character("i"), .character("p"), .character("v"): !modalOpen
        default: false
        }
    }

    /// Passes a key to the console's reducer; whatever it asks of the world is dropped.
    private mutating func forward(_ key: Key) {
        let notice = shown.viewer.notice
        _ = ConsoleReducer.reduce(&shown, .key(key))
        // Esc hid the banner shown: the verification for good, a console's notice for as long as it lasts.
        if let notice, shown.viewer.notice == nil {
            if verificationShown { verificationShown = false } else { hiddenNotice = notice.text }
            seek(to: instant)
        }
    }

    /// The previous or next marker; with a search filter, the previous or next matching record.
    private mutating func seekMarker(before: Bool) {
        let query = shown.viewer.search?.query.trimmed.lowercased() ?? ""
        let instants: [Date] = query.isEmpty
            ? markers.map(\.at)
            : shownRecords.filter { TimelineItem.record($0).searchText.contains(query) }.map(\.at)
        let target = before ? instants.last { $0 < instant } : instants.first { $0 > instant }
        guard let target else {
            hint = query.isEmpty ? "no marker \(before ? "before" : "after") this" : "no record matching '\(query)' \(before ? "before" : "after") this"
            return
        }
        seek(to: target)
    }

    private mutating func handlePromptKey(_ key: Key) {
        switch key {
        case .escape:
            timePrompt = nil
        case .enter:
            let text = timePrompt?.trimmed ?? ""
            timePrompt = nil
            guard !text.isEmpty else { return }
            // A drill's times are typed as it shows them, on its scenario clock (even after its close).
            let epoch = records.first.flatMap(IncidentState.init(opening:))?.drill?.epoch
            guard let target = TypedTime.parse(text, relativeTo: instant, clockTime: .firstFrom(start), scenarioEpoch: epoch) else {
                hint = "not a time: '\(Sanitizer.line(text))' · try \(epoch == nil ? TypedTime.examples : TypedTime.scenarioExamples + ", " + TypedTime.examples)"
                return
            }
            if target < start || target > end {
                hint = "\(Sanitizer.line(text)) is outside the incident (\(TimeText.clock(start))–\(TimeText.clock(end)) UTC)"
            }
            seek(to: target)
        default:
            _ = timePrompt?.handle(key)
        }
    }

    private mutating func handleHelpKey(_ key: Key) {
        guard var scroll = help else { return }
        switch key {
        case .escape, .character("q"), .character("?"), .function(1), .enter: help = nil; return
        case .up, .character("k"): scroll.move(by: -1)
        case .down, .character("j"): scroll.move(by: 1)
        case .pageUp: scroll.move(by: -(shown.size.height - 4))
        case .pageDown: scroll.move(by: shown.size.height - 4)
        case .home: scroll.move(by: -Int.max / 2)
        case .end: scroll.move(by: Int.max / 2)
        default: break
        }
        help = scroll
    }
}

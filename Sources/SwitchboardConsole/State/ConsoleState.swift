import Foundation
import SwitchboardCore
import TerminalUI

/// Where keyboard focus is: one of the status panes, or the recent-changes list.
public enum Focus: Sendable, Equatable {
    case pane(Pane)
    case changes
}

/// A view drawn over the console until Esc closes it.
public enum Overlay: Sendable, Equatable {
    case probeDetail(probeID: String, scroll: Int)
    case help(scroll: Int)
}

/// A short message in the footer that disappears by itself.
public struct Hint: Sendable, Equatable {
    public var text: String
    public var until: Date
}

/// Everything the screen is drawn from: the site's state plus the console's own (focus,
/// selection, overlays). The view is a pure function of this value.
public struct ConsoleState: Sendable {
    public var site: SiteState
    public var size: Size
    public var focus: Focus
    /// The selected row in each pane.
    public var selection: [Pane: Int] = [:]
    /// How many changes the recent-changes list is scrolled back from the newest.
    public var changesScroll = 0
    public var overlay: Overlay?
    public var hint: Hint?
    public var quitRequested = false

    public init(site: SiteState, size: Size) {
        self.site = site
        self.size = size
        self.focus = Self.focusOrder(site).first ?? .changes
    }

    /// The regions Tab moves through, in screen order: panes that have probes, then the changes list.
    static func focusOrder(_ site: SiteState) -> [Focus] {
        Pane.allCases.filter { !site.probes(in: $0).isEmpty }.map(Focus.pane) + [.changes]
    }

    /// The probe selected in a pane.
    public func selectedProbe(in pane: Pane) -> ProbeState? {
        let probes = site.probes(in: pane)
        guard !probes.isEmpty else { return nil }
        return probes[min(max(0, selection[pane] ?? 0), probes.count - 1)]
    }

    /// The smallest terminal the console is fully usable in.
    public static let minimumSize = Size(width: 80, height: 24)

    public var isTooSmall: Bool {
        size.width < Self.minimumSize.width || size.height < Self.minimumSize.height
    }
}

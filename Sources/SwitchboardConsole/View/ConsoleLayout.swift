import SwitchboardCore
import TerminalUI

/// Where each part of the console goes for a terminal size.
///
/// Header on the first row, footer on the last; under the header banner rows when the log or
/// the runbooks have something to say. Between them the four status panes, and the timeline
/// column (the recent state changes, or the action log while an incident is open), topped by the
/// runbook stepper while a runbook runs. Below 150 columns the column sits under the panes; from
/// 150 columns on it stands to their right.
public struct ConsoleLayout: Sendable, Equatable {
    /// A status pane's place on screen.
    public struct PaneRegion: Sendable, Equatable {
        public var pane: Pane
        public var rect: Rect
    }

    public var header: Rect
    /// The rows under the header for banners, when there are any.
    public var banner: Rect?
    public var footer: Rect
    /// One region per pane that is shown, in screen order; each has a title row then probe rows.
    public var panes: [PaneRegion]
    public var timeline: Rect
    /// The runbook stepper, when a runbook is shown.
    public var stepper: Rect?

    public static let sideBySideWidth = 150
    static let minimumTimelineRows = 4
    /// Under the panes, the stepper's rows (title and steps) at the least, and the log's beside it.
    static let minimumStepperRows = 7
    static let minimumLogRowsUnderStepper = 4

    /// `stepperSteps` is the shown runbook's step count, nil when no runbook is shown.
    /// At most this many banners stack under the header: three on a tall terminal, else two.
    public static func bannerRows(for size: Size, wanted: Int) -> Int {
        min(wanted, size.height >= 34 ? 3 : 2)
    }

    public init(size: Size, probeCounts: [Pane: Int], bannerRows: Int = 0, stepperSteps: Int? = nil) {
        let screen = Rect(x: 0, y: 0, width: size.width, height: size.height)
        let (header, belowHeader) = screen.splitTop(1)
        var body = belowHeader.splitTop(belowHeader.height - 1).top
        self.header = header
        if bannerRows > 0 {
            let split = body.splitTop(bannerRows)
            banner = split.top
            body = split.rest
        }
        self.footer = Rect(x: 0, y: size.height - 1, width: size.width, height: 1)

        let paneArea: Rect
        var column: Rect
        if size.width >= Self.sideBySideWidth {
            let split = body.splitLeft(size.width - size.width / 3)
            paneArea = split.left
            column = Rect(x: split.rest.x + 1, y: split.rest.y, width: split.rest.width - 1, height: split.rest.height)
        } else {
            let wanted = Pane.allCases.reduce(0) { $0 + 1 + max(1, probeCounts[$1] ?? 0) }
            let under = stepperSteps == nil ? Self.minimumTimelineRows : Self.minimumStepperRows + Self.minimumLogRowsUnderStepper
            let paneRows = min(wanted, body.height - under)
            let split = body.splitTop(paneRows)
            paneArea = split.top
            column = split.rest
        }
        if let steps = stepperSteps {
            let wantedRows = steps + 1
            let rows = max(min(wantedRows, column.height / 2), min(Self.minimumStepperRows, column.height - Self.minimumLogRowsUnderStepper))
            let split = column.splitTop(max(0, rows))
            stepper = split.top
            column = split.rest
        }
        timeline = column
        panes = Self.stack(Pane.allCases, counts: probeCounts, in: paneArea)
    }

    /// Shares the rows among the panes: each gets its title and one row, then rows go round-robin
    /// to panes that still have probes to show.
    private static func stack(_ panes: [Pane], counts: [Pane: Int], in area: Rect) -> [PaneRegion] {
        var rows = panes.map { _ in 1 }
        var left = area.height - 2 * panes.count
        var grew = true
        while left > 0, grew {
            grew = false
            for index in panes.indices where left > 0 && rows[index] < max(1, counts[panes[index]] ?? 0) {
                rows[index] += 1
                left -= 1
                grew = true
            }
        }
        var y = area.y
        return panes.indices.map { index in
            let height = min(1 + rows[index], max(0, area.maxY - y))
            defer { y += height }
            return PaneRegion(pane: panes[index], rect: Rect(x: area.x, y: y, width: area.width, height: height))
        }
    }

}

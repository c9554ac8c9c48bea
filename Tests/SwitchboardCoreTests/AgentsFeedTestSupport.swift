import Foundation
@testable import SwitchboardCore

/// The message of the error `parse` throws, or nil when it parses.
func feedError(_ parse: () throws(AgentsFeedError) -> [QueueSnapshot]) -> String? {
    do {
        _ = try parse()
        return nil
    } catch {
        return error.message
    }
}

/// `fixture` with `old` replaced by `new`; `old` must be there exactly once, so a case cannot
/// silently edit nothing or two places.
func fixture(_ fixture: String, replacing old: String, with new: String) -> String {
    precondition(fixture.components(separatedBy: old).count == 2, "'\(old)' is not unique in the fixture")
    return fixture.replacingOccurrences(of: old, with: new)
}

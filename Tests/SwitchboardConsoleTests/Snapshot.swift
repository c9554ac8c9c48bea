import Foundation
import Testing
import TerminalUI

/// Compares a rendered buffer's text with a golden file in `Snapshots/`.
///
/// Run with `SNAPSHOT_RECORD=1` to write the golden files after a deliberate change to the view,
/// then read the diff before committing it.
func expectSnapshot(_ buffer: CellBuffer, named name: String, filePath: String = #filePath,
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots").appendingPathComponent("\(name).txt")
    let actual = buffer.text + "\n"
    if ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] != nil {
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("no snapshot \(url.path); run with SNAPSHOT_RECORD=1 to record it", sourceLocation: sourceLocation)
        return
    }
    if actual != expected {
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let differing = zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }
        let where_ = differing.map { "first difference at line \($0.offset + 1):\n  expected: \($0.element.1)\n  actual:   \($0.element.0)" }
            ?? "line counts differ: expected \(expectedLines.count), got \(actualLines.count)"
        Issue.record("snapshot '\(name)' differs; \(where_)\nwhole screen:\n\(actual)", sourceLocation: sourceLocation)
    }
}

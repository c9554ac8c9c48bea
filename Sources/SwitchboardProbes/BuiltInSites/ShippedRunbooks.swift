import Foundation

/// Where the runbooks that ship with Switchboard are: `runbooks/` in the source checkout, written
/// for the built-in demo site and as examples to adapt. An installed binary looks for them in
/// `../share/switchboard/runbooks` beside its own folder first.
public enum ShippedRunbooks {
    public static var folder: String {
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let installed = executable.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/switchboard/runbooks").path
        if FileManager.default.fileExists(atPath: installed) { return installed }
        // Sources/SwitchboardProbes/BuiltInSites/ShippedRunbooks.swift → the checkout's root.
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { root.deleteLastPathComponent() }
        return root.appendingPathComponent("runbooks").path
    }
}

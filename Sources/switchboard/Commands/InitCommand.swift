import ArgumentParser
import Foundation
import SwitchboardProbes

/// `switchboard init`: write a commented starter config.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented starter switchboard.yaml in the current directory.")

    @Flag(name: .long, help: "Overwrite an existing switchboard.yaml.")
    var force = false

    func run() throws {
        let path = "switchboard.yaml"
        if FileManager.default.fileExists(atPath: path), !force {
            throw CommandFailure("\(path) already exists; use --force to overwrite it", exitCode: 1)
        }
        do {
            try Data((StarterConfig.yaml + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CommandFailure("cannot write \(path): \(error.localizedDescription)", exitCode: 1)
        }
        print("wrote \(path): edit it, check it with 'switchboard check', then run 'switchboard'")
    }
}

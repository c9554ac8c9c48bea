import Foundation
import Synchronization

/// Child processes of this test process that are zombies (exited, never reaped).
func zombieChildren() -> [Int32] {
    let me = getpid()
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        return fields.count > 1 && fields[0] == "Z" && Int32(fields[1]) == me
    }
}

/// A port nothing listens on right now, and never handed out before in this process: the
/// kernel may give a port just closed to the next bind, and two servers started at once by
/// tests running side by side must not be given the same one.
func freePort() throws -> Int {
    while true {
        let (fd, port) = try boundSocket(Int32(SOCK_STREAM.rawValue))
        close(fd)
        if handedOutPorts.withLock({ $0.insert(port).inserted }) { return port }
    }
}

private let handedOutPorts = Mutex<Set<Int>>([])

/// A process that no longer runs: gone, or dead and waiting to be reaped.
func isGone(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return true }
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    return status.contains("State:\tZ")
}

import CProcessControl
import Foundation
import Synchronization

/// Every process a probe starts, however it tries to get away, and the means to end them all.
///
/// A plugin that daemonizes (`setsid … &`, a double fork) leaves its process group, so killing
/// the group misses it. So each command runs with `SWITCHBOARD_RUN=<lineage>/<run>` in its
/// environment, which its descendants inherit; this process is their child subreaper, so those
/// whose parents died become its children; and when a run ends, its escaped descendants are
/// found among those children and killed. `killAll` ends every process of the lineage (at exit),
/// and `startGuardian` leaves a watcher that does the same if this process is killed outright.
public enum ProcessLineage {
    /// The environment variable that marks a probe's processes.
    static let variable = "SWITCHBOARD_RUN"

    /// This process's mark: its pid and a random number, so no two lineages share one.
    static let lineage = "\(getpid())-\(UInt32.random(in: 1...UInt32.max))"

    private static let runs = Mutex<(next: Int, live: Set<Int>, sweepScheduled: Bool)>((1, [], false))

    /// Makes this process the reaper of its descendants' orphans. Call once at start.
    public static func becomeSubreaper() {
        _ = sb_become_child_subreaper()
    }

    /// A new run's mark, live until `ended`.
    static func beginRun() -> Int {
        runs.withLock { runs in
            let run = runs.next
            runs.next += 1
            runs.live.insert(run)
            return run
        }
    }

    static func mark(of run: Int) -> String { "\(lineage)/\(run)" }

    /// A run is over: soon after, its escaped descendants, and those of runs already over, are
    /// killed and reaped. Runs ending together share one sweep, at most four a second, so a
    /// thousand probes cost next to nothing.
    static func ended(_ run: Int) {
        let schedule = runs.withLock { runs in
            runs.live.remove(run)
            defer { runs.sweepScheduled = true }
            return !runs.sweepScheduled
        }
        guard schedule else { return }
        sweeper.asyncAfter(deadline: .now() + sweepDelay) {
            let live = runs.withLock { runs in
                runs.sweepScheduled = false
                return Set(runs.live.map(mark(of:)))
            }
            sweep(sparing: live)
        }
    }

    private static let sweeper = DispatchQueue(label: "switchboard.process-lineage")
    private static let sweepDelay = DispatchTimeInterval.milliseconds(250)

    /// Kills and reaps this process's orphaned children that carry a mark of this lineage other
    /// than `live` ones. Only our children are looked at: with the subreaper, that is where
    /// escaped processes end up.
    private static func sweep(sparing live: Set<String>) {
        // Each kill can orphan that process's own children onto us: repeat while it finds any.
        for _ in 0..<8 {
            var killed = false
            for child in ownChildren() {
                guard let stat = ProcessStat(pid: child), stat.isOrphan else { continue }
                if stat.isZombie {
                    reap(child)
                    continue
                }
                guard let mark = runMark(of: child), mark.hasPrefix(lineage + "/"), !live.contains(mark) else { continue }
                kill(child, SIGKILL)
                reap(child)
                killed = true
            }
            if !killed { return }
        }
    }

    /// Kills every process that carries `run`'s mark, wherever it is (a timed-out command's
    /// escaped children, whose parents may still live).
    static func killRun(_ run: Int) {
        killMarked { $0 == mark(of: run) }
    }

    /// Kills every process any run of this lineage started: at exit.
    public static func killAll() {
        killMarked { $0.hasPrefix(lineage + "/") }
    }

    /// Starts a watcher that outlives this process: when it ends, however (even SIGKILL, when
    /// nothing of ours can run), the watcher sees its lifeline close and kills every process of
    /// the lineage. A `/bin/sh` script in a process group of its own, ignoring hang-ups. Call
    /// before any probe runs: no other child may inherit the lifeline.
    public static func startGuardian() {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        defer { close(ends[0]) } // the write end stays open, unseen by children, until we exit
        let script = """
            trap '' HUP INT TERM QUIT
            while read -r _; do :; done
            for round in 1 2 3; do
              for p in /proc/[0-9]*; do
                if tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -q "^\(variable)=$1/"; then kill -KILL "${p#/proc/}" 2>/dev/null; fi
              done
            done
            """
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = ["/bin/sh", "-c", script, "switchboard-guardian", lineage]
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        _ = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &cArguments, environ)
    }

    // MARK: - /proc

    private static func killMarked(_ matches: (String) -> Bool) {
        for pid in numericEntries(of: "/proc") where pid != getpid() {
            guard let mark = runMark(of: pid), matches(mark) else { continue }
            kill(pid, SIGKILL)
        }
    }

    /// This process's children, from every thread's `children` list.
    private static func ownChildren() -> [pid_t] {
        numericEntries(of: "/proc/self/task").flatMap { thread in
            ProcFile.read("/proc/self/task/\(thread)/children").split(separator: UInt8(ascii: " ")).compactMap { ProcFile.number($0).map { pid_t($0) } }
        }
    }

    /// The numbered entries of a /proc folder (processes, threads).
    private static func numericEntries(of folder: String) -> [pid_t] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var numbers: [pid_t] = []
        while let entry = readdir(directory) {
            let number = withUnsafeBytes(of: entry.pointee.d_name) { name in
                ProcFile.number(name.prefix { $0 != 0 })
            }
            if let number { numbers.append(pid_t(number)) }
        }
        return numbers
    }

    /// The run mark in a process's environment, if it has one and we may read it.
    private static func runMark(of pid: pid_t) -> String? {
        let prefix = Array((variable + "=").utf8)
        for entry in ProcFile.read("/proc/\(pid)/environ").split(separator: 0) where entry.starts(with: prefix) {
            return String(decoding: entry.dropFirst(prefix.count), as: UTF8.self)
        }
        return nil
    }

    /// Collects a dead orphan's exit status, so it does not linger as a zombie.
    private static func reap(_ pid: pid_t) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    }
}

/// The fields of `/proc/PID/stat` that tell the children this process started (which
/// swift-subprocess reaps) from orphans that came to it.
private struct ProcessStat {
    var state: Character
    var processGroup: pid_t
    var session: pid_t
    let pid: pid_t

    init?(pid: pid_t) {
        let text = ProcFile.read("/proc/\(pid)/stat")
        guard let close = text.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        // After "pid (comm) ": state ppid pgrp session …
        let fields = text[(close + 1)...].split(separator: UInt8(ascii: " "))
        guard fields.count > 3, let state = fields[0].first, let group = ProcFile.number(fields[2]),
              let session = ProcFile.number(fields[3]) else { return nil }
        self.pid = pid
        self.state = Character(Unicode.Scalar(state))
        processGroup = pid_t(group)
        self.session = pid_t(session)
    }

    var isZombie: Bool { state == "Z" }
    /// Neither a command we started (the leader of its own group, in our session) nor a child
    /// in our own group (the `$EDITOR`), both of which swift-subprocess waits for.
    var isOrphan: Bool {
        let commandLeader = processGroup == pid && session == getsid(0)
        return !commandLeader && processGroup != getpgrp()
    }
}

/// Small /proc files read with plain system calls: no Foundation objects for what may run a
/// hundred times a second.
private enum ProcFile {
    /// The file's bytes (empty when it cannot be read).
    static func read(_ path: String) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk.prefix(count)
        }
        return bytes
    }

    /// A decimal number written in ASCII, such as a pid.
    static func number(_ digits: some Collection<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count < 19 else { return nil }
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }
}

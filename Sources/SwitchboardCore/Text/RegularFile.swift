import Foundation

/// Reads files a user names (configs, runbooks, feeds) without ever blocking: a FIFO, a device
/// or a directory in their place is refused at once, saying what it is, instead of hanging the
/// console or `check` on a read that never returns.
public enum RegularFile {
    /// Why a file could not be read, in words that finish "config 'x': …".
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The whole file, or no more than `limit` bytes (a larger file is a problem).
    public static func read(_ path: String, limit: Int = 64 << 20) -> Result<Data, Problem> {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            return .failure(Problem(reason: errno == ENOENT ? "no such file" : String(cString: strerror(errno))))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(Problem(reason: String(cString: strerror(errno)))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .failure(Problem(reason: "it is \(kind(of: info.st_mode)), not a file")) }
        guard Int(info.st_size) <= limit else { return .failure(Problem(reason: "larger than \(limit >> 20) MiB")) }
        var data = Data(count: Int(info.st_size))
        var filled = 0
        while true {
            if filled == data.count { data.count += 4096 } // it grew while being read
            let count = data.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return .failure(Problem(reason: String(cString: strerror(errno)))) }
            if count == 0 { break }
            filled += count
            guard filled <= limit else { return .failure(Problem(reason: "larger than \(limit >> 20) MiB")) }
        }
        data.count = filled
        return .success(data)
    }

    /// What a file that is not a regular file is, for messages: "a FIFO", "a directory"…
    public static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "a FIFO"
        case S_IFDIR: "a directory"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }
}

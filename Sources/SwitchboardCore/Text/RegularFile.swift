import Foundation

/// Opens and reads files a user names (configs, runbooks, feeds, incident logs) without ever
/// blocking: a FIFO, a device or a directory in their place is refused at once, saying what it
/// is, instead of hanging the console or a command on an open or a read that never returns.
public enum RegularFile {
    /// Why a file could not be opened or read, in words that finish "config 'x': …".
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case missing
        /// What is there instead: "a FIFO", "a directory", "a symbolic link (never followed)"…
        case notRegular(String)
        case failed(String)

        public var description: String {
            switch self {
            case .missing: "no such file"
            case .notRegular(let kind): "it is \(kind), not a regular file"
            case .failed(let reason): reason
            }
        }
    }

    /// Opens a regular file with `flags` (O_RDONLY, O_RDWR…; close-on-exec added), never
    /// blocking; with `followingLinks` false a symbolic link is refused, never followed.
    public static func open(_ path: String, _ flags: Int32, followingLinks: Bool = true) -> Result<Int32, Problem> {
        let descriptor = Glibc.open(path, flags | O_NONBLOCK | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW))
        guard descriptor >= 0 else {
            switch errno {
            case ENOENT: return .failure(.missing)
            case ELOOP where !followingLinks: return .failure(.notRegular("a symbolic link (never followed)"))
            case EISDIR: return .failure(.notRegular("a directory"))
            default: return .failure(.failed(String(cString: strerror(errno))))
            }
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            return .failure(.notRegular(kind(of: info.st_mode)))
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return .success(descriptor)
    }

    /// The whole file, or no more than `limit` bytes (a larger file is a problem).
    public static func read(_ path: String, limit: Int = 64 << 20) -> Result<Data, Problem> {
        let descriptor: Int32
        switch open(path, O_RDONLY) {
        case .success(let opened): descriptor = opened
        case .failure(let problem): return .failure(problem)
        }
        defer { close(descriptor) }
        var data = Data(count: 4096)
        var filled = 0
        while true {
            if filled == data.count { data.count *= 2 }
            let count = data.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return .failure(.failed(String(cString: strerror(errno)))) }
            if count == 0 { break }
            filled += count
            guard filled <= limit else { return .failure(.failed("larger than \(limit >> 20) MiB")) }
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

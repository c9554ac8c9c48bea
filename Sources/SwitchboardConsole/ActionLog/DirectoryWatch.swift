import Dispatch
import Glibc

/// Tells, through inotify, which files in a directory were created or written. The action log
/// writer follows other consoles' appends with it: no polling, and a change shows at once.
final class DirectoryWatch {
    private let descriptor: Int32
    private let source: DispatchSourceRead

    /// Watches `path`; `changed` runs on `queue` with the names of the files that changed.
    init(path: String, queue: DispatchQueue, changed: @escaping ([String]) -> Void) throws(WatchError) {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw WatchError(path: path, errno: errno) }
        guard inotify_add_watch(descriptor, path, UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO)) >= 0 else {
            let error = WatchError(path: path, errno: errno)
            close(descriptor)
            throw error
        }
        source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: queue)
        let descriptor = self.descriptor
        source.setEventHandler { changed(Self.readNames(descriptor)) }
        source.setCancelHandler { close(descriptor) }
        source.resume()
    }

    deinit {
        source.cancel()
    }

    struct WatchError: Error, CustomStringConvertible {
        var path: String
        var errno: Int32
        var description: String { "cannot watch \(path): \(String(cString: strerror(errno)))" }
    }

    /// Reads every pending event; each is a `struct inotify_event` (wd, mask, cookie, len)
    /// followed by a NUL-padded name of `len` bytes.
    private static func readNames(_ descriptor: Int32) -> [String] {
        var names: [String] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var offset = 0
            let headerSize = MemoryLayout<inotify_event>.size
            while offset + headerSize <= count {
                let length = buffer.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)) }
                let nameBytes = buffer[(offset + headerSize)..<min(count, offset + headerSize + length)].prefix { $0 != 0 }
                if !nameBytes.isEmpty { names.append(String(decoding: nameBytes, as: UTF8.self)) }
                offset += headerSize + length
            }
        }
        return names
    }
}

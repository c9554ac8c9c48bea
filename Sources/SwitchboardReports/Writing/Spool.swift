import Foundation
import SwitchboardStore

/// Where a report writes what it cannot hold: an unlinked temporary file that lines are
/// appended to while the log is read, then copied into the output in their place. The report
/// of a log of any length is written in bounded memory; the file is gone when the spool is.
final class Spool {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private(set) var count = 0

    init() throws {
        let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((folder + "/switchboard-report.XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw StoreError("cannot make a temporary file in \(folder): \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.descriptor = descriptor
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { close(descriptor) }

    static let bufferSize = 1 << 16

    /// Appends `text` (with its own line ends, if any).
    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        count += 1
        if buffer.count >= Self.bufferSize { try flush() }
    }

    private func flush() throws {
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, buffer.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw StoreError("cannot write a temporary file: \(String(cString: strerror(errno)))")
            }
            written += result
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Hands what was written to `each`, a block at a time, from the start.
    func read(_ each: (UnsafeRawBufferPointer) throws -> Void) throws {
        try flush()
        var block = [UInt8](repeating: 0, count: Self.bufferSize)
        var offset: off_t = 0
        while true {
            let read = block.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, Self.bufferSize, offset) }
            if read < 0 {
                if errno == EINTR { continue }
                throw StoreError("cannot read a temporary file: \(String(cString: strerror(errno)))")
            }
            if read == 0 { return }
            try block.withUnsafeBytes { try each(UnsafeRawBufferPointer(rebasing: $0[..<read])) }
            offset += off_t(read)
        }
    }

    /// Hands each line written back to `each`, in order (for what is grouped after it is spooled).
    func lines(_ each: (String) throws -> Void) throws {
        var pending: [UInt8] = []
        try read { bytes in
            for byte in bytes {
                if byte == UInt8(ascii: "\n") {
                    try each(String(decoding: pending, as: UTF8.self))
                    pending.removeAll(keepingCapacity: true)
                } else {
                    pending.append(byte)
                }
            }
        }
        if !pending.isEmpty { try each(String(decoding: pending, as: UTF8.self)) }
    }
}

/// Where a report goes: standard output, or a file that appears only whole (written beside
/// its name, then renamed), so a failed report never leaves half a file.
final class ReportOutput {
    private let descriptor: Int32
    private let path: String?
    private let temporaryPath: String?
    private var buffer: [UInt8] = []

    /// nil writes to standard output.
    init(path: String?) throws {
        self.path = path
        guard let path else {
            descriptor = STDOUT_FILENO
            temporaryPath = nil
            return
        }
        let temporary = path + ".partial-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StoreError("cannot write \(path): \(String(cString: strerror(errno)))") }
        self.descriptor = descriptor
        temporaryPath = temporary
        buffer.reserveCapacity(Spool.bufferSize)
    }

    deinit {
        if let temporaryPath {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Spool.bufferSize { try flush() }
    }

    func write(_ spool: Spool) throws {
        try flush()
        try spool.read { try write(bytes: $0) }
    }

    private func flush() throws {
        try buffer.withUnsafeBytes { try write(bytes: $0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func write(bytes: UnsafeRawBufferPointer) throws {
        var written = 0
        while written < bytes.count {
            let result = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                throw StoreError("cannot write \(path ?? "the report"): \(String(cString: strerror(errno)))")
            }
            written += result
        }
    }

    /// Writes what is left; a file is then put in its place.
    func finish() throws {
        try flush()
        guard let path, let temporaryPath else { return }
        guard fsync(descriptor) == 0, rename(temporaryPath, path) == 0 else {
            throw StoreError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

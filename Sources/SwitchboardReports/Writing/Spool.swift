import CFileCopy
import Foundation
import SwitchboardStore

/// Where a report writes what it cannot hold: an unlinked temporary file that lines are
/// appended to while the log is read, then copied into the output in their place. The report
/// of a log of any length is written in bounded memory; the file is gone when the spool is.
final class Spool {
    private let descriptor: Int32
    private var file: BufferedFile
    /// Bytes written, buffered or not.
    private(set) var byteCount = 0

    init() throws {
        let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((folder + "/switchboard-report.XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw StoreError("cannot make a temporary file in \(folder): \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.descriptor = descriptor
        file = BufferedFile(descriptor, name: "a temporary file")
    }

    deinit { close(descriptor) }

    static let bufferSize = 1 << 16

    var isEmpty: Bool { byteCount == 0 }

    /// Appends rows (each with its own line end).
    func write(_ rows: RowBytes) throws {
        byteCount += rows.count
        try file.write(rows)
    }

    /// Writes all of `bytes` to `descriptor`; `what` names it in the error.
    static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, what: @autoclosure () -> String) throws {
        var written = 0
        while written < bytes.count {
            let result = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                throw StoreError("cannot write \(what()): \(String(cString: strerror(errno)))")
            }
            written += result
        }
    }

    /// Hands what was written to `each`, a block at a time, from the start.
    func read(_ each: (UnsafeRawBufferPointer) throws -> Void) throws {
        try file.flush()
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

    /// Copies what was written to the end of `output`'s file in the kernel, without passing it
    /// through this process (copy_file_range, else sendfile); false when the kernel can do
    /// neither for these files, before anything was copied.
    func copy(to output: Int32) throws -> Bool {
        try file.flush()
        var offset: off_t = 0
        var useSendfile = false
        while offset < off_t(byteCount) {
            let left = byteCount - Int(offset)
            let copied = useSendfile ? sendfile(output, descriptor, &offset, left) : sb_copy_file_range(descriptor, &offset, output, left)
            if copied < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                let unsupported = errno == EINVAL || errno == ENOSYS || errno == EXDEV || errno == EOPNOTSUPP || errno == EBADF
                if unsupported, !useSendfile {
                    useSendfile = true
                    continue
                }
                if unsupported, offset == 0 { return false }
                throw StoreError("cannot copy a temporary file: \(String(cString: strerror(errno)))")
            }
            if copied == 0 { throw StoreError("cannot copy a temporary file: it ended early") }
        }
        return true
    }

    /// Hands each line written back to `each` without its newline, in order (for what is grouped
    /// after it is spooled).
    func lines(_ each: (UnsafeRawBufferPointer) throws -> Void) throws {
        var pending: [UInt8] = []
        try read { block in
            var from = 0
            while from < block.count, let newline = memchr(block.baseAddress! + from, Int32(UInt8(ascii: "\n")), block.count - from) {
                let end = block.baseAddress!.distance(to: UnsafeRawPointer(newline))
                if pending.isEmpty {
                    try each(UnsafeRawBufferPointer(rebasing: block[from..<end]))
                } else {
                    pending.append(contentsOf: block[from..<end])
                    try pending.withUnsafeBytes(each)
                    pending.removeAll(keepingCapacity: true)
                }
                from = end + 1
            }
            pending.append(contentsOf: block[from...])
        }
        if !pending.isEmpty { try pending.withUnsafeBytes(each) }
    }
}

/// Bytes written to a file through a buffer, so that small writes do not each make a system
/// call, while a large block (a slice's rows) goes to the file as it is.
struct BufferedFile {
    let descriptor: Int32
    /// The file, as an error names it.
    let name: String
    private var buffer: [UInt8] = []

    init(_ descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
        buffer.reserveCapacity(Spool.bufferSize)
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count < Spool.bufferSize {
            buffer.append(contentsOf: bytes)
            return
        }
        try flush()
        try Spool.write(bytes, to: descriptor, what: name)
    }

    /// Rows, but for their first `droppingFirst` bytes.
    mutating func write(_ rows: RowBytes, droppingFirst skipped: Int = 0) throws {
        try rows.withUnsafeBytes { try write(UnsafeRawBufferPointer(rebasing: $0[min(skipped, $0.count)...])) }
    }

    mutating func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    mutating func flush() throws {
        try buffer.withUnsafeBytes { try Spool.write($0, to: descriptor, what: name) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Where a report goes: standard output, or a file that appears only whole (written beside
/// its name, then put in its place), so a failed report never leaves half a file.
final class ReportOutput {
    private let descriptor: Int32
    private let path: String?
    private let temporaryPath: String?
    private var file: BufferedFile

    /// nil writes to standard output.
    init(path: String?) throws {
        self.path = path
        guard let path else {
            descriptor = STDOUT_FILENO
            temporaryPath = nil
            file = BufferedFile(STDOUT_FILENO, name: "the report")
            return
        }
        let temporary = path + ".partial-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StoreError("cannot write \(path): \(String(cString: strerror(errno)))") }
        self.descriptor = descriptor
        temporaryPath = temporary
        file = BufferedFile(descriptor, name: path)
    }

    deinit {
        if let temporaryPath {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    func write(_ text: String) throws {
        try file.write(text)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try file.write(bytes)
    }

    /// Rows streamed straight into the report, but for their first `droppingFirst` bytes.
    func write(_ rows: RowBytes, droppingFirst skipped: Int = 0) throws {
        try file.write(rows, droppingFirst: skipped)
    }

    /// Copies the spool in, in the kernel where it can.
    func write(_ spool: Spool) throws {
        try file.flush()
        guard try !spool.copy(to: descriptor) else { return }
        try spool.read { try file.write($0) }
    }

    /// Writes what is left; the file is then put in its place. It is not flushed to the disk
    /// first, as the log is: a report can be made again from its log, and waiting for the disk
    /// to take a long log's report (hundreds of megabytes) adds a tenth of a second or more. A
    /// report that replaces another swaps names with it, then removes it: renaming over a file
    /// has ext4 allocate and start writing the new one's blocks then and there (`auto_da_alloc`).
    func finish() throws {
        try file.flush()
        guard let path, let temporaryPath else { return }
        if sb_exchange_names(temporaryPath, path) == 0 {
            unlink(temporaryPath)
            return
        }
        // Nothing to replace, or a file system that cannot swap names.
        guard rename(temporaryPath, path) == 0 else {
            throw StoreError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

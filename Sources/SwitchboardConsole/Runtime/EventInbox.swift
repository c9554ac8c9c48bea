import Glibc
import Synchronization

/// The one stream of events into the console's owner thread.
///
/// Any thread may `post`; the owner waits on `wakeDescriptor` with `poll()` together with the
/// terminal's input, then `drain`s. A byte is written to the wake pipe only when the queue goes
/// from empty to non-empty, so a burst of probe results costs one wake-up.
public final class EventInbox<Event: Sendable>: Sendable {
    private let queue = Mutex<[Event]>([])
    /// Readable when events are waiting.
    public let wakeDescriptor: Int32
    private let writeDescriptor: Int32

    /// The pipe could not be created (the process is out of file descriptors).
    public struct PipeError: Error, CustomStringConvertible {
        public let description: String
    }

    public init() throws(PipeError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw PipeError(description: "cannot create the event pipe: \(String(cString: strerror(errno)))")
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeDescriptor = fds[0]
        writeDescriptor = fds[1]
    }

    deinit {
        close(wakeDescriptor)
        close(writeDescriptor)
    }

    public func post(_ event: Event) {
        let wasEmpty = queue.withLock { queue in
            defer { queue.append(event) }
            return queue.isEmpty
        }
        if wasEmpty {
            var byte: UInt8 = 1
            _ = write(writeDescriptor, &byte, 1)
        }
    }

    /// Everything posted so far, oldest first.
    public func drain() -> [Event] {
        var scratch = [UInt8](repeating: 0, count: 64)
        while read(wakeDescriptor, &scratch, scratch.count) > 0 {}
        return queue.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
    }
}

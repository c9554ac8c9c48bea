import Foundation
import Glibc
import Logging
import SwitchboardCore
import TerminalUI

/// The review's owner: the only code that touches the terminal and the review.
///
/// It blocks in `poll()` on the terminal and an inbox of signals, file changes and the
/// readings a thread of its own reads meanwhile (the review shows at once, and goes as far as
/// they are read). While playing, the timeout is the next whole second of the cursor (at most
/// 20 frames a second); paused, it waits without a timeout. New records and readings of a log
/// still being written arrive through inotify and are read from where the last read stopped;
/// at the end, the cursor follows them.
public final class ReviewRunLoop {
    enum Event: Sendable {
        case signal(Int32)
        case filesChanged
        case loaded(ReviewLoad)
    }

    private var review: Review
    /// The readings still to read; then the files, to follow them.
    private var loading: ReviewLoading?
    private var files: ReviewFiles?
    private let logger: Logger
    private let inbox: EventInbox<Event>

    public init(review: Review, loading: ReviewLoading, logger: Logger) throws {
        self.review = review
        self.loading = loading
        self.logger = logger
        self.inbox = try EventInbox()
    }

    public func run(makeBackend: () throws -> TerminalBackend) throws -> ConsoleRunLoop.Exit {
        let inbox = self.inbox
        let signals = TerminalSignals { inbox.post(.signal($0)) }
        defer { signals.remove() }
        let backend = try makeBackend()
        defer { backend.shutdown() }
        review.resize(backend.size)
        let view = ReviewView(theme: Theme.make(color: backend.supportsColor, unicode: backend.supportsUnicode))

        let folders = loading?.watchedFolders ?? []
        if let loading = loading.take() {
            let thread = Thread { loading.run { inbox.post(.loaded($0)) } }
            thread.name = "switchboard.review.readings"
            thread.start()
        }
        let queue = DispatchQueue(label: "switchboard.review.files")
        var watches: [DirectoryWatch] = []
        for folder in folders where FileManager.default.fileExists(atPath: folder) {
            do {
                watches.append(try DirectoryWatch(path: folder, queue: queue) { _ in inbox.post(.filesChanged) })
            } catch {
                logger.warning("cannot follow changes", metadata: ["folder": "\(folder)", "error": "\(error)"])
            }
        }
        defer { watches.removeAll() }

        func draw() {
            let frame = view.frame(review)
            backend.present(frame.buffer)
            if let limit = frame.scrollLimit, limit != (review.help ?? review.shown.viewer.modal?.scroll)?.limit {
                review.drawn(scrollLimit: limit)
            }
        }
        draw()
        var lastPlayed = ContinuousClock.now

        while true {
            var timeout: Int32 = -1
            if let wait = review.realTimeToNextFrame { timeout = Int32((wait * 1000).rounded(.up)) }
            var descriptors = [
                pollfd(fd: backend.inputDescriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            if poll(&descriptors, 2, timeout) < 0, errno != EINTR {
                logger.error("poll failed", metadata: ["errno": "\(errno)"])
                return .terminalClosed
            }
            if descriptors[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return .terminalClosed }

            // Playing moves the cursor by the real time that passed, whatever woke the loop.
            let now = ContinuousClock.now
            review.play(for: (now - lastPlayed).seconds)
            lastPlayed = now

            if descriptors[0].revents & Int16(POLLIN) != 0 {
                for key in backend.readKeys() {
                    if key == .control("l") { backend.refreshSize() }
                    review.handle(key)
                }
            }
            if descriptors[1].revents & Int16(POLLIN) != 0 {
                var changed = false
                for event in inbox.drain() {
                    switch event {
                    case .signal(SIGWINCH):
                        backend.refreshSize()
                        review.resize(backend.size)
                    case .signal(let number):
                        logger.notice("stopping on signal", metadata: ["signal": "\(number)"])
                        return .signal(number)
                    case .filesChanged:
                        changed = true
                    case .loaded(let load):
                        review.loaded(load)
                        if case .finished(let read, _) = load {
                            files = read
                            changed = true
                        }
                    }
                }
                if changed { readNew() }
            }
            if review.quitRequested { return .quit }
            draw()
        }
    }

    /// Folds in what a live console wrote since the last read.
    private func readNew() {
        guard var files else { return }
        defer { self.files = files }
        do {
            let (records, readings) = try files.readNew()
            review.append(records: records, readings: readings)
        } catch {
            logger.warning("cannot read what was appended", metadata: ["error": "\(error)"])
        }
    }
}

import Dispatch
import Glibc

/// Turns the signals that would end the process without restoring the terminal into events
/// for the owner's loop (the crash signals are `CrashRestore`'s). Installed before the terminal
/// is created, so curses does not install its own; removed after it is restored.
final class TerminalSignals {
    /// Every signal that can be caught and handled in order, SIGWINCH (a resize) among them.
    static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM,
                                   SIGPROF, SIGXCPU, SIGPWR, SIGIO, SIGSTKFLT, SIGWINCH]

    private var sources: [DispatchSourceSignal] = []

    /// `received` runs on a queue of its own with each signal's number.
    init(_ received: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "switchboard.signals")
        // A parent may have left some blocked (the mask is inherited): they must reach us.
        var set = sigset_t()
        sigemptyset(&set)
        for number in Self.handled { sigaddset(&set, number) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for number in Self.handled {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { received(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// Puts the default dispositions back.
    func remove() {
        for source in sources { source.cancel() }
        sources.removeAll()
        for number in Self.handled { signal(number, SIG_DFL) }
    }
}

import CNcursesw
import Glibc

/// Gives the terminal back even when the console crashes: on a fatal signal that is not an
/// orderly stop (SIGSEGV, SIGILL from a Swift trap, SIGABRT…), a handler restores the terminal
/// modes saved before curses took over and writes the terminal's own "leave the alternate
/// screen, show the cursor, plain text" sequences, then lets the signal kill the process as it
/// would have. Only async-signal-safe calls are made in the handler (`write`, `tcsetattr`,
/// `raise`), on memory prepared beforehand.
enum CrashRestore {
    static let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS]

    /// Saves the terminal's modes; call before curses changes them.
    static func saveModes() {
        _ = tcgetattr(STDIN_FILENO, savedModes)
    }

    /// Prepares the reset sequence from the terminal's description and installs the handlers;
    /// call once curses has loaded it. `extra` is written too (e.g. modes the console enabled).
    static func install(extra: String = "") {
        var bytes: [UInt8] = []
        for capability in ["rmcup", "cnorm", "sgr0"] {
            guard let value = tigetstr(capability), Int(bitPattern: value) != -1 else { continue }
            bytes += Array(String(cString: value).utf8)
        }
        bytes += Array(extra.utf8)
        resetLength = min(bytes.count, resetCapacity)
        for (index, byte) in bytes.prefix(resetCapacity).enumerated() { reset[index] = byte }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { number in
            _ = tcsetattr(STDIN_FILENO, TCSANOW, CrashRestore.savedModes)
            _ = write(STDOUT_FILENO, CrashRestore.reset, CrashRestore.resetLength)
            signal(number, SIG_DFL)
            raise(number)
        }
        action.sa_flags = Int32(bitPattern: UInt32(SA_RESETHAND) | UInt32(SA_NODEFER))
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for number in fatalSignals {
            sigaction(number, &action, nil)
            sigaddset(&unblocked, number)
        }
        // A parent may have left them blocked (the mask is inherited), which would keep a kill
        // pending forever.
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
    }

    /// Back to the default handlers, once the terminal was restored in order.
    static func uninstall() {
        for number in fatalSignals { signal(number, SIG_DFL) }
    }

    private static let resetCapacity = 256
    // Written once before the handlers are installed and only read by them afterwards.
    private nonisolated(unsafe) static let reset = UnsafeMutablePointer<UInt8>.allocate(capacity: resetCapacity)
    private nonisolated(unsafe) static var resetLength = 0
    private nonisolated(unsafe) static let savedModes = UnsafeMutablePointer<termios>.allocate(capacity: 1)
}

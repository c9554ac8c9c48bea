/// What the console needs from a terminal. The ncurses implementation is the only code that
/// touches curses; everything else draws into `CellBuffer`s and is testable without a terminal.
/// A backend belongs to the one thread that owns the screen.
public protocol TerminalBackend: AnyObject {
    /// The file descriptor to wait on for key presses.
    var inputDescriptor: Int32 { get }
    var size: Size { get }
    /// False on terminals without colour and when `NO_COLOR` is set: views then rely on attributes.
    var supportsColor: Bool { get }
    /// False when the locale cannot show UTF-8: views then use ASCII symbols.
    var supportsUnicode: Bool { get }

    /// Shows a frame, writing only the cells that differ from the previous one.
    func present(_ frame: CellBuffer)
    /// Every key press available now, without waiting.
    func readKeys() -> [Key]
    /// Re-reads the terminal's size after a window change; the next frame is drawn in full.
    func refreshSize()
    /// Hands the terminal to another program (an editor) until `resume()`.
    func suspend()
    /// Takes the terminal back after `suspend()`; the next frame is drawn in full.
    func resume()
    /// Restores the terminal (echo, cursor, main screen). Safe to call more than once.
    func shutdown()
}

/// A key press, decoded from the terminal.
public enum Key: Sendable, Equatable {
    case character(Character)
    case enter
    case escape
    case tab
    case backTab
    case backspace
    case up, down, left, right
    /// Shift with ← or →.
    case shiftLeft, shiftRight
    case pageUp, pageDown, home, end
    /// F1 to F12, by number (F1 is help, as in htop and mc).
    case function(Int)
    /// A control combination such as Ctrl-L, by its letter.
    case control(Character)
    /// A key the console has no name for (function keys and the like), by its curses code.
    case other(Int32)
    /// Text pasted at once (the terminal's bracketed paste): typed into the field that has the
    /// cursor, never read as keys, so no line of it can run a command.
    case paste(String)
}

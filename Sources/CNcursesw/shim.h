// Wide-character ncurses for Swift.
//
// SwiftPM drops pkg-config's -D flags, so the wide-character API is switched on here before the
// header is included. Swift 6 cannot import ncurses' mutable globals (stdscr, LINES, COLS) nor its
// attribute macros, so they are exposed as small inline functions.
#ifndef SWITCHBOARD_CNCURSESW_SHIM_H
#define SWITCHBOARD_CNCURSESW_SHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <string.h>
#include <sys/ioctl.h>
#include <ncursesw/curses.h>

static inline WINDOW *sb_stdscr(void) { return stdscr; }
static inline int sb_lines(void) { return LINES; }
static inline int sb_cols(void) { return COLS; }

static inline attr_t sb_attr_normal(void) { return A_NORMAL; }
static inline attr_t sb_attr_bold(void) { return A_BOLD; }
static inline attr_t sb_attr_dim(void) { return A_DIM; }
static inline attr_t sb_attr_reverse(void) { return A_REVERSE; }
static inline attr_t sb_attr_underline(void) { return A_UNDERLINE; }

static inline int sb_key_resize(void) { return KEY_RESIZE; }
static inline int sb_color_pairs(void) { return COLOR_PAIRS; }

/// A curses screen on the process's standard output and input (NULL when TERM is unusable;
/// unlike initscr, this does not exit the process).
static inline SCREEN *sb_newterm(void) { return newterm(NULL, stdout, stdin); }

/// Puts one grapheme (up to CCHARW_MAX code points) at (y, x) with attributes and a colour pair.
/// The pair is passed to setcchar directly because COLOR_PAIR() stops at 255.
static inline int sb_put_cell(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cell);
}

/// The terminal's size as the kernel reports it; returns 0 on success.
static inline int sb_terminal_size(int fd, int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

static inline int sb_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

#endif

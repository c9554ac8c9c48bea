// copy_file_range(2) and renameat2(2), which glibc declares only under _GNU_SOURCE, so Swift's
// Glibc module does not see them. Declared here as glibc (2.28 and later) defines them, without
// _GNU_SOURCE, which would make the system headers' types differ from every other module's.
#ifndef SWITCHBOARD_CFILECOPY_SHIM_H
#define SWITCHBOARD_CFILECOPY_SHIM_H

#include <stddef.h>
#include <sys/types.h>

extern ssize_t copy_file_range(int infd, off_t *pinoff, int outfd, off_t *poutoff, size_t length, unsigned int flags);

/// Copies up to `length` bytes from `source` at `*offset` to `destination` at its file offset, in
/// the kernel (no copy through the process); advances `*offset`.
static inline ssize_t sb_copy_file_range(int source, off_t *offset, int destination, size_t length) {
    return copy_file_range(source, offset, destination, NULL, length, 0);
}

extern int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

/// Swaps the names `first` and `second` (both must exist) in one step, as RENAME_EXCHANGE does.
static inline int sb_exchange_names(const char *first, const char *second) {
    return renameat2(-100 /* AT_FDCWD */, first, -100, second, 1 << 1 /* RENAME_EXCHANGE */);
}

#endif

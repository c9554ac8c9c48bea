// copy_file_range(2), which glibc declares only under _GNU_SOURCE, so Swift's Glibc module does
// not see it. Declared here as glibc (2.27 and later) defines it, without _GNU_SOURCE, which would
// make the system headers' types differ from every other module's.
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

#endif

// Linux process control Swift cannot reach directly: prctl(2) is variadic, and pipe2(2) and
// POSIX_SPAWN_SETSID are GNU extensions the Glibc module does not expose.
#ifndef SWITCHBOARD_CPROCESSCONTROL_SHIM_H
#define SWITCHBOARD_CPROCESSCONTROL_SHIM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <fcntl.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <unistd.h>

/// Makes the calling process the reaper of its orphaned descendants (PR_SET_CHILD_SUBREAPER):
/// a command's children that outlive it become this process's children, not init's.
static inline int sb_become_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

/// A pipe whose ends are closed on exec, so no child inherits them by accident.
static inline int sb_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

/// The posix_spawn flag that starts the child in a session of its own.
static inline short sb_posix_spawn_setsid(void) { return POSIX_SPAWN_SETSID; }

#endif

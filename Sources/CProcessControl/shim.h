// Linux process control Swift cannot call directly: prctl(2) is variadic.
#ifndef SWITCHBOARD_CPROCESSCONTROL_SHIM_H
#define SWITCHBOARD_CPROCESSCONTROL_SHIM_H

#include <sys/prctl.h>

/// Makes the calling process the reaper of its orphaned descendants (PR_SET_CHILD_SUBREAPER):
/// a command's children that outlive it become this process's children, not init's.
static inline int sb_become_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

#endif

// libFuzzer's entry point for programs with a main of their own (switchboard-fuzz, built with
// -sanitize=fuzzer). Only declared here: it is linked, and called, only in that build.
#ifndef SWITCHBOARD_CFUZZER_SHIM_H
#define SWITCHBOARD_CFUZZER_SHIM_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));

#endif

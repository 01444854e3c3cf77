/*
 * fuzz.h — the libFuzzer entry point every harness in tests/fuzz/ defines.
 *
 * `make fuzz` links each harness with clang's libFuzzer; `make test` links
 * the same harness with tests/fuzz/replay.c and replays every saved input
 * under tests/fuzz/corpus/<harness>/ with the sanitizers on.
 */
#ifndef KK_FUZZ_H
#define KK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif

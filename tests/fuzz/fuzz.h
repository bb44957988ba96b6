/*
 * fuzz.h — what the libFuzzer targets share (tests/fuzz/, `make fuzz`).
 *
 * The readers under test open files by path, so an input becomes a file in
 * memory (memfd) reached through /proc/self/fd: no disk, nothing left
 * behind.
 */
#ifndef KASPARRO_FUZZ_H
#define KASPARRO_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A memfd holding data; its path in *path ("/proc/self/fd/N"). Close the fd. */
int fuzz_file(const void *data, size_t size, char *path, size_t pathlen);

#endif

/*
 * fuzz_file.c — inputs as files in memory for the fuzz targets (fuzz.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

int fuzz_file(const void *data, size_t size, char *path, size_t pathlen)
{
    int fd = memfd_create("kasparro-fuzz", 0);

    if (fd < 0 || (size > 0 && write(fd, data, size) != (ssize_t)size)) {
        perror("fuzz: memfd");
        abort();
    }
    snprintf(path, pathlen, "/proc/self/fd/%d", fd);
    return fd;
}

/*
 * fuzz_config.c — the configuration reader on any bytes: a configuration
 * or an error that names the file; never a crash or a leak.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "kasparro/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    struct err err = {0};
    int fd = fuzz_file(data, size, path, sizeof path);
    struct config *cfg = config_load(path, &err);

    if (cfg == NULL) {
        if (strstr(err.msg, path) == NULL || err.code != EXIT_USAGE)
            abort();
    } else {
        config_require_ingest(cfg, &err);
        config_free(cfg);
    }
    close(fd);
    return 0;
}

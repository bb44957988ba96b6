/*
 * config_digest.c — what a source loads by, as one number, so that the
 * processes sharing a run's work (work.c) can tell whether they would load
 * a source alike. An operator edits kasparro.conf and types `kasparro run`
 * while a daemon still holds the configuration it started with: the daemon
 * must not load the run's sources by its older mapping.
 *
 * The digest chains the lines as the parser takes them (section, key,
 * value: comments, spacing and blank lines do not count) of the source's
 * own section and of what every source loads by — the schema, the delete
 * guard, the share of bad records that fails a source — then the source's
 * file as resolved against the configuration's folder. Settings that only
 * pace or show a load (workers, batch_size, log_level) are left out: two
 * daemons may differ in them and still share a run. Key order counts: a
 * reordered section makes the processes decline each other's sources,
 * which costs help, never a wrong load.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

#include "kasparro/config.h"

static uint64_t chain(uint64_t h, const char *s)
{
    return XXH3_64bits_withSeed(s, strlen(s) + 1, h);
}

static bool loads_by(const char *kind, const char *key)
{
    return strcmp(kind, "schema") == 0 || strcmp(kind, "deletes") == 0 ||
           (strcmp(kind, "kasparro") == 0 && strcmp(key, "error_ratio") == 0);
}

void config_digest_line(struct config *cfg, struct source_cfg *src, const char *kind,
                        const char *key, const char *value)
{
    uint64_t *h = NULL;

    if (strcmp(kind, "source") == 0)
        h = src != NULL ? &src->load_digest : NULL;
    else if (loads_by(kind, key))
        h = &cfg->load_digest;
    if (h != NULL)
        *h = chain(chain(chain(*h, kind), key), value);
}

void config_source_digest(const struct config *cfg, const struct source_cfg *src,
                          char out[CONFIG_DIGEST_LEN])
{
    uint64_t h = XXH3_64bits_withSeed(&cfg->load_digest, sizeof cfg->load_digest,
                                      src->load_digest);

    h = chain(h, src->path != NULL ? src->path : "");
    /* {dir} in a URL is the configuration's folder */
    if (src->url != NULL && strstr(src->url, "{dir}") != NULL)
        h = chain(h, cfg->dir != NULL ? cfg->dir : "");
    snprintf(out, CONFIG_DIGEST_LEN, "%016" PRIx64, h);
}

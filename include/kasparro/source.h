/*
 * source.h — where records come from: one interface, one file per kind.
 *
 * A source kind (source_http.c: JSON over HTTP with libcurl; source_csv.c:
 * CSV files streamed through libcsv) turns its input into a sequence of
 * items, each either a JSON object or a CSV row, plus where it was found
 * ("page 3, record 7", "line 12") and its raw text: for a JSON record its
 * tokens exactly as the source wrote them, without the whitespace between. The run
 * orchestrator pulls items with next(), maps them (mapper.h) and loads them
 * (loader.h). Sources know nothing of PostgreSQL.
 *
 * Resuming: position() describes, as JSON, the point just after the last
 * item returned; the loader commits it with the batch that ends there, and
 * a later run passes it back to open() as `resume` to continue an unfinished
 * full read. Incremental sources get the saved high-water mark as `cursor`.
 */
#ifndef KASPARRO_SOURCE_H
#define KASPARRO_SOURCE_H

#include <cjson/cJSON.h>
#include <stdatomic.h>
#include <stddef.h>

#include "kasparro/config.h"
#include "kasparro/err.h"
#include "kasparro/jdoc.h"

struct textenc;

struct src_item {
    /* http_json: the record object, exact (jdoc.h; owned by the source). */
    const struct jval *json;
    /* csv: the row's fields (UTF-8, already decoded) and the header names. */
    size_t ncols;
    const char *const *cols;
    const size_t *col_lens;
    size_t nheader;
    const char *const *header;
    /* The item as read, for the quarantine table; may be NULL. */
    const char *raw;
    size_t raw_len;
    /* csv: the file's encoding when it is not UTF-8 (raw is in it, and is
     * converted only if the item is quarantined); else NULL. */
    struct textenc *raw_encoding;
    char location[128];
    /* Where the item was read, which a quarantined item names after its
     * location ("line 27 (/srv/in/shop.csv)"): an http_json item's page
     * URL (credentials masked), so that it can be fetched again; a csv
     * row's file, as a run opens it; else NULL. */
    const char *origin;
    /* Non-NULL: the item could not be read at all (malformed row); it is
     * quarantined with this reason and the read goes on. A csv row whose
     * only fault is an unreadable field (a NUL byte, bad UTF-8) still has
     * its columns, that one empty: its id names it in the quarantine. */
    const char *error;
};

struct source_stats {
    long long pages;
    long long requests;
    long long retries;
    long long bytes;
    long long size;  /* bytes the whole read will take, when known (a file); -1 unknown */
    long long total; /* records the source says it has; -1 unknown */
    /* Non-empty: the read stopped before the source said it ended, and why
     * ("max_pages = 3 stopped the read before the API's last page"). */
    char cut_short[160];
};

struct source_open {
    const struct config *cfg;
    const struct source_cfg *src;
    const cJSON *resume;          /* NULL: from the start */
    const char *cursor;           /* incremental lower bound, or NULL */
    const atomic_bool *cancel;    /* set to stop fetching promptly */
};

struct source;

struct source_ops {
    const char *kind;
    struct source *(*open)(const struct source_open *how, struct err *err);
    /* 1: *item filled, valid until the next call; 0: the end (stats() says
     * whether it was the source's own end or a limit's); -1: the source
     * failed (err says where: "page 4: HTTP 503 after 5 attempts"). */
    int (*next)(struct source *s, struct src_item *item, struct err *err);
    /* The resume point after the last item returned (caller frees). */
    cJSON *(*position)(struct source *s);
    /* Fills what it knows; the caller sets every field to -1 or 0 first. */
    void (*stats)(struct source *s, struct source_stats *out);
    void (*close)(struct source *s);
};

extern const struct source_ops source_http_ops;
extern const struct source_ops source_csv_ops;
const struct source_ops *source_ops_for(enum source_kind kind);
/* Where `src` reads, as a run reads it: a CSV source's path, an http_json
 * source's URL with {dir} put in as its fetches put it (the placeholders
 * that take a value per request stay); "-" when unset. Caller frees. */
char *source_location(const struct config *cfg, const struct source_cfg *src);

#endif

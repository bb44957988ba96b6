/*
 * loader_batch.h — what the loader's two halves share (src/etl/loader.c
 * builds batches on the reading thread; src/etl/loader_write.c writes them
 * on the loader's writer thread). Not for use outside the loader.
 */
#ifndef KASPARRO_LOADER_BATCH_H
#define KASPARRO_LOADER_BATCH_H

#include <pthread.h>
#include <stdint.h>

#include "kasparro/buf.h"
#include "kasparro/loader.h"

struct quarantined {
    char *location, *source_id, *field, *reason, *raw;
};

/* One batch, already in COPY form. Row i is row i of `keys` (ord,
 * source_id, hash in COPY's binary format) and line i of `full` (text:
 * "ord\tsource_id\thash\tpayload\tv0\t...\tvN"), starting at
 * full.data + line_at[i]. */
struct batch {
    struct buf keys;
    struct buf full;
    size_t *line_at;
    size_t nrows, cap;
    uint64_t *ids;     /* hashes of the ids, open addressing, for repeats */
    size_t ids_cap;
    bool dups;         /* an id occurs twice: the last occurrence wins */
    struct quarantined *q;
    size_t nq, capq;
    char *position;    /* the checkpoint after this batch (JSON text) or NULL */
    char *cursor;
    bool complete;     /* a finished full read */
};

struct loader {
    struct db *db;
    const struct config *cfg;
    const struct source_cfg *src;
    long long run_id;
    char run_id_text[32];
    const char *actor;
    bool track_seen;           /* ids go to kasparro_seen (a full read, not the first) */
    bool first_read;           /* the source had no records as the read began */
    bool fresh;                /* first_read, and no id repeated yet: COPY straight in */
    char *sql_upsert, *sql_upsert_dedup, *sql_copy_stage, *sql_copy_records;

    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool started, stop, writing, failed;
    struct batch *building;    /* filled by the reading thread */
    struct batch *queued;      /* handed over, not yet taken */
    struct batch *spare;
    struct err werr;           /* the writer's failure */
    struct loader_counts counts; /* committed so far */
    long long pending_rows;    /* rows and quarantined items in `building` */
};

/* Writes one batch in one transaction (loader_write.c); adds what it did
 * to *done. */
int loader_write_batch(struct loader *l, struct batch *b, struct loader_counts *done,
                       struct err *err);
/* The SQL the writer needs, built once for this schema. */
void loader_build_sql(struct loader *l);

#endif

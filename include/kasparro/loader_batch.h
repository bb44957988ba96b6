/*
 * loader_batch.h — what the loader's two halves share (src/etl/loader.c
 * builds batches on the reading thread; src/etl/loader_write.c writes them
 * on the loader's writer thread). Not for use outside the loader.
 */
#ifndef KASPARRO_LOADER_BATCH_H
#define KASPARRO_LOADER_BATCH_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "kasparro/buf.h"
#include "kasparro/strmap.h"
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
    uint32_t *id_rows; /* the row that put each hash there */
    size_t ids_cap;
    struct buf locs;   /* each row's location ("line 12"), NUL-terminated */
    size_t *loc_at;    /* row i's location starts at locs.data + loc_at[i] */
    bool dups;         /* an id occurs twice: the last occurrence wins */
    bool text_times;   /* a timestamp outside years 1-9999 as coerce writes them:
                        * the fresh path COPYs the records as text */
    struct quarantined *q;
    size_t nq, capq;
    char *position;    /* the checkpoint after this batch (JSON text) or NULL */
    char *cursor;
    bool complete;     /* a finished full read */
};

/* The payloads' own connection of a fresh load (loader_raw.c). */
struct loader_raw {
    struct db *db;             /* NULL: payloads go on the loader's connection */
    pthread_t thread;
    const struct batch *b;     /* the batch its thread writes */
    const PGresult *ids;
    int rc;
    struct err err;
    bool pending;              /* a payload transaction waits for its commit */
    char first_id[24];         /* the key of its marker in kasparro.raw_pending */
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
    bool mark_restored;        /* restored records await a read: `restored` */
    struct strmap restored;    /* their COPY-text source ids -> record id (count) */
    char *sql_upsert, *sql_upsert_dedup, *sql_copy_stage, *sql_copy_records,
        *sql_copy_records_bin;
    struct loader_raw raw;

    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool started, stop, writing, failed;
    struct batch *building;    /* filled by the reading thread */
    struct batch *queued;      /* handed over, not yet taken */
    struct batch *spare[2];    /* written, kept for reuse (at most three */
    size_t nspare;             /* batches ever exist: see loader.c) */
    struct err werr;           /* the writer's failure */
    struct loader_counts counts; /* committed so far */
    struct loader_repeats repeats; /* reading thread only */
    struct buf scratch;        /* reading thread: an id in COPY text, to compare */
    long long pending_rows;    /* rows and quarantined items in `building` */
};

/* Writes one batch in one transaction (loader_write.c); adds what it did
 * to *done. */
int loader_write_batch(struct loader *l, struct batch *b, struct loader_counts *done,
                       struct err *err);
/* The SQL the writer needs, built once for this schema. */
void loader_build_sql(struct loader *l);
/* A timestamp as coerce writes it ("YYYY-MM-DDTHH:MM:SS[.ffffff]Z", year
 * 1-9999) as microseconds since 2000-01-01 UTC, timestamptz's binary form;
 * false for any other text (loader_write.c). */
bool loader_stamp_usec(const char *s, size_t len, int64_t *usec);
/* COPYs the payloads of a fresh batch, record ids `ids` (in row order), on
 * `db` (loader_write.c). */
int loader_copy_payloads(struct loader *l, struct db *db, const struct batch *b,
                         const PGresult *ids, struct err *err);

/* loader_raw.c: the payloads of a fresh load on a second connection.
 * open connects it (a refusal is logged, and the payloads stay on the
 * loader's connection); sweep removes payloads left by a load that stopped
 * between a batch's two commits; start runs a batch's payload COPY on its
 * thread (false: there is no second connection, or no thread), join waits
 * for it; commit commits those payloads and deletes their marker in the
 * loader's transaction, which must commit next; rollback abandons them. */
void loader_raw_open(struct loader *l, const atomic_bool *cancel);
void loader_raw_close(struct loader *l);
int loader_raw_sweep(struct loader *l, struct err *err);
bool loader_raw_start(struct loader *l, const struct batch *b, const PGresult *ids);
int loader_raw_join(struct loader *l, struct err *err);
int loader_raw_commit(struct loader *l, struct err *err);
void loader_raw_rollback(struct loader *l);

#endif

/*
 * loader.h — writing mapped rows into PostgreSQL, exactly once.
 *
 * Rows are collected into batches (batch_size). A batch goes in with COPY
 * into a temporary staging table, then one set-based statement inserts the
 * new records and updates those whose content hash changed (unchanged ones
 * are only counted), and writes their raw payloads; the checkpoint that
 * follows the batch is written in the same transaction. A crash at any
 * moment therefore resumes from the last committed checkpoint, and
 * re-loading a batch is idempotent: nothing lost, nothing doubled.
 *
 * A full read also remembers every source id it sees (in the temporary
 * table kasparro_seen (source_id) on its connection), so that a
 * complete full read can tell which live records were not seen — except
 * the source's first read: with no records stored before it, every record
 * afterwards is one it read, and there is nothing to compare.
 *
 * Writing happens on a thread of the loader's own (loader_write.c), while
 * the caller goes on reading the source.
 */
#ifndef KASPARRO_LOADER_H
#define KASPARRO_LOADER_H

#include <cjson/cJSON.h>
#include <stdatomic.h>

#include "kasparro/config.h"
#include "kasparro/db.h"
#include "kasparro/mapper.h"

struct loader_counts {
    long long fetched;     /* items read, good or bad */
    long long inserted;
    long long updated;
    long long unchanged;
    long long quarantined;
    long long restored;    /* soft-deleted records that reappeared */
};

struct loader;

/* Records whose id an earlier record of the same batch had: the later one
 * is what the batch loads. The first few are kept to name them. */
struct loader_repeats {
    long long count;
    int n;
    struct {
        char *id, *first, *again; /* the id and its two locations */
    } ex[3];
};

/* Prepares staging on `db` for one source in one run; a `full` read keeps
 * the ids it reads in kasparro_seen (unless it is the first read). A first
 * read also opens a second connection for the payloads; once `cancel` is
 * set, both connections' statements are cancelled. */
struct loader *loader_open(struct db *db, const struct config *cfg, const struct source_cfg *src,
                           long long run_id, const char *actor, bool full,
                           const atomic_bool *cancel, struct err *err);
/* True when the source held no records, deleted ones included, as this
 * read began: every record it has afterwards came from this read. */
bool loader_first_read(const struct loader *l);
/* Adds a row read at `location` ("line 12", "page 2, record 3"). */
int loader_add(struct loader *l, const struct mapped *row, const char *location,
               struct err *err);
/* The ids this read repeated within a batch so far (reading thread). */
const struct loader_repeats *loader_repeats(const struct loader *l);
/* Records a rejected item; written with the next batch. */
void loader_quarantine(struct loader *l, const char *location, const char *source_id,
                       const char *field, const char *reason, const char *raw, size_t raw_len);
/* True when the current batch is full and should be flushed. */
bool loader_batch_full(const struct loader *l);
/* Hands the pending batch, its quarantine rows and the checkpoint (the
 * resume position, or NULL; the incremental cursor, or NULL) to the writer
 * thread, which commits them in one transaction. `complete` marks a
 * finished full read (clears the position, stamps last_full_sync_at).
 * Returns at once unless the writer is a batch behind; -1 reports an
 * earlier batch's failure. */
int loader_flush(struct loader *l, const cJSON *position, const char *cursor, bool complete,
                 struct err *err);
/* Waits until everything flushed is committed (or failed). The connection
 * is the caller's again afterwards. */
int loader_wait(struct loader *l, struct err *err);
/* What has been committed so far (any thread). */
struct loader_counts loader_counts(struct loader *l);
void loader_close(struct loader *l);
/* A set of ids as two figures, how many and the sum of their hashes: the
 * select list the loader tallies what a read left live with
 * (pg_temp.kasparro_tally: n, ids) and orphans.c counts the source's live
 * records with, over a source_id column. Equal figures: the same set. */
#define SQL_ID_TALLY "count(*) AS n, coalesce(sum(hashtextextended(source_id, 0)), 0) AS ids"
/* Removes the payloads a first load left when it stopped between a batch's
 * two commits (its next load does that too), for every source no worker
 * loads now — a source since removed from the configuration included. How
 * many batches, or -1 (src/etl/loader_raw.c). */
long long loader_raw_sweep_idle(struct db *db, struct err *err);

/* Ensures kasparro.records has one typed column per [schema] field; refuses
 * a type change with an explanation. Called once per run. */
int schema_sync(struct db *db, const struct config *cfg, struct err *err);
/* Only adds the columns of fields that have none, whatever the others
 * hold: what a face does when it opens the database. Waits for the table
 * 2 s at most; the error names the fields and who holds the table. */
int schema_add_columns(struct db *db, const struct config *cfg, struct err *err);
/* schema_add_columns failed because the table was in use: try again later. */
bool schema_table_busy(const struct err *err);

#endif

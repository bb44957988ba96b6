/*
 * loader.c — writing mapped rows into PostgreSQL, exactly once (see
 * loader.h): the reading side.
 *
 * DESIGN: the thread that reads the source formats each mapped row straight
 * into the current batch's COPY text; loader_flush() hands the batch to the
 * loader's writer thread and returns, so the source is parsed and mapped
 * while the database writes the previous batch (the two overlap instead of
 * taking turns). At most one batch waits: a slow database holds the reader
 * back, and memory stays at three batches whatever the size of the source:
 * the one being built, the one waiting and the one being written. A batch
 * written is kept for reuse, never freed and allocated again, so how the
 * reader and the writer happen to take turns does not change the memory a
 * load holds.
 * The writer owns the connection until loader_wait() returns; a failure it
 * meets is reported by the next loader call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "kasparro/copy.h"
#include "kasparro/loader_batch.h"
#include "kasparro/log.h"
#include "kasparro/utf8.h"

static struct batch *batch_new(const struct loader *l)
{
    struct batch *b = xcalloc(1, sizeof *b);

    b->ids_cap = 16;
    while (b->ids_cap < (size_t)l->cfg->batch_size * 2)
        b->ids_cap *= 2;
    b->ids = xcalloc(b->ids_cap, sizeof *b->ids);
    b->id_rows = xcalloc(b->ids_cap, sizeof *b->id_rows);
    return b;
}

static void batch_reset(struct batch *b)
{
    buf_reset(&b->keys);
    buf_reset(&b->full);
    buf_reset(&b->locs);
    for (size_t i = 0; i < b->nq; i++) {
        free(b->q[i].location);
        free(b->q[i].source_id);
        free(b->q[i].field);
        free(b->q[i].reason);
        free(b->q[i].raw);
    }
    b->nq = 0;
    if (b->nrows > 0)
        memset(b->ids, 0, b->ids_cap * sizeof *b->ids);
    b->nrows = 0;
    b->dups = false;
    b->text_times = false;
    free(b->position);
    free(b->cursor);
    b->position = b->cursor = NULL;
    b->complete = false;
}

static void batch_free(struct batch *b)
{
    if (b == NULL)
        return;
    batch_reset(b);
    buf_free(&b->keys);
    buf_free(&b->full);
    buf_free(&b->locs);
    free(b->line_at);
    free(b->loc_at);
    free(b->ids);
    free(b->id_rows);
    free(b->q);
    free(b);
}

static const char *sql_has_records =
    "SELECT EXISTS (SELECT 1 FROM kasparro.records WHERE source = $1)";
/* The source's records that a restore not undone brought back and no read
 * has returned since: undoing that restore keeps a record the source has
 * shown again (restore_undo.c), which a read that finds it unchanged would
 * otherwise leave no trace of. Read once per read into l->restored, so a
 * source without any (nearly every read) costs its batches nothing, and
 * one with some a lookup per row in the writer (loader_write.c); a restore
 * made while the read runs is marked by the next one. */
static const char *sql_restored =
    "SELECT DISTINCT r.source_id, r.id FROM kasparro.restored_records rr "
    "JOIN kasparro.decisions d ON d.id = rr.decision_id AND d.undone_by IS NULL "
    "JOIN kasparro.records r ON r.id = rr.record_id "
    "WHERE r.source = $1 AND rr.read_again_run IS NULL AND NOT r.is_deleted";

/* l->restored: each such record's id under its source id as the batches'
 * COPY text spells it. */
static int load_restored(struct loader *l, struct err *err)
{
    PGresult *r = db_exec(l->db, err, sql_restored, DB_PARAMS(l->src->name));
    struct buf key = BUF_INIT;

    if (r == NULL)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        buf_reset(&key);
        copy_escape(&key, PQgetvalue(r, i, 0), (size_t)PQgetlength(r, i, 0));
        strmap_put(&l->restored, key.data, key.len)->count = db_ll(r, i, 1);
    }
    l->mark_restored = PQntuples(r) > 0;
    PQclear(r);
    buf_free(&key);
    return 0;
}

/* Temporary tables on the loader's connection: the staged rows and keys of
 * a batch (emptied at each commit), every id this read has seen (loaded,
 * once per batch that loaded it; or quarantined), and the tally of the
 * records it left live (loader_write.c). */
static int create_staging(struct loader *l, struct err *err)
{
    struct buf ddl = BUF_INIT;
    PGresult *r;
    int rc = 0;

    buf_adds(&ddl, "DROP TABLE IF EXISTS pg_temp.kasparro_stage, pg_temp.kasparro_keys, "
                   "pg_temp.kasparro_seen, pg_temp.kasparro_tally; "
                   "CREATE TEMP TABLE kasparro_stage (ord integer, source_id text, hash uuid, "
                   "payload text");
    for (size_t i = 0; i < l->cfg->nfields; i++)
        buf_printf(&ddl, ", v%zu text", i);
    buf_adds(&ddl, ") ON COMMIT DELETE ROWS; "
                   "CREATE TEMP TABLE kasparro_keys (ord integer, source_id text, hash uuid) "
                   "ON COMMIT DELETE ROWS; "
                   "CREATE TEMP TABLE kasparro_seen (source_id text, loaded boolean DEFAULT false); "
                   "CREATE TEMP TABLE kasparro_tally (n bigint, ids numeric); "
                   "INSERT INTO kasparro_tally VALUES (0, 0); "
                   "SET work_mem = '64MB';");
    r = PQexec(l->db->conn, ddl.data);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = db_error(l->db, r, err);
    PQclear(r);
    buf_free(&ddl);
    return rc;
}

static void *writer_main(void *arg)
{
    struct loader *l = arg;

    pthread_mutex_lock(&l->lock);
    for (;;) {
        while (l->queued == NULL && !l->stop)
            pthread_cond_wait(&l->cond, &l->lock);
        if (l->queued == NULL)
            break;
        struct batch *b = l->queued;
        struct loader_counts done = {0};
        struct err err = {0};
        l->queued = NULL;
        l->writing = true;
        pthread_mutex_unlock(&l->lock);

        int rc = l->failed ? -1 : loader_write_batch(l, b, &done, &err);

        pthread_mutex_lock(&l->lock);
        l->writing = false;
        if (rc < 0 && !l->failed) {
            l->failed = true;
            l->werr = err;
        } else if (rc == 0) {
            l->counts.fetched += done.fetched;
            l->counts.inserted += done.inserted;
            l->counts.updated += done.updated;
            l->counts.unchanged += done.unchanged;
            l->counts.quarantined += done.quarantined;
            l->counts.restored += done.restored;
        }
        batch_reset(b);
        if (l->nspare < ARRAY_SIZE(l->spare))
            l->spare[l->nspare++] = b;
        else
            batch_free(b);
        pthread_cond_broadcast(&l->cond);
    }
    pthread_mutex_unlock(&l->lock);
    return NULL;
}

struct loader *loader_open(struct db *db, const struct config *cfg, const struct source_cfg *src,
                           long long run_id, const char *actor, bool full,
                           const atomic_bool *cancel, struct err *err)
{
    struct loader *l = xcalloc(1, sizeof *l);
    PGresult *r;

    l->db = db;
    l->cfg = cfg;
    l->src = src;
    l->run_id = run_id;
    l->actor = actor;
    snprintf(l->run_id_text, sizeof l->run_id_text, "%lld", run_id);
    pthread_mutex_init(&l->lock, NULL);
    pthread_cond_init(&l->cond, NULL);
    if (create_staging(l, err) < 0 || loader_raw_sweep(l, err) < 0 ||
        (r = db_exec(db, err, sql_has_records, DB_PARAMS(src->name))) == NULL) {
        loader_close(l);
        return NULL;
    }
    l->first_read = l->fresh = !db_bool(r, 0, 0);
    l->track_seen = full && !l->first_read;
    PQclear(r);
    if (!l->first_read && load_restored(l, err) < 0) {
        loader_close(l);
        return NULL;
    }
    if (l->fresh)
        loader_raw_open(l, cancel);
    loader_build_sql(l);
    l->building = batch_new(l);
    if (pthread_create(&l->thread, NULL, writer_main, l) != 0) {
        err_set(err, "unable to start the loader's writer thread: %m");
        loader_close(l);
        return NULL;
    }
    l->started = true;
    return l;
}

/* Row `row` of the batch had the hash of `id`: when it had the id itself
 * (not a hash collision), the later record replaces the earlier one, which
 * the source's user should hear of: counted, and the first few named with
 * both locations. */
static void note_repeat(struct loader *l, const struct batch *b, size_t row,
                        const struct buf *id, const char *location)
{
    const char *sid = strchr(b->full.data + b->line_at[row], '\t') + 1;
    struct loader_repeats *r = &l->repeats;

    buf_reset(&l->scratch);
    copy_escape(&l->scratch, id->data, id->len);
    if (strncmp(sid, l->scratch.data, l->scratch.len) != 0 || sid[l->scratch.len] != '\t')
        return;
    if (r->n < (int)ARRAY_SIZE(r->ex)) {
        r->ex[r->n].id = utf8_sanitize(id->data, id->len);
        r->ex[r->n].first = xstrdup(b->locs.data + b->loc_at[row]);
        r->ex[r->n].again = xstrdup(location);
        r->n++;
    }
    r->count++;
}

/* A repeated id (or a hash collision, which only costs a sort) switches the
 * batch to the deduplicating upsert. */
static void note_id(struct loader *l, struct batch *b, const struct buf *id, const char *location)
{
    uint64_t h = XXH3_64bits(id->data, id->len) | 1; /* 0 marks an empty slot */
    size_t i = (size_t)h & (b->ids_cap - 1);

    while (b->ids[i] != 0) {
        if (b->ids[i] == h) {
            b->dups = true;
            note_repeat(l, b, b->id_rows[i], id, location);
            return;
        }
        i = (i + 1) & (b->ids_cap - 1);
    }
    b->ids[i] = h;
    b->id_rows[i] = (uint32_t)b->nrows;
}

static int writer_failed(struct loader *l, struct err *err)
{
    pthread_mutex_lock(&l->lock);
    bool failed = l->failed;
    if (failed)
        *err = l->werr;
    pthread_mutex_unlock(&l->lock);
    return failed ? -1 : 0;
}

int loader_add(struct loader *l, const struct mapped *row, const char *location,
               struct err *err)
{
    struct batch *b = l->building;
    char ord[24];
    int n;

    if (b->nrows == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 1024;
        b->line_at = xreallocarray(b->line_at, b->cap, sizeof *b->line_at);
        b->loc_at = xreallocarray(b->loc_at, b->cap, sizeof *b->loc_at);
    }
    if (b->nrows * 2 >= b->ids_cap) {
        /* a batch larger than planned: grow the id set, keeping it sparse */
        b->dups = true;
    } else {
        note_id(l, b, &row->source_id, location);
    }
    b->loc_at[b->nrows] = b->locs.len;
    buf_adds(&b->locs, location);
    buf_addc(&b->locs, '\0');
    n = snprintf(ord, sizeof ord, "%zu\t", b->nrows);
    b->line_at[b->nrows] = b->full.len;
    copy_bin_row(&b->keys, 3);
    copy_bin_int(&b->keys, (int32_t)b->nrows);
    copy_bin_text(&b->keys, row->source_id.data, row->source_id.len);
    copy_bin_bytes(&b->keys, row->hash, sizeof row->hash);
    buf_add(&b->full, ord, (size_t)n);
    copy_escape(&b->full, row->source_id.data, row->source_id.len);
    buf_addc(&b->full, '\t');
    buf_add(&b->full, row->hash_hex, 32);
    buf_addc(&b->full, '\t');
    copy_escape(&b->full, row->payload.data, row->payload.len);
    for (size_t i = 0; i < l->cfg->nfields; i++) {
        buf_addc(&b->full, '\t');
        if (row->values[i] == NULL)
            buf_add(&b->full, "\\N", 2);
        else
            copy_escape(&b->full, row->values[i], row->storage[i].len);
        int64_t usec;
        if (row->values[i] != NULL && l->cfg->fields[i].type == FT_TIMESTAMP &&
            !loader_stamp_usec(row->values[i], row->storage[i].len, &usec))
            b->text_times = true;
    }
    buf_addc(&b->full, '\n');
    b->nrows++;
    l->pending_rows++;
    return writer_failed(l, err);
}

void loader_quarantine(struct loader *l, const char *location, const char *source_id,
                       const char *field, const char *reason, const char *raw, size_t raw_len)
{
    struct batch *b = l->building;

    if (b->nq == b->capq) {
        b->capq = b->capq ? b->capq * 2 : 16;
        b->q = xreallocarray(b->q, b->capq, sizeof *b->q);
    }
    b->q[b->nq++] = (struct quarantined){
        xstrdup(location),
        source_id && *source_id ? utf8_sanitize(source_id, strlen(source_id)) : NULL,
        field && *field ? xstrdup(field) : NULL,
        utf8_sanitize(reason, strlen(reason)),
        raw ? utf8_sanitize(raw, raw_len) : NULL,
    };
    l->pending_rows++;
}

bool loader_first_read(const struct loader *l) { return l->first_read; }

const struct loader_repeats *loader_repeats(const struct loader *l) { return &l->repeats; }

bool loader_batch_full(const struct loader *l) { return l->pending_rows >= l->cfg->batch_size; }

int loader_flush(struct loader *l, const cJSON *position, const char *cursor, bool complete,
                 struct err *err)
{
    struct batch *b = l->building;
    char *pos = position ? cJSON_PrintUnformatted(position) : NULL;

    b->position = pos ? xstrdup(pos) : NULL;
    cJSON_free(pos);
    b->cursor = cursor ? xstrdup(cursor) : NULL;
    b->complete = complete;
    pthread_mutex_lock(&l->lock);
    while (l->queued != NULL && !l->failed)
        pthread_cond_wait(&l->cond, &l->lock);
    if (l->failed) {
        *err = l->werr;
        pthread_mutex_unlock(&l->lock);
        batch_reset(b);
        return -1;
    }
    l->queued = b;
    l->building = l->nspare > 0 ? l->spare[--l->nspare] : NULL;
    pthread_cond_broadcast(&l->cond);
    pthread_mutex_unlock(&l->lock);
    if (l->building == NULL)
        l->building = batch_new(l);
    l->pending_rows = 0;
    return 0;
}

int loader_wait(struct loader *l, struct err *err)
{
    pthread_mutex_lock(&l->lock);
    while ((l->queued != NULL || l->writing) && !l->failed)
        pthread_cond_wait(&l->cond, &l->lock);
    pthread_mutex_unlock(&l->lock);
    return writer_failed(l, err);
}

struct loader_counts loader_counts(struct loader *l)
{
    pthread_mutex_lock(&l->lock);
    struct loader_counts c = l->counts;
    pthread_mutex_unlock(&l->lock);
    return c;
}

void loader_close(struct loader *l)
{
    if (l == NULL)
        return;
    if (l->started) {
        pthread_mutex_lock(&l->lock);
        l->stop = true;
        pthread_cond_broadcast(&l->cond);
        pthread_mutex_unlock(&l->lock);
        pthread_join(l->thread, NULL);
    }
    loader_raw_close(l);
    batch_free(l->building);
    batch_free(l->queued);
    while (l->nspare > 0)
        batch_free(l->spare[--l->nspare]);
    free(l->sql_upsert);
    free(l->sql_upsert_dedup);
    free(l->sql_copy_stage);
    free(l->sql_copy_records);
    free(l->sql_copy_records_bin);
    strmap_free(&l->restored, NULL);
    for (int i = 0; i < l->repeats.n; i++) {
        free(l->repeats.ex[i].id);
        free(l->repeats.ex[i].first);
        free(l->repeats.ex[i].again);
    }
    buf_free(&l->scratch);
    pthread_cond_destroy(&l->cond);
    pthread_mutex_destroy(&l->lock);
    free(l);
}

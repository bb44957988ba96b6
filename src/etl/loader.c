/*
 * loader.c — writing mapped rows into PostgreSQL, exactly once (see
 * loader.h).
 *
 * A batch is one transaction. Its first row opens the transaction and a
 * COPY into the temporary table kasparro_stage; rows stream straight into
 * the COPY, so a batch costs no memory beyond libpq's buffer. loader_flush
 * ends the COPY and runs one statement that, for the batch's distinct ids
 * (the last occurrence wins), inserts new records, updates records whose
 * content hash changed or that were soft-deleted (restoring them, audited),
 * and writes the raw payloads of what was inserted or changed; unchanged
 * records are only counted, never written. Quarantine rows, the checkpoint,
 * the run's counters and heartbeat, and a NOTIFY follow in the same
 * transaction. Commits use synchronous_commit = off: a server crash can lose
 * the last fraction of a second of batches, but a checkpoint is never ahead
 * of its data, so the next run simply loads them again.
 *
 * kasparro_seen (temporary, per source) collects the ids of a full read for
 * orphan detection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "kasparro/copy.h"
#include "kasparro/loader.h"
#include "kasparro/log.h"
#include "kasparro/utf8.h"

struct quarantined {
    char *location, *source_id, *field, *reason, *raw;
};

struct loader {
    struct db *db;
    const struct config *cfg;
    const struct source_cfg *src;
    long long run_id;
    char run_id_text[32];
    const char *actor;         /* who restores reappearing records, for the audit log */
    bool track_seen;
    char *sql_upsert;          /* for batches whose ids are distinct */
    char *sql_upsert_dedup;    /* for batches that repeat an id: the last one wins */
    uint64_t *ids;             /* hashes of this batch's ids, open addressing */
    size_t ids_cap;
    bool batch_has_dups;
    char *sql_copy;
    struct copy_writer copy;
    bool in_batch;
    long long batch_rows;      /* rows and quarantined items in this batch */
    struct quarantined *q;
    size_t nq, capq;
    struct loader_counts counts;
    long long restored;
};

static const char *sql_checkpoint =
    "INSERT INTO kasparro.checkpoints (source, cursor, position, run_id, last_full_sync_at) "
    "VALUES ($1, $2, $3::jsonb, $4, CASE WHEN $5::boolean THEN now() END) "
    "ON CONFLICT (source) DO UPDATE SET cursor = COALESCE(excluded.cursor, checkpoints.cursor), "
    "position = excluded.position, run_id = excluded.run_id, "
    "last_full_sync_at = COALESCE(excluded.last_full_sync_at, checkpoints.last_full_sync_at), "
    "updated_at = now()";

static const char *sql_progress =
    "WITH rs AS (UPDATE kasparro.run_sources SET fetched = $3, inserted = $4, updated = $5, "
    "unchanged = $6, quarantined = $7, restored = $8 WHERE run_id = $1 AND source = $2 "
    "RETURNING 1), hb AS (UPDATE kasparro.runs SET heartbeat_at = now() WHERE id = $1 "
    "RETURNING 1) SELECT pg_notify('kasparro', 'run:' || $1)";

static char *quote_ident(struct db *db, const char *name)
{
    char *q = PQescapeIdentifier(db->conn, name, strlen(name));
    char *copy = xstrdup(q ? q : "\"?\"");
    PQfreemem(q);
    return copy;
}

/* The upsert for this schema; $1 source, $2 run id, $3 actor. Sorting for
 * DISTINCT ON is only paid when the batch repeats an id. */
static char *build_upsert(struct loader *l, bool dedup)
{
    struct buf cols = BUF_INIT, vals = BUF_INIT, sets = BUF_INIT, sql = BUF_INIT;

    for (size_t i = 0; i < l->cfg->nfields; i++) {
        const struct schema_field *f = &l->cfg->fields[i];
        char *ident = quote_ident(l->db, f->name);
        const char *type = schema_sql_type(f->type);
        buf_printf(&cols, ", %s", ident);
        buf_printf(&vals, ", c.v%zu::%s", i, type);
        buf_printf(&sets, ", %s = c.v%zu::%s", ident, i, type);
        free(ident);
    }
    buf_printf(&sql,
        "WITH s AS (%s), "
        /* OFFSET 0 keeps the lookup a per-row index probe: left to itself the
         * planner hashes the whole records table for every batch */
        "cur AS (SELECT s.*, r.rid, r.old_hash, r.was_deleted FROM s LEFT JOIN LATERAL "
        "  (SELECT id AS rid, content_hash AS old_hash, is_deleted AS was_deleted "
        "   FROM kasparro.records r WHERE r.source = $1 AND r.source_id = s.source_id "
        "   OFFSET 0) r ON true), "
        "%s"
        "ins AS (INSERT INTO kasparro.records (source, source_id, content_hash, first_seen_run, "
        "  last_changed_run%s) SELECT $1, c.source_id, c.hash, $2, $2%s FROM cur c "
        "  WHERE c.rid IS NULL RETURNING id, source_id), "
        "upd AS (UPDATE kasparro.records r SET content_hash = c.hash, last_changed_run = $2, "
        "  change_seq = nextval('kasparro.record_change_seq'), updated_at = now(), "
        "  is_deleted = false, deleted_at = NULL, deleted_by_run = NULL%s "
        "  FROM cur c WHERE r.id = c.rid AND (r.content_hash <> c.hash OR r.is_deleted) "
        "  RETURNING r.id, r.source_id, c.was_deleted, c.old_hash <> c.hash AS changed), "
        "raw AS (INSERT INTO kasparro.raw_records (record_id, payload, fetched_at, run_id) "
        "  SELECT x.id, c.payload::jsonb, now(), $2 FROM (SELECT id, source_id FROM ins "
        "  UNION ALL SELECT id, source_id FROM upd WHERE changed) x JOIN cur c USING (source_id) "
        "  ON CONFLICT (record_id) DO UPDATE SET payload = excluded.payload, "
        "  fetched_at = excluded.fetched_at, run_id = excluded.run_id), "
        "audit AS (INSERT INTO kasparro.audit_log (actor, action, object_type, object_id, "
        "  run_id, reason, before, after) SELECT $3, 'restore', 'record', id::text, $2, "
        "  'reappeared in source ' || $1, '{\"is_deleted\": true}', '{\"is_deleted\": false}' "
        "  FROM upd WHERE was_deleted) "
        "SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM upd WHERE changed), "
        "  (SELECT count(*) FROM upd WHERE was_deleted), (SELECT count(*) FROM cur)",
        dedup ? "SELECT DISTINCT ON (source_id) * FROM pg_temp.kasparro_stage "
                "ORDER BY source_id, ord DESC"
              : "SELECT * FROM pg_temp.kasparro_stage",
        l->track_seen ? "seen AS (INSERT INTO pg_temp.kasparro_seen SELECT source_id FROM s), "
                      : "",
        cols.data ? cols.data : "", vals.data ? vals.data : "", sets.data ? sets.data : "");
    buf_free(&cols);
    buf_free(&vals);
    buf_free(&sets);
    return buf_detach(&sql);
}

static int create_staging(struct loader *l, struct err *err)
{
    struct buf ddl = BUF_INIT, copy = BUF_INIT;
    PGresult *r;
    int rc = 0;

    buf_adds(&ddl, "DROP TABLE IF EXISTS pg_temp.kasparro_stage; "
                   "DROP TABLE IF EXISTS pg_temp.kasparro_seen; "
                   "CREATE TEMP TABLE kasparro_stage (ord integer, source_id text, hash uuid, "
                   "payload text");
    buf_adds(&copy, "COPY pg_temp.kasparro_stage (ord, source_id, hash, payload");
    for (size_t i = 0; i < l->cfg->nfields; i++) {
        buf_printf(&ddl, ", v%zu text", i);
        buf_printf(&copy, ", v%zu", i);
    }
    buf_adds(&ddl, ") ON COMMIT DELETE ROWS; "
                   "CREATE TEMP TABLE kasparro_seen (source_id text); "
                   "SET work_mem = '64MB';");
    buf_adds(&copy, ") FROM STDIN");
    r = PQexec(l->db->conn, ddl.data);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = db_error(l->db, r, err);
    PQclear(r);
    l->sql_copy = buf_detach(&copy);
    buf_free(&ddl);
    return rc;
}

struct loader *loader_open(struct db *db, const struct config *cfg, const struct source_cfg *src,
                           long long run_id, const char *actor, bool track_seen,
                           struct err *err)
{
    struct loader *l = xcalloc(1, sizeof *l);

    l->db = db;
    l->cfg = cfg;
    l->src = src;
    l->run_id = run_id;
    l->actor = actor;
    l->track_seen = track_seen;
    snprintf(l->run_id_text, sizeof l->run_id_text, "%lld", run_id);
    if (create_staging(l, err) < 0) {
        loader_close(l);
        return NULL;
    }
    l->sql_upsert = build_upsert(l, false);
    l->sql_upsert_dedup = build_upsert(l, true);
    l->ids_cap = 16;
    while (l->ids_cap < (size_t)cfg->batch_size * 2)
        l->ids_cap *= 2;
    l->ids = xcalloc(l->ids_cap, sizeof *l->ids);
    return l;
}

static int batch_begin(struct loader *l, struct err *err)
{
    PGresult *r;

    if (l->in_batch)
        return 0;
    r = PQexec(l->db->conn, "BEGIN; SET LOCAL synchronous_commit = off");
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        db_error(l->db, r, err);
        PQclear(r);
        return -1;
    }
    PQclear(r);
    l->in_batch = true;
    l->batch_rows = 0;
    l->batch_has_dups = false;
    memset(l->ids, 0, l->ids_cap * sizeof *l->ids);
    return copy_begin(&l->copy, l->db, l->sql_copy, err);
}

/* Notes the id in the batch's set; a repeat (or a hash collision, which
 * only costs a sort) switches the batch to the deduplicating upsert. */
static void note_id(struct loader *l, const struct buf *id)
{
    uint64_t h = XXH3_64bits(id->data, id->len) | 1; /* 0 marks an empty slot */
    size_t i = (size_t)h & (l->ids_cap - 1);

    while (l->ids[i] != 0) {
        if (l->ids[i] == h) {
            l->batch_has_dups = true;
            return;
        }
        i = (i + 1) & (l->ids_cap - 1);
    }
    l->ids[i] = h;
}

int loader_add(struct loader *l, const struct mapped *row, struct err *err)
{
    if (batch_begin(l, err) < 0)
        return -1;
    note_id(l, &row->source_id);
    copy_field_ll(&l->copy, l->batch_rows);
    copy_field(&l->copy, row->source_id.data, row->source_id.len);
    copy_field(&l->copy, row->hash_hex, 32);
    copy_field(&l->copy, row->payload.data, row->payload.len);
    for (size_t i = 0; i < l->cfg->nfields; i++) {
        if (row->values[i] == NULL)
            copy_null(&l->copy);
        else
            copy_field(&l->copy, row->values[i], row->storage[i].len);
    }
    l->batch_rows++;
    l->counts.fetched++;
    return copy_row(&l->copy, err);
}

void loader_quarantine(struct loader *l, const char *location, const char *source_id,
                       const char *field, const char *reason, const char *raw, size_t raw_len)
{
    if (l->nq == l->capq) {
        l->capq = l->capq ? l->capq * 2 : 16;
        l->q = xreallocarray(l->q, l->capq, sizeof *l->q);
    }
    l->q[l->nq++] = (struct quarantined){
        xstrdup(location),
        source_id && *source_id ? utf8_sanitize(source_id, strlen(source_id)) : NULL,
        field && *field ? xstrdup(field) : NULL,
        utf8_sanitize(reason, strlen(reason)),
        raw ? utf8_sanitize(raw, raw_len) : NULL,
    };
    l->batch_rows++;
    l->counts.fetched++;
    l->counts.quarantined++;
}

bool loader_batch_full(const struct loader *l) { return l->batch_rows >= l->cfg->batch_size; }

static void free_quarantined(struct loader *l)
{
    for (size_t i = 0; i < l->nq; i++) {
        free(l->q[i].location);
        free(l->q[i].source_id);
        free(l->q[i].field);
        free(l->q[i].reason);
        free(l->q[i].raw);
    }
    l->nq = 0;
}

static int write_quarantine(struct loader *l, struct err *err)
{
    struct copy_writer w;

    if (l->nq == 0)
        return 0;
    if (copy_begin(&w, l->db, "COPY kasparro.quarantine (run_id, source, location, source_id, "
                              "field, reason, raw) FROM STDIN", err) < 0)
        return -1;
    for (size_t i = 0; i < l->nq; i++) {
        copy_field_ll(&w, l->run_id);
        copy_fields(&w, l->src->name);
        copy_fields(&w, l->q[i].location);
        copy_fields(&w, l->q[i].source_id);
        copy_fields(&w, l->q[i].field);
        copy_fields(&w, l->q[i].reason);
        copy_fields(&w, l->q[i].raw);
        if (copy_row(&w, err) < 0) {
            copy_abort(&w);
            return -1;
        }
    }
    return copy_end(&w, err);
}

static int upsert(struct loader *l, struct err *err)
{
    PGresult *r = db_exec(l->db, err, l->batch_has_dups ? l->sql_upsert_dedup : l->sql_upsert,
                          DB_PARAMS(l->src->name, l->run_id_text, l->actor));
    long long inserted, updated, restored, distinct;

    if (r == NULL)
        return -1;
    inserted = db_ll(r, 0, 0);
    updated = db_ll(r, 0, 1);
    restored = db_ll(r, 0, 2);
    distinct = db_ll(r, 0, 3);
    PQclear(r);
    l->counts.inserted += inserted;
    l->counts.updated += updated;
    l->counts.unchanged += distinct - inserted - updated;
    l->restored += restored;
    return 0;
}

static int write_checkpoint(struct loader *l, const cJSON *position, const char *cursor,
                            bool complete, struct err *err)
{
    char *pos = position ? cJSON_PrintUnformatted(position) : NULL;
    int rc = db_run(l->db, err, sql_checkpoint,
                    DB_PARAMS(l->src->name, cursor, pos, l->run_id_text,
                              complete && l->track_seen ? "true" : "false"));
    cJSON_free(pos);
    return rc;
}

static int write_progress(struct loader *l, struct err *err)
{
    char v[6][32];
    long long n[6] = {l->counts.fetched, l->counts.inserted, l->counts.updated,
                      l->counts.unchanged, l->counts.quarantined, l->restored};

    for (int i = 0; i < 6; i++)
        snprintf(v[i], sizeof v[i], "%lld", n[i]);
    return db_run(l->db, err, sql_progress,
                  DB_PARAMS(l->run_id_text, l->src->name, v[0], v[1], v[2], v[3], v[4], v[5]));
}

int loader_flush(struct loader *l, const cJSON *position, const char *cursor, bool complete,
                 struct err *err)
{
    struct loader_counts before = l->counts;
    long long restored_before = l->restored;

    if (batch_begin(l, err) < 0)
        goto fail;
    if (copy_end(&l->copy, err) < 0 || upsert(l, err) < 0 || write_quarantine(l, err) < 0 ||
        write_checkpoint(l, position, cursor, complete, err) < 0 || write_progress(l, err) < 0 ||
        db_commit(l->db, err) < 0)
        goto fail;
    l->in_batch = false;
    free_quarantined(l);
    return 0;
fail:
    if (l->copy.buf.data != NULL)
        copy_abort(&l->copy);
    db_rollback(l->db);
    l->in_batch = false;
    /* what this batch counted did not happen */
    l->counts.inserted = before.inserted;
    l->counts.updated = before.updated;
    l->counts.unchanged = before.unchanged;
    l->restored = restored_before;
    free_quarantined(l);
    return -1;
}

const struct loader_counts *loader_counts(const struct loader *l) { return &l->counts; }
long long loader_restored(const struct loader *l) { return l->restored; }

void loader_close(struct loader *l)
{
    if (l == NULL)
        return;
    if (l->in_batch) {
        copy_abort(&l->copy);
        db_rollback(l->db);
    }
    free_quarantined(l);
    free(l->q);
    free(l->sql_upsert);
    free(l->sql_upsert_dedup);
    free(l->ids);
    free(l->sql_copy);
    free(l);
}

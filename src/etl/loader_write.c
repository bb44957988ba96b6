/*
 * loader_write.c — the loader's writer thread: one batch, one transaction.
 *
 * Three ways in, chosen per batch:
 * - fresh: the source had no records when the read began, and the batch
 *   repeats no id. Rows are COPYed straight into records and raw_records,
 *   with ids drawn from the sequence ahead (one nextval per row: other
 *   workers insert records at the same time), each line formatted as the
 *   COPY streams, in COPY's binary format (each value converted from the
 *   batch's text by its declared type; a batch holding a timestamp that
 *   form cannot carry as written goes as text); the payloads go on a
 *   second connection of their own,
 *   at the same time, when the loader has one (loader_raw.c, which says
 *   how the two transactions commit safely). If an id turns out to exist
 *   after all (a source that repeats ids across batches), the savepoint is
 *   rolled back (the payloads too) and the batch takes the next way; the
 *   source is not treated as fresh again.
 * - keys first: only ord, id and hash are COPYed; one query picks the rows
 *   that are new, changed or soft-deleted, and only those are COPYed in
 *   full and upserted. An unchanged re-sync sends little more than ids.
 * - repeats: a batch that repeats an id is staged whole and upserted with
 *   DISTINCT ON, the last occurrence winning.
 * A read of a source with restored records that no read has returned since
 * marks those the batch names, loaded or quarantined
 * (restored_records.read_again_run): undoing the restore keeps them. Then
 * the quarantined items, the commit of
 * payloads written on the second connection, the checkpoint, the run's
 * counters and heartbeat, a NOTIFY, and COMMIT (synchronous_commit off: a server crash may lose the last
 * fraction of a second of batches, never a checkpoint ahead of its data).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/copy.h"
#include "kasparro/loader_batch.h"
#include "kasparro/log.h"

static const char *sql_checkpoint =
    "INSERT INTO kasparro.checkpoints (source, cursor, position, run_id, last_full_sync_at) "
    "VALUES ($1, $2, $3::jsonb, $4, CASE WHEN $5::boolean THEN now() END) "
    "ON CONFLICT (source) DO UPDATE SET cursor = COALESCE(excluded.cursor, checkpoints.cursor), "
    "position = excluded.position, run_id = excluded.run_id, "
    "last_full_sync_at = COALESCE(excluded.last_full_sync_at, checkpoints.last_full_sync_at), "
    "updated_at = now()";

/* The batch's counts are added to its source's row in its transaction, so
 * the row is exact whichever workers loaded which batches of the source. */
static const char *sql_progress =
    "WITH rs AS (UPDATE kasparro.run_sources SET fetched = fetched + $3, "
    "inserted = inserted + $4, updated = updated + $5, unchanged = unchanged + $6, "
    "quarantined = quarantined + $7, restored = restored + $8 "
    "WHERE run_id = $1 AND source = $2 RETURNING 1), hb AS (UPDATE kasparro.runs SET heartbeat_at = now() WHERE id = $1 "
    "RETURNING 1) SELECT pg_notify('kasparro', 'run:' || $1)";

/* Rows of a batch that are new, changed, or soft-deleted and back. */
#define SQL_CLASSIFY                                                                           \
    "SELECT k.ord FROM pg_temp.kasparro_keys k LEFT JOIN LATERAL "                             \
    "(SELECT content_hash, is_deleted FROM kasparro.records r "                                \
    " WHERE r.source = $1 AND r.source_id = k.source_id OFFSET 0) r ON true "                  \
    "WHERE r.content_hash IS NULL OR r.content_hash <> k.hash OR r.is_deleted ORDER BY k.ord"
static const char *sql_classify = SQL_CLASSIFY;
/* Every record a batch names is live once the batch commits (inserted,
 * updated, restored or unchanged), so the read tallies them as it goes:
 * how many, and the sum of their ids' hashes. After a complete read, a
 * tally equal to the source's live records' says that the read saw every
 * one of them: no orphan to look for (orphans.c). An id the read names
 * twice, in two batches, counts twice, so it never passes for a record
 * that vanished. */
#define SQL_TALLY_SEEN                                                                         \
    "UPDATE pg_temp.kasparro_tally t SET n = t.n + x.n, ids = t.ids + x.ids FROM "                \
    "(SELECT " SQL_ID_TALLY " FROM seen) x"
/* The classification, and the batch's ids join the read's seen set and its
 * tally in the statement (the keys are already on the server: sending them
 * twice cost a second COPY of every id). */
static const char *sql_classify_seen =
    "WITH seen AS (INSERT INTO pg_temp.kasparro_seen (source_id, loaded) "
    "SELECT source_id, true FROM pg_temp.kasparro_keys RETURNING source_id), "
    "tally AS (" SQL_TALLY_SEEN ") " SQL_CLASSIFY;
/* A batch that repeats ids: each once (the upsert keeps the last). */
static const char *sql_stage_seen =
    "WITH seen AS (INSERT INTO pg_temp.kasparro_seen (source_id, loaded) "
    "SELECT DISTINCT source_id, true FROM pg_temp.kasparro_stage RETURNING source_id) "
    SQL_TALLY_SEEN;

/* The restored records a batch returns are marked as read again since
 * their restore (restore_undo.c keeps them), through the index on
 * record_id; only when the read found some awaiting it (loader.c). */
static const char *sql_mark_restored =
    "UPDATE kasparro.restored_records SET read_again_run = $1 "
    "WHERE record_id = ANY($2::bigint[]) AND read_again_run IS NULL";

static const char *sql_copy_raw =
    "COPY kasparro.raw_records (record_id, payload, run_id) FROM STDIN (FORMAT binary)";

/* n record ids, drawn one by one: a block taken with setval() could
 * overlap the ids another worker's inserts draw meanwhile. */
static const char *sql_reserve_ids =
    "SELECT nextval('kasparro.records_id_seq') FROM generate_series(1, $1::int)";

/* The upsert of staged rows; $1 source, $2 run id, $3 actor. */
static char *build_upsert(struct loader *l, const char *cols, const char *vals, const char *sets,
                          bool dedup)
{
    struct buf sql = BUF_INIT;

    buf_printf(&sql,
        "WITH s AS (%s), "
        /* OFFSET 0 keeps the lookup a per-row index probe: left to itself the
         * planner hashes the whole records table for every batch */
        "cur AS (SELECT s.*, r.rid, r.old_hash, r.was_deleted FROM s LEFT JOIN LATERAL "
        "  (SELECT id AS rid, content_hash AS old_hash, is_deleted AS was_deleted "
        "   FROM kasparro.records r WHERE r.source = $1 AND r.source_id = s.source_id "
        "   OFFSET 0) r ON true), "
        "ins AS (INSERT INTO kasparro.records (source, source_id, content_hash, first_seen_run, "
        "  last_changed_run%s) SELECT $1, c.source_id, c.hash, $2, $2%s FROM cur c "
        "  WHERE c.rid IS NULL RETURNING id, source_id), "
        "upd AS (UPDATE kasparro.records r SET content_hash = c.hash, last_changed_run = $2, "
        "  change_seq = nextval('kasparro.record_change_seq'), updated_at = now(), "
        "  is_deleted = false, deleted_at = NULL, deleted_by_run = NULL%s "
        "  FROM (SELECT * FROM cur WHERE rid IS NOT NULL AND (old_hash <> hash OR was_deleted)) c "
        "  WHERE r.id = c.rid "
        "  RETURNING r.id, r.source_id, c.was_deleted, c.old_hash <> c.hash AS changed), "
        "raw AS (INSERT INTO kasparro.raw_records (record_id, payload, fetched_at, run_id) "
        "  SELECT x.id, c.payload, now(), $2 FROM (SELECT id, source_id FROM ins "
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
        cols, vals, sets);
    return buf_detach(&sql);
}

void loader_build_sql(struct loader *l)
{
    struct buf cols = BUF_INIT, vals = BUF_INIT, sets = BUF_INIT, stage = BUF_INIT,
               records = BUF_INIT;

    buf_adds(&stage, "COPY pg_temp.kasparro_stage (ord, source_id, hash, payload");
    buf_adds(&records, "COPY kasparro.records (id, source, source_id, content_hash, "
                       "first_seen_run, last_changed_run");
    for (size_t i = 0; i < l->cfg->nfields; i++) {
        const struct schema_field *f = &l->cfg->fields[i];
        char *ident = db_quote_ident(l->db, f->name);
        const char *type = field_sql_type(f->type);
        buf_printf(&cols, ", %s", ident);
        buf_printf(&vals, ", c.v%zu::%s", i, type);
        buf_printf(&sets, ", %s = c.v%zu::%s", ident, i, type);
        buf_printf(&stage, ", v%zu", i);
        buf_printf(&records, ", %s", ident);
        free(ident);
    }
    buf_adds(&stage, ") FROM STDIN");
    buf_adds(&records, ") FROM STDIN");
    l->sql_copy_records_bin = xasprintf("%s (FORMAT binary)", buf_str(&records));
    l->sql_upsert = build_upsert(l, buf_str(&cols), buf_str(&vals), buf_str(&sets), false);
    l->sql_upsert_dedup = build_upsert(l, buf_str(&cols), buf_str(&vals), buf_str(&sets), true);
    l->sql_copy_stage = buf_detach(&stage);
    l->sql_copy_records = buf_detach(&records);
    buf_free(&cols);
    buf_free(&vals);
    buf_free(&sets);
}

static int copy_all(struct db *db, const char *sql, const char *data, size_t len,
                    struct err *err)
{
    struct copy_writer w;

    if (copy_begin(&w, db, sql, err) < 0)
        return -1;
    if (copy_put(&w, data, len, err) < 0) {
        copy_abort(&w);
        return -1;
    }
    return copy_end(&w, err);
}

static int exec_simple(struct db *db, const char *sql, struct err *err)
{
    db_watch_settle(db);
    PGresult *r = PQexec(db->conn, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : db_error(db, r, err);
    PQclear(r);
    return rc;
}

/* The n-th tab-separated field's end within a full line. */
static const char *after_fields(const char *line, int n)
{
    while (n-- > 0)
        line = strchr(line, '\t') + 1;
    return line;
}

/* A line of the batch, split: "ord\tsid\thash\tpayload\tv0...". */
struct fresh_line {
    const char *sid, *payload, *values, *end;
};

static struct fresh_line fresh_line(const struct batch *b, size_t i)
{
    struct fresh_line f;
    const char *line = b->full.data + b->line_at[i];

    f.sid = after_fields(line, 1);
    f.payload = after_fields(f.sid, 2);
    f.values = after_fields(f.payload, 1);
    f.end = strchr(f.values, '\n');
    return f;
}

/* d digits at s as a number, or -1. */
static int stamp_digits(const char *s, int d)
{
    int v = 0;

    for (int i = 0; i < d; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H.
 * Hinnant's days_from_civil), as PostgreSQL counts them. */
static int64_t civil_days(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool loader_stamp_usec(const char *s, size_t len, int64_t *usec)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h, mi, sec, frac = 0;

    if ((len != 20 && len != 27) || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
        s[13] != ':' || s[16] != ':' || s[len - 1] != 'Z' || (len == 27 && s[19] != '.'))
        return false;
    y = stamp_digits(s, 4), mo = stamp_digits(s + 5, 2), d = stamp_digits(s + 8, 2);
    h = stamp_digits(s + 11, 2), mi = stamp_digits(s + 14, 2), sec = stamp_digits(s + 17, 2);
    if (len == 27 && (frac = stamp_digits(s + 20, 6)) < 0)
        return false;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h < 0 || h > 23 ||
        mi < 0 || mi > 59 || sec < 0 || sec > 59)
        return false;
    if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return false;
    int64_t days = civil_days(y, mo, d) - 10957; /* 10957: 2000-01-01 */
    *usec = ((days * 24 + h) * 60 + mi) * INT64_C(60000000) + sec * INT64_C(1000000) + frac;
    return true;
}

/* One of a record's values in COPY's binary format, from the batch line's
 * text (copy_escape's, "\N" for NULL) and the field's type. */
static void put_value(struct copy_writer *w, enum field_type type, const char *v, size_t len)
{
    int64_t usec;

    if (len == 2 && v[0] == '\\' && v[1] == 'N') {
        copy_binary_null(w);
        return;
    }
    switch (type) {
    case FT_INTEGER:
        copy_binary_ll(w, strtoll(v, NULL, 10));
        break;
    case FT_NUMBER:
        copy_binary_f8(w, strtod(v, NULL)); /* the text %.17g wrote: the same double */
        break;
    case FT_BOOLEAN:
        copy_binary_bool(w, v[0] == 't');
        break;
    case FT_TIMESTAMP:
        if (!loader_stamp_usec(v, len, &usec))
            BUG("timestamp '%.*s' passed loader_add's check", (int)len, v);
        copy_binary_ll(w, usec);
        break;
    case FT_TEXT:
    case FT_URL:
        copy_binary_unescape(w, v, len);
        break;
    }
}

static int hex_digit(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

/* A fresh batch's records in COPY's binary format: the server neither
 * scans the lines for tabs and escapes nor parses timestamps and the hash
 * from text (a quarter of that COPY's CPU on 1M article rows). */
static int copy_fresh_binary(struct loader *l, const struct batch *b, const PGresult *ids,
                             struct err *err)
{
    struct copy_writer w;
    size_t nfields = l->cfg->nfields, name_len = strlen(l->src->name);
    int rc = 0;

    if (copy_binary_begin(&w, l->db, l->sql_copy_records_bin, err) < 0)
        return -1;
    for (size_t i = 0; i < b->nrows && rc == 0; i++) {
        struct fresh_line f = fresh_line(b, i);
        const char *hex = f.payload - 33, *v = f.values;
        uint8_t hash[16];
        if ((rc = copy_binary_row(&w, 6 + (int)nfields, err)) < 0)
            break;
        copy_binary_ll(&w, strtoll(PQgetvalue(ids, (int)i, 0), NULL, 10));
        copy_bin_text(&w.buf, l->src->name, name_len);
        copy_binary_unescape(&w, f.sid, (size_t)(hex - 1 - f.sid));
        for (int k = 0; k < 16; k++)
            hash[k] = (uint8_t)(hex_digit(hex[2 * k]) << 4 | hex_digit(hex[2 * k + 1]));
        copy_binary_bytes(&w, hash, sizeof hash);
        copy_binary_ll(&w, l->run_id);
        copy_binary_ll(&w, l->run_id);
        for (size_t k = 0; k < nfields; k++) {
            const char *tab = k + 1 < nfields ? memchr(v, '\t', (size_t)(f.end - v)) : f.end;
            put_value(&w, l->cfg->fields[k].type, v, (size_t)(tab - v));
            v = tab + 1;
        }
    }
    if (rc < 0) {
        copy_abort(&w);
        return -1;
    }
    return copy_end(&w, err);
}

/* The fresh path's two COPYs format each line from the batch's as they go:
 * the server inserts the first rows while the rest are still being
 * formatted, and memory stays at COPY's chunk whatever the batch. `ids`
 * holds the record ids drawn for the batch, in row order. */
static int copy_fresh_records(struct loader *l, const struct batch *b, const PGresult *ids,
                              struct err *err)
{
    struct copy_writer w;
    struct buf source = BUF_INIT;
    int rc = 0;

    if (!b->text_times)
        return copy_fresh_binary(l, b, ids, err);
    if (copy_begin(&w, l->db, l->sql_copy_records, err) < 0)
        return -1;
    copy_escape(&source, l->src->name, strlen(l->src->name));
    for (size_t i = 0; i < b->nrows && rc == 0; i++) {
        struct fresh_line f = fresh_line(b, i);
        /* id, source, source_id, hash, first/last run, values */
        buf_add(&w.buf, PQgetvalue(ids, (int)i, 0), (size_t)PQgetlength(ids, (int)i, 0));
        buf_addc(&w.buf, '\t');
        buf_add(&w.buf, source.data, source.len);
        buf_addc(&w.buf, '\t');
        buf_add(&w.buf, f.sid, (size_t)(f.payload - f.sid)); /* "sid\thash\t" */
        buf_adds(&w.buf, l->run_id_text);
        buf_addc(&w.buf, '\t');
        buf_adds(&w.buf, l->run_id_text);
        buf_addc(&w.buf, '\t');
        buf_add(&w.buf, f.values, (size_t)(f.end - f.values));
        rc = copy_row(&w, err);
    }
    buf_free(&source);
    if (rc < 0) {
        copy_abort(&w);
        return -1;
    }
    return copy_end(&w, err);
}

/* Payloads go in COPY's binary format: the server has no text to scan and
 * unescape (JSON's escaped quotes are backslashes), a quarter of this COPY's
 * time on 1M article rows. */
int loader_copy_payloads(struct loader *l, struct db *db, const struct batch *b,
                         const PGresult *ids, struct err *err)
{
    struct copy_writer w;
    int rc = 0;

    if (copy_binary_begin(&w, db, sql_copy_raw, err) < 0)
        return -1;
    for (size_t i = 0; i < b->nrows && rc == 0; i++) {
        struct fresh_line f = fresh_line(b, i);
        if ((rc = copy_binary_row(&w, 3, err)) < 0)
            break;
        copy_binary_ll(&w, strtoll(PQgetvalue(ids, (int)i, 0), NULL, 10));
        copy_binary_unescape(&w, f.payload, (size_t)(f.values - 1 - f.payload));
        copy_binary_ll(&w, l->run_id);
    }
    if (rc < 0) {
        copy_abort(&w);
        return -1;
    }
    return copy_end(&w, err);
}

/* The two COPYs of a fresh batch: the payloads on their own connection
 * when the loader has one (loader_raw.c), at the same time as the records;
 * else one after the other. */
static int copy_fresh(struct loader *l, const struct batch *b, const PGresult *ids,
                      struct err *err)
{
    struct err raw_err = {0};
    bool apart = loader_raw_start(l, b, ids);
    int rc = copy_fresh_records(l, b, ids, err);

    if (!apart)
        return rc < 0 ? -1 : loader_copy_payloads(l, l->db, b, ids, err);
    if (loader_raw_join(l, &raw_err) < 0 && rc == 0) {
        *err = raw_err;
        rc = -1;
    }
    return rc;
}

/* fresh: COPY straight into records and raw_records. 1 when an id already
 * existed (rolled back: the caller upserts instead), 0 done, -1 failed. */
static int write_fresh(struct loader *l, struct batch *b, struct loader_counts *done,
                       struct err *err)
{
    char n[32];
    int rc = -1;

    snprintf(n, sizeof n, "%zu", b->nrows);
    PGresult *ids = db_exec(l->db, err, sql_reserve_ids, DB_PARAMS(n));
    if (ids == NULL)
        return -1;
    if (exec_simple(l->db, "SAVEPOINT fresh", err) < 0)
        goto out;
    if (copy_fresh(l, b, ids, err) < 0) {
        struct err ignore = {0};
        loader_raw_rollback(l);
        if (!err_sqlstate(err, SQLSTATE_UNIQUE_VIOLATION) ||
            exec_simple(l->db, "ROLLBACK TO SAVEPOINT fresh", &ignore) < 0)
            goto out;
        log_info("source '%s' repeats ids across batches; its next batches are compared "
                 "with the stored records before they are written", l->src->name);
        err_clear(err);
        l->fresh = false;
        rc = 1;
        goto out;
    }
    rc = exec_simple(l->db, "RELEASE SAVEPOINT fresh", err);
    done->inserted += (long long)b->nrows;
out:
    PQclear(ids);
    return rc;
}

static int upsert(struct loader *l, bool dedup, struct loader_counts *done, struct err *err)
{
    PGresult *r = db_exec(l->db, err, dedup ? l->sql_upsert_dedup : l->sql_upsert,
                          DB_PARAMS(l->src->name, l->run_id_text, l->actor));
    if (r == NULL)
        return -1;
    done->inserted += db_ll(r, 0, 0);
    done->updated += db_ll(r, 0, 1);
    done->restored += db_ll(r, 0, 2);
    done->unchanged += db_ll(r, 0, 3) - db_ll(r, 0, 0) - db_ll(r, 0, 1);
    PQclear(r);
    return 0;
}

/* The batch's keys go in binary: the server parses no ord, no hash's hex. */
static int copy_keys(struct loader *l, const struct batch *b, struct err *err)
{
    struct copy_writer w;

    if (copy_binary_begin(&w, l->db, "COPY pg_temp.kasparro_keys FROM STDIN (FORMAT binary)",
                          err) < 0)
        return -1;
    if (copy_put(&w, b->keys.data, b->keys.len, err) < 0) {
        copy_abort(&w);
        return -1;
    }
    return copy_end(&w, err);
}

/* keys first: stage only what is new, changed or back from deletion. */
static int write_changes(struct loader *l, struct batch *b, struct loader_counts *done,
                         struct err *err)
{
    struct buf picked = BUF_INIT;
    PGresult *r;
    int n, rc = 0;

    if (copy_keys(l, b, err) < 0 ||
        (r = db_exec(l->db, err, l->track_seen ? sql_classify_seen : sql_classify,
                     DB_PARAMS(l->src->name))) == NULL)
        return -1;
    n = PQntuples(r);
    done->unchanged += (long long)b->nrows - n;
    for (int i = 0; i < n; i++) {
        size_t ord = (size_t)db_ll(r, i, 0);
        const char *line = b->full.data + b->line_at[ord];
        buf_add(&picked, line, (size_t)(strchr(line, '\n') + 1 - line));
    }
    PQclear(r);
    if (n > 0)
        rc = copy_all(l->db, l->sql_copy_stage, picked.data, picked.len, err) < 0 ||
                     upsert(l, false, done, err) < 0
                 ? -1
                 : 0;
    buf_free(&picked);
    return rc;
}

/* Adds the restored record spelt `sid` (as COPY text) to `ids` when it
 * awaits a read, and marks it done (its count set to 0: the writer thread
 * alone touches the map after the loader opened). */
static void restored_named(struct loader *l, const char *sid, size_t len, struct buf *ids)
{
    struct strmap_entry *e = strmap_get(&l->restored, sid, len);

    if (e == NULL || e->count == 0)
        return;
    buf_printf(ids, "%s%lld", ids->len ? "," : "{", e->count);
    e->count = 0;
}

/* Marks the restored records awaiting a read that the batch names, loaded
 * or quarantined (a quarantined row whose id was read is in the source,
 * only unreadable today: an undo of the restore used to delete it again):
 * one hash lookup per row, and a statement only when some are there. */
static int mark_restored(struct loader *l, const struct batch *b, struct err *err)
{
    struct buf ids = BUF_INIT, key = BUF_INIT;
    int rc = 0;

    for (size_t i = 0; i < b->nrows; i++) {
        const char *sid = strchr(b->full.data + b->line_at[i], '\t') + 1;
        restored_named(l, sid, (size_t)(strchr(sid, '\t') - sid), &ids);
    }
    for (size_t i = 0; i < b->nq; i++) {
        if (b->q[i].source_id == NULL)
            continue;
        buf_reset(&key);
        copy_escape(&key, b->q[i].source_id, strlen(b->q[i].source_id));
        restored_named(l, key.data, key.len, &ids);
    }
    buf_free(&key);
    if (ids.len > 0) {
        buf_addc(&ids, '}');
        rc = db_run(l->db, err, sql_mark_restored, DB_PARAMS(l->run_id_text, ids.data));
    }
    buf_free(&ids);
    return rc;
}

static int write_rows(struct loader *l, struct batch *b, struct loader_counts *done,
                      struct err *err)
{
    int rc;

    if (b->nrows == 0)
        return 0;
    if (l->fresh && !b->dups && (rc = write_fresh(l, b, done, err)) <= 0)
        return rc;
    if (!b->dups)
        return write_changes(l, b, done, err);
    return copy_all(l->db, l->sql_copy_stage, b->full.data, b->full.len, err) < 0 ||
                   (l->track_seen && db_run(l->db, err, sql_stage_seen, 0, NULL) < 0)
               ? -1
               : upsert(l, true, done, err);
}

/* A quarantined record whose id could be read is not missing from the
 * source: its id joins the seen set, so a stored record is never deleted
 * because today's copy of it could not be mapped. */
static int write_seen_quarantined(struct loader *l, struct batch *b, struct err *err)
{
    struct copy_writer w;

    if (!l->track_seen ||
        copy_begin(&w, l->db, "COPY pg_temp.kasparro_seen (source_id) FROM STDIN", err) < 0)
        return l->track_seen ? -1 : 0;
    for (size_t i = 0; i < b->nq; i++) {
        if (b->q[i].source_id == NULL)
            continue;
        copy_fields(&w, b->q[i].source_id);
        if (copy_row(&w, err) < 0) {
            copy_abort(&w);
            return -1;
        }
    }
    return copy_end(&w, err);
}

static int write_quarantine(struct loader *l, struct batch *b, struct err *err)
{
    struct copy_writer w;

    if (b->nq == 0)
        return 0;
    if (copy_begin(&w, l->db, "COPY kasparro.quarantine (run_id, source, location, source_id, "
                              "field, reason, raw) FROM STDIN", err) < 0)
        return -1;
    for (size_t i = 0; i < b->nq; i++) {
        copy_field_ll(&w, l->run_id);
        copy_fields(&w, l->src->name);
        copy_fields(&w, b->q[i].location);
        copy_fields(&w, b->q[i].source_id);
        copy_fields(&w, b->q[i].field);
        copy_fields(&w, b->q[i].reason);
        copy_fields(&w, b->q[i].raw);
        if (copy_row(&w, err) < 0) {
            copy_abort(&w);
            return -1;
        }
    }
    return copy_end(&w, err) < 0 ? -1 : write_seen_quarantined(l, b, err);
}

static int write_progress(struct loader *l, const struct loader_counts *done, struct err *err)
{
    char v[6][32];
    long long n[6] = {done->fetched, done->inserted, done->updated, done->unchanged,
                      done->quarantined, done->restored};

    for (int i = 0; i < 6; i++)
        snprintf(v[i], sizeof v[i], "%lld", n[i]);
    return db_run(l->db, err, sql_progress,
                  DB_PARAMS(l->run_id_text, l->src->name, v[0], v[1], v[2], v[3], v[4], v[5]));
}

int loader_write_batch(struct loader *l, struct batch *b, struct loader_counts *done,
                       struct err *err)
{
    done->fetched = (long long)(b->nrows + b->nq);
    done->quarantined = (long long)b->nq;
    if (db_begin_changes(l->db, err) < 0)
        return -1;
    if (exec_simple(l->db, "SET LOCAL synchronous_commit = off", err) < 0) {
        db_rollback(l->db);
        return -1;
    }
    /* the payloads of a fresh batch commit first (loader_raw.c), as late
     * as can be: the records' transaction has only its last writes left */
    if ((l->mark_restored && mark_restored(l, b, err) < 0) || write_rows(l, b, done, err) < 0 ||
        write_quarantine(l, b, err) < 0 ||
        loader_raw_commit(l, err) < 0 ||
        db_run(l->db, err, sql_checkpoint,
               DB_PARAMS(l->src->name, b->cursor, b->position, l->run_id_text,
                         b->complete ? "true" : "false")) < 0 ||
        write_progress(l, done, err) < 0 || db_commit(l->db, err) < 0) {
        loader_raw_rollback(l);
        db_rollback(l->db);
        return -1;
    }
    return 0;
}

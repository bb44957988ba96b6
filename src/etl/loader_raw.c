/*
 * loader_raw.c — a first load's payloads on a connection of their own.
 *
 * A fresh batch (loader_write.c) COPYs its rows into records and its
 * payloads into raw_records. One backend doing both is the bound of a first
 * load, so a loader that starts fresh opens a second connection, and the
 * payloads' COPY runs there, on a thread, while the records' COPY runs on
 * the loader's own. Two transactions then commit one batch, in this order:
 *
 *   1. the payloads' transaction: the payloads and a marker row in
 *      kasparro.raw_pending naming the batch's record ids;
 *   2. the records' transaction: the records, the quarantined items, the
 *      checkpoint, the counters, and the deletion of that marker.
 *
 * Nobody sees a record without its payload: a record commits after its
 * payload or not at all. A crash between the two commits leaves payloads
 * whose record ids no record has (the sequence never gives an id twice)
 * and their marker; every reader of raw_records goes through records, so
 * they are invisible, and the source's next load deletes them
 * (loader_raw_sweep: one index lookup when there are none). A records
 * transaction still committing holds its marker's row lock, so a sweep
 * waits for it and then finds the marker gone. With synchronous_commit off
 * on both, a server crash loses a suffix of the log: a records commit that
 * survives has its payloads' commit, written before it, too.
 *
 * A second connection the server refuses costs speed, not the load: the
 * payloads go on the loader's connection, as before.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kasparro/loader_batch.h"
#include "kasparro/log.h"

static const char *sql_marker =
    "INSERT INTO kasparro.raw_pending (first_id, source, run_id, spans) VALUES ($1, $2, $3, $4)";
static const char *sql_unmark = "DELETE FROM kasparro.raw_pending WHERE first_id = $1";

/* The payloads of batches whose records never committed, and their
 * markers, of the markers `p` deletes. In one statement with that delete,
 * so a records commit that deletes the marker concurrently is waited for. */
#define SQL_SWEEP(which)                                                                           \
    "WITH p AS (DELETE FROM kasparro.raw_pending WHERE " which " RETURNING source, spans), "       \
    "s AS (SELECT p.spans[i] AS lo, p.spans[i + 1] AS hi FROM p, "                                 \
    "  generate_subscripts(p.spans, 1) AS i WHERE i % 2 = 1), "                                    \
    "gone AS (DELETE FROM kasparro.raw_records w USING s "                                         \
    "  WHERE w.record_id BETWEEN s.lo AND s.hi "                                                   \
    "  AND NOT EXISTS (SELECT 1 FROM kasparro.records r WHERE r.id = w.record_id) RETURNING 1) "   \
    "SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM p), "                               \
    "(SELECT string_agg(DISTINCT quote_literal(source), ', ') FROM p), "                           \
    "(SELECT count(DISTINCT source) FROM p)"

/* The loader's own source, whose lease it holds. */
static const char *sql_sweep = SQL_SWEEP("source = $1");
/* Every source nobody loads now: one whose lease ($1, hashtext(source)),
 * held by the worker loading it, is free. A transaction-level try-lock
 * keeps a worker from taking it until the statement ends. */
static const char *sql_sweep_idle =
    SQL_SWEEP("pg_try_advisory_xact_lock($1::int, hashtext(source))");

/* Whether there is a marker to sweep: nearly always none. The sweep is
 * planned for the spans it might meet (a hash of every record), which on
 * a large table costs enough to switch on JIT compilation: 0.3 s of CPU
 * at each load of a source with 1M records, to find nothing. This lookup
 * by the index on raw_pending (or of an empty table) costs nothing, and a
 * marker it misses is one committed after it, which the sweep run a moment
 * earlier would have missed too. */
static const char *sql_any_marker =
    "SELECT EXISTS (SELECT 1 FROM kasparro.raw_pending WHERE source = $1)";
static const char *sql_any_marker_idle = "SELECT EXISTS (SELECT 1 FROM kasparro.raw_pending)";

void loader_raw_open(struct loader *l, const atomic_bool *cancel)
{
    struct db_target t;
    struct err err = {0};

    if (db_target_resolve(&t, &err) == 0) {
        l->raw.db = db_connect(&t, &err);
        db_target_free(&t);
    }
    if (l->raw.db == NULL) {
        log_info("source '%s': its payloads share the records' connection (a second "
                 "connection failed: %s)",
                 l->src->name, err.msg);
        return;
    }
    db_watch(l->raw.db, cancel);
}

void loader_raw_close(struct loader *l)
{
    if (l->raw.db == NULL)
        return;
    db_rollback(l->raw.db);
    db_unwatch(l->raw.db);
    db_close(l->raw.db);
    l->raw.db = NULL;
}

/* Runs a sweep, when `any` finds a marker, and logs what it removed; how
 * many batches, or -1. */
static long long sweep(struct db *db, const char *any, const char *any_param, const char *sql,
                       const char *param, struct err *err)
{
    PGresult *r = any_param ? db_exec(db, err, any, DB_PARAMS(any_param))
                            : db_exec(db, err, any, 0, NULL);
    long long batches;
    bool some;

    if (r == NULL)
        return -1;
    some = db_bool(r, 0, 0);
    PQclear(r);
    if (!some)
        return 0;
    if ((r = db_exec(db, err, sql, DB_PARAMS(param))) == NULL)
        return -1;
    if ((batches = db_ll(r, 0, 1)) > 0)
        log_info("%s %s: removed %lld payloads whose records never committed (a load stopped "
                 "between the two commits of %lld %s)",
                 db_ll(r, 0, 3) == 1 ? "source" : "sources", PQgetvalue(r, 0, 2), db_ll(r, 0, 0),
                 batches, batches == 1 ? "batch" : "batches");
    PQclear(r);
    return batches;
}

int loader_raw_sweep(struct loader *l, struct err *err)
{
    return sweep(l->db, sql_any_marker, l->src->name, sql_sweep, l->src->name, err) < 0 ? -1 : 0;
}

long long loader_raw_sweep_idle(struct db *db, struct err *err)
{
    char key[16];

    snprintf(key, sizeof key, "%d", (int)DB_LOCK_SOURCE);
    return sweep(db, sql_any_marker_idle, NULL, sql_sweep_idle, key, err);
}

/* The ids (ascending, as nextval drew them) as runs of consecutive ids:
 * "{first,last,first,last,...}" — one run unless other loads drew ids at
 * the same moment. */
static char *id_spans(const PGresult *ids)
{
    struct buf s = BUF_INIT;
    int n = PQntuples(ids);
    long long first = 0, last = 0;

    buf_addc(&s, '{');
    for (int i = 0; i <= n; i++) {
        long long id = i < n ? db_ll(ids, i, 0) : 0;
        if (i > 0 && i < n && id == last + 1) {
            last = id;
            continue;
        }
        if (i > 0)
            buf_printf(&s, "%s%lld,%lld", s.len > 1 ? "," : "", first, last);
        first = last = id;
    }
    buf_addc(&s, '}');
    return buf_detach(&s);
}

static void *raw_main(void *arg)
{
    struct loader *l = arg;
    struct loader_raw *w = &l->raw;
    char *spans = id_spans(w->ids);

    snprintf(w->first_id, sizeof w->first_id, "%s", PQgetvalue(w->ids, 0, 0));
    w->rc = db_begin(w->db, &w->err) < 0 ||
                    db_run(w->db, &w->err, "SET LOCAL synchronous_commit = off", 0, NULL) < 0 ||
                    loader_copy_payloads(l, w->db, w->b, w->ids, &w->err) < 0 ||
                    db_run(w->db, &w->err, sql_marker,
                           DB_PARAMS(w->first_id, l->src->name, l->run_id_text, spans)) < 0
                ? -1
                : 0;
    if (w->rc < 0)
        db_rollback(w->db);
    w->pending = w->rc == 0;
    free(spans);
    return NULL;
}

bool loader_raw_start(struct loader *l, const struct batch *b, const PGresult *ids)
{
    struct loader_raw *w = &l->raw;

    if (w->db == NULL || PQntuples(ids) == 0)
        return false;
    w->b = b;
    w->ids = ids;
    w->rc = 0;
    err_clear(&w->err);
    if (pthread_create(&w->thread, NULL, raw_main, l) != 0) {
        log_info("source '%s': no thread for the payloads' connection; this batch writes them "
                 "on the records' connection",
                 l->src->name);
        return false;
    }
    return true;
}

int loader_raw_join(struct loader *l, struct err *err)
{
    struct loader_raw *w = &l->raw;

    pthread_join(w->thread, NULL);
    if (w->rc < 0)
        *err = w->err;
    return w->rc;
}

int loader_raw_commit(struct loader *l, struct err *err)
{
    struct loader_raw *w = &l->raw;

    if (!w->pending)
        return 0;
    w->pending = false;
    if (db_commit(w->db, err) < 0)
        return -1;
    return db_run(l->db, err, sql_unmark, DB_PARAMS(w->first_id));
}

void loader_raw_rollback(struct loader *l)
{
    if (!l->raw.pending)
        return;
    l->raw.pending = false;
    db_rollback(l->raw.db);
}

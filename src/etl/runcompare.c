/*
 * runcompare.c — two runs side by side, with anomaly flags (see
 * runcompare.h).
 *
 * Two queries: which runs (the defaults are resolved in SQL, so "the last
 * two completed runs" is one statement), then one row per source read by
 * either run with both sides' counts, the statuses and kinds of the two
 * reads, and the median duration of the source's earlier successful reads
 * of the same kind. The decisions are made here in C, where
 * the thresholds are, and each one that fires carries a sentence saying why.
 */
#include "kasparro/runcompare.h"

#include "kasparro/buf.h"
#include "kasparro/run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


#define COMPLETED "('succeeded', 'partial', 'failed')"
/* Durations shorter than this never flag: at that scale they measure noise. */
#define DURATION_FLOOR_S 1.0

static const char *sql_runs =
    "WITH b AS (SELECT id, status, started_at, finished_at FROM kasparro.runs "
    "  WHERE CASE WHEN $2::bigint > 0 THEN id = $2::bigint ELSE status IN " COMPLETED " END "
    "  ORDER BY id DESC LIMIT 1), "
    "a AS (SELECT id, status, started_at, finished_at FROM kasparro.runs "
    "  WHERE CASE WHEN $1::bigint > 0 THEN id = $1::bigint "
    "    ELSE status IN " COMPLETED " AND id < (SELECT id FROM b) END "
    "  ORDER BY id DESC LIMIT 1) "
    "SELECT x.side, x.id, x.status, "
    "  " SQL_UTC_ISO("x.started_at") ", "
    "  extract(epoch FROM coalesce(x.finished_at, now()) - x.started_at) "
    "FROM (SELECT 'a' AS side, * FROM a UNION ALL SELECT 'b', * FROM b) x";

/* A source's read whose counts are whole, a baseline and comparable: it
 * succeeded (or was partial: it held deletions) and did not take up
 * another's interrupted read. */
#define WHOLE(r) RUN_SQL_WHOLE(r)
/* A read that stands as a baseline when each source finds its own: whole,
 * and not one whose deletions the mass-delete guard held (partial): the
 * guard took it for a broken source, and the read after it, back to
 * normal, is no anomaly. */
#define BASELINE(r) r ".status = 'succeeded' AND NOT " r ".resumed"
/* A median over fewer earlier reads than this says nothing of the source. */
#define MEDIAN_MIN_READS 3

/* $1 the a runs, $2 the b runs (arrays of the same length; an a of 0 sets
 * each source of b against its own last BASELINE read of the same kind),
 * $3 how many earlier WHOLE reads the median covers */
static const char *sql_sources =
    "WITH p AS (SELECT q.b, q.a > 0 AS asked, CASE WHEN q.a > 0 THEN q.a ELSE "
    "  (SELECT r.id FROM kasparro.runs r WHERE r.status IN " COMPLETED " AND r.id < q.b "
    "   ORDER BY r.id DESC LIMIT 1) END AS a "
    "  FROM unnest($1::bigint[], $2::bigint[]) AS q(a, b)) "
    "SELECT p.b, n.source, "
    "  a.fetched, a.inserted, a.updated, a.soft_deleted, a.quarantined, "
    "  extract(epoch FROM a.finished_at - a.started_at), "
    "  b.fetched, b.inserted, b.updated, b.soft_deleted, b.quarantined, "
    "  extract(epoch FROM b.finished_at - b.started_at), "
    "  m.median, m.reads, a.run_id, a.status, a.sync, b.status, b.sync, a.resumed, b.resumed "
    "FROM p CROSS JOIN LATERAL (SELECT DISTINCT source FROM kasparro.run_sources "
    "      WHERE run_id IN (p.a, p.b)) n "
    "LEFT JOIN kasparro.run_sources b ON b.run_id = p.b AND b.source = n.source "
    "LEFT JOIN LATERAL (SELECT x.* FROM kasparro.run_sources x WHERE x.source = n.source AND "
    "    CASE WHEN p.asked OR b.run_id IS NULL THEN x.run_id = p.a "
    "    ELSE x.run_id < p.b AND " BASELINE("x") " AND x.sync = b.sync END "
    "  ORDER BY x.run_id DESC LIMIT 1) a ON true "
    "LEFT JOIN LATERAL (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS median, "
    "    count(*) AS reads FROM ("
    "     SELECT extract(epoch FROM s.finished_at - s.started_at) AS d "
    "     FROM kasparro.run_sources s "
    "     WHERE s.source = n.source AND s.run_id < p.b AND s.finished_at IS NOT NULL "
    "       AND " WHOLE("s") " AND s.sync = b.sync "
    "     ORDER BY s.run_id DESC LIMIT $3::int) d) m ON true "
    "WHERE p.a IS NOT NULL ORDER BY p.b, n.source";

/* Columns of sql_sources. */
enum { C_B, C_SOURCE, C_A_COUNTS, C_A_SECS = C_A_COUNTS + 5, C_B_COUNTS, C_B_SECS = C_B_COUNTS + 5,
       C_MEDIAN, C_MEDIAN_READS, C_A_RUN, C_A_STATUS, C_A_SYNC, C_B_STATUS, C_B_SYNC,
       C_A_RESUMED, C_B_RESUMED };

static const char *count_names[] = {"fetched", "inserted", "updated", "soft_deleted",
                                    "quarantined"};
/* How a reason names each count. */
static const char *count_words[] = {"fetched", "new", "updated", "deleted", "quarantined"};

static cJSON *run_side(const PGresult *r, int i)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "id", (double)db_ll(r, i, 1));
    cJSON_AddStringToObject(o, "status", db_str(r, i, 2));
    cJSON_AddStringToObject(o, "started_at", db_str(r, i, 3));
    cJSON_AddNumberToObject(o, "seconds", db_double(r, i, 4));
    return o;
}

/* One count of one source; appends a reason to `why` when it flags, which
 * only comparable reads do. */
static cJSON *compare_count(const struct anomaly_cfg *t, const char *source, int k,
                            const PGresult *r, int row, bool comparable, cJSON *why)
{
    int ca = C_A_COUNTS + k, cb = C_B_COUNTS + k;
    cJSON *c = cJSON_CreateObject();
    bool both = !PQgetisnull(r, row, ca) && !PQgetisnull(r, row, cb);
    long long a = db_ll(r, row, ca), b = db_ll(r, row, cb);
    bool flag = false;
    char reason[256] = "";

    db_json_number(c, "a", r, row, ca);
    db_json_number(c, "b", r, row, cb);
    if (!both) {
        cJSON_AddNullToObject(c, "delta");
        cJSON_AddNullToObject(c, "change");
    } else {
        double change = a > 0 ? (double)(b - a) / (double)a : (b > 0 ? INFINITY : 0);
        cJSON_AddNumberToObject(c, "delta", (double)(b - a));
        if (isinf(change))
            cJSON_AddNullToObject(c, "change");
        else
            cJSON_AddNumberToObject(c, "change", change);
        /* fewer new, updated, deleted or quarantined records is the normal course after a
         * first load; only fetched counts in both directions */
        flag = comparable && (a >= t->min_count || b >= t->min_count) && fabs(change) > t->count_change &&
               (k == 0 || b > a);
        if (flag && a == 0)
            snprintf(reason, sizeof reason, "source '%s': %s rose from 0 to %lld", source,
                     count_words[k], b);
        else if (flag)
            snprintf(reason, sizeof reason, "source '%s': %s %s %.0f%% (%lld -> %lld)", source,
                     count_words[k], b < a ? "fell" : "rose", fabs(change) * 100, a, b);
    }
    cJSON_AddBoolToObject(c, "anomaly", flag);
    if (flag) {
        cJSON_AddStringToObject(c, "reason", reason);
        cJSON_AddItemToArray(why, cJSON_CreateString(reason));
    } else {
        cJSON_AddNullToObject(c, "reason");
    }
    return c;
}

static cJSON *compare_duration(const struct anomaly_cfg *t, const char *source,
                               const PGresult *r, int row, cJSON *why)
{
    cJSON *d = cJSON_CreateObject();
    double b = db_double(r, row, C_B_SECS), median = db_double(r, row, C_MEDIAN);
    long long reads = db_ll(r, row, C_MEDIAN_READS);
    bool flag = !PQgetisnull(r, row, C_B_SECS) && reads >= MEDIAN_MIN_READS && median > 0 &&
                b >= DURATION_FLOOR_S && b > t->duration_factor * median;

    db_json_number(d, "a", r, row, C_A_SECS);
    db_json_number(d, "b", r, row, C_B_SECS);
    db_json_number(d, "median", r, row, C_MEDIAN);
    cJSON_AddNumberToObject(d, "median_reads", (double)reads);
    cJSON_AddBoolToObject(d, "anomaly", flag);
    if (flag) {
        char reason[256];
        snprintf(reason, sizeof reason, "source '%s': took %.1fs, %.1f times the median %.1fs "
                 "of its last %lld successful reads", source, b, b / median, median, reads);
        cJSON_AddStringToObject(d, "reason", reason);
        cJSON_AddItemToArray(why, cJSON_CreateString(reason));
    } else {
        cJSON_AddNullToObject(d, "reason");
    }
    return d;
}

static cJSON *thresholds_json(const struct anomaly_cfg *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "count_change", t->count_change);
    cJSON_AddNumberToObject(o, "duration_factor", t->duration_factor);
    cJSON_AddNumberToObject(o, "min_count", (double)t->min_count);
    cJSON_AddNumberToObject(o, "duration_runs", (double)t->duration_runs);
    return o;
}

/* Resolves a and b into `out` ("a" and "b" objects); -1 when one is
 * missing or on a database error. */
static int find_runs(struct db *db, long long a, long long b, cJSON *out, long long ids[2],
                     struct err *err)
{
    char sa[32], sb[32];
    PGresult *r;

    snprintf(sa, sizeof sa, "%lld", a);
    snprintf(sb, sizeof sb, "%lld", b);
    if ((r = db_exec(db, err, sql_runs, DB_PARAMS(sa, sb))) == NULL)
        return -1;
    ids[0] = ids[1] = 0;
    for (int i = 0; i < PQntuples(r); i++) {
        int side = db_str(r, i, 0)[0] == 'b';
        ids[side] = db_ll(r, i, 1);
        cJSON_AddItemToObject(out, side ? "b" : "a", run_side(r, i));
    }
    PQclear(r);
    /* with both missing, the first one typed is the one said (A of A B) */
    if (a > 0 && ids[0] == 0)
        return err_missing(err, "run", a);
    if (ids[1] == 0)
        return b > 0 ? err_missing(err, "run", b) : err_set(err, "no completed run to compare yet");
    if (ids[0] == 0)
        return a > 0 ? err_missing(err, "run", a)
                     : err_set(err, "run %lld has no completed run before it to compare with",
                               ids[1]);
    return 0;
}

/* The per-source rows for the pairs (a[i], b[i]). */
static PGresult *source_rows(struct db *db, const struct anomaly_cfg *t, const long long *a,
                             const long long *b, int n, struct err *err)
{
    struct buf as = BUF_INIT, bs = BUF_INIT;
    char sn[32];
    PGresult *r;

    for (int i = 0; i < n; i++) {
        buf_printf(&as, "%s%lld", i ? "," : "{", a[i]);
        buf_printf(&bs, "%s%lld", i ? "," : "{", b[i]);
    }
    buf_adds(&as, n ? "}" : "{}");
    buf_adds(&bs, n ? "}" : "{}");
    snprintf(sn, sizeof sn, "%ld", t->duration_runs);
    r = db_exec(db, err, sql_sources, DB_PARAMS(as.data, bs.data, sn));
    buf_free(&as);
    buf_free(&bs);
    return r;
}

/* Why a side's read is not whole (WHOLE above), or NULL. */
static const char *read_flaw(const PGresult *r, int i, int status_col, int resumed_col)
{
    const char *status = db_str(r, i, status_col);
    if (strcmp(status, "succeeded") != 0 && strcmp(status, "partial") != 0)
        return status;
    return db_str(r, i, resumed_col)[0] == 't' ? "resumed an interrupted one" : NULL;
}

static const char *sync_how(const char *sync)
{
    return strcmp(sync, "full") == 0 ? "in full" : "incrementally";
}

/* Why one source's two reads are not compared, or, when each source found
 * its own baseline (not `asked`), which read that was if not run a_run;
 * NULL otherwise. Sets *comparable. */
static char *source_note(const PGresult *r, int i, bool asked, long long a_run,
                         bool *comparable)
{
    const char *name = db_str(r, i, C_SOURCE), *bsync = db_str(r, i, C_B_SYNC);
    bool has_a = !PQgetisnull(r, i, C_A_RUN), has_b = !PQgetisnull(r, i, C_B_STATUS);
    long long a = db_ll(r, i, C_A_RUN), b = db_ll(r, i, C_B);

    *comparable = false;
    if (!has_b)
        return NULL;
    if (!has_a)
        return asked ? NULL : xasprintf("source '%s': no earlier successful %s read to compare "
                                        "with", name, bsync);
    const char *a_flaw = read_flaw(r, i, C_A_STATUS, C_A_RESUMED);
    const char *b_flaw = read_flaw(r, i, C_B_STATUS, C_B_RESUMED);
    if (a_flaw || b_flaw)
        return xasprintf("source '%s': run %lld's read %s; counts not compared", name,
                         a_flaw ? a : b, a_flaw ? a_flaw : b_flaw);
    if (strcmp(db_str(r, i, C_A_SYNC), bsync) != 0)
        return xasprintf("source '%s': run %lld read it %s, run %lld %s; counts not compared",
                         name, a, sync_how(db_str(r, i, C_A_SYNC)), b, sync_how(bsync));
    *comparable = true;
    return asked || a_run == a ? NULL : xasprintf("source '%s': compared with run %lld, its last "
                                         "successful %s read", name, a, bsync);
}

/* One source of one pair: its object, reasons appended to `why`; see
 * source_note for `asked` and a_run. */
static cJSON *compare_source(const struct anomaly_cfg *t, const PGresult *r, int i,
                             bool asked, long long a_run, cJSON *why)
{
    const char *name = db_str(r, i, C_SOURCE);
    cJSON *s = cJSON_CreateObject(), *counts = cJSON_CreateObject();
    int before = cJSON_GetArraySize(why);
    bool comparable;
    char *note = source_note(r, i, asked, a_run, &comparable);

    cJSON_AddStringToObject(s, "source", name);
    db_json_number(s, "a_run", r, i, C_A_RUN);
    cJSON_AddBoolToObject(s, "compared", comparable);
    if (note)
        cJSON_AddStringToObject(s, "note", note);
    else
        cJSON_AddNullToObject(s, "note");
    free(note);
    for (int k = 0; k < (int)ARRAY_SIZE(count_names); k++)
        cJSON_AddItemToObject(counts, count_names[k],
                              compare_count(t, name, k, r, i, comparable, why));
    cJSON_AddItemToObject(s, "counts", counts);
    cJSON_AddItemToObject(s, "duration", compare_duration(t, name, r, i, why));
    cJSON_AddBoolToObject(s, "anomaly", cJSON_GetArraySize(why) > before);
    return s;
}

cJSON *runcompare(struct db *db, const struct anomaly_cfg *t, long long a, long long b,
                  struct err *err)
{
    cJSON *out = cJSON_CreateObject();
    long long ids[2];
    PGresult *r;

    if (find_runs(db, a, b, out, ids, err) < 0 ||
        (r = source_rows(db, t, &a, &ids[1], 1, err)) == NULL) {
        cJSON_Delete(out);
        return NULL;
    }
    cJSON *why = cJSON_CreateArray();
    cJSON *sources = cJSON_CreateArray();
    for (int i = 0; i < PQntuples(r); i++)
        cJSON_AddItemToArray(sources, compare_source(t, r, i, a > 0, ids[0], why));
    PQclear(r);
    cJSON_AddBoolToObject(out, "anomaly", cJSON_GetArraySize(why) > 0);
    cJSON_AddItemToObject(out, "anomalies", why);
    cJSON_AddItemToObject(out, "thresholds", thresholds_json(t));
    cJSON_AddItemToObject(out, "sources", sources);
    return out;
}

cJSON *runcompare_anomalies(struct db *db, const struct anomaly_cfg *t, const long long *runs,
                            int n, struct err *err)
{
    long long *zeros = xcalloc((size_t)n + 1, sizeof *zeros);
    PGresult *r = source_rows(db, t, zeros, runs, n, err);
    cJSON *out;

    free(zeros);
    if (r == NULL)
        return NULL;
    out = cJSON_CreateArray();
    for (int k = 0, i = 0; k < n; k++) {
        cJSON *why = cJSON_CreateArray();
        for (; i < PQntuples(r) && db_ll(r, i, C_B) == runs[k]; i++)
            cJSON_Delete(compare_source(t, r, i, false, 0, why));
        cJSON_AddItemToArray(out, why);
    }
    PQclear(r);
    return out;
}

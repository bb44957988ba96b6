/*
 * runstats.c — kasparro's numbers for /stats and `kasparro stats` (see
 * runstats.h). Three queries: per-source record counts (one pass over
 * records), per-source run figures (run_sources, the recent whole reads
 * ranked with a window), and the overall run figures (runs). Durations
 * are per source read for a source and per run overall; throughput is
 * records fetched over the seconds it took, summed over the same reads.
 *
 * The durations and the throughput are those of whole reads
 * (RUN_SQL_WHOLE, as compare-runs takes a duration's median): a failed
 * read stops early or hangs to a timeout, and a resumed one reads only
 * what was left, so either would skew them. A run counts overall when
 * every read of it was whole. A success is a read whose records loaded
 * (RUN_SQL_LOADED), one whose deletions the guard held included: its
 * records are there, only the deletions wait for an operator.
 */
#include "kasparro/runstats.h"

#include "kasparro/config.h"
#include "kasparro/run.h"

static const char *sql_sources =
    "WITH rec AS (SELECT source, count(*) FILTER (WHERE NOT is_deleted) AS live, "
    "  count(*) FILTER (WHERE is_deleted) AS deleted FROM kasparro.records GROUP BY source), "
    "rs AS (SELECT source, status, fetched, finished_at, "
    "  extract(epoch FROM finished_at - started_at) AS d, "
    "  " RUN_SQL_LOADED("s") " AS loaded, " RUN_SQL_WHOLE("s") " AS whole, "
    "  row_number() OVER (PARTITION BY source, " RUN_SQL_WHOLE("s") " ORDER BY run_id DESC) AS rn "
    "  FROM kasparro.run_sources s WHERE finished_at IS NOT NULL), "
    "runs AS (SELECT source, "
    "  max(finished_at) FILTER (WHERE loaded) AS ok_at, "
    "  max(finished_at) FILTER (WHERE status = 'failed') AS failed_at, "
    "  percentile_cont(0.5) WITHIN GROUP (ORDER BY d) FILTER (WHERE whole AND rn <= $1::int) "
    "    AS p50, "
    "  percentile_cont(0.95) WITHIN GROUP (ORDER BY d) FILTER (WHERE whole AND rn <= $1::int) "
    "    AS p95, "
    "  sum(fetched) FILTER (WHERE whole AND rn <= $1::int) / "
    "    nullif(sum(d) FILTER (WHERE whole AND rn <= $1::int), 0) AS rate, "
    "  count(*) FILTER (WHERE whole AND rn <= $1::int) AS reads FROM rs GROUP BY source), "
    "q AS (SELECT source, count(*) AS n FROM kasparro.quarantine GROUP BY source) "
    "SELECT coalesce(rec.source, runs.source), coalesce(rec.live, 0), coalesce(rec.deleted, 0), "
    SQL_UTC_ISO("runs.ok_at") ", " SQL_UTC_ISO("runs.failed_at") ", "
    "  runs.p50, runs.p95, runs.rate, "
    "  coalesce(q.n, 0), coalesce(runs.reads, 0) "
    "FROM rec FULL JOIN runs ON runs.source = rec.source "
    "LEFT JOIN q ON q.source = coalesce(rec.source, runs.source) ORDER BY 1";

/* A run every read of which passes `cond` on run_sources s (and that read
 * one source at least). */
#define EVERY_READ(cond)                                                                          \
    "EXISTS (SELECT 1 FROM kasparro.run_sources s WHERE s.run_id = r.id) AND NOT EXISTS "        \
    "(SELECT 1 FROM kasparro.run_sources s WHERE s.run_id = r.id AND NOT (" cond "))"

static const char *sql_overall =
    "WITH r AS (SELECT r.id, r.status, r.finished_at, "
    "  extract(epoch FROM r.finished_at - r.started_at) AS d, "
    "  (SELECT sum(fetched) FROM kasparro.run_sources s WHERE s.run_id = r.id) AS fetched "
    "  FROM kasparro.runs r WHERE r.finished_at IS NOT NULL "
    "  AND r.status IN ('succeeded', 'partial') AND " EVERY_READ(RUN_SQL_WHOLE("s"))
    "  ORDER BY r.id DESC LIMIT $1::int) "
    "SELECT "
    SQL_UTC_ISO("(SELECT max(finished_at) FROM kasparro.runs r WHERE status IN ('succeeded', "
                "'partial') AND " EVERY_READ(RUN_SQL_LOADED("s")) ")") ", "
    SQL_UTC_ISO("(SELECT max(finished_at) FROM kasparro.runs WHERE status = 'failed')") ", "
    "  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) FROM r), "
    "  (SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY d) FROM r), "
    "  (SELECT sum(fetched) / nullif(sum(d), 0) FROM r), (SELECT count(*) FROM r), "
    "  (SELECT json_object_agg(status, n)::text FROM (SELECT status, count(*) AS n "
    "   FROM kasparro.runs GROUP BY status) c)";

cJSON *runstats_json(struct db *db, int recent, struct err *err)
{
    char n[16];
    PGresult *r;
    cJSON *out, *sources, *overall;
    long long live = 0, deleted = 0;

    snprintf(n, sizeof n, "%d", recent);
    if ((r = db_exec(db, err, sql_sources, DB_PARAMS(n))) == NULL)
        return NULL;
    out = cJSON_CreateObject();
    overall = cJSON_AddObjectToObject(out, "overall");
    sources = cJSON_AddArrayToObject(out, "sources");
    for (int i = 0; i < PQntuples(r); i++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "source", PQgetvalue(r, i, 0));
        cJSON_AddNumberToObject(s, "records_live", (double)db_ll(r, i, 1));
        cJSON_AddNumberToObject(s, "records_deleted", (double)db_ll(r, i, 2));
        db_json_string(s, "last_success_at", r, i, 3);
        db_json_string(s, "last_failure_at", r, i, 4);
        db_json_number(s, "duration_p50", r, i, 5);
        db_json_number(s, "duration_p95", r, i, 6);
        db_json_number(s, "rows_per_second", r, i, 7);
        cJSON_AddNumberToObject(s, "quarantined", (double)db_ll(r, i, 8));
        cJSON_AddNumberToObject(s, "recent_reads", (double)db_ll(r, i, 9));
        cJSON_AddItemToArray(sources, s);
        live += db_ll(r, i, 1);
        deleted += db_ll(r, i, 2);
    }
    PQclear(r);
    if ((r = db_exec(db, err, sql_overall, DB_PARAMS(n))) == NULL) {
        cJSON_Delete(out);
        return NULL;
    }
    cJSON_AddNumberToObject(overall, "records_live", (double)live);
    cJSON_AddNumberToObject(overall, "records_deleted", (double)deleted);
    cJSON *runs = cJSON_Parse(PQgetisnull(r, 0, 6) ? "{}" : PQgetvalue(r, 0, 6));
    cJSON_AddItemToObject(overall, "runs", runs ? runs : cJSON_CreateObject());
    db_json_string(overall, "last_success_at", r, 0, 0);
    db_json_string(overall, "last_failure_at", r, 0, 1);
    db_json_number(overall, "duration_p50", r, 0, 2);
    db_json_number(overall, "duration_p95", r, 0, 3);
    db_json_number(overall, "rows_per_second", r, 0, 4);
    cJSON_AddNumberToObject(overall, "recent_runs", (double)db_ll(r, 0, 5));
    PQclear(r);
    return out;
}

void runstats_mark_configured(cJSON *stats, const struct config *cfg)
{
    cJSON *s;

    cJSON_ArrayForEach(s, cJSON_GetObjectItem(stats, "sources")) {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(s, "source"));
        cJSON_AddBoolToObject(s, "configured", name != NULL && config_source(cfg, name) != NULL);
    }
}

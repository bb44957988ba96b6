/*
 * cmd-runs.c — `kasparro runs`: recent runs, newest first, with totals over
 * their sources. Missed and skipped fire times of the scheduler are runs
 * too (they show why nothing ran).
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/out.h"
#include "kasparro/run.h"
#include "kasparro/runcompare.h"
#include "kasparro/runview.h"

/* With a source ($3), the runs that read it, each with that source's own
 * status, time, counts and error; a status asked for ($2) is then the
 * source's. Matching is the run's either way. */
static const char *sql_runs =
    "SELECT r.id, CASE WHEN $3::text IS NULL THEN r.status ELSE max(s.status) END, "
    "r.trigger, r.actor, " SQL_UTC_ISO("r.started_at") ", "
    "CASE WHEN $3::text IS NULL "
    "  THEN extract(epoch FROM coalesce(r.finished_at, now()) - r.started_at) "
    "  ELSE extract(epoch FROM coalesce(max(s.finished_at), now()) - max(s.started_at)) END, "
    "coalesce(sum(s.fetched), 0), coalesce(sum(s.inserted), 0), coalesce(sum(s.updated), 0), "
    "coalesce(sum(s.unchanged), 0), coalesce(sum(s.quarantined), 0), "
    "coalesce(sum(s.soft_deleted), 0), "
    "CASE WHEN $3::text IS NULL THEN r.error ELSE max(s.error) END, count(*) OVER (), "
    "(r.matching->>'auto_merges')::bigint, (r.matching->>'queued_now')::bigint, "
    "jsonb_array_length(r.matching->'warnings'), (r.matching->>'queued')::bigint, "
    SQL_RUN_SILENT("r") ", r.pid::text, r.host "
    "FROM kasparro.runs r LEFT JOIN kasparro.run_sources s "
    "  ON s.run_id = r.id AND ($3::text IS NULL OR s.source = $3) "
    "WHERE ($2::text IS NULL OR $3::text IS NOT NULL OR r.status = $2) "
    "AND ($4::double precision IS NULL OR r.started_at >= to_timestamp($4)) "
    "AND ($5::bigint IS NULL OR r.id < $5) "
    "GROUP BY r.id "
    "HAVING $3::text IS NULL OR (count(s.source) > 0 AND ($2::text IS NULL OR max(s.status) = $2)) "
    "ORDER BY r.id DESC LIMIT $1";

/* The listed runs' ids, newest first as listed. */
static long long *runs_ids(const PGresult *r)
{
    long long *ids = xcalloc((size_t)PQntuples(r) + 1, sizeof *ids);

    for (int i = 0; i < PQntuples(r); i++)
        ids[i] = db_ll(r, i, 0);
    return ids;
}

/* Each completed run's anomalies against the run before it (runcompare.h),
 * for --json (the console marks them); NULL when they could not be read. */
static cJSON *runs_anomalies(struct cmd_ctx *ctx, const PGresult *r)
{
    int n = PQntuples(r), k = 0;
    long long *ids = xcalloc((size_t)n + 1, sizeof *ids);
    struct err err = {0};
    cJSON *out;

    for (int i = n - 1; i >= 0; i--) /* ascending */
        ids[k++] = db_ll(r, i, 0);
    out = ctx->json ? runcompare_anomalies(ctx->db, &ctx->cfg->anomaly, ids, k, &err) : NULL;
    free(ids);
    return out;
}

static int check_status(struct cmd_ctx *ctx, const char *status)
{
    struct buf names = BUF_INIT;

    if (status == NULL || run_status_parse(status) >= 0)
        return 0;
    run_status_list(&names);
    cmd_opt_error(&ctx->err, "status", "'%s' is not a run status (%s)", status, names.data);
    buf_free(&names);
    return -1;
}

/* What an empty list says: which filters matched nothing, or how to start. */
static char *runs_none(const struct cmd_ctx *ctx, const struct cmd_args *args)
{
    const char *status = cmd_opt(args, "status"), *source = cmd_opt(args, "source");
    const char *since = cmd_opt(args, "since"), *before = cmd_opt(args, "before");
    struct buf b = BUF_INIT;

    if (status == NULL && source == NULL && since == NULL && before == NULL)
        return xasprintf("no runs yet; '%srun' starts one", cmd_prefix(ctx->origin));
    buf_adds(&b, source ? "no run read source '" : "no run");
    if (source != NULL)
        buf_printf(&b, "%s'", source);
    if (status != NULL)
        buf_printf(&b, source ? " with status %s" : " is %s", status);
    if (since != NULL)
        buf_printf(&b, " since %s", since);
    if (before != NULL)
        buf_printf(&b, " before run %s", before);
    return buf_detach(&b);
}

static int runs_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    long long limit, before;
    double since;
    char lim[32], since_s[32], before_s[32];
    const char *source;
    PGresult *r;

    if (cmd_opt_limit(ctx, args, 20, &limit) < 0 || check_status(ctx, cmd_opt(args, "status")) < 0 ||
        cmd_opt_time(ctx, args, "since", &since) < 0 ||
        cmd_opt_ll(ctx, args, "before", 0, 1, &before) < 0)
        return EXIT_USAGE;
    /* a name no run could have read is a typo, not "no run read it" */
    if (cmd_opt_source(ctx, args, &source) < 0)
        return -1;
    snprintf(lim, sizeof lim, "%lld", limit);
    snprintf(since_s, sizeof since_s, "%.6f", since);
    snprintf(before_s, sizeof before_s, "%lld", before);
    r = db_exec(ctx->db, &ctx->err, sql_runs,
                DB_PARAMS(lim, cmd_opt(args, "status"), source,
                          since > 0 ? since_s : NULL, before > 0 ? before_s : NULL));
    if (r == NULL)
        return -1;
    struct table *t = table_new();
    /* show-run has every column and the error whole. A narrow terminal
     * leaves out who started the run, then the counts of what did not
     * change, then the time taken and matching's counts, and cuts the
     * error: what was read, what was new, bad or deleted and what failed
     * stay (at 80 columns, a table). First the start is written short, and
     * as many more columns leave as let a held read's error keep what to
     * do, as the console's Runs screen does (at 100 columns) */
    table_col(t, "id", "RUN", COL_RIGHT);
    table_col(t, "status", "STATUS", 0);
    table_col(t, "trigger", "TRIGGER", COL_OPTIONAL);
    table_col(t, "actor", "ACTOR", COL_OPTIONAL);
    table_col(t, "started_at", "STARTED (UTC)", COL_TERSE);
    table_col(t, "seconds", "SECONDS", COL_RIGHT | COL_OPTIONAL | COL_RANK(1));
    table_col(t, "fetched", "FETCHED", COL_RIGHT);
    table_col(t, "inserted", "NEW", COL_RIGHT);
    table_col(t, "updated", "UPDATED", COL_RIGHT | COL_OPTIONAL);
    table_col(t, "unchanged", "SAME", COL_RIGHT | COL_OPTIONAL);
    table_col(t, "quarantined", "BAD", COL_RIGHT);
    table_col(t, "soft_deleted", "DELETED", COL_RIGHT);
    table_col(t, "merged", "MERGED", COL_RIGHT | COL_OPTIONAL | COL_RANK(1));
    table_col(t, "queued", "QUEUED", COL_RIGHT | COL_OPTIONAL | COL_RANK(1));
    table_col(t, "match_warnings", "MATCH WARNINGS", COL_JSON_ONLY);
    /* the review queue's size when the run's matching ended */
    table_col(t, "queue_depth", "QUEUE DEPTH", COL_JSON_ONLY);
    table_col(t, "error", "ERROR", COL_ELASTIC | COL_KEEPS_END); /* what to do is at its end */
    table_col(t, "anomalies", "ANOMALIES", COL_JSON_ONLY);
    /* a run left 'running' by a process gone silent (runview_silence) */
    table_col(t, "silent_seconds", "SILENT SECONDS", COL_JSON_ONLY);
    table_col(t, "deletions", "DELETIONS", COL_JSON_ONLY); /* DELETED's text */
    table_col(t, "holds", "HOLDS", COL_JSON_ONLY);
    cJSON *anomalies = runs_anomalies(ctx, r);
    long long *ids = runs_ids(r);
    cJSON *holds = runview_holds(ctx->db, ids, PQntuples(r), source, &ctx->err);
    free(ids);
    if (holds == NULL) {
        cJSON_Delete(anomalies);
        table_free(t);
        PQclear(r);
        return -1;
    }
    for (int i = 0; i < PQntuples(r); i++) {
        static const char *completed[] = {"succeeded", "partial", "failed"};
        bool done = false, ran = !run_status_never_ran(run_status_parse(db_str(r, i, 1)));
        for (size_t k = 0; k < ARRAY_SIZE(completed); k++)
            done |= str_eq(db_str(r, i, 1), completed[k]);
        table_row(t);
        table_int(t, db_ll(r, i, 0));
        table_str(t, db_str(r, i, 1));
        table_str(t, db_str(r, i, 2));
        table_str(t, db_str(r, i, 3));
        table_time(t, db_str(r, i, 4));
        /* a fire time that never ran took no time and counted nothing */
        if (ran)
            table_num(t, db_double(r, i, 5), 1);
        else
            table_null(t);
        for (int c = 6; c <= 10; c++)
            if (ran)
                table_int(t, db_ll(r, i, c));
            else
                table_null(t);
        cJSON *held = cJSON_GetArrayItem(holds, i);
        char *deleted = ran ? runview_deleted(db_ll(r, i, 11), held) : NULL;
        if (ran)
            table_json(t, deleted, cJSON_CreateNumber((double)db_ll(r, i, 11)));
        else
            table_null(t);
        for (int c = 14; c <= 17; c++) /* matching: none before it ran */
            if (db_str(r, i, c) != NULL)
                table_int(t, db_ll(r, i, c));
            else
                table_null(t);
        char *now = runview_error(db_str(r, i, 12), held);
        char *error = cmd_stored_text(ctx->origin, now);
        if (error == NULL && db_str(r, i, 18) != NULL) { /* says why it is 'running' still */
            char *note = runview_silence(db_double(r, i, 18), db_bool(r, i, 19),
                                         db_str(r, i, 20), db_str(r, i, 21), ctx->origin, false);
            table_json(t, note, cJSON_CreateNull());
            free(note);
        } else
            table_str(t, error);
        free(error);
        free(now);
        cJSON *a = cJSON_GetArrayItem(anomalies, PQntuples(r) - 1 - i);
        if (done && a != NULL)
            table_json(t, "", cJSON_Duplicate(a, 1));
        else
            table_null(t);
        if (db_str(r, i, 18) != NULL)
            table_num(t, db_double(r, i, 18), 0);
        else
            table_null(t);
        table_json(t, "", deleted ? cJSON_CreateString(deleted) : cJSON_CreateNull());
        free(deleted);
        for (cJSON *h = held->child; h != NULL; h = h->next)
            cJSON_DeleteItemFromObject(h, "error"); /* `error` says it as it is now */
        table_json(t, "",
                   cJSON_GetArraySize(held) ? cJSON_Duplicate(held, 1) : cJSON_CreateNull());
    }
    cJSON_Delete(anomalies);
    cJSON_Delete(holds);
    table_total(t, PQntuples(r) > 0 ? db_ll(r, 0, 13) : 0, "runs");
    PQclear(r);
    char *none = runs_none(ctx, args);
    table_print(t, ctx, none);
    free(none);
    return EXIT_OK;
}

static const struct cmd_opt runs_opts[] = {
    {"limit", 'n', "N|all", "show at most N runs (default 20), or all"},
    {"status", 0, "STATUS",
     "only runs with this status: running, succeeded, partial, failed, abandoned, interrupted, "
     "missed or skipped",
     .choices = run_status_names},
    {"source", 0, "SOURCE",
     "only runs that read SOURCE, with its own status, time, counts and error", .kind = ARG_SOURCE},
    {"since", 0, "TIME", "only runs started since TIME (ISO 8601, or a duration ago: 7d)"},
    {"before", 0, "RUN", "only runs older than RUN (the next page after it)", .kind = ARG_RUN},
    {0},
};

const struct cmd_entry cmd_runs_entry = {
    .name = "runs",
    .usage = "[--limit N|all] [--status STATUS] [--source SOURCE] [--since TIME] [--before RUN] "
             "[--json]",
    .summary = "list recent runs, newest first, with their counts",
    .opts = runs_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_DB | CMD_LISTING,
    .exec = runs_exec,
};

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

static const char *sql_runs =
    "SELECT r.id, r.status, r.trigger, r.actor, "
    SQL_UTC_ISO("r.started_at") ", "
    "extract(epoch FROM coalesce(r.finished_at, now()) - r.started_at), "
    "coalesce(sum(s.fetched), 0), coalesce(sum(s.inserted), 0), coalesce(sum(s.updated), 0), "
    "coalesce(sum(s.unchanged), 0), coalesce(sum(s.quarantined), 0), "
    "coalesce(sum(s.soft_deleted), 0), r.error, count(*) OVER (), "
    "(r.matching->>'auto_merges')::bigint, (r.matching->>'queued_now')::bigint, "
    "jsonb_array_length(r.matching->'warnings'), (r.matching->>'queued')::bigint "
    "FROM kasparro.runs r LEFT JOIN kasparro.run_sources s ON s.run_id = r.id "
    "WHERE ($2::text IS NULL OR r.status = $2) "
    "GROUP BY r.id ORDER BY r.id DESC LIMIT $1";

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
    err_code(&ctx->err, EXIT_USAGE, "runs: --status '%s' is not a run status (%s)", status,
             names.data);
    buf_free(&names);
    return -1;
}

static int runs_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    long long limit;
    char lim[32];
    PGresult *r;

    if (cmd_opt_limit(ctx, args, 20, &limit) < 0 || check_status(ctx, cmd_opt(args, "status")) < 0)
        return EXIT_USAGE;
    snprintf(lim, sizeof lim, "%lld", limit);
    r = db_exec(ctx->db, &ctx->err, sql_runs, DB_PARAMS(lim, cmd_opt(args, "status")));
    if (r == NULL)
        return -1;
    struct table *t = table_new();
    table_col(t, "id", "RUN", COL_RIGHT);
    table_col(t, "status", "STATUS", 0);
    table_col(t, "trigger", "TRIGGER", 0);
    table_col(t, "actor", "ACTOR", 0);
    table_col(t, "started_at", "STARTED (UTC)", 0);
    table_col(t, "seconds", "SECONDS", COL_RIGHT);
    table_col(t, "fetched", "FETCHED", COL_RIGHT);
    table_col(t, "inserted", "NEW", COL_RIGHT);
    table_col(t, "updated", "UPDATED", COL_RIGHT);
    table_col(t, "unchanged", "SAME", COL_RIGHT);
    table_col(t, "quarantined", "BAD", COL_RIGHT);
    table_col(t, "soft_deleted", "DELETED", COL_RIGHT);
    table_col(t, "merged", "MERGED", COL_RIGHT);
    table_col(t, "queued", "QUEUED", COL_RIGHT);
    table_col(t, "match_warnings", "MATCH WARNINGS", COL_JSON_ONLY);
    /* the review queue's size when the run's matching ended */
    table_col(t, "queue_depth", "QUEUE DEPTH", COL_JSON_ONLY);
    table_col(t, "error", "ERROR", COL_WIDE);
    table_col(t, "anomalies", "ANOMALIES", COL_JSON_ONLY);
    cJSON *anomalies = runs_anomalies(ctx, r);
    for (int i = 0; i < PQntuples(r); i++) {
        static const char *completed[] = {"succeeded", "partial", "failed"};
        bool done = false;
        for (size_t k = 0; k < ARRAY_SIZE(completed); k++)
            done |= str_eq(db_str(r, i, 1), completed[k]);
        table_row(t);
        table_int(t, db_ll(r, i, 0));
        table_str(t, db_str(r, i, 1));
        table_str(t, db_str(r, i, 2));
        table_str(t, db_str(r, i, 3));
        table_time(t, db_str(r, i, 4));
        table_num(t, db_double(r, i, 5), 1);
        for (int c = 6; c <= 11; c++)
            table_int(t, db_ll(r, i, c));
        for (int c = 14; c <= 17; c++) /* matching: none before it ran */
            if (db_str(r, i, c) != NULL)
                table_int(t, db_ll(r, i, c));
            else
                table_null(t);
        table_str(t, db_str(r, i, 12));
        cJSON *a = cJSON_GetArrayItem(anomalies, PQntuples(r) - 1 - i);
        if (done && a != NULL)
            table_json(t, "", cJSON_Duplicate(a, 1));
        else
            table_null(t);
    }
    cJSON_Delete(anomalies);
    table_total(t, PQntuples(r) > 0 ? db_ll(r, 0, 13) : 0, "runs");
    PQclear(r);
    char *none = cmd_opt(args, "status") ? xasprintf("no run is %s", cmd_opt(args, "status"))
                                         : xstrdup("no runs yet; 'kasparro run' starts one");
    table_print(t, ctx, none);
    free(none);
    return EXIT_OK;
}

static const struct cmd_opt runs_opts[] = {
    {"limit", 'n', "N|all", "show at most N runs (default 20), or all"},
    {"status", 0, "STATUS",
     "only runs with this status: running, succeeded, partial, failed, abandoned, interrupted, "
     "missed or skipped"},
    {0},
};

const struct cmd_entry cmd_runs_entry = {
    .name = "runs",
    .usage = "[--limit N|all] [--status STATUS] [--json]",
    .summary = "list recent runs, newest first, with their counts",
    .opts = runs_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_DB | CMD_LISTING,
    .exec = runs_exec,
};

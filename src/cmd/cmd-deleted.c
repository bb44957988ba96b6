/*
 * cmd-deleted.c — `kasparro deleted`: soft-deleted records, most recently
 * deleted first, with the run that deleted them and when retention will
 * purge them; TITLE names the record as everywhere else (dedup_label_sql).
 * A record its source's retire deleted (retire.c: under no run) says
 * "retired" under RUN, and "retired": true in --json, where its
 * deleted_by_run stays null: what `restore --retired` takes, not a run
 * that is missing. The console's Deleted screen lists the same rows.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kasparro/dedup.h"
#include "kasparro/deletes.h"
#include "kasparro/out.h"

static const char *sql_deleted =
    "SELECT r.id, r.source, r.source_id, %s, "
    SQL_UTC_ISO("r.deleted_at") ", r.deleted_by_run, "
    SQL_UTC_ISO("r.deleted_at + make_interval(secs => $5::double precision)") ", "
    "count(*) OVER () "
    "FROM kasparro.records r WHERE r.is_deleted AND ($1::text IS NULL OR r.source = $1) "
    "AND ($2::double precision IS NULL OR r.deleted_at >= to_timestamp($2)) "
    "AND ($3::bigint IS NULL OR r.deleted_by_run = $3) "
    "ORDER BY r.deleted_at DESC, r.id DESC LIMIT $4";

static struct table *deleted_table(void)
{
    struct table *t = table_new();

    table_col(t, "id", "ID", COL_RIGHT);
    table_col(t, "source", "SOURCE", 0);
    table_col(t, "source_id", "RECORD", 0);
    /* a narrow terminal keeps the title the reader knows the record by:
     * DELETED loses its seconds (RUN says which read deleted it) and the
     * retention's date, which follows from DELETED, leaves */
    table_col(t, "title", "TITLE", COL_ELASTIC | COL_WHOLE);
    table_col(t, "deleted_at", "DELETED (UTC)", COL_TERSE);
    table_col(t, "deleted_by_run", "RUN", COL_RIGHT);
    table_col(t, "purge_after", "PURGED AFTER (UTC)", COL_OPTIONAL);
    table_col(t, "retired", "RETIRED", COL_JSON_ONLY);
    return t;
}

static void deleted_row(struct table *t, const PGresult *r, int i)
{
    table_row(t);
    table_int(t, db_ll(r, i, 0));
    table_str(t, db_str(r, i, 1));
    table_str(t, db_str(r, i, 2));
    table_str(t, db_str(r, i, 3));
    table_time(t, db_str(r, i, 4));
    if (db_str(r, i, 5) != NULL)
        table_int(t, db_ll(r, i, 5));
    else
        table_json(t, "retired", cJSON_CreateNull());
    table_time(t, db_str(r, i, 6));
    table_bool(t, db_str(r, i, 5) == NULL);
}

static int deleted_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *run_opt = cmd_opt(args, "run"), *source;
    long long limit, run = 0;
    double since;
    char lim[32], runs[32], since_s[32], keep[32];
    PGresult *r;

    if (cmd_opt_limit(ctx, args, 50, &limit) < 0 || cmd_opt_time(ctx, args, "since", &since) < 0)
        return EXIT_USAGE;
    if (cmd_opt_source(ctx, args, &source) < 0 || cmd_opt_run(ctx, args, &run) < 0)
        return -1;
    snprintf(lim, sizeof lim, "%lld", limit);
    snprintf(runs, sizeof runs, "%lld", run);
    snprintf(since_s, sizeof since_s, "%.6f", since);
    snprintf(keep, sizeof keep, "%lld", ctx->cfg->retention_s);
    char *label = dedup_label_sql(ctx->db, ctx->cfg, "r");
    char *sql = xasprintf(sql_deleted, label);
    r = db_exec(ctx->db, &ctx->err, sql,
                DB_PARAMS(source, since > 0 ? since_s : NULL, run_opt ? runs : NULL, lim, keep));
    free(sql);
    free(label);
    if (r == NULL)
        return -1;
    struct table *t = deleted_table();
    for (int i = 0; i < PQntuples(r); i++)
        deleted_row(t, r, i);
    table_total(t, PQntuples(r) > 0 ? db_ll(r, 0, 7) : 0, "deleted records");
    PQclear(r);
    table_print(t, ctx, source || since > 0 || run_opt ? "no deleted record matches"
                                                       : "no record is deleted");
    return EXIT_OK;
}

static const struct cmd_opt deleted_opts[] = {
    {"source", 0, "SOURCE", "only records of this source", .kind = ARG_SOURCE},
    {"since", 0, "TIME", "only records deleted since TIME (ISO 8601, or a duration ago: 7d)"},
    {"run", 0, "RUN", "only records this run deleted", .kind = ARG_RUN},
    {"limit", 'n', "N|all", "show at most N (default 50), or all"},
    {0},
};

const struct cmd_entry cmd_deleted_entry = {
    .name = "deleted",
    .usage = "[--source SOURCE] [--since TIME] [--run RUN] [--limit N|all] [--json]",
    .summary = "soft-deleted records, with the run (or the retire) that deleted them",
    .opts = deleted_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_DB | CMD_LISTING,
    .exec = deleted_exec,
};

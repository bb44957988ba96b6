/*
 * cmd-held.c — `kasparro held [RUN]`: deletions the mass-delete guard held.
 *
 * Without RUN: one row per held set (run, source) awaiting a decision, or
 * with --all every one, decided or not, with who decided and how. With
 * RUN: the records that run held, and what applying would do to each:
 * 'held' (would be deleted), 'changed since' (a later run saw it: kept) or
 * 'deleted' (already gone). Later reads take records they see again out of
 * the set, so the list is always what is still missing.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kasparro/dedup.h"
#include "kasparro/deletes.h"
#include "kasparro/out.h"

static const char *sql_holds =
    "SELECT h.run_id, h.source, (SELECT count(*) FROM kasparro.pending_delete_records p "
    "WHERE p.pending_id = h.id), h.would_delete, h.live, coalesce(h.decision, 'held'), "
    "h.decided_by, " SQL_UTC_ISO("coalesce(h.decided_at, h.created_at)") ", h.reason, "
    "count(*) OVER () "
    "FROM kasparro.pending_deletes h WHERE ($1::boolean OR h.decision IS NULL) "
    "AND ($2::bigint IS NULL OR h.run_id = $2) AND ($4::text IS NULL OR h.source = $4) "
    "ORDER BY h.id DESC LIMIT $3";

/* Whether the run exists, and whether it held deletions (of the source). */
static const char *sql_run_held =
    "SELECT EXISTS (SELECT 1 FROM kasparro.runs WHERE id = $1), EXISTS (SELECT 1 FROM "
    "kasparro.pending_deletes WHERE run_id = $1 AND ($2::text IS NULL OR source = $2))";

static const char *sql_records =
    "SELECT r.id, r.source, r.source_id, %s, CASE WHEN r.is_deleted THEN 'deleted' "
    "WHEN r.last_changed_run > h.run_id THEN 'changed since' ELSE 'held' END, count(*) OVER () "
    "FROM kasparro.pending_deletes h "
    "JOIN kasparro.pending_delete_records p ON p.pending_id = h.id "
    "JOIN kasparro.records r ON r.id = p.record_id "
    "WHERE h.run_id = $1 AND ($2::text IS NULL OR h.source = $2) "
    "ORDER BY r.source, r.source_id LIMIT $3";

static int list_holds(struct cmd_ctx *ctx, const char *run, const char *source, const char *lim,
                      bool all, const char *empty)
{
    PGresult *r = db_exec(ctx->db, &ctx->err, sql_holds,
                          DB_PARAMS(all ? "true" : "false", run, lim, source));
    struct table *t;

    if (r == NULL)
        return -1;
    t = table_new();
    table_col(t, "run", "RUN", COL_RIGHT);
    table_col(t, "source", "SOURCE", 0);
    table_col(t, "held", "HELD", COL_RIGHT);
    /* by the run (HELD: still held); the reason says it too, and on a
     * narrow terminal it leaves, after BY, so the reason's why shows */
    table_col(t, "would_delete", "MISSED", COL_RIGHT | COL_OPTIONAL | COL_RANK(1));
    table_col(t, "live", "LIVE", COL_RIGHT);
    table_col(t, "state", "STATE", 0);
    table_col(t, "decided_by", "BY", COL_OPTIONAL);
    table_col(t, "at", "AT (UTC)", COL_TERSE);
    /* cut, its end stays: why it was held ("above max_ratio 10%") */
    table_col(t, "reason", "REASON", COL_ELASTIC | COL_WHOLE | COL_KEEPS_END);
    for (int i = 0; i < PQntuples(r); i++) {
        table_row(t);
        table_int(t, db_ll(r, i, 0));
        table_str(t, db_str(r, i, 1));
        for (int c = 2; c < 5; c++)
            table_int(t, db_ll(r, i, c));
        table_str(t, db_str(r, i, 5));
        table_str(t, db_str(r, i, 6));
        table_time(t, db_str(r, i, 7));
        table_str(t, db_str(r, i, 8));
    }
    table_total(t, PQntuples(r) > 0 ? db_ll(r, 0, 9) : 0, "held sets");
    PQclear(r);
    table_print(t, ctx, empty);
    return EXIT_OK;
}

static int list_records(struct cmd_ctx *ctx, const char *run, const char *source, long long limit,
                        const char *empty)
{
    char *label = dedup_label_sql(ctx->db, ctx->cfg, "r");
    char *sql = xasprintf(sql_records, label);
    char lim[32];
    PGresult *r;

    snprintf(lim, sizeof lim, "%lld", limit);
    r = db_exec(ctx->db, &ctx->err, sql, DB_PARAMS(run, source, lim));
    free(sql);
    free(label);
    if (r == NULL)
        return -1;
    struct table *t = table_new();
    table_col(t, "id", "ID", COL_RIGHT);
    table_col(t, "source", "SOURCE", 0);
    table_col(t, "source_id", "RECORD", 0);
    table_col(t, "title", "TITLE", COL_ELASTIC);
    table_col(t, "state", "STATE", 0);
    for (int i = 0; i < PQntuples(r); i++) {
        table_row(t);
        table_int(t, db_ll(r, i, 0));
        for (int c = 1; c < 5; c++)
            table_str(t, db_str(r, i, c));
    }
    table_total(t, PQntuples(r) > 0 ? db_ll(r, 0, 5) : 0, "held records");
    PQclear(r);
    table_print(t, ctx, empty);
    return EXIT_OK;
}

/* 1 when run `run` held deletions (of `source`), 0 when it held none,
 * -1 (err filled) when there is no such run. */
static int run_held(struct cmd_ctx *ctx, const char *run, const char *source)
{
    PGresult *r = db_exec(ctx->db, &ctx->err, sql_run_held, DB_PARAMS(run, source));

    if (r == NULL)
        return -1;
    bool exists = db_bool(r, 0, 0), held = db_bool(r, 0, 1);
    PQclear(r);
    if (!exists)
        return err_missing_name(&ctx->err, "run", run);
    return held;
}

static int held_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *source;
    long long run = 0, limit;
    char runs[32], lim[32], empty[256], none[128];
    const char *kas = cmd_prefix(ctx->origin);
    int held;

    if (cmd_opt_limit(ctx, args, args->argc ? 100 : 50, &limit) < 0 ||
        (args->argc > 0 && cmd_arg_id(ctx, args->argv[0], "run", &run) < 0))
        return EXIT_USAGE;
    if (cmd_opt_source(ctx, args, &source) < 0)
        return -1;
    snprintf(runs, sizeof runs, "%lld", run);
    snprintf(lim, sizeof lim, "%lld", limit);
    snprintf(none, sizeof none, "no deletions are held; '%sheld --all' shows past ones", kas);
    if (args->argc == 0)
        return list_holds(ctx, NULL, source, lim, cmd_flag(args, "all"),
                          cmd_flag(args, "all") ? "the guard has never held deletions" : none);
    if ((held = run_held(ctx, runs, source)) < 0)
        return -1;
    /* a run that held nothing says so once, naming it */
    snprintf(empty, sizeof empty, "run %lld held no deletions%s%s%s; '%sheld --all' lists "
             "what was held", run, source ? " of source '" : "", source ? source : "",
             source ? "'" : "", kas);
    if (held && !ctx->json) {
        int rc = list_holds(ctx, runs, source, "100", true, empty);
        if (rc != EXIT_OK)
            return rc;
        out_printf(ctx, "\n");
    }
    return list_records(ctx, runs, source, limit, held ? "that run held no records" : empty);
}

static const struct cmd_opt held_opts[] = {
    {"all", 'a', NULL, "also held sets already applied, discarded or superseded"},
    {"source", 0, "SOURCE", "only this source's held sets (with RUN: its held records)",
     .kind = ARG_SOURCE},
    {"limit", 'n', "N|all", "show at most N (default 50 sets, 100 records), or all"},
    {0},
};

const struct cmd_entry cmd_held_entry = {
    .name = "held",
    .usage = "[--all] [--source SOURCE] [--limit N|all] [--json] [RUN]",
    .summary = "deletions held by the mass-delete guard, or the records one run held",
    .opts = held_opts,
    .max_args = 1,
    .flags = CMD_NEEDS_DB | CMD_LISTING,
    .arg_kind = ARG_RUN,
    .exec = held_exec,
};

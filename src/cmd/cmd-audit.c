/*
 * cmd-audit.c — `kasparro audit`: the audit log, newest first. Every
 * deletion, restore, purge and guard decision (and every matching decision)
 * is a row: who, when, what, on which object, in which run, why, and the
 * object before and after (in --json; the text shows the after side).
 */
#include <stdio.h>
#include <string.h>

#include "kasparro/out.h"

static const char *sql_audit =
    "SELECT a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), a.actor, a.action, "
    "a.object_type, a.object_id, a.run_id, a.reason, a.before::text, a.after::text, "
    "count(*) OVER () "
    "FROM kasparro.audit_log a WHERE ($1::text IS NULL OR a.object_type = $1) "
    "AND ($2::text IS NULL OR a.object_id = $2) "
    "AND ($3::double precision IS NULL OR a.at >= to_timestamp($3)) "
    "AND ($4::text IS NULL OR a.action = $4) AND ($5::bigint IS NULL OR a.run_id = $5) "
    "ORDER BY a.id DESC LIMIT $6";

static void json_cell(struct table *t, const char *text)
{
    cJSON *j = text ? cJSON_Parse(text) : NULL;

    table_json(t, text ? text : "-", j ? j : cJSON_CreateNull());
}

static struct table *audit_table(void)
{
    struct table *t = table_new();

    table_col(t, "id", "ID", COL_RIGHT);
    table_col(t, "at", "AT (UTC)", 0);
    table_col(t, "actor", "ACTOR", 0);
    table_col(t, "action", "ACTION", 0);
    table_col(t, "object_type", "TYPE", 0);
    table_col(t, "object_id", "OBJECT", 0);
    table_col(t, "run", "RUN", COL_RIGHT);
    table_col(t, "reason", "REASON", COL_WIDE);
    table_col(t, "before", "BEFORE", COL_WIDE);
    table_col(t, "after", "AFTER", COL_WIDE);
    return t;
}

static void audit_rows(struct table *t, const PGresult *r)
{
    for (int i = 0; i < PQntuples(r); i++) {
        table_row(t);
        table_int(t, db_ll(r, i, 0));
        for (int c = 1; c <= 5; c++)
            table_str(t, db_str(r, i, c));
        if (db_str(r, i, 6) != NULL)
            table_int(t, db_ll(r, i, 6));
        else
            table_null(t);
        table_str(t, db_str(r, i, 7));
        json_cell(t, db_str(r, i, 8));
        json_cell(t, db_str(r, i, 9));
    }
}

static int audit_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *object = cmd_opt(args, "object"), *run_opt = cmd_opt(args, "run");
    char type[64] = "", lim[32], since_s[32], runs[32];
    const char *id = NULL;
    long long limit, run = 0;
    double since;
    PGresult *r;

    if (cmd_opt_limit(ctx, args, 50, &limit) < 0 ||
        cmd_opt_time(ctx, args, "since", &since) < 0 ||
        (run_opt != NULL && cmd_arg_id(ctx, run_opt, "run", &run) < 0))
        return EXIT_USAGE;
    if (object != NULL) {
        const char *colon = strchr(object, ':');
        snprintf(type, sizeof type, "%.*s", colon ? (int)(colon - object) : (int)strlen(object),
                 object);
        id = colon && colon[1] ? colon + 1 : NULL;
    }
    snprintf(lim, sizeof lim, "%lld", limit);
    snprintf(since_s, sizeof since_s, "%.6f", since);
    snprintf(runs, sizeof runs, "%lld", run);
    r = db_exec(ctx->db, &ctx->err, sql_audit,
                DB_PARAMS(type[0] ? type : NULL, id, since > 0 ? since_s : NULL,
                          cmd_opt(args, "action"), run_opt ? runs : NULL, lim));
    if (r == NULL)
        return ctx->err.code;
    struct table *t = audit_table();
    audit_rows(t, r);
    table_total(t, PQntuples(r) > 0 ? db_ll(r, 0, 10) : 0, "audit entries");
    PQclear(r);
    table_print(t, ctx, "no audit entries match");
    return EXIT_OK;
}

static const struct cmd_opt audit_opts[] = {
    {"object", 0, "TYPE[:ID]", "only entries about this object (record:12, run:5)"},
    {"since", 0, "TIME", "only entries since TIME (ISO 8601, or a duration ago: 7d)"},
    {"action", 0, "ACTION", "only this action (soft_delete, restore, purge, hold_deletes, ...)"},
    {"run", 0, "RUN", "only entries made in or about this run"},
    {"limit", 'n', "N|all", "show at most N (default 50), or all"},
    {0},
};

const struct cmd_entry cmd_audit_entry = {
    .name = "audit",
    .usage = "[--object TYPE[:ID]] [--since TIME] [--action ACTION] [--run RUN] [--limit N|all] "
             "[--json]",
    .summary = "the audit log: who deleted, restored, purged or decided what, when and why",
    .opts = audit_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_DB | CMD_LISTING,
    .exec = audit_exec,
};

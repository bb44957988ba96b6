/*
 * cmd-quarantine.c — `kasparro quarantine`: records that could not be
 * loaded, newest first, with where they were found, the field at fault,
 * why, and their raw text.
 *
 * The page is read alone, newest first from the primary key (or the run's
 * index), and the count of all that match taken apart, only when the page
 * came back full: a count over the window of the page's query made it
 * read and sort every quarantined row with its raw text first (0.6 s for
 * 400,000 rows; the count alone reads the keys).
 */
#include "kasparro/out.h"

#define SQL_QUARANTINE_WHERE                                                                    \
    "WHERE ($1::bigint IS NULL OR run_id = $1) AND ($2::text IS NULL OR source = $2) "

static const char *sql_quarantine =
    "SELECT id, run_id, source, location, source_id, field, reason, raw, "
    SQL_UTC_ISO("created_at") " FROM kasparro.quarantine " SQL_QUARANTINE_WHERE
    "ORDER BY id DESC LIMIT $3";

static const char *sql_quarantine_count =
    "SELECT count(*) FROM kasparro.quarantine " SQL_QUARANTINE_WHERE;

/* All that match: the page itself when it was not full. */
static int quarantine_total(struct cmd_ctx *ctx, const char *run, const char *source,
                            long long limit, int shown, long long *total)
{
    PGresult *r;

    *total = shown;
    if (shown < limit)
        return 0;
    if ((r = db_exec(ctx->db, &ctx->err, sql_quarantine_count, DB_PARAMS(run, source))) == NULL)
        return -1;
    *total = db_ll(r, 0, 0);
    PQclear(r);
    return 0;
}

static int quarantine_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    long long limit, run = 0;
    char lim[32], runs[32];
    const char *run_opt = cmd_opt(args, "run"), *source;
    PGresult *r;

    if (cmd_opt_limit(ctx, args, 50, &limit) < 0)
        return EXIT_USAGE;
    if (cmd_opt_source(ctx, args, &source) < 0 || cmd_opt_run(ctx, args, &run) < 0)
        return -1;
    snprintf(lim, sizeof lim, "%lld", limit);
    snprintf(runs, sizeof runs, "%lld", run);
    r = db_exec(ctx->db, &ctx->err, sql_quarantine,
                DB_PARAMS(run_opt ? runs : NULL, source, lim));
    if (r == NULL)
        return -1;
    struct table *t = table_new();
    table_col(t, "id", "ID", COL_RIGHT);
    table_col(t, "run", "RUN", COL_RIGHT);
    table_col(t, "source", "SOURCE", 0);
    table_col(t, "location", "WHERE", 0);
    table_col(t, "source_id", "RECORD", 0);
    table_col(t, "field", "FIELD", 0);
    table_col(t, "reason", "REASON", COL_WIDE);
    table_col(t, "raw", "RAW", COL_WIDE);
    table_col(t, "at", "AT (UTC)", 0);
    for (int i = 0; i < PQntuples(r); i++) {
        table_row(t);
        table_int(t, db_ll(r, i, 0));
        table_int(t, db_ll(r, i, 1));
        for (int c = 2; c <= 7; c++)
            table_str(t, db_str(r, i, c));
        table_time(t, db_str(r, i, 8));
    }
    long long total;
    int shown = PQntuples(r);
    PQclear(r);
    if (quarantine_total(ctx, run_opt ? runs : NULL, source, limit, shown, &total) < 0) {
        table_free(t);
        return -1;
    }
    table_total(t, total, "quarantined records");
    table_print(t, ctx, run_opt || source ? "no quarantined record matches"
                                          : "nothing is quarantined");
    return EXIT_OK;
}

static const struct cmd_opt quarantine_opts[] = {
    {"run", 0, "RUN", "only records quarantined by this run", .kind = ARG_RUN},
    {"source", 0, "SOURCE", "only this source", .kind = ARG_SOURCE},
    {"limit", 'n', "N|all", "show at most N (default 50), or all"},
    {0},
};

const struct cmd_entry cmd_quarantine_entry = {
    .name = "quarantine",
    .usage = "[--run RUN] [--source SOURCE] [--limit N|all] [--json]",
    .summary = "records that could not be loaded: where, which field, why, raw text",
    .opts = quarantine_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_DB | CMD_LISTING,
    .exec = quarantine_exec,
};

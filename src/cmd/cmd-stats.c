/*
 * cmd-stats.c — `kasparro stats`: what kasparro has done, in numbers, per
 * source and overall (runstats.h; GET /stats serves the same), and under
 * the table what the figures cover.
 */
#include <stdlib.h>

#include "kasparro/out.h"
#include "kasparro/runstats.h"

static void num_or_dash(struct table *t, const cJSON *v, int decimals)
{
    if (cJSON_IsNumber(v))
        table_num(t, v->valuedouble, decimals);
    else
        table_null(t);
}

static void stats_row(struct table *t, const char *name, const cJSON *s)
{
    table_row(t);
    table_str(t, name);
    table_int(t, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(s, "records_live")));
    table_int(t, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(s, "records_deleted")));
    table_time(t, cJSON_GetStringValue(cJSON_GetObjectItem(s, "last_success_at")));
    table_time(t, cJSON_GetStringValue(cJSON_GetObjectItem(s, "last_failure_at")));
    num_or_dash(t, cJSON_GetObjectItem(s, "duration_p50"), 1);
    num_or_dash(t, cJSON_GetObjectItem(s, "duration_p95"), 1);
    num_or_dash(t, cJSON_GetObjectItem(s, "rows_per_second"), 0);
    table_int(t, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(s, "quarantined")));
}

/* The SOURCE cell of row s (caller frees). */
static char *stats_name(struct cmd_ctx *ctx, const cJSON *s)
{
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(s, "source"));

    if (!cJSON_IsFalse(cJSON_GetObjectItem(s, "configured")))
        return xstrdup(name);
    return xasprintf("%s (%s)", name,
                     config_source_cut(ctx->cfg, name, NULL) != NULL ? "renamed" : "removed");
}

static int stats_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    cJSON *st = runstats_json(ctx->db, RUNSTATS_RECENT, &ctx->err), *s;

    (void)args;
    if (st == NULL)
        return -1;
    runstats_mark_configured(st, ctx->cfg);
    if (ctx->json) {
        out_json(ctx, st);
        return EXIT_OK;
    }
    struct table *t = table_new();
    /* A narrow terminal leaves out the records deleted and quarantined
     * (sources and show-run have them), then p95: what is live, when the
     * source last succeeded and failed and how fast it reads stay (at 80
     * columns, a table) */
    table_col(t, "source", "SOURCE", 0);
    table_col(t, "records_live", "LIVE", COL_RIGHT);
    table_col(t, "records_deleted", "DELETED", COL_RIGHT | COL_OPTIONAL);
    table_col(t, "last_success_at", "LAST SUCCESS (UTC)", 0);
    table_col(t, "last_failure_at", "LAST FAILURE (UTC)", 0);
    table_col(t, "duration_p50", "P50 S", COL_RIGHT);
    table_col(t, "duration_p95", "P95 S", COL_RIGHT | COL_OPTIONAL | COL_RANK(1));
    table_col(t, "rows_per_second", "ROWS/S", COL_RIGHT);
    table_col(t, "quarantined", "BAD", COL_RIGHT | COL_OPTIONAL);
    long long bad = 0;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(st, "sources")) {
        char *name = stats_name(ctx, s);
        stats_row(t, name, s);
        free(name);
        bad += (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(s, "quarantined"));
    }
    cJSON *overall = cJSON_GetObjectItem(st, "overall");
    cJSON_AddNumberToObject(overall, "quarantined", (double)bad);
    stats_row(t, "(all)", overall);
    size_t rows = table_rows(t);
    table_print(t, ctx, "no source has been read yet");
    if (rows > 1) /* what the figures cover, as runstats.c takes them */
        out_printf(ctx, "P50 S, P95 S, ROWS/S: each source's last %d whole reads (succeeded, or "
                   "held\ndeletions; not failed, not resumed); overall, the last %d runs of whole "
                   "reads\nLAST SUCCESS: the last read whose records loaded, held deletions "
                   "included\n", RUNSTATS_RECENT, RUNSTATS_RECENT);
    cJSON_Delete(st);
    return EXIT_OK;
}

const struct cmd_entry cmd_stats_entry = {
    .name = "stats",
    .usage = "[--json]",
    .summary = "records live and deleted, last success and failure, durations and throughput, "
               "per source and overall",
    .max_args = 0,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .exec = stats_exec,
};

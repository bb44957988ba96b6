/*
 * cmd-compare-runs.c — `kasparro compare-runs [A B]`: what changed between
 * two runs, per source, with the anomalies flagged (runcompare.h). Without
 * arguments the last two completed runs; exit 0 either way (an anomaly is
 * information, not a failure of the command). A run compared with itself
 * is a usage error: a table of zero deltas would read as "nothing changed".
 */
#include <stdlib.h>

#include "kasparro/out.h"
#include "kasparro/runcompare.h"

static const char *metric_keys[] = {"fetched", "inserted", "updated", "soft_deleted",
                                    "quarantined"};
static const char *metric_titles[] = {"fetched", "new", "updated", "deleted", "quarantined"};

static void add_opt_int(struct table *t, const cJSON *v)
{
    if (cJSON_IsNumber(v))
        table_int(t, (long long)v->valuedouble);
    else
        table_null(t);
}

static void add_change(struct table *t, const cJSON *c)
{
    const cJSON *ch = cJSON_GetObjectItem(c, "change");
    if (cJSON_IsNumber(ch)) {
        char *s = xasprintf("%+.0f%%", ch->valuedouble * 100);
        table_json(t, s, cJSON_CreateNumber(ch->valuedouble));
        free(s);
    } else {
        table_null(t);
    }
}

static void add_row(struct table *t, const char *source, const char *metric, const cJSON *c,
                    bool counts)
{
    table_row(t);
    table_str(t, source);
    table_str(t, metric);
    if (counts) {
        add_opt_int(t, cJSON_GetObjectItem(c, "a"));
        add_opt_int(t, cJSON_GetObjectItem(c, "b"));
        add_opt_int(t, cJSON_GetObjectItem(c, "delta"));
        add_change(t, c);
    } else {
        const char *keys[] = {"a", "b"};
        for (int k = 0; k < 2; k++) {
            const cJSON *v = cJSON_GetObjectItem(c, keys[k]);
            if (cJSON_IsNumber(v))
                table_num(t, v->valuedouble, 1);
            else
                table_null(t);
        }
        const cJSON *m = cJSON_GetObjectItem(c, "median");
        char *s = cJSON_IsNumber(m) ? xasprintf("median %.1f", m->valuedouble) : xstrdup("-");
        table_json(t, s, cJSON_IsNumber(m) ? cJSON_CreateNumber(m->valuedouble)
                                           : cJSON_CreateNull());
        free(s);
        table_null(t);
    }
    table_str(t, cJSON_IsTrue(cJSON_GetObjectItem(c, "anomaly")) ? "ANOMALY" : "");
}

static void print_text(struct cmd_ctx *ctx, const cJSON *cmp)
{
    const cJSON *a = cJSON_GetObjectItem(cmp, "a"), *b = cJSON_GetObjectItem(cmp, "b"), *s;
    struct table *t = table_new();

    out_printf(ctx, "run %.0f (%s, %s) -> run %.0f (%s, %s)\n",
               cJSON_GetNumberValue(cJSON_GetObjectItem(a, "id")),
               cJSON_GetStringValue(cJSON_GetObjectItem(a, "status")),
               cJSON_GetStringValue(cJSON_GetObjectItem(a, "started_at")),
               cJSON_GetNumberValue(cJSON_GetObjectItem(b, "id")),
               cJSON_GetStringValue(cJSON_GetObjectItem(b, "status")),
               cJSON_GetStringValue(cJSON_GetObjectItem(b, "started_at")));
    table_col(t, "source", "SOURCE", 0);
    table_col(t, "metric", "METRIC", 0);
    table_col(t, "a", "A", COL_RIGHT);
    table_col(t, "b", "B", COL_RIGHT);
    table_col(t, "delta", "DELTA", COL_RIGHT);
    table_col(t, "change", "CHANGE", COL_RIGHT);
    table_col(t, "flag", "", 0);
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(cmp, "sources")) {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(s, "source"));
        const cJSON *counts = cJSON_GetObjectItem(s, "counts");
        for (size_t k = 0; k < ARRAY_SIZE(metric_keys); k++)
            add_row(t, name, metric_titles[k], cJSON_GetObjectItem(counts, metric_keys[k]), true);
        add_row(t, name, "seconds", cJSON_GetObjectItem(s, "duration"), false);
    }
    table_print(t, ctx, "neither run read a source");
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(cmp, "sources")) {
        const char *note = cJSON_GetStringValue(cJSON_GetObjectItem(s, "note"));
        if (note)
            out_printf(ctx, "note: %s\n", note);
    }
    const cJSON *why = cJSON_GetObjectItem(cmp, "anomalies"), *w;
    if (cJSON_GetArraySize(why) == 0)
        out_printf(ctx, "no anomaly\n");
    cJSON_ArrayForEach(w, why)
        out_printf(ctx, "anomaly: %s\n", w->valuestring);
}

static int compare_runs_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    long long a = 0, b = 0;

    if (args->argc == 1)
        return err_code(&ctx->err, EXIT_USAGE, "compare-runs: give two runs, or none for the "
                        "last two completed runs"), EXIT_USAGE;
    if (args->argc == 2 && (cmd_arg_id(ctx, args->argv[0], "run", &a) < 0 ||
                            cmd_arg_id(ctx, args->argv[1], "run", &b) < 0))
        return EXIT_USAGE;
    if (args->argc == 2 && a == b)
        return err_code(&ctx->err, EXIT_USAGE, "compare-runs: run %lld compared with itself; "
                        "give two different runs", a), EXIT_USAGE;
    cJSON *cmp = runcompare(ctx->db, &ctx->cfg->anomaly, a, b, &ctx->err);
    if (cmp == NULL)
        return -1;
    if (ctx->json) {
        out_json(ctx, cmp);
        return EXIT_OK;
    }
    print_text(ctx, cmp);
    cJSON_Delete(cmp);
    return EXIT_OK;
}

const struct cmd_entry cmd_compare_runs_entry = {
    .name = "compare-runs",
    .usage = "[--json] [A B]",
    .summary = "compare two runs per source (default: the last two completed) and flag anomalies",
    .max_args = 2,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_RUN,
    .exec = compare_runs_exec,
};

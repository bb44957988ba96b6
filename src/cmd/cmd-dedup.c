/*
 * cmd-dedup.c — `kasparro dedup [--rescan]`: match what changed since the
 * last pass now (runs do it after loading), or re-match everything from
 * scratch with a fresh model; entity ids stay where membership does.
 */
#include "kasparro/dedup.h"
#include "kasparro/out.h"

static int dedup_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    struct dedup_stats st;
    bool rescan = cmd_flag(args, "rescan");

    if (ctx->cfg->match.nfields == 0) {
        err_code(&ctx->err, EXIT_USAGE, "dedup: [matching] has no compare.FIELD keys in '%s'",
                 ctx->cfg->path ? ctx->cfg->path : "(defaults)");
        return EXIT_USAGE;
    }
    if (dedup_run(ctx->db, ctx->cfg, rescan, ctx->actor, 0, &st, &ctx->err) < 0)
        return -1;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "rescan", rescan);
    cJSON_AddNumberToObject(o, "records", (double)st.records);
    cJSON_AddNumberToObject(o, "changed", (double)st.changed);
    cJSON_AddNumberToObject(o, "retired", (double)st.retired);
    cJSON_AddNumberToObject(o, "pairs", (double)st.pairs);
    cJSON_AddNumberToObject(o, "auto_merges", (double)st.auto_merges);
    cJSON_AddNumberToObject(o, "queued", (double)st.queued);
    cJSON_AddNumberToObject(o, "entities_created", (double)st.entities_created);
    cJSON_AddNumberToObject(o, "entities_emptied", (double)st.entities_emptied);
    cJSON_AddNumberToObject(o, "seconds", st.seconds);
    out_ok(ctx, o, "%s: %lld records, %lld matched, %lld left their entity, %lld pairs "
           "compared, %lld merged automatically, %lld queued for review, %lld new entities "
           "(%.2fs)", rescan ? "rescan" : "dedup", st.records, st.changed, st.retired, st.pairs,
           st.auto_merges, st.queued, st.entities_created, st.seconds);
    return EXIT_OK;
}

static const struct cmd_opt dedup_opts[] = {
    {"rescan", 0, NULL, "re-match every record from scratch and re-estimate the model"},
    {0},
};

const struct cmd_entry cmd_dedup_entry = {
    .name = "dedup",
    .usage = "[--rescan] [--json]",
    .summary = "match changed records into entities now, or rescan everything",
    .opts = dedup_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .exec = dedup_exec,
};

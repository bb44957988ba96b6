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
    struct dedup_opts opts = {cmd_flag(args, "rescan"), cmd_opt(args, "blocked-pairs")};

    if (ctx->cfg->nfields == 0) {
        err_code(&ctx->err, EXIT_USAGE, "dedup: '%s' declares no [schema] field to match by",
                 ctx->cfg->path ? ctx->cfg->path : "(defaults)");
        return EXIT_USAGE;
    }
    /* The file is made before the pass: a path that cannot be written
     * fails now, not after matching, and a pass that compares no pair
     * (nothing changed since the last) leaves it empty, not absent or
     * holding an earlier pass's pairs as if they were this one's. */
    if (opts.blocked_pairs != NULL) {
        FILE *f = fopen(opts.blocked_pairs, "w");
        if (f == NULL || fclose(f) != 0)
            return err_code(&ctx->err, EXIT_FAIL, "dedup: unable to write '%s': %m",
                            opts.blocked_pairs);
    }
    if (dedup_run(ctx->db, ctx->cfg, &opts, ctx->actor, 0, &st, &ctx->err) < 0)
        return -1;
    cJSON *o = dedup_stats_json(&st);
    char below[128], confirm[64];
    out_ok(ctx, o, "%s: %lld record%s, %lld matched, %lld left their entity, %lld pair%s "
           "compared, %lld merged automatically%s, %lld queued for review (%sthe queue holds "
           "%lld), %lld new entities (%.2fs)%s", st.rescan ? "rescan" : "dedup", st.records,
           st.records == 1 ? "" : "s", st.changed, st.retired, st.pairs,
           st.pairs == 1 ? "" : "s", st.auto_merges,
           dedup_below_auto_note(below, sizeof below, st.below_auto, st.auto_threshold,
                                 st.auto_budget),
           st.queued_now, dedup_confirm_note(confirm, sizeof confirm, st.to_confirm), st.queued,
           st.entities_created, st.seconds,
           st.learned ? "; model re-estimated" : "");
    for (int i = 0; i < st.nwarnings && !ctx->json; i++)
        out_printf(ctx, "warning: %s\n", st.warnings[i]);
    if (st.warnings_dropped > 0 && !ctx->json)
        out_printf(ctx, "warning: and %d more warning%s of the model, in the log only\n",
                   st.warnings_dropped, st.warnings_dropped == 1 ? "" : "s");
    return EXIT_OK;
}

static const struct cmd_opt dedup_opts[] = {
    {"rescan", 0, NULL, "re-match every record from scratch and re-estimate the model"},
    {"blocked-pairs", 0, "FILE", "write every pair blocking lets through to FILE (two record "
                                 "ids, the match weight and probability per line)"},
    {0},
};

const struct cmd_entry cmd_dedup_entry = {
    .name = "dedup",
    .usage = "[--rescan] [--blocked-pairs FILE] [--json]",
    .summary = "match changed records into entities now, or rescan everything",
    .opts = dedup_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .exec = dedup_exec,
};

/*
 * cmd-retire.c — `kasparro retire SOURCE`: what an operator does with a
 * source removed from kasparro.conf whose records are still live (`sources`
 * lists them, marked so). Soft-deletes all of them in one transaction,
 * through the deletes module (retire.c), then updates entities at once as
 * a run's deletions would; `restore --retired SOURCE` brings them back,
 * the retention purge removes them after keep_deleted.
 *
 * It deletes a whole source by design, so it asks for --yes the way `purge
 * --older-than` does: without it (or with --dry-run) it changes nothing and
 * states the exact count, in a shell and in the console alike (the Sources
 * screen's binding asks first, then passes --yes).
 */
#include "kasparro/deletes.h"
#include "kasparro/out.h"

static int retire_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *source = args->argv[0];
    bool yes = cmd_flag(args, "yes"), dry = cmd_flag(args, "dry-run") || !yes;
    struct retire_result res;
    char keep[32];

    if (deletes_retire(ctx->db, ctx->cfg, source, dry, ctx->actor, &res, &ctx->err) < 0)
        return -1;
    cJSON *extra = cJSON_CreateObject();
    cJSON_AddStringToObject(extra, "source", source);
    cJSON_AddBoolToObject(extra, "dry_run", dry);
    cJSON_AddNumberToObject(extra, dry ? "would_delete" : "deleted",
                            (double)(dry ? res.live : res.deleted));
    if (dry) {
        out_ok(ctx, extra, "would retire source '%s': soft-delete its %lld live record%s%s", source,
               res.live, res.live == 1 ? "" : "s",
               cmd_flag(args, "dry-run") ? "" : "; add --yes to retire it");
        return EXIT_OK;
    }
    cmd_rematch(ctx);
    format_duration(ctx->cfg->retention_s, keep, sizeof keep);
    out_ok(ctx, extra,
           "retired source '%s': %lld live record%s soft-deleted; '%srestore --retired %s' "
           "brings them back until the purge removes them (keep_deleted %s)",
           source, res.deleted, res.deleted == 1 ? "" : "s", cmd_prefix(ctx->origin), source, keep);
    return EXIT_OK;
}

static const struct cmd_opt retire_opts[] = {
    {"yes", 'y', NULL,
     "really soft-delete the source's records (without, only the count is "
     "stated)"},
    {"dry-run", 'n', NULL, "only count what would be deleted"},
    {0},
};

const struct cmd_entry cmd_retire_entry = {
    .name = "retire",
    .usage = "[--yes] [--dry-run] [--json] SOURCE",
    .summary = "soft-delete every live record of a source removed from the configuration",
    .opts = retire_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_SOURCE,
    .exec = retire_exec,
};

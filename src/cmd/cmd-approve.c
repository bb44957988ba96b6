/*
 * cmd-approve.c — `kasparro approve ID...` merges candidate pairs (a
 * must-link), and `approve --above P` approves every pending candidate at
 * or above P: it states the count first and acts only with --yes.
 */
#include "kasparro/dedup.h"
#include "kasparro/out.h"

static int approve_above(struct cmd_ctx *ctx, struct cmd_args *args)
{
    double min;
    long long count, done, skipped;

    if (cmd_opt_double(ctx, args, "above", 0, 0, 1, &min) < 0)
        return EXIT_USAGE;
    if (dedup_count_above(ctx->db, min, &count, &ctx->err) < 0)
        return ctx->err.code;
    if (!cmd_flag(args, "yes")) {
        err_code(&ctx->err, EXIT_USAGE, "approve: %lld pending candidate%s at or above %.3f "
                 "would be approved; add --yes to approve them", count, count == 1 ? "" : "s",
                 min);
        return EXIT_USAGE;
    }
    if (dedup_approve_above(ctx->db, ctx->cfg, min, ctx->actor, &done, &skipped, &ctx->err) < 0)
        return ctx->err.code ? ctx->err.code : EXIT_FAIL;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "approved", (double)done);
    cJSON_AddNumberToObject(o, "skipped", (double)skipped);
    out_ok(ctx, o, "approved %lld candidate%s at or above %.3f%s", done, done == 1 ? "" : "s",
           min, skipped ? " (some skipped: settled meanwhile or kept apart by a rejection)" : "");
    return EXIT_OK;
}

static int approve_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    int rc = EXIT_OK;

    if (cmd_opt(args, "above") != NULL)
        return args->argc == 0 ? approve_above(ctx, args)
                               : (err_code(&ctx->err, EXIT_USAGE, "approve: give ids or --above, "
                                           "not both"), EXIT_USAGE);
    if (args->argc == 0) {
        err_code(&ctx->err, EXIT_USAGE, "approve: which candidates? give ids or --above P");
        return EXIT_USAGE;
    }
    for (int i = 0; i < args->argc && rc == EXIT_OK; i++) {
        long long id, decision;
        if (cmd_arg_id(ctx, args->argv[i], "candidate", &id) < 0)
            return EXIT_USAGE;
        if (dedup_approve(ctx->db, ctx->cfg, id, ctx->actor, cmd_opt(args, "reason"), &decision,
                          &ctx->err) < 0) {
            rc = ctx->err.code ? ctx->err.code : EXIT_FAIL;
            break;
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "candidate", (double)id);
        cJSON_AddNumberToObject(o, "decision", (double)decision);
        out_ok(ctx, o, "candidate %lld approved (decision %lld)", id, decision);
    }
    return rc;
}

static const struct cmd_opt approve_opts[] = {
    {"reason", 'r', "TEXT", "why, for the audit log"},
    {"above", 0, "P", "approve every pending candidate with probability at least P"},
    {"yes", 'y', NULL, "with --above: really do it (without, only the count is stated)"},
    {0},
};

const struct cmd_entry cmd_approve_entry = {
    .name = "approve",
    .usage = "[--reason TEXT] ID... | --above P [--yes]",
    .summary = "merge candidate pairs into one entity",
    .opts = approve_opts,
    .max_args = -1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_CANDIDATE,
    .exec = approve_exec,
};

/*
 * cmd-approve.c — `kasparro approve ID...` merges candidate pairs (a
 * must-link), and `approve --above P` approves every pending candidate at
 * or above P: without --yes it is a dry run that states the exact count and
 * threshold. Either way the candidates are one decision: one undo.
 */
#include "kasparro/dedup.h"
#include "kasparro/out.h"

static int approve_above(struct cmd_ctx *ctx, struct cmd_args *args)
{
    double min;
    long long count, done, skipped, decision;
    char p[32];

    if (cmd_opt_double(ctx, args, "above", 0, 0, 1, &min) < 0)
        return EXIT_USAGE;
    out_number(min, p, sizeof p);
    if (dedup_count_above(ctx->db, min, &count, &ctx->err) < 0)
        return -1;
    if (!cmd_flag(args, "yes")) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddBoolToObject(o, "dry_run", true);
        cJSON_AddNumberToObject(o, "above", min);
        cJSON_AddNumberToObject(o, "count", (double)count);
        if (count == 0) /* nothing to say yes to */
            out_ok(ctx, o, "no pending candidate is at or above %s: nothing to approve", p);
        else
            out_ok(ctx, o, "%lld pending candidate%s at or above %s would be approved, as one "
                   "decision; add --yes to approve them", count, count == 1 ? "" : "s", p);
        return EXIT_OK;
    }
    if (dedup_approve_above(ctx->db, ctx->cfg, min, ctx->actor, cmd_opt(args, "reason"),
                            &decision, &done, &skipped, &ctx->err) < 0)
        return -1;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "approved", (double)done);
    cJSON_AddNumberToObject(o, "skipped", (double)skipped);
    if (decision > 0)
        cJSON_AddNumberToObject(o, "decision", (double)decision);
    else
        cJSON_AddNullToObject(o, "decision");
    if (decision > 0)
        out_ok(ctx, o, "approved %lld candidate%s at or above %s as decision %lld (one undo "
               "reverts them all)%s", done, done == 1 ? "" : "s", p, decision,
               skipped ? "; some were skipped: settled meanwhile or kept apart by a rejection"
                       : "");
    else
        out_ok(ctx, o, "no pending candidate at or above %s could be approved", p);
    return EXIT_OK;
}

static int approve_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    if (cmd_opt(args, "above") != NULL) {
        if (args->argc == 0)
            return approve_above(ctx, args);
        return cmd_opt_error(&ctx->err, "above", "give candidate ids or --above, not both");
    }
    if (args->argc == 0) {
        err_code(&ctx->err, EXIT_USAGE, "approve: which candidates? give ids or --above P");
        return EXIT_USAGE;
    }
    return cmd_decide(ctx, args, true);
}

static const struct cmd_opt approve_opts[] = {
    {"reason", 'r', "TEXT", "why, for the audit log"},
    {"above", 0, "P", "approve every pending candidate with probability at least P"},
    {"yes", 'y', NULL, "with --above: really do it (without, only the count is stated)"},
    {0},
};

const struct cmd_entry cmd_approve_entry = {
    .name = "approve",
    .usage = "[--reason TEXT] [--json] ID... | --above P [--yes]",
    .summary = "merge candidate pairs into one entity",
    .opts = approve_opts,
    .max_args = -1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_CANDIDATE,
    .exec = approve_exec,
};

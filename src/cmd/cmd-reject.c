/*
 * cmd-reject.c — `kasparro reject ID... [--reason TEXT]`: these pairs are
 * different things; the cannot-link outlives re-ingestion and rescans.
 */
#include "kasparro/dedup.h"
#include "kasparro/out.h"

static int reject_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    for (int i = 0; i < args->argc; i++) {
        long long id, decision;
        if (cmd_arg_id(ctx, args->argv[i], "candidate", &id) < 0)
            return EXIT_USAGE;
        if (dedup_reject(ctx->db, ctx->cfg, id, ctx->actor, cmd_opt(args, "reason"), &decision,
                         &ctx->err) < 0)
            return ctx->err.code ? ctx->err.code : EXIT_FAIL;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "candidate", (double)id);
        cJSON_AddNumberToObject(o, "decision", (double)decision);
        out_ok(ctx, o, "candidate %lld rejected (decision %lld)", id, decision);
    }
    return EXIT_OK;
}

static const struct cmd_opt reject_opts[] = {
    {"reason", 'r', "TEXT", "why, for the audit log"},
    {0},
};

const struct cmd_entry cmd_reject_entry = {
    .name = "reject",
    .usage = "[--reason TEXT] ID...",
    .summary = "mark candidate pairs as different things, for good",
    .opts = reject_opts,
    .min_args = 1,
    .max_args = -1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_CANDIDATE,
    .exec = reject_exec,
};

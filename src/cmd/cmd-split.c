/*
 * cmd-split.c — `kasparro split ENTITY RECORD`: take a record out of its
 * entity and keep it out (later matching respects it; undo reverts it).
 */
#include "kasparro/dedup.h"
#include "kasparro/out.h"

static int split_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    long long record, decision;

    if (cmd_arg_id(ctx, args->argv[1], "record", &record) < 0)
        return EXIT_USAGE;
    if (dedup_split(ctx->db, ctx->cfg, args->argv[0], record, ctx->actor,
                    cmd_opt(args, "reason"), &decision, &ctx->err) < 0)
        return -1;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "record", (double)record);
    cJSON_AddNumberToObject(o, "decision", (double)decision);
    out_ok(ctx, o, "record %lld split from entity '%s' (decision %lld)", record, args->argv[0],
           decision);
    return EXIT_OK;
}

static const struct cmd_opt split_opts[] = {
    {"reason", 'r', "TEXT", "why, for the audit log"},
    {0},
};

const struct cmd_entry cmd_split_entry = {
    .name = "split",
    .usage = "[--reason TEXT] ENTITY RECORD",
    .summary = "take a record out of its entity and keep it out",
    .opts = split_opts,
    .min_args = 2,
    .max_args = 2,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_ENTITY,
    .exec = split_exec,
};

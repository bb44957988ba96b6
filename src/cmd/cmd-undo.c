/*
 * cmd-undo.c — `kasparro undo [DECISION]`: revert a decision (by default
 * the latest one not yet undone) exactly.
 */
#include "kasparro/dedup.h"
#include "kasparro/out.h"

static int undo_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    long long which = 0, undone, undo;

    if (args->argc == 1 && cmd_arg_id(ctx, args->argv[0], "decision", &which) < 0)
        return EXIT_USAGE;
    if (dedup_undo(ctx->db, ctx->cfg, which, ctx->actor, &undone, &undo, &ctx->err) < 0)
        return -1;
    /* what came back, so one can trace it (and the console select it) */
    cJSON *d = dedup_decision(ctx->db, undone, &ctx->err);
    if (d == NULL)
        return -1;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "undone", (double)undone);
    cJSON_AddNumberToObject(o, "decision", (double)undo);
    const char *action = cJSON_GetStringValue(cJSON_GetObjectItem(d, "action"));
    const char *what = cJSON_GetStringValue(cJSON_GetObjectItem(d, "what"));
    cJSON_AddStringToObject(o, "action", action ? action : "");
    cJSON_AddItemToObject(o, "candidates", cJSON_DetachItemFromObject(d, "candidates"));
    out_ok(ctx, o, "decision %lld undone (decision %lld): %s %s", undone, undo,
           action ? action : "", what ? what : "");
    cJSON_Delete(d);
    return EXIT_OK;
}

const struct cmd_entry cmd_undo_entry = {
    .name = "undo",
    .usage = "[--json] [DECISION]",
    .summary = "revert an approve, reject or split (default: the latest)",
    .max_args = 1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_DECISION,
    .exec = undo_exec,
};

/*
 * cmd-bulk-approve.c — `bulk-approve PROBABILITY` (console): approve every
 * candidate of the review queue at or above PROBABILITY, after a question
 * that states how many there are. Exactly the candidates counted are
 * approved, so one that arrives meanwhile is not approved unseen.
 */
#include "kasparro/tui.h"

static int bulk_approve_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    double min;

    if (!cmd_parse_double(args->argv[0], &min) || min < 0 || min > 1)
        return err_code(&ctx->err, EXIT_USAGE, "'%s' is not a probability (0 to 1)", args->argv[0]);
    if (tui_bulk_approve(ctx->console, min, &ctx->err) < 0)
        return -1;
    return EXIT_OK;
}

const struct cmd_entry cmd_bulk_approve_entry = {
    .name = "bulk-approve",
    .usage = "PROBABILITY",
    .summary = "approve every queued candidate at or above a probability, after a count",
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_CONSOLE_ONLY,
    .arg_kind = ARG_WORD,
    .exec = bulk_approve_exec,
};

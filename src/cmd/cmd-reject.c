/*
 * cmd-reject.c — `kasparro reject ID... [--reason TEXT]`: these pairs are
 * different things; the cannot-link outlives re-ingestion and rescans. The
 * ids of one command line are one decision (cmd_decide).
 */
#include "kasparro/cmd.h"

static int reject_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    return cmd_decide(ctx, args, false);
}

static const struct cmd_opt reject_opts[] = {
    {"reason", 'r', "TEXT", "why, for the audit log"},
    {0},
};

const struct cmd_entry cmd_reject_entry = {
    .name = "reject",
    .usage = "[--reason TEXT] [--json] ID...",
    .summary = "mark candidate pairs as different things, for good",
    .opts = reject_opts,
    .min_args = 1,
    .max_args = -1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_CANDIDATE,
    .exec = reject_exec,
};

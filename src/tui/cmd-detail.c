/*
 * cmd-detail.c — `detail [--candidate ID] RECORD` (console): one record in
 * full in the pager — what `show-record` prints — with keys that act on it
 * (restore, split, and approve or reject the pair it was opened from). See
 * detail.c.
 */
#include "kasparro/tui.h"

static int detail_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    long long record, candidate = 0;
    const char *c = cmd_opt(args, "candidate");

    if (cmd_arg_record(ctx, args->argv[0], &record) < 0 ||
        (c != NULL && cmd_arg_id(ctx, c, "candidate", &candidate) < 0 &&
         err_prefix(&ctx->err, "option '--candidate'") < 0))
        return -1;
    if (tui_detail(ctx->console, record, candidate, &ctx->err) < 0)
        return -1;
    return EXIT_OK;
}

static const struct cmd_opt detail_opts[] = {
    {"candidate", 0, "ID", "the pair it is shown from: a and X approve or reject it",
     .kind = ARG_CANDIDATE},
    {0},
};

const struct cmd_entry cmd_detail_entry = {
    .name = "detail",
    .usage = "[--candidate ID] RECORD",
    .summary = "one record in full, with keys that act on it",
    .opts = detail_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_CONSOLE_ONLY,
    .arg_kind = ARG_RECORD,
    .exec = detail_exec,
};

/*
 * cmd-confirm.c — `confirm COMMAND` (console): ask y/n, run COMMAND on y.
 */
#include <stdlib.h>

#include "kasparro/tui.h"

static int confirm_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *question = cmd_opt(args, "prompt");
    char *dflt = question ? NULL : xasprintf("run '%s'?", args->argv[0]);
    int rc = tui_confirm(ctx->console, question ? question : dflt, args->argv[0], &ctx->err);

    free(dflt);
    return rc < 0 ? ctx->err.code : EXIT_OK;
}

static const struct cmd_opt confirm_opts[] = {
    {"prompt", 'p', "QUESTION", "the question (default: run 'COMMAND'?)"},
    {0},
};

const struct cmd_entry cmd_confirm_entry = {
    .name = "confirm",
    .usage = "[-p QUESTION] COMMAND",
    .summary = "ask before running a command",
    .opts = confirm_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_CONSOLE_ONLY,
    .arg_kind = ARG_COMMAND,
    .exec = confirm_exec,
};

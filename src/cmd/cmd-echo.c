/*
 * cmd-echo.c — `echo TEXT...` (console): show a line in the message line.
 */
#include "kasparro/out.h"

static int echo_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    for (int i = 0; i < args->argc; i++)
        out_printf(ctx, "%s%s", i ? " " : "", args->argv[i]);
    out_printf(ctx, "\n");
    return EXIT_OK;
}

const struct cmd_entry cmd_echo_entry = {
    .name = "echo",
    .usage = "[TEXT...]",
    .summary = "show a line of text in the message line",
    .max_args = -1,
    .flags = CMD_CONSOLE_ONLY,
    .arg_kind = ARG_WORD,
    .exec = echo_exec,
};

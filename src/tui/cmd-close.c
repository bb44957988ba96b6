/*
 * cmd-close.c — `close` (console): close the pager or the question on
 * screen, or clear the message line.
 */
#include "kasparro/tui.h"

static int close_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    (void)args;
    tui_close(ctx->console);
    return EXIT_OK;
}

const struct cmd_entry cmd_close_entry = {
    .name = "close",
    .usage = "",
    .summary = "close the pager or the question on screen",
    .max_args = 0,
    .flags = CMD_CONSOLE_ONLY,
    .exec = close_exec,
};

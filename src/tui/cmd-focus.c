/*
 * cmd-focus.c — `focus` (console): move the focus to the current screen's
 * other list (on Deleted: between the held deletions and the records).
 */
#include "kasparro/tui.h"

static int focus_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    (void)args;
    if (tui_focus(ctx->console, &ctx->err) < 0)
        return -1;
    return EXIT_OK;
}

const struct cmd_entry cmd_focus_entry = {
    .name = "focus",
    .usage = "",
    .summary = "move the focus to the screen's other list",
    .max_args = 0,
    .flags = CMD_CONSOLE_ONLY,
    .exec = focus_exec,
};

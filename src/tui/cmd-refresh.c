/*
 * cmd-refresh.c — `refresh` (console, C-l): repaint the whole terminal
 * (whatever else wrote on it), reload the current screen from the database,
 * and reconnect now if the database was away.
 */
#include "kasparro/tui.h"

static int refresh_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    (void)args;
    tui_refresh(ctx->console);
    return EXIT_OK;
}

const struct cmd_entry cmd_refresh_entry = {
    .name = "refresh",
    .usage = "",
    .summary = "redraw the terminal and reload the current screen from the database",
    .max_args = 0,
    .flags = CMD_CONSOLE_ONLY,
    .exec = refresh_exec,
};

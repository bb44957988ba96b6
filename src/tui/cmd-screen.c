/*
 * cmd-screen.c — `screen NAME` (console): show another screen.
 */
#include "tui-private.h"

static int screen_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    if (tui_screen_select(ctx->console, args->argv[0], &ctx->err) < 0)
        return -1;
    return EXIT_OK;
}

const struct cmd_entry cmd_screen_entry = {
    .name = "screen",
    .alias = "tab",
#define SCREEN_WORD(id, name, title) #name " | "
    .usage = TUI_SCREENS(SCREEN_WORD) "NUMBER | next | previous",
#undef SCREEN_WORD
    .summary = "show another screen of the console",
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_CONSOLE_ONLY,
    .arg_kind = ARG_SCREEN,
    .exec = screen_exec,
};

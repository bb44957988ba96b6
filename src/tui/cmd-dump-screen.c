/*
 * cmd-dump-screen.c — `dump-screen FILE` (console): the screen as text,
 * for tests and bug reports.
 */
#include "kasparro/tui.h"

static int dump_screen_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    if (tui_dump_screen(ctx->console, args->argv[0], &ctx->err) < 0)
        return -1;
    return EXIT_OK;
}

const struct cmd_entry cmd_dump_screen_entry = {
    .name = "dump-screen",
    .usage = "FILE",
    .summary = "write what the console shows to a file, as text",
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_CONSOLE_ONLY,
    .arg_kind = ARG_FILE,
    .exec = dump_screen_exec,
};

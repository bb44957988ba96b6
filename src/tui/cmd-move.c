/*
 * cmd-move.c — `move WHERE` (console): move the selection of the list (or
 * scroll the pager) that has focus.
 */
#include "kasparro/tui.h"

static int move_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    if (tui_move(ctx->console, args->argv[0], &ctx->err) < 0)
        return -1;
    return EXIT_OK;
}

static const char *const move_words[] = {"up",     "down", "page-up", "page-down", "top",
                                         "bottom", "left", "right",   NULL};

const struct cmd_entry cmd_move_entry = {
    .name = "move",
    .usage = "up | down | page-up | page-down | top | bottom | left | right",
    .summary = "move the selection, or scroll the pager",
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_CONSOLE_ONLY,
    .subcommands = move_words,
    .exec = move_exec,
};

/*
 * cmd-sort.c — `sort [ORDER]` (console): change the order of the current
 * screen's list: on Review uncertainty or score, elsewhere a column by its
 * title (the same again: the other way round); without ORDER, the next.
 */
#include "kasparro/tui.h"

static int sort_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    if (tui_sort(ctx->console, args->argc ? args->argv[0] : NULL, &ctx->err) < 0)
        return -1;
    return EXIT_OK;
}

static const char *const sort_words[] = {"uncertainty", "score", NULL};

const struct cmd_entry cmd_sort_entry = {
    .name = "sort",
    .usage = "[ORDER]",
    .summary = "change the order of the current screen's list",
    .max_args = 1,
    .flags = CMD_CONSOLE_ONLY,
    .subcommands = sort_words,
    .exec = sort_exec,
};

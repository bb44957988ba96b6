/*
 * cmd-search.c — `search [TEXT]` (console): select the next row (or pager
 * line) containing TEXT; without TEXT, the last search again.
 */
#include "kasparro/tui.h"

static int search_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    if (tui_search(ctx->console, args->argc ? args->argv[0] : NULL, cmd_flag(args, "backward"),
                   &ctx->err) < 0)
        return -1;
    return EXIT_OK;
}

static const struct cmd_opt search_opts[] = {
    {"backward", 'b', NULL, "search towards the top"},
    {0},
};

const struct cmd_entry cmd_search_entry = {
    .name = "search",
    .usage = "[--backward] [TEXT]",
    .summary = "find the next row containing a text (case and accents ignored)",
    .opts = search_opts,
    .max_args = 1,
    .flags = CMD_CONSOLE_ONLY,
    .arg_kind = ARG_WORD,
    .exec = search_exec,
};

/*
 * cmd-filter.c — `filter [--text] [WHAT]` (console): narrow the current
 * screen. What WHAT means is the screen's: a probability range on Review
 * ("0.6-0.9"), a search text on Entities, a source on Deleted, a level on
 * Log, an action on Audit, a status on Runs. With --text, and on the screens without a
 * filter of their own, the list shows the rows containing WHAT. Without
 * WHAT the filter is cleared.
 */
#include "kasparro/tui.h"

static int filter_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    if (tui_filter(ctx->console, args->argc ? args->argv[0] : NULL, cmd_flag(args, "text"),
                   &ctx->err) < 0)
        return -1;
    return EXIT_OK;
}

static const struct cmd_opt filter_opts[] = {
    {"text", 't', NULL, "show the list's rows containing WHAT (case and accents ignored)"},
    {0},
};

const struct cmd_entry cmd_filter_entry = {
    .name = "filter",
    .usage = "[--text] [WHAT]",
    .summary = "filter the current screen (probability range, search text, source, level, action, status)",
    .opts = filter_opts,
    .max_args = 1,
    .flags = CMD_CONSOLE_ONLY,
    .arg_kind = ARG_WORD,
    .exec = filter_exec,
};

/*
 * cmd-mark.c — `mark [--all | --none]` (console): mark the selected row
 * and move down (Space), every row shown, or none. The actions bound
 * through `marked` (approve, reject, restore) then apply to the marked
 * rows at once (marks.c).
 */
#include "kasparro/tui.h"

static int mark_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    bool all = cmd_flag(args, "all"), none = cmd_flag(args, "none");

    if (all && none)
        return cmd_opt_error(&ctx->err, "all", "--all or --none, not both");
    if (tui_mark(ctx->console, all ? "all" : none ? "none" : NULL, &ctx->err) < 0)
        return -1;
    return EXIT_OK;
}

static const struct cmd_opt mark_opts[] = {
    {"all", 'a', NULL, "mark every row shown (when they all are: unmark them)"},
    {"none", 'n', NULL, "unmark every row"},
    {0},
};

const struct cmd_entry cmd_mark_entry = {
    .name = "mark",
    .usage = "[--all | --none]",
    .summary = "mark the selected row (and move down), every row shown, or none",
    .opts = mark_opts,
    .max_args = 0,
    .flags = CMD_CONSOLE_ONLY,
    .exec = mark_exec,
};

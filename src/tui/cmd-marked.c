/*
 * cmd-marked.c — `marked [-p QUESTION] [-s QUESTION] COMMAND` (console):
 * run COMMAND on the marked rows of the focused list, as one command line:
 * {ids} in it becomes their ids, {n} (in QUESTION too) their count, and -p's
 * QUESTION is asked once first. With no row marked it runs on the selected
 * row, asking -s's QUESTION first when given: `marked -p 'approve {n} marked
 * pairs?' 'approve {ids}'` is a's binding on Review, while Deleted's r asks
 * before even one restore, a change to the records themselves.
 */
#include "kasparro/tui.h"

static int marked_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    if (tui_marked(ctx->console, cmd_opt(args, "prompt"), cmd_opt(args, "selected"),
                   args->argv[0], &ctx->err) < 0)
        return -1;
    return EXIT_OK;
}

static const struct cmd_opt marked_opts[] = {
    {"prompt", 'p', "QUESTION", "asked first when rows are marked ({n}: how many)"},
    {"selected", 's', "QUESTION",
     "asked first when no row is marked and COMMAND runs on the selected one ({ids}: its id)"},
    {0},
};

const struct cmd_entry cmd_marked_entry = {
    .name = "marked",
    .usage = "[-p QUESTION] [-s QUESTION] COMMAND",
    .summary = "run a command on the marked rows ({ids}), or on the selected one",
    .opts = marked_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_CONSOLE_ONLY | CMD_KEEPS_PLACEHOLDERS,
    .arg_kind = ARG_COMMAND,
    .exec = marked_exec,
};

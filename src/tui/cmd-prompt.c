/*
 * cmd-prompt.c — `prompt [TEMPLATE]` (console): open the command line.
 *
 * Without a template the answer is a command (the ':' key). With one, %%
 * in the template is replaced by the answer, as one word, and the result
 * runs: `prompt -p 'reason: ' 'reject 12 --reason %%'`.
 */
#include "kasparro/tui.h"

static int prompt_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    if (tui_prompt(ctx->console, cmd_opt(args, "prompt"), cmd_opt(args, "initial"),
                   args->argc ? args->argv[0] : NULL, cmd_opt(args, "empty"), &ctx->err) < 0)
        return -1;
    return EXIT_OK;
}

static const struct cmd_opt prompt_opts[] = {
    {"prompt", 'p', "TEXT", "what the line asks (default ':')"},
    {"initial", 'i', "TEXT", "text already on the line"},
    {"empty", 'e', "COMMAND", "what runs when the answer is empty (default: nothing)",
     .kind = ARG_COMMAND},
    {0},
};

const struct cmd_entry cmd_prompt_entry = {
    .name = "prompt",
    .usage = "[-p TEXT] [-i TEXT] [-e COMMAND] [TEMPLATE]",
    .summary = "open the command line, or ask for a value to put into a command",
    .opts = prompt_opts,
    .max_args = 1,
    .flags = CMD_CONSOLE_ONLY,
    .arg_kind = ARG_WORD,
    .exec = prompt_exec,
};

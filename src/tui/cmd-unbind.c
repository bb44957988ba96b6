/*
 * cmd-unbind.c — `unbind KEY` (console): the key does nothing any more.
 */
#include "kasparro/tui.h"

static int unbind_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    if (tui_unbind(ctx->console, cmd_opt(args, "screen"), args->argv[0], &ctx->err) < 0)
        return -1;
    return EXIT_OK;
}

static const struct cmd_opt unbind_opts[] = {
    {"screen", 's', "TABLE", "a screen's table (or 'pager') instead of the global one",
     .kind = ARG_KEYTABLE},
    {0},
};

const struct cmd_entry cmd_unbind_entry = {
    .name = "unbind",
    .usage = "[-s TABLE] KEY",
    .summary = "remove a key binding",
    .opts = unbind_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_CONSOLE_ONLY,
    .exec = unbind_exec,
};

/*
 * cmd-bind.c — `bind KEY COMMAND` (console): what a key does.
 *
 * Every key of the console is bound this way, the defaults included
 * (src/tui/keys.c). The command is any command line; {id}, {key}, {name}
 * and {run} in it are the selected row's fields when the key is pressed.
 */
#include "kasparro/tui.h"

static int bind_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    if (tui_bind(ctx->console, cmd_opt(args, "screen"), args->argv[0], args->argv[1],
                 cmd_opt(args, "note"), &ctx->err) < 0)
        return -1;
    return EXIT_OK;
}

static const struct cmd_opt bind_opts[] = {
    {"screen", 's', "TABLE", "a screen's table (or 'pager') instead of the global one",
     .kind = ARG_KEYTABLE},
    {"note", 'N', "NOTE", "what the key does, for the help overlay"},
    {0},
};

const struct cmd_entry cmd_bind_entry = {
    .name = "bind",
    .usage = "[-s TABLE] [-N NOTE] KEY COMMAND",
    .summary = "bind a key to a command line",
    .opts = bind_opts,
    .min_args = 2,
    .max_args = 2,
    .flags = CMD_CONSOLE_ONLY | CMD_KEEPS_PLACEHOLDERS,
    .arg_kind = ARG_WORD,
    .exec = bind_exec,
};

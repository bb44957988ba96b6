/*
 * cmd-copy.c — `copy TEXT` (console): put TEXT on the terminal's clipboard
 * (OSC 52; src/tui/clipboard.c). y binds it to the selected row's id.
 */
#include "kasparro/tui.h"

static int copy_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    if (tui_copy(ctx->console, args->argv[0], &ctx->err) < 0)
        return err_prefix(&ctx->err, "copy");
    fprintf(ctx->out, "copied %s to the clipboard\n", args->argv[0]);
    return EXIT_OK;
}

const struct cmd_entry cmd_copy_entry = {
    .name = "copy",
    .usage = "TEXT",
    .summary = "put TEXT on the terminal's clipboard (OSC 52)",
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_CONSOLE_ONLY,
    .arg_kind = ARG_WORD,
    .exec = copy_exec,
};

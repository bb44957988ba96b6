/*
 * cmd-quit.c — `quit` (console): close the console. With a run in progress
 * it asks first: let the run finish, cancel it, or stay.
 */
#include "kasparro/tui.h"

static int quit_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    enum tui_quit_mode mode = TUI_QUIT_ASK;

    if (cmd_flag(args, "finish") && cmd_flag(args, "cancel"))
        return cmd_opt_error(&ctx->err, "finish", "--finish or --cancel, not both");
    if (cmd_flag(args, "finish"))
        mode = TUI_QUIT_FINISH;
    else if (cmd_flag(args, "cancel"))
        mode = TUI_QUIT_CANCEL;
    if (tui_quit(ctx->console, mode, &ctx->err) < 0)
        return -1;
    return EXIT_OK;
}

static const struct cmd_opt quit_opts[] = {
    {"finish", 0, NULL, "let a run in progress finish, then exit"},
    {"cancel", 0, NULL, "cancel a run in progress at its next batch, then exit"},
    {0},
};

const struct cmd_entry cmd_quit_entry = {
    .name = "quit",
    .usage = "[--finish | --cancel]",
    .summary = "close the console (asks what to do with a run in progress)",
    .opts = quit_opts,
    .max_args = 0,
    .flags = CMD_CONSOLE_ONLY,
    .exec = quit_exec,
};

/*
 * cmd-keys.c — `keys`: the console's key bindings.
 *
 * In the console (the ? key) it lists the keys that act now, as they are
 * bound: a record detail's own, the pager's or the current screen's, and
 * the global ones; in a shell, the default bindings of
 * every table, which is what kasparro(1) documents.
 */
#include "kasparro/tui.h"

static int keys_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *screen = cmd_opt(args, "screen");
    struct table *tab = table_new();

    if (ctx->console != NULL && screen == NULL && !cmd_flag(args, "all"))
        tui_keys_here(ctx->console, tab);
    else if (tui_keys_table(ctx->console, screen, tab, &ctx->err) < 0) {
        table_free(tab);
        return -1;
    }
    table_print(tab, ctx, "no keys are bound");
    return EXIT_OK;
}

static const struct cmd_opt keys_opts[] = {
    {"screen", 's', "TABLE", "only this screen's keys (or 'pager', 'global') and the global ones",
     .kind = ARG_KEYTABLE},
    {"all", 'a', NULL, "every table (the default in a shell)"},
    {0},
};

const struct cmd_entry cmd_keys_entry = {
    .name = "keys",
    .usage = "[--screen TABLE] [--all] [--json]",
    .summary = "list the console's key bindings",
    .opts = keys_opts,
    .max_args = 0,
    .flags = CMD_LISTING | CMD_USES_CONSOLE,
    .exec = keys_exec,
};

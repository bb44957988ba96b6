/*
 * cmd-reload.c — `reload` (console): read the configuration file again.
 *
 * The console's engine, scheduler and command worker take up the new
 * configuration (a run going on finishes with the one it started with);
 * a file that does not parse changes nothing. The daemon does the same on
 * SIGHUP; a shell command reads the file anew every time anyway.
 */
#include "kasparro/tui.h"

static int reload_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    (void)args;
    if (tui_reload(ctx->console, &ctx->err) < 0)
        return -1;
    out_printf(ctx, "configuration reloaded: %zu sources, schedule '%s'\n", ctx->cfg->nsources,
               ctx->cfg->cron);
    return EXIT_OK;
}

const struct cmd_entry cmd_reload_entry = {
    .name = "reload",
    .usage = "",
    .summary = "read the configuration file again (sources, schedule, matching)",
    .max_args = 0,
    .flags = CMD_CONSOLE_ONLY,
    .exec = reload_exec,
};

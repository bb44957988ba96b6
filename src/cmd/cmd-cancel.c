/*
 * cmd-cancel.c — `cancel` (console): stop the console's run in progress:
 * the statement it has at the server is cancelled, committed batches stay,
 * the run ends 'interrupted' (the engine thread does it; this returns).
 */
#include "kasparro/engine.h"
#include "kasparro/out.h"

static int cancel_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    struct progress p;

    (void)args;
    if (ctx->engine == NULL || !engine_busy(ctx->engine))
        return err_set(&ctx->err, "no run is in progress in this console");
    engine_cancel(ctx->engine);
    engine_snapshot(ctx->engine, &p);
    out_ok(ctx, NULL, "run %lld is stopping", p.run_id);
    return EXIT_OK;
}

const struct cmd_entry cmd_cancel_entry = {
    .name = "cancel",
    .usage = "",
    .summary = "cancel the console's run in progress",
    .max_args = 0,
    .flags = CMD_CONSOLE_ONLY,
    .exec = cancel_exec,
};

/*
 * cmd-show-run.c — `kasparro show-run ID`: one run in detail.
 */
#include "kasparro/out.h"
#include "kasparro/runview.h"

static int show_run_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    long long id;

    if (cmd_arg_id(ctx, args->argv[0], "run", &id) < 0)
        return EXIT_USAGE;
    return runview_print(ctx, id);
}

const struct cmd_entry cmd_show_run_entry = {
    .name = "show-run",
    .usage = "[--json] RUN",
    .summary = "one run in detail: per-source counts, drift warnings, quarantine, errors",
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_RUN,
    .exec = show_run_exec,
};

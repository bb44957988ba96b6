/*
 * cmd-daemon.c — `kasparro daemon [--once]`: the engine and the scheduler
 * with no terminal. The command's entry; the daemon itself is the rest of
 * src/daemon/ (see daemon.h).
 */
#include "kasparro/daemon.h"

static int daemon_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    struct daemon_opts o = {0};
    long long v;

    if (config_require_ingest(ctx->cfg, &ctx->err) < 0)
        return EXIT_USAGE;
    o.once = cmd_flag(args, "once");
    for (int i = 0; i < 2; i++) {
        const char *name = i == 0 ? "wait-db" : "stop-timeout";
        const char *s = cmd_opt(args, name);
        if (s != NULL && (v = parse_duration(s)) < 0)
            return err_code(&ctx->err, EXIT_USAGE,
                            "option '--%s': '%s' is not a duration "
                            "(like 30s, 2m)",
                            name, s);
        if (i == 0)
            o.wait_db_s = s ? v : 30;
        else
            o.stop_timeout_s = s ? v : 60;
    }
    return daemon_run(ctx, &o);
}

static const struct cmd_opt daemon_opts[] = {
    {"once", 0, NULL, "run what the schedule has due, then exit"},
    {"wait-db", 0, "DURATION", "how long to wait for the database at start (default 30s)"},
    {"stop-timeout", 0, "DURATION", "how long a stop waits for the run to end (default 60s)"},
    {0},
};

const struct cmd_entry cmd_daemon_entry = {
    .name = "daemon",
    .usage = "[--once] [--wait-db DURATION] [--stop-timeout DURATION]",
    .summary = "run the engine and the scheduler without a terminal (servers, containers)",
    .opts = daemon_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_CONFIG | CMD_SHELL_ONLY,
    .exec = daemon_exec,
};

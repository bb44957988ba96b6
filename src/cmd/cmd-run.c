/*
 * cmd-run.c — `kasparro run [SOURCE...]`: ingest now.
 *
 * In a shell the run happens in this process: progress on standard error
 * while it goes (on a terminal), the run's summary on standard output at the
 * end. Ctrl-C or SIGTERM stops it cleanly: the statement in progress is
 * cancelled at the server and the run ends 'interrupted' (a second signal
 * kills). Inside the console or the
 * daemon the request goes to the engine thread and the command returns at
 * once.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kasparro/clock.h"
#include "kasparro/engine.h"
#include "kasparro/out.h"
#include "kasparro/run.h"
#include "kasparro/runview.h"

static atomic_bool run_cancel;

static void on_stop(int sig)
{
    (void)sig;
    atomic_store(&run_cancel, true);
    signal(SIGINT, SIG_DFL); /* a second one kills */
    signal(SIGTERM, SIG_DFL);
}

/* One live line on a terminal: "run 12: articles-csv fetching 12345
 * records (4567/s)" while the sources load, then what the run does after
 * them, as the console's board says it: "run 12: dedup: scoring 12345
 * pairs". A new stage or phase shows at once; counts at most five times a
 * second. */
static void show_progress(const struct progress *p, void *arg)
{
    double now = clock_now();
    static double last;
    static char shown[sizeof p->stage + sizeof p->step];
    char phase[sizeof shown];
    bool loading = strcmp(p->stage, "sources") == 0;

    (void)arg;
    snprintf(phase, sizeof phase, "%s%s%s", p->stage, p->step[0] ? ": " : "", p->step);
    if (p->active && now - last < 0.2 && strcmp(phase, shown) == 0)
        return;
    last = now;
    snprintf(shown, sizeof shown, "%s", phase);
    for (int i = 0; loading && i < p->nsources; i++) {
        const struct progress_source *s = &p->sources[i];
        if (strcmp(s->stage, "waiting") == 0 || (s->finished > 0 && i + 1 < p->nsources))
            continue;
        fprintf(stderr, "\r\033[Krun %lld: %s %s %lld records (%.0f/s)", p->run_id, s->name,
                s->stage, s->fetched, progress_rate(s, now));
        break;
    }
    if (p->active && !loading)
        fprintf(stderr, "\r\033[Krun %lld: %s", p->run_id, phase);
    if (!p->active)
        fputs("\r\033[K", stderr);
}

static int run_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    struct run_request req = {
        .trigger = TRIGGER_MANUAL,
        .actor = ctx->actor,
        .sources = args->argv,
        .nsources = args->argc,
        .full = cmd_flag(args, "full"),
        .allow_mass_delete = cmd_flag(args, "allow-mass-delete"),
    };
    struct progress_board board;
    struct run_result result;
    int rc;

    if (ctx->engine != NULL)
        return cmd_run_in_engine(ctx, &req, "run");
    if (db_start_once(&ctx->err) < 0)
        return -1;
    progress_board_init(&board, -1);
    if (isatty(STDERR_FILENO) && !ctx->json)
        board.on_change = show_progress;
    atomic_store(&run_cancel, false);
    void (*old_int)(int) = signal(SIGINT, on_stop);
    void (*old_term)(int) = signal(SIGTERM, on_stop);
    rc = run_execute(ctx->cfg, &req, &board, &run_cancel, &result, &ctx->err);
    signal(SIGINT, old_int);
    signal(SIGTERM, old_term);
    progress_board_destroy(&board);
    if (rc < 0)
        return result.exit_code;
    if (cmd_ctx_db(ctx) < 0)
        return -1;
    rc = runview_print(ctx, result.run_id);
    if (rc != EXIT_OK)
        return rc;
    if (result.exit_code != EXIT_OK)
        err_code(&ctx->err, result.exit_code, "run %lld %s", result.run_id,
                 run_status_name(result.status));
    return result.exit_code;
}

static const struct cmd_opt run_opts[] = {
    {"full", 0, NULL, "read incremental sources from the start (and detect deletions)"},
    {"allow-mass-delete", 0, NULL, "apply deletions even above the guard's ratio, this once"},
    {0},
};

const struct cmd_entry cmd_run_entry = {
    .name = "run",
    .usage = "[--full] [--allow-mass-delete] [--json] [SOURCE...]",
    .summary = "ingest now: every enabled source, or the ones named",
    .opts = run_opts,
    .max_args = -1,
    .flags = CMD_NEEDS_CONFIG | CMD_JSON,
    .arg_kind = ARG_SOURCE,
    .exec = run_exec,
};

/*
 * daemon.c — `kasparro daemon`: the host with no terminal (see daemon.h).
 *
 * A thin face on the host (src/host/): it sets up logging, checks the HTTP
 * API's address, waits for the database for a bounded time, starts the
 * host with the HTTP API as its service and then only waits in poll() on
 * the host's descriptors until a signal stops it. Everything else — the engine, the scheduler, the LISTEN
 * connection, SIGHUP reloads, the stop order — is the host's.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kasparro/clock.h"
#include "kasparro/daemon.h"
#include "kasparro/host.h"
#include "kasparro/httpd.h"
#include "kasparro/log.h"
#include "kasparro/sched.h"

/* The HTTP API is on by default, here ([http] listen says otherwise). */
#define DAEMON_HTTP_DEFAULT "127.0.0.1:8000"

static void apply_logging(void *arg, struct config *cfg)
{
    char msg[512];
    int level = cfg->log_level ? log_parse_level(cfg->log_level) : LOG_INFO;

    (void)arg;
    if (getenv("LOG_LEVEL") == NULL)
        log_set_level(level < 0 ? LOG_INFO : (enum log_level)level);
    log_set_stderr(true); /* no terminal output otherwise: the log is the output */
    if (cfg->log_file != NULL && log_set_file(cfg->log_file, msg, sizeof msg) < 0)
        log_error("%s; logging to standard error", msg);
}

/* Opens (and migrates) the database, retrying for up to wait_db_s while
 * it cannot be reached (a connection error, SQLSTATE class 08). A schema
 * kasparro refuses (newer, a gap, another build's) is exit 4 too, but no
 * wait mends it: that fails at once. 1 when reachable, 0 when stopped by a
 * signal while waiting, -1 on giving up. */
static int wait_for_db(struct cmd_ctx *ctx, const struct daemon_opts *o,
                       const atomic_bool *stopping)
{
    double deadline = clock_mono() + (double)o->wait_db_s;
    bool said = false;
    char waited[32];

    if (db_start_once(&ctx->err) < 0)
        return -1;
    for (;;) {
        struct db *db;
        err_clear(&ctx->err);
        if ((db = db_open(&ctx->err)) != NULL) {
            db_close(db);
            return 1;
        }
        if (!err_sqlstate(&ctx->err, SQLSTATE_CONNECTION) || clock_mono() >= deadline)
            break;
        if (!said)
            log_warn("daemon: waiting up to %s for the database: %s",
                     format_duration(o->wait_db_s, waited, sizeof waited), ctx->err.msg);
        said = true;
        for (int i = 0; i < 10 && !atomic_load(stopping); i++)
            poll(NULL, 0, 100);
        if (atomic_load(stopping))
            return 0;
    }
    if (err_sqlstate(&ctx->err, SQLSTATE_CONNECTION))
        err_prefix(&ctx->err, "daemon: not starting, gave up after %s",
                   format_duration(o->wait_db_s, waited, sizeof waited));
    else
        err_prefix(&ctx->err, "daemon: not starting");
    return -1;
}

static int serve(struct cmd_ctx *ctx, const struct daemon_opts *o, bool columns_busy)
{
    struct host_options ho = {.wake_fd = -1, .scheduler_required = true, .join_runs = true,
                              .columns_busy = columns_busy, .label_index = true,
                              .reloaded = apply_logging};
    struct host *h = host_start(ctx, &ho, &ctx->err);
    struct db_target target;
    struct err ignore = {0};
    char limit[32];

    if (h == NULL)
        return err_exit_code(&ctx->err);
    if (host_add_service(h, &httpd_service, DAEMON_HTTP_DEFAULT, &ctx->err) < 0) {
        host_stop(h, HOST_STOP_CANCEL, 0, NULL, NULL);
        return err_exit_code(&ctx->err);
    }
    db_target_resolve(&target, &ignore);
    /* not the file's cron: `schedule set` may have put another over it, and
     * the scheduler's own line says the one it acts on once it has read it */
    log_info("daemon started: pid %ld, config '%s', database '%s', scheduler %s", (long)getpid(),
             ctx->cfg->path ? ctx->cfg->path : "(defaults)", target.display ? target.display : "?",
             ctx->cfg->sched_enabled ? "on" : "off ([scheduler] enabled = false)");
    db_target_free(&target);
    for (;;) {
        struct pollfd fds[HOST_MAX_FDS];
        int n = host_pollfds(h, fds);
        double to = host_timeout(h, clock_mono());
        poll(fds, (nfds_t)n, to < 0 ? -1 : (int)(to * 1000) + 1);
        if (host_service(h, fds, n, clock_mono()) & HOST_STOP)
            break;
    }
    log_info("stopping: signal received");
    if (host_stop(h, HOST_STOP_LEAVE, (double)o->stop_timeout_s, NULL, NULL) < 0) {
        log_error("the run did not stop within %s; exiting anyway (it will be marked "
                  "abandoned by the next run)",
                  format_duration(o->stop_timeout_s, limit, sizeof limit));
        _exit(EXIT_FAIL); /* the engine thread is still inside the run */
    }
    log_info("daemon stopped");
    return EXIT_OK;
}

int daemon_run(struct cmd_ctx *ctx, const struct daemon_opts *o)
{
    const atomic_bool *stopping;
    bool columns_done = true;
    int rc;

    apply_logging(NULL, ctx->cfg);
    /* an address the server cannot take fails the start before the database
     * is waited for and the engine and scheduler start (they logged the
     * schedule, and the error came after) */
    if (!o->once && httpd_check_listen(ctx->cfg, DAEMON_HTTP_DEFAULT, &ctx->err) < 0)
        return err_exit_code(&ctx->err);
    /* signals from the start: a stop while waiting for the database is a stop */
    if ((stopping = host_signals_begin(&ctx->err)) == NULL)
        return EXIT_FAIL;
    rc = wait_for_db(ctx, o, stopping);
    if (rc > 0 && !o->once) /* the API answers before the first run (2 s at most) */
        columns_done = cmd_ctx_add_columns(ctx);
    if (rc <= 0 || o->once) {
        if (rc > 0)
            rc = sched_once(ctx->cfg, stopping, &ctx->err);
        else
            rc = rc == 0 ? EXIT_OK : err_exit_code(&ctx->err);
        host_signals_end();
        return rc;
    }
    return serve(ctx, o, !columns_done); /* the host keeps the handlers, and ends them */
}

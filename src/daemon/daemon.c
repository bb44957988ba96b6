/*
 * daemon.c — `kasparro daemon`: start, serve, reload, stop (see daemon.h).
 *
 * The main thread owns no work: it waits in poll() on the signal pipe and
 * the LISTEN connection's socket, and turns what arrives into calls on the
 * engine and the scheduler threads (stop, reload, kick). The order of a stop
 * matters: the scheduler stops first, so no new run can be dispatched while
 * the current one winds down.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kasparro/clock.h"
#include "kasparro/daemon_internal.h"
#include "kasparro/engine.h"
#include "kasparro/httpd.h"
#include "kasparro/log.h"
#include "kasparro/sched.h"

static void apply_logging(const struct config *cfg)
{
    char msg[512];
    int level = cfg->log_level ? log_parse_level(cfg->log_level) : LOG_INFO;

    if (getenv("LOG_LEVEL") == NULL)
        log_set_level(level < 0 ? LOG_INFO : (enum log_level)level);
    log_set_stderr(true); /* no terminal output otherwise: the log is the output */
    if (cfg->log_file != NULL && log_set_file(cfg->log_file, msg, sizeof msg) < 0)
        log_error("%s; logging to standard error", msg);
}

/* Waits for a signal for up to `seconds`; returns what arrived (or 0). */
static char wait_signal(double seconds)
{
    struct pollfd p = {daemon_signals_fd(), POLLIN, 0};
    if (poll(&p, 1, (int)(seconds * 1000)) > 0)
        return daemon_signals_read();
    return 0;
}

/* Opens (and migrates) the database, retrying for up to wait_db_s. 1 when
 * reachable, 0 when stopped by a signal while waiting, -1 on giving up. */
static int wait_for_db(struct cmd_ctx *ctx, const struct daemon_opts *o)
{
    double deadline = clock_mono() + (double)o->wait_db_s;
    bool said = false;
    char waited[32];

    for (;;) {
        struct db *db;
        err_clear(&ctx->err);
        if ((db = db_open(&ctx->err)) != NULL) {
            db_close(db);
            return 1;
        }
        if (ctx->err.code != EXIT_DB || clock_mono() >= deadline)
            break;
        if (!said)
            log_warn("daemon: waiting up to %s for the database: %s",
                     format_duration(o->wait_db_s, waited, sizeof waited), ctx->err.msg);
        said = true;
        if (wait_signal(1.0) == 'T')
            return 0;
    }
    if (ctx->err.code == EXIT_DB)
        err_prefix(&ctx->err, "daemon: not starting, gave up after %s",
                   format_duration(o->wait_db_s, waited, sizeof waited));
    return -1;
}

static void reload(struct cmd_ctx *ctx, struct engine *engine, struct sched *sched,
                   struct httpd *http)
{
    struct err err = {0};

    if (cmd_ctx_reload_config(ctx, &err) < 0) {
        log_error("%s", err.msg);
        return;
    }
    engine_set_config(engine, ctx->cfg);
    sched_set_config(sched, ctx->cfg);
    if (http != NULL && httpd_set_config(http, ctx->cfg, &err) < 0)
        log_error("%s; the HTTP API keeps its keys", err.msg);
    apply_logging(ctx->cfg);
    log_info("reload: configuration '%s' loaded (schedule '%s')", ctx->cfg->path, ctx->cfg->cron);
}

/* Interrupts the run (if any) and waits for it up to the stop timeout. */
static int stop_engine(struct engine *engine, const struct daemon_opts *o)
{
    double deadline = clock_mono() + (double)o->stop_timeout_s;
    struct progress p;
    char limit[32];

    if (engine_busy(engine)) {
        engine_snapshot(engine, &p);
        log_info("stopping: interrupting run %lld at its next batch", p.run_id);
        engine_cancel(engine);
    }
    while (engine_busy(engine)) {
        if (clock_mono() >= deadline) {
            log_error("the run did not stop within %s; exiting anyway (it will be marked "
                      "abandoned by the next run)",
                      format_duration(o->stop_timeout_s, limit, sizeof limit));
            _exit(EXIT_FAIL); /* the engine thread is still inside the run */
        }
        wait_signal(0.1);
    }
    engine_stop(engine, false);
    return EXIT_OK;
}

static int serve(struct cmd_ctx *ctx, const struct daemon_opts *o)
{
    struct daemon_listen listen = {0};
    struct engine *engine;
    struct sched *sched;
    struct db_target target;
    struct err ignore = {0};

    if ((engine = engine_start(ctx->cfg, -1, &ctx->err)) == NULL)
        return EXIT_FAIL;
    if ((sched = sched_start(ctx->cfg, engine, -1, &ctx->err)) == NULL) {
        engine_stop(engine, false);
        return EXIT_FAIL;
    }
    ctx->engine = engine;
    /* the HTTP API: on by default, 127.0.0.1:8000 ([http] listen) */
    struct httpd *http = NULL;
    const char *address = httpd_listen_address(ctx->cfg, "127.0.0.1:8000");
    if (address != NULL && (http = httpd_start(ctx->cfg, address, engine, sched, &ctx->err)) == NULL) {
        sched_stop(sched);
        engine_stop(engine, false);
        return ctx->err.code ? ctx->err.code : EXIT_FAIL;
    }
    db_target_resolve(&target, &ignore);
    log_info("daemon started: pid %ld, config '%s', database '%s', schedule '%s'%s", (long)getpid(),
             ctx->cfg->path ? ctx->cfg->path : "(defaults)", target.display ? target.display : "?",
             ctx->cfg->cron, ctx->cfg->sched_enabled ? "" : " (disabled)");
    db_target_free(&target);
    daemon_listen_connect(&listen);
    for (;;) {
        struct pollfd fds[2] = {{daemon_signals_fd(), POLLIN, 0},
                                {daemon_listen_fd(&listen), POLLIN, 0}};
        int n = poll(fds, fds[1].fd >= 0 ? 2 : 1, fds[1].fd >= 0 ? -1 : 1000);
        char sig = n > 0 && (fds[0].revents & POLLIN) ? daemon_signals_read() : 0;
        if (sig == 'T' || atomic_load(&daemon_stopping))
            break;
        if (sig == 'H')
            reload(ctx, engine, sched, http);
        if (n > 0 && fds[1].fd >= 0 && fds[1].revents && daemon_listen_read(&listen))
            sched_kick(sched);
        if (daemon_listen_fd(&listen) < 0 && daemon_listen_connect(&listen))
            sched_kick(sched); /* notifications were lost while it was down */
    }
    log_info("stopping: signal received");
    httpd_stop(http);
    daemon_listen_close(&listen);
    sched_stop(sched);
    ctx->engine = NULL;
    int rc = stop_engine(engine, o);
    log_info("daemon stopped");
    return rc;
}

int daemon_run(struct cmd_ctx *ctx, const struct daemon_opts *o)
{
    int rc;

    apply_logging(ctx->cfg);
    if (daemon_signals_init(&ctx->err) < 0)
        return EXIT_FAIL;
    rc = wait_for_db(ctx, o);
    if (rc <= 0) {
        daemon_signals_close();
        return rc == 0 ? EXIT_OK : ctx->err.code;
    }
    if (o->once)
        rc = sched_once(ctx->cfg, &daemon_stopping, &ctx->err);
    else
        rc = serve(ctx, o);
    daemon_signals_close();
    return rc;
}

/*
 * host.c — starting, serving, reloading and stopping the background
 * machinery the faces share (see host.h).
 *
 * DESIGN: no thread of its own. The face's loop polls the signal pipe and
 * the LISTEN socket (host_pollfds) next to its own descriptors and calls
 * host_service() after each poll; everything the host does in response —
 * kicking the scheduler on a schedule notification or when the connection
 * comes back (notifications sent meanwhile are lost), reloading on SIGHUP
 * — happens there, on the face's thread, and the rest is reported as
 * events. The engine and the scheduler are threads of their own with wake
 * descriptors the face already polls.
 *
 * The stop order matters: a reload's column change first (columns.c: an
 * ALTER TABLE waiting for its lock would hold up the requests the HTTP
 * server drains), services (no new requests), then the
 * scheduler (it must not start a run while we close), then the face's own
 * threads that might still submit one (options.stopping), and only then the
 * run: cancelled at its next batch boundary (the batch commits, the run
 * ends 'interrupted') or waited for. A stop signal while waiting cancels.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/engine.h"
#include "kasparro/host_internal.h"
#include "kasparro/log.h"
#include "kasparro/sched.h"

#define HOST_MAX_SERVICES 4
/* How often an idle daemon looks for a run to join that nobody announced: a
 * source whose worker died, a run whose process died. */
#define HOST_JOIN_EVERY_S 5.0

struct host {
    struct cmd_ctx *ctx;
    struct host_options opt;
    struct engine *engine;
    struct sched *sched;
    struct listen listen;
    struct host_columns columns;
    int signal_fd;
    double join_at; /* clock_mono() of the next look for a run to join */
    struct {
        const struct host_service *ops;
        void *state;
    } services[HOST_MAX_SERVICES];
    int nservices;
};

struct host *host_start(struct cmd_ctx *ctx, const struct host_options *o, struct err *err)
{
    struct host *h = xcalloc(1, sizeof *h);
    struct db_target target;
    struct err serr = {0};

    /* The process starts: the private cluster too, if it is the target. A
     * face can run without its database; the status says why it is away. */
    if (db_start_once(&serr) < 0)
        log_warn("%s", serr.msg);
    err_clear(&serr);
    h->ctx = ctx;
    h->opt = *o;
    if (db_target_resolve(&target, err) < 0) {
        free(h);
        return NULL;
    }
    listen_init(&h->listen, &target); /* takes the target */
    columns_init(&h->columns, o->label_index);
    /* a busy table is tried again after the pause; else the label index
     * (label_index.c) is brought in step */
    if (o->columns_busy || o->label_index)
        columns_post(&h->columns, ctx->cfg, o->columns_busy, !o->columns_busy, "start");
    if ((h->signal_fd = signals_begin(err)) < 0)
        goto fail;
    if ((h->engine = engine_start(ctx->cfg, o->wake_fd, err)) == NULL)
        goto fail;
    h->sched = sched_start(ctx->cfg, h->engine, o->wake_fd, &serr);
    if (h->sched == NULL && o->scheduler_required) {
        err_code(err, serr.code, "%s", serr.msg);
        goto fail;
    }
    if (h->sched == NULL)
        log_warn("the scheduler did not start: %s", serr.msg);
    ctx->engine = h->engine;
    return h;
fail:
    engine_stop(h->engine, false);
    signals_end();
    listen_close(&h->listen);
    columns_stop(&h->columns);
    free(h);
    return NULL;
}

int host_add_service(struct host *h, const struct host_service *s, void *arg, struct err *err)
{
    void *state;

    if (h->nservices == HOST_MAX_SERVICES)
        BUG("more than %d host services", HOST_MAX_SERVICES);
    err_clear(err);
    if ((state = s->start(h, h->ctx->cfg, arg, err)) == NULL)
        return err_isset(err) ? -1 : 0; /* the service's messages name it */
    h->services[h->nservices].ops = s;
    h->services[h->nservices].state = state;
    h->nservices++;
    return 0;
}

struct engine *host_engine(struct host *h) { return h->engine; }
struct sched *host_sched(struct host *h) { return h->sched; }
const struct config *host_config(struct host *h) { return h->ctx->cfg; }

int host_pollfds(struct host *h, struct pollfd *fds)
{
    short events = 0;
    int n = 0, lfd = listen_fd(&h->listen, &events);

    fds[n++] = (struct pollfd){h->signal_fd, POLLIN, 0};
    if (lfd >= 0)
        fds[n++] = (struct pollfd){lfd, events, 0};
    return n;
}

double host_timeout(struct host *h, double now)
{
    double to = listen_timeout(&h->listen, now);
    double join = h->join_at > now ? h->join_at - now : 0;

    if (!h->opt.join_runs)
        return to;
    return to < 0 || join < to ? join : to;
}

/* Every service reads what it needs of cfg before anyone takes it up: one
 * that cannot (a key file gone) keeps the whole reload from applying, so
 * the engine never runs one configuration while the HTTP API serves
 * another. 0 with prepared[] filled, -1 with err (nothing kept). */
static int prepare_services(struct host *h, const struct config *cfg, void **prepared,
                            struct err *err)
{
    for (int i = 0; i < h->nservices; i++) {
        const struct host_service *ops = h->services[i].ops;
        prepared[i] = NULL;
        if (ops->prepare == NULL || h->services[i].state == NULL ||
            (prepared[i] = ops->prepare(h->services[i].state, cfg, err)) != NULL)
            continue;
        while (--i >= 0)
            if (prepared[i] != NULL)
                h->services[i].ops->discard(prepared[i]);
        return -1;
    }
    return 0;
}

int host_reload(struct host *h, struct err *err)
{
    void *prepared[HOST_MAX_SERVICES];
    struct config *cfg = cmd_ctx_read_config(h->ctx, err);

    if (cfg == NULL) {
        log_warn("%s", err->msg);
        return -1;
    }
    if (prepare_services(h, cfg, prepared, err) < 0) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        err_code(err, err->code, "reload: config '%s': %s; keeping the running configuration, "
                 "all of it", cfg->path, why);
        config_free(cfg);
        log_warn("%s", err->msg);
        return -1;
    }
    /* a new field's column, the label's index: without blocking us */
    if (cmd_ctx_use_config(h->ctx, cfg) || h->opt.label_index)
        columns_post(&h->columns, cfg, false, false, "reload");
    cfg = h->ctx->cfg;
    /* A run going on keeps the configuration it started with (the engine
     * holds a reference per run); the next ones use this one. */
    engine_set_config(h->engine, cfg);
    if (h->sched != NULL)
        sched_set_config(h->sched, cfg);
    for (int i = 0; i < h->nservices; i++)
        if (prepared[i] != NULL)
            h->services[i].ops->apply(h->services[i].state, prepared[i]);
    if (h->opt.reloaded != NULL)
        h->opt.reloaded(h->opt.arg, cfg);
    log_info("reload: configuration '%s' loaded (%zu source%s, schedule '%s')", cfg->path,
             cfg->nsources, cfg->nsources == 1 ? "" : "s", cfg->cron);
    return 0;
}

int host_service(struct host *h, const struct pollfd *fds, int n, double now)
{
    short lrevents = 0;
    int ev = 0, lev, sig = 0;
    struct host_db before, after;

    for (int i = 0; i < n; i++) {
        if (fds[i].fd == h->signal_fd && fds[i].revents)
            sig = signals_take();
        else if (fds[i].revents)
            lrevents = fds[i].revents;
    }
    if (atomic_load(&signals_stopping) ||
        (sig & HOST_SIG_STOP) || ((sig & HOST_SIG_HANGUP) && h->opt.hangup_stops))
        return HOST_STOP; /* a stop outranks the rest */
    if (sig & HOST_SIG_HANGUP) {
        struct err err = {0};
        host_reload(h, &err);
        ev |= HOST_RELOADED;
    }
    host_db(h, &before);
    lev = listen_service(&h->listen, lrevents, now);
    host_db(h, &after);
    if (lev & LISTEN_NOTIFIED)
        ev |= HOST_NOTIFIED;
    if (lev & LISTEN_CAME_UP)
        ev |= HOST_DB_UP;
    if ((lev & LISTEN_WENT_DOWN) || (after.state != HOST_DB_CONNECTED &&
                                      (after.state != before.state || after.ever_up != before.ever_up)))
        ev |= HOST_DB_DOWN;
    if ((lev & (LISTEN_SCHED | LISTEN_CAME_UP)) && h->sched != NULL)
        sched_kick(h->sched); /* another process changed the schedule, or we missed it */
    if (h->opt.join_runs && ((lev & (LISTEN_WORK | LISTEN_CAME_UP)) || now >= h->join_at)) {
        engine_join(h->engine);
        h->join_at = now + HOST_JOIN_EVERY_S;
    }
    return ev;
}

void host_db(struct host *h, struct host_db *out)
{
    const struct listen *l = &h->listen;

    memset(out, 0, sizeof *out);
    out->ever_up = l->ever_up;
    err_copy(out->error, sizeof out->error, l->error);
    if (l->state == LISTEN_UP)
        out->state = HOST_DB_CONNECTED;
    else if (l->stopped) {
        out->state = HOST_DB_STOPPED;
        snprintf(out->start, sizeof out->start, "db start");
    } else if (!l->ever_up && !l->error[0])
        out->state = HOST_DB_CONNECTING;
    else {
        out->state = HOST_DB_RETRYING;
        out->retry_in = l->state == LISTEN_CONNECTING ? -1 : l->retry_at - clock_mono();
    }
}

void host_db_retry(struct host *h) { h->listen.retry_at = 0; }

/* The run in progress stops here: a process that stops for good leaves a
 * run others help with to them (HOST_STOP_LEAVE); otherwise it ends. */
static void stop_run(struct host *h, enum host_stop_mode mode)
{
    if (mode == HOST_STOP_LEAVE)
        engine_leave(h->engine);
    else
        engine_cancel(h->engine);
}

/* Waits for the engine to go idle: a stop signal stops the run (stop_run);
 * `tick` gets the progress about once a second, and once more at the end of
 * a run it waited for. -1 when wait_s passed first. */

static int wait_run(struct host *h, enum host_stop_mode mode, double wait_s,
                    void (*tick)(const struct progress *p, void *arg), void *arg)
{
    double deadline = wait_s > 0 ? clock_mono() + wait_s : 0, last = 0;
    bool waited = false;
    struct progress p;

    while (engine_busy(h->engine)) {
        waited = true;
        struct pollfd pfd = {h->signal_fd, POLLIN, 0};
        if (deadline > 0 && clock_mono() >= deadline)
            return -1;
        poll(&pfd, 1, 100);
        if (pfd.revents && (signals_take() & HOST_SIG_STOP))
            stop_run(h, mode);
        if (tick != NULL && clock_mono() - last >= 1) {
            engine_snapshot(h->engine, &p);
            tick(&p, arg);
            last = clock_mono();
        }
    }
    if (waited && tick != NULL) {
        engine_snapshot(h->engine, &p);
        tick(&p, arg);
    }
    return 0;
}

int host_stop(struct host *h, enum host_stop_mode mode, double wait_s,
              void (*tick)(const struct progress *p, void *arg), void *arg)
{
    int rc = 0;

    /* first: an ALTER TABLE waiting for its lock holds up the requests the
     * HTTP server drains next */
    columns_stop(&h->columns);
    for (int i = h->nservices - 1; i >= 0; i--)
        h->services[i].ops->stop(h->services[i].state);
    if (h->sched != NULL)
        sched_stop(h->sched);
    h->sched = NULL;
    listen_close(&h->listen);
    if (h->opt.stopping != NULL)
        h->opt.stopping(h->opt.arg);
    if (engine_busy(h->engine) && mode != HOST_STOP_FINISH) {
        struct progress p;
        engine_snapshot(h->engine, &p);
        if (p.active)
            log_info("stopping: interrupting run %lld at its next batch", p.run_id);
        stop_run(h, mode);
    }
    if (wait_run(h, mode, wait_s, tick, arg) < 0) {
        rc = -1; /* the engine thread is still inside the run: leave it be */
    } else {
        engine_stop(h->engine, false);
    }
    h->ctx->engine = NULL;
    signals_end();
    free(h);
    return rc;
}

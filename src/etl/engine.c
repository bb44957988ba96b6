/*
 * engine.c — the engine thread (see engine.h).
 *
 * DESIGN: one worker thread, one request slot. engine_submit() fills the
 * slot under the mutex and signals the condition variable; the worker takes
 * the request, runs it with run_execute() (which opens its own connections
 * and takes the cross-process run lock), and stores the result. Progress
 * flows the other way through the progress board, whose wake fd the console
 * polls. Cancelling sets an atomic flag the run checks between batches. The
 * configuration is reference-counted: a reload swaps the engine's reference,
 * a running run keeps the one it started with.
 *
 * A run announces its end on the board before run_execute() returns (it
 * still closes its connections and releases the run lock), so whoever saw
 * "run 4 succeeded" may submit the next run while the worker is in that
 * tail. Such a submit waits for the tail instead of being refused: the run
 * has ended as far as anyone can see. A run that failed before it began is
 * published only once the worker is idle, for the same reason.
 *
 * Joining (a daemon's): when idle, the worker may be asked to join a run in
 * progress elsewhere (run_join). Until run_join says it found one, a
 * submit waits for the look to end instead of being refused: looking is
 * not a run.
 */
#include "kasparro/engine.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/log.h"

struct engine {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct config *cfg;
    struct progress_board board;
    atomic_bool cancel;
    atomic_bool leaving; /* with cancel: this process stops, not the run */
    bool stop;
    bool pending;
    bool join;      /* engine_join asked, not yet taken */
    bool looking;   /* run_join is looking for a run to join */
    bool running;
    unsigned long started_gen; /* the board's generation when the run was taken */
    unsigned long submitted, taken, finished; /* request numbers, for engine_submit_started */
    struct run_request req;   /* deep copy of the pending request */
    struct run_result last;
    char last_error[ERR_MSG_MAX]; /* whole, as err.msg: a run's failure is kept to 4 KiB */
};

static void request_copy(struct run_request *dst, const struct run_request *src)
{
    *dst = *src;
    dst->actor = xstrdup(src->actor ? src->actor : os_user());
    dst->sources = xcalloc((size_t)src->nsources + 1, sizeof *dst->sources);
    for (int i = 0; i < src->nsources; i++)
        dst->sources[i] = xstrdup(src->sources[i]);
}

static void request_free(struct run_request *req)
{
    for (int i = 0; i < req->nsources; i++)
        free(req->sources[i]);
    free(req->sources);
    free((char *)req->actor);
    memset(req, 0, sizeof *req);
}

struct failed_arg {
    const char *msg;
};

static void publish_failure(struct progress *p, void *arg)
{
    struct failed_arg *a = arg;
    p->active = false;
    err_copy(p->error, sizeof p->error, a->msg);
}

static unsigned long board_generation(struct progress_board *b)
{
    struct progress p;
    progress_snapshot(b, &p);
    return p.generation;
}

/* The running run has published its end and the worker is only tidying up. */
static bool run_ended(struct engine *e)
{
    struct progress p;
    progress_snapshot(&e->board, &p);
    return !p.active && p.generation != e->started_gen;
}

/* run_join found a run to work on: a submit now meets a busy engine. */
static void join_found(void *arg)
{
    struct engine *e = arg;

    pthread_mutex_lock(&e->lock);
    e->looking = false;
    pthread_cond_broadcast(&e->cond);
    pthread_mutex_unlock(&e->lock);
}

/* Called and returns with e->lock held. */
static void join_run(struct engine *e)
{
    struct config *cfg = config_ref(e->cfg);
    struct err err = {0};

    e->join = false;
    e->running = e->looking = true;
    e->started_gen = board_generation(&e->board);
    pthread_mutex_unlock(&e->lock);
    if (run_join(cfg, &e->board, &e->cancel, &e->leaving, join_found, e, &err) < 0)
        log_debug("joining a run: %s", err.msg);
    config_free(cfg);
    pthread_mutex_lock(&e->lock);
    e->running = e->looking = false;
    pthread_cond_broadcast(&e->cond);
}

static void *engine_main(void *arg)
{
    struct engine *e = arg;

    pthread_mutex_lock(&e->lock);
    for (;;) {
        while (!e->stop && !e->pending && !e->join)
            pthread_cond_wait(&e->cond, &e->lock);
        if (!e->pending && (e->stop || !e->join))
            break;
        if (!e->pending) {
            join_run(e);
            continue;
        }
        struct run_request req = e->req;
        struct config *cfg = config_ref(e->cfg);
        struct run_result result;
        struct err err = {0};
        e->pending = false;
        e->running = true;
        e->taken = e->submitted;
        e->started_gen = board_generation(&e->board);
        req.leaving = &e->leaving;
        pthread_mutex_unlock(&e->lock);

        int rc = run_execute(cfg, &req, &e->board, &e->cancel, &result, &err);
        if (rc < 0 && atomic_load(&e->cancel)) {
            /* the stop cancelled its first statements: a stop, not a fault */
            err_set(&err, "the run was stopped before it began");
            log_info("run not started: %s", err.msg);
        } else if (rc < 0) {
            log_error("run not started: %s", err.msg);
        }
        config_free(cfg);
        request_free(&req);

        pthread_mutex_lock(&e->lock);
        e->running = false;
        e->finished = e->taken;
        e->last = result;
        err_copy(e->last_error, sizeof e->last_error, err.msg);
        pthread_cond_broadcast(&e->cond);
        if (rc < 0) {
            pthread_mutex_unlock(&e->lock);
            progress_update(&e->board, publish_failure, &(struct failed_arg){err.msg});
            pthread_mutex_lock(&e->lock);
        }
    }
    pthread_mutex_unlock(&e->lock);
    return NULL;
}

/* The board changed (a run began, a batch, the end): wake whoever waits in
 * engine_submit_started. Called with no lock held. */
static void board_changed(const struct progress *p, void *arg)
{
    struct engine *e = arg;

    (void)p;
    pthread_mutex_lock(&e->lock);
    pthread_cond_broadcast(&e->cond);
    pthread_mutex_unlock(&e->lock);
}

struct engine *engine_start(struct config *cfg, int wake_fd, struct err *err)
{
    struct engine *e = xcalloc(1, sizeof *e);

    pthread_mutex_init(&e->lock, NULL);
    pthread_cond_init(&e->cond, NULL);
    progress_board_init(&e->board, wake_fd);
    e->board.on_change = board_changed;
    e->board.arg = e;
    e->cfg = config_ref(cfg);
    if (pthread_create(&e->thread, NULL, engine_main, e) != 0) {
        err_set(err, "unable to start the engine thread: %m");
        config_free(e->cfg);
        progress_board_destroy(&e->board);
        free(e);
        return NULL;
    }
    return e;
}

int engine_submit(struct engine *e, const struct run_request *req, struct err *err)
{
    int rc = 0;

    pthread_mutex_lock(&e->lock);
    while (!e->pending && !e->stop && (e->looking || (e->running && run_ended(e))))
        pthread_cond_wait(&e->cond, &e->lock);
    if (e->running || e->pending || e->stop) {
        struct progress p;
        progress_snapshot(&e->board, &p);
        if (e->running && p.active)
            rc = err_code(err, EXIT_BUSY, "run %lld is in progress", p.run_id);
        else
            rc = err_code(err, EXIT_BUSY, "a run is about to start");
    } else {
        request_copy(&e->req, req);
        atomic_store(&e->cancel, false);
        atomic_store(&e->leaving, false);
        e->pending = true;
        e->submitted++;
        pthread_cond_broadcast(&e->cond);
    }
    pthread_mutex_unlock(&e->lock);
    return rc;
}

int engine_submit_started(struct engine *e, const struct run_request *req, long long *run_id,
                          struct err *err)
{
    struct progress p;
    unsigned long mine;
    int rc = 0;

    if (engine_submit(e, req, err) < 0)
        return -1;
    pthread_mutex_lock(&e->lock);
    mine = e->submitted; /* engine_submit queued it: nobody else can be pending */
    /* until it ended, or it was taken and the board says it began */
    while (e->finished < mine &&
           (e->taken != mine || board_generation(&e->board) == e->started_gen))
        pthread_cond_wait(&e->cond, &e->lock);
    progress_snapshot(&e->board, &p);
    *run_id = e->finished == mine ? e->last.run_id : p.run_id;
    if (e->finished == mine && e->last.run_id == 0) /* it ended without a runs row */
        rc = err_code(err, e->last.exit_code > 0 ? e->last.exit_code : EXIT_FAIL, "%s",
                      e->last_error);
    pthread_mutex_unlock(&e->lock);
    return rc;
}

void engine_join(struct engine *e)
{
    pthread_mutex_lock(&e->lock);
    if (!e->running && !e->pending && !e->stop && !e->join) {
        atomic_store(&e->cancel, false);
        atomic_store(&e->leaving, false);
        e->join = true;
        pthread_cond_broadcast(&e->cond);
    }
    pthread_mutex_unlock(&e->lock);
}

void engine_cancel(struct engine *e) { atomic_store(&e->cancel, true); }

void engine_leave(struct engine *e)
{
    atomic_store(&e->leaving, true);
    atomic_store(&e->cancel, true);
}

bool engine_busy(struct engine *e)
{
    pthread_mutex_lock(&e->lock);
    bool busy = (e->running && !e->looking) || e->pending; /* looking is not a run */
    pthread_mutex_unlock(&e->lock);
    return busy;
}

void engine_snapshot(struct engine *e, struct progress *out) { progress_snapshot(&e->board, out); }

void engine_last_result(struct engine *e, struct run_result *out, char *error, size_t len)
{
    pthread_mutex_lock(&e->lock);
    *out = e->last;
    err_copy(error, len, e->last_error);
    pthread_mutex_unlock(&e->lock);
}

void engine_set_config(struct engine *e, struct config *cfg)
{
    struct config *old;

    pthread_mutex_lock(&e->lock);
    old = e->cfg;
    e->cfg = config_ref(cfg);
    pthread_mutex_unlock(&e->lock);
    config_free(old);
}

void engine_stop(struct engine *e, bool finish)
{
    if (e == NULL)
        return;
    pthread_mutex_lock(&e->lock);
    e->stop = true;
    if (!finish) {
        atomic_store(&e->cancel, true);
        if (e->pending) {
            /* say so: the operator asked for this run and it never starts */
            log_warn("a queued run (asked for by %s) was dropped: the engine stopped before "
                     "starting it", e->req.actor);
            request_free(&e->req);
            e->pending = false;
        }
    }
    pthread_cond_broadcast(&e->cond);
    pthread_mutex_unlock(&e->lock);
    pthread_join(e->thread, NULL);
    config_free(e->cfg);
    progress_board_destroy(&e->board);
    pthread_cond_destroy(&e->cond);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

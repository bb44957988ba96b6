/*
 * cancel.c — a stopped run cancels the statement it has at the server (see
 * db.h: db_watch, db_unwatch).
 *
 * A run is stopped by setting an atomic flag: the signal handlers of
 * `kasparro run` (SIGINT, SIGTERM), the console's cancel, the daemon's stop.
 * The run looks at the flag between items and batches, but a statement
 * already at the server (a COPY, an upsert, the orphan anti-join, a wait
 * for a lock) would go on until it ends, and the client with it. The
 * watcher is a thread that looks at the flag every 50 ms (a signal handler
 * can do nothing but store it) and, the first time it is set, sends the
 * server a cancel request for the connection (PQcancel): the statement in
 * progress fails at once with "canceling statement due to user request",
 * and the run ends at its next check of the flag.
 *
 * A cancel request hits whatever statement runs when it arrives, so none
 * may be in flight when the next statement starts: once the flag is set,
 * every db_exec settles the watcher first — waits for a request being sent
 * (PQcancel returns when the server has signalled the backend, which drops
 * a request that finds it idle) or keeps it from sending one — and the run
 * unwatches its connection before it records how it ended.
 *
 * The statements a stopped run still sends (the rest of its batch, its
 * checkpoint, the rollback) must not outlast the stop: one that waits for
 * a lock another session holds would keep the run, and a console's quit
 * or a daemon's SIGTERM, waiting as long as that session likes. So after
 * the stop each statement gets DB_STOP_GRACE_S to end; one still running
 * then is cancelled too (settled as above: the next statement starts only
 * once that request went out).
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "kasparro/clock.h"
#include "kasparro/db.h"
#include "kasparro/log.h"

/* ARMED: no stop yet; LATE: a statement began after the stop, at
 * late_since; DONE: nothing left to cancel until the next statement. */
enum watch_state { WATCH_ARMED, WATCH_SENDING, WATCH_DONE, WATCH_LATE };

/* How long a statement begun after a stop may run before it is cancelled:
 * ample for what a stopped run still does, short of any lock wait. */
#define DB_STOP_GRACE_S 5.0

struct db_watch {
    PGcancel *pc;
    const atomic_bool *flag;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* on CLOCK_MONOTONIC */
    enum watch_state state;
    double late_since;
    int backend; /* the server process the requests go to, for the log */
    bool stop;
};

static void send_cancel(struct db_watch *w)
{
    char why[256];
    bool late = w->state == WATCH_LATE;

    w->state = WATCH_SENDING;
    pthread_mutex_unlock(&w->lock);
    if (!PQcancel(w->pc, why, sizeof why))
        log_warn("stopping: the statement in progress could not be cancelled (backend %d): %s",
                 w->backend, why);
    else if (late)
        log_warn("stopping: a statement begun after the stop was still running after %gs "
                 "(waiting for a lock another session holds?): asked the server to cancel it "
                 "(backend %d)", DB_STOP_GRACE_S, w->backend);
    else
        log_debug("stopping: asked the server to cancel the statement in progress (backend %d)",
                  w->backend);
    pthread_mutex_lock(&w->lock);
    w->state = WATCH_DONE;
    pthread_cond_broadcast(&w->cond);
}

static void *watch_main(void *arg)
{
    struct db_watch *w = arg;
    struct timespec at;

    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        bool stopped = atomic_load(w->flag);
        if (stopped && (w->state == WATCH_ARMED ||
                        (w->state == WATCH_LATE &&
                         clock_mono() - w->late_since >= DB_STOP_GRACE_S))) {
            send_cancel(w);
            continue;
        }
        clock_deadline(CLOCK_MONOTONIC, 0.05, &at);
        pthread_cond_timedwait(&w->cond, &w->lock, &at);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

void db_watch(struct db *db, const atomic_bool *flag)
{
    struct db_watch *w;
    pthread_condattr_t attr;

    if (flag == NULL || db->watch != NULL)
        return;
    w = xcalloc(1, sizeof *w);
    w->flag = flag;
    w->pc = PQgetCancel(db->conn);
    w->backend = PQbackendPID(db->conn);
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &attr);
    pthread_condattr_destroy(&attr);
    if (w->pc == NULL || pthread_create(&w->thread, NULL, watch_main, w) != 0) {
        /* the run still stops at its next check of the flag */
        log_warn("stopping a run will wait for the statement in progress: no cancel watcher");
        PQfreeCancel(w->pc);
        pthread_cond_destroy(&w->cond);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return;
    }
    db->watch = w;
}

void db_watch_settle(struct db *db)
{
    struct db_watch *w = db->watch;

    if (w == NULL || !atomic_load(w->flag))
        return;
    pthread_mutex_lock(&w->lock);
    while (w->state == WATCH_SENDING)
        pthread_cond_wait(&w->cond, &w->lock);
    w->state = WATCH_LATE; /* the statement about to start gets its grace */
    w->late_since = clock_mono();
    pthread_mutex_unlock(&w->lock);
}

void db_watch_idle(struct db *db)
{
    struct db_watch *w = db->watch;

    if (w == NULL || !atomic_load(w->flag))
        return;
    pthread_mutex_lock(&w->lock);
    if (w->state == WATCH_LATE)
        w->state = WATCH_DONE;
    pthread_mutex_unlock(&w->lock);
}

bool db_watch_stopping(const struct db *db)
{
    return db->watch != NULL && atomic_load(db->watch->flag);
}

void db_unwatch(struct db *db)
{
    struct db_watch *w = db->watch;

    if (w == NULL)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    db->watch = NULL;
    PQfreeCancel(w->pc);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

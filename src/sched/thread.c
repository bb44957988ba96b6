/*
 * thread.c — the scheduler thread (see sched.h).
 *
 * DESIGN: one thread, one database connection of its own. Each pass reads
 * the wall clock, claims what is due (state.c), starts the run through the
 * sched_ops (the engine, in the console and the daemon), refreshes the view
 * people see, and then computes how long to sleep — after the dispatch, so
 * a slow claim never delays the next fire time. It sleeps on a condition
 * variable bound to CLOCK_MONOTONIC, at most SCHED_MAX_SLEEP, so a wall
 * clock that jumps (NTP, suspend, a test's KASPARRO_CLOCK_OFFSET) is noticed
 * on the next wake rather than slept through. sched_kick, a new
 * configuration and sched_stop all signal the same condition variable.
 *
 * A run handed to the engine may still fail to start (another process took
 * the run lock in between). Until the run's row appears in kasparro.runs,
 * the dispatched fire time is "pending"; if the engine goes idle without
 * it, the fire time is recorded 'skipped' with the reason, so nothing is
 * lost without a trace.
 *
 * When the database goes away the thread says so once in the log and in
 * its snapshot, retries with a growing pause (up to 30 s), and on return
 * re-applies the configuration and claims whatever fell due meanwhile.
 *
 * A heartbeat says the thread is not stuck: before each pass and each
 * sleep it writes in its snapshot by when it will beat again — the sleep's
 * length plus SCHED_STALL_TICKS ticks (the longest sleep). A pass blocked
 * longer than that (a statement waiting on a lock nobody releases) leaves
 * the deadline behind, and sched_stalled() says so to /health.
 *
 * Such a pass must not hold up a stop: the statements carry no lock
 * timeout (a claim rightly waits for another scheduler's), so sched_stop
 * sets an atomic flag the connection's cancel watcher (db_watch) looks at,
 * and the statement in progress is cancelled at the server; the thread
 * then sees the stop and ends. Only a connect in progress (connect_timeout)
 * can delay it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kasparro/clock.h"
#include "kasparro/log.h"
#include "kasparro/sched_internal.h"
#include "kasparro/wake.h"

struct sched {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool stop, kicked;
    atomic_bool stopping; /* stop, for the cancel watcher (db_watch) */
    struct config *cfg; /* the newest configuration */
    bool cfg_changed;
    struct sched_snapshot snap;
    struct sched_ops ops;
    int wake_fd;
    double tick; /* the longest sleep, in seconds of real time */

    /* the thread's own */
    struct db *db;
    bool synced;
    double pending; /* dispatched fire time not yet seen in runs */
    double retry;   /* seconds before the next reconnect attempt */
    char said[256]; /* the schedule last logged (say_schedule) */
};

static void publish(struct sched *s, const char *state, const struct sched_view *view,
                    const char *event, const char *error)
{
    pthread_mutex_lock(&s->lock);
    s->snap.generation++;
    snprintf(s->snap.state, sizeof s->snap.state, "%s", state);
    s->snap.connected = s->db != NULL;
    s->snap.enabled = s->cfg->sched_enabled;
    if (view != NULL)
        s->snap.view = *view;
    if (event != NULL)
        err_copy(s->snap.last_event, sizeof s->snap.last_event, event);
    err_copy(s->snap.error, sizeof s->snap.error, error ? error : "");
    pthread_mutex_unlock(&s->lock);
    wake_write(s->wake_fd, 's');
}

/* The thread is alive, and will be again within `real` seconds plus
 * SCHED_STALL_TICKS ticks. */
static void beat_locked(struct sched *s, double real)
{
    s->snap.heartbeat = clock_mono();
    s->snap.beat_by = s->snap.heartbeat + real + SCHED_STALL_TICKS * s->tick;
}

/* Sleeps until `wall_seconds` of wall-clock time passed, or a signal. */
static void sleep_for(struct sched *s, double wall_seconds)
{
    double real = wall_seconds / clock_rate();
    struct timespec ts;

    if (real > s->tick)
        real = s->tick;
    if (real < 0.01)
        real = 0.01;
    clock_deadline(CLOCK_MONOTONIC, real, &ts);
    pthread_mutex_lock(&s->lock);
    beat_locked(s, real);
    while (!s->stop && !s->kicked && !s->cfg_changed)
        if (pthread_cond_timedwait(&s->cond, &s->lock, &ts) == ETIMEDOUT)
            break;
    s->kicked = false;
    pthread_mutex_unlock(&s->lock);
}

/* The database is gone: drop the connection, say so once, back off. */
static void lost_db(struct sched *s, const char *why)
{
    if (s->db != NULL) {
        log_warn("scheduler: database unreachable, retrying: %s", why);
        db_close(s->db);
        s->db = NULL;
    }
    s->synced = false;
    s->retry = s->retry < 1 ? 1 : s->retry * 2 > 30 ? 30 : s->retry * 2;
    publish(s, "disconnected", NULL, NULL, why);
}

static bool connect_db(struct sched *s)
{
    struct err err = {0};

    if (s->db != NULL && PQstatus(s->db->conn) == CONNECTION_OK)
        return true;
    if (s->db != NULL) {
        lost_db(s, PQerrorMessage(s->db->conn));
        return false;
    }
    if ((s->db = db_open(&err)) == NULL) {
        if (s->retry == 0)
            log_warn("scheduler: database unreachable, retrying: %s", err.msg);
        s->retry = s->retry < 1 ? 1 : s->retry * 2 > 30 ? 30 : s->retry * 2;
        publish(s, "disconnected", NULL, NULL, err.msg);
        return false;
    }
    db_watch(s->db, &s->stopping); /* a stop cancels what it waits for */
    if (s->retry > 0)
        log_info("scheduler: database reachable again");
    s->retry = 0;
    return true;
}

/* A dispatched run that never recorded itself is recorded 'skipped'. */
static int reconcile(struct sched *s, struct err *err)
{
    char why[512] = "", reason[600];

    if (s->pending <= 0 || s->ops.busy(s->ops.arg, why, sizeof why))
        return 0;
    why[0] = '\0';
    if (s->ops.last_error != NULL)
        s->ops.last_error(s->ops.arg, why, sizeof why);
    err_format(reason, sizeof reason, "skipped: the run did not start: %s",
               why[0] ? why : "no reason given");
    if (sched_settle_unstarted(s->db, s->pending, reason, err) < 0)
        return -1;
    s->pending = 0;
    return 0;
}

static void dispatch(struct sched *s, double at, char *event, size_t len)
{
    struct run_request req = {
        .trigger = TRIGGER_SCHEDULE, .actor = "scheduler", .scheduled_for = at};
    struct err err = {0};
    char when[32], reason[1100];

    clock_format(at, when, sizeof when);
    if (s->ops.dispatch(s->ops.arg, &req, &err) == 0) {
        s->pending = at;
        snprintf(event, len, "fire time %s: run requested", when);
        log_info("fire time %s: run requested", when);
        return;
    }
    err_format(reason, sizeof reason, "skipped: the run did not start: %s", err.msg);
    err_format(event, len, "fire time %s %s", when, reason);
    err_clear(&err);
    int settled = sched_settle_unstarted(s->db, at, reason, &err);
    if (settled == 0) /* another scheduler recorded it first */
        log_warn("fire time %s %s", when, reason);
    else if (settled < 0)
        log_error("fire time %s: run not started (%s); recording it: %s", when, reason, err.msg);
}

/* The log says which schedule this scheduler acts on, at start and
 * whenever it changes: the file's, one 'schedule set' put over it, paused
 * or disabled. The effective schedule lives in the database, so the
 * configuration's own line cannot say it. */
static void say_schedule(struct sched *s, const char *state, const struct sched_view *v)
{
    char said[sizeof s->said], when[40];

    snprintf(said, sizeof said, "%s %s %s", state, v->cron, v->timezone);
    if (strcmp(said, s->said) == 0)
        return;
    snprintf(s->said, sizeof s->said, "%s", said);
    if (strcmp(state, "disabled") == 0) {
        log_info("scheduler: disabled by [scheduler] enabled = false: this process claims no "
                 "fire time");
        return;
    }
    if (v->paused) {
        log_info("scheduler: schedule '%s' (%s) paused (last changed by %s): no fire time is "
                 "claimed until 'kasparro schedule resume'", v->cron, v->timezone, v->updated_by);
        return;
    }
    clock_format(v->next_due > 0 ? v->next_due : v->next_fire, when, sizeof when);
    if (v->config_cron[0] != '\0' && !v->config_pending)
        log_info("scheduler: schedule '%s' (%s), put over the file's '%s' by 'kasparro "
                 "schedule set'; next fire time %s", v->cron, v->timezone, v->config_cron, when);
    else
        log_info("scheduler: schedule '%s' (%s); next fire time %s", v->cron, v->timezone, when);
}

/* One pass; sets *wait to the wall-clock seconds to sleep (negative when
 * the next fire time fell due during the pass: sleep_for wakes at once).
 * Returns 0, or -1 after a database error. */
static int pass(struct sched *s, const struct config *cfg, double *wait, struct err *err)
{
    struct sched_claim claim = {0};
    struct sched_view view;
    char event[512] = "";
    double now = clock_now();
    const char *state = "waiting";

    if (!s->synced) {
        if (sched_sync_config(s->db, cfg, os_user(), now, err) < 0)
            return -1;
        s->synced = true;
    }
    if (reconcile(s, err) < 0)
        return -1;
    if (cfg->sched_enabled) {
        if (sched_claim(s->db, SCHED_JOB, now, s->ops.busy, s->ops.arg, &claim, err) < 0)
            return -1;
        if (claim.run > 0)
            dispatch(s, claim.run, event, sizeof event);
        state = claim.paused ? "paused" : "waiting";
    } else {
        state = "disabled";
    }
    if (sched_view_load(s->db, cfg, clock_now(), &view, err) < 0)
        return -1;
    say_schedule(s, state, &view);
    publish(s, state, &view, event[0] ? event : NULL, NULL);
    if (!cfg->sched_enabled || claim.paused) {
        *wait = s->tick * clock_rate();
        return 0;
    }
    *wait = claim.next_due - clock_now();
    if ((s->pending > 0 || claim.wait) && *wait > clock_rate()) /* watch the run's start closely */
        *wait = clock_rate();
    return 0;
}

static void *sched_main(void *arg)
{
    struct sched *s = arg;

    log_context(0, NULL);
    for (;;) {
        struct config *cfg;
        struct err err = {0};
        double wait;

        pthread_mutex_lock(&s->lock);
        if (s->stop) {
            pthread_mutex_unlock(&s->lock);
            break;
        }
        if (s->cfg_changed)
            s->synced = false;
        s->cfg_changed = false;
        cfg = config_ref(s->cfg);
        beat_locked(s, 0);
        pthread_mutex_unlock(&s->lock);

        if (!connect_db(s)) {
            config_free(cfg);
            sleep_for(s, s->retry * clock_rate());
            continue;
        }
        int rc = pass(s, cfg, &wait, &err);
        config_free(cfg);
        if (rc < 0 && atomic_load(&s->stopping) && err_sqlstate(&err, SQLSTATE_QUERY_CANCELED)) {
            log_info("stopping: the scheduler's statement in progress is cancelled (it waited "
                     "%.1fs): %s", clock_mono() - s->snap.heartbeat, err.msg);
            break;
        }
        if (rc < 0) {
            if (err_sqlstate(&err, SQLSTATE_CONNECTION) || PQstatus(s->db->conn) != CONNECTION_OK) {
                lost_db(s, err.msg);
                wait = s->retry * clock_rate();
            } else {
                log_error("scheduler: %s", err.msg);
                publish(s, "waiting", NULL, NULL, err.msg);
                wait = s->tick * clock_rate();
            }
        }
        sleep_for(s, wait);
    }
    db_close(s->db);
    s->db = NULL;
    publish(s, "stopped", NULL, NULL, NULL);
    return NULL;
}

struct sched *sched_start_ops(struct config *cfg, const struct sched_ops *ops, int wake_fd,
                              struct err *err)
{
    struct sched *s = xcalloc(1, sizeof *s);
    pthread_condattr_t attr;

    pthread_mutex_init(&s->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cond, &attr);
    pthread_condattr_destroy(&attr);
    s->cfg = config_ref(cfg);
    s->ops = *ops;
    s->wake_fd = wake_fd;
    s->tick = sched_tick();
    atomic_init(&s->stopping, false);
    snprintf(s->snap.state, sizeof s->snap.state, "starting");
    beat_locked(s, 0);
    if (pthread_create(&s->thread, NULL, sched_main, s) != 0) {
        err_set(err, "unable to start the scheduler thread: %m");
        config_free(s->cfg);
        pthread_cond_destroy(&s->cond);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return NULL;
    }
    return s;
}

void sched_kick(struct sched *s)
{
    pthread_mutex_lock(&s->lock);
    s->kicked = true;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

void sched_set_config(struct sched *s, struct config *cfg)
{
    struct config *old;

    pthread_mutex_lock(&s->lock);
    old = s->cfg;
    s->cfg = config_ref(cfg);
    s->cfg_changed = true;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->lock);
    config_free(old);
}

void sched_snapshot(struct sched *s, struct sched_snapshot *out)
{
    pthread_mutex_lock(&s->lock);
    *out = s->snap;
    pthread_mutex_unlock(&s->lock);
}

double sched_tick(void)
{
    const char *env = getenv("KASPARRO_SCHED_TICK");
    double t = env != NULL ? strtod(env, NULL) : 0;

    return t > 0 && t < SCHED_MAX_SLEEP ? t : SCHED_MAX_SLEEP;
}

double sched_stalled(const struct sched_snapshot *snap, double now)
{
    return snap->beat_by > 0 && now > snap->beat_by ? now - snap->heartbeat : 0;
}

void sched_stop(struct sched *s)
{
    if (s == NULL)
        return;
    atomic_store(&s->stopping, true); /* cancels the statement it may wait on */
    pthread_mutex_lock(&s->lock);
    s->stop = true;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    config_free(s->cfg);
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

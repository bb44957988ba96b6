/*
 * work.c — the workers of one process on one run (see work.h).
 *
 * DESIGN: the lease on a source is a session advisory lock (DB_LOCK_SOURCE,
 * hashtext(source)) on the worker's own connection, the one its batches are
 * written on. A row lock (FOR UPDATE SKIP LOCKED) would end with the
 * transaction that took it, and a source loads in many; the lease must last
 * the whole load and end exactly when the worker's session does, kill -9
 * included. Taking a source is therefore: list the open sources, try each
 * one's lease, and mark the row ours only if it is still open in a snapshot
 * taken after the lease was granted — a worker that finished the source
 * committed its outcome before its lease went, so a stale list can never
 * load a source twice.
 *
 * The calling thread (the engine's, or `kasparro run`'s) only watches:
 * it passes a stop on to the workers (their own flag, so a run that ends
 * under a joined process stops its workers too), in a process that joined
 * the run looks once a second whether the run is still going, and in the
 * process holding the run lock whether it still does (a lost lock lets a
 * second run start beside this one: the workers stop).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kasparro/buf.h"
#include "kasparro/clock.h"
#include "kasparro/log.h"
#include "kasparro/runsrc.h"
#include "kasparro/work.h"

/* A joined process looks this often whether the run still goes on, and a
 * coordinator's idle worker whether a source held elsewhere came free. */
#define WORK_LOOK_S 1.0

/* The sources this process may load: it knows them, and loads them as the
 * process that started the run would (the digests agree; a row without
 * one is from before digests were kept). */
#define SQL_LOADS_ALIKE                                                                      \
    "EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS k(source, digest) "             \
    "WHERE k.source = s.source AND (s.config_digest IS NULL OR s.config_digest = k.digest))"

static const char *sql_open =
    "SELECT s.source FROM kasparro.run_sources s JOIN kasparro.runs r ON r.id = s.run_id "
    "WHERE s.run_id = $1 AND r.status = 'running' AND s.status IN ('pending', 'running') "
    "AND " SQL_LOADS_ALIKE " ORDER BY s.ord";

/* Open sources this process knows but would load otherwise, and who
 * started the run that holds them. */
static const char *sql_unlike =
    "SELECT string_agg(format('%L', s.source), ', ' ORDER BY s.ord), "
    "  max(format('pid %s on %s', r.pid, r.host)) "
    "FROM kasparro.run_sources s JOIN kasparro.runs r ON r.id = s.run_id "
    "WHERE s.run_id = $1 AND s.status IN ('pending', 'running') AND s.source = ANY ($2::text[]) "
    "AND NOT " SQL_LOADS_ALIKE " HAVING count(*) > 0";

static const char *sql_fail_foreign =
    "UPDATE kasparro.run_sources s SET status = 'failed', finished_at = now(), error = CASE "
    "  WHEN s.source = ANY ($2::text[]) THEN 'not loaded: the process that carried the run on "
    "(' || $4 || ') is configured differently for this source than the one that started it' "
    "  ELSE 'not loaded: the process that carried the run on (' || $4 || ') has no such "
    "source in its configuration' END "
    "WHERE s.run_id = $1 AND s.status = 'pending' AND NOT " SQL_LOADS_ALIKE;

static const char *sql_lease = "SELECT pg_try_advisory_lock($1::int, hashtext($2))";
static const char *sql_unlease = "SELECT pg_advisory_unlock($1::int, hashtext($2))";

static const char *sql_take =
    "UPDATE kasparro.run_sources rs SET status = 'running', owner = $3, claims = rs.claims + 1, "
    "started_at = CASE WHEN rs.claims = 0 THEN now() ELSE rs.started_at END, finished_at = NULL "
    "WHERE rs.run_id = $1 AND rs.source = $2 AND rs.status IN ('pending', 'running') "
    "AND EXISTS (SELECT 1 FROM kasparro.runs r WHERE r.id = $1 AND r.status = 'running') "
    "RETURNING rs.claims";

/* A read that failed before it could record its outcome (its checkpoint
 * could not be read ...) is not left 'running': the next worker would take
 * it again and again. */
static const char *sql_unrecorded =
    "UPDATE kasparro.run_sources SET status = 'failed', finished_at = now(), error = $3 "
    "WHERE run_id = $1 AND source = $2 AND status = 'running'";

static const char *sql_run_going =
    "SELECT count(*) FROM kasparro.runs WHERE id = $1 AND status = 'running'";

struct work {
    const struct work_plan *plan;
    char run[32];
    char lock_key[16];
    struct buf names;     /* the sources this process knows, a text[] literal */
    struct buf digests;   /* ... what it loads each by (config_source_digest) */
    atomic_bool stop;     /* the workers' cancel flag */
    pthread_mutex_t lock;
    pthread_cond_t cond;  /* a worker let a source go, or ended */
    int running;          /* workers not yet ended */
    int started;
    char error[ERR_MSG_MAX]; /* why the last worker that gave up did */
    bool took_run_lock;   /* on plan->run_lock: the run is this process's now */
    bool holds_run_lock;  /* from the start, or since took_run_lock */
};

struct worker {
    struct work *w;
    pthread_t thread;
    char owner[300];      /* host:pid/n, kept in run_sources.owner */
};

enum take { TAKE_ERROR = -1, TAKE_NONE, TAKE_GOT, TAKE_HELD };

static void worker_failed(struct work *w, const char *what, const struct err *err)
{
    log_error("worker: %s: %s", what, err->msg);
    pthread_mutex_lock(&w->lock);
    err_format(w->error, sizeof w->error, "%s: %s", what, err->msg);
    pthread_mutex_unlock(&w->lock);
}

static int lease(struct db *db, struct work *w, const char *sql, const char *source,
                 struct err *err)
{
    PGresult *r = db_exec(db, err, sql, DB_PARAMS(w->lock_key, source));
    int got;

    if (r == NULL)
        return -1;
    got = db_bool(r, 0, 0);
    PQclear(r);
    return got;
}

/* Takes the first open source whose lease is free and which is still open
 * once we hold it. TAKE_HELD: open ones remain, held by other workers. */
static enum take take_source(struct db *db, struct worker *k, char **source, struct err *err)
{
    struct work *w = k->w;
    PGresult *open = db_exec(db, err, sql_open, DB_PARAMS(w->run, w->names.data, w->digests.data));
    enum take how = TAKE_NONE;

    if (open == NULL)
        return TAKE_ERROR;
    for (int i = 0; i < PQntuples(open) && how != TAKE_GOT; i++) {
        const char *name = PQgetvalue(open, i, 0);
        int got = lease(db, w, sql_lease, name, err);
        PGresult *r;
        if (got < 0) {
            how = TAKE_ERROR;
            break;
        }
        how = TAKE_HELD;
        if (got == 0)
            continue;
        if ((r = db_exec(db, err, sql_take, DB_PARAMS(w->run, name, k->owner))) == NULL) {
            how = TAKE_ERROR;
            break;
        }
        if (PQntuples(r) == 1) {
            *source = xstrdup(name);
            if (db_ll(r, 0, 0) > 1)
                log_info("source '%s': taking over from a worker that ended before it was "
                         "done", name);
            how = TAKE_GOT;
        } else if (lease(db, w, sql_unlease, name, err) < 0) {
            how = TAKE_ERROR; /* finished meanwhile: let it go */
        }
        PQclear(r);
    }
    PQclear(open);
    return how;
}

static void changed(struct work *w)
{
    pthread_mutex_lock(&w->lock);
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

/* Waits up to `s` seconds for a change (a worker here let a source go). */
static void wait_change(struct work *w, double s)
{
    struct timespec at;

    clock_deadline(CLOCK_REALTIME, s, &at);
    pthread_mutex_lock(&w->lock);
    if (!atomic_load(&w->stop))
        pthread_cond_timedwait(&w->cond, &w->lock, &at);
    pthread_mutex_unlock(&w->lock);
}

/* Loads a source we hold, then lets its lease go. */
static int load(struct db *db, struct work *w, const char *name, struct err *err)
{
    const struct work_plan *p = w->plan;
    struct err ignore = {0};
    const struct source_cfg *src = config_source_find(p->cfg, name, &ignore);
    struct source_outcome out;

    source_run(db, p->cfg, src, p->req, p->run_id, p->board, &w->stop, &out);
    log_context(p->run_id, NULL);
    if (out.status == SOURCE_FAILED &&
        db_run(db, err, sql_unrecorded, DB_PARAMS(w->run, name, out.error)) < 0)
        return -1;
    return lease(db, w, sql_unlease, name, err) < 0 ? -1 : 0;
}

static void *worker_main(void *arg)
{
    struct worker *k = arg;
    struct work *w = k->w;
    struct err err = {0};
    struct db *db = db_open(&err);

    log_context(w->plan->run_id, NULL);
    if (db == NULL) {
        worker_failed(w, "no connection", &err);
        goto out;
    }
    db_watch(db, &w->stop);
    while (!atomic_load(&w->stop)) {
        char *source = NULL;
        enum take how = take_source(db, k, &source, &err);
        if (how == TAKE_GOT) {
            int rc = load(db, w, source, &err);
            free(source);
            changed(w);
            if (rc < 0) {
                if (!atomic_load(&w->stop)) /* else the stop cancelled it */
                    worker_failed(w, "letting a source go", &err);
                break;
            }
            continue;
        }
        if (how == TAKE_ERROR && !atomic_load(&w->stop))
            worker_failed(w, "taking a source", &err);
        if (how != TAKE_HELD || !w->plan->coordinator)
            break;
        wait_change(w, WORK_LOOK_S);
    }
    db_unwatch(db);
    db_close(db);
out:
    log_context(0, NULL);
    pthread_mutex_lock(&w->lock);
    w->running--;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

void work_source_arrays(const struct config *cfg, const struct source_cfg *const *srcs,
                        size_t n, struct buf *names, struct buf *digests)
{
    buf_addc(names, '{');
    buf_addc(digests, '{');
    for (size_t i = 0; i < n; i++) {
        char digest[CONFIG_DIGEST_LEN];
        config_source_digest(cfg, srcs[i], digest);
        buf_printf(names, "%s\"%s\"", i ? "," : "", srcs[i]->name);
        buf_printf(digests, "%s%s", i ? "," : "", digest);
    }
    buf_addc(names, '}');
    buf_addc(digests, '}');
}

/* Every source of the configuration: a process loads only sources it
 * knows. */
static void known_sources(const struct config *cfg, struct buf *names, struct buf *digests)
{
    const struct source_cfg **srcs = xcalloc(cfg->nsources + 1, sizeof *srcs);

    for (size_t i = 0; i < cfg->nsources; i++)
        srcs[i] = &cfg->sources[i];
    work_source_arrays(cfg, srcs, cfg->nsources, names, digests);
    free(srcs);
}

/* A joined process says which of the run's sources it leaves to others,
 * and why, once per run (it looks for work every few seconds). */
static void say_unlike(struct db *db, struct work *w)
{
    static atomic_llong said_for;
    struct err err = {0};
    PGresult *r;

    if (atomic_exchange(&said_for, w->plan->run_id) == w->plan->run_id)
        return;
    r = db_exec(db, &err, sql_unlike, DB_PARAMS(w->run, w->names.data, w->digests.data));

    if (r != NULL && PQntuples(r) == 1) {
        bool many = strchr(PQgetvalue(r, 0, 0), ',') != NULL;
        log_warn("run %s: source%s %s %s configured differently here than in the process that "
                 "started the run (%s): this process leaves %s to others (SIGHUP makes a "
                 "daemon read its configuration again)", w->run, many ? "s" : "",
                 PQgetvalue(r, 0, 0), many ? "are" : "is", PQgetvalue(r, 0, 1),
                 many ? "them" : "it");
    } else if (r == NULL)
        log_warn("run %s: which sources load alike here could not be read: %s", w->run, err.msg);
    PQclear(r);
}

int work_fail_foreign(struct db *db, const struct config *cfg, long long run_id,
                      struct err *err)
{
    struct buf names = BUF_INIT, digests = BUF_INIT;
    char run[32], who[300], host[256] = "";
    int rc;

    snprintf(run, sizeof run, "%lld", run_id);
    gethostname(host, sizeof host - 1);
    snprintf(who, sizeof who, "pid %ld on %s", (long)getpid(), host);
    known_sources(cfg, &names, &digests);
    rc = db_run(db, err, sql_fail_foreign, DB_PARAMS(run, names.data, digests.data, who));
    buf_free(&names);
    buf_free(&digests);
    return rc;
}

static bool run_going(struct db *db, const char *run)
{
    struct err err = {0};
    PGresult *r = db_exec(db, &err, sql_run_going, DB_PARAMS(run));
    bool going = r == NULL || db_ll(r, 0, 0) == 1; /* unknown: the workers find out */

    PQclear(r);
    return going;
}

/* A joined process: the run goes on and its lock is free, so the process
 * that held it left the run to its workers. Taking the lock now keeps any
 * other run from starting (and marking this one abandoned) until this
 * process has taken the run over. */
static void lock_left_run(struct work *w)
{
    struct err err = {0};

    if (w->plan->run_lock == NULL || w->took_run_lock)
        return;
    if (db_try_lock(w->plan->run_lock, DB_LOCK_RUN, &err) == 1) {
        w->took_run_lock = w->holds_run_lock = true;
        log_info("run %s: its process left it; this process holds the run lock and takes the "
                 "run over once its sources are done", w->run);
    }
    err_clear(&err);
}

/* The run lock this process holds is gone: why becomes the run's error. */
static bool run_lock_lost(struct db *db, struct work *w)
{
    struct err err = {0};

    if (!w->holds_run_lock || run_lock_check(w->plan->run_lock, db, w->run, &err) == 0)
        return false;
    log_error("run %s: %s", w->run, err.msg);
    pthread_mutex_lock(&w->lock);
    snprintf(w->error, sizeof w->error, "%s", err.msg);
    pthread_mutex_unlock(&w->lock);
    return true;
}

/* The calling thread, until every worker ended. */
static void watch(struct db *db, struct work *w)
{
    double looked = clock_mono();

    pthread_mutex_lock(&w->lock);
    while (w->running > 0) {
        struct timespec at;
        clock_deadline(CLOCK_REALTIME, 0.1, &at);
        pthread_cond_timedwait(&w->cond, &w->lock, &at);
        pthread_mutex_unlock(&w->lock);
        bool stop = w->plan->cancel != NULL && atomic_load(w->plan->cancel);
        if (!stop && clock_mono() - looked >= WORK_LOOK_S) {
            looked = clock_mono();
            if (!w->plan->coordinator && !(stop = !run_going(db, w->run)))
                lock_left_run(w);
            stop = stop || run_lock_lost(db, w);
        }
        if (stop && !atomic_load(&w->stop)) {
            atomic_store(&w->stop, true);
            changed(w);
        }
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
}

int work_run(struct db *db, const struct work_plan *plan, struct err *err)
{
    struct work w = {.plan = plan, .holds_run_lock = plan->run_lock_held, .names = BUF_INIT,
                     .digests = BUF_INIT};
    int n = plan->workers > 0 ? plan->workers : 1;
    struct worker *k = xcalloc((size_t)n, sizeof *k);
    char host[256] = "";

    snprintf(w.run, sizeof w.run, "%lld", plan->run_id);
    snprintf(w.lock_key, sizeof w.lock_key, "%d", (int)DB_LOCK_SOURCE);
    known_sources(plan->cfg, &w.names, &w.digests);
    if (!plan->coordinator)
        say_unlike(db, &w);
    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.cond, NULL);
    gethostname(host, sizeof host - 1);
    for (int i = 0; i < n; i++) {
        k[i].w = &w;
        snprintf(k[i].owner, sizeof k[i].owner, "%s:%ld/%d", host, (long)getpid(), i + 1);
        pthread_mutex_lock(&w.lock);
        w.running++;
        pthread_mutex_unlock(&w.lock);
        if (pthread_create(&k[i].thread, NULL, worker_main, &k[i]) != 0) {
            pthread_mutex_lock(&w.lock);
            w.running--;
            pthread_mutex_unlock(&w.lock);
            log_error("unable to start worker %d of %d: %m", i + 1, n);
            break;
        }
        w.started++;
    }
    if (w.started > 0)
        watch(db, &w);
    for (int i = 0; i < w.started; i++)
        pthread_join(k[i].thread, NULL);
    if (w.started == 0)
        err_set(err, "unable to start a worker thread");
    else if (w.error[0] != '\0')
        err_set(err, "%s", w.error);
    pthread_cond_destroy(&w.cond);
    pthread_mutex_destroy(&w.lock);
    buf_free(&w.names);
    buf_free(&w.digests);
    free(k);
    return w.started == 0 ? -1 : w.took_run_lock;
}

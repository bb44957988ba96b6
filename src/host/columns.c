/*
 * columns.c — the columns of fields a reload declares, added off the
 * face's thread (see host_internal.h).
 *
 * DESIGN: a reload that declares a new field adds its column to
 * kasparro.records so that the HTTP API and the listings answer it before
 * the first run loads it. That is an ALTER TABLE: it waits for every
 * transaction using the table (a run's batch, a long report, a pg_dump)
 * and, queued, holds up every reader that comes after it; its connect
 * alone may take connect_timeout. Done on the face's thread, as it was,
 * the daemon served no signal and no notification meanwhile — a SIGTERM
 * waited as long as the report did. So one thread of the host does it,
 * with the newest configuration posted to it. Each attempt waits for the
 * table at most COLUMNS_LOCK_TIMEOUT, so readers queued behind it wait no
 * longer; a busy table is tried again every COLUMNS_RETRY_S (said once in
 * the log) until the columns are there — a reader asking for the new field
 * meanwhile is told the column does not exist — or a run added them (every
 * run does, before it loads). A daemon whose own try at start found the
 * table busy hands it here too (host_options.columns_busy), to be tried
 * again after the pause. host_stop cancels the statement at the
 * server (db_watch) and joins the thread, which only a connect in
 * progress (connect_timeout) can delay.
 *
 * In the daemon, which serves GET /data?q=, the same thread then brings
 * the index that search reads in step with the configuration's record
 * label (label_index.c): at the start and at every reload, since a reload
 * may name another label without a new field. Building it is not retried
 * on failure: the next start or reload tries again. The console serves no
 * /data and builds none: a CREATE INDEX CONCURRENTLY waits for every older
 * transaction, and it would hold a session open as long.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "kasparro/clock.h"
#include "kasparro/host_internal.h"
#include "kasparro/loader.h"
#include "kasparro/log.h"

#define COLUMNS_RETRY_S 15.0

static void label_index(struct host_columns *c, struct db *db, const struct config *cfg,
                        const char *who)
{
    struct err err = {0};

    if (label_index_sync(db, cfg, who, &err) < 0 && !atomic_load(&c->stopping))
        log_warn("%s: the index of the records' labels is not built, so GET /data?q= reads "
                 "every record until a start or a reload builds it: %s", who, err.msg);
}

/* One attempt (schema_add_columns waits 2 s at most for the table); false
 * when it must be tried again (`said`: its first failure is logged
 * already). `index_only`: the face's start found the columns there, only
 * the label index is brought in step, and a database away is the face's
 * to report. */
static bool add_columns(struct host_columns *c, const struct config *cfg, const char *who,
                        bool *said, bool index_only)
{
    struct err err = {0};
    struct db *db = db_open(&err);
    bool done = true;

    if (db != NULL)
        db_watch(db, &c->stopping);
    if (index_only) {
        if (db != NULL && c->label_index)
            label_index(c, db, cfg, who);
        db_close(db);
        return true;
    }
    if (db == NULL || schema_add_columns(db, cfg, &err) < 0) {
        done = atomic_load(&c->stopping); /* else the stop cancelled it */
        if (!done && !*said) {
            log_warn("%s: the columns of the new fields are not added yet, trying again "
                     "every %.0fs (a run adds them too); they read as null until then: %s",
                     who, COLUMNS_RETRY_S, err.msg);
            if (db != NULL) /* one warning: their readers do not say it again */
                db_fields_pending_said(db, cfg);
        }
        *said = true;
    } else {
        log_info("%s: kasparro.records has a column for every field of [schema]", who);
        if (c->label_index)
            label_index(c, db, cfg, who);
    }
    db_close(db);
    return done;
}

/* Waits COLUMNS_RETRY_S, or until a newer configuration or the stop. */
static void pause_locked(struct host_columns *c)
{
    struct timespec ts;

    clock_deadline(CLOCK_MONOTONIC, COLUMNS_RETRY_S, &ts);
    while (c->pending == NULL && !atomic_load(&c->stopping))
        if (pthread_cond_timedwait(&c->cond, &c->lock, &ts) == ETIMEDOUT)
            break;
}

static void *columns_main(void *arg)
{
    struct host_columns *c = arg;
    struct config *cfg = NULL; /* kept while it must be tried again */
    const char *who = "reload";
    bool said = false, index_only = false;

    pthread_mutex_lock(&c->lock);
    for (;;) {
        if (cfg != NULL)
            pause_locked(c);
        if (c->pending != NULL) { /* a newer one supersedes it */
            config_free(cfg);
            cfg = c->pending;
            c->pending = NULL;
            who = c->who;
            index_only = c->index_only;
            said = c->later; /* whoever tried it first said so */
            if (c->later) {
                c->later = false;
                continue; /* to the pause */
            }
        }
        if (cfg == NULL || atomic_load(&c->stopping))
            break;
        pthread_mutex_unlock(&c->lock);
        if (add_columns(c, cfg, who, &said, index_only)) {
            config_free(cfg);
            cfg = NULL;
        }
        pthread_mutex_lock(&c->lock);
    }
    config_free(cfg);
    c->running = false; /* from here on the thread takes nothing more */
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

void columns_init(struct host_columns *c, bool label_index)
{
    pthread_condattr_t attr;

    pthread_mutex_init(&c->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&c->cond, &attr);
    pthread_condattr_destroy(&attr);
    c->pending = NULL;
    c->later = c->index_only = false;
    c->label_index = label_index;
    c->who = "reload";
    c->running = c->joinable = false;
    atomic_init(&c->stopping, false);
}

void columns_post(struct host_columns *c, struct config *cfg, bool later, bool index_only,
                  const char *who)
{
    pthread_mutex_lock(&c->lock);
    config_free(c->pending); /* a newer one supersedes it */
    c->pending = config_ref(cfg);
    c->later = later;
    c->index_only = index_only;
    c->who = who;
    pthread_cond_signal(&c->cond);
    if (!c->running) {
        if (c->joinable) /* it has returned or is returning: no wait */
            pthread_join(c->thread, NULL);
        c->running = c->joinable = pthread_create(&c->thread, NULL, columns_main, c) == 0;
        if (!c->running) {
            log_warn("%s: the columns of the new fields are not added yet; the next run adds "
                     "them: unable to start a thread: %m", who);
            config_free(c->pending);
            c->pending = NULL;
        }
    }
    pthread_mutex_unlock(&c->lock);
}

void columns_stop(struct host_columns *c)
{
    atomic_store(&c->stopping, true); /* cancels its statement at the server */
    pthread_mutex_lock(&c->lock);
    config_free(c->pending);
    c->pending = NULL;
    pthread_cond_signal(&c->cond);
    pthread_mutex_unlock(&c->lock);
    if (c->joinable)
        pthread_join(c->thread, NULL);
    c->joinable = false;
    pthread_cond_destroy(&c->cond);
    pthread_mutex_destroy(&c->lock);
}

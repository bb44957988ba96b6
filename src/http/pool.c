/*
 * pool.c — the HTTP server's PostgreSQL connections. A request thread
 * takes an idle connection or opens one (db_connect: the face has already
 * started the private cluster and migrated), and gives it back when the
 * request ends; a connection that broke is closed instead, so the next
 * request reconnects; an idle one the server closed meanwhile (a restart,
 * a failover, pg_terminate_backend) is seen before it is handed out, and
 * replaced. Each server thread holds at most one connection, so
 * the pool never keeps more than the server has threads. The connections
 * requests hold are listed too: a stop whose requests outlast its drain
 * cancels their statements (pool_cancel_busy), so a query waiting on a lock
 * for ever does not keep the daemon from stopping.
 */
#include <stdlib.h>

#include "httpd-private.h"
#include "kasparro/log.h"

void pool_init(struct http_pool *p, int cap)
{
    pthread_mutex_init(&p->lock, NULL);
    p->cap = cap;
    p->idle = xcalloc((size_t)cap, sizeof *p->idle);
    p->busy_cap = cap > 0 ? cap : 1;
    p->busy = xcalloc((size_t)p->busy_cap, sizeof *p->busy);
}

/* Under the lock: `db` is taken by a request, or (busy false) no more. */
static void mark_busy(struct http_pool *p, struct db *db, bool busy)
{
    if (busy) {
        if (p->nbusy == p->busy_cap) /* the scrape's connection, beside the threads' */
            p->busy = xrealloc(p->busy, (size_t)(p->busy_cap *= 2) * sizeof *p->busy);
        p->busy[p->nbusy++] = db;
        return;
    }
    for (int i = 0; i < p->nbusy; i++)
        if (p->busy[i] == db) {
            p->busy[i] = p->busy[--p->nbusy];
            return;
        }
}

struct db *pool_get(struct http_pool *p, struct err *err)
{
    struct db_target t;
    struct db *db = NULL;

    for (;;) {
        pthread_mutex_lock(&p->lock);
        if (p->nidle > 0)
            mark_busy(p, db = p->idle[--p->nidle], true);
        pthread_mutex_unlock(&p->lock);
        if (db == NULL || db_idle_ok(db))
            break;
        /* the server ended it while it sat idle (a restart, a failover):
         * every idle one answered its next request 503 "connection lost"
         * once the database was back */
        pthread_mutex_lock(&p->lock);
        mark_busy(p, db, false);
        pthread_mutex_unlock(&p->lock);
        db_close(db);
        db = NULL;
    }
    if (db != NULL)
        return db;
    if (db_target_resolve(&t, err) < 0)
        return NULL;
    db = db_connect(&t, err);
    db_target_free(&t);
    /* to_json renders timestamps in the session's zone: always UTC. A
     * request keeps the bounds the DBA set for interactive clients. */
    if (db != NULL && (db_run(db, err, "SET TIME ZONE 'UTC'", 0, NULL) < 0 ||
                       db_session_interactive(db, err) < 0)) {
        db_close(db);
        return NULL;
    }
    if (db != NULL) {
        pthread_mutex_lock(&p->lock);
        mark_busy(p, db, true);
        pthread_mutex_unlock(&p->lock);
    }
    return db;
}

void pool_put(struct http_pool *p, struct db *db)
{
    pthread_mutex_lock(&p->lock);
    mark_busy(p, db, false);
    if (PQstatus(db->conn) != CONNECTION_OK || PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
        pthread_mutex_unlock(&p->lock);
        db_close(db);
        return;
    }
    if (p->nidle < p->cap) {
        p->idle[p->nidle++] = db;
        db = NULL;
    }
    pthread_mutex_unlock(&p->lock);
    if (db != NULL)
        db_close(db);
}

/* Under the lock, so no connection is closed while its cancel is sent; a
 * cancel that finds its connection idle is dropped by the server. */
int pool_cancel_busy(struct http_pool *p)
{
    int n = 0;

    pthread_mutex_lock(&p->lock);
    for (int i = 0; i < p->nbusy; i++) {
        char why[256];
        PGcancel *c = PQgetCancel(p->busy[i]->conn);
        if (c != NULL && PQcancel(c, why, sizeof why))
            n++;
        else
            log_warn("http: stopping: a request's query could not be cancelled: %s",
                     c ? why : "no connection");
        PQfreeCancel(c);
    }
    pthread_mutex_unlock(&p->lock);
    return n;
}

void pool_destroy(struct http_pool *p)
{
    for (int i = 0; i < p->nidle; i++)
        db_close(p->idle[i]);
    free(p->idle);
    free(p->busy);
    p->idle = NULL;
    p->busy = NULL;
    p->nidle = 0;
    pthread_mutex_destroy(&p->lock);
}

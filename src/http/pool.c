/*
 * pool.c — the HTTP server's PostgreSQL connections. A request thread
 * takes an idle connection or opens one (db_connect: the face has already
 * started the private cluster and migrated), and gives it back when the
 * request ends; a connection that broke is closed instead, so the next
 * request reconnects. Each server thread holds at most one connection, so
 * the pool never keeps more than the server has threads.
 */
#include <stdlib.h>

#include "httpd-private.h"

void pool_init(struct http_pool *p, int cap)
{
    pthread_mutex_init(&p->lock, NULL);
    p->cap = cap;
    p->idle = xcalloc((size_t)cap, sizeof *p->idle);
}

struct db *pool_get(struct http_pool *p, struct err *err)
{
    struct db_target t;
    struct db *db = NULL;

    pthread_mutex_lock(&p->lock);
    if (p->nidle > 0)
        db = p->idle[--p->nidle];
    pthread_mutex_unlock(&p->lock);
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
    return db;
}

void pool_put(struct http_pool *p, struct db *db)
{
    if (PQstatus(db->conn) != CONNECTION_OK || PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
        db_close(db);
        return;
    }
    pthread_mutex_lock(&p->lock);
    if (p->nidle < p->cap) {
        p->idle[p->nidle++] = db;
        db = NULL;
    }
    pthread_mutex_unlock(&p->lock);
    if (db != NULL)
        db_close(db);
}

void pool_destroy(struct http_pool *p)
{
    for (int i = 0; i < p->nidle; i++)
        db_close(p->idle[i]);
    free(p->idle);
    p->idle = NULL;
    p->nidle = 0;
    pthread_mutex_destroy(&p->lock);
}

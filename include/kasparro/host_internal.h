/*
 * host_internal.h — what the host's own files share (src/host/).
 */
#ifndef KASPARRO_HOST_INTERNAL_H
#define KASPARRO_HOST_INTERNAL_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdbool.h>

#include "kasparro/db.h"
#include "kasparro/host.h"

/* ---- signals.c: SIGTERM, SIGINT, SIGHUP through a self-pipe ---------- */

enum host_signal { HOST_SIG_STOP = 1 << 0, HOST_SIG_HANGUP = 1 << 1 };
/* Installs the handlers; the returned descriptor becomes readable when a
 * signal arrived. -1 with err. */
int signals_begin(struct err *err);
/* Drains the pipe and returns the signals that arrived (enum host_signal). */
int signals_take(void);
extern atomic_bool signals_stopping; /* set by SIGTERM and SIGINT */
void signals_end(void);

/* ---- listen.c: the LISTEN kasparro connection ------------------------- */

enum listen_state { LISTEN_DOWN, LISTEN_CONNECTING, LISTEN_UP };
enum listen_event {
    LISTEN_NOTIFIED = 1,
    LISTEN_CAME_UP = 2,
    LISTEN_WENT_DOWN = 4,
    LISTEN_SCHED = 8, /* a notification about the schedule (payload "sched...") */
    LISTEN_WORK = 16, /* a run has sources to take (payload "work:RUN") */
};

struct listen {
    struct db_target target;
    PGconn *conn;
    enum listen_state state;
    bool ever_up;
    bool writing;    /* PQconnectPoll asked to wait for writability */
    double retry_at; /* clock_mono() of the next attempt when down */
    double backoff;
    bool stopped;    /* down because the private cluster is not running */
    char error[256];
};
void listen_init(struct listen *l, const struct db_target *t);
/* The socket to poll and the events, or -1 when there is none now. */
int listen_fd(const struct listen *l, short *events);
/* Seconds until listen_service wants to run without an event; -1: never. */
double listen_timeout(const struct listen *l, double now);
/* Drives connecting, reads notifications, notices loss; enum listen_event. */
int listen_service(struct listen *l, short revents, double now);
void listen_close(struct listen *l);

/* ---- columns.c: a reload's new fields get their columns off the face's
 * thread ----------------------------------------------------------------- */

struct host_columns {
    pthread_mutex_t lock;
    pthread_cond_t cond; /* a newer configuration, or the stop */
    pthread_t thread;
    struct config *pending; /* the newest configuration not yet applied */
    bool later;             /* ... tried once already (the face's start): pause first */
    bool index_only;        /* ... has its columns: only the label index (label_index.c) */
    const char *who;        /* "reload", "start": its log lines' prefix */
    bool running;           /* the thread takes what is posted */
    bool joinable;          /* a thread was started and not joined yet */
    atomic_bool stopping;   /* columns_stop: its statement is cancelled */
    bool label_index;       /* the face serves /data?q=: keep its index (label_index.c) */
};
void columns_init(struct host_columns *c, bool label_index);
/* Adds cfg's missing columns on the host's columns thread (started when
 * none is running); returns at once. `later`: a first try failed and was
 * logged already, so the thread begins with its pause; `who` prefixes its
 * log lines; `index_only`: the columns are there, only the label index is
 * brought in step (label_index.c). */
void columns_post(struct host_columns *c, struct config *cfg, bool later, bool index_only,
                  const char *who);
/* Drops what was not started and waits for the thread. */
void columns_stop(struct host_columns *c);

/* ---- label_index.c: the index GET /data?q= reads ------------------------ */

/* On the columns thread, once the columns are there: builds the index of
 * cfg's record label (CONCURRENTLY) unless it is there, then drops the
 * others and any invalid leftover. 0 also when there is nothing to build
 * (no pg_trgm) or another process is building; -1 with err. */
int label_index_sync(struct db *db, const struct config *cfg, const char *who,
                     struct err *err);

#endif

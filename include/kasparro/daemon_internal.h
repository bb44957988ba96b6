/*
 * daemon_internal.h — what the daemon's own files share (src/daemon/).
 */
#ifndef KASPARRO_DAEMON_INTERNAL_H
#define KASPARRO_DAEMON_INTERNAL_H

#include <stdatomic.h>

#include "kasparro/daemon.h"
#include "kasparro/db.h"

/* Set by SIGTERM/SIGINT; also the cancel flag of a --once run. */
extern atomic_bool daemon_stopping;
int daemon_signals_init(struct err *err);
int daemon_signals_fd(void);
/* Drains the pipe: 'T' stop, 'H' reload, 0 nothing. */
char daemon_signals_read(void);
void daemon_signals_close(void);

/* The LISTEN connection, reconnected when it drops. */
struct daemon_listen {
    struct db *db;
    double retry_at; /* clock_mono() of the next reconnect attempt */
    bool lost;       /* it was connected and dropped: say when it is back */
};
/* -1 when not connected (then poll with a timeout and call reconnect). */
int daemon_listen_fd(const struct daemon_listen *l);
/* Connects (or reconnects) and LISTENs; true when connected. */
bool daemon_listen_connect(struct daemon_listen *l);
/* Reads notifications; true when one concerns the scheduler. */
bool daemon_listen_read(struct daemon_listen *l);
void daemon_listen_close(struct daemon_listen *l);

#endif

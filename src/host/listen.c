/*
 * listen.c — the host's LISTEN kasparro connection.
 *
 * Other processes (a shell command, the daemon, a console) NOTIFY channel
 * 'kasparro' after each commit others should see; this connection hears
 * them, so the scheduler is kicked at once and the face can reload what it
 * shows. It belongs to the face's poll loop and never blocks it: the
 * connection is made with PQconnectStart and driven by PQconnectPoll, then
 * the socket is read with PQconsumeInput. The socket can change on every
 * reconnect, so the loop asks listen_fd() again on every turn.
 *
 * The connection is also the host's sense of the database being there:
 * when it drops, a new attempt follows with a growing pause (0.5 s up to
 * 5 s). Notifications sent while it was down are lost, so coming back up
 * means a full reload (LISTEN_CAME_UP). Server notices go to the log
 * (db_connect_start), never raw to a terminal.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "kasparro/cluster.h"
#include "kasparro/host_internal.h"
#include "kasparro/log.h"

#define LISTEN_CONNECT_TIMEOUT 10.0
#define LISTEN_BACKOFF_MIN 0.5
#define LISTEN_BACKOFF_MAX 5.0

static const char *sql_listen = "LISTEN kasparro";

void listen_init(struct listen *l, const struct db_target *t)
{
    memset(l, 0, sizeof *l);
    l->target = *t;
    l->state = LISTEN_DOWN;
    l->backoff = LISTEN_BACKOFF_MIN;
}

static void set_error(struct listen *l, const char *what)
{
    const char *msg = l->conn ? PQerrorMessage(l->conn) : "";
    int line = (int)strcspn(msg, "\n"); /* libpq's first line */

    err_format(l->error, sizeof l->error, "%s%s%.*s", what, *msg ? ": " : "", line, msg);
}

/* Gives up on the connection; returns LISTEN_WENT_DOWN if it was up. The
 * next attempts only connect: a private cluster the operator stopped is
 * noted as such (and stays stopped), never started again from here. */
static int go_down(struct listen *l, double now)
{
    int ev = l->state == LISTEN_UP ? LISTEN_WENT_DOWN : 0;
    struct cluster_status st;

    l->stopped = l->target.private_cluster && cluster_status(&st, NULL) == 0 && !st.running;
    if (l->stopped)
        err_format(l->error, sizeof l->error, "the private database in '%s' is stopped", st.dir);

    if (ev)
        log_warn("database connection lost: %s", l->error);
    if (l->conn != NULL)
        PQfinish(l->conn);
    l->conn = NULL;
    l->state = LISTEN_DOWN;
    l->retry_at = now + l->backoff;
    l->backoff = l->backoff * 2 > LISTEN_BACKOFF_MAX ? LISTEN_BACKOFF_MAX : l->backoff * 2;
    return ev;
}

static int start_connect(struct listen *l, double now)
{
    l->conn = db_connect_start(&l->target);
    if (PQstatus(l->conn) == CONNECTION_BAD) {
        set_error(l, "unable to connect");
        return go_down(l, now);
    }
    l->state = LISTEN_CONNECTING;
    l->writing = true; /* libpq: behave as if PQconnectPoll had said WRITING */
    l->retry_at = now + LISTEN_CONNECT_TIMEOUT;
    return 0;
}

static int connected(struct listen *l)
{
    const char *setup = db_session_setup(l->conn);
    char sql[256];

    snprintf(sql, sizeof sql, "%s%s%s", setup ? setup : "", setup ? "; " : "", sql_listen);
    PQsetnonblocking(l->conn, 1);
    if (!PQsendQuery(l->conn, sql)) {
        set_error(l, "unable to listen");
        return -1;
    }
    l->writing = PQflush(l->conn) == 1;
    l->state = LISTEN_UP;
    l->backoff = LISTEN_BACKOFF_MIN;
    l->stopped = false;
    l->error[0] = '\0';
    if (l->ever_up)
        log_info("database connection back");
    l->ever_up = true;
    return LISTEN_CAME_UP;
}

static int poll_connect(struct listen *l, double now)
{
    switch (PQconnectPoll(l->conn)) {
    case PGRES_POLLING_READING:
        l->writing = false;
        return 0;
    case PGRES_POLLING_WRITING:
        l->writing = true;
        return 0;
    case PGRES_POLLING_OK: {
        int ev = connected(l);
        return ev < 0 ? go_down(l, now) : ev;
    }
    default:
        set_error(l, "unable to connect");
        return go_down(l, now);
    }
}

static int read_notifications(struct listen *l, double now)
{
    PGnotify *n;
    PGresult *r;
    int ev = 0;

    if (l->writing)
        l->writing = PQflush(l->conn) == 1;
    if (!PQconsumeInput(l->conn)) {
        set_error(l, "connection lost");
        return go_down(l, now);
    }
    while (!PQisBusy(l->conn) && (r = PQgetResult(l->conn)) != NULL)
        PQclear(r); /* the LISTEN's own result */
    while ((n = PQnotifies(l->conn)) != NULL) {
        ev |= LISTEN_NOTIFIED;
        if (strncmp(n->extra, "sched", 5) == 0)
            ev |= LISTEN_SCHED;
        if (strncmp(n->extra, "work:", 5) == 0)
            ev |= LISTEN_WORK;
        PQfreemem(n);
    }
    if (PQstatus(l->conn) == CONNECTION_BAD) {
        set_error(l, "connection lost");
        return ev | go_down(l, now);
    }
    return ev;
}

int listen_fd(const struct listen *l, short *events)
{
    if (l->conn == NULL || l->state == LISTEN_DOWN)
        return -1;
    *events = (short)(l->writing ? POLLOUT : POLLIN);
    return PQsocket(l->conn);
}

double listen_timeout(const struct listen *l, double now)
{
    if (l->state == LISTEN_UP)
        return -1;
    return l->retry_at > now ? l->retry_at - now : 0;
}

int listen_service(struct listen *l, short revents, double now)
{
    switch (l->state) {
    case LISTEN_DOWN:
        return now >= l->retry_at ? start_connect(l, now) : 0;
    case LISTEN_CONNECTING:
        if (revents != 0)
            return poll_connect(l, now);
        if (now >= l->retry_at) {
            snprintf(l->error, sizeof l->error, "no answer after %.0f seconds",
                     LISTEN_CONNECT_TIMEOUT);
            return go_down(l, now);
        }
        return 0;
    case LISTEN_UP:
        return revents != 0 ? read_notifications(l, now) : 0;
    }
    return 0;
}

void listen_close(struct listen *l)
{
    if (l->conn != NULL)
        PQfinish(l->conn);
    l->conn = NULL;
    l->state = LISTEN_DOWN;
    db_target_free(&l->target);
}

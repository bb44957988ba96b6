/*
 * listen.c — the daemon's LISTEN connection: notifications from other
 * processes that concern the scheduler ("sched:..." payloads) wake its
 * thread at once instead of at its next periodic look. When the connection
 * drops (the database restarted), it is retried every few seconds; the
 * scheduler's own connection recovers by itself.
 */
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/daemon_internal.h"
#include "kasparro/log.h"

#define LISTEN_RETRY 5.0

int daemon_listen_fd(const struct daemon_listen *l) { return l->db ? PQsocket(l->db->conn) : -1; }

bool daemon_listen_connect(struct daemon_listen *l)
{
    struct db_target t;
    struct err err = {0};

    if (l->db != NULL)
        return true;
    if (clock_mono() < l->retry_at)
        return false;
    l->retry_at = clock_mono() + LISTEN_RETRY;
    if (db_target_resolve(&t, &err) < 0)
        return false;
    l->db = db_connect(&t, &err);
    db_target_free(&t);
    if (l->db != NULL && db_run(l->db, &err, "LISTEN kasparro", 0, NULL) < 0) {
        db_close(l->db);
        l->db = NULL;
    }
    if (l->db == NULL)
        log_debug("daemon: LISTEN connection: %s", err.msg);
    else if (l->lost)
        log_info("daemon: LISTEN connection back");
    l->lost = l->db == NULL && l->lost;
    return l->db != NULL;
}

bool daemon_listen_read(struct daemon_listen *l)
{
    PGnotify *n;
    bool sched = false;

    if (l->db == NULL)
        return false;
    if (!PQconsumeInput(l->db->conn)) {
        log_warn("daemon: LISTEN connection lost; retrying every %.0fs", LISTEN_RETRY);
        daemon_listen_close(l);
        l->lost = true;
        l->retry_at = clock_mono() + LISTEN_RETRY;
        return true; /* let the scheduler look for itself */
    }
    while ((n = PQnotifies(l->db->conn)) != NULL) {
        sched |= strncmp(n->extra, "sched", 5) == 0;
        PQfreemem(n);
    }
    return sched;
}

void daemon_listen_close(struct daemon_listen *l)
{
    db_close(l->db);
    l->db = NULL;
}

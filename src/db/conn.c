/*
 * conn.c — connecting and running statements (see db.h).
 *
 * All SQL goes through db_exec with numbered parameters: values are never
 * spliced into statements. Errors are turned into one line naming the
 * server's primary message (and detail, when it helps) and keep its
 * SQLSTATE in err->sqlstate, and a lost connection is reported with EXIT_DB
 * so the caller can say "database unreachable" rather than "query failed".
 */
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/cluster.h"
#include "kasparro/db.h"
#include "kasparro/log.h"

static void notice_to_log(void *arg, const char *message)
{
    char *copy = xstrdup(message);
    size_t len = strlen(copy);

    (void)arg;
    while (len > 0 && (copy[len - 1] == '\n' || copy[len - 1] == ' '))
        copy[--len] = '\0';
    log_debug("database notice: %s", copy);
    free(copy);
}

static void set_sqlstate(struct err *err, const char *state)
{
    if (err != NULL)
        snprintf(err->sqlstate, sizeof err->sqlstate, "%s", state);
}

static const char *const connect_keys[] = {
    "dbname", "application_name", "connect_timeout", "keepalives", "keepalives_idle",
    "keepalives_interval", "keepalives_count", NULL};
#define CONNECT_VALUES(t) {(t)->conninfo, "kasparro", "10", "1", "30", "10", "3", NULL}

/* kasparro's sessions are long-lived and idle by design: the run lock is a
 * session advisory lock on a connection that runs nothing while the run
 * loads, and LISTEN, the scheduler and the HTTP pool wait between events.
 * A server's idle_session_timeout (PostgreSQL 14 and later) ends them, and
 * a run lock ended mid-run let a second run start beside the first and call
 * it abandoned. Each session turns the timeout off for itself.
 * The bounds a database or role sets for interactive clients fail batch
 * work half-way: statement_timeout a large COPY or the orphan check,
 * lock_timeout a batch waiting its turn behind another writer,
 * idle_in_transaction_session_timeout a matching pass that holds its
 * transaction while it computes. They are off too; the HTTP API's sessions
 * take the statement and lock bounds back (db_session_interactive). */
#define SESSION_BATCH "SET statement_timeout = 0; SET lock_timeout = 0; " \
    "SET idle_in_transaction_session_timeout = 0"

const char *db_session_setup(const PGconn *conn)
{
    return PQserverVersion(conn) >= 140000 ? SESSION_BATCH "; SET idle_session_timeout = 0"
                                           : SESSION_BATCH;
}

int db_session_interactive(struct db *db, struct err *err)
{
    static const char *const sql[] = {"RESET statement_timeout", "RESET lock_timeout"};
    PGresult *r;

    for (size_t i = 0; i < ARRAY_SIZE(sql); i++)
        if (db_run(db, err, sql[i], 0, NULL) < 0)
            return -1;
    r = db_exec(db, err, "SELECT setting::bigint FROM pg_settings WHERE name = "
                "'statement_timeout'", 0, NULL); /* in milliseconds */
    if (r == NULL)
        return -1;
    db->statement_timeout_ms = PQntuples(r) == 1 ? db_ll(r, 0, 0) : 0;
    PQclear(r);
    return 0;
}

/* Runs db_session_setup's statement on a fresh connection; -1 with err. */
static int setup_session(PGconn *conn, const char *display, struct err *err)
{
    const char *sql = db_session_setup(conn);
    PGresult *r;
    int rc = 0;

    if (sql == NULL)
        return 0;
    r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        rc = err_code(err, EXIT_DB, "database '%s': %s: %s", display, sql,
                      PQresultErrorMessage(r));
        if (err != NULL)
            err->msg[strcspn(err->msg, "\n")] = '\0';
    }
    PQclear(r);
    return rc;
}

PGconn *db_connect_start(const struct db_target *t)
{
    const char *vals[] = CONNECT_VALUES(t);
    PGconn *conn = PQconnectStartParams(connect_keys, vals, 1);

    if (conn == NULL)
        fatal("out of memory connecting to the database");
    PQsetNoticeProcessor(conn, notice_to_log, NULL);
    return conn;
}

struct db *db_connect(const struct db_target *t, struct err *err)
{
    const char *vals[] = CONNECT_VALUES(t);
    PGconn *conn = PQconnectdbParams(connect_keys, vals, 1);
    struct db *db;

    if (conn == NULL)
        fatal("out of memory connecting to the database");
    if (PQstatus(conn) != CONNECTION_OK) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(conn));
        msg[strcspn(msg, "\n")] = '\0';
        PQfinish(conn);
        err_code(err, EXIT_DB, "database '%s' is unreachable: %s", t->display, msg);
        set_sqlstate(err, SQLSTATE_CONNECTION_UNABLE);
        return NULL;
    }
    if (setup_session(conn, t->display, err) < 0) {
        PQfinish(conn);
        return NULL;
    }
    PQsetNoticeProcessor(conn, notice_to_log, NULL);
    db = xcalloc(1, sizeof *db);
    db->conn = conn;
    db->display = xstrdup(t->display);
    return db;
}

int db_start_once(struct err *err)
{
    static atomic_bool done;
    struct db_target t;
    int rc = 0;

    if (atomic_exchange(&done, true))
        return 0;
    if (db_target_resolve(&t, err) < 0)
        return -1;
    if (t.private_cluster)
        rc = cluster_start(err);
    db_target_free(&t);
    return rc;
}

/* The private cluster is not running: say so, and how to start it, rather
 * than libpq's "No such file or directory" on its socket. */
static void explain_stopped(const struct db_target *t, struct err *err)
{
    struct cluster_status st;

    if (!t->private_cluster || cluster_status(&st, NULL) < 0 || st.running)
        return;
    if (!st.initialised)
        err_code(err, EXIT_DB, "there is no private database in '%s' yet; 'kasparro db start' "
                 "creates and starts it", st.dir);
    else
        err_code(err, EXIT_DB, "the private database in '%s' is stopped; 'kasparro db start' "
                 "starts it", st.dir);
}

struct db *db_open(struct err *err)
{
    struct db_target t;
    struct db *db;

    if (db_target_resolve(&t, err) < 0)
        return NULL;
    db = db_connect(&t, err);
    if (db == NULL)
        explain_stopped(&t, err);
    db_target_free(&t);
    if (db != NULL && db_migrate(db, err) < 0) {
        db_close(db);
        return NULL;
    }
    return db;
}

void db_close(struct db *db)
{
    if (db == NULL)
        return;
    db_unwatch(db);
    PQfinish(db->conn);
    free(db->display);
    strmap_free(&db->columns, NULL);
    free(db);
}

bool db_alive(struct db *db)
{
    if (PQstatus(db->conn) == CONNECTION_OK)
        return true;
    PQreset(db->conn);
    if (PQstatus(db->conn) != CONNECTION_OK || setup_session(db->conn, db->display, NULL) < 0)
        return false;
    PQsetNoticeProcessor(db->conn, notice_to_log, NULL);
    return true;
}

bool db_idle_ok(struct db *db)
{
    struct pollfd p = {PQsocket(db->conn), POLLIN, 0};

    /* libpq's socket never blocks a read: each PQconsumeInput takes what is
     * there. A server that ends the session sends its FATAL (which goes to
     * the log as a notice) and then closes: the end of the stream shows on
     * the read after the one that took the message. A few rounds see both;
     * an idle session gets nothing else but the odd notice. */
    for (int round = 0; round < 4; round++) {
        if (PQstatus(db->conn) != CONNECTION_OK || p.fd < 0)
            return false;
        if (poll(&p, 1, 0) <= 0)
            return true; /* nothing (more) was said while it sat idle */
        if (!PQconsumeInput(db->conn))
            return false;
    }
    return PQstatus(db->conn) == CONNECTION_OK;
}

const char *db_sqlstate(const PGresult *res)
{
    const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return s ? s : "";
}

/* 57014 is the SQL state of both a statement_timeout and a cancel request
 * (an administrator's pg_cancel_backend, a client's PQcancel), and the
 * message, which tells them apart, is in the server's language. What does
 * not depend on it: kasparro's batch sessions run with no statement_timeout
 * (db_session_setup), so there it can only be a request; where one is in
 * force, a statement cancelled sooner than it could have been ended by it
 * was a request too (the server's clock for it starts after ours). The
 * server's words follow, for whoever reads them. */
static int cancelled(struct db *db, const char *primary, struct err *err)
{
    double ms = db->sent > 0 ? (clock_mono() - db->sent) * 1000 : -1;

    if (db->statement_timeout_ms > 0 && (ms < 0 || ms >= (double)db->statement_timeout_ms)) {
        err_set(err, "database: the statement ran into the session's statement_timeout "
                "(%lld ms, the database's or role's): %s", db->statement_timeout_ms, primary);
        if (err != NULL)
            err->timed_out = true;
        return -1;
    }
    return err_set(err, "database: the statement was cancelled at another session's request "
                   "(pg_cancel_backend, or a client's cancel), not by kasparro: %s", primary);
}

int db_error(struct db *db, const PGresult *res, struct err *err)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;

    if (PQstatus(db->conn) != CONNECTION_OK) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(db->conn));
        msg[strcspn(msg, "\n")] = '\0';
        err_code(err, EXIT_DB, "database '%s' connection lost: %s", db->display, msg);
        set_sqlstate(err, SQLSTATE_CONNECTION_FAILURE);
        return -1;
    }
    set_sqlstate(err, db_sqlstate(res));
    if (primary != NULL && strcmp(db_sqlstate(res), SQLSTATE_QUERY_CANCELED) == 0 &&
        !db_watch_stopping(db))
        return cancelled(db, primary, err);
    if (primary == NULL) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(db->conn));
        msg[strcspn(msg, "\n")] = '\0';
        return err_set(err, "database: %s", msg);
    }
    if (detail != NULL)
        return err_set(err, "database: %s (%s)", primary, detail);
    return err_set(err, "database: %s", primary);
}

PGresult *db_exec(struct db *db, struct err *err, const char *sql, int nparams,
                  const char *const *params)
{
    db_watch_settle(db); /* a cancel request for the last statement must not hit this one */
    db->sent = clock_mono();
    PGresult *res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);

    db_watch_idle(db);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return res;
    db_error(db, res, err);
    PQclear(res);
    return NULL;
}

int db_run(struct db *db, struct err *err, const char *sql, int nparams,
           const char *const *params)
{
    PGresult *res = db_exec(db, err, sql, nparams, params);
    if (res == NULL)
        return -1;
    PQclear(res);
    return 0;
}

int db_begin(struct db *db, struct err *err) { return db_run(db, err, "BEGIN", 0, NULL); }
int db_commit(struct db *db, struct err *err) { return db_run(db, err, "COMMIT", 0, NULL); }

int db_begin_changes(struct db *db, struct err *err)
{
    char k[32];

    snprintf(k, sizeof k, "%d", (int)DB_LOCK_CHANGES);
    if (db_begin(db, err) < 0)
        return -1;
    if (db_run(db, err, "SELECT pg_advisory_xact_lock_shared($1::int)", DB_PARAMS(k)) < 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

void db_rollback(struct db *db)
{
    PGresult *res;

    if (PQtransactionStatus(db->conn) == PQTRANS_IDLE ||
        PQtransactionStatus(db->conn) == PQTRANS_UNKNOWN)
        return;
    res = PQexec(db->conn, "ROLLBACK");
    PQclear(res);
}

long long db_ll(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

double db_double(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtod(PQgetvalue(r, row, col), NULL);
}

const char *db_str(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

bool db_bool(const PGresult *r, int row, int col)
{
    return !PQgetisnull(r, row, col) && PQgetvalue(r, row, col)[0] == 't';
}

int db_try_lock(struct db *db, enum db_lock_key key, struct err *err)
{
    char k[32];
    PGresult *r;
    int got;

    snprintf(k, sizeof k, "%d", (int)key);
    r = db_exec(db, err, "SELECT pg_try_advisory_lock($1::int)", DB_PARAMS(k));
    if (r == NULL)
        return -1;
    got = db_bool(r, 0, 0);
    PQclear(r);
    return got;
}

int db_xact_lock(struct db *db, enum db_lock_key key, struct err *err)
{
    char k[32];
    snprintf(k, sizeof k, "%d", (int)key);
    return db_run(db, err, "SELECT pg_advisory_xact_lock($1::int)", DB_PARAMS(k));
}

long long db_insert_decision(struct db *db, struct err *err, const char *sql, int nparams,
                             const char *const *params)
{
    if (db_xact_lock(db, DB_LOCK_DECISIONS, err) < 0)
        return -1;
    PGresult *r = db_exec(db, err, sql, nparams, params);
    if (r == NULL)
        return -1;
    long long id = db_ll(r, 0, 0);
    PQclear(r);
    return id;
}

int db_unlock(struct db *db, enum db_lock_key key, struct err *err)
{
    char k[32];
    snprintf(k, sizeof k, "%d", (int)key);
    return db_run(db, err, "SELECT pg_advisory_unlock($1::int)", DB_PARAMS(k));
}

char *db_quote_ident(struct db *db, const char *name)
{
    char *q = PQescapeIdentifier(db->conn, name, strlen(name)), *copy;

    if (q == NULL)
        BUG("unable to quote the identifier '%s': %s", name, PQerrorMessage(db->conn));
    copy = xstrdup(q);
    PQfreemem(q);
    return copy;
}

int db_notify(struct db *db, const char *payload, struct err *err)
{
    return db_run(db, err, "SELECT pg_notify('kasparro', $1)", DB_PARAMS(payload));
}

/*
 * db.h — PostgreSQL connections, statements, transactions, migrations and
 * advisory locks (libpq).
 *
 * Where the database is: KASPARRO_DATABASE_URL, else DATABASE_URL, else the
 * DB_HOST/DB_PORT/DB_USER/DB_PASSWORD/DB_NAME variables, else kasparro's own
 * private cluster (cluster.h). db_open() resolves that, connects, and brings
 * the schema up to date under an advisory lock, so any command can simply
 * open the database.
 *
 * The private cluster is started once per process, when the process starts
 * (db_start_once: the dispatcher for a command that needs the database, the
 * console and the daemon as they start), or by `kasparro db start` — never
 * by a reconnect. A database the operator stopped stays stopped under a
 * running console or daemon, and connecting to it fails with "the private
 * database in DIR is stopped; 'kasparro db start' starts it" (EXIT_DB). Every connection routes server
 * notices into the log (never raw to the terminal) and names itself
 * "kasparro" in pg_stat_activity. A connection failure carries EXIT_DB.
 *
 * One struct db is one PGconn: never shared between threads at once. The
 * engine, the scheduler, the console and the run lock each open their own.
 */
#ifndef KASPARRO_DB_H
#define KASPARRO_DB_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "kasparro/err.h"
#include "kasparro/strmap.h"

struct db_watch;
struct schema_field;
struct config;

struct db {
    PGconn *conn;
    char *display; /* the target, password masked, for messages */
    struct db_watch *watch; /* db_watch: cancels the statement in progress */
    struct strmap columns; /* of kasparro.records, as seen so far (fields.c) */
    long long statement_timeout_ms; /* in force on the session: 0 (batch) or, once
                                     * db_session_interactive, the database's or role's */
    double sent; /* clock_mono() when db_exec or db_stream sent the last statement */
    bool search_indexed; /* entities_search_idx is there (db_search_sync, at db_open) */
};

/* Where to connect: `conninfo` for libpq, `display` with the password masked,
 * `origin` which setting named it ("KASPARRO_DATABASE_URL", "DATABASE_URL",
 * "DB_HOST", or "private" for the private cluster). */
struct db_target {
    char *conninfo;
    char *display;
    const char *origin;
    bool private_cluster;
};

int db_target_resolve(struct db_target *t, struct err *err);
void db_target_free(struct db_target *t);
/* "postgresql://u:secret@h/db" -> "postgresql://u:***@h/db"; key=value too. */
char *db_dsn_mask(const char *dsn);

/* Brings kasparro.fold() and the entity search index in step with this
 * build (search.c); db_migrate runs it last. Sets db->search_indexed. */
int db_search_sync(struct db *db, struct err *err);
/* The record label index GET /data?q= reads (search.c): `expr` is a
 * record's label (dedup_label_sql with alias "records"); its name is a
 * digest of the expression and of the folding in the database,
 * "records_label_" and 16 hex digits, into name. 0, or -1. */
int db_label_index_name(struct db *db, const char *expr, char name[64], struct err *err);
/* 1 when the index for `expr` is there and valid, so that a search may name
 * its condition; 0 when not, -1 on error. */
int db_label_indexed(struct db *db, const char *expr, struct err *err);
/* Whether a needle has three letters or digits in a row (a letter beyond
 * ASCII counts: fold_trigrams makes it an ASCII one), which is what a
 * trigram index needs to narrow a search; a shorter one would read it
 * whole. */
bool db_search_narrows(const char *needle);
/* A regular expression (PostgreSQL's ARE) that every text whose
 * kasparro.fold() contains `folded` (fold_text'ed) matches: each of its
 * characters as a bracket of the characters that fold to it, combining
 * marks allowed between them. Testing it costs a row no translate() walk,
 * so it narrows, cheaply, a search that no index serves. It is this
 * build's table: under a newer build's functions (search.c) a title letter
 * only that build folds is missed, as a needle's is. NULL for a needle
 * that is not UTF-8. Caller frees. */
char *db_search_regex(const char *folded);
/* Resolve, connect, migrate. Never starts the private cluster. */
struct db *db_open(struct err *err);
/* Starts the private cluster when it is the target, the first time this
 * process calls it; later calls do nothing and return 0. */
int db_start_once(struct err *err);
/* A psql command line that reaches the target (no password in it), into
 * buf; "" when there is none to give. */
void db_psql_command(const struct db_target *t, char *buf, size_t len);
/* Connect only: no cluster start, no migrations. */
struct db *db_connect(const struct db_target *t, struct err *err);
/* Starts a non-blocking connection (PQconnectStartParams) with the same
 * settings as db_connect, notices routed to the log; the caller drives it
 * with PQconnectPoll. Used by the console's LISTEN connection, whose thread
 * must never wait. */
PGconn *db_connect_start(const struct db_target *t);
/* The statements every session of kasparro runs first (NULL: none for this
 * server): db_connect runs them; a db_connect_start caller sends them. They
 * turn off the server's idle, statement, lock and idle-in-transaction
 * timeouts, which would end long-lived sessions or fail batch work. */
const char *db_session_setup(const PGconn *conn);
/* A session serving interactive requests (the HTTP API) takes back the
 * database's or role's statement_timeout and lock_timeout (and notes the
 * statement_timeout, to tell it from a cancel request). */
int db_session_interactive(struct db *db, struct err *err);
void db_close(struct db *db);
/* True when the connection is usable; tries one reset when it is not. */
bool db_alive(struct db *db);
/* False when a connection that sat idle has gone meanwhile (the server
 * shut down or ended the session): checked without blocking or sending
 * anything, before a command that would otherwise fail on it with the
 * server's last words rather than why the database is not there. */
bool db_idle_ok(struct db *db);

/* Runs `sql` with text parameters. Returns the result (PQclear it) or NULL
 * with err filled ("database: MESSAGE"); NULL results in params are SQL NULL. */
PGresult *db_exec(struct db *db, struct err *err, const char *sql, int nparams,
                  const char *const *params);
/* Same, for statements whose result is not needed; 0 or -1. */
int db_run(struct db *db, struct err *err, const char *sql, int nparams,
           const char *const *params);
#define DB_PARAMS(...) (sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)), \
                       ((const char *const[]){__VA_ARGS__})

/* A timestamptz as every --json output writes a time: ISO 8601 in UTC,
 * "2026-11-28T10:00:00Z" (text tables show it as "2026-11-28 10:00:00",
 * out.h's out_time). */
#define SQL_UTC_ISO(x) "to_char((" x ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* Runs `sql` and hands `each` its rows one at a time as they arrive, as
 * objects keyed by column name (numbers and booleans typed, NULL as null;
 * `each` keeps nothing). `columns`, when not NULL, gets the column names
 * first, rows or none. Either returning -1 stops the query (its err
 * stays). 0, or -1 with err filled. */
struct db_stream_to {
    int (*columns)(const char *const *names, int n, void *arg);
    int (*each)(cJSON *row, void *arg);
    void *arg;
};
int db_stream(struct db *db, struct err *err, const char *sql, int nparams,
              const char *const *params, const struct db_stream_to *to);
/* One result row as such an object (caller frees). */
cJSON *db_row_json(const PGresult *r, int row);

/* Stopping (src/db/cancel.c): once *flag is set, the statement in progress
 * on db is cancelled at the server (PQcancel from a watcher thread), and no
 * later statement can be hit by that request: db_exec settles the watcher
 * before each statement once the flag is set. A statement begun after the
 * stop is cancelled too if it runs past a grace of seconds (db_watch_idle,
 * after it returned, says it did not). db_unwatch stops the watcher
 * (before the statements that record how a run ended). */
void db_watch(struct db *db, const atomic_bool *flag);
void db_watch_settle(struct db *db);
void db_watch_idle(struct db *db);
void db_unwatch(struct db *db);
/* True when db is watched and its flag is set: a cancel there is kasparro's. */
bool db_watch_stopping(const struct db *db);

int db_begin(struct db *db, struct err *err);
/* Begins a transaction that will change records, and so draw change_seq
 * numbers: it holds DB_LOCK_CHANGES shared until it ends, so a reader of the
 * sequence can wait for every number drawn to be committed (or not). Every
 * writer of kasparro.records begins this way. */
int db_begin_changes(struct db *db, struct err *err);
int db_commit(struct db *db, struct err *err);
void db_rollback(struct db *db);

/* Fills err from a failed result or connection, its SQLSTATE included (a
 * lost connection is SQLSTATE_CONNECTION_FAILURE, EXIT_DB); returns -1.
 * A statement cancelled (57014) other than by kasparro's own stop says
 * whether the session's statement_timeout ended it (err->timed_out) or
 * another session's cancel request did (pg_cancel_backend). */
int db_error(struct db *db, const PGresult *res, struct err *err);
/* The SQLSTATE of a failed result ("40001"), or "" */
const char *db_sqlstate(const PGresult *res);

/* The SQLSTATEs kasparro decides on (err_sqlstate in err.h). Connection
 * failures, whether libpq's or the server's, are class "08". */
#define SQLSTATE_CONNECTION "08"                  /* class: connection exception */
#define SQLSTATE_CONNECTION_UNABLE "08001"        /* could not connect */
#define SQLSTATE_CONNECTION_FAILURE "08006"       /* the connection was lost */
#define SQLSTATE_UNIQUE_VIOLATION "23505"
#define SQLSTATE_SERIALIZATION_FAILURE "40001"
#define SQLSTATE_DEADLOCK "40P01"
#define SQLSTATE_QUERY_CANCELED "57014"           /* PQcancel, statement_timeout: timed_out */
#define SQLSTATE_LOCK_NOT_AVAILABLE "55P03"       /* lock_timeout, NOWAIT */
#define SQLSTATE_UNDEFINED_COLUMN "42703"
#define SQLSTATE_ADMIN_SHUTDOWN "57P01"           /* the server is stopping */
#define SQLSTATE_DUPLICATE_DATABASE "42P04"

/* Value helpers for results: NULL-safe. */
long long db_ll(const PGresult *r, int row, int col);
double db_double(const PGresult *r, int row, int col);
const char *db_str(const PGresult *r, int row, int col); /* NULL for SQL NULL */
bool db_bool(const PGresult *r, int row, int col);
/* The cell as a member of a JSON object: a number or a string, null for
 * SQL NULL (src/db/json.c). */
struct cJSON;
void db_json_number(struct cJSON *o, const char *key, const PGresult *r, int row, int col);
void db_json_string(struct cJSON *o, const char *key, const PGresult *r, int row, int col);

/* Migrations (share/kasparro/sql/NNN_name.sql, embedded at build time). */
int db_migrate(struct db *db, struct err *err);
int db_schema_version(struct db *db, struct err *err); /* -1 on error, 0 if none */
/* Whether this kasparro can use the database's schema, without changing it:
 * 1 up to date, 0 migrations to apply (the next db_open applies them), -1
 * refused (another kasparro's migrations, explained in err) or an error.
 * *version: the highest migration applied, -1 when unknown. */
int db_schema_check(struct db *db, int *version, struct err *err);
int db_known_version(void);

/* Advisory lock keys: one namespace, documented in docs/architecture.md. */
enum db_lock_key {
    DB_LOCK_MIGRATE = 0x6b617301,
    DB_LOCK_RUN = 0x6b617302,
    DB_LOCK_SCHEDULER = 0x6b617303,
    DB_LOCK_PURGE = 0x6b617304,
    DB_LOCK_DEDUP = 0x6b617305, /* writers of entities and candidates, per transaction */
    /* with hashtext(source) as the second key: a worker's lease on a source
     * of the run (src/etl/work.c) */
    DB_LOCK_SOURCE = 0x6b617306,
    /* shared by every transaction that draws record_change_seq numbers
     * (db_begin_changes), exclusive while GET /data reads its watermark */
    DB_LOCK_CHANGES = 0x6b617307,
    /* every transaction that records an operator decision, until it ends:
     * SQL_DECISION_ID below */
    DB_LOCK_DECISIONS = 0x6b617308,
    /* whoever builds or drops the record label indexes (host/label_index.c) */
    DB_LOCK_LABEL_INDEX = 0x6b617309,
};
/* Decision ids are what operators type (`undo 12`) and read in the audit
 * trail, so they run without gaps: a sequence would leave one behind every
 * decision rolled back (approving a candidate already decided, a bulk
 * approval that settled nothing). A transaction that records a decision
 * takes DB_LOCK_DECISIONS first, then inserts with this id
 * (db_insert_decision). */
#define SQL_DECISION_ID "(SELECT coalesce(max(id), 0) + 1 FROM kasparro.decisions)"
/* Session-level try-lock on this connection: 1 taken, 0 busy, -1 error. */
int db_try_lock(struct db *db, enum db_lock_key key, struct err *err);
int db_unlock(struct db *db, enum db_lock_key key, struct err *err);
/* Transaction-level lock, waited for; released at commit or rollback. */
int db_xact_lock(struct db *db, enum db_lock_key key, struct err *err);
/* Records an operator decision: `sql` is an INSERT INTO kasparro.decisions
 * whose id is SQL_DECISION_ID, RETURNING id; DB_LOCK_DECISIONS is taken
 * first. The new id, or -1. */
long long db_insert_decision(struct db *db, struct err *err, const char *sql, int nparams,
                             const char *const *params);

/* `name` as a quoted SQL identifier ("title", "a""b"), malloc'd (free it).
 * Never NULL: configuration names are checked before they reach SQL, so a
 * name the server cannot quote is a bug. For the declared fields, which are
 * columns and cannot be $n parameters. */
char *db_quote_ident(struct db *db, const char *name);

/* A declared field of record `alias` in a statement (alias."name"), or
 * NULL of its type while the field has no column yet — a busy table kept
 * it from being added (fields.c): its value in every record until a run
 * loads it. Said once in the log. Malloc'd. */
char *db_field_sql(struct db *db, const struct schema_field *f, const char *alias);
/* The field has no column in kasparro.records yet. */
bool db_field_pending(struct db *db, const char *name);
/* Whoever failed to add the columns of `cfg`'s fields has said that they
 * read as null: the fields still without a column are not said again by
 * their readers (one warning per field, not two). */
void db_fields_pending_said(struct db *db, const struct config *cfg);

/* Sends NOTIFY kasparro, 'payload' (delivered at commit). */
int db_notify(struct db *db, const char *payload, struct err *err);

#endif

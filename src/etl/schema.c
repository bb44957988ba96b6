/*
 * schema.c — keeping kasparro.records in step with [schema] (schema_sync).
 *
 * Each declared field is a typed column of kasparro.records, named like the
 * field. A new field becomes a new column (ADD COLUMN IF NOT EXISTS, so two
 * processes adding it at once both succeed). A field whose declared type no
 * longer matches its column is refused with an explanation: converting data
 * is a decision for the operator, not something a run does silently.
 * Columns of fields removed from the configuration stay, untouched.
 * Every face adds the missing columns when it opens the database
 * (schema_add_columns), so a listing or the HTTP API answers before the
 * first run has loaded anything, or after a reload declared a new field.
 * That is a courtesy and must not hold the face up: the ALTER TABLE waits
 * for every transaction on the table (a long report, a pg_dump), and,
 * queued, holds up every reader behind it. So it waits for the table at
 * most SCHEMA_ADD_LOCK_TIMEOUT and then fails naming the sessions that
 * hold it; the face goes on without the column. A run's schema_sync
 * waits as long as it takes: it needs the column to write, and its stop
 * cancels the wait.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/loader.h"

#define SCHEMA_ADD_LOCK_TIMEOUT "2s"
#define SQLSTATE_LOCK_NOT_AVAILABLE "55P03" /* lock_timeout */

/* pg_attribute, not information_schema: every command asks, and this is
 * the cheap catalogue read; format_type names the types as
 * field_sql_type does. */
static const char *sql_columns =
    "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
    "WHERE attrelid = 'kasparro.records'::regclass AND attnum > 0 AND NOT attisdropped";

static const char *column_type(PGresult *r, const char *name)
{
    for (int i = 0; i < PQntuples(r); i++)
        if (strcmp(PQgetvalue(r, i, 0), name) == 0)
            return PQgetvalue(r, i, 1);
    return NULL;
}

/* The sessions holding kasparro.records, the longest first: who kept a
 * column from being added. */
static const char *sql_holders =
    "SELECT a.pid, coalesce(nullif(a.application_name, ''), '?'), coalesce(a.state, '?'), "
    "coalesce(extract(epoch FROM now() - coalesce(a.xact_start, a.query_start))::bigint, 0) "
    "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.relation = 'kasparro.records'::regclass AND l.granted "
    "AND l.pid <> pg_backend_pid() GROUP BY 1, 2, 3, 4 ORDER BY 4 DESC LIMIT 3";

/* The bounded ALTER failed: roll it back, and say which fields have no
 * column and, when the table was busy, who holds it. */
static int add_failed(struct db *db, const struct buf *fields, struct err *err)
{
    struct buf who = BUF_INIT;
    struct err ignore = {0};
    char why[sizeof err->msg];
    PGresult *r;

    PQclear(PQexec(db->conn, "ROLLBACK"));
    snprintf(why, sizeof why, "%s", err->msg);
    if (!err_sqlstate(err, SQLSTATE_LOCK_NOT_AVAILABLE))
        return err_code(err, err->code, "the column of field %s is not added: %s", fields->data,
                        why);
    if ((r = db_exec(db, &ignore, sql_holders, 0, NULL)) != NULL)
        for (int i = 0; i < PQntuples(r); i++)
            buf_printf(&who, "%spid %s '%s', %s for %ss", i ? "; " : "", PQgetvalue(r, i, 0),
                       PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3));
    PQclear(r);
    err_code(err, err->code, "the column of field %s is not added: kasparro.records was in use "
             "by another session for longer than " SCHEMA_ADD_LOCK_TIMEOUT " (%s)", fields->data,
             who.len ? who.data : "it has ended since");
    buf_free(&who);
    return -1;
}

/* bounded: the ALTER waits SCHEMA_ADD_LOCK_TIMEOUT at most (add_failed). */
static int sync_columns(struct db *db, const struct config *cfg, bool check_types,
                        bool bounded, struct err *err)
{
    PGresult *r = db_exec(db, err, sql_columns, 0, NULL);
    struct buf ddl = BUF_INIT, fields = BUF_INIT;
    int rc = 0;

    if (bounded)
        buf_printf(&ddl, "BEGIN; SET LOCAL lock_timeout = '" SCHEMA_ADD_LOCK_TIMEOUT "';");

    if (r == NULL)
        return -1;
    for (size_t i = 0; i < cfg->nfields && rc == 0; i++) {
        const struct schema_field *f = &cfg->fields[i];
        const char *have = column_type(r, f->name);
        const char *want = field_sql_type(f->type);
        if (have != NULL && strcmp(have, want) != 0 && check_types) {
            rc = err_code(err, EXIT_USAGE, "config '%s' line %d: field '%s' is declared %s, but "
                          "column kasparro.records.%s holds %s; kasparro does not convert "
                          "stored data: change the column yourself (ALTER TABLE ... TYPE ... "
                          "USING ...) or declare a new field", cfg->path ? cfg->path : "",
                          f->line, f->name, field_type_name(f->type), f->name, have);
        } else if (have == NULL) {
            char *ident = db_quote_ident(db, f->name);
            buf_printf(&ddl, "ALTER TABLE kasparro.records ADD COLUMN IF NOT EXISTS %s %s;",
                       ident, want);
            buf_printf(&fields, "%s'%s'", fields.len ? ", " : "", f->name);
            free(ident);
        }
    }
    PQclear(r);
    if (rc == 0 && fields.len > 0) {
        if (bounded)
            buf_printf(&ddl, "COMMIT;");
        r = PQexec(db->conn, ddl.data);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = db_error(db, r, err);
        PQclear(r);
        if (rc < 0 && bounded)
            add_failed(db, &fields, err);
    }
    buf_free(&ddl);
    buf_free(&fields);
    return rc;
}

int schema_sync(struct db *db, const struct config *cfg, struct err *err)
{
    return sync_columns(db, cfg, true, false, err);
}

int schema_add_columns(struct db *db, const struct config *cfg, struct err *err)
{
    return sync_columns(db, cfg, false, true, err);
}

bool schema_table_busy(const struct err *err)
{
    return err_sqlstate(err, SQLSTATE_LOCK_NOT_AVAILABLE);
}

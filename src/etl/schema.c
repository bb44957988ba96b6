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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/loader.h"

const char *schema_sql_type(enum field_type type)
{
    switch (type) {
    case FT_INTEGER: return "bigint";
    case FT_NUMBER: return "double precision";
    case FT_BOOLEAN: return "boolean";
    case FT_TIMESTAMP: return "timestamp with time zone";
    case FT_TEXT:
    case FT_URL: return "text";
    }
    return "text";
}

/* pg_attribute, not information_schema: every command asks, and this is
 * the cheap catalogue read; format_type names the types as
 * schema_sql_type does. */
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

static int sync_columns(struct db *db, const struct config *cfg, bool check_types,
                        struct err *err)
{
    PGresult *r = db_exec(db, err, sql_columns, 0, NULL);
    struct buf ddl = BUF_INIT;
    int rc = 0;

    if (r == NULL)
        return -1;
    for (size_t i = 0; i < cfg->nfields && rc == 0; i++) {
        const struct schema_field *f = &cfg->fields[i];
        const char *have = column_type(r, f->name);
        const char *want = schema_sql_type(f->type);
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
            free(ident);
        }
    }
    PQclear(r);
    if (rc == 0 && ddl.len > 0) {
        r = PQexec(db->conn, ddl.data);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = db_error(db, r, err);
        PQclear(r);
    }
    buf_free(&ddl);
    return rc;
}

int schema_sync(struct db *db, const struct config *cfg, struct err *err)
{
    return sync_columns(db, cfg, true, err);
}

int schema_add_columns(struct db *db, const struct config *cfg, struct err *err)
{
    return sync_columns(db, cfg, false, err);
}

/*
 * fields.c — a declared field in a statement on kasparro.records, whether
 * or not its column is there yet.
 *
 * A field the configuration declares gets its column when a face opens
 * the database or a reload declares it; while another session keeps the
 * table busy that waits (etl/schema.c, host/columns.c) and the faces go on
 * without it. No record has a value for such a field — it is null, as it
 * is once the column is added and before a run loads it — so every reader
 * names it as NULL of its type (db_field_sql) rather than as a column the
 * server does not know, which failed the whole statement: export, the
 * record and pair views, the queue, matching. The first reader to meet a
 * pending field says so in the log, once per field and process, unless the
 * face that failed to add its column said so already: one warning per
 * field, naming why the column is missing and that the field reads as
 * null (db_fields_pending_said).
 *
 * The columns seen are kept on the connection (kasparro never drops one),
 * so the catalogue is read again only for a field not seen yet: never
 * once every column is there.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/config.h"
#include "kasparro/db.h"
#include "kasparro/log.h"
#include "kasparro/util.h"

static const char *sql_columns =
    "SELECT attname FROM pg_attribute "
    "WHERE attrelid = 'kasparro.records'::regclass AND attnum > 0 AND NOT attisdropped";

static bool column_seen(const struct db *db, const char *name)
{
    return strmap_get(&db->columns, name, strlen(name)) != NULL;
}

/* Reads the columns again; false when the catalogue could not be read (an
 * aborted transaction, a lost connection: the statement will say). */
static bool read_columns(struct db *db)
{
    struct err err = {0};
    PGresult *r = db_exec(db, &err, sql_columns, 0, NULL);

    if (r == NULL)
        return false;
    for (int i = 0; i < PQntuples(r); i++)
        strmap_put(&db->columns, PQgetvalue(r, i, 0), (size_t)PQgetlength(r, i, 0));
    PQclear(r);
    return true;
}

/* Once per field and process: the daemon's connections share it. */
static pthread_mutex_t said_lock = PTHREAD_MUTEX_INITIALIZER;
static struct strmap said;

/* true the first time for `name` */
static bool first_saying(const char *name)
{
    bool first;

    pthread_mutex_lock(&said_lock);
    first = strmap_get(&said, name, strlen(name)) == NULL;
    if (first)
        strmap_put(&said, name, strlen(name));
    pthread_mutex_unlock(&said_lock);
    return first;
}

static void say_pending(const char *name)
{
    if (first_saying(name))
        log_warn("field '%s' has no column in kasparro.records yet (the table was busy when it "
                 "was to be added): it reads as null until it is added", name);
}

void db_fields_pending_said(struct db *db, const struct config *cfg)
{
    if (!read_columns(db))
        return;
    for (size_t i = 0; i < cfg->nfields; i++)
        if (!column_seen(db, cfg->fields[i].name))
            first_saying(cfg->fields[i].name);
}

bool db_field_pending(struct db *db, const char *name)
{
    if (column_seen(db, name) || !read_columns(db) || column_seen(db, name))
        return false;
    say_pending(name);
    return true;
}

char *db_field_sql(struct db *db, const struct schema_field *f, const char *alias)
{
    char *ident, *sql;

    if (db_field_pending(db, f->name))
        return xasprintf("NULL::%s", field_sql_type(f->type));
    ident = db_quote_ident(db, f->name);
    sql = xasprintf("%s.%s", alias, ident);
    free(ident);
    return sql;
}

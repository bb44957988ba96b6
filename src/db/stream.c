/*
 * stream.c — a query whose rows are handed over one at a time (see db.h:
 * db_stream), with libpq's single-row mode: an export of every record
 * keeps one row in memory, not a million.
 */
#include <stdlib.h>

#include "kasparro/clock.h"
#include "kasparro/db.h"

/* PostgreSQL type oids (catalog/pg_type.h is a server header). */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_FLOAT4 = 700,
       OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

cJSON *db_row_json(const PGresult *r, int row)
{
    cJSON *o = cJSON_CreateObject();

    for (int c = 0; c < PQnfields(r); c++) {
        const char *name = PQfname(r, c), *v = PQgetvalue(r, row, c);
        if (PQgetisnull(r, row, c)) {
            cJSON_AddNullToObject(o, name);
            continue;
        }
        switch (PQftype(r, c)) {
        case OID_BOOL:
            cJSON_AddBoolToObject(o, name, v[0] == 't');
            break;
        case OID_INT2: case OID_INT4: case OID_INT8:
        case OID_FLOAT4: case OID_FLOAT8: case OID_NUMERIC:
            cJSON_AddNumberToObject(o, name, strtod(v, NULL));
            break;
        default:
            cJSON_AddStringToObject(o, name, v);
        }
    }
    return o;
}

/* Drops what is left of a query after `each` stopped it. */
static void abandon(struct db *db)
{
    PGcancel *cancel = PQgetCancel(db->conn);
    char msg[256];
    PGresult *r;

    if (cancel != NULL) {
        PQcancel(cancel, msg, sizeof msg);
        PQfreeCancel(cancel);
    }
    while ((r = PQgetResult(db->conn)) != NULL)
        PQclear(r);
}

/* The column names of a result, to `to->columns` once. */
static int give_columns(const PGresult *r, const struct db_stream_to *to, bool *given)
{
    int n = PQnfields(r), rc;
    const char **names = xcalloc(n > 0 ? (size_t)n : 1, sizeof *names);

    for (int c = 0; c < n; c++)
        names[c] = PQfname(r, c);
    *given = true;
    rc = to->columns(names, n, to->arg);
    free(names);
    return rc;
}

int db_stream(struct db *db, struct err *err, const char *sql, int nparams,
              const char *const *params, const struct db_stream_to *to)
{
    PGresult *r;
    int rc = 0;
    bool given = to->columns == NULL;

    db->sent = clock_mono();
    if (!PQsendQueryParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0))
        return db_error(db, NULL, err);
    if (!PQsetSingleRowMode(db->conn)) {
        abandon(db);
        return err_set(err, "database: single-row mode refused");
    }
    while ((r = PQgetResult(db->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if ((st == PGRES_SINGLE_TUPLE || st == PGRES_TUPLES_OK) && !given)
            rc = give_columns(r, to, &given);
        if (st == PGRES_SINGLE_TUPLE && rc == 0) {
            cJSON *row = db_row_json(r, 0);
            rc = to->each(row, to->arg);
            cJSON_Delete(row);
        } else if (st != PGRES_TUPLES_OK && st != PGRES_SINGLE_TUPLE) {
            rc = db_error(db, r, err);
        }
        PQclear(r);
        if (rc < 0) {
            abandon(db);
            return -1;
        }
    }
    return 0;
}

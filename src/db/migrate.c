/*
 * migrate.c — bringing the database schema up to date.
 *
 * The migrations are share/kasparro/sql/NNN_name.sql, embedded in the binary
 * at build time. Each is applied in its own transaction together with its row
 * in kasparro.schema_migrations, all under a session advisory lock, so two
 * processes starting at once apply each migration exactly once: the second
 * waits, then finds nothing to do. A database that has a migration this
 * binary does not know was written by a newer kasparro; we refuse to touch it.
 * The fast path (everything applied) is one query and takes no lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/db.h"
#include "kasparro/log.h"
#include "kasparro/migrate_internal.h"
#include "migrations.h"

int db_known_version(void)
{
    int max = 0;
    for (size_t i = 0; i < ARRAY_SIZE(migrations); i++)
        if (migrations[i].version > max)
            max = migrations[i].version;
    return max;
}

static const char *sql_applied =
    "SELECT version FROM kasparro.schema_migrations ORDER BY version";

/* Applied versions into *out (caller frees); count, or -1. 0 when no table. */
static int applied_versions(struct db *db, int **out, struct err *err)
{
    PGresult *r = db_exec(db, err, "SELECT to_regclass('kasparro.schema_migrations') IS NOT NULL",
                          0, NULL);
    int n;

    *out = NULL;
    if (r == NULL)
        return -1;
    bool exists = db_bool(r, 0, 0);
    PQclear(r);
    if (!exists)
        return 0;
    if ((r = db_exec(db, err, sql_applied, 0, NULL)) == NULL)
        return -1;
    n = PQntuples(r);
    *out = xcalloc((size_t)n + 1, sizeof **out);
    for (int i = 0; i < n; i++)
        (*out)[i] = (int)db_ll(r, i, 0);
    PQclear(r);
    return n;
}

static bool contains(const int *v, int n, int x)
{
    for (int i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

static const struct migration *known(int version)
{
    for (size_t i = 0; i < ARRAY_SIZE(migrations); i++)
        if (migrations[i].version == version)
            return &migrations[i];
    return NULL;
}

/* 1: all applied, 0: work to do, -1: error (including a newer database). */
static int check_versions(struct db *db, struct err *err)
{
    int *applied, n = applied_versions(db, &applied, err);
    int done = 1;

    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (known(applied[i]) == NULL) {
            err_code(err, EXIT_DB, "database '%s' has schema migration %d, which this kasparro "
                     "does not know (it knows up to %d): it was written by a newer kasparro; "
                     "upgrade kasparro", db->display, applied[i], db_known_version());
            free(applied);
            return -1;
        }
    for (size_t i = 0; i < ARRAY_SIZE(migrations); i++)
        if (!contains(applied, n, migrations[i].version))
            done = 0;
    free(applied);
    return done;
}

static int apply_one(struct db *db, const struct migration *m, struct err *err)
{
    char version[16];
    PGresult *r;

    snprintf(version, sizeof version, "%d", m->version);
    if (db_begin(db, err) < 0)
        return -1;
    if (db_run(db, err, "SET LOCAL search_path = kasparro, public", 0, NULL) < 0)
        goto fail;
    r = PQexec(db->conn, m->sql); /* many statements: the simple protocol */
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
        db_error(db, r, err);
        PQclear(r);
        err_prefix(err, "migration %s", m->name);
        goto fail;
    }
    PQclear(r);
    if (db_run(db, err, "INSERT INTO kasparro.schema_migrations (version, name) VALUES ($1, $2)",
               DB_PARAMS(version, m->name)) < 0)
        goto fail;
    if (db_commit(db, err) < 0)
        goto fail;
    log_info("applied schema migration %s", m->name);
    return 0;
fail:
    db_rollback(db);
    return -1;
}

int db_migrate(struct db *db, struct err *err)
{
    int *applied = NULL, n, rc = 0, state;
    char key[16];

    if ((state = check_versions(db, err)) != 0)
        return state < 0 ? -1 : 0;
    snprintf(key, sizeof key, "%d", (int)DB_LOCK_MIGRATE);
    if (db_run(db, err, "SELECT pg_advisory_lock($1::int)",
               DB_PARAMS(key)) < 0)
        return -1;
    if (db_run(db, err, "CREATE SCHEMA IF NOT EXISTS kasparro", 0, NULL) < 0 ||
        db_run(db, err, "CREATE TABLE IF NOT EXISTS kasparro.schema_migrations ("
                        "version integer PRIMARY KEY, name text NOT NULL, "
                        "applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL) < 0 ||
        check_versions(db, err) < 0 || (n = applied_versions(db, &applied, err)) < 0) {
        rc = -1;
        goto out;
    }
    for (size_t i = 0; i < ARRAY_SIZE(migrations) && rc == 0; i++)
        if (!contains(applied, n, migrations[i].version))
            rc = apply_one(db, &migrations[i], err);
out:
    free(applied);
    struct err ignore = {0};
    db_run(db, &ignore, "SELECT pg_advisory_unlock($1::int)",
           DB_PARAMS(key));
    return rc;
}

int db_schema_version(struct db *db, struct err *err)
{
    int *applied, n = applied_versions(db, &applied, err), max = 0;

    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (applied[i] > max)
            max = applied[i];
    free(applied);
    return max;
}

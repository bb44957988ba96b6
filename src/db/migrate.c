/*
 * migrate.c — bringing the database schema up to date, strictly in order.
 *
 * The migrations are share/kasparro/sql/NNN_name.sql, numbered 1, 2, 3...
 * (tools/gen-sql.sh refuses a gap or a repeat) and embedded in the binary at
 * build time. Each is applied in its own transaction together with its row
 * in kasparro.schema_migrations, all under a session advisory lock, so two
 * processes starting at once apply each migration exactly once: the second
 * waits, then finds nothing to do. The fast path (everything applied) is
 * one query and takes no lock.
 *
 * A database is used only when what it has applied is exactly this
 * binary's first migrations, by number and name, applied in that order.
 * Anything else was written by another build, and guessing would apply
 * migrations in an order nobody tested: a migration this binary does not
 * know (a newer kasparro), a gap (4 applied without 3), another build's
 * migration under a number (007_x where this one has 007_y), or rows whose
 * times say they were applied out of order — each is refused, explained.
 *
 * Migrations were once numbered by module range (001, 010, 020...). A
 * database migrated then is renumbered once, in one transaction under the
 * lock, through the table below; its applied times are kept.
 *
 * Last, db_search_sync (search.c) brings the folding functions and the
 * search index in step with this build: they follow utf8proc, not a
 * migration number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/db.h"
#include "kasparro/log.h"
#include "kasparro/migrate_internal.h"
#include "migrations.h"

#define NMIGRATIONS ((int)ARRAY_SIZE(migrations))

/* The old numbers of migrations 1, 2, 3... in order. */
static const struct migration_name {
    int version;
    const char *name;
} legacy[] = {
    {1, "001_core"},      {10, "010_entities"},         {20, "020_deletes"},
    {30, "030_scheduler"}, {40, "040_raw_payload_json"}, {50, "050_candidate_fields_json"},
    {60, "060_audit_decisions"},
};

struct applied {
    int version;
    char name[128];
    double at; /* applied_at, epoch seconds */
};

int db_known_version(void) { return NMIGRATIONS; }

static const char *sql_exists = "SELECT to_regclass('kasparro.schema_migrations') IS NOT NULL";
static const char *sql_applied =
    "SELECT version, name, extract(epoch FROM applied_at) FROM kasparro.schema_migrations "
    "ORDER BY version";

/* The applied migrations, by version, into *out (caller frees); count, or
 * -1. 0 when there is no table yet. */
static int applied_list(struct db *db, struct applied **out, struct err *err)
{
    PGresult *r = db_exec(db, err, sql_exists, 0, NULL);
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
    for (int i = 0; i < n; i++) {
        (*out)[i].version = (int)db_ll(r, i, 0);
        snprintf((*out)[i].name, sizeof (*out)[i].name, "%s", db_str(r, i, 1));
        (*out)[i].at = db_double(r, i, 2);
    }
    PQclear(r);
    return n;
}

/* Numbered the old way: some row is a legacy migration whose number changed. */
static bool is_legacy(const struct applied *a, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < (int)ARRAY_SIZE(legacy); j++)
            if (a[i].version == legacy[j].version && legacy[j].version != j + 1 &&
                strcmp(a[i].name, legacy[j].name) == 0)
                return true;
    return false;
}

static int refuse(struct db *db, struct err *err, const char *why)
{
    return err_code(err, EXIT_DB, "database '%s': %s; kasparro applies its migrations only in "
                    "order and will not guess (restore it from a backup, or use the kasparro "
                    "that migrated it)", db->display, why);
}

/* The applied rows must be this binary's first n migrations, in order.
 * 1: all applied, 0: some to apply, -1: refused. `list` names the rows'
 * numbering (this binary's, or the legacy one being checked before a
 * renumbering). */
static int check_order(struct db *db, const struct applied *a, int n,
                       const struct migration_name *list, int nlist, struct err *err)
{
    char why[512];

    for (int i = 0; i < n; i++) {
        if (i >= nlist || a[i].version > list[nlist - 1].version) {
            return err_code(err, EXIT_DB, "database '%s' has schema migration %d, which this "
                            "kasparro does not know (it knows up to %d): it was written by a "
                            "newer kasparro; upgrade kasparro", db->display, a[i].version,
                            db_known_version());
        }
        if (a[i].version != list[i].version) {
            snprintf(why, sizeof why, "migration %d (%s) is applied but not %d (%s): there is a "
                     "gap", a[i].version, a[i].name, list[i].version, list[i].name);
            return refuse(db, err, why);
        }
        if (strcmp(a[i].name, list[i].name) != 0) {
            snprintf(why, sizeof why, "its migration %d is '%s', but this kasparro's is '%s': "
                     "another build's migration took that number", a[i].version, a[i].name,
                     list[i].name);
            return refuse(db, err, why);
        }
        if (i > 0 && a[i].at < a[i - 1].at) {
            snprintf(why, sizeof why, "migration %d (%s) was applied before %d (%s): out of "
                     "order", a[i].version, a[i].name, a[i - 1].version, a[i - 1].name);
            return refuse(db, err, why);
        }
    }
    return n == nlist ? 1 : 0;
}

/* Into the caller's array: connections are opened on several threads at
 * once (a run's workers). */
static const struct migration_name *current_names(struct migration_name *names)
{
    for (int i = 0; i < NMIGRATIONS; i++)
        names[i] = (struct migration_name){migrations[i].version, migrations[i].name};
    return names;
}

/* 1: all applied, 0: work to do (or a legacy numbering), -1: refused.
 * *napplied: how many are applied (the first ones, when not refused);
 * *highest, when given: the highest number applied. */
static int check_versions(struct db *db, int *napplied, int *highest, struct err *err)
{
    struct migration_name names[ARRAY_SIZE(migrations)];
    struct applied *a;
    int n = applied_list(db, &a, err), rc;

    if (n < 0)
        return -1;
    rc = is_legacy(a, n) ? 0 : check_order(db, a, n, current_names(names), NMIGRATIONS, err);
    *napplied = n;
    if (highest != NULL)
        *highest = n > 0 ? a[n - 1].version : 0; /* the list is ordered by version */
    free(a);
    return rc;
}

/* Under the lock: a database numbered the old way takes the new numbers. */
static int renumber_legacy(struct db *db, struct err *err)
{
    struct applied *a;
    int n = applied_list(db, &a, err), rc = 0;

    if (n <= 0 || !is_legacy(a, n)) {
        free(a);
        return n < 0 ? -1 : 0;
    }
    if (check_order(db, a, n, legacy, (int)ARRAY_SIZE(legacy), err) < 0 || db_begin(db, err) < 0) {
        free(a);
        return -1;
    }
    for (int i = 0; i < n && rc == 0; i++) {
        char old[16], version[16];
        snprintf(old, sizeof old, "%d", a[i].version);
        snprintf(version, sizeof version, "%d", migrations[i].version);
        rc = db_run(db, err, "UPDATE kasparro.schema_migrations SET version = $2, name = $3 "
                             "WHERE version = $1",
                    DB_PARAMS(old, version, migrations[i].name));
    }
    if (rc == 0)
        rc = db_commit(db, err);
    if (rc == 0)
        log_info("schema migrations renumbered 1 to %d (they were numbered by module: 001, "
                 "010, 020...)", n);
    else
        db_rollback(db);
    free(a);
    return rc;
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
    int n = 0, rc = 0, state;
    char key[16];

    if ((state = check_versions(db, &n, NULL, err)) != 0)
        return state < 0 ? -1 : db_search_sync(db, err);
    snprintf(key, sizeof key, "%d", (int)DB_LOCK_MIGRATE);
    if (db_run(db, err, "SELECT pg_advisory_lock($1::int)", DB_PARAMS(key)) < 0)
        return -1;
    if (db_run(db, err, "CREATE SCHEMA IF NOT EXISTS kasparro", 0, NULL) < 0 ||
        db_run(db, err, "CREATE TABLE IF NOT EXISTS kasparro.schema_migrations ("
                        "version integer PRIMARY KEY, name text NOT NULL, "
                        "applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL) < 0 ||
        renumber_legacy(db, err) < 0 || check_versions(db, &n, NULL, err) < 0)
        rc = -1;
    /* the first n are applied, in order: the rest follow */
    for (int i = n; i < NMIGRATIONS && rc == 0; i++)
        rc = apply_one(db, &migrations[i], err);
    struct err ignore = {0};
    db_run(db, &ignore, "SELECT pg_advisory_unlock($1::int)", DB_PARAMS(key));
    return rc < 0 ? -1 : db_search_sync(db, err);
}

int db_schema_check(struct db *db, int *version, struct err *err)
{
    int n = 0;

    *version = -1;
    return check_versions(db, &n, version, err);
}

int db_schema_version(struct db *db, struct err *err)
{
    struct applied *a;
    int n = applied_list(db, &a, err), max = 0;

    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (a[i].version > max)
            max = a[i].version;
    free(a);
    return max;
}

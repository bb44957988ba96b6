/*
 * label_index.c — the trigram index GET /data?q= reads, kept in step with
 * the configuration on the host's columns thread.
 *
 * DESIGN: /data?q= searches a record's label, dedup_label_sql: the first
 * non-empty text field of the match plan, which the configuration decides,
 * so no migration can make its index. The columns thread (columns.c), which
 * follows the configuration already, makes it after the columns are there:
 * a pg_trgm GIN index on kasparro.fold_trigrams(<label>), named by a digest
 * of that expression and of the folding in the database
 * (db_label_index_name), so that a configuration or a folding of its own
 * has an index of its own and /data uses one only when its name is the one
 * it expects and the index is valid (db_label_indexed). It is built with CREATE INDEX CONCURRENTLY:
 * loads, runs and every reader go on meanwhile (seconds to minutes on a
 * large table). Once it is valid, the indexes of other labels are dropped
 * (CONCURRENTLY too). A CONCURRENTLY that failed or was cancelled (the
 * face stopped) leaves an invalid index behind, which only costs writers
 * its upkeep: the next pass drops it first. One builder at a time, across
 * processes (a daemon and a console on one database): whoever holds
 * DB_LOCK_LABEL_INDEX builds, the others leave it to it. Without pg_trgm,
 * or with a field whose column is not there yet, nothing is built and
 * /data?q= reads every record, as it did before.
 *
 * A new index has no statistics until kasparro.records is analyzed, and
 * autovacuum does that only once a tenth of the table has changed: until
 * then the planner guesses a handful of matches for any needle, reads
 * every match of a common one from the index and sorts them (0.06-0.3 s at
 * 400,000 records) where a walk in id order stops at the hundredth match.
 * So the builder analyzes the table (the statistics of the indexed
 * expression come with it; about 0.5 s at 400,000 records) whenever the
 * index it keeps has none, a new one or one an older build made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/db.h"
#include "kasparro/dedup.h"
#include "kasparro/host_internal.h"
#include "kasparro/log.h"

/* The indexes of record labels there are, valid or not. */
static const char *sql_label_indexes =
    "SELECT c.relname, i.indisvalid AND i.indisready FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'kasparro' AND c.relname LIKE 'records\\_label\\_%'";
static const char *sql_trgm_schema =
    "SELECT quote_ident(n.nspname) FROM pg_extension x "
    "JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname = 'pg_trgm'";

static int drop_index(struct db *db, const char *name, struct err *err)
{
    char *sql = xasprintf("DROP INDEX CONCURRENTLY IF EXISTS kasparro.%s", name);
    int rc = db_run(db, err, sql, 0, NULL);

    free(sql);
    return rc;
}

/* Drops the invalid leftovers, and with `keep` valid the others too;
 * `*have`: whether `keep` is there and valid. */
static int drop_others(struct db *db, const char *keep, bool valid_too, bool *have,
                       struct err *err)
{
    PGresult *r = db_exec(db, err, sql_label_indexes, 0, NULL);
    int rc = 0;

    if (r == NULL)
        return -1;
    *have = false;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        const char *name = PQgetvalue(r, i, 0);
        bool valid = db_bool(r, i, 1), mine = strcmp(name, keep) == 0;
        if (mine && valid)
            *have = true;
        else if (!valid || (valid_too && !mine))
            rc = drop_index(db, name, err);
    }
    PQclear(r);
    return rc;
}

static int build(struct db *db, const char *name, const char *expr, const char *trgm,
                 const char *who, struct err *err)
{
    char *sql = xasprintf("CREATE INDEX CONCURRENTLY %s ON kasparro.records USING gin "
                          "(kasparro.fold_trigrams(%s) %s.gin_trgm_ops)", name, expr, trgm);
    double t0 = clock_mono();
    int rc;

    log_info("%s: building the index of the records' labels that /data?q= reads (%s)", who,
             name);
    rc = db_run(db, err, sql, 0, NULL);
    free(sql);
    if (rc == 0)
        log_info("%s: index %s built in %.1f s", who, name, clock_mono() - t0);
    return rc;
}

/* Whether ANALYZE has gathered the statistics of index `name`'s expression. */
static const char *sql_analyzed =
    "SELECT EXISTS (SELECT FROM pg_stats WHERE schemaname = 'kasparro' AND tablename = $1)";

/* An index without statistics still answers: a failure is said, not
 * returned (the index is there; the next start or reload tries again). */
static void analyze(struct db *db, const char *name, const char *who)
{
    struct err err = {0};
    PGresult *r = db_exec(db, &err, sql_analyzed, DB_PARAMS(name));
    double t0 = clock_mono();
    bool analyzed = false;

    if (r != NULL) {
        analyzed = db_bool(r, 0, 0);
        PQclear(r);
    }
    if (r == NULL || (!analyzed && db_run(db, &err, "ANALYZE kasparro.records", 0, NULL) < 0))
        log_warn("%s: kasparro.records is not analyzed for index %s, so GET /data?q= may read "
                 "all the matches of a common needle from it until autovacuum analyzes the "
                 "table: %s", who, name, err.msg);
    else if (!analyzed)
        log_info("%s: kasparro.records analyzed for the statistics of index %s in %.1f s", who,
                 name, clock_mono() - t0);
}

/* Under DB_LOCK_LABEL_INDEX. */
static int label_index_locked(struct db *db, const char *expr, const char *trgm,
                              const char *who, struct err *err)
{
    char name[64];
    bool have;

    if (db_label_index_name(db, expr, name, err) < 0)
        return -1;
    if (drop_others(db, name, false, &have, err) < 0)
        return -1;
    if (!have && build(db, name, expr, trgm, who, err) < 0) {
        struct err ignore = {0};
        drop_index(db, name, &ignore); /* what a failed CONCURRENTLY left */
        return -1;
    }
    if (drop_others(db, name, true, &have, err) < 0)
        return -1;
    analyze(db, name, who);
    return 0;
}

int label_index_sync(struct db *db, const struct config *cfg, const char *who,
                     struct err *err)
{
    PGresult *r = db_exec(db, err, sql_trgm_schema, 0, NULL);
    char *expr, trgm[128];
    int rc;

    if (r == NULL)
        return -1;
    snprintf(trgm, sizeof trgm, "%s", PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
    if (trgm[0] == '\0' || config_title_field(cfg) == NULL)
        return 0; /* no pg_trgm (search.c says so) or nothing to search */
    expr = dedup_label_sql(db, cfg, "records");
    if (strstr(expr, "NULL::") != NULL) { /* a field without its column yet */
        free(expr);
        return 0;
    }
    if ((rc = db_try_lock(db, DB_LOCK_LABEL_INDEX, err)) == 1) {
        rc = label_index_locked(db, expr, trgm, who, err);
        struct err ignore = {0};
        db_unlock(db, DB_LOCK_LABEL_INDEX, &ignore);
    }
    free(expr);
    return rc < 0 ? -1 : 0;
}

/*
 * restore.c — undoing soft deletes, by record or by run (see deletes.h).
 *
 * A restore is an operator decision (kasparro.decisions, action
 * 'restore'), with an id that `undo` takes (restore_undo.c). It first
 * claims the records in restored_records, each with the change_seq it is
 * about to get and its deletion as it was; one statement then restores
 * them, bumping change_seq (so entity unification puts them back where they
 * were), and writes one audit row each, with the record as it was while
 * deleted and the decision's id. A restore that finds nothing to restore
 * records no decision. A restore undoes a deletion; it does not pin the
 * record: a source that still lacks it deletes it again at its next
 * complete read (held by the guard if many), which the restore counts and
 * names for the operator (restore_again) — only where it holds: a source
 * that reads incrementally only, or is no longer configured, does not.
 * The records a retire deleted (retire.c: under no run) are restored all
 * at once by their source's name, as a run's are by the run's id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/deletes.h"
#include "kasparro/deletes_internal.h"

static const char *sql_unknown =
    "SELECT i FROM unnest($1::bigint[]) i WHERE NOT EXISTS "
    "(SELECT 1 FROM kasparro.records r WHERE r.id = i) ORDER BY i LIMIT 5";

static const char *sql_run_exists = "SELECT 1 FROM kasparro.runs WHERE id = $1";
static const char *sql_retired_exists =
    "SELECT 1 FROM kasparro.records WHERE source = $1 AND is_deleted AND deleted_by_run IS NULL "
    "LIMIT 1";

/* The records named that decision $2 did not claim: live ones. */
static const char *sql_live =
    "SELECT i FROM unnest($1::bigint[]) i WHERE NOT EXISTS (SELECT 1 FROM "
    "kasparro.restored_records rr WHERE rr.decision_id = $2 AND rr.record_id = i) "
    "GROUP BY i ORDER BY i LIMIT 6";

static const char *sql_decision =
    "INSERT INTO kasparro.decisions (id, action, actor) VALUES (" SQL_DECISION_ID ", 'restore', "
    "$1) RETURNING id";

/* The records to restore, locked, with the change_seq each will have. */
static const char *sql_claim =
    "INSERT INTO kasparro.restored_records (decision_id, record_id, change_seq, deleted_at, "
    "deleted_by_run) SELECT $3, r.id, nextval('kasparro.record_change_seq'), r.deleted_at, "
    "r.deleted_by_run FROM kasparro.records r WHERE r.is_deleted "
    "AND (r.id = ANY($1::bigint[]) OR r.deleted_by_run = $2 "
    "OR (r.source = $4 AND r.deleted_by_run IS NULL)) FOR UPDATE";

/* clang-format off */
static const char *sql_restore =
    "WITH old AS (UPDATE kasparro.records r SET is_deleted = false, deleted_at = NULL, "
    "  deleted_by_run = NULL, change_seq = rr.change_seq, updated_at = now() "
    "  FROM kasparro.restored_records rr, kasparro.records old WHERE rr.decision_id = $1 "
    "  AND r.id = rr.record_id AND old.id = r.id RETURNING old.*), "
    "a AS (INSERT INTO kasparro.audit_log (actor, action, object_type, object_id, run_id, "
    "  reason, before, after, decision_id) SELECT $3, 'restore', 'record', old.id::text, "
    "  old.deleted_by_run, $4, " SQL_OLD_RECORD_KEYS ", '{\"is_deleted\": false, "
    "  \"deleted_at\": null, \"deleted_by_run\": null}', $1 FROM old) "
    "SELECT count(*), (SELECT count(DISTINCT i) FROM unnest($2::bigint[]) i) FROM old";
/* clang-format on */

/* What `decisions` says of it: how many, the run (or the retired
 * source), the first ids. */
static const char *sql_after =
    "UPDATE kasparro.decisions SET after = jsonb_build_object('restored', $2::bigint, "
    "'run', $3::bigint, 'records', (SELECT jsonb_agg(record_id) FROM (SELECT record_id FROM "
    "kasparro.restored_records WHERE decision_id = $1 ORDER BY record_id LIMIT 8) x)) "
    "|| CASE WHEN $4::text IS NULL THEN '{}' ELSE jsonb_build_object('retired', $4::text) END "
    "WHERE id = $1";

/* The restored records by source: a complete read deletes what it lacks,
 * whether a read deleted it before (for being missing) or a retire did
 * (its source configured again since). */
static const char *sql_again =
    "SELECT r.source, count(*) FROM kasparro.restored_records rr JOIN kasparro.records r "
    "ON r.id = rr.record_id WHERE rr.decision_id = $1 "
    "GROUP BY r.source ORDER BY r.source";

/* True when source `name`'s complete reads soft-delete what it lacks: it
 * is configured, and reads fully (always, or every full_sync_every). */
static bool reads_completely(const struct config *cfg, const char *name)
{
    const struct source_cfg *src = config_source(cfg, name);

    return src != NULL && (src->sync == SYNC_FULL || src->full_sync_every > 0);
}

/* Fills out->again and its sources for decision `dec` (see deletes.h):
 * the first three named, the others counted. */
static int restore_again(struct db *db, const struct config *cfg, const char *dec,
                         struct restore_result *out, struct err *err)
{
    PGresult *r = db_exec(db, err, sql_again, DB_PARAMS(dec));
    struct buf names = BUF_INIT;

    if (r == NULL)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        if (!reads_completely(cfg, PQgetvalue(r, i, 0)))
            continue;
        out->again += db_ll(r, i, 1);
        if (out->again_nsources++ < 3)
            buf_printf(&names, "%s'%s'", names.len ? ", " : "", PQgetvalue(r, i, 0));
    }
    PQclear(r);
    if (out->again_nsources > 3)
        buf_printf(&names, " and %d more", out->again_nsources - 3);
    snprintf(out->again_sources, sizeof out->again_sources, "%s", names.len ? names.data : "");
    buf_free(&names);
    return 0;
}

/* "{1,2,3}" */
static char *id_array(const long long *ids, size_t n)
{
    struct buf b = BUF_INIT;

    buf_addc(&b, '{');
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%lld", i ? "," : "", ids[i]);
    buf_addc(&b, '}');
    return buf_detach(&b);
}

/* Fails naming the ids (or the run, or the source without retired
 * records) that do not exist. */
static int check_exists(struct db *db, const char *ids, long long run_id, const char *retired,
                        struct err *err)
{
    char run[32];
    PGresult *r =
        ids       ? db_exec(db, err, sql_unknown, DB_PARAMS(ids))
        : retired ? db_exec(db, err, sql_retired_exists, DB_PARAMS(retired))
                  : db_exec(db, err, sql_run_exists,
                            DB_PARAMS(deletes_ll(run, sizeof run, run_id)));
    struct buf missing = BUF_INIT;
    int rc = 0;

    if (r == NULL)
        return -1;
    if (ids != NULL && PQntuples(r) > 0) {
        for (int i = 0; i < PQntuples(r); i++)
            buf_printf(&missing, "%s%s", i ? ", " : "", PQgetvalue(r, i, 0));
        rc = err_set(err, "no record %s; 'kasparro deleted' lists deleted records", missing.data);
    } else if (retired != NULL && PQntuples(r) == 0) {
        rc = err_set(err, "nothing to restore: no record of source '%s' is retired; 'kasparro "
                     "deleted --source %s' lists its deleted records", retired, retired);
    } else if (ids == NULL && PQntuples(r) == 0) {
        rc = err_missing(err, "run", run_id);
    }
    PQclear(r);
    buf_free(&missing);
    return rc;
}

/* The records of one command line are one decision, as approve's
 * candidates are: one named that is not deleted (a typo, or restored
 * meanwhile) fails the restore, naming it, and none is restored. */
static int refuse_live(struct db *db, const char *ids, const char *dec, long long nlive,
                       size_t named, struct err *err)
{
    PGresult *r = db_exec(db, err, sql_live, DB_PARAMS(ids, dec));
    struct buf list = BUF_INIT;

    if (r == NULL)
        return -1;
    for (int i = 0; i < PQntuples(r) && i < 5; i++)
        buf_printf(&list, "%s%s", i ? ", " : "", PQgetvalue(r, i, 0));
    if (nlive > 5)
        buf_printf(&list, " and %lld more", nlive - 5);
    PQclear(r);
    if (named == 1)
        err_set(err, "record %s is not deleted: nothing to restore", list.data);
    else
        err_set(err, "%s %s %s not deleted: none of the %zu records named was restored",
                nlive == 1 ? "record" : "records", list.data, nlive == 1 ? "is" : "are", named);
    buf_free(&list);
    return -1;
}

/* Records the decision, claims the records and restores them; a restore
 * of nothing takes its decision back (out->decision 0). */
static int restore_rows(struct db *db, const struct config *cfg, const char *ids,
                        long long run_id, const char *retired, const char *actor,
                        struct restore_result *out, struct err *err)
{
    char run[32], dec[32], n[32], reason[200];
    const char *run_p = ids || retired ? NULL : deletes_ll(run, sizeof run, run_id);
    PGresult *r;

    if ((out->decision = db_insert_decision(db, err, sql_decision, DB_PARAMS(actor))) < 0)
        return -1;
    deletes_ll(dec, sizeof dec, out->decision);
    if (ids != NULL)
        snprintf(reason, sizeof reason, "restored by %s", actor);
    else if (retired != NULL)
        snprintf(reason, sizeof reason, "restored by %s: undo of the retire of source '%s'",
                 actor, retired);
    else
        snprintf(reason, sizeof reason, "restored by %s: undo of the deletions of run %lld", actor,
                 run_id);
    if (db_run(db, err, sql_claim, DB_PARAMS(ids, run_p, dec, retired)) < 0 ||
        (r = db_exec(db, err, sql_restore, DB_PARAMS(dec, ids, actor, reason))) == NULL)
        return -1;
    out->restored = db_ll(r, 0, 0);
    out->not_deleted = ids ? db_ll(r, 0, 1) - out->restored : 0;
    size_t named = ids ? (size_t)db_ll(r, 0, 1) : 0;
    PQclear(r);
    if (out->not_deleted > 0)
        return refuse_live(db, ids, dec, out->not_deleted, named, err);
    if (out->restored == 0) {
        out->decision = 0;
        return db_run(db, err, "DELETE FROM kasparro.decisions WHERE id = $1", DB_PARAMS(dec));
    }
    if (db_run(db, err, sql_after,
               DB_PARAMS(dec, deletes_ll(n, sizeof n, out->restored), run_p, retired)) < 0)
        return -1;
    return restore_again(db, cfg, dec, out, err);
}

int deletes_restore(struct db *db, const struct config *cfg, const long long *ids, size_t n,
                    long long run_id, const char *retired, const char *actor,
                    struct restore_result *out, struct err *err)
{
    char *array = n > 0 ? id_array(ids, n) : NULL;

    memset(out, 0, sizeof *out);
    if (db_begin_changes(db, err) < 0) {
        free(array);
        return -1;
    }
    if (check_exists(db, array, run_id, retired, err) < 0 ||
        restore_rows(db, cfg, array, run_id, retired, actor, out, err) < 0 ||
        db_notify(db, "records", err) < 0 ||
        db_commit(db, err) < 0) {
        db_rollback(db);
        free(array);
        memset(out, 0, sizeof *out);
        return -1;
    }
    free(array);
    return 0;
}

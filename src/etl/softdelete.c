/*
 * softdelete.c — the one statement that soft-deletes records (see
 * deletes_internal.h).
 *
 * Orphan detection, an operator's apply-deletes and retire all gather the
 * ids to delete into a temporary table first (kasparro_doomed): the
 * orphans are counted before the guard decides, and a held set is
 * filtered before it is applied. Deleting from that table in one
 * set-based statement, which also writes the audit rows with each record's
 * key fields as they were, keeps the paths identical; undoing a restore
 * deletes again through it too, with each record's deletion as it was (a
 * retired one's under no run). deleted_at is otherwise clock_now(), so
 * that tests can age deletions with KASPARRO_NOW.
 */
#include <stdio.h>

#include "kasparro/clock.h"
#include "kasparro/deletes.h"
#include "kasparro/deletes_internal.h"

const char *deletes_ll(char *buf, size_t len, long long v)
{
    snprintf(buf, len, "%lld", v);
    return buf;
}

int doomed_create(struct db *db, struct err *err)
{
    if (db_run(db, err,
               "CREATE TEMP TABLE IF NOT EXISTS kasparro_doomed (id bigint) "
               "ON COMMIT DROP",
               0, NULL) < 0)
        return -1;
    return db_run(db, err, "TRUNCATE pg_temp.kasparro_doomed", 0, NULL);
}

/* clang-format off */
static const char *sql_soft_delete =
    "WITH old AS (UPDATE kasparro.records r SET is_deleted = true, "
    "  deleted_at = to_timestamp($1::double precision), deleted_by_run = $2, "
    "  change_seq = nextval('kasparro.record_change_seq'), updated_at = now() "
    "  FROM pg_temp.kasparro_doomed x, kasparro.records old "
    "  WHERE r.id = x.id AND old.id = r.id AND NOT r.is_deleted RETURNING old.*), "
    "a AS (INSERT INTO kasparro.audit_log (actor, action, object_type, object_id, run_id, "
    "  reason, before, after, decision_id) SELECT $3, 'soft_delete', 'record', old.id::text, "
    "  $2, $4, " SQL_OLD_RECORD_KEYS ", jsonb_build_object('is_deleted', true, 'deleted_at', "
    SQL_UTC_ISO("to_timestamp($1::double precision)") ", 'deleted_by_run', $2::bigint), "
    "  $5::bigint FROM old) "
    "SELECT count(*) FROM old";
/* clang-format on */

long long doomed_delete(struct db *db, const struct doom *how, const char *actor,
                        const char *reason, struct err *err)
{
    char at[32], run[32], decision[32];
    PGresult *r;
    long long n;

    snprintf(at, sizeof at, "%.6f", how->at > 0 ? how->at : clock_now());
    r = db_exec(
        db, err, sql_soft_delete,
        DB_PARAMS(at, how->run_id ? deletes_ll(run, sizeof run, how->run_id) : NULL, actor,
                  reason,
                  how->decision ? deletes_ll(decision, sizeof decision, how->decision) : NULL));
    if (r == NULL)
        return -1;
    n = db_ll(r, 0, 0);
    PQclear(r);
    return n;
}

/*
 * restore.c — undoing soft deletes, by record or by run (see deletes.h).
 *
 * One statement restores the chosen records, bumps their change_seq (so
 * entity unification puts them back where they were) and writes one audit
 * row each, with the record as it was while deleted. A restore undoes a
 * deletion; it does not pin the record: a source that still lacks it
 * deletes it again at its next complete read (held by the guard if many).
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

/* clang-format off */
static const char *sql_restore =
    "WITH old AS (UPDATE kasparro.records r SET is_deleted = false, deleted_at = NULL, "
    "  deleted_by_run = NULL, change_seq = nextval('kasparro.record_change_seq'), "
    "  updated_at = now() FROM kasparro.records old WHERE old.id = r.id AND r.is_deleted "
    "  AND (r.id = ANY($1::bigint[]) OR r.deleted_by_run = $2) RETURNING old.*), "
    "a AS (INSERT INTO kasparro.audit_log (actor, action, object_type, object_id, run_id, "
    "  reason, before, after) SELECT $3, 'restore', 'record', old.id::text, "
    "  old.deleted_by_run, $4, " SQL_OLD_RECORD_KEYS ", '{\"is_deleted\": false, "
    "  \"deleted_at\": null, \"deleted_by_run\": null}' FROM old) "
    "SELECT count(*), (SELECT count(DISTINCT i) FROM unnest($1::bigint[]) i) FROM old";
/* clang-format on */

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

/* Fails naming the ids (or the run) that do not exist. */
static int check_exists(struct db *db, const char *ids, long long run_id, struct err *err)
{
    char run[32];
    PGresult *r =
        ids ? db_exec(db, err, sql_unknown, DB_PARAMS(ids))
            : db_exec(db, err, sql_run_exists, DB_PARAMS(deletes_ll(run, sizeof run, run_id)));
    struct buf missing = BUF_INIT;
    int rc = 0;

    if (r == NULL)
        return -1;
    if (ids != NULL && PQntuples(r) > 0) {
        for (int i = 0; i < PQntuples(r); i++)
            buf_printf(&missing, "%s%s", i ? ", " : "", PQgetvalue(r, i, 0));
        rc = err_set(err, "no record %s; 'kasparro deleted' lists deleted records", missing.data);
    } else if (ids == NULL && PQntuples(r) == 0) {
        rc = err_set(err, "no run %lld; 'kasparro runs' lists them", run_id);
    }
    PQclear(r);
    buf_free(&missing);
    return rc;
}

static int restore_rows(struct db *db, const char *ids, long long run_id, const char *actor,
                        struct restore_result *out, struct err *err)
{
    char run[32], reason[128];
    PGresult *r;

    if (ids != NULL)
        snprintf(reason, sizeof reason, "restored by %s", actor);
    else
        snprintf(reason, sizeof reason, "restored by %s: undo of the deletions of run %lld", actor,
                 run_id);
    r = db_exec(db, err, sql_restore,
                DB_PARAMS(ids, ids ? NULL : deletes_ll(run, sizeof run, run_id), actor, reason));
    if (r == NULL)
        return -1;
    out->restored = db_ll(r, 0, 0);
    out->not_deleted = ids ? db_ll(r, 0, 1) - out->restored : 0;
    PQclear(r);
    return 0;
}

int deletes_restore(struct db *db, const long long *ids, size_t n, long long run_id,
                    const char *actor, struct restore_result *out, struct err *err)
{
    char *array = n > 0 ? id_array(ids, n) : NULL;

    memset(out, 0, sizeof *out);
    if (db_begin_changes(db, err) < 0) {
        free(array);
        return -1;
    }
    if (check_exists(db, array, run_id, err) < 0 ||
        restore_rows(db, array, run_id, actor, out, err) < 0 || db_notify(db, "records", err) < 0 ||
        db_commit(db, err) < 0) {
        db_rollback(db);
        free(array);
        memset(out, 0, sizeof *out);
        return -1;
    }
    free(array);
    return 0;
}

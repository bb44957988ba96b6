/*
 * restore_undo.c — `undo` of a restore decision (see deletes.h).
 *
 * A restore remembers, per record, the change_seq it gave it and its
 * deletion as it was (restored_records, restore.c). Undoing it deletes
 * again the records still as the restore left them: live, with that
 * change_seq (nothing changed them since), not returned by any read of
 * their source since (read_again_run, which the loader marks: the source
 * has shown them again), and not seen by a complete full read since (that
 * read saw them, its id quarantined or not; one that held them for
 * deletion did not). Each goes back to
 * the deletion it had (deleted_at, deleted_by_run), so `restore --run` and
 * retention treat it as before, through the one soft-delete statement
 * (softdelete.c), once per distinct deletion, each row audited as a
 * soft_delete under the undo's decision. The others stay and are named
 * with why. The undo is a decision too (action 'undo', undoes the
 * restore), audited on the restore's decision like every undo.
 *
 * A restore older than [retention] keep_deleted is not undone: the purge
 * has removed (or is due to remove) what it kept of its records, and a
 * record deleted again as it was deleted then would be purged at once. The
 * undo is refused, naming the decision and why, rather than "0 deleted".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/deletes.h"
#include "kasparro/deletes_internal.h"

/* Without an id, a restore is never "the latest decision": the Review
 * screen's u runs a bare undo, which must not delete again what someone
 * restored; a restore is undone by its id or with --restore. */
static const char *sql_target =
    "SELECT id, action FROM kasparro.decisions WHERE CASE WHEN $1::bigint = 0 THEN "
    "undone_by IS NULL AND CASE WHEN $2::boolean THEN action = 'restore' "
    "ELSE action NOT IN ('undo', 'restore') END ELSE id = $1::bigint END "
    "ORDER BY id DESC LIMIT 1";

/* The latest decision of the other kind (a restore, or an approve, reject
 * or split) not undone: where an undo with nothing left points instead. */
static const char *sql_other =
    "SELECT id FROM kasparro.decisions WHERE undone_by IS NULL AND CASE WHEN $1::boolean "
    "THEN action NOT IN ('undo', 'restore') ELSE action = 'restore' END ORDER BY id DESC LIMIT 1";

static int nothing_to_undo(struct db *db, bool restores_only, struct err *err)
{
    PGresult *r = db_exec(db, err, sql_other, DB_PARAMS(restores_only ? "t" : "f"));
    long long other = r != NULL && PQntuples(r) == 1 ? db_ll(r, 0, 0) : 0;

    if (r == NULL)
        return -1;
    PQclear(r);
    if (restores_only)
        return other ? err_set(err, "no restore left to undo; 'kasparro undo' reverts the latest "
                               "approve, reject or split (decision %lld)", other)
                     : err_set(err, "no restore left to undo, nor any approve, reject or "
                               "split; 'kasparro decisions' lists what was decided");
    return other ? err_set(err, "no approve, reject or split left to undo; a restore is undone "
                           "by 'kasparro undo --restore' (the latest: decision %lld)", other)
                 : err_set(err, "no decision left to undo; 'kasparro decisions' lists what "
                           "was decided");
}

int deletes_undo_target(struct db *db, long long which, bool restores_only, long long *decision,
                        struct err *err)
{
    char id[32];
    PGresult *r = db_exec(db, err, sql_target,
                          DB_PARAMS(deletes_ll(id, sizeof id, which), restores_only ? "t" : "f"));
    int rc;

    if (r == NULL)
        return -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        if (which != 0)
            return err_missing(err, "decision", which);
        return nothing_to_undo(db, restores_only, err);
    }
    *decision = db_ll(r, 0, 0);
    rc = strcmp(PQgetvalue(r, 0, 1), "restore") == 0;
    if (!rc && restores_only)
        rc = err_set(err, "decision %lld (%s) is not a restore", *decision, PQgetvalue(r, 0, 1));
    PQclear(r);
    return rc;
}

/* The decision, and whether it is older than keep_deleted ($2, the cutoff
 * from clock_now()) or its rows are gone (a purge with a shorter
 * --older-than prunes them too). */
static const char *sql_lock =
    "SELECT action, undone_by, at < to_timestamp($2::double precision), "
    "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI \"UTC\"'), NOT EXISTS (SELECT 1 FROM "
    "kasparro.restored_records rr WHERE rr.decision_id = d.id) "
    "FROM kasparro.decisions d WHERE id = $1 FOR UPDATE";
static const char *sql_undo_decision =
    "INSERT INTO kasparro.decisions (id, action, actor, undoes) VALUES (" SQL_DECISION_ID
    ", 'undo', $1, $2) RETURNING id";

/* Record r still as restore d left it (rr: its restored_records row). */
#define SQL_AS_RESTORED                                                                            \
    "(NOT r.is_deleted AND r.change_seq = rr.change_seq AND rr.read_again_run IS NULL AND "        \
    "NOT EXISTS (SELECT 1 FROM "                                                                   \
    "kasparro.run_sources s WHERE s.source = r.source AND s.complete AND s.sync = 'full' "         \
    "AND s.started_at > d.at AND NOT EXISTS (SELECT 1 FROM kasparro.pending_deletes h JOIN "       \
    "kasparro.pending_delete_records p ON p.pending_id = h.id WHERE h.run_id = s.run_id AND "      \
    "h.source = s.source AND p.record_id = r.id)))"
#define SQL_RESTORED_BY                                                                            \
    "FROM kasparro.restored_records rr JOIN kasparro.decisions d ON d.id = rr.decision_id "        \
    "LEFT JOIN kasparro.records r ON r.id = rr.record_id WHERE rr.decision_id = $1 "

static const char *sql_kept =
    "SELECT rr.record_id, CASE WHEN r.id IS NULL THEN 'purged since' WHEN r.is_deleted THEN "
    "'deleted since' WHEN r.change_seq <> rr.change_seq THEN 'changed since' ELSE "
    "'read again since' END, count(*) OVER () " SQL_RESTORED_BY "AND NOT coalesce(" SQL_AS_RESTORED
    ", false) ORDER BY rr.record_id LIMIT 20";
/* The distinct deletions of the records to delete again. */
static const char *sql_deletions =
    "SELECT DISTINCT rr.deleted_at::text, extract(epoch FROM rr.deleted_at), "
    "rr.deleted_by_run " SQL_RESTORED_BY "AND " SQL_AS_RESTORED;
static const char *sql_gather =
    "INSERT INTO pg_temp.kasparro_doomed SELECT rr.record_id " SQL_RESTORED_BY
    "AND rr.deleted_at IS NOT DISTINCT FROM $2::timestamptz "
    "AND rr.deleted_by_run IS NOT DISTINCT FROM $3::bigint AND " SQL_AS_RESTORED;
static const char *sql_finish =
    "WITH u AS (UPDATE kasparro.decisions SET undone_by = $2 WHERE id = $1), "
    "d AS (UPDATE kasparro.decisions SET after = jsonb_build_object('deleted', $3::bigint, "
    "  'kept', $4::bigint) WHERE id = $2 RETURNING *) "
    "INSERT INTO kasparro.audit_log (actor, action, object_type, object_id, reason, before, "
    "after, decision_id) SELECT actor, 'undo', 'decision', undoes::text, $5, before, after, id "
    "FROM d";

/* The records that stay, with why, into out. */
static int list_kept(struct db *db, const char *dec, struct restore_undo *out, struct err *err)
{
    PGresult *r = db_exec(db, err, sql_kept, DB_PARAMS(dec));

    if (r == NULL)
        return -1;
    out->nkept = PQntuples(r) > 0 ? db_ll(r, 0, 2) : 0;
    for (int i = 0; i < PQntuples(r); i++) {
        cJSON *k = cJSON_CreateObject();
        cJSON_AddNumberToObject(k, "record", (double)db_ll(r, i, 0));
        cJSON_AddStringToObject(k, "why", PQgetvalue(r, i, 1));
        cJSON_AddItemToArray(out->kept, k);
    }
    PQclear(r);
    return 0;
}

/* Deletes again, one deletion (time, run) at a time, what is still as
 * restored. */
static int delete_again(struct db *db, const char *dec, const char *actor, struct restore_undo *out,
                        struct err *err)
{
    char reason[160];
    PGresult *r = db_exec(db, err, sql_deletions, DB_PARAMS(dec));
    int rc = 0;

    if (r == NULL)
        return -1;
    snprintf(reason, sizeof reason, "deleted again by %s: undo of restore decision %s", actor, dec);
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        struct doom how = {.run_id = db_ll(r, i, 2),
                           .at = strtod(PQgetvalue(r, i, 1), NULL),
                           .decision = out->undo};
        long long n;
        if (doomed_create(db, err) < 0 ||
            db_run(db, err, sql_gather, DB_PARAMS(dec, db_str(r, i, 0), db_str(r, i, 2))) < 0 ||
            (n = doomed_delete(db, &how, actor, reason, err)) < 0)
            rc = -1;
        else
            out->deleted += n;
    }
    PQclear(r);
    return rc;
}

/* 0 when restore `decision` (its locked row in r) may be undone, else
 * -1 with why: undone already, older than keep_deleted, its rows purged. */
static int undoable(const PGresult *r, long long decision, long long keep_deleted,
                    struct err *err)
{
    char days[32];

    if (PQntuples(r) == 0)
        return err_missing(err, "decision", decision);
    if (strcmp(PQgetvalue(r, 0, 0), "restore") != 0)
        return err_set(err, "decision %lld is not a restore", decision);
    if (!PQgetisnull(r, 0, 1))
        return err_set(err, "decision %lld is already undone (decision %s)", decision,
                       PQgetvalue(r, 0, 1));
    snprintf(days, sizeof days, "%.4g days", (double)keep_deleted / 86400);
    if (db_bool(r, 0, 2))
        return err_set(err, "decision %lld (a restore at %s) is older than [retention] "
                       "keep_deleted (%s) and cannot be undone: its records would go back "
                       "to deletions the purge is due to remove, and what the restore kept of "
                       "them is purged with them", decision, PQgetvalue(r, 0, 3), days);
    if (db_bool(r, 0, 4))
        return err_set(err, "decision %lld (a restore at %s) cannot be undone: a purge has "
                       "removed what it kept of its records", decision, PQgetvalue(r, 0, 3));
    return 0;
}

static int undo_body(struct db *db, long long decision, long long keep_deleted,
                     const char *actor, struct restore_undo *out, struct err *err)
{
    char dec[32], undo[32], deleted[32], kept[32], reason[64], cutoff[32];
    PGresult *r;
    int rc;

    snprintf(cutoff, sizeof cutoff, "%.6f", clock_now() - (double)keep_deleted);
    r = db_exec(db, err, sql_lock, DB_PARAMS(deletes_ll(dec, sizeof dec, decision), cutoff));
    if (r == NULL)
        return -1;
    rc = undoable(r, decision, keep_deleted, err);
    PQclear(r);
    if (rc < 0)
        return -1;
    if ((out->undo = db_insert_decision(db, err, sql_undo_decision, DB_PARAMS(actor, dec))) < 0)
        return -1;
    if (list_kept(db, dec, out, err) < 0 || delete_again(db, dec, actor, out, err) < 0)
        return -1;
    snprintf(reason, sizeof reason, "%lld deleted again, %lld kept", out->deleted, out->nkept);
    return db_run(db, err, sql_finish,
                  DB_PARAMS(dec, deletes_ll(undo, sizeof undo, out->undo),
                            deletes_ll(deleted, sizeof deleted, out->deleted),
                            deletes_ll(kept, sizeof kept, out->nkept), reason));
}

int deletes_undo_restore(struct db *db, long long decision, long long keep_deleted,
                         const char *actor, struct restore_undo *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    out->kept = cJSON_CreateArray();
    if (db_begin_changes(db, err) < 0)
        return -1;
    if (undo_body(db, decision, keep_deleted, actor, out, err) < 0 ||
        db_notify(db, "records", err) < 0 || db_commit(db, err) < 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

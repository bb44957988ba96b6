/*
 * held.c — an operator's decision on deletions the guard held (see
 * deletes.h).
 *
 * The holds of a run are locked (FOR UPDATE) for the whole decision, so
 * two operators deciding at once cannot both act: the second waits, then
 * finds the hold decided and is told by whom and when. Applying deletes the
 * held records that are still live and unchanged since the run that held
 * them (a later read that saw one again already took it out of the set; one
 * that changed it bumped last_changed_run), in the same statement as every
 * other soft delete, with deleted_by_run the holding run, so that
 * `restore --run` undoes it like any other.
 */
#include <stdio.h>
#include <string.h>

#include "kasparro/deletes.h"
#include "kasparro/deletes_internal.h"

/* The two commands that decide, which a note ends with. */
#define HELD_ADVICE "; '%sapply-deletes %lld' or '%sdiscard-deletes %lld'"

void held_note(char *out, size_t len, const char *prefix, long long run_id, long long still,
               const char *why)
{
    char by[64] = "";

    if (still >= 0)
        snprintf(by, sizeof by, " by run %lld (%lld still held)", run_id, still);
    err_format(out, len, "deletions held%s: %s" HELD_ADVICE, by, why, prefix, run_id, prefix,
               run_id);
}

size_t held_note_why_len(const char *note, long long run_id)
{
    char advice[128];
    size_t n = strlen(note);
    int a = snprintf(advice, sizeof advice, HELD_ADVICE, "kasparro ", run_id, "kasparro ", run_id);

    if (a > 0 && (size_t)a <= n && strcmp(note + n - (size_t)a, advice) == 0)
        return n - (size_t)a;
    return n;
}

static const char *sql_holds =
    "SELECT h.id, h.source, h.decision, h.decided_by, "
    SQL_UTC_ISO("h.decided_at") ", "
    "h.superseded_by_run, h.would_delete "
    "FROM kasparro.pending_deletes h WHERE h.run_id = $1 AND ($2::text IS NULL OR h.source = $2) "
    "ORDER BY h.source FOR UPDATE OF h";

static const char *sql_run_exists = "SELECT EXISTS (SELECT 1 FROM kasparro.runs WHERE id = $1)";

static const char *sql_gather =
    "INSERT INTO pg_temp.kasparro_doomed SELECT p.record_id FROM kasparro.pending_delete_records p "
    "JOIN kasparro.records r ON r.id = p.record_id WHERE p.pending_id = $1 AND NOT r.is_deleted "
    "AND r.last_changed_run <= $2";

static const char *sql_decide =
    "WITH h AS (UPDATE kasparro.pending_deletes SET decision = $2, decided_by = $3, "
    "  decided_at = now(), applied = $4 WHERE id = $1 RETURNING run_id, source), "
    "rs AS (UPDATE kasparro.run_sources r SET held_deletes = 0, "
    "  soft_deleted = r.soft_deleted + coalesce($4::bigint, 0) FROM h "
    "  WHERE r.run_id = h.run_id AND r.source = h.source) "
    "INSERT INTO kasparro.audit_log (actor, action, object_type, object_id, run_id, reason, "
    "  before, after) SELECT $3, CASE $2 WHEN 'applied' THEN 'apply_deletes' "
    "  ELSE 'discard_deletes' END, 'run', h.run_id::text, h.run_id, $6, '{\"decision\": null}', "
    "  jsonb_build_object('decision', $2::text, 'source', h.source, 'found', $5::bigint, "
    "  'deleted', coalesce($4::bigint, 0)) FROM h";

/* Why a decided hold cannot be decided again. */
static int already_decided(const PGresult *r, int i, long long run_id, struct err *err)
{
    const char *decision = db_str(r, i, 2);

    if (strcmp(decision, "superseded") == 0)
        return err_set(err,
                       "the deletions run %lld held for source '%s' were superseded by run "
                       "%lld, a later complete read; 'kasparro held' lists what is held now",
                       run_id, db_str(r, i, 1), db_ll(r, i, 5));
    return err_set(err, "the deletions run %lld held for source '%s' were already %s by %s at %s",
                   run_id, db_str(r, i, 1), decision, db_str(r, i, 3), db_str(r, i, 4));
}

/* Why a run has no hold to decide: it held none, or there is no such run
 * (a mistyped id is not a run that held nothing). */
static int nothing_held(struct db *db, long long run_id, const char *source, struct err *err)
{
    char run[32];
    PGresult *r = db_exec(db, err, sql_run_exists, DB_PARAMS(deletes_ll(run, sizeof run, run_id)));
    bool exists;

    if (r == NULL)
        return -1;
    exists = db_bool(r, 0, 0);
    PQclear(r);
    if (!exists)
        return err_missing(err, "run", run_id);
    return err_set(err, "run %lld held no deletions%s%s%s; 'kasparro held' lists what is held",
                   run_id, source ? " of source '" : "", source ? source : "", source ? "'" : "");
}

/* Applies or discards one open hold; adds to *out. */
static int decide_one(struct db *db, const PGresult *r, int i, long long run_id,
                      enum held_decision d, const char *actor, struct held_result *out,
                      struct err *err)
{
    const char *id = PQgetvalue(r, i, 0), *source = db_str(r, i, 1);
    long long found = db_ll(r, i, 6), deleted = 0;
    char run[32], found_s[32], deleted_s[32], reason[256];

    deletes_ll(run, sizeof run, run_id);
    if (d == HELD_APPLY) {
        snprintf(reason, sizeof reason,
                 "held by the mass-delete guard in run %lld (source "
                 "'%s'); applied by %s",
                 run_id, source, actor);
        if (doomed_create(db, err) < 0 || db_run(db, err, sql_gather, DB_PARAMS(id, run)) < 0 ||
            (deleted = doomed_delete(db, &(struct doom){.run_id = run_id}, actor, reason, err)) < 0)
            return -1;
    }
    snprintf(reason, sizeof reason,
             "%s the deletions held for source '%s': %lld of %lld "
             "records deleted",
             d == HELD_APPLY ? "applied" : "discarded", source, deleted, found);
    if (db_run(db, err, sql_decide,
               DB_PARAMS(id, d == HELD_APPLY ? "applied" : "discarded", actor,
                         d == HELD_APPLY ? deletes_ll(deleted_s, sizeof deleted_s, deleted) : NULL,
                         deletes_ll(found_s, sizeof found_s, found), reason)) < 0)
        return -1;
    out->holds++;
    out->deleted += deleted;
    out->kept += found - deleted;
    return 0;
}

static int decide_all(struct db *db, long long run_id, const char *source, enum held_decision d,
                      const char *actor, struct held_result *out, struct err *err)
{
    char run[32], payload[48];
    PGresult *r =
        db_exec(db, err, sql_holds, DB_PARAMS(deletes_ll(run, sizeof run, run_id), source));
    int first_decided = -1, rc = 0;

    if (r == NULL)
        return -1;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        if (db_str(r, i, 2) != NULL) {
            if (first_decided < 0)
                first_decided = i;
            continue;
        }
        rc = decide_one(db, r, i, run_id, d, actor, out, err);
    }
    if (rc == 0 && out->holds == 0) {
        if (first_decided >= 0)
            rc = already_decided(r, first_decided, run_id, err);
        else
            rc = nothing_held(db, run_id, source, err);
    }
    PQclear(r);
    snprintf(payload, sizeof payload, "run:%lld", run_id);
    return rc < 0 ? -1 : db_notify(db, payload, err);
}

int held_decide(struct db *db, long long run_id, const char *source, enum held_decision d,
                const char *actor, struct held_result *out, struct err *err)
{
    memset(out, 0, sizeof *out);
    if (db_begin_changes(db, err) < 0)
        return -1;
    if (decide_all(db, run_id, source, d, actor, out, err) < 0 || db_commit(db, err) < 0) {
        db_rollback(db);
        memset(out, 0, sizeof *out);
        return -1;
    }
    return 0;
}

/*
 * undo.c — split (take a record out of its entity, and keep it out) and
 * undo (revert any decision exactly).
 *
 * A split records cannot-links from the record to every other live member
 * and drops the must-links it had with them (kept in the decision's
 * "before", so undo can put them back). An undo restores the candidate's
 * status, removes the decision's links, restores removed ones and
 * re-clusters with the memberships from before the decision as the
 * preferred ids, so records return to the same entity ids and keys. The
 * pending pairs of its records that a pass scored while it stood are marked
 * stale until the next pass scores them again (sql_mark_rescore).
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup.h"
#include "kasparro/dedup_internal.h"

static const char *sql_entity_id =
    "SELECT id, key FROM kasparro.entities WHERE key = $1 OR id::text = $1";
static const char *sql_others =
    "SELECT record_id FROM kasparro.entity_members WHERE entity_id = $1 AND live "
    "AND record_id <> $2";
static const char *sql_is_member =
    "SELECT 1 FROM kasparro.entity_members WHERE entity_id = $1 AND record_id = $2 AND live";
static const char *sql_links_between =
    "SELECT coalesce(json_agg(json_build_array(rec_a, rec_b, kind, decision_id)), '[]')::text "
    "FROM kasparro.links WHERE kind = 'must' AND ((rec_a = $1 AND rec_b = ANY($2::bigint[])) "
    "OR (rec_b = $1 AND rec_a = ANY($2::bigint[])))";
static const char *sql_drop_links =
    "DELETE FROM kasparro.links WHERE kind = 'must' AND ((rec_a = $1 AND rec_b = "
    "ANY($2::bigint[])) OR (rec_b = $1 AND rec_a = ANY($2::bigint[])))";
static const char *sql_cannot_all =
    "INSERT INTO kasparro.links (rec_a, rec_b, kind, decision_id) "
    "SELECT least($1::bigint, o), greatest($1::bigint, o), 'cannot', $3 "
    "FROM unnest($2::bigint[]) o ON CONFLICT (rec_a, rec_b) DO UPDATE SET kind = 'cannot', "
    "decision_id = excluded.decision_id";

static int split_body(struct db *db, const struct config *cfg, const char *entity,
                      long long record, const char *actor, const char *reason,
                      long long *decision, struct err *err)
{
    char rec[24], ent[24], dec[24];
    struct buf others = BUF_INIT;
    PGresult *r = db_exec(db, err, sql_entity_id, DB_PARAMS(entity));
    int rc = -1;

    if (r == NULL)
        return -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return err_missing_name(err, "entity", entity);
    }
    int64_t eid = db_ll(r, 0, 0);
    char *key = xstrdup(PQgetvalue(r, 0, 1));
    PQclear(r);
    dedup_lltoa(eid, ent);
    dedup_lltoa(record, rec);
    if ((r = db_exec(db, err, sql_is_member, DB_PARAMS(ent, rec))) == NULL)
        goto out;
    bool member = PQntuples(r) == 1;
    PQclear(r);
    if (!member) {
        err_set(err, "record %lld is not a live member of entity '%s'", record, key);
        goto out;
    }
    if ((r = db_exec(db, err, sql_others, DB_PARAMS(ent, rec))) == NULL)
        goto out;
    if (PQntuples(r) == 0) {
        PQclear(r);
        err_set(err, "record %lld is the only member of entity '%s': nothing to split", record,
                key);
        goto out;
    }
    buf_addc(&others, '{');
    for (int i = 0; i < PQntuples(r); i++)
        buf_printf(&others, "%s%s", i ? "," : "", PQgetvalue(r, i, 0));
    buf_addc(&others, '}');
    PQclear(r);
    if ((r = db_exec(db, err, sql_links_between, DB_PARAMS(rec, others.data))) == NULL)
        goto out;
    char *members = decision_snapshot(db, &eid, 1, err);
    char *before = members ? xasprintf("{\"members\":%s,\"links_removed\":%s}", members,
                                       PQgetvalue(r, 0, 0))
                           : NULL;
    PQclear(r);
    free(members);
    if (before == NULL)
        goto out;
    *decision = decision_insert(db, "split", actor, reason, 0, record, eid, 0, before, err);
    free(before);
    long long recs[1] = {record};
    int64_t split_rec = record, none = 0;
    /* the record taken out claims no entity: the entity, its id and key
     * stay with the members that remain, even when only one remains */
    struct preferred pref = {.entity = &none};
    idmap_init(&pref.map, 1);
    idmap_put(&pref.map, split_rec, 0);
    if (*decision >= 0 && db_run(db, err, sql_drop_links, DB_PARAMS(rec, others.data)) == 0 &&
        db_run(db, err, sql_cannot_all,
               DB_PARAMS(rec, others.data, dedup_lltoa(*decision, dec))) == 0 &&
        recluster(db, cfg, &eid, 1, &split_rec, 1, &pref, err) == 0 &&
        decision_finish(db, *decision, recs, 1, err) == 0)
        rc = 0;
    idmap_free(&pref.map);
out:
    free(key);
    buf_free(&others);
    return rc;
}

int dedup_split(struct db *db, const struct config *cfg, const char *entity, long long record,
                const char *actor, const char *reason, long long *decision, struct err *err)
{
    if (decision_begin(db, err) < 0)
        return -1;
    return decision_end(db, split_body(db, cfg, entity, record, actor, reason, decision, err),
                        err);
}

static const char *sql_pick =
    "SELECT id, action, before::text, candidate_id, undone_by, undoes FROM kasparro.decisions "
    "WHERE CASE WHEN $1::bigint = 0 THEN undone_by IS NULL AND action NOT IN ('undo', 'restore') "
    "ELSE id = $1::bigint END ORDER BY id DESC LIMIT 1 FOR UPDATE";
static const char *sql_restore_candidate =
    "UPDATE kasparro.match_candidates SET status = $2, decided_by = NULL, decided_at = NULL, "
    "reason = NULL, decision_id = NULL, updated_at = now() WHERE id = $1";
static const char *sql_relink =
    "INSERT INTO kasparro.links (rec_a, rec_b, kind, decision_id) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (rec_a, rec_b) DO NOTHING";
static const char *sql_current_entities =
    "SELECT DISTINCT entity_id FROM kasparro.entity_members WHERE record_id = ANY($1::bigint[])";

/* Opens what the decision settled: the pairs it listed, those carrying
 * its id, and every pair an approval settled in the entities the undo
 * changes ($3: the records of its "before") — a pair a later pass settled because the entity held
 * both its records carries the entity's latest approval, which need not be
 * this one. The undo's re-clustering settles again the pairs still in one
 * entity or ruled out by another approval (store.c). */
static const char *sql_reopen_settled =
    "WITH e AS (SELECT record_id FROM kasparro.entity_members WHERE live AND entity_id IN "
    "  (SELECT entity_id FROM kasparro.entity_members WHERE record_id = ANY($3::bigint[]))) "
    "UPDATE kasparro.match_candidates SET status = 'pending', decision_id = NULL, "
    "updated_at = now() WHERE status = 'superseded' AND (id IN (SELECT "
    "jsonb_array_elements_text($1::jsonb)::bigint) OR decision_id = $2::bigint OR "
    "(decision_id IS NOT NULL AND (rec_a IN (SELECT record_id FROM e) OR "
    "rec_b IN (SELECT record_id FROM e))))";

/* The pending pairs of the undone decision's records ($1: its candidates'
 * records, a split's record) keep the probability and note a matching
 * pass gave them while it stood (one-to-one counted an approval as
 * certain, a rejection as ruling its pair out) until the next pass scores
 * them again: stale_undo ($2, the undo) marks them stale, which the queue,
 * show-match, the Review screen and the HTTP API show beside their note
 * until that pass clears it. Only when a pass ran since the decision:
 * before it, their scores never counted it. */
static const char *sql_mark_rescore =
    "WITH d AS (SELECT id, at, candidate_id, record_id, before FROM kasparro.decisions "
    "  WHERE id = $1::bigint), "
    "k AS (SELECT candidate_id AS id FROM d UNION SELECT (e->>'id')::bigint FROM d, "
    "  jsonb_array_elements(coalesce(d.before->'candidates', '[]')) e), "
    "r AS (SELECT rec_a AS id FROM kasparro.match_candidates WHERE id IN (SELECT id FROM k) "
    "  UNION SELECT rec_b FROM kasparro.match_candidates WHERE id IN (SELECT id FROM k) "
    "  UNION SELECT record_id FROM d WHERE record_id IS NOT NULL) "
    "UPDATE kasparro.match_candidates c SET stale_undo = $2::bigint FROM d "
    "WHERE c.status = 'pending' AND (c.rec_a IN (SELECT id FROM r) OR "
    "c.rec_b IN (SELECT id FROM r)) AND (SELECT last_run_at FROM kasparro.dedup_state) > d.at";

/* The automatic pairs the decision queued because they crossed its
 * cannot-link ($1, its "requeued") are automatic again, for the undo's
 * re-clustering to join, unless something since decided or re-scored them
 * (updated after the decision: the next pass scores them again). */
static const char *sql_restore_requeued =
    "UPDATE kasparro.match_candidates SET status = 'auto', note = NULL, updated_at = now() "
    "WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)::bigint) AND status = 'pending' "
    "AND note = '" DEDUP_NOTE_CANNOT "' AND updated_at = "
    "(SELECT at FROM kasparro.decisions WHERE id = $2::bigint)";
/* A decision recorded before "requeued" existed lists none: the pairs its
 * transaction queued so are found as sql_finish found them — queued with
 * that note at its time (the transaction's: nothing else was updated at
 * it since) — among the members of its entities ($1, its "before"). */
static const char *sql_restore_requeued_old =
    "UPDATE kasparro.match_candidates SET status = 'auto', note = NULL, updated_at = now() "
    "WHERE rec_a = ANY($1::bigint[]) AND rec_b = ANY($1::bigint[]) AND status = 'pending' "
    "AND note = '" DEDUP_NOTE_CANNOT "' AND updated_at = "
    "(SELECT at FROM kasparro.decisions WHERE id = $2::bigint)";

/* The records of the pairs marked stale ($1, the undo) count as changed
 * for the next pass (their membership's seq no longer their change_seq),
 * so that the next run's incremental pass, not only a rescan, scores them
 * again, as the stale note promises. */
static const char *sql_rescore_records =
    "UPDATE kasparro.entity_members m SET seq = -1 FROM kasparro.match_candidates c "
    "WHERE c.stale_undo = $1::bigint AND m.record_id IN (c.rec_a, c.rec_b)";

/* Puts back the links a split removed. */
static int relink(struct db *db, cJSON *removed, struct err *err)
{
    cJSON *l;

    cJSON_ArrayForEach(l, removed) {
        char a[24], b[24], d[24];
        const char *kind = cJSON_GetStringValue(cJSON_GetArrayItem(l, 2));
        if (db_run(db, err, sql_relink,
                   DB_PARAMS(dedup_lltoa((long long)cJSON_GetNumberValue(cJSON_GetArrayItem(l, 0)), a),
                             dedup_lltoa((long long)cJSON_GetNumberValue(cJSON_GetArrayItem(l, 1)), b),
                             kind ? kind : "must",
                             dedup_lltoa((long long)cJSON_GetNumberValue(cJSON_GetArrayItem(l, 3)), d))) < 0)
            return -1;
    }
    return 0;
}

/* The records of `members` ([[record, entity], ...]) as a bigint[] literal. */
static void members_records(struct buf *arr, cJSON *members)
{
    cJSON *m;

    buf_addc(arr, '{');
    cJSON_ArrayForEach(m, members)
        buf_printf(arr, "%s%.0f", arr->len > 1 ? "," : "",
                   cJSON_GetNumberValue(cJSON_GetArrayItem(m, 0)));
    buf_addc(arr, '}');
}

/* Makes automatic again the pairs the decision `id` queued because they
 * crossed its cannot-link: its before's "requeued", or, in a decision
 * recorded before that list existed, those found by its time. */
static int restore_requeued(struct db *db, cJSON *before, const char *id, struct err *err)
{
    cJSON *list = cJSON_GetObjectItem(before, "requeued");
    struct buf recs = BUF_INIT;
    int rc;

    if (list != NULL) {
        char *ids = cJSON_PrintUnformatted(list);
        rc = db_run(db, err, sql_restore_requeued, DB_PARAMS(ids, id));
        cJSON_free(ids);
        return rc;
    }
    members_records(&recs, cJSON_GetObjectItem(before, "members"));
    rc = db_run(db, err, sql_restore_requeued_old, DB_PARAMS(recs.data, id));
    buf_free(&recs);
    return rc;
}

/* Puts the candidates a decision settled back to their status before it:
 * "candidates": [{"id", "status"}] in its "before" (and "superseded": the
 * pending pairs it settled on the way), or, in decisions recorded before
 * sets existed, "candidate": {"status"} of `single`. */
static int restore_candidates(struct db *db, cJSON *before, const char *single,
                              const char *decision, struct err *err)
{
    cJSON *list = cJSON_GetObjectItem(before, "candidates"), *c;

    if (list == NULL) {
        const char *status = cJSON_GetStringValue(
            cJSON_GetObjectItem(cJSON_GetObjectItem(before, "candidate"), "status"));
        return single == NULL ? 0
                              : db_run(db, err, sql_restore_candidate,
                                       DB_PARAMS(single, status ? status : "pending"));
    }
    cJSON_ArrayForEach(c, list) {
        char id[24];
        const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(c, "status"));
        if (db_run(db, err, sql_restore_candidate,
                   DB_PARAMS(dedup_lltoa((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(c, "id")), id),
                             status ? status : "pending")) < 0)
            return -1;
    }
    /* pairs the decision settled as a side effect are open again: those it
     * listed, the rivals its must-link ruled out since and the pairs its
     * entity settled since (a later pass found them; store.c marks them
     * with an approval) */
    char *settled = cJSON_PrintUnformatted(cJSON_GetObjectItem(before, "superseded"));
    struct buf recs = BUF_INIT;
    members_records(&recs, cJSON_GetObjectItem(before, "members"));
    int rc = db_run(db, err, sql_reopen_settled,
                    DB_PARAMS(settled ? settled : "[]", decision, recs.data));
    cJSON_free(settled);
    buf_free(&recs);
    return rc;
}

/* Re-clusters the records of `members` ([[record, entity], ...]) preferring
 * those entities, together with the entities they are in now. */
static int restore_members(struct db *db, const struct config *cfg, cJSON *members,
                           long long **recs, size_t *nrecs, struct err *err)
{
    size_t n = (size_t)cJSON_GetArraySize(members), k = 0;
    struct preferred pref;
    struct buf arr = BUF_INIT;
    int64_t *ents = xmalloc((2 * n + 1) * sizeof *ents);
    size_t nents = 0;
    cJSON *m;
    int rc = -1;

    *recs = xmalloc((n + 1) * sizeof **recs);
    pref.entity = xmalloc((n + 1) * sizeof *pref.entity);
    idmap_init(&pref.map, n + 1);
    cJSON_ArrayForEach(m, members) {
        (*recs)[k] = (long long)cJSON_GetNumberValue(cJSON_GetArrayItem(m, 0));
        pref.entity[k] = ents[nents++] = (int64_t)cJSON_GetNumberValue(cJSON_GetArrayItem(m, 1));
        idmap_put(&pref.map, (*recs)[k], (uint32_t)k);
        k++;
    }
    *nrecs = k;
    ids_array_text(&arr, (const int64_t *)*recs, k);
    PGresult *r = db_exec(db, err, sql_current_entities, DB_PARAMS(arr.data));
    if (r != NULL) {
        for (int i = 0; i < PQntuples(r); i++)
            ents[nents++] = db_ll(r, i, 0);
        PQclear(r);
        rc = recluster(db, cfg, ents, nents, (const int64_t *)*recs, k, &pref, err);
    }
    buf_free(&arr);
    free(ents);
    free(pref.entity);
    idmap_free(&pref.map);
    return rc;
}

/* The memberships now of the records in `members` ([[record, entity],
 * ...]): what an undo is about to change, its "before". */
static char *snapshot_now(struct db *db, cJSON *members, struct err *err)
{
    struct buf arr = BUF_INIT;
    PGresult *r;

    members_records(&arr, members);
    r = db_exec(db, err, "SELECT coalesce(json_agg(json_build_array(record_id, entity_id) "
                "ORDER BY record_id), '[]')::text FROM kasparro.entity_members WHERE live AND "
                "entity_id IN (SELECT entity_id FROM kasparro.entity_members WHERE live AND "
                "record_id = ANY($1::bigint[]))", DB_PARAMS(arr.data));
    buf_free(&arr);
    if (r == NULL)
        return NULL;
    char *s = xasprintf("{\"members\":%s}", PQgetvalue(r, 0, 0));
    PQclear(r);
    return s;
}

static int undo_body(struct db *db, const struct config *cfg, long long which, const char *actor,
                     long long *undone, long long *undo_decision, struct err *err)
{
    char id[24], cand[24];
    long long *recs = NULL;
    size_t nrecs = 0;
    PGresult *r = db_exec(db, err, sql_pick, DB_PARAMS(dedup_lltoa(which, id)));

    if (r == NULL)
        return -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return which ? err_missing(err, "decision", which) : err_set(err, "no decision to undo");
    }
    *undone = db_ll(r, 0, 0);
    if (strcmp(PQgetvalue(r, 0, 1), "undo") == 0 || strcmp(PQgetvalue(r, 0, 1), "restore") == 0 ||
        !PQgetisnull(r, 0, 4)) {
        int rc = err_set(err, "decision %lld %s", *undone,
                         !PQgetisnull(r, 0, 4) ? "is already undone"
                         : PQgetvalue(r, 0, 1)[0] == 'r'
                             ? "is a restore, which the deletes module undoes"
                             : "is an undo; decide again instead");
        PQclear(r);
        return rc;
    }
    cJSON *before = cJSON_Parse(PQgetvalue(r, 0, 2));
    bool has_cand = !PQgetisnull(r, 0, 3);
    snprintf(cand, sizeof cand, "%s", PQgetvalue(r, 0, 3));
    PQclear(r);
    dedup_lltoa(*undone, id);
    int rc = -1;
    char *now_members = snapshot_now(db, cJSON_GetObjectItem(before, "members"), err);
    if (now_members == NULL || restore_candidates(db, before, has_cand ? cand : NULL, id, err) < 0 ||
        restore_requeued(db, before, id, err) < 0 ||
        db_run(db, err, "DELETE FROM kasparro.links WHERE decision_id = $1", DB_PARAMS(id)) < 0 ||
        relink(db, cJSON_GetObjectItem(before, "links_removed"), err) < 0 ||
        restore_members(db, cfg, cJSON_GetObjectItem(before, "members"), &recs, &nrecs, err) < 0)
        goto out;
    char *now = NULL;
    *undo_decision = decision_insert(db, "undo", actor, NULL, 0, 0, 0, *undone, now_members, err);
    if (*undo_decision < 0 ||
        db_run(db, err, "UPDATE kasparro.decisions SET undone_by = $2 WHERE id = $1",
               DB_PARAMS(id, now = xasprintf("%lld", *undo_decision))) < 0 ||
        db_run(db, err, sql_mark_rescore, DB_PARAMS(id, now)) < 0 ||
        db_run(db, err, sql_rescore_records, DB_PARAMS(now)) < 0 ||
        decision_finish(db, *undo_decision, recs, nrecs, err) < 0) {
        free(now);
        goto out;
    }
    free(now);
    rc = 0;
out:
    cJSON_Delete(before);
    free(now_members);
    free(recs);
    return rc;
}

int dedup_undo(struct db *db, const struct config *cfg, long long decision, const char *actor,
               long long *undone, long long *undo_decision, struct err *err)
{
    if (decision_begin(db, err) < 0)
        return -1;
    return decision_end(db, undo_body(db, cfg, decision, actor, undone, undo_decision, err), err);
}

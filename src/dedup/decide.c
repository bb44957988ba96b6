/*
 * decide.c — operator decisions: approve (must-link), reject (cannot-link),
 * split (cannot-links from one record to the rest of its entity) and undo.
 *
 * Each decision is one transaction under the dedup lock: check the
 * candidate is still open (a second operator racing on it waits for the
 * lock, then finds it decided and is told by whom and when), snapshot the
 * memberships involved, record the decision and its constraint, re-cluster
 * the entities involved (recluster.c), and write the decision's before and
 * after into both decisions and audit_log. The conditional updates
 * (WHERE status IN ...) are a second guard should the lock ever be skipped.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/dedup.h"
#include "kasparro/dedup_internal.h"

static const char *sql_candidate =
    "SELECT c.status, c.decided_by, to_char(c.decided_at AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), c.rec_a, c.rec_b, ma.entity_id, mb.entity_id, c.note "
    "FROM kasparro.match_candidates c "
    "LEFT JOIN kasparro.entity_members ma ON ma.record_id = c.rec_a AND ma.live "
    "LEFT JOIN kasparro.entity_members mb ON mb.record_id = c.rec_b AND mb.live "
    "WHERE c.id = $1 FOR UPDATE OF c";
static const char *sql_snapshot =
    "SELECT coalesce(json_agg(json_build_array(record_id, entity_id) ORDER BY record_id), "
    "'[]')::text FROM kasparro.entity_members WHERE entity_id = ANY($1::bigint[]) AND live";
static const char *sql_conflict =
    "SELECT l.rec_a, l.rec_b, l.decision_id FROM kasparro.links l "
    "JOIN kasparro.entity_members x ON x.record_id = l.rec_a AND x.live "
    "JOIN kasparro.entity_members y ON y.record_id = l.rec_b AND y.live "
    "WHERE l.kind = 'cannot' AND ((x.entity_id = $1 AND y.entity_id = $2) OR "
    "(x.entity_id = $2 AND y.entity_id = $1)) LIMIT 1";
static const char *sql_decision =
    "INSERT INTO kasparro.decisions (id, action, actor, reason, candidate_id, record_id, "
    "entity_id, undoes, before) VALUES (" SQL_DECISION_ID ", $1, $2, $3, $4::bigint, "
    "$5::bigint, $6::bigint, $7::bigint, $8::jsonb) RETURNING id";
/* The automatic pairs this transaction queued (recluster.c) join the
 * decision's "before" as "requeued". */
static const char *sql_finish =
    "WITH q AS (SELECT coalesce(jsonb_agg(id ORDER BY id), '[]') AS ids FROM "
    "  kasparro.match_candidates WHERE status = 'pending' AND updated_at = now() AND "
    "  note = '" DEDUP_NOTE_CANNOT "'), "
    "d AS (UPDATE kasparro.decisions SET after = $2::jsonb, before = CASE WHEN q.ids = '[]' "
    "  THEN before ELSE before || jsonb_build_object('requeued', q.ids) END FROM q "
    "  WHERE id = $1 RETURNING kasparro.decisions.*) "
    "INSERT INTO kasparro.audit_log (actor, action, object_type, object_id, reason, before, "
    "after, decision_id) SELECT actor, action, CASE WHEN candidate_id IS NOT NULL THEN "
    "'candidate' WHEN action IN ('undo', 'approve', 'reject') THEN 'decision' ELSE 'entity' "
    "END, coalesce(candidate_id, undoes, entity_id, id)::text, reason, before, after, id FROM d";
static const char *sql_link =
    "INSERT INTO kasparro.links (rec_a, rec_b, kind, decision_id) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (rec_a, rec_b) DO UPDATE SET kind = excluded.kind, "
    "decision_id = excluded.decision_id, created_at = now()";
static const char *sql_set_status =
    "UPDATE kasparro.match_candidates SET status = $2, decided_by = $3, decided_at = now(), "
    "reason = $4, decision_id = $5, updated_at = now() "
    "WHERE id = $1 AND status IN ('pending', 'auto', 'superseded')";

struct cand {
    char status[16];
    char decided_by[128];
    char decided_at[40];
    long long rec[2];
    long long entity[2];
};

char *dedup_lltoa(long long v, char *buf) /* buf of 24 */
{
    snprintf(buf, 24, "%lld", v);
    return buf;
}

static int fetch_candidate(struct db *db, long long id, struct cand *c, struct err *err)
{
    char idt[24];
    PGresult *r = db_exec(db, err, sql_candidate, DB_PARAMS(dedup_lltoa(id, idt)));

    if (r == NULL)
        return -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return err_missing(err, "candidate", id);
    }
    snprintf(c->status, sizeof c->status, "%s", PQgetvalue(r, 0, 0));
    snprintf(c->decided_by, sizeof c->decided_by, "%s", PQgetvalue(r, 0, 1));
    snprintf(c->decided_at, sizeof c->decided_at, "%s", PQgetvalue(r, 0, 2));
    for (int k = 0; k < 2; k++) {
        c->rec[k] = db_ll(r, 0, 3 + k);
        c->entity[k] = db_ll(r, 0, 5 + k);
    }
    PQclear(r);
    if (strcmp(c->status, "approved") == 0 || strcmp(c->status, "rejected") == 0)
        return err_set(err, "candidate %lld already decided by %s at %s (%s)", id, c->decided_by,
                       c->decided_at, c->status);
    if (c->entity[0] == 0 || c->entity[1] == 0)
        return err_set(err, "candidate %lld: a record of it is deleted", id);
    return 0;
}

char *decision_snapshot(struct db *db, const int64_t *entities, size_t n, struct err *err)
{
    struct buf arr = BUF_INIT;
    PGresult *r;

    ids_array_text(&arr, entities, n);
    r = db_exec(db, err, sql_snapshot, DB_PARAMS(arr.data));
    buf_free(&arr);
    if (r == NULL)
        return NULL;
    char *s = xstrdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    return s;
}

long long decision_insert(struct db *db, const char *action, const char *actor,
                                 const char *reason, long long cand, long long record,
                                 long long entity, long long undoes, const char *before,
                                 struct err *err)
{
    char c[24], rec[24], ent[24], und[24];
    return db_insert_decision(db, err, sql_decision,
                              DB_PARAMS(action, actor, reason, cand ? dedup_lltoa(cand, c) : NULL,
                                        record ? dedup_lltoa(record, rec) : NULL,
                                        entity ? dedup_lltoa(entity, ent) : NULL,
                                        undoes ? dedup_lltoa(undoes, und) : NULL, before));
}

/* Writes `after` (the memberships of the records' entities now). */
int decision_finish(struct db *db, long long decision, const long long *records, size_t n,
                  struct err *err)
{
    struct buf arr = BUF_INIT;
    char idt[24];

    ids_array_text(&arr, (const int64_t *)records, n);
    PGresult *r = db_exec(db, err,
                          "SELECT array_agg(DISTINCT entity_id)::text FROM "
                          "kasparro.entity_members WHERE record_id = ANY($1::bigint[])",
                          DB_PARAMS(arr.data));
    buf_free(&arr);
    if (r == NULL)
        return -1;
    buf_adds(&arr, PQgetisnull(r, 0, 0) ? "{}" : PQgetvalue(r, 0, 0));
    PQclear(r);
    r = db_exec(db, err, sql_snapshot, DB_PARAMS(arr.data));
    buf_free(&arr);
    if (r == NULL)
        return -1;
    char *after = xasprintf("{\"members\":%s}", PQgetvalue(r, 0, 0));
    PQclear(r);
    int rc = db_run(db, err, sql_finish, DB_PARAMS(dedup_lltoa(decision, idt), after));
    free(after);
    return rc;
}

int decision_begin(struct db *db, struct err *err)
{
    return db_begin(db, err) < 0 ? -1 : dedup_lock(db, err) < 0 ? (db_rollback(db), -1) : 0;
}

int decision_end(struct db *db, int rc, struct err *err)
{
    if (rc < 0) {
        db_rollback(db);
        return -1;
    }
    if (db_commit(db, err) < 0)
        return -1;
    db_notify(db, "entities", err);
    return 0;
}

/* Approves or rejects candidate `id` as part of decision `decision`, inside
 * the decision's transaction; appends its records to `recs` and its status
 * before to `cands` ({"id", "status"}). */
static int decide_one(struct db *db, const struct config *cfg, long long id, bool approve,
                      long long decision, const char *actor, const char *reason,
                      const char *status_before, struct buf *recs, cJSON *cands,
                      struct err *err)
{
    struct cand c;
    char a[24], b[24], dt[24], idt[24];

    if (fetch_candidate(db, id, &c, err) < 0)
        return -1;
    if (approve && c.entity[0] != c.entity[1]) {
        PGresult *r = db_exec(db, err, sql_conflict,
                              DB_PARAMS(dedup_lltoa(c.entity[0], a), dedup_lltoa(c.entity[1], b)));
        if (r == NULL)
            return -1;
        if (PQntuples(r) > 0) {
            err_set(err, "candidate %lld: approving it would join records %s and %s, kept "
                    "apart by decision %s; undo that decision first", id, PQgetvalue(r, 0, 0),
                    PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2));
            PQclear(r);
            return -1;
        }
        PQclear(r);
    }
    PGresult *r = db_exec(db, err, sql_set_status,
                          DB_PARAMS(dedup_lltoa(id, idt), approve ? "approved" : "rejected", actor,
                                    reason, dedup_lltoa(decision, dt)));
    if (r == NULL)
        return -1;
    bool updated = atoll(PQcmdTuples(r)) == 1;
    PQclear(r);
    if (!updated)
        return err_set(err, "candidate %lld was decided meanwhile", id);
    int64_t ents[2] = {c.entity[0], c.entity[1]};
    if (db_run(db, err, sql_link, DB_PARAMS(dedup_lltoa(c.rec[0], a), dedup_lltoa(c.rec[1], b),
                                            approve ? "must" : "cannot", dt)) < 0 ||
        recluster(db, cfg, ents, 2, NULL, 0, NULL, err) < 0)
        return -1;
    buf_add(recs, c.rec, sizeof c.rec);
    cJSON *one = cJSON_CreateObject();
    cJSON_AddNumberToObject(one, "id", (double)id);
    cJSON_AddStringToObject(one, "status", status_before ? status_before : c.status);
    cJSON_AddItemToArray(cands, one);
    return 0;
}

/* Runs `sql` with the candidate ids as its one parameter, a bigint[]. */
static PGresult *exec_on_ids(struct db *db, const char *sql, const long long *ids, size_t n,
                             struct err *err)
{
    struct buf arr = BUF_INIT;

    ids_array_text(&arr, (const int64_t *)ids, n);
    PGresult *r = db_exec(db, err, sql, DB_PARAMS(arr.data));
    buf_free(&arr);
    return r;
}

/* The statuses of the candidates before the decision, in ids order (an
 * approval early in a set can settle a later one); NULL for candidates that
 * do not exist (decide_one reports them). */
static const char *sql_set_statuses =
    "SELECT c.status FROM unnest($1::bigint[]) WITH ORDINALITY i(id, k) "
    "LEFT JOIN kasparro.match_candidates c ON c.id = i.id ORDER BY i.k";
/* Pending candidates outside the set that the decision settled (their
 * records now share an entity): an undo makes them pending again. */
static const char *sql_set_superseded =
    "SELECT coalesce(json_agg(id ORDER BY id), '[]')::text FROM kasparro.match_candidates "
    "WHERE status = 'superseded' AND updated_at = now() AND id <> ALL($1::bigint[])";
/* The members of the live entities of the candidates' records now: the
 * decision's "before". */
static const char *sql_set_snapshot =
    "SELECT coalesce(json_agg(json_build_array(record_id, entity_id) ORDER BY record_id), "
    "'[]')::text FROM kasparro.entity_members WHERE live AND entity_id IN (SELECT m.entity_id "
    "FROM kasparro.match_candidates c JOIN kasparro.entity_members m ON m.live AND "
    "m.record_id IN (c.rec_a, c.rec_b) WHERE c.id = ANY($1::bigint[]))";

/* The one text value `sql` returns for the ids (caller frees), or NULL. */
static char *text_on_ids(struct db *db, const char *sql, const long long *ids, size_t n,
                         struct err *err)
{
    PGresult *r = exec_on_ids(db, sql, ids, n, err);

    if (r == NULL)
        return NULL;
    char *s = xstrdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    return s;
}

/* One decision for candidates ids[0..n), in an open transaction: each
 * approved or rejected in turn. Without `skip` any failure fails them all;
 * with it, a candidate that cannot be decided (settled meanwhile, crossing
 * a cannot-link, a record deleted) is left out and counted in *skipped.
 * *decision is 0 when no candidate was decided. */
static int decide_set(struct db *db, const struct config *cfg, const long long *ids, size_t n,
                      bool approve, bool skip, const char *actor, const char *reason,
                      long long *decision, long long *skipped, struct err *err)
{
    struct buf recs = BUF_INIT;
    cJSON *cands = cJSON_CreateArray(), *superseded = NULL;
    char *members = text_on_ids(db, sql_set_snapshot, ids, n, err), *settled = NULL;
    PGresult *statuses = members ? exec_on_ids(db, sql_set_statuses, ids, n, err) : NULL;
    int rc = -1;

    *decision = *skipped = 0;
    if (statuses == NULL)
        goto out;
    *decision = decision_insert(db, approve ? "approve" : "reject", actor, reason,
                                n == 1 ? ids[0] : 0, 0, 0, 0, "{}", err);
    if (*decision < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        struct err one = {0};
        if (skip && db_run(db, err, "SAVEPOINT one", 0, NULL) < 0)
            goto out;
        if (decide_one(db, cfg, ids[i], approve, *decision, actor, reason,
                       db_str(statuses, (int)i, 0), &recs, cands, skip ? &one : err) == 0) {
            if (skip && db_run(db, err, "RELEASE SAVEPOINT one", 0, NULL) < 0)
                goto out;
            continue;
        }
        if (!skip || db_run(db, err, "ROLLBACK TO SAVEPOINT one", 0, NULL) < 0)
            goto out;
        (*skipped)++;
    }
    if (cJSON_GetArraySize(cands) == 0) {
        *decision = 0; /* the caller rolls the empty decision back */
        rc = 0;
        goto out;
    }
    if ((settled = text_on_ids(db, sql_set_superseded, ids, n, err)) == NULL)
        goto out;
    superseded = cJSON_Parse(settled);
    cJSON *before = cJSON_CreateObject();
    cJSON_AddItemToObject(before, "candidates", cands);
    cJSON_AddItemToObject(before, "superseded", superseded);
    cJSON_AddRawToObject(before, "members", members);
    cands = superseded = NULL;
    char *text = cJSON_PrintUnformatted(before), dt[24];
    cJSON_Delete(before);
    rc = db_run(db, err, "UPDATE kasparro.decisions SET before = $2::jsonb WHERE id = $1",
                DB_PARAMS(dedup_lltoa(*decision, dt), text));
    cJSON_free(text);
    if (rc == 0)
        rc = decision_finish(db, *decision, (const long long *)recs.data,
                             recs.len / sizeof(long long), err);
out:
    free(members);
    free(settled);
    PQclear(statuses);
    cJSON_Delete(cands);
    cJSON_Delete(superseded);
    buf_free(&recs);
    return rc;
}

int dedup_decide(struct db *db, const struct config *cfg, const long long *ids, size_t n,
                 bool approve, const char *actor, const char *reason, long long *decision,
                 struct err *err)
{
    long long skipped;

    if (decision_begin(db, err) < 0)
        return -1;
    return decision_end(
        db, decide_set(db, cfg, ids, n, approve, false, actor, reason, decision, &skipped, err),
        err);
}

int dedup_approve(struct db *db, const struct config *cfg, long long candidate,
                  const char *actor, const char *reason, long long *decision, struct err *err)
{
    return dedup_decide(db, cfg, &candidate, 1, true, actor, reason, decision, err);
}

int dedup_reject(struct db *db, const struct config *cfg, long long candidate,
                 const char *actor, const char *reason, long long *decision, struct err *err)
{
    return dedup_decide(db, cfg, &candidate, 1, false, actor, reason, decision, err);
}

static const char *sql_count_above =
    "SELECT count(*) FROM kasparro.match_candidates c "
    "JOIN kasparro.records ra ON ra.id = c.rec_a AND NOT ra.is_deleted "
    "JOIN kasparro.records rb ON rb.id = c.rec_b AND NOT rb.is_deleted "
    "WHERE c.status = 'pending' AND c.probability >= $1";
static const char *sql_list_above =
    "SELECT c.id FROM kasparro.match_candidates c "
    "JOIN kasparro.records ra ON ra.id = c.rec_a AND NOT ra.is_deleted "
    "JOIN kasparro.records rb ON rb.id = c.rec_b AND NOT rb.is_deleted "
    "WHERE c.status = 'pending' AND c.probability >= $1 ORDER BY c.probability DESC, c.id";

int dedup_count_above(struct db *db, double min, long long *count, struct err *err)
{
    char p[32];

    snprintf(p, sizeof p, "%.17g", min);
    PGresult *r = db_exec(db, err, sql_count_above, DB_PARAMS(p));
    if (r == NULL)
        return -1;
    *count = db_ll(r, 0, 0);
    PQclear(r);
    return 0;
}

int dedup_approve_above(struct db *db, const struct config *cfg, double min, const char *actor,
                        const char *reason, long long *decision, long long *approved,
                        long long *skipped, struct err *err)
{
    char p[32];
    long long *ids;
    int rc;

    *decision = *approved = *skipped = 0;
    snprintf(p, sizeof p, "%.17g", min);
    if (decision_begin(db, err) < 0)
        return -1;
    PGresult *r = db_exec(db, err, sql_list_above, DB_PARAMS(p));
    if (r == NULL)
        return decision_end(db, -1, err);
    size_t n = (size_t)PQntuples(r);
    ids = xmalloc((n + 1) * sizeof *ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = db_ll(r, (int)i, 0);
    PQclear(r);
    /* a candidate crossing a cannot-link, or settled meanwhile, is skipped */
    rc = n == 0 ? 0
                : decide_set(db, cfg, ids, n, true, true, actor, reason ? reason : "bulk approval",
                             decision, skipped, err);
    free(ids);
    *approved = rc == 0 && *decision ? (long long)n - *skipped : 0;
    if (rc == 0 && *decision == 0) {
        db_rollback(db); /* nothing decided: no decision to keep */
        return 0;
    }
    return decision_end(db, rc, err);
}

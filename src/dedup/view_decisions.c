/*
 * view_decisions.c — operator decisions with their ids, newest first: who
 * approved, rejected, split or undid what, when and why, and which decision
 * undid it, and the restores of soft-deleted records (whose records
 * restore.c keeps). For `kasparro decisions` and the console's Audit
 * screen; the id is what `undo` takes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/dedup.h"
#include "kasparro/dedup_internal.h"

/* The page is cut from the decisions alone ("page": the filters, the
 * count of all they match, newest first, at most $4), and only its rows are
 * joined and rendered: a page older than decision $6 reads no newer one,
 * and the count reads the decisions' own rows, not their candidates. */
static const char *sql_decisions =
    "WITH page AS (SELECT d.id, count(*) OVER () AS total FROM kasparro.decisions d "
    "WHERE ($1::text IS NULL OR d.action = $1) AND ($2::text IS NULL OR d.actor = $2) "
    "AND ($3::double precision IS NULL OR d.at >= to_timestamp($3)) "
    "AND ($5::bigint IS NULL OR d.id = $5) AND ($6::bigint IS NULL OR d.id < $6) "
    "ORDER BY d.id DESC LIMIT $4) "
    "SELECT d.id, " SQL_UTC_ISO("d.at") ", d.actor, d.action, "
    "d.reason, coalesce((SELECT json_agg((c->>'id')::bigint) FROM "
    "jsonb_array_elements(d.before->'candidates') c), json_build_array(d.candidate_id))::text, "
    "d.record_id, d.entity_id, e.key, d.undoes, d.undone_by, ra.source || '/' || ra.source_id, "
    "rb.source || '/' || rb.source_id, page.total, d.after::text "
    "FROM page JOIN kasparro.decisions d ON d.id = page.id "
    "LEFT JOIN kasparro.match_candidates mc ON mc.id = d.candidate_id "
    "LEFT JOIN kasparro.records ra ON ra.id = mc.rec_a "
    "LEFT JOIN kasparro.records rb ON rb.id = mc.rec_b "
    "LEFT JOIN kasparro.entities e ON e.id = d.entity_id "
    "ORDER BY d.id DESC";

static void add_id(cJSON *o, const char *key, const PGresult *r, int i, int c)
{
    if (PQgetisnull(r, i, c))
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddNumberToObject(o, key, (double)db_ll(r, i, c));
}

/* A list of ids, the first 8: " 70, 79, 81 and 3 more" */
static void some_ids(struct buf *b, const cJSON *ids, long long n)
{
    const cJSON *c;
    int k = 0;

    cJSON_ArrayForEach(c, ids)
        if (k++ < 8)
            buf_printf(b, "%s %.0f", k > 1 ? "," : "", cJSON_GetNumberValue(c));
    if (n > 8)
        buf_printf(b, " and %lld more", n - 8);
}

/* "the 28 records run 4 deleted", "the 120 records retiring source
 * old-crm deleted" (restore --retired: its `after` names the source, its
 * run is null), "record 259", "3 records: 259, 260, 261" */
static void what_restored(struct buf *b, const char *after_text)
{
    cJSON *after = cJSON_Parse(after_text);
    long long n = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(after, "restored"));
    const cJSON *run = cJSON_GetObjectItem(after, "run");
    const char *retired = cJSON_GetStringValue(cJSON_GetObjectItem(after, "retired"));

    if (retired != NULL) {
        buf_printf(b, "the %lld record%s retiring source %s deleted", n, n == 1 ? "" : "s",
                   retired);
    } else if (cJSON_IsNumber(run)) {
        buf_printf(b, "the %lld record%s run %.0f deleted", n, n == 1 ? "" : "s", run->valuedouble);
    } else {
        buf_printf(b, n == 1 ? "record" : "%lld records:", n);
        some_ids(b, cJSON_GetObjectItem(after, "records"), n);
    }
    cJSON_Delete(after);
}

/* "candidate 70: a:44573 ↔ b:PF-3", "3 candidates: 70, 79, 81",
 * "record 259 out of entity kafka-001", "undo of decision 4", a restore's */
static char *what(const PGresult *r, int i, const cJSON *cands)
{
    struct buf b = BUF_INIT;
    int n = cJSON_GetArraySize(cands);

    buf_adds(&b, "");
    if (strcmp(PQgetvalue(r, i, 3), "restore") == 0) {
        what_restored(&b, PQgetvalue(r, i, 14));
    } else if (!PQgetisnull(r, i, 9)) {
        buf_printf(&b, "undo of decision %s", PQgetvalue(r, i, 9));
    } else if (!PQgetisnull(r, i, 6)) {
        buf_printf(&b, "record %s out of entity %s", PQgetvalue(r, i, 6),
                   PQgetisnull(r, i, 8) ? PQgetvalue(r, i, 7) : PQgetvalue(r, i, 8));
    } else if (n == 1 && !PQgetisnull(r, i, 11)) {
        buf_printf(&b, "candidate %.0f: %s ↔ %s", cJSON_GetNumberValue(cJSON_GetArrayItem(cands, 0)),
                   PQgetvalue(r, i, 11), PQgetvalue(r, i, 12));
    } else {
        buf_printf(&b, "%d candidate%s:", n, n == 1 ? "" : "s");
        some_ids(&b, cands, n);
    }
    return buf_detach(&b);
}

/* `id`: that decision alone (0: any); `before`: older ones only (0: any). */
static cJSON *decisions(struct db *db, long long id, long long before, const char *action,
                        const char *actor, double since, long long limit, long long *total,
                        struct err *err)
{
    char since_s[32], lim[24], ids[24], befores[24];

    snprintf(since_s, sizeof since_s, "%.6f", since);
    snprintf(lim, sizeof lim, "%lld", limit);
    snprintf(ids, sizeof ids, "%lld", id);
    snprintf(befores, sizeof befores, "%lld", before);
    PGresult *r = db_exec(db, err, sql_decisions,
                          DB_PARAMS(action, actor, since > 0 ? since_s : NULL, lim,
                                    id > 0 ? ids : NULL, before > 0 ? befores : NULL));
    if (r == NULL)
        return NULL;
    cJSON *arr = cJSON_CreateArray();
    *total = PQntuples(r) > 0 ? db_ll(r, 0, 13) : 0;
    for (int i = 0; i < PQntuples(r); i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON *cands = cJSON_Parse(PQgetvalue(r, i, 5));
        if (cJSON_IsNull(cJSON_GetArrayItem(cands, 0))) { /* splits and undos */
            cJSON_Delete(cands);
            cands = cJSON_CreateArray();
        }
        char *text = what(r, i, cands);
        cJSON_AddNumberToObject(o, "id", (double)db_ll(r, i, 0));
        cJSON_AddStringToObject(o, "at", PQgetvalue(r, i, 1));
        cJSON_AddStringToObject(o, "actor", PQgetvalue(r, i, 2));
        cJSON_AddStringToObject(o, "action", PQgetvalue(r, i, 3));
        cJSON_AddStringToObject(o, "what", text);
        if (PQgetisnull(r, i, 4))
            cJSON_AddNullToObject(o, "reason");
        else
            cJSON_AddStringToObject(o, "reason", PQgetvalue(r, i, 4));
        cJSON_AddItemToObject(o, "candidates", cands);
        add_id(o, "record", r, i, 6);
        add_id(o, "entity", r, i, 7);
        add_id(o, "undoes", r, i, 9);
        add_id(o, "undone_by", r, i, 10);
        cJSON_AddItemToArray(arr, o);
        free(text);
    }
    PQclear(r);
    return arr;
}

cJSON *dedup_decisions(struct db *db, const char *action, const char *actor, double since,
                       long long before, long long limit, long long *total, struct err *err)
{
    return decisions(db, 0, before, action, actor, since, limit, total, err);
}

cJSON *dedup_decision(struct db *db, long long id, struct err *err)
{
    long long total;
    cJSON *arr = decisions(db, id, 0, NULL, NULL, 0, 1, &total, err), *one;

    if (arr == NULL)
        return NULL;
    one = cJSON_DetachItemFromArray(arr, 0);
    cJSON_Delete(arr);
    if (one == NULL)
        err_missing(err, "decision", id);
    return one;
}

/*
 * recordview.c — one record in full, as JSON and as text (recordview.h).
 *
 * Everything an operator asks about one record before acting on it: every
 * schema field (dedup_record), the payload as the source gave it, the
 * runs that saw, changed or deleted it, its entity (how it joined, how many
 * live members), the candidate pairs it is in, and its history — the audit
 * rows about the record (soft delete, restore) and the operators' decisions
 * that touched it (a pair it is in approved or rejected, a split, their
 * undos), oldest first. The JSON is built first and the text printed from
 * it, so `show-record` and the console's detail never disagree.
 */
#include "kasparro/recordview.h"

#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/dedup.h"
#include "kasparro/out.h"
#include "kasparro/utf8.h"

/* times as ISO 8601 in UTC */
static const char *sql_meta =
    "SELECT " SQL_UTC_ISO("r.deleted_at") ", "
    "r.deleted_by_run, r.first_seen_run, r.last_changed_run, "
    SQL_UTC_ISO("r.created_at") ", "
    SQL_UTC_ISO("r.updated_at") ", "
    "w.payload::text, w.run_id, "
    SQL_UTC_ISO("w.fetched_at") ", "
    "m.entity_id, e.key, e.size, m.method, m.confidence, m.live "
    "FROM kasparro.records r LEFT JOIN kasparro.raw_records w ON w.record_id = r.id "
    "LEFT JOIN kasparro.entity_members m ON m.record_id = r.id "
    "LEFT JOIN kasparro.entities e ON e.id = m.entity_id WHERE r.id = $1";

/* %s: what names the other record (dedup_label_sql) */
static const char *sql_pairs =
    "SELECT c.id, c.status, c.probability, o.id, o.source, o.source_id, %s "
    "FROM kasparro.match_candidates c JOIN kasparro.records o "
    "ON o.id = CASE WHEN c.rec_a = $1 THEN c.rec_b ELSE c.rec_a END "
    "WHERE c.rec_a = $1 OR c.rec_b = $1 "
    "ORDER BY c.status = 'pending' DESC, c.probability DESC, c.id LIMIT 20";

/* the record's audit rows (a restore's, and its undo's, with their
 * decision), and the decisions about it: a split of it, a pair it is in
 * (alone or in a set), and the undos of those */
static const char *sql_history =
    "WITH c AS (SELECT id FROM kasparro.match_candidates WHERE rec_a = $1 OR rec_b = $1), "
    "d AS (SELECT d.id FROM kasparro.decisions d WHERE d.record_id = $1 "
    "  OR d.candidate_id IN (SELECT id FROM c) OR EXISTS (SELECT 1 FROM jsonb_array_elements("
    "  CASE WHEN jsonb_typeof(d.before->'candidates') = 'array' THEN d.before->'candidates' "
    "  ELSE '[]' END) x WHERE (x->>'id')::bigint IN (SELECT id FROM c))) "
    "SELECT " SQL_UTC_ISO("at") ", actor, action, run_id, "
    "reason, decision FROM ("
    "  SELECT a.at, a.actor, a.action, a.run_id, a.reason, a.decision_id AS decision "
    "  FROM kasparro.audit_log a WHERE a.object_type = 'record' AND a.object_id = $1::text "
    "  UNION ALL SELECT d.at, d.actor, d.action, NULL, d.reason, d.id FROM kasparro.decisions d "
    "  WHERE d.id IN (SELECT id FROM d) OR d.undoes IN (SELECT id FROM d)) h "
    "ORDER BY at, decision";

/* Deletion, runs, payload and entity, from one row of sql_meta. */
static void add_meta(cJSON *o, const PGresult *r)
{
    db_json_string(o, "deleted_at", r, 0, 0);
    db_json_number(o, "deleted_by_run", r, 0, 1);
    /* deleted under no run: its source's retire deleted it (retire.c), as
     * `deleted --json` says it */
    cJSON_AddBoolToObject(o, "retired",
                          cJSON_IsTrue(cJSON_GetObjectItem(o, "deleted")) && PQgetisnull(r, 0, 1));
    db_json_number(o, "first_seen_run", r, 0, 2);
    db_json_number(o, "last_changed_run", r, 0, 3);
    db_json_string(o, "created_at", r, 0, 4);
    db_json_string(o, "updated_at", r, 0, 5);
    cJSON *payload = PQgetisnull(r, 0, 6) ? NULL : cJSON_Parse(PQgetvalue(r, 0, 6));
    cJSON_AddItemToObject(o, "payload", payload ? payload : cJSON_CreateNull());
    db_json_number(o, "payload_run", r, 0, 7);
    db_json_string(o, "fetched_at", r, 0, 8);
    if (PQgetisnull(r, 0, 9)) {
        cJSON_AddNullToObject(o, "entity");
        return;
    }
    cJSON *e = cJSON_AddObjectToObject(o, "entity");
    db_json_number(e, "id", r, 0, 9);
    db_json_string(e, "key", r, 0, 10);
    db_json_number(e, "size", r, 0, 11);
    db_json_string(e, "method", r, 0, 12);
    cJSON_AddNumberToObject(e, "confidence", db_double(r, 0, 13));
    cJSON_AddBoolToObject(e, "live", db_bool(r, 0, 14));
}

static int add_pairs(struct db *db, const struct config *cfg, cJSON *o, const char *id,
                     struct err *err)
{
    char *q = dedup_label_sql(db, cfg, "o");
    char *sql = xasprintf(sql_pairs, q);
    PGresult *r = db_exec(db, err, sql, DB_PARAMS(id));
    cJSON *pairs = cJSON_AddArrayToObject(o, "candidates");

    free(q);
    free(sql);
    for (int i = 0; r != NULL && i < PQntuples(r); i++) {
        cJSON *c = cJSON_CreateObject(), *other = cJSON_CreateObject();
        db_json_number(c, "id", r, i, 0);
        db_json_string(c, "status", r, i, 1);
        cJSON_AddNumberToObject(c, "probability", db_double(r, i, 2));
        db_json_number(other, "id", r, i, 3);
        db_json_string(other, "source", r, i, 4);
        db_json_string(other, "source_id", r, i, 5);
        db_json_string(other, "title", r, i, 6);
        cJSON_AddItemToObject(c, "other", other);
        cJSON_AddItemToArray(pairs, c);
    }
    PQclear(r);
    return r == NULL ? -1 : 0;
}

/* One history row; a decision's says what it decided (dedup_decision). */
static cJSON *history_row(struct db *db, const PGresult *r, int i, struct err *err)
{
    cJSON *h = cJSON_CreateObject();

    db_json_string(h, "at", r, i, 0);
    db_json_string(h, "actor", r, i, 1);
    db_json_string(h, "action", r, i, 2);
    db_json_number(h, "run", r, i, 3);
    db_json_number(h, "decision", r, i, 5);
    cJSON *d = PQgetisnull(r, i, 5) ? NULL : dedup_decision(db, db_ll(r, i, 5), err);
    cJSON *what = cJSON_DetachItemFromObject(d, "what");
    cJSON_AddItemToObject(h, "what", what ? what : cJSON_CreateNull());
    db_json_string(h, "reason", r, i, 4);
    cJSON *undone = cJSON_DetachItemFromObject(d, "undone_by");
    cJSON_AddItemToObject(h, "undone_by", undone ? undone : cJSON_CreateNull());
    cJSON_Delete(d);
    return h;
}

static int add_history(struct db *db, cJSON *o, const char *id, struct err *err)
{
    PGresult *r = db_exec(db, err, sql_history, DB_PARAMS(id));
    cJSON *history = cJSON_AddArrayToObject(o, "history");

    for (int i = 0; r != NULL && i < PQntuples(r); i++)
        cJSON_AddItemToArray(history, history_row(db, r, i, err));
    PQclear(r);
    return r == NULL ? -1 : 0;
}

cJSON *recordview_json(struct db *db, const struct config *cfg, long long id, struct err *err)
{
    cJSON *o = dedup_record(db, cfg, id, err);
    char idt[24];
    PGresult *r;

    if (o == NULL)
        return NULL;
    if (cJSON_GetObjectItem(o, "source") == NULL) {
        cJSON_Delete(o);
        err_missing(err, "record", id);
        return NULL;
    }
    /* the entity is said once, under "entity" */
    cJSON_DeleteItemFromObject(o, "entity_id");
    cJSON_DeleteItemFromObject(o, "entity_key");
    /* after the fields, as ever */
    cJSON_AddItemToObject(o, "title", cJSON_DetachItemFromObject(o, "title"));
    snprintf(idt, sizeof idt, "%lld", id);
    if ((r = db_exec(db, err, sql_meta, DB_PARAMS(idt))) == NULL) {
        cJSON_Delete(o);
        return NULL;
    }
    if (PQntuples(r) == 1)
        add_meta(o, r);
    PQclear(r);
    if (add_pairs(db, cfg, o, idt, err) < 0 || add_history(db, o, idt, err) < 0) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* ---- text ---- */

static const char *str(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
    return s ? s : "-";
}

static long long num(const cJSON *o, const char *key)
{
    return (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(o, key));
}

static bool has(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);
    return v != NULL && !cJSON_IsNull(v);
}

static void text_head(struct buf *b, const cJSON *rec)
{
    const cJSON *e = cJSON_GetObjectItem(rec, "entity");

    buf_printf(b, "record %lld \xc2\xb7 %s '%s' \xc2\xb7 ", num(rec, "id"), str(rec, "source"),
               str(rec, "source_id"));
    if (cJSON_IsTrue(cJSON_GetObjectItem(rec, "retired")))
        buf_printf(b, "DELETED at %s: its source was retired\n", str(rec, "deleted_at"));
    else if (cJSON_IsTrue(cJSON_GetObjectItem(rec, "deleted")))
        buf_printf(b, "DELETED at %s by run %lld\n", str(rec, "deleted_at"),
                   num(rec, "deleted_by_run"));
    else
        buf_adds(b, "live\n");
    buf_printf(b, "title: %s\n", str(rec, "title"));
    if (cJSON_IsObject(e)) {
        char conf[32];
        long long size = num(e, "size");
        buf_printf(b,
                   "entity %lld %s \xc2\xb7 %lld live record%s \xc2\xb7 joined %s, "
                   "confidence %s%s\n",
                   num(e, "id"), str(e, "key"), size, size == 1 ? "" : "s", str(e, "method"),
                   out_number(cJSON_GetNumberValue(cJSON_GetObjectItem(e, "confidence")), conf,
                              sizeof conf),
                   cJSON_IsTrue(cJSON_GetObjectItem(e, "live")) ? "" : " (remembered: deleted)");
    } else {
        buf_adds(b, "entity: none yet (not matched)\n");
    }
    buf_printf(b, "runs: first seen in run %lld, last changed in run %lld",
               num(rec, "first_seen_run"), num(rec, "last_changed_run"));
    if (has(rec, "payload_run"))
        buf_printf(b, ", payload read in run %lld at %s", num(rec, "payload_run"),
                   str(rec, "fetched_at"));
    buf_adds(b, "\n");
}

static void text_fields(struct buf *b, const cJSON *rec, size_t width)
{
    const cJSON *fields = cJSON_GetObjectItem(rec, "fields"), *f;
    size_t w = 0;

    cJSON_ArrayForEach(f, fields)
    {
        if (utf8_width(f->string) > w)
            w = utf8_width(f->string);
    }
    buf_adds(b, "\nFields\n");
    cJSON_ArrayForEach(f, fields)
    {
        buf_printf(b, "  %s%*s  ", f->string, (int)(w - utf8_width(f->string)), "");
        buf_add_indented(b, cJSON_IsString(f) ? f->valuestring : "-", (int)w + 4, false, width);
    }
}

/* cJSON_Print indents with tabs: two spaces read better in a pager. */
static void text_payload(struct buf *b, const cJSON *rec)
{
    const cJSON *p = cJSON_GetObjectItem(rec, "payload");
    char *pretty = p == NULL || cJSON_IsNull(p) ? NULL : cJSON_Print(p);
    struct buf spaced = BUF_INIT;

    buf_adds(b, "\nPayload (as read from the source)\n");
    if (pretty == NULL) {
        buf_adds(b, "  none stored\n");
        return;
    }
    for (const char *c = pretty; *c; c++) /* JSON strings hold no raw tab */
        if (*c != '\t')
            buf_addc(&spaced, *c);
        else
            buf_adds(&spaced, c > pretty && c[-1] == ':' ? " " : "  ");
    buf_add_indented(b, spaced.data, 2, true, 0); /* JSON keeps its own lines */
    buf_free(&spaced);
    cJSON_free(pretty);
}

static void text_pairs(struct buf *b, const cJSON *rec)
{
    const cJSON *pairs = cJSON_GetObjectItem(rec, "candidates"), *c;
    char p[32];

    buf_adds(b, "\nPairs\n");
    if (cJSON_GetArraySize(pairs) == 0)
        buf_adds(b, "  none\n");
    cJSON_ArrayForEach(c, pairs)
    {
        const cJSON *o = cJSON_GetObjectItem(c, "other");
        buf_printf(
            b, "  candidate %lld \xc2\xb7 %s \xc2\xb7 p %s \xc2\xb7 with record %lld %s '%s': %s\n",
            num(c, "id"), str(c, "status"),
            out_prob(cJSON_GetNumberValue(cJSON_GetObjectItem(c, "probability")), p, sizeof p),
            num(o, "id"), str(o, "source"), str(o, "source_id"), str(o, "title"));
    }
}

static void text_history(struct buf *b, const cJSON *rec)
{
    const cJSON *history = cJSON_GetObjectItem(rec, "history"), *h;

    buf_adds(b, "\nHistory\n");
    if (cJSON_GetArraySize(history) == 0)
        buf_adds(b, "  nothing recorded\n");
    cJSON_ArrayForEach(h, history)
    {
        char at[32];
        buf_printf(b, "  %s  %s  %s", out_time(str(h, "at"), at, sizeof at), str(h, "actor"),
                   str(h, "action"));
        if (has(h, "run"))
            buf_printf(b, " (run %lld)", num(h, "run"));
        if (has(h, "decision"))
            buf_printf(b, " decision %lld: %s", num(h, "decision"), str(h, "what"));
        if (has(h, "reason"))
            buf_printf(b, " \xc2\xb7 %s", str(h, "reason"));
        if (has(h, "undone_by"))
            buf_printf(b, " \xc2\xb7 undone by decision %lld", num(h, "undone_by"));
        buf_adds(b, "\n");
    }
}

char *recordview_text(const cJSON *rec, size_t width)
{
    struct buf b = BUF_INIT;

    text_head(&b, rec);
    text_fields(&b, rec, width);
    text_payload(&b, rec);
    text_pairs(&b, rec);
    text_history(&b, rec);
    return buf_detach(&b);
}

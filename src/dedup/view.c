/*
 * view.c — what the commands and the console show: the queue, one
 * candidate with both records side by side and the per-field weights (the
 * text waterfall's data), entity lists and one entity with its members.
 * Every view returns cJSON so the console renders the same data as the
 * shell commands without SQL of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup.h"
#include "kasparro/dedup_internal.h"

/* Why the pair's score is stale (undo.c marks it, the next pass clears
 * it): the decision it was scored under and the undo; NULL when current. */
#define SQL_STALE                                                                               \
    "(SELECT 'scored while decision ' || u.undoes || ' stood, since undone (decision ' || u.id " \
    "|| '): the next run or dedup --rescan scores it again' FROM kasparro.decisions u "          \
    "WHERE u.id = c.stale_undo)"

/* The pair's staleness, "stale" (always) and "stale_note" (when stale). */
static void add_stale(cJSON *o, PGresult *r, int i, int col)
{
    cJSON_AddBoolToObject(o, "stale", !PQgetisnull(r, i, col));
    if (!PQgetisnull(r, i, col))
        cJSON_AddStringToObject(o, "stale_note", PQgetvalue(r, i, col));
}

/* The pending pairs in [$1, $2] whose records are both live: what the
 * queue lists and counts. */
#define SQL_QUEUE_PENDING                                                                         \
    "FROM kasparro.match_candidates c "                                                          \
    "WHERE c.status = 'pending' AND c.probability BETWEEN $1 AND $2 "                            \
    "AND EXISTS (SELECT 1 FROM kasparro.records r WHERE r.id = c.rec_a AND NOT r.is_deleted) "   \
    "AND EXISTS (SELECT 1 FROM kasparro.records r WHERE r.id = c.rec_b AND NOT r.is_deleted) "

/* The page is cut out of the order first ("paged": the candidates' own
 * columns and the two records' liveness, after the key %s, OFFSET $4 LIMIT
 * $3), and only its pairs are titled, staled and counted against the
 * model: a deep page reads the ids before it, not their titles, and a page
 * after a key (queue_after) not even those. Each order is an index's
 * (share/kasparro/sql/018), so the first page reads its own pairs only;
 * the count of all in range is taken apart (queue_in_range). */
static const char *sql_queue =
    "WITH paged AS (SELECT c.id " SQL_QUEUE_PENDING "%s ORDER BY %s OFFSET $4 LIMIT $3) "
    "SELECT c.id, c.probability, c.weight, c.rec_a, ra.source, ra.title_text, c.rec_b, "
    "rb.source, rb.title_text, c.note, c.disagreement, "
    "(SELECT coalesce((model->>'labels')::bigint, 0) FROM kasparro.dedup_state), "
    "(SELECT model->>'learned_at' FROM kasparro.dedup_state), "
    "(SELECT count(*) FROM kasparro.links), ra.source_id, rb.source_id, " SQL_STALE ", "
    "c.to_confirm FROM paged JOIN kasparro.match_candidates c ON c.id = paged.id "
    "JOIN LATERAL (SELECT r.source, r.source_id, %s AS title_text FROM "
    "kasparro.records r WHERE r.id = c.rec_a) ra ON true "
    "JOIN LATERAL (SELECT r.source, r.source_id, %s AS title_text FROM "
    "kasparro.records r WHERE r.id = c.rec_b) rb ON true "
    "ORDER BY %s";

/* A count, not a sort: an index-only scan of either order's index. */
static const char *sql_queue_count = "SELECT count(*) " SQL_QUEUE_PENDING;

/* The decisions that teach the model most first: the most uncertain
 * (the match weight nearest 0 bits, p = 0.5), in bands of a quarter bit;
 * within a band the pair whose fields contradict each other most (the
 * negated disagreement ascending); or the highest score first. Each is
 * its index's columns (018), all ascending, so that `after` — the pairs
 * after the key $5 (id), $6, $7 — is one row comparison the index starts
 * its scan at; the score order's also bounds the probability range in
 * that index's terms. A descending column, as the orders were written
 * before, sorts the same but cannot be part of that comparison. */
static const struct queue_order {
    const char *by, *after;
} queue_orders[] = {
    [ORDER_UNCERTAINTY] = {"floor(abs(c.weight) * 4), -c.disagreement, abs(c.weight), c.id",
                           "AND (floor(abs(c.weight) * 4), -c.disagreement, abs(c.weight), c.id) "
                           "> (floor(abs($6::float8) * 4), -$7::real, abs($6::float8), "
                           "$5::bigint) "},
    [ORDER_SCORE] = {"-c.probability, -c.weight, c.id",
                     "AND (-c.probability, -c.weight, c.id) > (-$6::float8, -$7::float8, "
                     "$5::bigint) "},
};
#define QUEUE_SCORE_RANGE "AND -c.probability BETWEEN -$2::float8 AND -$1::float8 "

/* What names record `alias` (match_plan_label_sql), or its title field
 * when the plan cannot be made. */
char *dedup_label_sql(struct db *db, const struct config *cfg, const char *alias)
{
    struct match_plan p;
    struct err e = {0};

    if (match_plan_init(&p, cfg, &e) == 0)
        return match_plan_label_sql(&p, db, alias);
    const char *title = config_title_field(cfg);
    const struct schema_field *t = title ? config_field(cfg, title) : NULL;
    char *q = t ? db_field_sql(db, t, alias) : xasprintf("%s.title", alias);
    char *sql = xasprintf("%s::text", q);
    free(q);
    return sql;
}

bool dedup_field_empty(const cJSON *f)
{
    return !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(f, "a")) &&
           !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(f, "b")) &&
           cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(f, "weight")) == 0;
}

static cJSON *rec_brief(PGresult *r, int i, int col, int source_id_col)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)db_ll(r, i, col));
    cJSON_AddStringToObject(o, "source", PQgetvalue(r, i, col + 1));
    cJSON_AddStringToObject(o, "source_id", PQgetvalue(r, i, source_id_col));
    if (PQgetisnull(r, i, col + 2))
        cJSON_AddNullToObject(o, "title");
    else
        cJSON_AddStringToObject(o, "title", PQgetvalue(r, i, col + 2));
    return o;
}

const char *const dedup_orders[] = {[ORDER_UNCERTAINTY] = "uncertainty", [ORDER_SCORE] = "score",
                                    NULL};

/* How many pairs the queue holds in [min, max] (params lo, hi): a page
 * from the start or an offset that came back short (and not past the end)
 * ends the queue, so it and the `offset` before it are all of them; else
 * a count, and always after a key, whose pairs before it nothing counted.
 * A page past the end has no row to carry one, and nothing counts. */
static int queue_in_range(struct db *db, PGresult *r, const char *lo, const char *hi,
                          long long offset, long long limit, bool after, long long *in_range,
                          struct err *err)
{
    int n = PQntuples(r);

    if (n == 0 || (n < limit && !after)) {
        *in_range = offset + n;
        return 0;
    }
    PGresult *c = db_exec(db, err, sql_queue_count, DB_PARAMS(lo, hi));
    if (c == NULL)
        return -1;
    *in_range = db_ll(c, 0, 0);
    PQclear(c);
    return 0;
}

void dedup_queue_key(const cJSON *pair, struct queue_after *key)
{
    key->id = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(pair, "id"));
    key->probability = cJSON_GetNumberValue(cJSON_GetObjectItem(pair, "probability"));
    key->weight = cJSON_GetNumberValue(cJSON_GetObjectItem(pair, "weight"));
    key->disagreement = cJSON_GetNumberValue(cJSON_GetObjectItem(pair, "disagreement"));
}

/* The page's rows: the view's query in `order`, after `after` when given
 * (its key's values exactly, %.17g: a double read back is the same). */
static PGresult *queue_page(struct db *db, const struct config *cfg, const char *const lohi[2],
                            enum dedup_order order, long long offset,
                            const struct queue_after *after, long long limit, struct err *err)
{
    const struct queue_order *o = &queue_orders[order];
    char lim[24], off[24], id[24], x[32], y[32];
    struct buf where = BUF_INIT;
    char *t = dedup_label_sql(db, cfg, "r");

    if (order == ORDER_SCORE)
        buf_adds(&where, QUEUE_SCORE_RANGE);
    if (after != NULL)
        buf_adds(&where, o->after);
    char *sql = xasprintf(sql_queue, where.data ? where.data : "", o->by, t, t, o->by);
    snprintf(lim, sizeof lim, "%lld", limit);
    snprintf(off, sizeof off, "%lld", offset);
    PGresult *r;
    if (after == NULL) {
        r = db_exec(db, err, sql, DB_PARAMS(lohi[0], lohi[1], lim, off));
    } else {
        snprintf(id, sizeof id, "%lld", after->id);
        snprintf(x, sizeof x, "%.17g", order == ORDER_SCORE ? after->probability : after->weight);
        snprintf(y, sizeof y, "%.17g", order == ORDER_SCORE ? after->weight : after->disagreement);
        r = db_exec(db, err, sql, DB_PARAMS(lohi[0], lohi[1], lim, off, id, x, y));
    }
    free(sql);
    free(t);
    buf_free(&where);
    return r;
}

cJSON *dedup_queue(struct db *db, const struct config *cfg, double min, double max,
                   enum dedup_order order, long long offset, const struct queue_after *after,
                   long long limit, struct err *err)
{
    char lo[32], hi[32];
    long long in_range = 0;

    snprintf(lo, sizeof lo, "%.17g", min);
    snprintf(hi, sizeof hi, "%.17g", max);
    PGresult *r = queue_page(db, cfg, (const char *const[2]){lo, hi}, order, offset, after,
                             limit, err);
    if (r == NULL)
        return NULL;
    if (queue_in_range(db, r, lo, hi, offset, limit, after != NULL, &in_range, err) < 0) {
        PQclear(r);
        return NULL;
    }
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < PQntuples(r); i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)db_ll(r, i, 0));
        cJSON_AddNumberToObject(o, "probability", db_double(r, i, 1));
        cJSON_AddNumberToObject(o, "weight", db_double(r, i, 2));
        cJSON_AddItemToObject(o, "a", rec_brief(r, i, 3, 14));
        cJSON_AddItemToObject(o, "b", rec_brief(r, i, 6, 15));
        if (!PQgetisnull(r, i, 9))
            cJSON_AddStringToObject(o, "note", PQgetvalue(r, i, 9));
        /* listed from the review budget's room, still merged (budget.c):
         * "merged" says what the pair is, "to_confirm" why it is listed */
        cJSON_AddBoolToObject(o, "merged", db_bool(r, i, 17));
        cJSON_AddBoolToObject(o, "to_confirm", db_bool(r, i, 17));
        cJSON_AddNumberToObject(o, "in_range", (double)in_range);
        cJSON_AddNumberToObject(o, "disagreement", db_double(r, i, 10));
        /* the model: decisions it learnt from, when, and decisions so far */
        cJSON_AddNumberToObject(o, "labels", (double)db_ll(r, i, 11));
        if (PQgetisnull(r, i, 12))
            cJSON_AddNullToObject(o, "learned_at");
        else
            cJSON_AddStringToObject(o, "learned_at", PQgetvalue(r, i, 12));
        cJSON_AddNumberToObject(o, "decisions", (double)db_ll(r, i, 13));
        add_stale(o, r, i, 16);
        cJSON_AddItemToArray(arr, o);
    }
    PQclear(r);
    return arr;
}

static const char *sql_candidate_view =
    "SELECT c.id, c.status, c.probability, c.weight, c.prior_weight, c.fields::text, "
    "c.decided_by, to_char(c.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    "c.reason, c.note, c.rec_a, c.rec_b, " SQL_STALE ", c.to_confirm "
    "FROM kasparro.match_candidates c WHERE c.id = $1";

/* A timestamp field's value as every --json time is written, ISO 8601 in
 * UTC with Z, with its fraction of a second when it has one
 * ("2024-01-01T02:30:00.25Z"), rather than as the server writes it in
 * text ("2024-01-01 02:30:00.25+00"); infinity stays as it is. */
#define SQL_FIELD_TIME                                                                          \
    "CASE WHEN isfinite(%s) THEN (to_json(%s AT TIME ZONE 'UTC') #>> '{}') || 'Z' "              \
    "ELSE %s::text END"

cJSON *dedup_record(struct db *db, const struct config *cfg, long long id, struct err *err)
{
    struct buf sql = BUF_INIT;
    char idt[24];

    buf_adds(&sql, "SELECT r.id, r.source, r.source_id, r.is_deleted, m.entity_id, e.key");
    for (size_t c = 0; c < cfg->nfields; c++) {
        char *q = db_field_sql(db, &cfg->fields[c], "r");
        if (cfg->fields[c].type == FT_TIMESTAMP)
            buf_printf(&sql, ", " SQL_FIELD_TIME, q, q, q);
        else
            buf_printf(&sql, ", %s::text", q);
        free(q);
    }
    char *label = dedup_label_sql(db, cfg, "r");
    buf_printf(&sql, ", %s", label);
    free(label);
    buf_adds(&sql, " FROM kasparro.records r LEFT JOIN kasparro.entity_members m ON "
                   "m.record_id = r.id LEFT JOIN kasparro.entities e ON e.id = m.entity_id "
                   "WHERE r.id = $1");
    PGresult *r = db_exec(db, err, sql.data, DB_PARAMS(dedup_lltoa(id, idt)));
    buf_free(&sql);
    if (r == NULL)
        return NULL;
    cJSON *o = cJSON_CreateObject(), *f = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)id);
    if (PQntuples(r) == 1) {
        cJSON_AddStringToObject(o, "source", PQgetvalue(r, 0, 1));
        cJSON_AddStringToObject(o, "source_id", PQgetvalue(r, 0, 2));
        cJSON_AddBoolToObject(o, "deleted", db_bool(r, 0, 3));
        if (!PQgetisnull(r, 0, 4)) {
            cJSON_AddNumberToObject(o, "entity_id", (double)db_ll(r, 0, 4));
            cJSON_AddStringToObject(o, "entity_key", PQgetvalue(r, 0, 5));
        }
        for (size_t c = 0; c < cfg->nfields; c++)
            if (PQgetisnull(r, 0, 6 + (int)c))
                cJSON_AddNullToObject(f, cfg->fields[c].name);
            else
                cJSON_AddStringToObject(f, cfg->fields[c].name, PQgetvalue(r, 0, 6 + (int)c));
        int lc = 6 + (int)cfg->nfields;
        cJSON_AddItemToObject(o, "title", PQgetisnull(r, 0, lc)
                                              ? cJSON_CreateNull()
                                              : cJSON_CreateString(PQgetvalue(r, 0, lc)));
    }
    cJSON_AddItemToObject(o, "fields", f);
    PQclear(r);
    return o;
}

static void add_opt_str(cJSON *o, const char *key, PGresult *r, int col)
{
    if (PQgetisnull(r, 0, col))
        cJSON_AddNullToObject(o, key);
    else
        cJSON_AddStringToObject(o, key, PQgetvalue(r, 0, col));
}

/* One side's value in a waterfall row: the record's, or how the pass read
 * it when that differs (a date known only to its year: "2003"). */
static cJSON *side_value(cJSON *stored, const char *read, cJSON *rec, const char *field)
{
    cJSON *as = cJSON_GetObjectItem(stored, read);

    if (cJSON_IsString(as))
        return cJSON_CreateString(as->valuestring);
    return cJSON_Duplicate(cJSON_GetObjectItem(cJSON_GetObjectItem(rec, "fields"), field), 1);
}

/* The waterfall rows: per compared field both values, level and weight. */
static cJSON *waterfall(const struct match_plan *p, cJSON *stored, cJSON *a, cJSON *b)
{
    cJSON *rows = cJSON_CreateArray();
    for (int f = 0; f < p->ncmp; f++) {
        const char *field = p->cmps[f].field, *name = comparison_name(&p->cmps[f]);
        cJSON *s = cJSON_GetObjectItem(stored, name), *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "field", name);
        cJSON_AddStringToObject(row, "comparator", cmp_kind_name(p->cmps[f].kind));
        cJSON_AddItemToObject(row, "a", side_value(s, "read_a", a, field));
        cJSON_AddItemToObject(row, "b", side_value(s, "read_b", b, field));
        const char *keys[] = {"level", "label", "similarity", "weight"};
        for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
            cJSON *v = cJSON_GetObjectItem(s, keys[k]);
            cJSON_AddItemToObject(row, keys[k], v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
        }
        cJSON_AddItemToArray(rows, row);
    }
    cJSON *rivals = cJSON_GetObjectItem(stored, ONE_TO_ONE_KEY);
    if (rivals != NULL) {
        /* not a field: what the records' other candidates take away */
        cJSON *row = cJSON_Duplicate(rivals, 1);
        cJSON_AddStringToObject(row, "field", ONE_TO_ONE_KEY);
        cJSON_AddNullToObject(row, "a");
        cJSON_AddNullToObject(row, "b");
        cJSON_AddItemToArray(rows, row);
    }
    return rows;
}

cJSON *dedup_candidate(struct db *db, const struct config *cfg, long long id, struct err *err)
{
    struct match_plan p;
    char idt[24];

    if (match_plan_init(&p, cfg, err) < 0)
        return NULL;
    PGresult *r = db_exec(db, err, sql_candidate_view, DB_PARAMS(dedup_lltoa(id, idt)));
    if (r == NULL)
        return NULL;
    if (PQntuples(r) == 0) {
        PQclear(r);
        err_missing(err, "candidate", id);
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)id);
    cJSON_AddStringToObject(o, "status", PQgetvalue(r, 0, 1));
    cJSON_AddNumberToObject(o, "probability", db_double(r, 0, 2));
    cJSON_AddNumberToObject(o, "weight", db_double(r, 0, 3));
    cJSON_AddNumberToObject(o, "prior_weight", db_double(r, 0, 4));
    add_opt_str(o, "decided_by", r, 6);
    add_opt_str(o, "decided_at", r, 7);
    add_opt_str(o, "reason", r, 8);
    add_opt_str(o, "note", r, 9);
    add_stale(o, r, 0, 12);
    /* a merge the pass listed for an operator to confirm (budget.c): an
     * approval or a rejection keeps the flag, for what the pair was */
    cJSON_AddBoolToObject(o, "to_confirm", db_bool(r, 0, 13));
    cJSON *stored = cJSON_Parse(PQgetvalue(r, 0, 5));
    long long ra = db_ll(r, 0, 10), rb = db_ll(r, 0, 11);
    PQclear(r);
    cJSON *apart = NULL;
    cJSON *a = dedup_pair_apart(db, ra, rb, &apart, err) == 0 ? dedup_record(db, cfg, ra, err)
                                                              : NULL;
    cJSON *b = a ? dedup_record(db, cfg, rb, err) : NULL;
    cJSON_AddItemToObject(o, "kept_apart", apart ? apart : cJSON_CreateNull());
    if (b == NULL) {
        cJSON_Delete(a);
        cJSON_Delete(o);
        cJSON_Delete(stored);
        return NULL;
    }
    cJSON_AddItemToObject(o, "fields", waterfall(&p, stored, a, b));
    cJSON_AddItemToObject(o, "a", a);
    cJSON_AddItemToObject(o, "b", b);
    cJSON_Delete(stored);
    return o;
}

/*
 * h-data.c — GET /data and GET /data/{source}/{source_id}: the normalized
 * records, as downstream programs read them.
 *
 * Order is by record id, which never changes, so keyset pagination is
 * exact: the opaque cursor carries the last id, and records inserted while
 * a client pages appear after it, never as a duplicate or in place of a
 * gap. With `since` (a change sequence number) the walk also stops at the
 * sequence current when its first page was served (the watermark, carried
 * in the cursor and returned in meta.watermark): a record changed during
 * the walk is left for the next walk, which starts from since=watermark, so
 * an incremental consumer sees every change exactly once it has committed.
 * The sequence hands out numbers before their transactions commit, so the
 * watermark is read only once no change below it is still in flight (see
 * data_watermark).
 * The cursor also carries a fingerprint of the filters and is refused with
 * other ones.
 *
 * Field values are rendered by PostgreSQL's to_json and inserted raw, so
 * numbers, booleans and timestamps keep their exact text and type.
 *
 * A field a reload declared may have no column yet (the table was busy:
 * host/columns.c tries again, and every run adds it). No record has a
 * value for it, so it is null — what the same request answers a moment
 * after the column is added and before a run fills it — and
 * meta.pending_fields names it: the statement has NULL of the field's
 * type in its place (db_field_sql, as every reader of kasparro.records).
 * It used to answer 500 for every request that did not leave the field
 * out.
 */
#include <stdlib.h>
#include <string.h>

#include "httpd-private.h"
#include "kasparro/clock.h"
#include "kasparro/dedup.h"
#include "kasparro/fold.h"
#include "kasparro/loader.h"
#include "kasparro/log.h"

#define DATA_MAX_PARAMS 64

struct query {
    struct buf sql;
    const char *vals[DATA_MAX_PARAMS];
    char *owned[DATA_MAX_PARAMS];
    int n;
};

/* Adds a parameter; returns its "$N". */
static const char *param(struct query *q, const char *v, bool own)
{
    static __thread char ref[16];
    char *copy = own ? xstrdup(v) : NULL;

    q->owned[q->n] = copy;
    q->vals[q->n] = copy ? copy : v;
    q->n++;
    snprintf(ref, sizeof ref, "$%d", q->n);
    return ref;
}

static void query_free(struct query *q)
{
    for (int i = 0; i < q->n; i++)
        free(q->owned[i]);
    buf_free(&q->sql);
}

/* A declared field's column, or NULL of its type while it has none. */
static void add_field(struct query *q, struct db *db, const struct schema_field *f)
{
    char *col = db_field_sql(db, f, "r");

    buf_adds(&q->sql, col);
    free(col);
}

/* meta.pending_fields: the projected fields answered null for want of a
 * column (meta made when there are any). */
static void add_pending(cJSON **meta, struct db *db, const struct config *cfg, const bool *proj)
{
    cJSON *names = NULL;

    for (size_t k = 0; k < cfg->nfields; k++)
        if (proj[k] && db_field_pending(db, cfg->fields[k].name)) {
            if (*meta == NULL)
                *meta = cJSON_CreateObject();
            if (names == NULL)
                names = cJSON_AddArrayToObject(*meta, "pending_fields");
            cJSON_AddItemToArray(names, cJSON_CreateString(cfg->fields[k].name));
        }
}

/* The selected columns: fixed ones, to_json of each projected field, then
 * `extra` (may be ""). */
static void select_list(struct query *q, struct db *db, const struct config *cfg,
                        const bool *proj, const char *extra)
{
    buf_adds(&q->sql, "SELECT r.id, r.source, r.source_id, r.change_seq, r.is_deleted, "
                      "to_json(r.updated_at), em.entity_id, e.key");
    for (size_t i = 0; i < cfg->nfields; i++)
        if (proj[i]) {
            buf_adds(&q->sql, ", to_json(");
            add_field(q, db, &cfg->fields[i]);
            buf_adds(&q->sql, ")");
        }
    buf_adds(&q->sql, extra);
    buf_adds(&q->sql, " FROM kasparro.records r "
                      "LEFT JOIN kasparro.entity_members em ON em.record_id = r.id AND em.live "
                      "LEFT JOIN kasparro.entities e ON e.id = em.entity_id");
}

static cJSON *record_json(const PGresult *res, int i, const struct config *cfg, const bool *proj)
{
    cJSON *o = cJSON_CreateObject(), *f;
    int col = 8;

    cJSON_AddItemToObject(o, "id", cJSON_CreateRaw(PQgetvalue(res, i, 0)));
    cJSON_AddStringToObject(o, "source", PQgetvalue(res, i, 1));
    cJSON_AddStringToObject(o, "source_id", PQgetvalue(res, i, 2));
    cJSON_AddItemToObject(o, "change_seq", cJSON_CreateRaw(PQgetvalue(res, i, 3)));
    cJSON_AddBoolToObject(o, "deleted", db_bool(res, i, 4));
    cJSON_AddItemToObject(o, "updated_at", cJSON_CreateRaw(PQgetvalue(res, i, 5)));
    if (PQgetisnull(res, i, 6)) {
        cJSON_AddNullToObject(o, "entity");
    } else {
        cJSON *e = cJSON_AddObjectToObject(o, "entity");
        cJSON_AddItemToObject(e, "id", cJSON_CreateRaw(PQgetvalue(res, i, 6)));
        cJSON_AddStringToObject(e, "key", PQgetvalue(res, i, 7));
    }
    f = cJSON_AddObjectToObject(o, "fields");
    for (size_t k = 0; k < cfg->nfields; k++) {
        if (!proj[k])
            continue;
        if (PQgetisnull(res, i, col))
            cJSON_AddNullToObject(f, cfg->fields[k].name);
        else
            cJSON_AddItemToObject(f, cfg->fields[k].name, cJSON_CreateRaw(PQgetvalue(res, i, col)));
        col++;
    }
    return o;
}

/* fields=a,b: which declared fields to return. */
static int projection(struct http_req *r, struct reply *rep, bool *proj)
{
    const char *v = req_param(r, "fields");
    size_t n;
    char **items;
    int rc = 0;

    for (size_t i = 0; i < r->cfg->nfields; i++)
        proj[i] = v == NULL;
    if (v == NULL)
        return 0;
    items = str_split_all(v, ',', &n); /* a client's list: any length */
    for (size_t i = 0; i < n && rc == 0; i++) {
        int k = config_field_index(r->cfg, items[i]);
        if (k < 0)
            rc = reply_error(rep, 400, "bad_parameter", "parameter 'fields': '%s' is not a "
                             "declared field", items[i]);
        else
            proj[k] = true;
    }
    free(items);
    return rc;
}

/* A field filter's value must read as its declared type. */
static int check_field_value(const struct schema_field *f, const char *v, struct reply *rep)
{
    long long ll;
    double d;
    bool ok = true;

    switch (f->type) {
    case FT_INTEGER: ok = route_number(v, &ll); break;
    case FT_NUMBER: ok = parse_double(v, &d); break;
    case FT_BOOLEAN: ok = parse_bool(v) >= 0; break;
    case FT_TIMESTAMP: ok = clock_parse(v, &d) == 0; break;
    case FT_TEXT:
    case FT_URL: break;
    }
    if (!ok)
        return reply_error(rep, 400, "bad_parameter", "parameter '%s': '%s' is not a%s %s", f->name,
                           v, f->type == FT_INTEGER ? "n" : "", field_type_name(f->type));
    return 0;
}

struct filters {
    struct http_req *r;
    struct reply *rep;
    struct query *q;
    struct buf fingerprint;
    unsigned long fp; /* of the fingerprint, for the cursor */
    bool failed;
};

static enum MHD_Result add_filter(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    struct filters *fl = cls;
    const struct schema_field *f;
    (void)kind;

    if (*key != '\0' && strcmp(key, "cursor") != 0 && strcmp(key, "limit") != 0 &&
        strcmp(key, "fields") != 0)
        buf_printf(&fl->fingerprint, "%s=%s&", key, value ? value : "");
    if (route_param(fl->r->route, key) != NULL || (f = config_field(fl->r->cfg, key)) == NULL)
        return MHD_YES;
    if (fl->q->n >= DATA_MAX_PARAMS - 8) {
        reply_error(fl->rep, 400, "bad_parameter", "too many field filters (at most %d)",
                    DATA_MAX_PARAMS - 8);
        fl->failed = true;
        return MHD_NO;
    }
    if (check_field_value(f, value, fl->rep) < 0) {
        fl->failed = true;
        return MHD_NO;
    }
    buf_adds(&fl->q->sql, " AND ");
    add_field(fl->q, fl->r->db, f);
    buf_printf(&fl->q->sql, " = %s::%s", param(fl->q, value, false), field_sql_type(f->type));
    return MHD_YES;
}

/* The WHERE clause of everything but the cursor and the field filters. */
/* What the label index answers (host/label_index.c): a necessary condition
 * of the match, the needle's trigrams looked up in the index, LIKE's own
 * characters in it taken literally; the folded label then decides on the
 * records it leaves, so the answer is the same with the index or without.
 * %s: the label, the needle's parameter. */
#define SEARCH_NARROWED                                                                         \
    " AND kasparro.fold_trigrams(%s) LIKE '%%' || replace(replace(replace("                   \
    "kasparro.fold_trigrams(%s), '\\', '\\\\'), '%%', '\\%%'), '_', '\\_') || '%%'"

/* Whether the index of this configuration's label is there and valid, and
 * the needle one it narrows (three letters or digits in a row); without it
 * the search reads every record, as it always did. */
static bool label_narrowed(struct db *db, const struct config *cfg, const char *needle)
{
    struct err err = {0};
    char *expr;
    int indexed;

    if (!db_search_narrows(needle))
        return false;
    expr = dedup_label_sql(db, cfg, "records");
    indexed = db_label_indexed(db, expr, &err);
    free(expr);
    if (indexed < 0)
        log_debug("/data?q=: the label index is not used: %s", err.msg);
    return indexed == 1;
}

static int base_filters(struct http_req *r, struct reply *rep, struct query *q)
{
    const char *v;
    char num[32];

    buf_adds(&q->sql, " WHERE true");
    if (!req_bool(r, "include_deleted"))
        buf_adds(&q->sql, " AND NOT r.is_deleted");
    if ((v = req_param(r, "source")) != NULL)
        buf_printf(&q->sql, " AND r.source = %s", param(q, v, false));
    if ((v = req_param(r, "entity")) != NULL) {
        const char *ref = param(q, v, false);
        buf_printf(&q->sql, " AND em.entity_id = (SELECT id FROM kasparro.entities WHERE key = %s "
                   "OR id::text = %s LIMIT 1)", ref, ref);
    }
    if (req_param(r, "since") != NULL) {
        snprintf(num, sizeof num, "%lld", req_int(r, "since", 0));
        buf_printf(&q->sql, " AND r.change_seq > %s::bigint", param(q, num, true));
    }
    if (req_param(r, "updated_after") != NULL) {
        snprintf(num, sizeof num, "%.6f", req_time(r, "updated_after"));
        buf_printf(&q->sql, " AND r.updated_at > to_timestamp(%s::double precision)",
                   param(q, num, true));
    }
    if ((v = req_param(r, "q")) != NULL) {
        if (config_title_field(r->cfg) == NULL)
            return reply_error(rep, 400, "bad_parameter", "parameter 'q': [schema] declares "
                               "no field to search");
        char *needle = fold_text(v), *label = dedup_label_sql(r->db, r->cfg, "r");
        const char *ref = param(q, needle, true);
        if (label_narrowed(r->db, r->cfg, needle))
            buf_printf(&q->sql, SEARCH_NARROWED, label, ref);
        /* the record as every listing names it, folded as searches are
         * (kasparro.fold, db/search.c): what decides */
        buf_printf(&q->sql, " AND strpos(kasparro.fold(%s), %s) > 0", label, ref);
        free(label);
        free(needle); /* the query holds its own copy (param) */
    }
    return 0;
}

/* Every writer of kasparro.records draws its change_seq numbers in a
 * transaction holding DB_LOCK_CHANGES shared (db_begin_changes), so with the
 * lock exclusive no number below last_value is still uncommitted: without
 * it a run's batch could commit a change numbered below the watermark after
 * this walk passed its record, and the next walk, from the watermark, would
 * skip it too. The lock waits for the writes in flight (one batch at most)
 * and holds new ones off only while the sequence is read. An advisory lock,
 * not a table lock: a SHARE lock on records would also wait for (and cancel)
 * autovacuum. */
static const char *sql_watermark = "SELECT last_value FROM kasparro.record_change_seq";

static int data_watermark(struct db *db, long long *watermark, struct err *err)
{
    PGresult *res = NULL;

    if (db_begin(db, err) < 0)
        return -1;
    if (db_xact_lock(db, DB_LOCK_CHANGES, err) < 0 ||
        (res = db_exec(db, err, sql_watermark, 0, NULL)) == NULL) {
        db_rollback(db);
        return -1;
    }
    *watermark = db_ll(res, 0, 0);
    PQclear(res);
    return db_commit(db, err);
}

/* Builds a statement into q (build: 0, or -1 with the reply or err set)
 * and runs it. NULL as build's -1. */
static PGresult *run_built(struct http_req *r, struct query *q,
                           int (*build)(struct query *q, void *arg, struct err *err), void *arg,
                           struct err *err)
{
    if (build(q, arg, err) < 0)
        return NULL;
    return db_exec(r->db, err, q->sql.data, q->n, q->vals);
}

struct page {
    struct filters *fl;
    const bool *proj;
    long long limit, after, watermark;
};

/* The page's statement in q, the filters' fingerprint in fl->fp. */
static int data_query(struct query *q, void *arg, struct err *err)
{
    struct page *pg = arg;
    struct filters *fl = pg->fl;
    struct http_req *r = fl->r;
    char num[32], lim[32];

    fl->q = q;
    buf_free(&fl->fingerprint);
    select_list(q, r->db, r->cfg, pg->proj, "");
    if (base_filters(r, fl->rep, q) < 0)
        return -1;
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_filter, fl);
    if (fl->failed)
        return -1;
    fl->fp = page_hash(buf_str(&fl->fingerprint));
    if (req_param(r, "cursor") &&
        cursor_decode(req_param(r, "cursor"), fl->fp, &pg->after, &pg->watermark, fl->rep) < 0)
        return -1;
    if (req_param(r, "since") != NULL) {
        if (pg->watermark == 0 && data_watermark(r->db, &pg->watermark, err) < 0)
            return -1;
        snprintf(num, sizeof num, "%lld", pg->watermark);
        buf_printf(&q->sql, " AND r.change_seq <= %s::bigint", param(q, num, true));
    }
    snprintf(num, sizeof num, "%lld", pg->after);
    snprintf(lim, sizeof lim, "%lld", pg->limit + 1);
    buf_printf(&q->sql, " AND r.id > %s::bigint", param(q, num, true));
    buf_printf(&q->sql, " ORDER BY r.id LIMIT %s::bigint", param(q, lim, true));
    return 0;
}

/* A filter naming a source or an entity that is not there: 400 naming the
 * parameter, as every filter naming a source answers (reply_source_param),
 * rather than an empty list that would read as "no records yet". A source
 * the configuration no longer declares still lists the records it left. */
static const char *sql_entity_known =
    "SELECT EXISTS (SELECT 1 FROM kasparro.entities WHERE key = $1 OR "
    "id = CASE WHEN $1 ~ '^[0-9]{1,18}$' THEN $1::bigint END)";

/* Whether the statement finds v; -1 after the reply. */
static int found(struct http_req *r, struct reply *rep, const char *sql, const char *v, bool *yes)
{
    struct err err = {0};
    PGresult *res = db_exec(r->db, &err, sql, DB_PARAMS(v));

    if (res == NULL)
        return reply_err(rep, &err, 500);
    *yes = db_bool(res, 0, 0);
    PQclear(res);
    return 0;
}

static int known_filters(struct http_req *r, struct reply *rep)
{
    const char *v;
    bool yes = false;

    if (reply_source_param(r, rep, "source") < 0)
        return -1;
    if ((v = req_param(r, "entity")) != NULL) {
        if (found(r, rep, sql_entity_known, v, &yes) < 0)
            return -1;
        if (!yes) {
            struct err err = {0};
            err_missing_name(&err, "entity", v);
            return reply_error(rep, 400, "bad_parameter", "parameter 'entity': %s", err.msg);
        }
    }
    return 0;
}

void h_data(struct http_req *r, struct reply *rep)
{
    struct query q = {.sql = BUF_INIT};
    struct filters fl = {.r = r, .rep = rep, .q = &q, .fingerprint = BUF_INIT};
    bool proj[256];
    struct page pg = {.fl = &fl, .proj = proj, .limit = req_declared_int(r, "limit")};
    long long limit = pg.limit, watermark;
    char num[32];
    struct err err = {0};
    PGresult *res = NULL;

    if (r->cfg->nfields > ARRAY_SIZE(proj))
        BUG("more than %zu fields", ARRAY_SIZE(proj));
    if (req_db(r, rep) == NULL || projection(r, rep, proj) < 0 || known_filters(r, rep) < 0)
        goto out;
    if ((res = run_built(r, &q, data_query, &pg, &err)) == NULL) {
        if (err_isset(&err))
            reply_err(rep, &err, 500);
        goto out;
    }

    watermark = pg.watermark;
    int n = PQntuples(res) > limit ? (int)limit : PQntuples(res);
    rep->data = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(rep->data, record_json(res, i, r->cfg, proj));
    rep->meta = cJSON_CreateObject();
    cJSON_AddNumberToObject(rep->meta, "count", n);
    snprintf(num, sizeof num, "%lld", watermark);
    if (PQntuples(res) > limit) {
        char *next = cursor_encode(fl.fp, db_ll(res, n - 1, 0), watermark);
        cJSON_AddStringToObject(rep->meta, "next", next);
        free(next);
    } else {
        cJSON_AddNullToObject(rep->meta, "next");
    }
    if (watermark)
        cJSON_AddItemToObject(rep->meta, "watermark", cJSON_CreateRaw(num));
    add_pending(&rep->meta, r->db, r->cfg, proj);
    PQclear(res);
out:
    buf_free(&fl.fingerprint);
    query_free(&q);
}

/* One record's statement: every field, then its payload. */
static int record_query(struct query *q, void *arg, struct err *err)
{
    struct http_req *r = arg;
    bool proj[256];

    for (size_t i = 0; i < r->cfg->nfields && i < ARRAY_SIZE(proj); i++)
        proj[i] = true;
    /* the payload columns come last: record_json reads up to the fields */
    select_list(q, r->db, r->cfg, proj, ", w.payload::text, to_json(w.fetched_at)");
    buf_printf(&q->sql, " LEFT JOIN kasparro.raw_records w ON w.record_id = r.id"
               " WHERE r.source = %s", param(q, r->pathv[0], false));
    buf_printf(&q->sql, " AND r.source_id = %s", param(q, r->pathv[1], false));
    return 0;
}

/* A stored payload, inserted raw (cJSON would print a large integer as a
 * double) once cJSON has read it: payloads are text since migration 19 and
 * the server no longer parses them on the way in. kasparro writes only
 * JSON there; anything else, written by hand, is null, as show-record has
 * it, rather than a reply that is no JSON. */
static cJSON *payload_json(const char *text)
{
    cJSON *v = cJSON_Parse(text);

    if (v == NULL)
        return cJSON_CreateNull();
    cJSON_Delete(v);
    return cJSON_CreateRaw(text);
}

/* 404 worded as every missing id is (err_missing), the record named
 * SOURCE/ID as the commands take it; a source the configuration does not
 * name is said, as `show-record` says it. */
static void record_missing(struct http_req *r, struct reply *rep)
{
    struct err err = {0};
    char *name = xasprintf("%s/%s", r->pathv[0], r->pathv[1]);

    if (config_source(r->cfg, r->pathv[0]) != NULL)
        err_missing_name(&err, "record", name);
    else
        err_set(&err, "no record '%s' (no source '%s' is configured); 'kasparro export records' "
                "lists them", name, r->pathv[0]);
    reply_error(rep, 404, "not_found", "%s", err.msg);
    free(name);
}

void h_record(struct http_req *r, struct reply *rep)
{
    struct query q = {.sql = BUF_INIT};
    bool proj[256];
    struct err err = {0};
    PGresult *res;

    if (req_db(r, rep) == NULL)
        return;
    for (size_t i = 0; i < r->cfg->nfields && i < ARRAY_SIZE(proj); i++)
        proj[i] = true;
    res = run_built(r, &q, record_query, r, &err);
    if (res == NULL) {
        query_free(&q);
        reply_err(rep, &err, 500);
        return;
    }
    add_pending(&rep->meta, r->db, r->cfg, proj);
    query_free(&q);
    if (PQntuples(res) == 0) {
        record_missing(r, rep);
    } else {
        int col = PQnfields(res) - 2;
        rep->data = record_json(res, 0, r->cfg, proj);
        cJSON_AddItemToObject(rep->data, "payload",
                              PQgetisnull(res, 0, col) ? cJSON_CreateNull()
                                                       : payload_json(PQgetvalue(res, 0, col)));
        cJSON_AddItemToObject(rep->data, "fetched_at",
                              PQgetisnull(res, 0, col + 1)
                                  ? cJSON_CreateNull()
                                  : cJSON_CreateRaw(PQgetvalue(res, 0, col + 1)));
    }
    PQclear(res);
}

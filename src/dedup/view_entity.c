/*
 * view_entity.c — entity listings and one entity with its members, for
 * `entities`, `show-entity` and the console's Entities screen.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/dedup.h"
#include "kasparro/dedup_internal.h"
#include "kasparro/fold.h"

/* The entities a listing shows: live, optionally matching $1 (folded,
 * fold.h, with LIKE's wildcards escaped) in the folded title
 * (kasparro.fold) or the key, largest first, at most $2 after the first
 * $3, and after the entity of size $4 and id $5 when the third %s is
 * ENTITY_AFTER; "listed" is shared by the list and its members, so both
 * walk the same entities in the same order. The second %s is
 * SEARCH_INDEXED or nothing (search_narrowing). The first %s is the count
 * that rides along (TOTAL_COUNTED, taken before the page is cut) or none
 * (TOTAL_NONE): a search counts its matches in the same scan, while
 * without one the page reads its own rows (and the ones it skips) from
 * entities_listed_idx, which a count beside it would make read every live
 * entity. The order is that index's columns (-size, id;
 * 018_listing_keyset_index.sql), all ascending, so that ENTITY_AFTER is one
 * row comparison the index starts its scan at. */
#define SQL_MATCHING                                                                            \
    "e.deleted_at IS NULL AND ($1::text IS NULL OR %s (kasparro.fold(e.title) LIKE "          \
    "'%%' || $1 || '%%' OR e.key LIKE '%%' || $1 || '%%'))"
#define SQL_LISTED                                                                              \
    "WITH listed AS (SELECT e.id, e.key, e.title, e.size, e.updated_at, "                    \
    "%s AS total FROM kasparro.entities e WHERE " SQL_MATCHING " %s "                         \
    "ORDER BY -e.size, e.id OFFSET $3 LIMIT $2) "
/* The match without the index, for a scan ($n: db_search_regex of the
 * needle): the regular expression tests a title for the characters that
 * fold to the needle's, cheaper than fold() (whose translate() walks its
 * table for each character of a title beyond ASCII), and fold() decides on
 * the titles it leaves: 0.4 s instead of 1.9 s over 400,000 titles that
 * lack the needle. */
#define SCANNED_MATCH(n)                                                                        \
    "((e.title ~ $" #n " AND kasparro.fold(e.title) LIKE '%%' || $1 || '%%') OR e.key LIKE " \
    "'%%' || $1 || '%%')"
/* The same page of a search that many entities match, walked: the live
 * entities in the listing's order (entities_listed_idx), the needle tested
 * on each, until the page is full. The inner OFFSET 0 keeps the test out
 * of the ordered scan, and nothing above it sorts, so the scan stops at the
 * page's last match (a few hundred entities for a needle one in a hundred
 * holds) where the index would hand over every match to be sorted
 * (37,318 for "harbour" at 400,000 entities: 0.24 s against 0.002 s). Used
 * once the index counted more matches than SEARCH_CAP, and for a needle it
 * cannot serve (which reads every entity when it is rare: 0.4 s at
 * 400,000). */
#define SQL_WALKED                                                                              \
    "WITH listed AS (SELECT e.id, e.key, e.title, e.size, e.updated_at, NULL::bigint AS total " \
    "FROM (SELECT * FROM kasparro.entities l WHERE l.deleted_at IS NULL "                     \
    "ORDER BY -l.size, l.id OFFSET 0) e WHERE " SCANNED_MATCH(4) " OFFSET $3 LIMIT $2) "
#define TOTAL_COUNTED "count(*) OVER ()"
#define TOTAL_NONE "NULL::bigint"
#define ENTITY_AFTER "AND (-e.size, e.id) > (-$4::integer, $5::bigint)"
/* What entities_search_idx answers (db/search.c): a necessary condition of
 * the match, its trigrams looked up in the index; the folded title and the
 * key then decide, on the rows it leaves. */
#define SEARCH_INDEXED                                                                          \
    "kasparro.entity_search_key(e.title, e.key) LIKE '%%' || kasparro.fold_trigrams($1) || "  \
    "'%%' AND"

/* %s: the "listed" CTE (listed_sql) */
static const char *sql_entities =
    "%sSELECT id, key, title, size, " SQL_UTC_ISO("updated_at") ", total FROM listed "
    "ORDER BY -size, id";

/* the second %s: what names a member (dedup_label_sql) */
static const char *sql_listed_members =
    "%sSELECT m.entity_id, m.record_id, r.source, r.source_id, m.method, m.confidence, "
    "%s FROM listed JOIN kasparro.entity_members m ON m.entity_id = listed.id AND m.live "
    "JOIN kasparro.records r ON r.id = m.record_id ORDER BY -listed.size, listed.id, "
    "m.record_id";

/* All the listing matches ($1 and %s as above). */
static const char *sql_matching_count =
    "SELECT count(*) FROM kasparro.entities e WHERE " SQL_MATCHING;
/* As many as match, up to $2: a search's count stops there. With the index
 * (%s: SEARCH_INDEXED) its condition is the plan's whatever the planner
 * guesses (entities_search_idx is partial, so the planner has no
 * statistics of it and guesses few matches, which the index serves), and
 * the LIMIT stops reading the table at the $2nd match. */
static const char *sql_matching_capped =
    "SELECT count(*) FROM (SELECT FROM kasparro.entities e WHERE " SQL_MATCHING " LIMIT $2) s";
/* The same without the index ($3: db_search_regex). */
static const char *sql_scanned_capped =
    "SELECT count(*) FROM (SELECT FROM kasparro.entities e WHERE e.deleted_at IS NULL AND "
    SCANNED_MATCH(3) " LIMIT $2) s";

/* How a page is read: the listing's own plan, or walked (SQL_WALKED). */
enum listed_how { LISTED_PLANNED, LISTED_WALKED };

static char *listed_sql(enum listed_how how, const char *total, const char *narrow, bool after)
{
    if (how == LISTED_WALKED)
        return xasprintf(SQL_WALKED);
    return xasprintf(SQL_LISTED, total, narrow, after ? ENTITY_AFTER : "");
}

static cJSON *member_json(PGresult *r, int i, int col)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddNumberToObject(m, "record", (double)db_ll(r, i, col));
    cJSON_AddStringToObject(m, "source", PQgetvalue(r, i, col + 1));
    cJSON_AddStringToObject(m, "source_id", PQgetvalue(r, i, col + 2));
    cJSON_AddStringToObject(m, "method", PQgetvalue(r, i, col + 3));
    cJSON_AddNumberToObject(m, "confidence", db_double(r, i, col + 4));
    if (PQgetisnull(r, i, col + 5))
        cJSON_AddNullToObject(m, "title");
    else
        cJSON_AddStringToObject(m, "title", PQgetvalue(r, i, col + 5));
    return m;
}

/* One page's query: its "listed" CTE (listed_sql) and its parameters. */
struct page_query {
    char *listed;
    const char *const *params;
    int nparams;
};

/* Adds "members" to each entity of `list`, from one query in list order. */
static int add_members(struct db *db, const struct config *cfg, cJSON *list,
                       const struct page_query *q, struct err *err)
{
    char *label = dedup_label_sql(db, cfg, "r");
    char *sql = xasprintf(sql_listed_members, q->listed, label);
    free(label);
    PGresult *r = db_exec(db, err, sql, q->nparams, q->params);
    free(sql);
    if (r == NULL)
        return -1;
    int i = 0, n = PQntuples(r);
    cJSON *e;
    cJSON_ArrayForEach(e, list) {
        long long id = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "id"));
        cJSON *members = cJSON_AddArrayToObject(e, "members");
        for (; i < n && db_ll(r, i, 0) == id; i++)
            cJSON_AddItemToArray(members, member_json(r, i, 1));
    }
    PQclear(r);
    return 0;
}

/* `search` folded, with LIKE's % _ and \ escaped. */
static char *like_needle(const char *search)
{
    char *f = fold_text(search);
    struct buf b = BUF_INIT;

    buf_adds(&b, "");
    for (const char *c = f; *c; c++) {
        if (*c == '%' || *c == '_' || *c == '\\')
            buf_addc(&b, '\\');
        buf_addc(&b, *c);
    }
    free(f);
    return buf_detach(&b);
}

/* SEARCH_INDEXED for a search the index can serve, else "". pg_trgm looks
 * up the trigrams of the needle's words (letters and digits; the needle is
 * cut by wildcards on both sides): a needle without three in a row ("ab",
 * "a b", "50%") has none, and the index would be read whole. Such a
 * search reads the entities instead, as it does without the index
 * (pg_trgm not installed), with the same result (db_search_narrows). */
static const char *search_narrowing(struct db *db, const char *needle)
{
    return needle != NULL && db->search_indexed && db_search_narrows(needle) ? SEARCH_INDEXED
                                                                             : "";
}

/* How many entities match `needle` (NULL: every live one): all of them
 * (cap 0), or up to cap + 1, which says "more than cap"; a capped count
 * the index cannot serve scans with `regex` (db_search_regex). */
static int matching_count(struct db *db, const char *needle, const char *regex, long long cap,
                          long long *n, struct err *err)
{
    const char *narrow = search_narrowing(db, needle);
    bool scanned = cap > 0 && narrow[0] == '\0';
    char *sql = xasprintf(scanned ? sql_scanned_capped : cap > 0 ? sql_matching_capped
                                                                 : sql_matching_count, narrow);
    char lim[24];
    const char *params[] = {needle, lim, regex};

    snprintf(lim, sizeof lim, "%lld", cap + 1);
    PGresult *c = db_exec(db, err, sql, scanned ? 3 : cap > 0 ? 2 : 1, params);
    free(sql);
    if (c == NULL)
        return -1;
    *n = db_ll(c, 0, 0);
    PQclear(c);
    return 0;
}

/* How many entities the listing holds in all: what a search counted
 * beside the page; without one, a page that came back short (and not past
 * the end) ends the listing, so it and the `offset` before it are all of
 * them; else a count, and always after an entity, before which nothing
 * was read. */
static int listing_total(struct db *db, PGresult *r, const char *needle, long long offset,
                         bool after, long long limit, long long *total, struct err *err)
{
    int n = PQntuples(r);

    if (!after && (n > 0 || offset == 0) && (needle != NULL || n < limit)) {
        *total = n == 0 ? 0 : needle != NULL ? db_ll(r, 0, 5) : offset + n;
        return 0;
    }
    return matching_count(db, needle, NULL, 0, total, err);
}

/* A capped search's total: the index's count (`counted`, -1 when it was
 * not taken) when it stopped at the cap or before; else a page that came
 * back short (and not past the end) ends the listing; else a count up to
 * the cap. *exact is false when more than `cap` match (*total: cap + 1). */
static int capped_total(struct db *db, int n, const struct page_query *q, long long offset,
                        long long limit, long long cap, long long counted, long long *total,
                        bool *exact, struct err *err)
{
    if (counted < 0 || counted > cap) {
        if (n < limit && (n > 0 || offset == 0))
            counted = offset + n;
        else if (counted < 0 &&
                 matching_count(db, q->params[0], q->params[3], cap, &counted, err) < 0)
            return -1;
    }
    *total = counted;
    *exact = counted <= cap;
    return 0;
}

void dedup_entity_key(const cJSON *entity, struct entity_after *key)
{
    key->id = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(entity, "id"));
    key->size = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(entity, "size"));
}

static cJSON *entities_json(PGresult *r)
{
    cJSON *arr = cJSON_CreateArray();

    for (int i = 0; i < PQntuples(r); i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)db_ll(r, i, 0));
        cJSON_AddStringToObject(o, "key", PQgetvalue(r, i, 1));
        cJSON_AddStringToObject(o, "title", PQgetvalue(r, i, 2));
        cJSON_AddNumberToObject(o, "size", (double)db_ll(r, i, 3));
        cJSON_AddStringToObject(o, "updated_at", PQgetvalue(r, i, 4));
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

/* The page's query. A search that counts all its matches counts them in
 * the page's own scan (TOTAL_COUNTED; after an entity that count would
 * count only what follows it: listing_total counts apart). A capped one
 * (cap > 0, from the start) asks the index first how many match, up to
 * the cap, which no statistics can get wrong: that many the index serves
 * and the page sorts; more are walked (SQL_WALKED), as is a needle the
 * index cannot serve (*counted stays -1). */
static int page_plan(struct db *db, const char *needle, const struct entity_after *after,
                     long long cap, struct page_query *q, long long *counted, struct err *err)
{
    const char *narrow = search_narrowing(db, needle);

    *counted = -1;
    if (cap == 0) {
        q->listed = listed_sql(LISTED_PLANNED, needle && !after ? TOTAL_COUNTED : TOTAL_NONE,
                               narrow, after != NULL);
        return 0;
    }
    if (narrow[0] != '\0' && matching_count(db, needle, NULL, cap, counted, err) < 0)
        return -1;
    if (*counted >= 0 && *counted <= cap) {
        q->listed = listed_sql(LISTED_PLANNED, TOTAL_NONE, narrow, false);
        return 0;
    }
    q->listed = listed_sql(LISTED_WALKED, TOTAL_NONE, narrow, false);
    q->nparams = 4; /* $4: the regular expression (SQL_WALKED) */
    return 0;
}

/* dedup_entities with a cap on a search's count (0: none). */
static cJSON *entities_list(struct db *db, const struct config *cfg, const char *search,
                            long long offset, const struct entity_after *after, long long limit,
                            bool members, long long cap, long long *total, bool *exact,
                            struct err *err)
{
    char lim[24], off[24], size[24], id[24], *needle = search ? like_needle(search) : NULL;
    char *regex = NULL;
    struct page_query q = {.nparams = after ? 5 : 3};
    long long counted;
    cJSON *arr = NULL;

    if (needle != NULL && after == NULL && cap > 0) { /* else: counts every match */
        char *folded = fold_text(search);
        regex = db_search_regex(folded);
        free(folded);
    }
    if (regex == NULL)
        cap = 0;
    /* the fourth: the entity after which (ENTITY_AFTER), or the regular
     * expression of a capped search (which starts at the start) */
    const char *params[] = {needle, lim, off, regex ? regex : size, id};
    q.params = params;
    snprintf(lim, sizeof lim, "%lld", limit);
    snprintf(off, sizeof off, "%lld", offset);
    snprintf(size, sizeof size, "%lld", after ? after->size : 0);
    snprintf(id, sizeof id, "%lld", after ? after->id : 0);
    *exact = true;
    if (page_plan(db, needle, after, cap, &q, &counted, err) == 0) {
        char *sql = xasprintf(sql_entities, q.listed);
        PGresult *r = db_exec(db, err, sql, q.nparams, params);
        free(sql);
        if (r != NULL &&
            (cap > 0 ? capped_total(db, PQntuples(r), &q, offset, limit, cap, counted, total,
                                    exact, err)
                     : listing_total(db, r, needle, offset, after != NULL, limit, total, err)) == 0)
            arr = entities_json(r);
        PQclear(r);
    }
    if (arr != NULL && members && add_members(db, cfg, arr, &q, err) < 0) {
        cJSON_Delete(arr);
        arr = NULL;
    }
    free(q.listed);
    free(regex);
    free(needle);
    return arr;
}

cJSON *dedup_entities(struct db *db, const struct config *cfg, const char *search,
                      long long offset, const struct entity_after *after, long long limit,
                      bool members, long long *total, struct err *err)
{
    bool exact;

    return entities_list(db, cfg, search, offset, after, limit, members, 0, total, &exact, err);
}

/* Where a search stops counting: at SEARCH_CAP matches, or at the next
 * thousand past the page's last entity, so that "more than N" always says
 * more than the page shows; nowhere (0) for a page of every match. */
#define SEARCH_CAP 1000
static long long search_cap(long long offset, long long limit)
{
    if (limit > 1000000000LL || offset > 1000000000LL)
        return 0;
    return offset + limit < SEARCH_CAP ? SEARCH_CAP : ((offset + limit) / 1000 + 1) * 1000;
}

cJSON *dedup_entities_capped(struct db *db, const struct config *cfg, const char *search,
                             long long offset, long long limit, bool members, bool count_all,
                             long long *total, bool *exact, struct err *err)
{
    return entities_list(db, cfg, search, offset, NULL, limit, members,
                         count_all ? 0 : search_cap(offset, limit), total, exact, err);
}

static const char *sql_entity =
    "SELECT id, key, title, size, display_record, deleted_at IS NOT NULL "
    "FROM kasparro.entities WHERE key = $1 OR id::text = $1";
static const char *sql_members =
    "SELECT m.record_id, r.source, r.source_id, m.method, m.confidence, m.live, %s "
    "FROM kasparro.entity_members m JOIN kasparro.records r ON r.id = m.record_id "
    "WHERE m.entity_id = $1 ORDER BY m.live DESC, m.record_id";

cJSON *dedup_entity(struct db *db, const struct config *cfg, const char *id_or_key,
                    struct err *err)
{
    struct match_plan p;
    PGresult *r;

    if (match_plan_init(&p, cfg, err) < 0 ||
        (r = db_exec(db, err, sql_entity, DB_PARAMS(id_or_key))) == NULL)
        return NULL;
    if (PQntuples(r) == 0) {
        PQclear(r);
        err_missing_name(err, "entity", id_or_key);
        return NULL;
    }
    cJSON *o = cJSON_CreateObject(), *members = cJSON_CreateArray();
    cJSON_AddNumberToObject(o, "id", (double)db_ll(r, 0, 0));
    cJSON_AddStringToObject(o, "key", PQgetvalue(r, 0, 1));
    cJSON_AddStringToObject(o, "title", PQgetvalue(r, 0, 2));
    cJSON_AddNumberToObject(o, "size", (double)db_ll(r, 0, 3));
    cJSON_AddNumberToObject(o, "display_record", (double)db_ll(r, 0, 4));
    cJSON_AddBoolToObject(o, "deleted", db_bool(r, 0, 5));
    char id[24];
    snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    char *label = match_plan_label_sql(&p, db, "r");
    char *sql = xasprintf(sql_members, label);
    free(label);
    r = db_exec(db, err, sql, DB_PARAMS(id));
    free(sql);
    if (r == NULL) {
        cJSON_Delete(o);
        cJSON_Delete(members);
        return NULL;
    }
    for (int i = 0; i < PQntuples(r); i++) {
        cJSON *m = cJSON_CreateObject();
        cJSON_AddNumberToObject(m, "record", (double)db_ll(r, i, 0));
        cJSON_AddStringToObject(m, "source", PQgetvalue(r, i, 1));
        cJSON_AddStringToObject(m, "source_id", PQgetvalue(r, i, 2));
        cJSON_AddStringToObject(m, "method", PQgetvalue(r, i, 3));
        cJSON_AddNumberToObject(m, "confidence", db_double(r, i, 4));
        cJSON_AddBoolToObject(m, "live", db_bool(r, i, 5));
        cJSON_AddStringToObject(m, "title", PQgetvalue(r, i, 6));
        cJSON_AddItemToArray(members, m);
    }
    PQclear(r);
    cJSON_AddItemToObject(o, "members", members);
    cJSON *apart = dedup_entity_apart(db, (long long)cJSON_GetNumberValue(
                                              cJSON_GetObjectItem(o, "id")), err);
    if (apart == NULL) {
        cJSON_Delete(o);
        return NULL;
    }
    cJSON_AddItemToObject(o, "kept_apart", apart);
    return o;
}

/*
 * solve.c — from evidence to entities for one working set.
 *
 * Evidence is a list of edges (operator must-links, equal fingerprints,
 * automatic matches) and cannot-links (rejections, splits). In an
 * incremental pass, records whose membership is not re-decided start glued
 * to their entity (premerge); in a full pass and after a decision, every
 * record starts alone. Edges are joined strongest first (operators' links,
 * then identifying fingerprints, then automatic matches by falling weight);
 * one that would cross a cannot-link, or put two records of one unique
 * source into one entity, is refused and marked, and the caller queues it
 * for review; so is an automatic one that would join two records of one
 * source which do not match when compared (s->alike, cluster.c). Components then take the entity id most of their members had
 * (or preferred, when undoing a decision), which keeps ids stable.
 *
 * A fingerprint (equal key fields) links records at once only when it is
 * identifying: a value that many records of one source share — a title
 * like "Introduction", a year — names no single thing, and those records
 * are left to the model.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

void solve_init(struct solve *s, struct recset *rs)
{
    memset(s, 0, sizeof *s);
    s->rs = rs;
    s->changed = xcalloc(rs->n ? rs->n : 1, 1);
}

void solve_free(struct solve *s)
{
    free(s->edges);
    free(s->cannot);
    free(s->changed);
    free(s->want);
    free(s->assigned);
    free(s->method);
    free(s->confidence);
    memset(s, 0, sizeof *s);
}

void solve_edge(struct solve *s, uint32_t a, uint32_t b, float p, double w, int kind,
                uint32_t tag)
{
    if (s->nedges == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->edges = xreallocarray(s->edges, s->cap, sizeof *s->edges);
    }
    s->edges[s->nedges++] = (struct edge){a, b, p, w, tag, (uint8_t)kind, REFUSED_NONE};
}

void solve_cannot(struct solve *s, uint32_t a, uint32_t b)
{
    if (s->ncannot == s->capc) {
        s->capc = s->capc ? s->capc * 2 : 64;
        s->cannot = xreallocarray(s->cannot, s->capc * 2, sizeof *s->cannot);
    }
    s->cannot[2 * s->ncannot] = a;
    s->cannot[2 * s->ncannot + 1] = b;
    s->ncannot++;
}

static const struct recset *fp_rs;
static int by_fp(const void *x, const void *y)
{
    uint64_t a = fp_rs->fp[*(const uint32_t *)x], b = fp_rs->fp[*(const uint32_t *)y];
    return a < b ? -1 : a > b;
}

/* Whether the n records in `group` (one fingerprint) may be one thing. */
static bool identifying(const struct recset *rs, const uint32_t *group, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        uint16_t src = rs->source[group[k]];
        uint32_t most = rs->source_unique[src] ? 1 : EXACT_MAX_PER_SOURCE, seen = 1;
        /* a group longer than a few records per source fails within its
         * first few records per source, so this stays short */
        for (uint32_t j = 0; j < k; j++)
            if (rs->source[group[j]] == src && ++seen > most)
                return false;
    }
    return true;
}

void solve_exact_edges(struct solve *s, bool within_source)
{
    const struct recset *rs = s->rs;
    uint32_t *order = xmalloc((rs->n ? rs->n : 1) * sizeof *order), n = 0;

    for (uint32_t i = 0; i < rs->n; i++)
        if (rs->fp[i] != 0)
            order[n++] = i;
    fp_rs = rs;
    qsort(order, n, sizeof *order, by_fp);
    for (uint32_t g = 0, e; g < n; g = e) {
        for (e = g + 1; e < n && rs->fp[order[e]] == rs->fp[order[g]]; e++)
            ;
        if (!identifying(rs, order + g, e - g))
            continue;
        /* each record links to the group's first record, or (across sources
         * only) to the first record of another source than that one's */
        uint32_t first = order[g], alt = UINT32_MAX;
        for (uint32_t k = g + 1; k < e && alt == UINT32_MAX; k++)
            if (rs->source[order[k]] != rs->source[first])
                alt = order[k];
        for (uint32_t k = g + 1; k < e; k++) {
            uint32_t x = order[k];
            uint32_t y = within_source || rs->source[x] != rs->source[first] ? first : alt;
            if (y != UINT32_MAX && y != x && (s->changed[x] || s->changed[y]))
                solve_edge(s, x, y, 1.0f, 0, EDGE_EXACT, UINT32_MAX);
        }
        if (alt != UINT32_MAX && !within_source && (s->changed[first] || s->changed[alt]))
            solve_edge(s, first, alt, 1.0f, 0, EDGE_EXACT, UINT32_MAX);
    }
    free(order);
}

static const char *sql_links =
    "SELECT rec_a, rec_b, kind FROM kasparro.links "
    "WHERE rec_a = ANY($1::bigint[]) OR rec_b = ANY($1::bigint[])";
static const char *sql_all_links = "SELECT rec_a, rec_b, kind FROM kasparro.links";

int solve_load_links(struct solve *s, struct db *db, struct idmap *ids, struct err *err)
{
    struct buf arr = BUF_INIT;
    PGresult *r;

    if (s->rs->n > 10000) {
        r = db_exec(db, err, sql_all_links, 0, NULL);
    } else {
        ids_array_text(&arr, s->rs->id, s->rs->n);
        r = db_exec(db, err, sql_links, DB_PARAMS(arr.data));
        buf_free(&arr);
    }
    if (r == NULL)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        uint32_t a, b;
        if (!idmap_get(ids, db_ll(r, i, 0), &a) || !idmap_get(ids, db_ll(r, i, 1), &b))
            continue;
        if (strcmp(PQgetvalue(r, i, 2), "must") == 0)
            solve_edge(s, a, b, 1.0f, 0, EDGE_MUST, UINT32_MAX);
        else
            solve_cannot(s, a, b);
    }
    PQclear(r);
    return 0;
}

static int strongest_first(const void *x, const void *y)
{
    const struct edge *a = x, *b = y;
    if (a->kind != b->kind)
        return a->kind > b->kind ? -1 : 1;
    if (a->w != b->w)
        return a->w > b->w ? -1 : 1;
    return a->tag < b->tag ? -1 : a->tag > b->tag;
}

static void premerge(struct solve *s, struct uf *uf)
{
    const struct recset *rs = s->rs;
    struct idmap first;

    idmap_init(&first, rs->n);
    for (uint32_t i = 0; i < rs->n; i++) {
        uint32_t f;
        if (s->changed[i] || rs->entity[i] == 0 || !rs->member_live[i])
            continue;
        if (idmap_get(&first, rs->entity[i], &f))
            uf_union(uf, f, i, false);
        else
            idmap_put(&first, rs->entity[i], i);
    }
    idmap_free(&first);
}

/* Each unique source gets a bit (the first 64; more are not checked). */
static void mark_unique(const struct recset *rs, struct uf *uf)
{
    int bit[1024], next = 0;

    for (uint16_t src = 0; src < rs->nsources; src++)
        bit[src] = rs->source_unique[src] ? next++ : -1;
    if (next == 0)
        return;
    for (uint32_t i = 0; i < rs->n; i++)
        uf_set_unique(uf, i, bit[rs->source[i]]);
}

static uint8_t edge_method(int kind)
{
    return kind == EDGE_MUST ? METHOD_MANUAL : kind == EDGE_EXACT ? METHOD_EXACT : METHOD_AUTO;
}

void solve_run(struct solve *s)
{
    struct recset *rs = s->rs;
    struct uf uf;
    uint8_t *joined = xcalloc(rs->n ? rs->n : 1, 1);

    uf_init(&uf, rs->n);
    uf_set_cannot(&uf, s->cannot, s->ncannot);
    mark_unique(rs, &uf);
    if (s->premerge)
        premerge(s, &uf);
    if (s->nedges > 0) /* no edges: s->edges is NULL, which qsort must not see */
        qsort(s->edges, s->nedges, sizeof *s->edges, strongest_first);
    s->method = xcalloc(rs->n ? rs->n : 1, 1);
    s->confidence = xcalloc(rs->n ? rs->n : 1, sizeof *s->confidence);
    for (size_t i = 0; i < s->nedges; i++) {
        struct edge *e = &s->edges[i];
        if (e->kind == EDGE_AUTO && s->alike != NULL && !uf_unique_conflict(&uf, e->a, e->b) &&
            !uf_alike(&uf, e->a, e->b, rs->source, s->alike, s->alike_ctx)) {
            e->refused = REFUSED_APART;
            continue;
        }
        int joined_rc = uf_union(&uf, e->a, e->b, e->kind != EDGE_MUST);
        if (joined_rc <= 0) {
            e->refused = joined_rc == 0 ? REFUSED_CANNOT : REFUSED_UNIQUE;
            continue;
        }
        uint8_t m = edge_method(e->kind);
        uint32_t ends[2] = {e->a, e->b};
        for (int k = 0; k < 2; k++) {
            uint32_t x = ends[k];
            if (m > s->method[x] || (m == s->method[x] && e->p > s->confidence[x])) {
                s->method[x] = m;
                s->confidence[x] = m == METHOD_AUTO ? e->p : 1.0f;
            }
            joined[x] = 1;
        }
    }
    s->assigned = xmalloc((rs->n ? rs->n : 1) * sizeof *s->assigned);
    cluster_assign_ids(&uf, s->want ? s->want : rs->entity, s->assigned);
    for (uint32_t i = 0; i < rs->n; i++) {
        if (uf.size[uf_find(&uf, i)] == 1) {
            s->method[i] = METHOD_SINGLE, s->confidence[i] = 1.0f;
        } else if (!joined[i]) {
            /* glued by premerge: keeps what it had */
            s->method[i] = rs->method[i] ? rs->method[i] : METHOD_AUTO;
            s->confidence[i] = 1.0f;
        }
    }
    /* components without an id: the caller creates entities; mark them by
     * root so all members share one new entity (negative: -(root + 1)) */
    for (uint32_t i = 0; i < rs->n; i++)
        if (s->assigned[i] == 0)
            s->assigned[i] = -(int64_t)uf_find(&uf, i) - 1;
    free(joined);
    uf_free(&uf);
}

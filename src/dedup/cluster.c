/*
 * cluster.c — entities as connected components that respect cannot-links.
 *
 * Union-find with union by size and path halving; each component also keeps
 * a circular list of its members and the number of cannot-link endpoints in
 * it, so a join is checked only when both sides carry such constraints:
 * joining A and B is refused when some member of one is cannot-linked to a
 * member of the other. Each component also knows which unique sources
 * ([source] unique = true) its members come from: joining two that both
 * hold a record of one such source would make that source list one thing
 * twice, and is refused too (one-to-one). Offered strongest first, edges so
 * settle every conflict to the best evidence, which is JedAI's unique
 * mapping clustering when two clean sources are matched. Edges are offered strongest first (operator
 * approvals, identical fingerprints, then automatic matches by falling
 * probability), so a refused join is always the weakest evidence, and the
 * caller sends that pair to the review queue instead of merging silently.
 *
 * Components grow by chains: a ~ b and b ~ c put a and c together without
 * anyone asking whether a ~ c. Across sources only, two records of one
 * source are never compared, so a chain through the other source is all
 * that joins them, and on products it joins every size and colour of one
 * cable into one entity. uf_alike asks the
 * question for the records of one source that a join would bring together,
 * and the caller refuses the join when they do not match: complete linkage
 * where the evidence is indirect, single linkage elsewhere.
 *
 * Entity ids are then handed to components by majority (cluster_assign_ids):
 * a component keeps the id most of its members had, which is why ids stay
 * put when membership does not change.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

void uf_init(struct uf *uf, uint32_t n)
{
    memset(uf, 0, sizeof *uf);
    uf->n = n;
    uf->parent = xmalloc((n ? n : 1) * sizeof *uf->parent);
    uf->next = xmalloc((n ? n : 1) * sizeof *uf->next);
    uf->size = xmalloc((n ? n : 1) * sizeof *uf->size);
    uf->ncannot = xcalloc(n ? n : 1, sizeof *uf->ncannot);
    uf->unique = xcalloc(n ? n : 1, sizeof *uf->unique);
    for (uint32_t i = 0; i < n; i++) {
        uf->parent[i] = uf->next[i] = i;
        uf->size[i] = 1;
    }
}

void uf_free(struct uf *uf)
{
    free(uf->parent);
    free(uf->next);
    free(uf->size);
    free(uf->ncannot);
    free(uf->unique);
    free(uf->cl_start);
    free(uf->cl_other);
    memset(uf, 0, sizeof *uf);
}

uint32_t uf_find(struct uf *uf, uint32_t x)
{
    while (uf->parent[x] != x) {
        uf->parent[x] = uf->parent[uf->parent[x]];
        x = uf->parent[x];
    }
    return x;
}

void uf_set_cannot(struct uf *uf, const uint32_t *pairs, size_t npairs)
{
    uint32_t *fill;

    free(uf->cl_start);
    free(uf->cl_other);
    uf->cl_start = xcalloc((size_t)uf->n + 1, sizeof *uf->cl_start);
    uf->cl_other = xmalloc((npairs ? npairs : 1) * 2 * sizeof *uf->cl_other);
    for (size_t i = 0; i < npairs * 2; i++)
        uf->cl_start[pairs[i] + 1]++;
    for (uint32_t i = 0; i < uf->n; i++)
        uf->cl_start[i + 1] += uf->cl_start[i];
    fill = xmalloc(((size_t)uf->n + 1) * sizeof *fill);
    memcpy(fill, uf->cl_start, ((size_t)uf->n + 1) * sizeof *fill);
    for (size_t i = 0; i < npairs; i++) {
        uint32_t a = pairs[2 * i], b = pairs[2 * i + 1];
        uf->cl_other[fill[a]++] = b;
        uf->cl_other[fill[b]++] = a;
    }
    free(fill);
    for (uint32_t i = 0; i < uf->n; i++)
        uf->ncannot[uf_find(uf, i)] += uf->cl_start[i + 1] - uf->cl_start[i];
}

bool uf_conflict(struct uf *uf, uint32_t a, uint32_t b)
{
    uint32_t ra = uf_find(uf, a), rb = uf_find(uf, b);

    if (ra == rb || uf->cl_start == NULL || uf->ncannot[ra] == 0 || uf->ncannot[rb] == 0)
        return false;
    if (uf->size[ra] > uf->size[rb]) {
        uint32_t t = ra;
        ra = rb, rb = t;
    }
    uint32_t m = ra;
    do {
        for (uint32_t k = uf->cl_start[m]; k < uf->cl_start[m + 1]; k++)
            if (uf_find(uf, uf->cl_other[k]) == rb)
                return true;
        m = uf->next[m];
    } while (m != ra);
    return false;
}

void uf_set_unique(struct uf *uf, uint32_t i, int bit)
{
    if (bit >= 0 && bit < 64)
        uf->unique[uf_find(uf, i)] |= 1ULL << bit;
}

bool uf_unique_conflict(struct uf *uf, uint32_t a, uint32_t b)
{
    uint32_t ra = uf_find(uf, a), rb = uf_find(uf, b);

    return ra != rb && (uf->unique[ra] & uf->unique[rb]) != 0;
}

int uf_union(struct uf *uf, uint32_t a, uint32_t b, bool check_unique)
{
    uint32_t ra = uf_find(uf, a), rb = uf_find(uf, b), t;

    if (ra == rb)
        return 1;
    if (uf_conflict(uf, ra, rb))
        return 0;
    if (check_unique && uf_unique_conflict(uf, ra, rb))
        return -1;
    if (uf->size[ra] < uf->size[rb])
        t = ra, ra = rb, rb = t;
    uf->parent[rb] = ra;
    uf->size[ra] += uf->size[rb];
    uf->ncannot[ra] += uf->ncannot[rb];
    uf->unique[ra] |= uf->unique[rb];
    t = uf->next[ra];
    uf->next[ra] = uf->next[rb];
    uf->next[rb] = t;
    return 1;
}

bool uf_alike(struct uf *uf, uint32_t a, uint32_t b, const uint16_t *source,
              bool (*alike)(void *ctx, uint32_t x, uint32_t y), void *ctx)
{
    uint32_t ra = uf_find(uf, a), rb = uf_find(uf, b), asked = 0, walked = 0;

    if (ra == rb)
        return true;
    uint32_t x = ra;
    do {
        uint32_t y = rb;
        do {
            if (source[x] == source[y]) {
                if (!alike(ctx, x, y))
                    return false;
                if (++asked == UF_ALIKE_CHECKS)
                    return true;
            }
            /* two large components of other sources: the first members
             * stand for the rest */
            if (++walked == UF_ALIKE_CHECKS * UF_ALIKE_CHECKS)
                return true;
            y = uf->next[y];
        } while (y != rb);
        x = uf->next[x];
    } while (x != ra);
    return true;
}

struct claim {
    uint32_t root;
    uint32_t count;
    int64_t id;
};

static int by_root_id(const void *x, const void *y)
{
    const struct claim *a = x, *b = y;
    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static int by_strength(const void *x, const void *y)
{
    const struct claim *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return a->root < b->root ? -1 : a->root > b->root;
}

/* Open-addressing set of entity ids (ids are positive). */
static bool id_take(int64_t *set, size_t mask, int64_t id)
{
    size_t h = (size_t)dedup_hash(&id, sizeof id, 0) & mask;

    while (set[h] != 0) {
        if (set[h] == id)
            return false;
        h = (h + 1) & mask;
    }
    set[h] = id;
    return true;
}

void cluster_assign_ids(struct uf *uf, const int64_t *want, int64_t *out)
{
    struct claim *c = xmalloc((uf->n ? uf->n : 1) * sizeof *c);
    int64_t *given = xcalloc(uf->n ? uf->n : 1, sizeof *given); /* per root */
    size_t n = 0, k = 0, cap = 16;

    for (uint32_t i = 0; i < uf->n; i++)
        if (want[i] != 0)
            c[n++] = (struct claim){uf_find(uf, i), 1, want[i]};
    qsort(c, n, sizeof *c, by_root_id);
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && c[k - 1].root == c[i].root && c[k - 1].id == c[i].id)
            c[k - 1].count++;
        else
            c[k++] = c[i];
    }
    qsort(c, k, sizeof *c, by_strength);
    while (cap < 2 * k)
        cap *= 2;
    int64_t *taken = xcalloc(cap, sizeof *taken);
    /* strongest claims first; an id goes to one component, a component
     * takes one id */
    for (size_t i = 0; i < k; i++)
        if (given[c[i].root] == 0 && id_take(taken, cap - 1, c[i].id))
            given[c[i].root] = c[i].id;
    for (uint32_t i = 0; i < uf->n; i++)
        out[i] = given[uf_find(uf, i)];
    free(c);
    free(given);
    free(taken);
}

/*
 * onetoone.c — what "this source lists each thing once" does to the
 * evidence: a record of a unique source matches at most one record of each
 * other unique source, so its candidates there are alternatives, and the
 * more strongly one of them matches, the less likely the others are.
 *
 * For a pair (a, b) with odds o = 2^weight, the probability becomes
 * o / (1 + A + B - o), where A sums the odds of a's plausible candidates
 * (more likely a match than not, below) in b's source when that source is
 * unique, and B those of b's candidates in a's source when that one is ("none of them" being the 1; a source that may
 * list a thing twice adds nothing): the posterior of a one-to-one assignment
 * when a and b's alternatives exclude each other, taking one record's
 * alternatives at a time (as in Sadinle's bipartite record linkage, without
 * the full assignment sum). A pair without rivals keeps its probability; a
 * pair whose record has a far better partner drops below review and leaves
 * the queue to the one that matters; two equally good rivals both fall to
 * the queue, where an operator settles them. The change is kept per pair
 * and shown in its explanation as "one-to-one".
 *
 * An incremental pass sees only the pairs of changed records, so there the
 * sums are partial; clustering (uf_union) still keeps one record per unique
 * source in an entity, and the next rescan sums everything.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

/* Whether a's candidates in b's source are rivals: b's source lists each
 * thing once, so a matches at most one record there. */
static bool rivals_in(const struct recset *rs, uint32_t a, uint32_t b)
{
    return rs->source[a] != rs->source[b] && rs->source_unique[rs->source[b]];
}

/* The slot of (record, other source) in sums. */
static uint32_t slot(struct idmap *map, uint32_t *n, uint32_t rec, uint16_t other)
{
    int64_t key = (int64_t)rec * 1024 + other + 1;
    uint32_t k;

    if (!idmap_get(map, key, &k)) {
        k = (*n)++;
        idmap_put(map, key, k);
    }
    return k;
}

static double odds(double w) { return exp2(w > 60 ? 60 : w < -60 ? -60 : w); }

/* A rival counts only when it is itself more likely a match than not.
 * The model's odds for weak pairs are not calibrated well enough for many
 * of them to add up to a rival: on movies a person's identical name lost
 * to a dozen vaguely similar names, none of them a match. */
#define RIVAL_MIN_WEIGHT 0.0

static double rival_odds(double w) { return w < RIVAL_MIN_WEIGHT ? 0 : odds(w); }

uint32_t one_to_one_slots(const struct recset *rs, const uint64_t *pairs, size_t npairs,
                          uint32_t *sa, uint32_t *sb)
{
    bool any = false;
    struct idmap map;
    uint32_t n = 0;

    for (uint16_t s = 0; s < rs->nsources; s++)
        any |= rs->source_unique[s];
    if (!any || npairs == 0)
        return 0;
    idmap_init(&map, 2 * npairs);
    for (size_t k = 0; k < npairs; k++) {
        uint32_t a = (uint32_t)(pairs[k] >> 32), b = (uint32_t)pairs[k];
        sa[k] = rivals_in(rs, a, b) ? slot(&map, &n, a, rs->source[b]) : UINT32_MAX;
        sb[k] = rivals_in(rs, b, a) ? slot(&map, &n, b, rs->source[a]) : UINT32_MAX;
    }
    idmap_free(&map);
    return n;
}

void one_to_one_posteriors(const double *weight, size_t n, const uint32_t *sa,
                           const uint32_t *sb, uint32_t nslots, double *sums, double *post)
{
    memset(sums, 0, (nslots ? nslots : 1) * sizeof *sums);
    for (size_t k = 0; k < n; k++) {
        if (sa[k] != UINT32_MAX)
            sums[sa[k]] += rival_odds(weight[k]);
        if (sb[k] != UINT32_MAX)
            sums[sb[k]] += rival_odds(weight[k]);
    }
    for (size_t k = 0; k < n; k++) {
        double w = weight[k], o = rival_odds(w), rivals = 0;
        if (sa[k] != UINT32_MAX)
            rivals += sums[sa[k]] - o;
        if (sb[k] != UINT32_MAX)
            rivals += sums[sb[k]] - o;
        if (rivals > odds(w) * 1e-12)
            w -= log2(1 + rivals); /* p' = o / (1 + o + rivals) */
        post[k] = w;
    }
}

double one_to_one_evidence(const int8_t *label, size_t k, double weight)
{
    return label == NULL || label[k] < 0 ? weight : label[k] ? 60 : -60;
}

void one_to_one_outranked(const struct recset *rs, const uint64_t *pairs, size_t npairs,
                          const double *weight, uint8_t *outranked)
{
    uint32_t *sa = xmalloc((npairs ? npairs : 1) * sizeof *sa);
    uint32_t *sb = xmalloc((npairs ? npairs : 1) * sizeof *sb);
    uint32_t nslots = one_to_one_slots(rs, pairs, npairs, sa, sb);
    double *best = xmalloc((nslots ? nslots : 1) * sizeof *best);

    for (uint32_t i = 0; i < nslots; i++)
        best[i] = -INFINITY;
    for (size_t k = 0; k < npairs && nslots > 0; k++) {
        if (sa[k] != UINT32_MAX)
            best[sa[k]] = fmax(best[sa[k]], weight[k]);
        if (sb[k] != UINT32_MAX)
            best[sb[k]] = fmax(best[sb[k]], weight[k]);
    }
    for (size_t k = 0; k < npairs; k++)
        outranked[k] = nslots > 0 && ((sa[k] != UINT32_MAX && best[sa[k]] > weight[k]) ||
                                      (sb[k] != UINT32_MAX && best[sb[k]] > weight[k]));
    free(best);
    free(sa);
    free(sb);
}

bool one_to_one_adjust(const struct recset *rs, const uint64_t *pairs, size_t npairs,
                       const int8_t *label, double *weight, float *adjust)
{
    uint32_t *sa = xmalloc((npairs ? npairs : 1) * sizeof *sa);
    uint32_t *sb = xmalloc((npairs ? npairs : 1) * sizeof *sb);
    uint32_t nslots = one_to_one_slots(rs, pairs, npairs, sa, sb);

    if (nslots > 0) {
        double *sums = xmalloc(nslots * sizeof *sums);
        double *w = xmalloc(npairs * sizeof *w);
        for (size_t k = 0; k < npairs; k++)
            w[k] = one_to_one_evidence(label, k, weight[k]);
        one_to_one_posteriors(w, npairs, sa, sb, nslots, sums, w);
        for (size_t k = 0; k < npairs; k++) {
            adjust[k] = 0;
            if (label != NULL && label[k] >= 0)
                continue;
            adjust[k] = (float)(w[k] - weight[k]);
            weight[k] = w[k];
        }
        free(sums);
        free(w);
    }
    free(sa);
    free(sb);
    return nslots > 0;
}

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
 * Between two unique sources whose records have partner rates (partner.c)
 * a pair's weight is first rebuilt on the per-record prior, and each
 * record's candidates compete for "its partner or none" on their own
 * side: the pair is as likely as the less convinced of its two records
 * says (Sadinle's bipartite posterior, one record at a time). What the
 * two records' alternatives say together — the other record unlikely to
 * have no partner, and no other likely candidate — is reported apart
 * (paired): it may bring a pair to an operator, never merge it unseen,
 * since it leans on the partner rates being right (docs/matching.md,
 * "Both records' alternatives at once").
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

/* The weight pair k brings among the candidates of each of its records:
 * between two sources with partner rates (la, lb: partner_pair_priors;
 * NULL when there are none), its fields' evidence under that record's
 * prior; else its weight. A decided pair is certain either way. */
static void side_evidence(const double *la, const double *lb, const int8_t *label,
                          const double *weight, size_t k, double *ea, double *eb)
{
    if (la == NULL || isnan(la[k])) {
        *ea = *eb = one_to_one_evidence(label, k, weight[k]);
        return;
    }
    double fields = weight[k] - fmin(la[k], lb[k]);
    *ea = one_to_one_evidence(label, k, la[k] + fields);
    *eb = one_to_one_evidence(label, k, lb[k] + fields);
}

/* The weight of pair k among its rivals. Between two sources with
 * partner rates each record's candidates compete for "its partner or
 * none" on their own side, and the pair is as likely as the less
 * convinced of its two records says; else the rivals of both records
 * are summed against the pair as before. */
static double among_rivals(const double *la, const double *lb, const int8_t *label,
                           const double *weight, const uint32_t *sa, const uint32_t *sb,
                           const double *sums, size_t k)
{
    double ea, eb, w = weight[k], rivals = 0;

    side_evidence(la, lb, label, weight, k, &ea, &eb);
    if (la != NULL && !isnan(la[k]))
        return fmin(ea - log2(1 + fmax(sums[sa[k]] - rival_odds(ea), 0)),
                    eb - log2(1 + fmax(sums[sb[k]] - rival_odds(eb), 0)));
    if (sa[k] != UINT32_MAX)
        rivals += sums[sa[k]] - rival_odds(ea);
    if (sb[k] != UINT32_MAX)
        rivals += sums[sb[k]] - rival_odds(eb);
    return rivals > odds(w) * 1e-12 ? w - log2(1 + rivals) : w; /* p' = o / (1 + o + rivals) */
}

/* How much the other record's alternatives add, between two sources with
 * partner rates: z = -log2(1 - q), "no partner" improbable for it, less
 * what its other candidates (every one, not only the plausible: this
 * only ever adds) make likely instead; never below nothing. */
static double exclusion(double z, double all, double own)
{
    return fmax(z - log2(1 + fmax(all - own, 0)), 0);
}

/* What weighing both records' alternatives at once (Sadinle's bipartite
 * posterior with a's and b's excluded together) adds to pair k's weight:
 * the smaller of the two records' exclusions, a lower bound, since which
 * record's prior is the pair's is not known; it relies on q being right. */
static double two_sided(const double *za, const double *zb, const double *all,
                        const uint32_t *sa, const uint32_t *sb, double ea, double eb, size_t k)
{
    return fmin(exclusion(za[k], all[sa[k]], odds(ea)), exclusion(zb[k], all[sb[k]], odds(eb)));
}

bool one_to_one_adjust(const struct fs_model *fs, const struct recset *rs, const uint64_t *pairs,
                       size_t npairs, const int8_t *label, double *weight, float *adjust,
                       float *prior, float *paired)
{
    size_t n = npairs ? npairs : 1;
    uint32_t *sa = xmalloc(n * sizeof *sa), *sb = xmalloc(n * sizeof *sb);
    uint32_t nslots = one_to_one_slots(rs, pairs, npairs, sa, sb);
    double prior_w = fs_prior_weight(fs), *la = NULL, *lb = NULL, *za = NULL, *zb = NULL;
    double *sums = NULL, *all = NULL;

    for (size_t k = 0; k < npairs; k++) {
        if (prior != NULL)
            prior[k] = (float)prior_w;
        if (paired != NULL)
            paired[k] = 0;
    }
    if (nslots == 0) {
        free(sa);
        free(sb);
        return false;
    }
    if (fs->npartner > 0) { /* rebuilt on the per-record prior */
        la = xmalloc(n * sizeof *la);
        lb = xmalloc(n * sizeof *lb);
        za = xmalloc(n * sizeof *za);
        zb = xmalloc(n * sizeof *zb);
        partner_pair_priors(fs, rs, pairs, npairs, sa, sb, la, lb, za, zb);
        for (size_t k = 0; k < npairs; k++)
            if (!isnan(la[k])) {
                if (prior != NULL)
                    prior[k] = (float)fmin(la[k], lb[k]);
                weight[k] += fmin(la[k], lb[k]) - prior_w;
            }
    }
    sums = xcalloc(nslots, sizeof *sums);
    all = xcalloc(nslots, sizeof *all);
    for (size_t k = 0; k < npairs; k++) {
        double ea, eb;
        side_evidence(la, lb, label, weight, k, &ea, &eb);
        if (sa[k] != UINT32_MAX) {
            sums[sa[k]] += rival_odds(ea);
            all[sa[k]] += odds(ea);
        }
        if (sb[k] != UINT32_MAX) {
            sums[sb[k]] += rival_odds(eb);
            all[sb[k]] += odds(eb);
        }
    }
    for (size_t k = 0; k < npairs; k++) {
        adjust[k] = 0;
        if (label != NULL && label[k] >= 0)
            continue; /* decided: certain among its rivals, its own weight kept */
        double w = among_rivals(la, lb, label, weight, sa, sb, sums, k);
        if (paired != NULL && la != NULL && !isnan(la[k])) {
            double ea, eb;
            side_evidence(la, lb, label, weight, k, &ea, &eb);
            paired[k] = (float)two_sided(za, zb, all, sa, sb, ea, eb, k);
        }
        adjust[k] = (float)(w - weight[k]);
        weight[k] = w;
    }
    free(sa);
    free(sb);
    free(la);
    free(lb);
    free(za);
    free(zb);
    free(sums);
    free(all);
    return true;
}

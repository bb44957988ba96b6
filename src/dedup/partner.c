/*
 * partner.c — the prior of a pair between two unique sources, per record
 * rather than per pair (Sadinle 2017, bipartite record linkage).
 *
 * The pairwise prior is the share of blocked pairs that match. Between two
 * sources that each list a thing once, a record has at most one partner in
 * the other; when nearly every record has one (two shops listing the same
 * products), "no partner" is itself improbable, and the pairwise prior
 * sets each pair against it as if it were likely. Per record: with
 * probability q the record's partner is among its n candidates, each as
 * likely a priori, so a candidate's prior odds are q / (n (1 - q)), and
 *
 *     P(partner is k) = (q/n) BF_k / ((1 - q) + (q/n) sum_j BF_j)
 *
 * with BF = m/u the fields' evidence. q is estimated per pair of sources
 * and direction by EM over the records (q <- the mean of each record's
 * posterior of having a partner among its candidates, m and u held): a
 * mixture weight of its own, which the cap on the pairwise count does not
 * decide. n is the mean over the records of the direction, so a pair's
 * prior does not depend on how many candidates an incremental pass sees.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

#define Q_MIN 1e-6
#define EM_ROUNDS 1000

int partner_add(struct fs_model *fs, const char *source, const char *other)
{
    if (fs->npartner == fs->partner_cap) {
        fs->partner_cap = fs->partner_cap ? 2 * fs->partner_cap : 8;
        fs->partner = xreallocarray(fs->partner, (size_t)fs->partner_cap, sizeof *fs->partner);
    }
    struct fs_partner *pt = &fs->partner[fs->npartner];
    pt->source = xstrdup(source);
    pt->other = xstrdup(other);
    pt->q = pt->n = 0;
    return fs->npartner++;
}

void partner_clear(struct fs_model *fs)
{
    for (int i = 0; i < fs->npartner; i++) {
        free(fs->partner[i].source);
        free(fs->partner[i].other);
    }
    free(fs->partner);
    fs->partner = NULL;
    fs->npartner = fs->partner_cap = 0;
}

/* The partner rate slot of source s towards t, added when missing. */
static int partner_slot(struct fs_model *fs, const struct recset *rs, uint16_t s, uint16_t t)
{
    for (int i = 0; i < fs->npartner; i++)
        if (strcmp(fs->partner[i].source, rs->sources[s]) == 0 &&
            strcmp(fs->partner[i].other, rs->sources[t]) == 0)
            return i;
    return partner_add(fs, rs->sources[s], rs->sources[t]);
}

/* EM for q over the records of one direction: each record's mean
 * evidence over its candidates is what "its partner is among them"
 * predicts against "none is". */
static double estimate_q(const double *mean_bf, const int *dir, uint32_t nslots, int d)
{
    double q = 0.5;

    for (int it = 0; it < EM_ROUNDS; it++) {
        double post = 0, n = 0;
        for (uint32_t s = 0; s < nslots; s++) {
            if (dir[s] != d)
                continue;
            double h = q * mean_bf[s];
            post += h / (1 - q + h);
            n++;
        }
        double next = (post + 1) / (n + 2);
        bool done = fabs(next - q) < 1e-9;
        q = next;
        if (done)
            break;
    }
    return q;
}

void partner_estimate(struct fs_model *fs, const struct recset *rs, const uint64_t *pairs,
                      size_t npairs, const double *evidence)
{
    uint32_t *sa = xmalloc((npairs ? npairs : 1) * sizeof *sa);
    uint32_t *sb = xmalloc((npairs ? npairs : 1) * sizeof *sb);
    uint32_t nslots = one_to_one_slots(rs, pairs, npairs, sa, sb);
    double *sum = xcalloc(nslots ? nslots : 1, sizeof *sum);
    double *count = xcalloc(nslots ? nslots : 1, sizeof *count);
    int *dir = xmalloc((nslots ? nslots : 1) * sizeof *dir);

    partner_clear(fs);
    for (uint32_t s = 0; s < nslots; s++)
        dir[s] = -1;
    for (size_t k = 0; k < npairs; k++) {
        if (sa[k] == UINT32_MAX || sb[k] == UINT32_MAX)
            continue; /* not between two unique sources */
        uint32_t a = (uint32_t)(pairs[k] >> 32), b = (uint32_t)pairs[k];
        double e = evidence[k], bf = exp2(e > 60 ? 60 : e < -60 ? -60 : e);
        sum[sa[k]] += bf;
        count[sa[k]]++;
        dir[sa[k]] = partner_slot(fs, rs, rs->source[a], rs->source[b]);
        sum[sb[k]] += bf;
        count[sb[k]]++;
        dir[sb[k]] = partner_slot(fs, rs, rs->source[b], rs->source[a]);
    }
    for (uint32_t s = 0; s < nslots; s++)
        if (count[s] > 0)
            sum[s] /= count[s];
    for (int d = 0; d < fs->npartner; d++) {
        double records = 0, candidates = 0;
        for (uint32_t s = 0; s < nslots; s++)
            if (dir[s] == d) {
                records++;
                candidates += count[s];
            }
        fs->partner[d].n = records > 0 ? candidates / records : 1;
        fs->partner[d].q = estimate_q(sum, dir, nslots, d);
    }
    free(sa);
    free(sb);
    free(sum);
    free(count);
    free(dir);
}

/* log2 of the prior odds of one candidate of a record of source s in
 * source t (nsources^2), NAN where the model has no partner rate; and in
 * none, -log2(1 - q): how improbable "no partner" is for such a record. */
static double *prior_table(const struct fs_model *fs, const struct recset *rs, double **none)
{
    size_t ns = rs->nsources ? rs->nsources : 1;
    double *t = xmalloc(ns * ns * sizeof *t);

    *none = xmalloc(ns * ns * sizeof **none);
    for (size_t i = 0; i < ns * ns; i++)
        t[i] = (*none)[i] = NAN;
    for (int d = 0; d < fs->npartner; d++) {
        const struct fs_partner *pt = &fs->partner[d];
        int s = -1, o = -1;
        for (uint16_t i = 0; i < rs->nsources; i++) {
            if (strcmp(rs->sources[i], pt->source) == 0)
                s = i;
            if (strcmp(rs->sources[i], pt->other) == 0)
                o = i;
        }
        if (s < 0 || o < 0 || !rs->source_unique[s] || !rs->source_unique[o])
            continue;
        double q = pt->q < Q_MIN ? Q_MIN : pt->q > 1 - Q_MIN ? 1 - Q_MIN : pt->q;
        double w = log2(q / ((1 - q) * (pt->n > 1 ? pt->n : 1)));
        /* never below the pairwise prior: where few records have a
         * partner the two nearly agree, and a lower one only cost recall
         * (docs/matching.md, "The prior per record") */
        t[(size_t)s * ns + (size_t)o] = fmax(w, fs_prior_weight(fs));
        (*none)[(size_t)s * ns + (size_t)o] = -log2(1 - q);
    }
    return t;
}

void partner_pair_priors(const struct fs_model *fs, const struct recset *rs, const uint64_t *pairs,
                         size_t npairs, const uint32_t *sa, const uint32_t *sb, double *la,
                         double *lb, double *za, double *zb)
{
    double *none = NULL, *t = fs->npartner > 0 ? prior_table(fs, rs, &none) : NULL;
    size_t ns = rs->nsources;

    for (size_t k = 0; k < npairs; k++) {
        uint32_t a = (uint32_t)(pairs[k] >> 32), b = (uint32_t)pairs[k];
        la[k] = lb[k] = NAN;
        if (t == NULL || sa[k] == UINT32_MAX || sb[k] == UINT32_MAX)
            continue;
        la[k] = t[rs->source[a] * ns + rs->source[b]];
        lb[k] = t[rs->source[b] * ns + rs->source[a]];
        if (isnan(la[k]) || isnan(lb[k]))
            la[k] = lb[k] = NAN;
        else if (za != NULL) {
            za[k] = none[rs->source[a] * ns + rs->source[b]];
            zb[k] = none[rs->source[b] * ns + rs->source[a]];
        }
    }
    free(t);
    free(none);
}

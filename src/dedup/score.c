/*
 * score.c — the Fellegi–Sunter model: m and u per field and level, a prior,
 * and from them the match weight of a pair.
 *
 * weight = log2(prior / (1 - prior)) + sum over fields of log2(m_k / u_k),
 * probability = 2^w / (1 + 2^w). u (how often non-matches land on a level)
 * is counted on random pairs, which are almost all non-matches. m (the same
 * for matches) is estimated by expectation–maximisation over the blocked
 * pairs with u held fixed, starting from defaults that say "matches mostly
 * agree"; operator approvals are blended in as labelled matches. A missing
 * value is level 0 and weighs nothing either way.
 */
#include <math.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

#define P_MIN 1e-6

static double clamp_p(double p) { return p < P_MIN ? P_MIN : p > 1 - P_MIN ? 1 - P_MIN : p; }

void fs_model_defaults(struct fs_model *fs, const struct comparison *cmps, int n, double prior)
{
    memset(fs, 0, sizeof *fs);
    fs->nfields = n;
    fs->prior = prior > 0 ? prior : 0.1;
    for (int f = 0; f < n; f++) {
        int L = cmps[f].nlevels;
        fs->nlevels[f] = L;
        /* levels 1..L-1: m rises and u falls with agreement */
        double msum = 0, usum = 0;
        for (int k = 1; k < L; k++) {
            double rank = (double)(k - 1) / (double)(L - 2 > 0 ? L - 2 : 1); /* 0..1 */
            fs->m[f][k] = k == L - 1 ? 8.0 : 0.3 + rank;
            fs->u[f][k] = k == 1 ? 50.0 : pow(0.15, 1 + 2 * rank);
            msum += fs->m[f][k];
            usum += fs->u[f][k];
        }
        for (int k = 1; k < L; k++) {
            fs->m[f][k] /= msum;
            fs->u[f][k] /= usum;
        }
    }
}

double fs_level_weight(const struct fs_model *fs, int field, int level)
{
    if (level == LEVEL_MISSING)
        return 0;
    return log2(clamp_p(fs->m[field][level]) / clamp_p(fs->u[field][level]));
}

double fs_prior_weight(const struct fs_model *fs)
{
    double p = clamp_p(fs->prior);
    return log2(p / (1 - p));
}

double fs_probability(double weight)
{
    if (weight > 60)
        return 1.0;
    double o = exp2(weight);
    return o / (1 + o);
}

/* Normalises counts over levels 1..L-1 with add-half smoothing. */
static void set_dist(double *dst, const long long *counts, int L)
{
    double total = 0;

    for (int k = 1; k < L; k++)
        total += (double)counts[k] + 0.5;
    for (int k = 1; k < L; k++)
        dst[k] = ((double)counts[k] + 0.5) / total;
}

void fs_set_u(struct fs_model *fs, long long counts[][MAX_LEVELS])
{
    for (int f = 0; f < fs->nfields; f++)
        set_dist(fs->u[f], counts[f], fs->nlevels[f]);
}

int fs_em(struct fs_model *fs, const uint8_t *levels, size_t npairs, int iterations,
          bool fixed_prior)
{
    int F = fs->nfields, it;

    for (it = 0; it < iterations; it++) {
        double msum[FS_MAX_FIELDS][MAX_LEVELS] = {{0}}, total = 0;
        double prior_w = fs_prior_weight(fs);
        for (size_t p = 0; p < npairs; p++) {
            const uint8_t *lv = levels + p * (size_t)F;
            double w = prior_w;
            for (int f = 0; f < F; f++)
                w += fs_level_weight(fs, f, lv[f]);
            double post = fs_probability(w);
            total += post;
            for (int f = 0; f < F; f++)
                msum[f][lv[f]] += post;
        }
        double change = 0;
        for (int f = 0; f < F; f++) {
            double s = 0;
            for (int k = 1; k < fs->nlevels[f]; k++)
                s += msum[f][k] + 0.01;
            for (int k = 1; k < fs->nlevels[f]; k++) {
                double m = (msum[f][k] + 0.01) / s;
                change = fmax(change, fabs(m - fs->m[f][k]));
                fs->m[f][k] = m;
            }
        }
        if (!fixed_prior && npairs > 0)
            fs->prior = clamp_p(total / (double)npairs);
        if (change < 1e-4)
            break;
    }
    fs->estimated = true;
    fs->em_pairs = (long long)npairs;
    fs->em_iterations_run = it;
    return it;
}

void fs_update_m(struct fs_model *fs, long long counts[][MAX_LEVELS], long long npairs,
                 double strength)
{
    if (npairs <= 0)
        return;
    for (int f = 0; f < fs->nfields; f++) {
        double s = 0;
        for (int k = 1; k < fs->nlevels[f]; k++)
            s += (double)counts[f][k];
        if (s == 0)
            continue; /* only missing values: nothing learnt about this field */
        for (int k = 1; k < fs->nlevels[f]; k++)
            fs->m[f][k] = (strength * fs->m[f][k] + (double)counts[f][k]) / (strength + s);
    }
}

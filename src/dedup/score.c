/*
 * score.c — the Fellegi–Sunter model: m and u per field and level, a prior,
 * and from them the match weight of a pair.
 *
 * weight = log2(prior / (1 - prior)) + sum over fields of log2(m_k / u_k),
 * probability = 2^w / (1 + 2^w). u (how often non-matches land on a level)
 * is counted on random pairs, which are almost all non-matches. m (the same
 * for matches) is estimated by expectation–maximisation over the blocked
 * pairs with u held fixed; operator approvals are blended in as labelled
 * matches. A missing value is level 0 and weighs nothing either way.
 *
 * EM left to estimate the prior as well has a trap: on data where most
 * blocked pairs look alike (articles from one template, a shared word in
 * many titles) it can settle on a "match" class that is merely "somewhat
 * similar", with a prior far too high, and then calls most blocked pairs
 * matches. So the prior comes from what the configuration already declares
 * to be matches — pairs identical in the key fields (fs_key_prior) — and
 * stays fixed during EM; those pairs also seed m. Even with the prior held,
 * m can drift to that class; what it then says is implausible for real
 * matches — agreement no evidence for a match, or a field more often
 * merely alike than identical — and fs_plausible tells, so the caller keeps the
 * parameters it started from (fs_guard, model.c).
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

double fs_key_prior(long long key_pairs, long long npairs, long long nrecords)
{
    if (key_pairs > 0 && npairs > 0)
        return clamp_p((double)key_pairs / (double)npairs);
    /* nothing to count: as if each record had one duplicate among the others */
    return nrecords > 1 ? clamp_p(1.0 / (double)(nrecords - 1)) : 0.1;
}

bool fs_plausible(const struct fs_model *fs, int f)
{
    int top = fs->nlevels[f] - 1;

    if (top < 2)
        return false;
    for (int k = 1; k <= top; k++)
        if (!isfinite(fs->m[f][k]) || !isfinite(fs->u[f][k]) || fs->m[f][k] < 0)
            return false;
    /* identical values speak for a match, different ones against it */
    if (fs->m[f][top] <= fs->u[f][top] || fs->m[f][LEVEL_DISAGREE] >= fs->u[f][LEVEL_DISAGREE])
        return false;
    /* and a match agrees exactly at least as often as it nearly agrees */
    for (int k = LEVEL_DISAGREE + 1; k < top; k++)
        if (fs->m[f][k] > fs->m[f][top])
            return false;
    return true;
}

int fs_guard(struct fs_model *fs, const struct fs_model *fallback)
{
    int replaced = 0;

    for (int f = 0; f < fs->nfields; f++) {
        if (fs_plausible(fs, f))
            continue;
        /* m and u together: the weight is their ratio */
        memcpy(fs->m[f], fallback->m[f], sizeof fs->m[f]);
        memcpy(fs->u[f], fallback->u[f], sizeof fs->u[f]);
        replaced++;
    }
    return replaced;
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

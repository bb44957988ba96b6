/*
 * score.c — the Fellegi–Sunter model: m and u per field and level, a prior,
 * and from them the match weight of a pair.
 *
 * weight = log2(prior / (1 - prior)) + sum over fields of log2(m_k / u_k),
 * probability = 2^w / (1 + 2^w). A missing value is level 0 and weighs
 * nothing either way.
 *
 * All three are estimated together by expectation–maximisation over the
 * blocked pairs (fs_em): a two-class mixture of the pairs blocking found,
 * so u describes the non-matches blocking lets through (which agree far
 * more often than random pairs do) and the prior is the share of blocked
 * pairs that match. EM starts from agreement being likely among matches
 * (fs_model_defaults) and from u being what the blocked pairs look like as
 * a whole, since nearly all of them are non-matches; no assumption about
 * what the records describe is built in.
 *
 * Operators' decisions enter as labelled pairs: their posterior is held at
 * 1 (approved) or 0 (rejected, split) in every E step, and each counts as
 * `label_weight` pairs, so a few dozen decisions move the parameters that
 * matter where the model was unsure (semi-supervised EM).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

#define P_MIN 1e-6
#define SMOOTH 0.05 /* pseudo-count per level in each M step */
/* Steps in one direction after which a damped EM takes twice the share
 * of its M step again (fs_em). */
#define EM_STEADY 10

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

/* Normalises counts over levels 1..L-1 with a pseudo-count per level. */
static void set_dist(double *dst, const double *counts, int L, double pseudo)
{
    double total = 0;

    for (int k = 1; k < L; k++)
        total += counts[k] + pseudo;
    for (int k = 1; k < L; k++)
        dst[k] = (counts[k] + pseudo) / total;
}

void fs_set_u(struct fs_model *fs, long long counts[][MAX_LEVELS])
{
    for (int f = 0; f < fs->nfields; f++) {
        double c[MAX_LEVELS];
        for (int k = 0; k < MAX_LEVELS; k++)
            c[k] = (double)counts[f][k];
        set_dist(fs->u[f], c, fs->nlevels[f], 0.5); /* add-half: counts are few */
    }
}

/* The E step: each pair's posterior (labels held), with rivals under
 * one-to-one lowering each other's. */
static void e_step(const struct fs_model *fs, const struct em_data *d, double *post,
                   double *sums)
{
    double prior_w = fs_prior_weight(fs), table[FS_MAX_FIELDS][MAX_LEVELS];

    for (int f = 0; f < fs->nfields; f++)
        for (int k = 0; k < fs->nlevels[f]; k++)
            table[f][k] = fs_level_weight(fs, f, k);
    for (size_t p = 0; p < d->npairs; p++) {
        const uint8_t *lv = d->levels + p * (size_t)fs->nfields;
        double w = prior_w;
        for (int f = 0; f < fs->nfields; f++)
            w += table[f][lv[f]];
        /* a label is certain, also as a rival */
        post[p] = d->label == NULL || d->label[p] < 0 ? w : d->label[p] ? 60 : -60;
    }
    if (d->nslots > 0)
        one_to_one_posteriors(post, d->npairs, d->slot_a, d->slot_b, d->nslots, sums, post);
    for (size_t p = 0; p < d->npairs; p++)
        post[p] = d->label != NULL && d->label[p] >= 0 ? d->label[p] : fs_probability(post[p]);
}

/* One M step's parameters, or the step from the current ones to them. */
struct em_params {
    double m[FS_MAX_FIELDS][MAX_LEVELS], u[FS_MAX_FIELDS][MAX_LEVELS];
    double prior;
};

/* The M step: m, u and the prior from the posteriors. */
static void m_step(const struct fs_model *fs, const struct em_data *d, const double *post,
                   struct em_params *next)
{
    int F = fs->nfields;
    double msum[FS_MAX_FIELDS][MAX_LEVELS] = {{0}}, usum[FS_MAX_FIELDS][MAX_LEVELS] = {{0}};
    double matches = 0, total = 0;

    for (size_t p = 0; p < d->npairs; p++) {
        const uint8_t *lv = d->levels + p * (size_t)F;
        double wt = d->label != NULL && d->label[p] >= 0 ? d->label_weight : 1;
        matches += wt * post[p];
        total += wt;
        for (int f = 0; f < F; f++) {
            msum[f][lv[f]] += wt * post[p];
            usum[f][lv[f]] += wt * (1 - post[p]);
        }
    }
    for (int f = 0; f < F; f++) {
        set_dist(next->m[f], msum[f], fs->nlevels[f], SMOOTH);
        set_dist(next->u[f], usum[f], fs->nlevels[f], SMOOTH);
    }
    double prior = total > 0 && !d->fixed_prior ? clamp_p(matches / total) : fs->prior;
    if (d->max_prior > 0 && !d->fixed_prior && prior > d->max_prior)
        prior = d->max_prior;
    next->prior = prior;
}

/* The step from the model to the M step's parameters. */
static void em_step(const struct fs_model *fs, const struct em_params *next,
                    struct em_params *step)
{
    for (int f = 0; f < fs->nfields; f++)
        for (int k = 1; k < fs->nlevels[f]; k++) {
            step->m[f][k] = next->m[f][k] - fs->m[f][k];
            step->u[f][k] = next->u[f][k] - fs->u[f][k];
        }
    step->prior = next->prior - fs->prior;
}

/* Moves the model a share alpha of its step to the M step's parameters
 * (all of it at 1: plain EM, exactly). Returns the largest change, the
 * prior's relative to itself. A share of the way between two
 * distributions is a distribution still. */
static double em_move(struct fs_model *fs, const struct em_params *next,
                      const struct em_params *step, double alpha)
{
    double change = 0;

    for (int f = 0; f < fs->nfields; f++)
        for (int k = 1; k < fs->nlevels[f]; k++) {
            fs->m[f][k] = alpha == 1 ? next->m[f][k] : fs->m[f][k] + alpha * step->m[f][k];
            fs->u[f][k] = alpha == 1 ? next->u[f][k] : fs->u[f][k] + alpha * step->u[f][k];
            change = fmax(change, alpha * fmax(fabs(step->m[f][k]), fabs(step->u[f][k])));
        }
    change = fmax(change, alpha * fabs(step->prior) / fmax(next->prior, 1e-3));
    fs->prior = alpha == 1 ? next->prior : fs->prior + alpha * step->prior;
    return change;
}

/* Whether two steps point back against each other (their inner product
 * is negative): the iteration overshot. */
static bool em_reversed(const struct fs_model *fs, const struct em_params *a,
                        const struct em_params *b)
{
    double dot = a->prior * b->prior;

    for (int f = 0; f < fs->nfields; f++)
        for (int k = 1; k < fs->nlevels[f]; k++)
            dot += a->m[f][k] * b->m[f][k] + a->u[f][k] * b->u[f][k];
    return dot < 0;
}

/* EM until no parameter moves by 1e-4. With one-to-one rivals (d->nslots)
 * the E step is no posterior of a likelihood EM climbs: a rival counts
 * only once more likely a match than not (onetoone.c), so a pair crossing
 * that line changes its rivals' posteriors by a jump, and the iteration
 * can circle between a few fits without settling (on two product sets it
 * repeated one cycle of six fits to the last iteration). There a step
 * that points back against the one before halves the share of the M
 * step taken (under-relaxation: the Krasnosel'skii–Mann iteration
 * x <- x + alpha (T(x) - x)), and EM_STEADY steps in one direction double
 * it again, up to the whole: a circling iteration comes to rest between
 * its fits, and one that drifts steadily is not slowed, so a slow one
 * still ends unsettled and says so. Plain EM, whose likelihood rises at
 * every step, takes the whole step always. */
int fs_em(struct fs_model *fs, const struct em_data *d, int iterations)
{
    double *post = xmalloc((d->npairs ? d->npairs : 1) * sizeof *post);
    double *sums = xmalloc((d->nslots ? d->nslots : 1) * sizeof *sums);
    struct em_params *next = xmalloc(sizeof *next), *step = xmalloc(2 * sizeof *step);
    double alpha = 1;
    int it, steady = 0;

    fs->converged = false;
    for (it = 0; it < iterations; it++) {
        struct em_params *now = &step[it % 2], *before = &step[(it + 1) % 2];
        e_step(fs, d, post, sums);
        m_step(fs, d, post, next);
        em_step(fs, next, now);
        /* the step is compared before it is taken: a reversal damps it */
        if (d->nslots > 0 && it > 0 && em_reversed(fs, now, before))
            alpha /= 2, steady = 0;
        else if (d->nslots > 0 && it > 0 && ++steady == EM_STEADY)
            alpha = fmin(1, 2 * alpha), steady = 0;
        if (em_move(fs, next, now, alpha) < 1e-4) {
            fs->converged = true;
            it++;
            break;
        }
    }
    free(post);
    free(sums);
    free(next);
    free(step);
    fs->estimated = true;
    fs->em_pairs = (long long)d->npairs;
    fs->em_iterations_run = it;
    return it;
}

double fs_agreement_evidence(const struct fs_model *fs)
{
    double s = 0;

    for (int f = 0; f < fs->nfields; f++) {
        int top = fs->nlevels[f] - 1;
        s += fs->m[f][top] - fs->u[f][top] - (fs->m[f][LEVEL_DISAGREE] - fs->u[f][LEVEL_DISAGREE]);
    }
    return s;
}

void fs_swap_classes(struct fs_model *fs)
{
    for (int f = 0; f < fs->nfields; f++)
        for (int k = 0; k < MAX_LEVELS; k++) {
            double t = fs->m[f][k];
            fs->m[f][k] = fs->u[f][k];
            fs->u[f][k] = t;
        }
    fs->prior = clamp_p(1 - fs->prior);
}

/*
 * budget.c — the automatic threshold when the queue would hold more than
 * an operator reviews.
 *
 * `auto` says how sure the model must be to merge a pair unseen; the pairs
 * between `review` and it wait for an operator. When they are more than
 * an operator can review — [matching] review_budget of the records (a
 * tenth by default; 0 turns the budget off), and never less than a
 * session of REVIEW_BUDGET_MIN pairs — the ones nobody reaches stay apart
 * however likely the model finds them, and the ones reached first are no
 * better spent on the queue's most probable pairs than on its uncertain
 * middle. So a full pass whose queue would exceed that budget merges the
 * queue's most probable pairs automatically, from the top down, until the
 * rest fits — but only while the automatic merges as a whole stay as
 * precise, by the model's own posterior, as `auto` asks of each one (the
 * mean probability of every pair merged automatically at least `auto`:
 * Bayesian false-discovery-rate control), and never a pair the model finds
 * less likely a match than not. The threshold so found is the pass's
 * `auto`: one-to-one, notes and clustering treat it as they treat the
 * configured one. A queue within the budget leaves `auto` as configured,
 * to the digit. docs/matching.md, "The review budget".
 *
 * The count is the pass's own estimate of its queue: pairs at or above
 * `review` and below the threshold, those strong enough to reach the
 * configured `auto` on their own that lost a rival, and those both
 * records' alternatives lift to `review` (match.c keeps the same); pairs
 * clustering refuses later join the queue too. Decided pairs wait for
 * nobody, but an operator spent the budget on them: every decision on the
 * pass's pairs comes off it, down to a session's worth of
 * REVIEW_BUDGET_MIN pairs. Otherwise deciding the queue's first pairs
 * makes the pass merge as many fewer of its most probable ones unseen:
 * the threshold rises, and the pairs just below it, mostly true, stay
 * apart for the few the operator approved (docs/matching.md, "Fifty
 * decisions against the budget"). Every decision, not only
 * those the queue would hold undecided: a decided pair keeps its own
 * weight, without the rivals that queued it, so where it stood is not
 * known again. Lowering the threshold only takes pairs out of the count,
 * so the walk down stops as soon as the rest fits.
 */
#include <math.h>
#include <stdlib.h>

#include "kasparro/dedup_internal.h"

size_t budget_pairs(size_t records, double share)
{
    size_t n = (size_t)ceil(share * (double)records);
    return n > REVIEW_BUDGET_MIN ? n : REVIEW_BUDGET_MIN;
}

static bool decided(const struct budget_in *in, size_t k)
{
    return in->label != NULL && in->label[k] >= 0;
}

/* Whether undecided pair k waits for an operator when `t` is the pass's
 * automatic threshold: as match.c's score_pairs keeps pairs. */
static bool queued_at(const struct budget_in *in, size_t k, double t)
{
    double prob = fs_probability(in->weight[k]);

    if (prob >= t)
        return false;
    if (prob >= in->review)
        return true;
    bool lost = in->adjust != NULL &&
                fs_probability(in->weight[k] - in->adjust[k]) >= in->auto_threshold;
    bool lifted = in->paired != NULL &&
                  fs_probability(in->weight[k] + in->paired[k]) >= in->review;
    return lost || lifted;
}

/* What is left of the budget for the undecided queue once operators have
 * decided `done` pairs, and never less than a session's worth: the
 * queue an operator finishes is one the next records fill again. */
static size_t budget_left(size_t budget, size_t done)
{
    return budget > done + REVIEW_BUDGET_MIN ? budget - done : REVIEW_BUDGET_MIN;
}

/* Whether pair k is below `review` by more than a bit however its record's
 * rivals are counted: neither queued nor merged at any threshold the walk
 * may reach. Most of a large set's pairs are, and are so told without the
 * exp2 of their probability. */
static bool far_below(const struct budget_in *in, size_t k, double w_review)
{
    double w = in->weight[k];

    if (in->adjust != NULL)
        w = fmax(w, in->weight[k] - in->adjust[k]);
    if (in->paired != NULL)
        w = fmax(w, in->weight[k] + in->paired[k]);
    return w < w_review - 1;
}

static int descending(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a > b ? -1 : a < b;
}

/* p, or the float just below it: match.c keeps a pair's probability as a
 * float, and the pair the walk stopped at must reach the threshold. */
static double at_or_below(double p)
{
    float f = (float)p;
    return (double)f > p ? (double)nextafterf(f, 0.0f) : (double)f;
}

/* The probabilities of the undecided pairs in [lo, hi), most probable
 * first, in *n; only asked for when the budget binds, so a pass whose
 * queue fits holds no copy of its pairs. */
static double *band_of(const struct budget_in *in, double lo, double hi, size_t *n)
{
    double *band = xmalloc((in->npairs ? in->npairs : 1) * sizeof *band);

    *n = 0;
    for (size_t k = 0; k < in->npairs; k++) {
        double prob = fs_probability(in->weight[k]);
        if (!decided(in, k) && prob >= lo && prob < hi)
            band[(*n)++] = prob;
    }
    qsort(band, *n, sizeof *band, descending);
    return band;
}

double budget_auto_threshold(const struct budget_in *in, struct budget_out *out)
{
    double t = in->auto_threshold, sum = 0;
    size_t merged = 0, nband;

    double w_review = log2(in->review / (1 - in->review));

    out->queued = out->decided = 0;
    for (size_t k = 0; k < in->npairs; k++) {
        if (decided(in, k)) {
            out->decided++;
            continue;
        }
        if (far_below(in, k, w_review))
            continue;
        out->queued += queued_at(in, k, t);
        double prob = fs_probability(in->weight[k]);
        if (prob >= t) {
            sum += prob;
            merged++;
        }
    }
    out->budget = budget_pairs(in->records, in->budget_share);
    out->left = budget_left(out->budget, out->decided);
    out->queued_before = out->queued;
    out->merged = 0;
    if (in->budget_share > 0 && out->queued > out->left) {
        double *band = band_of(in, fmax(in->review, 0.5), t, &nband);
        for (size_t i = 0; i < nband && out->queued > out->left; i++) {
            if ((sum + band[i]) / (double)(merged + 1) < in->auto_threshold)
                break;
            sum += band[i];
            merged++;
            out->merged++;
            out->queued--;
            t = at_or_below(band[i]);
        }
        free(band);
    }
    out->precision = merged > 0 ? sum / (double)merged : 1;
    out->threshold = t;
    return t;
}

/* The other side of the budget: a queue shorter than it leaves review
 * unspent, and the best use of it is where the model is least sure among
 * the pairs it merged unseen, or where their fields argue (below). Those
 * stay merged — automatic F1 is what it was — and wait in the queue too,
 * last in its order (far from p = 0.5), where an operator's rejection
 * splits the wrong ones. The model's
 * probabilities are least reliable at the top: naive Bayes counts fields
 * that agree together (a name and a phone) as independent evidence, so a
 * false merge looks as certain as a true one (docs/matching.md, "The
 * unspent budget: confirming automatic merges"). The share without its
 * floor: a small set's tenth is a handful, and a session's worth of room
 * is asked before anything is listed, so a few stray pairs never are.
 * Merges above CONFIRM_MAX_BITS are never listed: their probability, kept
 * as a float (24 bits of mantissa), is exactly 1, so the model has no
 * doubt left to rank them by, and on data with many agreeing fields most
 * merges are up there: listing them would fill the budget with pairs the
 * model is certain of. */
size_t budget_confirm_room(size_t records, double share, size_t decided, size_t queued)
{
    if (share <= 0)
        return 0;
    size_t budget = (size_t)ceil(share * (double)records);
    if (budget <= decided + queued)
        return 0;
    size_t room = budget - decided - queued;
    return room >= REVIEW_BUDGET_MIN ? room : 0;
}

/* The share of a merge's field evidence that speaks against it: the bits
 * of the fields (and the rivals, under one-to-one) that lower its weight,
 * over all the bits its fields carry either way; 0 when nothing speaks
 * against it. The prior is no field's and is left out. */
float budget_contest(double bits_for, double bits_against)
{
    double all = bits_for + bits_against;

    return all > 0 && bits_against > 0 ? (float)(bits_against / all) : 0;
}

struct confirm_key {
    float contest;
    float prob;
    double weight;
    size_t k;
};

/* The most contested first, then the least probable: the fields are a
 * committee whose members vote with their bits, and a merge some of them
 * argue against is where the model's sum hides a conflict (query by
 * committee); among merges nothing argues against, the model's own doubt
 * orders them. docs/matching.md, "The most contested first". */
static int most_contested_first(const void *x, const void *y)
{
    const struct confirm_key *a = x, *b = y;

    if (a->contest != b->contest)
        return a->contest > b->contest ? -1 : 1;
    if (a->prob != b->prob)
        return a->prob < b->prob ? -1 : 1;
    if (a->weight != b->weight)
        return a->weight < b->weight ? -1 : 1;
    return a->k < b->k ? -1 : a->k > b->k;
}

size_t budget_confirm_pick(const float *prob, const double *weight, const float *contest,
                           const uint8_t *merged, size_t n, size_t room, uint8_t *confirm)
{
    struct confirm_key *keys = xmalloc((n ? n : 1) * sizeof *keys);
    size_t m = 0;

    for (size_t k = 0; k < n; k++)
        if (merged[k] && weight[k] < CONFIRM_MAX_BITS)
            keys[m++] = (struct confirm_key){contest != NULL ? contest[k] : 0, prob[k],
                                             weight[k], k};
    qsort(keys, m, sizeof *keys, most_contested_first);
    size_t picked = m < room ? m : room;
    for (size_t i = 0; i < picked; i++)
        confirm[keys[i].k] = 1;
    free(keys);
    return picked;
}

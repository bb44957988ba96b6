/*
 * test_budget.c — the review budget's automatic threshold (budget.c): a
 * queue over the budget merges its most probable pairs down until the rest
 * fits, and the operators' decisions come off the budget, never below a
 * session's worth of REVIEW_BUDGET_MIN pairs; a queue under the budget
 * lists the least sure automatic merges, and none the model is certain
 * of.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

#define SURE 1000   /* pairs the model is sure of, far above auto */
#define QUEUE 150   /* pairs between review and auto */
#define DECIDED 100 /* room for as many decided pairs */
#define NPAIRS (SURE + QUEUE + DECIDED)

static double weight[NPAIRS];
static int8_t label[NPAIRS];

/* 1,000 sure pairs, a queue of 150 from p = 0.94 down to 0.64, and
 * `decided` more pairs in the queue's range that operators decided (half
 * approved): the budget of 1,000 records is 100 pairs. */
static double threshold_with(size_t decided, struct budget_out *out)
{
    for (size_t k = 0; k < NPAIRS; k++) {
        label[k] = -1;
        if (k < SURE)
            weight[k] = 20;
        else if (k < SURE + QUEUE) {
            double p = 0.94 - 0.002 * (double)(k - SURE);
            weight[k] = log2(p / (1 - p));
        } else {
            weight[k] = log2(0.7 / 0.3);
            if (k < SURE + QUEUE + decided)
                label[k] = (int8_t)(k % 2);
            else
                weight[k] = -20; /* no pair at all */
        }
    }
    struct budget_in in = {weight, NULL, NULL, label, NPAIRS, 1000, 0.95, 0.6, 0.1};
    return budget_auto_threshold(&in, out);
}

static void test_budget_merges_the_top(void **state)
{
    struct budget_out out;
    (void)state;
    double t = threshold_with(0, &out);
    assert_int_equal(out.queued_before, QUEUE);
    assert_int_equal(out.merged, QUEUE - 100); /* the rest fits the 100 */
    assert_true(t < 0.95 && t > 0.83);
}

static void test_decisions_come_off_the_budget(void **state)
{
    struct budget_out out;
    (void)state;
    threshold_with(20, &out); /* 80 left of the 100 */
    assert_int_equal(out.queued_before, QUEUE);
    assert_int_equal(out.merged, QUEUE - 80);
    threshold_with(90, &out); /* 10 left: a session's worth stays */
    assert_int_equal(out.merged, QUEUE - REVIEW_BUDGET_MIN);
}

/* 50 automatic merges (5 at 4.5 bits, 5 at 6, 20 at 10, 20 at 30) and a
 * pair left apart: the least sure are listed first, as many as the room
 * holds, never one above CONFIRM_MAX_BITS (a float's probability of 1). */
static size_t listed_with(size_t room, uint8_t *confirm)
{
    static const double bits[] = {4.5, 6, 10, 30};
    static const size_t count[] = {5, 5, 20, 20};
    double w[51];
    float prob[51];
    uint8_t merged[51];
    size_t n = 0;

    for (size_t b = 0; b < 4; b++)
        for (size_t i = 0; i < count[b]; i++, n++) {
            w[n] = bits[b];
            merged[n] = 1;
        }
    w[n] = 3;
    merged[n++] = 0;
    for (size_t k = 0; k < n; k++) {
        prob[k] = (float)(1 / (1 + exp2(-w[k])));
        confirm[k] = 0;
    }
    return budget_confirm_pick(prob, w, NULL, merged, n, room, confirm);
}

static void test_confirm_lists_the_least_sure(void **state)
{
    uint8_t confirm[51];
    (void)state;
    /* 100 looks: every merge below 24 bits, none at 30, not the pair apart */
    assert_int_equal(listed_with(100, confirm), 30);
    for (size_t k = 0; k < 51; k++)
        assert_int_equal(confirm[k], k < 30);
    /* 8 looks: the five at 4.5 bits, then three of those at 6 */
    assert_int_equal(listed_with(8, confirm), 8);
    for (size_t k = 0; k < 51; k++)
        assert_int_equal(confirm[k], k < 8);
}

/* Merges some field argues against go first, the most contested first,
 * whatever their weight; the rest least probable first. */
static void test_confirm_lists_the_contested_first(void **state)
{
    double w[6] = {4, 5, 12, 20, 6, 30};
    float prob[6], contest[6] = {0, 0, budget_contest(14, 2), budget_contest(22, 2), 0, 0.3f};
    uint8_t merged[6] = {1, 1, 1, 1, 1, 1}, confirm[6] = {0};
    (void)state;
    for (size_t k = 0; k < 6; k++)
        prob[k] = (float)(1 / (1 + exp2(-w[k])));
    assert_true(contest[2] > contest[3]);
    assert_true(budget_contest(10, 0) == 0 && budget_contest(0, 0) == 0);
    assert_true(fabs(budget_contest(3, 1) - 0.25) < 1e-6);
    /* two looks: the two contested merges, not the two least probable */
    assert_int_equal(budget_confirm_pick(prob, w, contest, merged, 6, 2, confirm), 2);
    assert_int_equal(confirm[2] + confirm[3], 2);
    /* three: then the least probable; none at 30 bits however contested */
    memset(confirm, 0, sizeof confirm);
    assert_int_equal(budget_confirm_pick(prob, w, contest, merged, 6, 3, confirm), 3);
    assert_int_equal(confirm[0] + confirm[2] + confirm[3], 3);
    memset(confirm, 0, sizeof confirm);
    assert_int_equal(budget_confirm_pick(prob, w, contest, merged, 6, 6, confirm), 5);
    assert_int_equal(confirm[5], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_budget_merges_the_top),
        cmocka_unit_test(test_decisions_come_off_the_budget),
        cmocka_unit_test(test_confirm_lists_the_least_sure),
        cmocka_unit_test(test_confirm_lists_the_contested_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

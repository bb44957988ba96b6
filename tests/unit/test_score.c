/*
 * test_score.c — the Fellegi–Sunter model (weights, EM recovering m and the
 * prior from synthetic levels, the prior from identical-key pairs, the
 * plausibility guard, blending operator decisions) and clustering with
 * cannot-links and stable id assignment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "kasparro/dedup_internal.h"

static struct comparison two_fields[2] = {
    {"name", CMP_JARO_WINKLER, 0, 6},
    {"city", CMP_EXACT, 0, 3},
};

static void test_weights(void **state)
{
    struct fs_model fs;
    (void)state;
    fs_model_defaults(&fs, two_fields, 2, 0.5);
    assert_true(fs_level_weight(&fs, 0, 5) > 0);  /* identical names: evidence for */
    assert_true(fs_level_weight(&fs, 0, 1) < 0);  /* different names: evidence against */
    assert_true(fs_level_weight(&fs, 0, 0) == 0); /* missing: none */
    assert_true(fs_level_weight(&fs, 0, 4) > fs_level_weight(&fs, 0, 2));
    assert_true(fabs(fs_prior_weight(&fs)) < 1e-9);
    assert_true(fabs(fs_probability(0) - 0.5) < 1e-9);
    assert_true(fabs(fs_probability(3) - 8.0 / 9) < 1e-9);
    assert_true(fs_probability(100) == 1.0);
}

/* Synthetic pairs: 20% matches mostly agreeing, 80% non-matches mostly not;
 * ucounts gets the non-matches' level counts (the true u). */
static void synthetic_pairs(uint8_t *lv, size_t n, long long ucounts[2][MAX_LEVELS])
{
    srand(7);
    for (size_t i = 0; i < n; i++) {
        bool match = i % 5 == 0;
        int r = rand() % 100;
        lv[2 * i] = match ? (r < 80 ? 5 : r < 95 ? 4 : 1) : (r < 90 ? 1 : r < 97 ? 2 : 5);
        r = rand() % 100;
        lv[2 * i + 1] = match ? (r < 90 ? 2 : 1) : (r < 85 ? 1 : 2);
        if (!match) {
            ucounts[0][lv[2 * i]]++;
            ucounts[1][lv[2 * i + 1]]++;
        }
    }
}

/* EM from the defaults with `prior` over 20,000 synthetic pairs whose u is
 * known; returns the iterations run. */
static int em_on_synthetic(struct fs_model *fs, double prior, bool fixed_prior)
{
    size_t n = 20000;
    uint8_t *lv = malloc(n * 2);
    long long ucounts[2][MAX_LEVELS] = {{0}};

    assert_non_null(lv);
    synthetic_pairs(lv, n, ucounts);
    fs_model_defaults(fs, two_fields, 2, prior);
    fs_set_u(fs, ucounts);
    int it = fs_em(fs, lv, n, 50, fixed_prior);
    free(lv);
    return it;
}

static void test_em_recovers_parameters(void **state)
{
    struct fs_model fs;
    (void)state;
    assert_true(em_on_synthetic(&fs, 0.05, false) > 0);
    assert_true(fs.estimated);
    assert_true(fabs(fs.prior - 0.2) < 0.03);
    assert_true(fabs(fs.m[0][5] - 0.80) < 0.05);
    assert_true(fabs(fs.m[1][2] - 0.90) < 0.05);
}

/* The same pairs with the prior held where the caller put it: m is still
 * recovered, and the prior does not move. */
static void test_em_fixed_prior(void **state)
{
    struct fs_model fs;
    (void)state;
    em_on_synthetic(&fs, 0.2, true);
    assert_true(fs.prior == 0.2);
    assert_true(fabs(fs.m[0][5] - 0.80) < 0.05);
    assert_true(fabs(fs.m[1][2] - 0.90) < 0.05);
}

static void test_key_prior(void **state)
{
    (void)state;
    /* 41 of 2085 blocked pairs identical in the key fields */
    assert_true(fabs(fs_key_prior(41, 2085, 274) - 41.0 / 2085) < 1e-12);
    /* none: one duplicate per record, 1 / (n - 1) */
    assert_true(fabs(fs_key_prior(0, 2085, 274) - 1.0 / 273) < 1e-12);
    assert_true(fabs(fs_key_prior(0, 0, 5) - 0.25) < 1e-12); /* no pairs at all */
    /* every blocked pair identical: a probability, not certainty */
    double all = fs_key_prior(50, 50, 100);
    assert_true(all < 1 && all > 0.99);
    /* too few records to say anything: still a probability */
    double p = fs_key_prior(0, 0, 1);
    assert_true(p > 0 && p < 1);
}

static void test_plausible(void **state)
{
    struct fs_model fs;
    (void)state;
    fs_model_defaults(&fs, two_fields, 2, 0.1);
    assert_true(fs_plausible(&fs, 0));
    assert_true(fs_plausible(&fs, 1));

    /* identical names more common among non-matches than matches */
    fs_model_defaults(&fs, two_fields, 2, 0.1);
    fs.m[0][5] = 0.001;
    assert_false(fs_plausible(&fs, 0));
    /* matches disagreeing on the city more often than non-matches */
    fs_model_defaults(&fs, two_fields, 2, 0.1);
    fs.m[1][1] = 0.999, fs.m[1][2] = 0.001, fs.u[1][1] = 0.9, fs.u[1][2] = 0.1;
    assert_false(fs_plausible(&fs, 1));
    /* "matches" mostly only alike (similar >= 0.80), rarely identical: what
     * EM finds when it mistakes records of one template for matches */
    fs_model_defaults(&fs, two_fields, 2, 0.1);
    fs.m[0][1] = 0.0, fs.m[0][2] = 0.41, fs.m[0][3] = 0.35, fs.m[0][4] = 0.13, fs.m[0][5] = 0.11;
    fs.u[0][1] = 0.971, fs.u[0][2] = 0.016, fs.u[0][3] = 0.0085, fs.u[0][4] = 0.0027,
    fs.u[0][5] = 0.0018;
    assert_false(fs_plausible(&fs, 0));
    assert_true(fs_plausible(&fs, 1)); /* one field's fault is not the other's */
    fs_model_defaults(&fs, two_fields, 2, 0.1);
    fs.m[0][3] = NAN;
    assert_false(fs_plausible(&fs, 0));
}

static void test_guard(void **state)
{
    struct fs_model fs, fallback;
    (void)state;
    fs_model_defaults(&fallback, two_fields, 2, 0.1);
    fs = fallback;
    fs.m[0][5] = 0.0001;                  /* name: implausible */
    fs.m[1][1] = 0.05, fs.m[1][2] = 0.95; /* city: plausible, not the fallback's */
    fs.u[0][5] = 0.5;
    assert_int_equal(fs_guard(&fs, &fallback), 1);
    for (int k = 0; k < MAX_LEVELS; k++) {
        assert_true(fs.m[0][k] == fallback.m[0][k]);
        assert_true(fs.u[0][k] == fallback.u[0][k]);
    }
    assert_true(fs.m[1][2] == 0.95); /* a plausible field keeps its estimate */
    assert_int_equal(fs_guard(&fs, &fallback), 0);
}

static void test_decisions_update_m(void **state)
{
    struct fs_model fs;
    long long counts[2][MAX_LEVELS] = {{0}};
    (void)state;
    fs_model_defaults(&fs, two_fields, 2, 0.1);
    double before = fs.m[1][1];
    counts[1][1] = 100; /* approved pairs that disagree on city */
    fs_update_m(&fs, counts, 100, 10);
    assert_true(fs.m[1][1] > before);
    double sum = fs.m[1][1] + fs.m[1][2];
    assert_true(fabs(sum - 1.0) < 1e-9);
    double name5 = fs.m[0][5];
    fs_update_m(&fs, counts, 100, 10); /* no name evidence: name untouched */
    assert_true(fs.m[0][5] == name5);
}

static void test_cannot_link_blocks_chains(void **state)
{
    struct uf uf;
    uint32_t cannot[] = {0, 3};
    (void)state;
    uf_init(&uf, 5);
    uf_set_cannot(&uf, cannot, 1);
    assert_int_equal(uf_union(&uf, 0, 1), 1);
    assert_int_equal(uf_union(&uf, 2, 3), 1);
    assert_true(uf_conflict(&uf, 1, 2));   /* would put 0 and 3 together */
    assert_int_equal(uf_union(&uf, 1, 2), 0);
    assert_true(uf_find(&uf, 0) != uf_find(&uf, 3));
    assert_int_equal(uf_union(&uf, 4, 3), 1);
    assert_int_equal(uf_union(&uf, 4, 0), 0);
    assert_int_equal(uf_union(&uf, 1, 0), 1); /* already one component */
    uf_free(&uf);
}

static void test_ids_follow_the_majority(void **state)
{
    struct uf uf;
    /* nodes 0-2 were entity 10, 3-4 entity 20, 5 new; now 0-4 join, 5 alone */
    int64_t want[6] = {10, 10, 10, 20, 20, 0}, out[6];
    (void)state;
    uf_init(&uf, 6);
    for (uint32_t i = 1; i < 5; i++)
        uf_union(&uf, 0, i);
    cluster_assign_ids(&uf, want, out);
    for (int i = 0; i < 5; i++)
        assert_int_equal(out[i], 10);
    assert_int_equal(out[5], 0); /* a new entity for the caller to create */
    uf_free(&uf);

    /* a split: both halves claim 10; the bigger half keeps it */
    int64_t want2[3] = {10, 10, 10};
    uf_init(&uf, 3);
    uf_union(&uf, 1, 2);
    cluster_assign_ids(&uf, want2, out);
    assert_int_equal(out[1], 10);
    assert_int_equal(out[2], 10);
    assert_int_equal(out[0], 0);
    uf_free(&uf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_em_recovers_parameters),
        cmocka_unit_test(test_em_fixed_prior),
        cmocka_unit_test(test_key_prior),
        cmocka_unit_test(test_plausible),
        cmocka_unit_test(test_guard),
        cmocka_unit_test(test_decisions_update_m),
        cmocka_unit_test(test_cannot_link_blocks_chains),
        cmocka_unit_test(test_ids_follow_the_majority),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

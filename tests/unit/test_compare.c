/*
 * test_compare.c — the matcher's comparators against published values
 * (Winkler's Jaro–Winkler examples), edit distance, token and q-gram
 * overlap, date parsing, and the levels a configured comparison yields.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "kasparro/dedup_internal.h"

#define assert_near(a, b, eps) assert_true(fabs((a) - (b)) < (eps))


static void test_jaro_winkler(void **state)
{
    (void)state;
    assert_near(cmp_jaro_winkler("martha", "marhta"), 0.961, 0.0005);
    assert_near(cmp_jaro_winkler("dwayne", "duane"), 0.840, 0.0005);
    assert_near(cmp_jaro_winkler("dixon", "dicksonx"), 0.813, 0.0005);
    assert_near(cmp_jaro_winkler("jones", "johnson"), 0.832, 0.0005);
    assert_near(cmp_jaro_winkler("abc", "abc"), 1.0, 1e-9);
    assert_near(cmp_jaro_winkler("abc", "xyz"), 0.0, 1e-9);
    assert_near(cmp_jaro_winkler("", "abc"), 0.0, 1e-9);
    /* by character, not byte: one differing letter out of six */
    assert_near(cmp_jaro_winkler("müller", "muller"), cmp_jaro_winkler("maller", "muller"), 1e-9);
}

static void test_levenshtein(void **state)
{
    (void)state;
    assert_near(cmp_levenshtein("kitten", "sitting"), 1 - 3.0 / 7, 1e-9);
    assert_near(cmp_levenshtein("flaw", "lawn"), 0.5, 1e-9);
    assert_near(cmp_levenshtein("", ""), 1.0, 1e-9);
    assert_near(cmp_levenshtein("abc", ""), 0.0, 1e-9);
    assert_near(cmp_levenshtein("東京都", "京都"), 1 - 1.0 / 3, 1e-9);
}

static void test_token_and_qgram(void **state)
{
    (void)state;
    assert_near(cmp_jaccard("the python guide", "guide the python"), 1.0, 1e-9);
    assert_near(cmp_jaccard("a b c", "a b d"), 0.5, 1e-9);
    assert_near(cmp_jaccard("a a b", "a b"), 1.0, 1e-9);
    assert_near(cmp_jaccard("x", "y"), 0.0, 1e-9);
    assert_near(cmp_qgram("night", "nacht", 2), 0.25, 1e-9); /* ni ig gh ht / na ac ch ht */
    assert_near(cmp_qgram("abc", "abc", 2), 1.0, 1e-9);
    assert_near(cmp_qgram("a", "b", 2), 0.0, 1e-9);
}

static void test_dates(void **state)
{
    long d1, d2;
    (void)state;
    assert_true(cmp_parse_day("1970-01-01", &d1));
    assert_int_equal(d1, 0);
    assert_true(cmp_parse_day("2024-03-01 10:00:00+00", &d1));
    assert_true(cmp_parse_day("20240228", &d2));
    assert_int_equal(d1 - d2, 2); /* 2024 is a leap year */
    assert_true(cmp_parse_day("2026 01 05 10 00 00 00", &d1)); /* normalised form */
    assert_false(cmp_parse_day("2023-02-29", &d1));
    assert_false(cmp_parse_day("yesterday", &d1));
}

static void test_levels(void **state)
{
    struct comparison c;
    struct err err = {0};
    double sim;
    (void)state;

    struct match_field jw = {"title", "jaro_winkler", 1};
    assert_int_equal(comparison_parse(&c, &jw, &err), 0);
    assert_int_equal(c.nlevels, 6);
    assert_int_equal(comparison_level(&c, "python guide", "python guide", &sim), 5);
    assert_int_equal(comparison_level(&c, "python guide", "python giude", &sim), 4);
    assert_int_equal(comparison_level(&c, "python guide", NULL, &sim), LEVEL_MISSING);
    assert_int_equal(comparison_level(&c, "", "x", &sim), LEVEL_MISSING);
    assert_int_equal(comparison_level(&c, "abc", "xyz", &sim), LEVEL_DISAGREE);

    struct match_field date = {"published_at", "date:2", 1};
    assert_int_equal(comparison_parse(&c, &date, &err), 0);
    assert_int_equal(comparison_level(&c, "2026-01-01", "2026-01-01 23:00:00", &sim), 4);
    assert_int_equal(comparison_level(&c, "2026-01-01", "2026-01-03", &sim), 3);
    assert_int_equal(comparison_level(&c, "2026-01-01", "2026-01-06", &sim), 2);
    assert_int_equal(comparison_level(&c, "2026-01-01", "2026-02-01", &sim), LEVEL_DISAGREE);
    assert_string_equal(comparison_level_label(&c, 3), "within 2 days");

    struct match_field num = {"views", "numeric:10", 1};
    assert_int_equal(comparison_parse(&c, &num, &err), 0);
    assert_int_equal(comparison_level(&c, "100", "105", &sim), 3);
    assert_int_equal(comparison_level(&c, "100", "125", &sim), 2);
    assert_int_equal(comparison_level(&c, "100", "200", &sim), LEVEL_DISAGREE);

    struct match_field ex = {"url", "exact", 1};
    assert_int_equal(comparison_parse(&c, &ex, &err), 0);
    assert_int_equal(comparison_level(&c, "a", "a", &sim), 2);
    assert_int_equal(comparison_level(&c, "a", "b", &sim), 1);

    struct match_field bad = {"title", "soundex", 1};
    assert_int_equal(comparison_parse(&c, &bad, &err), -1);
    assert_non_null(strstr(err.msg, "unknown comparator 'soundex'"));
    struct match_field badtol = {"title", "date:soon", 1};
    assert_int_equal(comparison_parse(&c, &badtol, &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jaro_winkler), cmocka_unit_test(test_levenshtein),
        cmocka_unit_test(test_token_and_qgram), cmocka_unit_test(test_dates),
        cmocka_unit_test(test_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

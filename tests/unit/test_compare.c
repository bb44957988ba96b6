/*
 * test_compare.c — the matcher's comparators against published values
 * (Winkler's Jaro–Winkler examples), edit distance, token and q-gram
 * overlap, date parsing, the levels a configured comparison yields, and
 * the text comparator's rules (overlap, codes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
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
    assert_true(cmp_parse_day("2003", &d1)); /* a year alone: its 1 January */
    assert_true(cmp_parse_day("2003-01-01", &d2));
    assert_int_equal(d1, d2);
    assert_true(cmp_new_year("2003-01-01 00:00:00+00"));
    assert_true(cmp_new_year("2003-01-01"));
    assert_false(cmp_new_year("2003-01-01 10:00:00+00"));
    assert_false(cmp_new_year("2003-01-02 00:00:00+00"));
    assert_false(cmp_new_year("2003"));
    assert_true(cmp_new_month("2003-05-01 00:00:00+00"));
    assert_true(cmp_new_month("2003-01-01"));
    assert_false(cmp_new_month("2003-05-02 00:00:00+00"));
    assert_false(cmp_new_month("2003-05"));
    assert_true(cmp_parse_day("2003-05", &d1)); /* a month alone: its first day */
    assert_true(cmp_parse_day("2003-05-01", &d2));
    assert_int_equal(d1, d2);
}

/* A month alone against a day of it lies a third of a month away, the
 * month agreeing; against other months 30.4 days a month; two months, or
 * a month and a year, as before. */
static void test_month_distance(void **state)
{
    double d;
    bool agrees;
    (void)state;
    assert_true(cmp_date_distance("2003-05", "2003-05-28 00:00:00+00", &d, &agrees));
    assert_near(d, 365.2425 / 36, 1e-9);
    assert_true(agrees);
    assert_true(cmp_date_distance("2003-05", "2003-07-02 00:00:00+00", &d, &agrees));
    assert_near(d, 2 * 365.2425 / 12, 1e-9);
    assert_false(agrees);
    assert_true(cmp_date_distance("2003-05", "2003-06", &d, &agrees));
    assert_near(d, 31, 1e-9);
    assert_false(agrees);
    assert_true(cmp_date_distance("2003-05", "2003", &d, &agrees));
    assert_near(d, 365.0 / 3, 1e-9);
    assert_true(agrees);
    /* by day, 2003-05-01 lies 27 days from the 28th: "within 31 days"
     * either way, and a comparison only days wide takes the month as no
     * evidence rather than a difference */
    struct comparison c;
    comparison_init(&c, "issued", CMP_DATE, 3);
    struct cmp_values v = {.a = "2003-05", .b = "2003-05-28 00:00:00+00"};
    double sim;
    uint8_t frac;
    assert_int_equal(comparison_level(&c, &v, &sim, &frac), LEVEL_MISSING);
}

/* A source whose dates fall on 1 January far more often than one day in
 * 365 writes years: its New Year's Days become years; a source writing
 * days keeps its one New Year's Day. */
static void test_dates_mark_years(void **state)
{
    enum { N = 2 * DATES_YEARS_MIN };
    struct match_plan p;
    struct recset rs;
    const char *val[N];
    uint16_t source[N];
    char day[N][32];
    (void)state;

    memset(&p, 0, sizeof p);
    memset(&rs, 0, sizeof rs);
    p.ncols = 1, p.ncmp = 1, p.cmp_col[0] = 0;
    comparison_init(&p.cmps[0], "born", CMP_DATE, 1);
    for (int i = 0; i < N; i++) {
        source[i] = (uint16_t)(i % 2);
        if (source[i] == 0) /* years, written as their 1 January */
            snprintf(day[i], sizeof day[i], "%d-01-01 00:00:00+00", 1950 + i);
        else /* days, one of them a New Year's Day */
            snprintf(day[i], sizeof day[i], "1950-%02d-%02d 00:00:00+00", i == 1 ? 1 : 2,
                     i == 1 ? 1 : i);
        val[i] = day[i];
    }
    rs.n = N, rs.ncols = 1, rs.val = val, rs.source = source, rs.nsources = 2;
    dates_mark_years(&p, &rs);
    assert_string_equal(rs.val[0], "1950");
    assert_string_equal(rs.val[2], "1952");
    assert_string_equal(rs.val[1], "1950-01-01 00:00:00+00");
    assert_string_equal(rs.val[3], "1950-02-03 00:00:00+00");
    arena_free(&rs.arena);

    /* months: every value on a first, January's too (not taken for years) */
    memset(&rs, 0, sizeof rs);
    for (int i = 0; i < N; i++) {
        if (source[i] == 0)
            snprintf(day[i], sizeof day[i], "1950-%02d-01 00:00:00+00", i % 12 + 1);
        else
            snprintf(day[i], sizeof day[i], "1950-02-%02d 00:00:00+00", i);
        val[i] = day[i];
    }
    rs.n = N, rs.ncols = 1, rs.val = val, rs.source = source, rs.nsources = 2;
    dates_mark_years(&p, &rs);
    assert_string_equal(rs.val[0], "1950-01");
    assert_string_equal(rs.val[2], "1950-03");
    assert_string_equal(rs.val[1], "1950-02-01 00:00:00+00"); /* a day source's first */
    arena_free(&rs.arena);
}

static int level(const struct comparison *c, const char *a, const char *b)
{
    struct cmp_values v = {.a = a, .b = b};
    double sim;
    uint8_t frac;
    return comparison_level(c, &v, &sim, &frac);
}

static void test_levels(void **state)
{
    struct comparison c;
    struct err err = {0};
    (void)state;

    struct match_field jw = {"title", "jaro_winkler", 1};
    assert_int_equal(comparison_parse(&c, &jw, &err), 0);
    assert_int_equal(c.nlevels, 6);
    assert_int_equal(level(&c, "python guide", "python guide"), 5);
    assert_int_equal(level(&c, "python guide", "python giude"), 4);
    assert_int_equal(level(&c, "python guide", NULL), LEVEL_MISSING);
    assert_int_equal(level(&c, "", "x"), LEVEL_MISSING);
    assert_int_equal(level(&c, "abc", "xyz"), LEVEL_DISAGREE);

    struct match_field date = {"published_at", "date:2", 1};
    assert_int_equal(comparison_parse(&c, &date, &err), 0);
    assert_int_equal(level(&c, "2026-03-01", "2026-03-01 23:00:00"), 4);
    assert_int_equal(level(&c, "2026-03-01", "2026-03-03"), 3);
    assert_int_equal(level(&c, "2026-03-01", "2026-03-06"), 2);
    assert_int_equal(level(&c, "2026-03-01", "2026-04-01"), LEVEL_DISAGREE);
    assert_string_equal(comparison_level_label(&c, 3), "within 2 days");
    struct comparison day;
    struct match_field one_day = {"published_at", "date:1", 1};
    assert_int_equal(comparison_parse(&day, &one_day, &err), 0);
    assert_string_equal(comparison_level_label(&day, 3), "within 1 day");
    /* a year alone cannot tell days apart: the same year is no evidence at
     * a precision of days, another year is a difference */
    assert_int_equal(level(&c, "2003", "2003-06-15 00:00:00+00"), LEVEL_MISSING);
    assert_int_equal(level(&c, "2003", "2004-06-15 10:00:00+00"), LEVEL_DISAGREE);
    assert_int_equal(level(&c, "2003", "2003"), 4);
    assert_int_equal(level(&c, "2003-01-01 00:00:00+00", "2003-01-02"), 3); /* a day */

    /* the levels of a timestamp field (plan.c): a year against a date
     * within it or the next year is "within 366 days", never "different" */
    comparison_init(&c, "born", CMP_DATE, 1);
    c.ncuts = 3, c.cut[0] = 1, c.cut[1] = 31, c.cut[2] = 366, c.nlevels = 6;
    assert_int_equal(level(&c, "2003", "2003-06-15 00:00:00+00"), 2);
    assert_int_equal(level(&c, "2003", "2004-12-20 00:00:00+00"), 2);
    assert_int_equal(level(&c, "2004-12-20 00:00:00+00", "2003"), 2);
    assert_int_equal(level(&c, "2003", "2003-01-02 00:00:00+00"), 2);
    assert_int_equal(level(&c, "2003", "2002-12-31 00:00:00+00"), 2); /* not "within 1 day" */
    assert_int_equal(level(&c, "2003", "2004"), 2);
    assert_int_equal(level(&c, "2003", "2005-03-01 00:00:00+00"), LEVEL_DISAGREE);
    assert_int_equal(level(&c, "2003", "2005"), LEVEL_DISAGREE);
    assert_int_equal(level(&c, "2003", "2003"), 5);

    struct match_field num = {"views", "numeric:10", 1};
    assert_int_equal(comparison_parse(&c, &num, &err), 0);
    assert_int_equal(level(&c, "100", "105"), 3);
    assert_int_equal(level(&c, "100", "125"), 2);
    assert_int_equal(level(&c, "100", "200"), LEVEL_DISAGREE);
    assert_int_equal(level(&c, "38.99", "38.99"), 4); /* decimals are numbers, not words */

    /* relative: within 5%, within 25% */
    struct match_field rel = {"price", "relative", 1};
    assert_int_equal(comparison_parse(&c, &rel, &err), 0);
    assert_int_equal(level(&c, "399.00", "399"), 4);
    assert_int_equal(level(&c, "399", "389"), 3);
    assert_int_equal(level(&c, "399", "330"), 2);
    assert_int_equal(level(&c, "399", "99"), LEVEL_DISAGREE);
    assert_string_equal(comparison_level_label(&c, 3), "within 5%");

    struct match_field ex = {"url", "exact", 1};
    assert_int_equal(comparison_parse(&c, &ex, &err), 0);
    assert_int_equal(level(&c, "a", "a"), 2);
    assert_int_equal(level(&c, "a", "b"), 1);

    struct match_field bad = {"title", "soundex", 1};
    assert_int_equal(comparison_parse(&c, &bad, &err), -1);
    assert_non_null(strstr(err.msg, "'soundex' is not a comparator"));
    struct match_field badtol = {"title", "date:soon", 1};
    assert_int_equal(comparison_parse(&c, &badtol, &err), -1);
}

/* `relative` on years (values far from zero, spreading little) measures a
 * difference against the field's span: a year apart is nearer than nine;
 * prices keep their shares of the larger value. */
static void test_relative_span(void **state)
{
    enum { N = 60 };
    struct match_plan p;
    struct recset rs;
    const char *val[2 * N];
    char num[2 * N][16];
    (void)state;

    memset(&p, 0, sizeof p);
    memset(&rs, 0, sizeof rs);
    p.ncols = 2, p.ncmp = 2, p.cmp_col[0] = 0, p.cmp_col[1] = 1;
    comparison_init(&p.cmps[0], "year", CMP_RELATIVE, 0);
    comparison_init(&p.cmps[1], "price", CMP_RELATIVE, 0);
    for (int i = 0; i < N; i++) {
        snprintf(num[2 * i], sizeof num[0], "%d", 1960 + i % 50); /* 1960-2009 */
        snprintf(num[2 * i + 1], sizeof num[0], "%d.99", 1 + i * i); /* 1.99-3482.99 */
        val[2 * i] = num[2 * i], val[2 * i + 1] = num[2 * i + 1];
    }
    rs.n = N, rs.ncols = 2, rs.val = val;
    comparison_spans(&p, &rs);
    assert_true(p.cmps[0].span > 40 && p.cmps[0].span < 50);
    assert_true(p.cmps[1].span == 0);
    assert_int_equal(level(&p.cmps[0], "1998", "1999"), 3);  /* within 5% of the span */
    assert_int_equal(level(&p.cmps[0], "1994", "2003"), 2);  /* within 25% */
    assert_int_equal(level(&p.cmps[0], "1980", "2003"), LEVEL_DISAGREE);
    assert_int_equal(level(&p.cmps[0], "2003", "2003"), 4);
    assert_string_equal(comparison_level_label(&p.cmps[0], 3), "within 5% of the field's span");
    assert_int_equal(level(&p.cmps[1], "399", "389"), 3);
    assert_int_equal(level(&p.cmps[1], "399", "330"), 2);
    assert_string_equal(comparison_level_label(&p.cmps[1], 3), "within 5%");
    /* too few values tell no span */
    rs.n = 10;
    comparison_spans(&p, &rs);
    assert_true(p.cmps[0].span == 0);
}

/* Names and comparators are read whole, however long: the title's numbers
 * and variant words keep names of their own, and a tolerance written with
 * many digits is the one written. */
static void test_long_names(void **state)
{
    char field[CONFIG_FIELD_NAME_MAX + 1], numbers[256], tol[80];
    struct comparison c, d;
    struct err err = {0};
    (void)state;

    memset(field, 'f', sizeof field - 1);
    field[sizeof field - 1] = '\0';
    comparison_init(&c, field, CMP_NUMBERS, 0);
    comparison_init(&d, field, CMP_VARIANTS, 0);
    snprintf(numbers, sizeof numbers, "%s (numbers)", field);
    assert_string_equal(comparison_name(&c), numbers);
    assert_int_equal(strlen(comparison_name(&d)), strlen(field) + strlen(" (variant words)"));

    /* "relative:0.000...01", 70 bytes */
    snprintf(tol, sizeof tol, "relative:0.%058d1", 0);
    struct match_field rel = {"price", tol, 1};
    assert_int_equal(comparison_parse(&c, &rel, &err), 0);
    assert_true(c.tolerance > 0 && c.tolerance < 1e-50);
    struct match_field longer = {"price", "relativeness", 1};
    assert_int_equal(comparison_parse(&c, &longer, &err), -1);
}

/* Where in its level a pair lies: more similar, further up the band. */
static void test_band_position(void **state)
{
    struct comparison c;
    struct cmp_values lo = {.a = "martha", .b = "marhta"},
                      hi = {.a = "dwayne", .b = "duane"};
    double sim;
    uint8_t f1, f2;
    (void)state;
    comparison_init(&c, "name", CMP_JARO_WINKLER, 0);
    int l1 = comparison_level(&c, &lo, &sim, &f1); /* 0.961: top band */
    int l2 = comparison_level(&c, &hi, &sim, &f2); /* 0.840: the band above 0.80 */
    assert_int_equal(l1, 4);
    assert_int_equal(l2, 2);
    assert_true(f1 > 0 && f1 < 255 && f2 > 0 && f2 < 255);
    struct cmp_values same = {.a = "x", .b = "x"};
    assert_int_equal(comparison_level(&c, &same, &sim, &f1), 5);
    assert_int_equal(f1, 255);
}

/* A value as the text comparator sees it, every word weighing 1. */
static struct tokvec *vec(const char *text)
{
    struct tokvec *v = calloc(1, sizeof *v + 16 * sizeof(struct tok));
    const char *value = text;

    assert_non_null(v);
    while (*text != '\0') {
        size_t len = strcspn(text, " "), k;
        struct tok t = {.h = dedup_hash(text, len, 0), .w = 1, .len = (uint8_t)len,
                        .df = 1, .s = strndup(text, len)};
        for (size_t i = 0; i < len; i++)
            t.digit |= text[i] >= '0' && text[i] <= '9';
        for (k = v->n; k > 0 && v->t[k - 1].h > t.h; k--)
            v->t[k] = v->t[k - 1];
        v->t[k] = t;
        v->n++;
        text += len;
        text += *text == ' ';
    }
    v->norm = sqrtf((float)v->n);
    text_vec_acronym(v, value);
    return v;
}

static void vec_free(struct tokvec *v)
{
    for (uint32_t k = 0; k < v->n; k++)
        free((char *)v->t[k].s);
    free(v);
}

static double text_sim_apart(const char *a, const char *b, bool numbers_apart)
{
    struct tokvec *va = vec(a), *vb = vec(b);
    double sim = text_similarity(va, vb, numbers_apart);

    vec_free(va);
    vec_free(vb);
    return sim;
}

static double text_sim(const char *a, const char *b) { return text_sim_apart(a, b, false); }

/* The numbers' level of a and b, every word of them held by `df` values
 * of the field; rare codes weighed when rare_codes. */
static int numbers_level_held(const char *a, const char *b, uint8_t df, bool rare_codes)
{
    struct tokvec *va = vec(a), *vb = vec(b);
    for (uint32_t k = 0; k < va->n; k++)
        va->t[k].df = df;
    for (uint32_t k = 0; k < vb->n; k++)
        vb->t[k].df = df;
    int level = text_numbers_level(va, vb, rare_codes);

    vec_free(va);
    vec_free(vb);
    return level;
}

static int numbers_level(const char *a, const char *b)
{
    return numbers_level_held(a, b, 1, false);
}

/* The mean of cosine and overlap: a value inside a longer one keeps a high
 * similarity; values whose codes all differ keep half of theirs. */
static void test_text_rules(void **state)
{
    (void)state;
    assert_near(text_sim("snap kakuro", "topics entertainment snap kakuro"),
                (2 / (sqrt(2) * 2) + 1) / 2, 1e-6);
    assert_near(text_sim("works suite 2005", "works suite 2005 deluxe"),
                (3 / (sqrt(3) * 2) + 1) / 2, 1e-6);
    assert_near(text_sim("works suite 2005", "works suite 2006"), 0.5 * (2.0 / 3), 1e-6);
    /* a value without codes does not conflict with one that has them */
    assert_near(text_sim("works suite", "works suite 2006"), (2 / sqrt(6) + 1) / 2, 1e-6);
}

/* Model numbers: one inside another with a maker's prefix or a variant's
 * suffix is the same model; a near miss is another model, in a code field
 * as in a title; a code merely inside another's middle is no partner. */
static void test_code_rules(void **state)
{
    (void)state;
    assert_true(text_sim("ce278a", "hpce278a") >= 0.9);
    assert_true(text_sim("dcb309", "dcb309black") >= 0.9);
    assert_near(text_sim("elplp12", "elplp13"), 0.5 * cmp_jaro_winkler("elplp12", "elplp13"),
                1e-6);
    assert_true(text_sim("elplp12", "elplp13") < text_sim("ce278a", "hpce278a") / 1.5);
    /* one word without a digit is still compared by its characters */
    assert_near(text_sim("martha", "marhta"), cmp_jaro_winkler("martha", "marhta"), 1e-6);
    /* in longer values: "dcb309" pairs with "dcb309black" at 0.9 */
    assert_near(text_sim("dcb309 charger", "dcb309black charger"), 0.95, 1e-6);
    /* "r115" in the middle of "bablbr1150s06" is a coincidence: the codes
     * conflict and the shared word keeps half its similarity */
    assert_near(text_sim("arcserve r115", "arcserve bablbr1150s06"), 0.25, 1e-6);
}

/* The numbers inside titles: runs of digits whatever letters surround
 * them, compared as levels of their own; where they are, codes that all
 * differ no longer halve the text similarity (EM weighs them instead). */
static void test_numbers(void **state)
{
    struct comparison c;
    (void)state;
    assert_int_equal(numbers_level("office 2007", "office 2010"), LEVEL_DISAGREE);
    assert_int_equal(numbers_level("office 2007 pack 3", "office 2007 pack 5"), 2);
    assert_int_equal(numbers_level("office 2007", "office 2007 pack 3"), 3);
    assert_int_equal(numbers_level("drive 500gb", "500 gb drive"), 4);
    assert_int_equal(numbers_level("season 02 player", "season 2 player"), 4);
    assert_int_equal(numbers_level("office suite", "office 2007"), LEVEL_MISSING);
    /* all numbers (a phone) or one code: no text around them */
    assert_int_equal(numbers_level("415 399 0499", "415 399 0499"), LEVEL_MISSING);
    assert_int_equal(numbers_level("elplp12", "elplp12 lamp"), LEVEL_MISSING);
    assert_near(text_sim_apart("works suite 2005", "works suite 2006", true), 2.0 / 3, 1e-6);
    assert_near(text_sim_apart("elplp12", "elplp13", true),
                0.5 * cmp_jaro_winkler("elplp12", "elplp13"), 1e-6);
    comparison_init(&c, "title", CMP_NUMBERS, 0);
    assert_int_equal(c.nlevels, 7);
    assert_string_equal(comparison_level_label(&c, 5), "a rare code shared");
    assert_string_equal(comparison_level_label(&c, NUMBERS_CODE_FIELD),
                        "one's code field in the other's title");
    assert_string_equal(comparison_name(&c), "title (numbers)");
    assert_string_equal(comparison_level_label(&c, 2), "some numbers differ");
    assert_string_equal(cmp_kind_name(c.kind), "numbers");
}

/* A code only the two titles hold is the numbers' top level, in titles of
 * any length, whatever numbers one adds; a code a third title holds, or
 * titles that each hold a number the other lacks, or a field of codes
 * elsewhere (rare_codes false) leave the numbers' own level. */
static void test_rare_codes(void **state)
{
    static const char *const walmart = "boss audio bv9958b single din in dash dvd aux input",
                             *const amazon = "boss audio bv9958b 7 single dvd wma mp4 mp3 bt";
    (void)state;
    assert_int_equal(numbers_level_held(walmart, amazon, 2, true), 5);
    assert_int_equal(numbers_level_held(walmart, amazon, 3, true), 3);
    assert_int_equal(numbers_level_held(walmart, amazon, 2, false), 3);
    /* one inside the other, each held by its own title only */
    assert_int_equal(numbers_level_held("hp ce278a black toner", "ce278ab toner cartridge", 1, true),
                     5);
    assert_int_equal(numbers_level_held("hp ce278a black toner", "ce278ab toner cartridge", 2, true),
                     4);
    /* a short code is no model number; other lengths are other products */
    assert_int_equal(numbers_level_held("x5 camera bag", "x5 camera strap", 1, true), 4);
    assert_int_equal(numbers_level_held("rj11e cable 60 white", "rj11e cable 150 white", 1, true),
                     2);
}

/* A model number one shop gives in its field of codes and the other only
 * in its title is the numbers' top level, whatever the titles' numbers;
 * not when both give the field (its own comparison weighs it), nor for a
 * word without a digit (a maker), nor when a word of the code is missing. */
static void test_code_field_in_title(void **state)
{
    struct tokvec *t_walmart = vec("boss audio single din in dash dvd aux input 7"),
                  *t_amazon = vec("boss audio bv9958b 7 single dvd wma mp4"),
                  *t_other = vec("boss audio bv9960b 7 single dvd"), *code = vec("bv9958b"),
                  *maker = vec("boss"), *two = vec("bv9958b wma");
    const struct tokvec *row_a[2] = {t_walmart, code}, *row_b[2] = {t_amazon, NULL};
    int code_col[1] = {1};
    struct cmp_values v = {.a = "boss audio", .b = "boss audio", .ta = t_walmart, .tb = t_amazon,
                           .row_a = row_a, .row_b = row_b, .code_col = code_col,
                           .ncode_cols = 1};
    struct comparison c;
    double sim;
    uint8_t frac;
    (void)state;

    comparison_init(&c, "title", CMP_NUMBERS, 0);
    assert_int_equal(comparison_level(&c, &v, &sim, &frac), NUMBERS_CODE_FIELD);
    assert_int_equal(frac, 255);
    assert_true(text_code_in_title(t_walmart, t_amazon, code, NULL));
    assert_true(text_code_in_title(t_amazon, t_walmart, NULL, code));
    assert_false(text_code_in_title(t_walmart, t_other, code, NULL));
    assert_false(text_code_in_title(t_walmart, t_amazon, code, code));
    assert_false(text_code_in_title(t_walmart, t_amazon, maker, NULL));
    assert_true(text_code_in_title(t_walmart, t_amazon, two, NULL));
    /* a maker's prefix or a variant's suffix, as codes pair in a title */
    struct tokvec *prefixed = vec("boss hpce278a toner"), *ce = vec("ce278a"), *short_code = vec("a1");
    assert_true(text_code_in_title(prefixed, NULL, NULL, ce));
    assert_false(text_code_in_title(prefixed, NULL, NULL, short_code));
    vec_free(prefixed), vec_free(ce), vec_free(short_code);
    /* both give it (the field's own comparison), or no field of codes:
     * the titles' own numbers, one adding some */
    row_b[1] = code;
    assert_int_equal(comparison_level(&c, &v, &sim, &frac), 3);
    v.ncode_cols = 0;
    row_b[1] = NULL;
    assert_int_equal(comparison_level(&c, &v, &sim, &frac), 3);
    vec_free(t_walmart), vec_free(t_amazon), vec_free(t_other), vec_free(code), vec_free(maker),
        vec_free(two);
}

/* Variant words are learnt from a unique source's near twins: titles the
 * same but for a word or two ("... standard" beside "... deluxe", "...
 * deluxe" beside the bare title), each word in four twins at least; a
 * source that may repeat things teaches nothing, and words with a digit
 * are the numbers' comparison. */
static void test_variants(void **state)
{
    static const char *const titles[] = {
        "photo studio standard", "photo studio deluxe", "map suite standard", "map suite deluxe",
        "tax planner standard", "tax planner", "garden planner deluxe", "garden planner",
        "office suite 2007", "office suite 2010", "office suite 2013", "chart studio standard",
        "chart studio deluxe",
        /* source 1, not unique */
        "chess studio mac", "chess studio windows", "golf studio mac", "golf studio windows",
        "poker studio mac", "poker studio windows", "bridge studio mac", "bridge studio windows"};
    enum { N = sizeof titles / sizeof *titles };
    const struct tokvec *tv[N];
    uint16_t source[N];
    struct recset rs;
    (void)state;

    memset(&rs, 0, sizeof rs);
    for (int i = 0; i < N; i++) {
        tv[i] = vec(titles[i]);
        source[i] = i < 13 ? 0 : 1;
    }
    rs.n = N, rs.ncols = 1, rs.tv = tv, rs.source = source, rs.nsources = 2;
    rs.source_unique[0] = true;
    variants_mark(&rs, 0);
    /* photo studio standard / deluxe */
    assert_int_equal(text_variants_level(tv[0], tv[1]), LEVEL_DISAGREE);
    /* tax planner standard / tax planner: one adds a variant word */
    assert_int_equal(text_variants_level(tv[4], tv[5]), 2);
    assert_int_equal(text_variants_level(tv[6], tv[1]), 3);
    /* "planner", "suite" and the years differ in no twin, or are numbers */
    assert_int_equal(text_variants_level(tv[8], tv[9]), LEVEL_MISSING);
    /* mac / windows: twins of a source that may list a thing twice */
    assert_int_equal(text_variants_level(tv[13], tv[14]), LEVEL_MISSING);
    for (int i = 0; i < N; i++)
        vec_free((struct tokvec *)tv[i]);

    struct comparison c;
    comparison_init(&c, "title", CMP_VARIANTS, 0);
    assert_int_equal(c.nlevels, 4);
    assert_string_equal(comparison_name(&c), "title (variant words)");
    assert_string_equal(comparison_level_label(&c, 2), "a variant word added");
    assert_string_equal(cmp_kind_name(c.kind), "variants");
}

/* A "?" left inside a word is a character an export lost: it stands for
 * any one character of the other word, never for a different length. */
static void test_lost_characters(void **state)
{
    (void)state;
    assert_near(text_sim("p?rez", "perez"), 0.95, 1e-6);
    assert_near(text_sim("ji??", "jiri"), 0.95, 1e-6);
    assert_near(text_sim("p?rez", "p?rez"), 1, 1e-6);
    /* one character for one: "?" is not "ou" */
    assert_true(text_sim("k?ichi", "kouichi") < 0.9);
    /* in a name: the lost character costs little, a different surname all */
    assert_near(text_sim("hugo p?rez", "hugo perez"), 0.975, 1e-6);
    assert_true(text_sim("hugo p?rez", "hugo lopez") < 0.6);
}

/* A one-letter word is an initial: it pairs with a word of the other
 * value that it begins, below the word itself, and tells "j smith" from
 * "mary smith". */
static void test_initials(void **state)
{
    (void)state;
    double initial = text_sim("j smith", "james smith"), other = text_sim("j smith", "mary smith");
    assert_true(initial > other + 0.1);
    assert_true(initial < text_sim("james smith", "james smith"));
    /* either way round */
    assert_near(text_sim("james smith", "j smith"), initial, 1e-6);
    /* a letter is no initial of a number */
    assert_near(text_sim("j smith", "7 smith"), text_sim("k smith", "7 smith"), 1e-6);
}

/* A word that spells the initials of the other whole value is its
 * acronym, either way round; words of two letters, "the", "and" and "for"
 * are passed over. */
static void test_acronyms(void **state)
{
    (void)state;
    double vldb = text_sim("vldb", "very large data bases");
    assert_true(vldb >= 0.9 && vldb < 1);
    assert_near(text_sim("very large data bases", "vldb"), vldb, 1e-6);
    assert_true(text_sim("ucla", "university of california los angeles") >= 0.9);
    assert_true(text_sim("vldb", "acm transactions on database systems") < 0.1);
    /* the initials of the whole value, in order */
    assert_true(text_sim("lvdb", "very large data bases") < 0.1);
    assert_true(text_sim("vl", "very large data bases") < 0.1);
    /* a number is no acronym's letter */
    assert_true(text_sim("v2", "very 2") < 0.9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jaro_winkler), cmocka_unit_test(test_levenshtein),
        cmocka_unit_test(test_token_and_qgram), cmocka_unit_test(test_dates),
        cmocka_unit_test(test_dates_mark_years), cmocka_unit_test(test_month_distance),
        cmocka_unit_test(test_levels),        cmocka_unit_test(test_band_position),
        cmocka_unit_test(test_text_rules),    cmocka_unit_test(test_code_rules),
        cmocka_unit_test(test_lost_characters), cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_rare_codes), cmocka_unit_test(test_code_field_in_title),
        cmocka_unit_test(test_variants), cmocka_unit_test(test_long_names),
        cmocka_unit_test(test_initials), cmocka_unit_test(test_acronyms),
        cmocka_unit_test(test_relative_span),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

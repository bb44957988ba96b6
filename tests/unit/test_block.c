/*
 * test_block.c — blocking derived from the data (block_auto.c): two
 * records with the same title are compared even when each ranks eleven
 * records of its own series above the other by shared words, and a title
 * shared by more than max_block records adds no pairs. Configured keys
 * (block.c): a block above max_block pairs each record with its next
 * neighbours in title order (strcmp, then record order), and an
 * incremental pass finds exactly the full pass's pairs that touch a
 * changed record.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kasparro/dedup_internal.h"

#define DECOYS 11
#define FILLERS 40
#define NREC (2 + 2 * DECOYS + FILLERS)

/* Columns: 0 title (the title field), 1 series; two sources. Record 0
 * (source 0, series "alpha") and record 1 (source 1, series "beta") are
 * both titled "the documentary". Each source also has DECOYS records
 * titled "documentary the" (the same words, another value) of the other
 * record's series: for record 0 every decoy of source 1 shares all its
 * words, record 1 only two of three, and the same the other way round. */
#define NCFG 400 /* records of the configured-blocking fixture below */

/* Either fixture's records: values of two columns, sources, and text the
 * values point into. */
struct fixture {
    struct match_plan p;
    struct recset rs;
    const char *val[NCFG * 2];
    uint16_t source[NCFG];
    char text[NCFG][32];
};

static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    f->p.ncols = 2;
    f->p.col_text[0] = f->p.col_text[1] = true;
    f->p.title_col = 0;
    f->p.cmp_col[0] = 0;
    f->p.cmp_col[1] = 1;
    f->p.ncmp = 2;
    f->p.nrules = 0;
    uint32_t n = 0;
    f->source[n] = 0, f->val[2 * n] = "the documentary", f->val[2 * n + 1] = "alpha", n++;
    f->source[n] = 1, f->val[2 * n] = "the documentary", f->val[2 * n + 1] = "beta", n++;
    for (int k = 0; k < DECOYS; k++) {
        f->source[n] = 1, f->val[2 * n] = "documentary the", f->val[2 * n + 1] = "alpha", n++;
        f->source[n] = 0, f->val[2 * n] = "documentary the", f->val[2 * n + 1] = "beta", n++;
    }
    for (int k = 0; k < FILLERS; k++) {
        snprintf(f->text[k], sizeof f->text[k], "filler%d", k);
        f->source[n] = (uint16_t)(k % 2), f->val[2 * n] = f->text[k], n++;
    }
    f->rs.n = n;
    f->rs.ncols = 2;
    f->rs.val = f->val;
    f->rs.source = f->source;
}

static bool has_pair(const uint64_t *pairs, size_t n, uint32_t a, uint32_t b)
{
    for (size_t i = 0; i < n; i++)
        if (pairs[i] == ((uint64_t)a << 32 | b))
            return true;
    return false;
}

static void test_same_title_compared(void **state)
{
    (void)state;
    struct fixture *f = malloc(sizeof *f);
    size_t n;

    fixture_init(f);
    uint64_t *pairs = block_pairs(&f->p, &f->rs, NULL, false, 100, &n);
    assert_true(has_pair(pairs, n, 0, 1));
    /* the decoys' own value is shared by 22 records: all compared */
    assert_true(has_pair(pairs, n, 2, 3 + 2 * (DECOYS - 1)));
    free(pairs);

    /* incremental: only pairs touching a changed record, this one included */
    uint8_t changed[NREC] = {0};
    changed[1] = 1;
    pairs = block_pairs(&f->p, &f->rs, changed, false, 100, &n);
    assert_true(has_pair(pairs, n, 0, 1));
    for (size_t i = 0; i < n; i++)
        assert_true((uint32_t)(pairs[i] >> 32) == 1 || (uint32_t)pairs[i] == 1);
    free(pairs);
    free(f);
}

static void test_common_title_capped(void **state)
{
    (void)state;
    struct fixture *f = malloc(sizeof *f);
    size_t n_all, n_capped;

    fixture_init(f);
    uint64_t *all = block_pairs(&f->p, &f->rs, NULL, false, 100, &n_all);
    /* 22 records share "documentary the": above max_block, no identity */
    uint64_t *capped = block_pairs(&f->p, &f->rs, NULL, false, 21, &n_capped);
    assert_true(has_pair(capped, n_capped, 0, 1));
    assert_true(n_capped < n_all);
    free(all);
    free(capped);
    free(f);
}

/* Configured blocking: rule 0 the city (3 values: blocks of about 133,
 * above max_block), rule 1 the title's first 3 characters. Titles missing,
 * short, exactly 8 bytes, longer ones alike in their first 8 bytes, and
 * others: the cases the title order has to get right. */
#define WINDOW 8 /* block.c's NEIGHBOURS */

static void cfg_fixture_init(struct fixture *f, int nrules)
{
    static const char *const city[] = {"north", "south", "west"};
    static const char *const tail[] = {"z", "a", "mm", ""};

    memset(f, 0, sizeof *f);
    f->p.ncols = 2;
    f->p.col_text[0] = f->p.col_text[1] = true;
    f->p.cmp_col[0] = 0;
    f->p.ncmp = 2;
    f->p.cmp_col[1] = 1;
    f->p.nrules = nrules;
    f->p.rules[0].nparts = 1;
    f->p.rules[0].parts[0] = (struct rule_part){1, BK_VALUE, 0};
    f->p.rules[1].nparts = 1;
    f->p.rules[1].parts[0] = (struct rule_part){0, BK_PREFIX, 3};
    for (uint32_t i = 0; i < NCFG; i++) {
        const char *t = NULL;
        switch (i % 5) {
        case 1: t = i % 2 ? "ann" : "bob"; break;
        case 2: snprintf(f->text[i], 32, "wolfesch%s", tail[(i / 5) % 4]); t = f->text[i]; break;
        case 3: t = "wolfesch"; break;
        case 4: snprintf(f->text[i], 32, "name%03u", (i * 7919) % 1000); t = f->text[i]; break;
        }
        f->source[i] = (uint16_t)(i % 2);
        f->val[2 * i] = t;
        f->val[2 * i + 1] = city[(i / 2) % 3];
    }
    f->rs.n = NCFG;
    f->rs.ncols = 2;
    f->rs.val = f->val;
    f->rs.source = f->source;
}

static const struct fixture *order_f;
static int by_title(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    const char *ta = order_f->val[2 * a], *tb = order_f->val[2 * b];
    int c = strcmp(ta ? ta : "", tb ? tb : "");
    return c != 0 ? c : (a > b) - (a < b);
}

static void test_big_blocks_by_title(void **state)
{
    (void)state;
    struct fixture *f = malloc(sizeof *f);
    uint32_t members[NCFG];
    size_t n, expected = 0;

    cfg_fixture_init(f, 1);
    uint64_t *pairs = block_pairs(&f->p, &f->rs, NULL, false, 100, &n);
    order_f = f;
    for (int c = 0; c < 3; c++) {
        size_t m = 0;
        for (uint32_t i = 0; i < NCFG; i++)
            if (strcmp(f->val[2 * i + 1], f->val[2 * (uint32_t)(2 * c) + 1]) == 0)
                members[m++] = i;
        assert_true(m > 100);
        qsort(members, m, sizeof *members, by_title);
        for (size_t i = 0; i < m; i++)
            for (size_t j = i + 1; j < m && j <= i + WINDOW; j++) {
                uint32_t a = members[i], b = members[j];
                if (f->source[a] == f->source[b])
                    continue;
                assert_true(has_pair(pairs, n, a < b ? a : b, a < b ? b : a));
                expected++;
            }
    }
    assert_int_equal(n, expected); /* unique pairs: no neighbour twice */
    free(pairs);
    free(f);
}

static void test_incremental_pairs_of_full(void **state)
{
    (void)state;
    struct fixture *f = malloc(sizeof *f);
    uint8_t changed[NCFG] = {0};
    size_t n_all, n_incr, k = 0;

    cfg_fixture_init(f, 2);
    for (uint32_t i = 0; i < NCFG; i += 7)
        changed[i] = 1;
    uint64_t *all = block_pairs(&f->p, &f->rs, NULL, false, 100, &n_all);
    uint64_t *incr = block_pairs(&f->p, &f->rs, changed, false, 100, &n_incr);
    for (size_t i = 0; i < n_all; i++)
        if (changed[all[i] >> 32] || changed[(uint32_t)all[i]])
            all[k++] = all[i];
    assert_true(k > 0 && k < n_all);
    assert_int_equal(n_incr, k);
    assert_memory_equal(incr, all, k * sizeof *all);
    free(all);
    free(incr);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_title_compared),
        cmocka_unit_test(test_common_title_capped),
        cmocka_unit_test(test_big_blocks_by_title),
        cmocka_unit_test(test_incremental_pairs_of_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_block.c — blocking derived from the data (block_auto.c): two
 * records with the same title are compared even when each ranks eleven
 * records of its own series above the other by shared words, and a title
 * shared by more than max_block records adds no pairs.
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
struct fixture {
    struct match_plan p;
    struct recset rs;
    const char *val[NREC * 2];
    uint16_t source[NREC];
    char filler[FILLERS][32];
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
        snprintf(f->filler[k], sizeof f->filler[k], "filler%d", k);
        f->source[n] = (uint16_t)(k % 2), f->val[2 * n] = f->filler[k], n++;
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_title_compared),
        cmocka_unit_test(test_common_title_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

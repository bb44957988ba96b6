/*
 * test_variants.c — the variant words (variants.c) learnt within a memory
 * budget: a catalogue of editions ("… standard" / "… deluxe", "… mac
 * deluxe" / "… windows standard"), titles that differ only in a model
 * number, a pattern shared by more titles than make twins, and filler
 * titles drawn from a small vocabulary (chance near twins). However small
 * the budget — hundreds of passes of a few keys each — the words learnt
 * are the same as in one pass holding every key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kasparro/dedup_internal.h"

#define PRODUCTS 60
#define PATTERN 80 /* titles on one key: more than twins can be */
#define FILLERS 600
#define CODED 12
#define NREC (PRODUCTS * 2 + PRODUCTS / 2 * 2 + PATTERN + FILLERS + CODED * 2 + 4)

struct fixture {
    struct match_plan p;
    struct recset rs;
    const char *val[NREC];
    uint16_t source[NREC];
    char text[NREC][160];
};

static void add(struct fixture *f, uint16_t source, const char *fmt, ...)
{
    uint32_t n = f->rs.n++;
    va_list ap;

    assert_true(n < NREC);
    va_start(ap, fmt);
    vsnprintf(f->text[n], sizeof f->text[n], fmt, ap);
    va_end(ap);
    f->val[n] = f->text[n];
    f->source[n] = source;
}

/* Filler titles of 3 to 14 words from 150 words, the first ones more often. */
static void add_fillers(struct fixture *f)
{
    uint32_t seed = 12345;

    for (int i = 0; i < FILLERS; i++) {
        char title[160] = "";
        int words = 3 + i % 12;
        for (int k = 0; k < words; k++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = (seed >> 16) % 150;
            size_t len = strlen(title);
            snprintf(title + len, sizeof title - len, "%sv%u", k ? " " : "", r * r / 150);
        }
        add(f, 0, "%s", title);
    }
}

static struct fixture *fixture_new(void)
{
    struct fixture *f = calloc(1, sizeof *f);

    f->p.ncols = 1;
    f->p.col_text[0] = true;
    f->p.title_col = 0;
    f->p.cmps[0].kind = CMP_TEXT;
    f->p.cmp_col[0] = 0;
    f->p.ncmp = 1;
    f->rs.ncols = 1;
    f->rs.val = f->val;
    f->rs.source = f->source;
    f->rs.source_unique[0] = true;
    for (int i = 0; i < PRODUCTS; i++) {
        add(f, 0, "brand%d line%d kind%d standard", i, i % 7, i % 5);
        add(f, 0, "brand%d line%d kind%d deluxe", i, i % 7, i % 5);
        if (i % 2 == 0) {
            add(f, 0, "maker%d tool%d mac deluxe", i, i % 9);
            add(f, 0, "maker%d tool%d windows standard", i, i % 9);
        }
    }
    for (int i = 0; i < PATTERN; i++)
        add(f, 0, "common pattern z%d", i);
    for (int i = 0; i < CODED; i++) {
        add(f, 0, "coded%d printer red x%d", i, 100 + i);
        add(f, 0, "coded%d printer blue x%d", i, 200 + i);
    }
    add_fillers(f);
    /* a source that may list a thing twice teaches nothing */
    for (int i = 0; i < 4; i++)
        add(f, 1, "other thing%d green", i);
    text_index_build(&f->p, &f->rs);
    return f;
}

static void fixture_free(struct fixture *f)
{
    arena_free(&f->rs.arena);
    free(f->rs.tv);
    free(f);
}

static bool learnt(const uint64_t *words, size_t n, const char *word)
{
    uint64_t h = dedup_hash(word, strlen(word), 0);
    for (size_t i = 0; i < n; i++)
        if (words[i] == h)
            return true;
    return false;
}

static void test_budget_changes_nothing(void **state)
{
    (void)state;
    struct fixture *f = fixture_new();
    struct variants_stats one, many, tiny;
    size_t n_one, n_many, n_tiny;

    uint64_t *w_one = variants_learn(&f->rs, 0, SIZE_MAX / 2, &n_one, &one);
    uint64_t *w_many = variants_learn(&f->rs, 0, 1024, &n_many, &many);
    uint64_t *w_tiny = variants_learn(&f->rs, 0, 1, &n_tiny, &tiny);

    assert_int_equal(one.passes, 1);
    assert_true(many.passes > 100);
    assert_true(many.most <= PATTERN); /* one key's titles are never split */
    assert_true(tiny.passes > many.passes);
    assert_int_equal(one.keys, many.keys);
    assert_int_equal(one.keys, tiny.keys);

    assert_true(learnt(w_one, n_one, "standard"));
    assert_true(learnt(w_one, n_one, "deluxe"));
    assert_true(learnt(w_one, n_one, "mac"));
    assert_true(learnt(w_one, n_one, "windows"));
    assert_false(learnt(w_one, n_one, "red"));   /* only beside another model */
    assert_false(learnt(w_one, n_one, "z1"));    /* one of 80 on a key */
    assert_false(learnt(w_one, n_one, "green")); /* not a unique source's */

    assert_int_equal(n_many, n_one);
    assert_int_equal(n_tiny, n_one);
    assert_memory_equal(w_many, w_one, n_one * sizeof *w_one);
    assert_memory_equal(w_tiny, w_one, n_one * sizeof *w_one);
    free(w_one);
    free(w_many);
    free(w_tiny);
    fixture_free(f);
}

/* Two shops: the unique one lists editions ("… standard" / "… deluxe") and
 * a few of its titles end in the other shop's name for itself ("… acme"
 * beside the same title without it: twins by that word); the other shop
 * writes "acme" in every title, and standard and deluxe editions about as
 * often as the first. "acme" is that shop's way of writing, on one side of
 * most true pairs, not an edition: it is not learnt; the editions are. */
static void test_source_style_not_variant(void **state)
{
    (void)state;
    struct fixture *f = calloc(1, sizeof *f);
    struct variants_stats st;
    size_t n;

    f->p.ncols = 1;
    f->p.col_text[0] = true;
    f->p.title_col = 0;
    f->p.cmps[0].kind = CMP_TEXT;
    f->p.ncmp = 1;
    f->rs.ncols = 1;
    f->rs.val = f->val;
    f->rs.source = f->source;
    f->rs.source_unique[0] = true;
    for (int i = 0; i < 30; i++) {
        add(f, 0, "brand%d line%d kind%d standard", i, i % 7, i % 5);
        add(f, 0, "brand%d line%d kind%d deluxe", i, i % 7, i % 5);
    }
    for (int i = 0; i < 8; i++) {
        add(f, 0, "gizmo%d part%d acme", i, i % 3);
        add(f, 0, "gizmo%d part%d", i, i % 3);
    }
    static const char *const edition[5] = {" deluxe", " deluxe", " standard", " standard", ""};
    for (int i = 0; i < 200; i++)
        add(f, 1, "acme item%d kind%d%s", i, i % 5, edition[i % 5]);
    text_index_build(&f->p, &f->rs);

    uint64_t *w = variants_learn(&f->rs, 0, SIZE_MAX / 2, &n, &st);
    assert_true(learnt(w, n, "standard"));
    assert_true(learnt(w, n, "deluxe"));
    assert_false(learnt(w, n, "acme"));
    free(w);
    fixture_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_budget_changes_nothing),
        cmocka_unit_test(test_source_style_not_variant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * variants.c — the words that tell variants of one thing apart, learnt
 * from the data.
 *
 * Products come in editions and platforms named in words: "standard" /
 * "deluxe" / "upgrade", "mac" / "windows", "spanish", "pink" / "cyan". Two
 * titles that differ by such a word name two things however much else
 * they share, but no list of such words serves every catalogue (nor
 * should "grill" in a name or "returns" in a film title be one). A source
 * marked `unique` lists each thing once, so two of its titles that are
 * the same but for a word or two are two things, and those words are what
 * tell them apart: "photo studio deluxe" beside "photo studio", "ink cartridge
 * pink" beside "ink cartridge cyan". Counted over every such near twin of
 * every unique source, a word that is the difference often enough — in at
 * least VARIANT_MIN_TWINS twins, and in one twin per VARIANT_MAX_RATIO
 * titles holding it — is a variant word; the title's CMP_VARIANTS
 * comparison (text_variants_level) then compares two titles' variant
 * words, and EM weighs what that says on each data set.
 *
 * Near twins are found without comparing titles pairwise: a title's word
 * set, and the same set without any one or two of its words, are keys;
 * two titles of one source meeting on a key, with no word left out of
 * both, differ by the words each left out — one or two on each side, or
 * none on one (the other adds words) — and meet on no other such key.
 * Twins share at least two words; twins that differ in a word with a
 * digit (a model number, a year) differ in that, and teach nothing here
 * (words with a digit are the numbers comparison's). The words come from
 * every live record, so a full and an incremental pass learn the same
 * ones.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/clock.h"
#include "kasparro/dedup_internal.h"
#include "kasparro/log.h"

#define VARIANT_MAX_WORDS 16  /* longer titles (descriptions) make no twins */
#define VARIANT_MIN_SHARED 2  /* twins share at least this many words */
#define VARIANT_MAX_RUN 64    /* a key shared by more titles is a pattern, not twins */
#define VARIANT_MIN_TWINS 4
#define VARIANT_MAX_RATIO 10  /* at least one twin per this many titles with the word */
#define NO_WORD 0xFF

/* A title's word set without the words at positions left[0..1] (NO_WORD:
 * none), keyed with its source. */
struct twin_key {
    uint64_t key;
    uint32_t rec;
    uint8_t left[2];
};

static int by_key(const void *x, const void *y)
{
    const struct twin_key *a = x, *b = y;
    return a->key < b->key ? -1 : a->key > b->key;
}

static const struct tokvec *title_of(const struct recset *rs, uint32_t i, int col)
{
    return rs->tv[(size_t)i * (size_t)rs->ncols + (size_t)col];
}

static struct twin_key set_key(const struct tokvec *v, uint32_t rec, uint16_t src, uint32_t x,
                               uint32_t y)
{
    uint64_t h[VARIANT_MAX_WORDS];
    uint32_t n = 0;

    for (uint32_t k = 0; k < v->n; k++)
        if (k != x && k != y)
            h[n++] = v->t[k].h;
    uint8_t left_x = (uint8_t)(x < v->n ? x : NO_WORD), left_y = (uint8_t)(y < v->n ? y : NO_WORD);
    return (struct twin_key){dedup_hash(h, n * sizeof *h, src + 1U), rec, {left_x, left_y}};
}

/* The keys of every title of a unique source that can have a twin. */
static size_t twin_keys(const struct recset *rs, int col, struct twin_key **out)
{
    size_t n = 0, cap = 0;
    struct twin_key *k = NULL;

    for (uint32_t i = 0; i < rs->n; i++) {
        const struct tokvec *v = title_of(rs, i, col);
        if (v == NULL || !rs->source_unique[rs->source[i]] || v->n < VARIANT_MIN_SHARED ||
            v->n > VARIANT_MAX_WORDS)
            continue;
        size_t need = 1 + v->n + (size_t)v->n * v->n / 2;
        if (n + need > cap) {
            cap = 2 * (n + need);
            k = xrealloc(k, cap * sizeof *k);
        }
        uint16_t src = rs->source[i];
        k[n++] = set_key(v, i, src, NO_WORD, NO_WORD);
        for (uint32_t x = 0; v->n >= VARIANT_MIN_SHARED + 1 && x < v->n; x++) {
            k[n++] = set_key(v, i, src, x, NO_WORD);
            for (uint32_t y = x + 1; v->n >= VARIANT_MIN_SHARED + 2 && y < v->n; y++)
                k[n++] = set_key(v, i, src, x, y);
        }
    }
    *out = k;
    return n;
}

static uint64_t left_word(const struct recset *rs, int col, const struct twin_key *k, int j)
{
    return k->left[j] == NO_WORD ? 0 : title_of(rs, k->rec, col)->t[k->left[j]].h;
}

/* Whether a word k leaves out holds a digit: titles that differ in a model
 * number name other models, and their other differences say nothing of
 * variants (a colour that comes with each model). */
static bool leaves_code(const struct recset *rs, int col, const struct twin_key *k)
{
    const struct tokvec *v = title_of(rs, k->rec, col);
    return (k->left[0] != NO_WORD && v->t[k->left[0]].digit) ||
           (k->left[1] != NO_WORD && v->t[k->left[1]].digit);
}

/* Appends to *diff the words by which the titles of one key's run differ. */
static void twin_words(const struct recset *rs, int col, const struct twin_key *run, size_t len,
                       uint64_t **diff, size_t *n, size_t *cap)
{
    for (size_t x = 0; x < len; x++)
        for (size_t y = x + 1; y < len; y++) {
            uint64_t w[4] = {left_word(rs, col, &run[x], 0), left_word(rs, col, &run[x], 1),
                             left_word(rs, col, &run[y], 0), left_word(rs, col, &run[y], 1)};
            /* a word left out of both: they meet on a larger key (or are
             * one set), where they count */
            bool shared = run[x].rec == run[y].rec || (w[0] == 0 && w[2] == 0);
            for (int i = 0; i < 2; i++)
                for (int j = 2; j < 4; j++)
                    shared |= w[i] != 0 && w[i] == w[j];
            if (shared || leaves_code(rs, col, &run[x]) || leaves_code(rs, col, &run[y]))
                continue;
            if (*n + 4 > *cap) {
                *cap = 2 * (*n + 4);
                *diff = xrealloc(*diff, *cap * sizeof **diff);
            }
            for (int i = 0; i < 4; i++)
                if (w[i] != 0)
                    (*diff)[(*n)++] = w[i];
        }
}

/* The words of the unique sources' titles, one per title holding it, sorted. */
static size_t unique_words(const struct recset *rs, int col, uint64_t **out)
{
    size_t n = 0, cap = 0;
    uint64_t *w = NULL;

    for (uint32_t i = 0; i < rs->n; i++) {
        const struct tokvec *v = title_of(rs, i, col);
        if (v == NULL || !rs->source_unique[rs->source[i]])
            continue;
        if (n + v->n > cap) {
            cap = 2 * (n + v->n);
            w = xrealloc(w, cap * sizeof *w);
        }
        for (uint32_t k = 0; k < v->n; k++)
            w[n++] = v->t[k].h;
    }
    dedup_sort_u64(w, n);
    *out = w;
    return n;
}

/* The variant words (sorted hashes) among the twins' differences. */
static size_t variant_words(const struct recset *rs, int col, uint64_t *diff, size_t ndiff)
{
    uint64_t *words = NULL;
    size_t nwords = unique_words(rs, col, &words), nvar = 0;

    dedup_sort_u64(diff, ndiff);
    for (size_t i = 0; i < ndiff;) {
        size_t j = i;
        while (j < ndiff && diff[j] == diff[i])
            j++;
        size_t twins = j - i, titles = dedup_count_sorted(words, nwords, diff[i]);
        if (twins >= VARIANT_MIN_TWINS && twins * VARIANT_MAX_RATIO >= titles)
            diff[nvar++] = diff[i];
        i = j;
    }
    free(words);
    return nvar;
}

static int by_string(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* At debug level, the words learnt, sorted: what a change to this file
 * must keep, compared between two builds on the same data. */
static void log_learnt(const char **name, size_t nvar, size_t nkeys, unsigned passes,
                       double started)
{
    struct buf line = BUF_INIT;
    size_t n = 0;

    for (size_t i = 0; i < nvar; i++)
        if (name[i] != NULL)
            name[n++] = name[i];
    qsort(name, n, sizeof *name, by_string);
    for (size_t i = 0; i < n; i++)
        buf_printf(&line, "%s%s", i > 0 ? " " : "", name[i]);
    log_debug("matching: %zu variant words from %zu twin keys in %u pass%s: %s", n, nkeys, passes,
              passes == 1 ? "" : "es", buf_str(&line));
    log_debug("matching: variant words learnt in %.2fs", clock_mono() - started);
    buf_free(&line);
}

void variants_mark(struct recset *rs, int col)
{
    double started = clock_mono();
    struct twin_key *keys = NULL;
    uint64_t *diff = NULL;
    size_t nkeys = twin_keys(rs, col, &keys), ndiff = 0, cap = 0;

    if (nkeys > 1) /* none: keys is NULL, which qsort must not see */
        qsort(keys, nkeys, sizeof *keys, by_key);
    for (size_t i = 0; i < nkeys;) {
        size_t j = i;
        while (j < nkeys && keys[j].key == keys[i].key)
            j++;
        if (j - i <= VARIANT_MAX_RUN)
            twin_words(rs, col, keys + i, j - i, &diff, &ndiff, &cap);
        i = j;
    }
    free(keys);
    size_t nvar = variant_words(rs, col, diff, ndiff);
    const char **name = xcalloc(nvar + 1, sizeof *name);
    for (uint32_t i = 0; nvar > 0 && i < rs->n; i++) {
        /* the vectors are this working set's own, read-only once built */
        struct tokvec *v = (struct tokvec *)title_of(rs, i, col);
        for (uint32_t k = 0; v != NULL && k < v->n; k++) {
            uint64_t h = v->t[k].h;
            const uint64_t *at =
                v->t[k].digit ? NULL : bsearch(&h, diff, nvar, sizeof *diff, dedup_cmp_u64);
            v->t[k].variant = at != NULL;
            if (at != NULL && name[at - diff] == NULL)
                name[at - diff] = v->t[k].s;
        }
    }
    free(diff);
    log_learnt(name, nvar, nkeys, 1, started);
    free(name);
}

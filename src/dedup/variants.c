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
 * titles holding it — is a variant word, unless the sources write it at
 * rates too far apart to be an edition they all list (source_skewed:
 * Dunning's G2 test of the rates); the title's CMP_VARIANTS
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
 *
 * A title of n words makes up to 1 + n + n(n-1)/2 keys (137 at 16 words):
 * tens of millions for a million titles. So the keys are made in passes,
 * each holding at most a budget of them (VARIANT_BUDGET): a key's bucket
 * is found by arithmetic before the key itself is hashed, every title that
 * meets on a key finds the same bucket, and a pass makes only the keys of
 * its buckets — each key's titles are sorted and scanned whole in one
 * pass, so the words learnt are the same whatever the budget. The words
 * twins differ by are tallied per word as they come, and the titles
 * holding each are counted only for the words that made enough twins.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/dedup_internal.h"
#include "kasparro/log.h"

#define VARIANT_MAX_WORDS 16 /* longer titles (descriptions) make no twins */
#define VARIANT_MIN_SHARED 2 /* twins share at least this many words */
#define VARIANT_MAX_RUN 64   /* a key shared by more titles is a pattern, not twins */
#define VARIANT_MIN_TWINS 4
#define VARIANT_MAX_RATIO 10 /* at least one twin per this many titles with the word */
/* A word one source writes at another rate than the others: G2 beyond
 * chi-square's 0.001 point (one degree of freedom), and the rates more
 * than twice apart (source_skewed) */
#define VARIANT_SKEW_G2 10.83
#define VARIANT_SKEW_RATIO 2.0
/* Bytes of twin keys held at once, with as many again to sort them. */
#define VARIANT_BUDGET ((size_t)64 << 20)
#define VARIANT_BUCKET_BITS 16              /* slices of the key space, grouped into passes */
#define VARIANT_DIFF_HELD ((size_t)1 << 20) /* twin words held before they are tallied */
#define KEY_GROUP_SIZE 8 /* a pass's keys scattered into groups of about so many to be sorted */
#define NO_WORD 0xFF

/* A title's word set without the words at positions left[0..1] (NO_WORD:
 * none), keyed with its source. */
struct twin_key {
    uint64_t key;
    uint32_t rec;
    uint8_t left[2];
};

/* The keys of one pass: those whose word set falls in the buckets
 * [lo, hi); with counts, only how many fall in each bucket. */
struct slice {
    uint32_t lo, hi;
    size_t *counts;
    struct twin_key *keys, *sorted; /* sorted: as many, for keys_group */
    size_t *group;                  /* 2^group_bits, for keys_group */
    int group_bits;
    size_t n;
};

/* The words by which twins differ, counted: raw as twins are found,
 * folded into (word, twins) sorted by word every VARIANT_DIFF_HELD. */
struct word_count {
    uint64_t h;
    size_t n;
};
struct tally {
    uint64_t *raw;
    size_t nraw, capraw;
    struct word_count *w;
    size_t nw;
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

static bool has_twins(const struct recset *rs, uint32_t i, const struct tokvec *v)
{
    return v != NULL && rs->source_unique[rs->source[i]] && v->n >= VARIANT_MIN_SHARED &&
           v->n <= VARIANT_MAX_WORDS;
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

/* A word's share of a set's bucket: the bucket is the top bits of the sum
 * of its words' (splitmix64's finaliser), so a set without a word or two
 * finds its bucket by subtraction, before its key is hashed — and every
 * title that meets on a key finds the same one. */
static uint64_t word_share(uint64_t h)
{
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

static inline void slice_add(struct slice *s, const struct tokvec *v, uint32_t rec, uint16_t src,
                             uint64_t sum, uint32_t x, uint32_t y)
{
    uint32_t b = (uint32_t)(sum >> (64 - VARIANT_BUCKET_BITS));
    if (s->counts != NULL)
        s->counts[b]++;
    else if (b - s->lo < s->hi - s->lo) /* lo <= b < hi */
        s->keys[s->n++] = set_key(v, rec, src, x, y);
}

/* A title's keys in the slice: its word set, and the set without any one
 * word (three words or more) or two (four or more). */
static void title_keys(struct slice *s, const struct tokvec *v, uint32_t rec, uint16_t src)
{
    uint64_t share[VARIANT_MAX_WORDS], all = 0;

    for (uint32_t k = 0; k < v->n; k++)
        all += share[k] = word_share(v->t[k].h);
    slice_add(s, v, rec, src, all, NO_WORD, NO_WORD);
    for (uint32_t x = 0; v->n >= VARIANT_MIN_SHARED + 1 && x < v->n; x++) {
        slice_add(s, v, rec, src, all - share[x], x, NO_WORD);
        for (uint32_t y = x + 1; v->n >= VARIANT_MIN_SHARED + 2 && y < v->n; y++)
            slice_add(s, v, rec, src, all - share[x] - share[y], x, y);
    }
}

static void slice_fill(const struct recset *rs, int col, struct slice *s)
{
    for (uint32_t i = 0; i < rs->n; i++) {
        const struct tokvec *v = title_of(rs, i, col);
        if (has_twins(rs, i, v))
            title_keys(s, v, i, rs->source[i]);
    }
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

/* Folds the raw words into the sorted (word, twins) counts. */
static void tally_fold(struct tally *t)
{
    dedup_sort_u64(t->raw, t->nraw);
    size_t nnew = 0;
    for (size_t i = 0; i < t->nraw; i++)
        nnew += i == 0 || t->raw[i] != t->raw[i - 1];
    struct word_count *w = xmalloc((t->nw + nnew + 1) * sizeof *w);
    size_t n = 0, a = 0;
    for (size_t i = 0; i < t->nraw || a < t->nw;) {
        if (i == t->nraw || (a < t->nw && t->w[a].h <= t->raw[i])) {
            w[n++] = t->w[a++];
            continue;
        }
        size_t j = i;
        while (j < t->nraw && t->raw[j] == t->raw[i])
            j++;
        if (n > 0 && w[n - 1].h == t->raw[i])
            w[n - 1].n += j - i;
        else
            w[n++] = (struct word_count){t->raw[i], j - i};
        i = j;
    }
    free(t->w);
    t->w = w;
    t->nw = n;
    t->nraw = 0;
}

/* Tallies the words by which the titles of one key's run differ. */
static void twin_words(const struct recset *rs, int col, const struct twin_key *run, size_t len,
                       struct tally *t)
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
            if (t->nraw + 4 > t->capraw) {
                t->capraw = 2 * (t->nraw + 4);
                t->raw = xrealloc(t->raw, t->capraw * sizeof *t->raw);
            }
            for (int i = 0; i < 4; i++)
                if (w[i] != 0)
                    t->raw[t->nraw++] = w[i];
        }
}

/* The slice's keys in s->sorted, equal keys next to each other: the keys
 * are hashes, so scattered by their top bits they fall a few to a group,
 * which a few comparisons put in order (a larger group, many titles on
 * one key, is sorted). */
static void keys_group(struct slice *s)
{
    const int shift = 64 - s->group_bits;
    const size_t ngroups = (size_t)1 << s->group_bits;
    size_t *end = s->group;

    memset(end, 0, ngroups * sizeof *end);
    for (size_t i = 0; i < s->n; i++)
        end[s->keys[i].key >> shift]++;
    for (size_t g = 0, sum = 0; g < ngroups; g++) {
        size_t c = end[g];
        end[g] = sum; /* where the group starts, until it is filled */
        sum += c;
    }
    for (size_t i = 0; i < s->n; i++)
        s->sorted[end[s->keys[i].key >> shift]++] = s->keys[i];
    for (size_t g = 0, from = 0; g < ngroups; from = end[g++]) {
        struct twin_key *a = s->sorted + from;
        size_t len = end[g] - from;
        if (len > 4 * KEY_GROUP_SIZE) {
            qsort(a, len, sizeof *a, by_key);
            continue;
        }
        for (size_t i = 1; i < len; i++)
            for (size_t j = i; j > 0 && a[j - 1].key > a[j].key; j--) {
                struct twin_key swap = a[j];
                a[j] = a[j - 1];
                a[j - 1] = swap;
            }
    }
}

/* Sorts one pass's keys and tallies the twins of each run. */
static void slice_twins(const struct recset *rs, int col, struct slice *s, struct tally *t)
{
    const struct twin_key *k = s->sorted;

    keys_group(s);
    for (size_t i = 0; i < s->n;) {
        size_t j = i;
        while (j < s->n && k[j].key == k[i].key)
            j++;
        if (j - i <= VARIANT_MAX_RUN)
            twin_words(rs, col, k + i, j - i, t);
        if (t->nraw >= VARIANT_DIFF_HELD)
            tally_fold(t);
        i = j;
    }
}

/* Room for a pass of n keys. */
static void slice_reserve(struct slice *s, size_t n)
{
    free(s->keys);
    free(s->sorted);
    free(s->group);
    s->keys = xmalloc(n * sizeof *s->keys);
    s->sorted = xmalloc(n * sizeof *s->sorted);
    for (s->group_bits = 1; s->group_bits < 40 && ((size_t)KEY_GROUP_SIZE << s->group_bits) < n;)
        s->group_bits++;
    s->group = xmalloc(((size_t)1 << s->group_bits) * sizeof *s->group);
}

/* Every twin's words, tallied: the key space cut into buckets, the buckets
 * grouped into passes of at most budget bytes of keys (a bucket larger
 * than that is a pass of its own), so that memory stays within the budget
 * whatever the titles' count and length. */
static void twins_tally(const struct recset *rs, int col, size_t budget, struct tally *t,
                        struct variants_stats *st)
{
    size_t nbuckets = (size_t)1 << VARIANT_BUCKET_BITS;
    size_t most = budget / (2 * sizeof(struct twin_key) + sizeof(size_t) / KEY_GROUP_SIZE);
    size_t cap = 0;
    struct slice s = {.counts = xcalloc(nbuckets, sizeof(size_t))};
    size_t *counts = s.counts;

    slice_fill(rs, col, &s);
    s.counts = NULL;
    for (size_t lo = 0, hi; lo < nbuckets; lo = hi) {
        size_t n = counts[lo];
        for (hi = lo + 1; hi < nbuckets && n + counts[hi] <= most; hi++)
            n += counts[hi];
        if (n == 0)
            continue;
        if (n > cap)
            slice_reserve(&s, cap = n);
        s.lo = (uint32_t)lo, s.hi = (uint32_t)hi, s.n = 0;
        slice_fill(rs, col, &s);
        slice_twins(rs, col, &s, t);
        st->keys += n;
        st->passes++;
        st->most = n > st->most ? n : st->most;
    }
    tally_fold(t);
    free(s.keys);
    free(s.sorted);
    free(s.group);
    free(counts);
}

static int by_word(const void *x, const void *y)
{
    const struct word_count *a = x, *b = y;
    return a->h < b->h ? -1 : a->h > b->h;
}

/* Dunning's log-likelihood ratio G2 (1993) that k1 of n1 and k2 of n2 are
 * draws of one rate: 0 when they are, growing with the evidence that the
 * rates differ (chi-square with one degree of freedom). */
static double rate_g2(double k1, double n1, double k2, double n2)
{
    double p = (k1 + k2) / (n1 + n2), g = 0;
    const double k[2] = {k1, k2}, n[2] = {n1, n2};

    for (int i = 0; i < 2; i++) {
        double q = k[i] / n[i];
        if (k[i] > 0)
            g += k[i] * log(q / p);
        if (n[i] - k[i] > 0)
            g += (n[i] - k[i]) * log((1 - q) / (1 - p));
    }
    return 2 * g;
}

/* Whether one source writes a word in its titles at another rate than the
 * other sources do together: significantly (G2 above VARIANT_SKEW_G2) and
 * more than VARIANT_SKEW_RATIO times as often or as seldom (at scale a
 * slight difference is significant too). held[s]: titles of source s
 * holding the word, titles[s]: titles of source s. Such a word is a
 * source's way of writing — a publisher's prefix ("encore software 10392
 * - …" in one shop, "… by encore" seldom in the other), "complete
 * package", a category, a platform one shop always names — rather than an
 * edition every source lists, and is on one side only of most true pairs:
 * as a variant word it counts against them. */
static bool source_skewed(const uint32_t *held, const uint32_t *titles, int nsrc)
{
    double k = 0, n = 0;

    for (int s = 0; s < nsrc; s++)
        k += held[s], n += titles[s];
    for (int s = 0; s < nsrc; s++) {
        double ks = held[s], ns = titles[s], ko = k - ks, no = n - ns;
        if (ns == 0 || no == 0)
            continue;
        double own = ks / ns, others = ko / no;
        bool apart = own > VARIANT_SKEW_RATIO * others || others > VARIANT_SKEW_RATIO * own;
        if (apart && rate_g2(ks, ns, ko, no) > VARIANT_SKEW_G2)
            return true;
    }
    return false;
}

/* The variant words among the tallied ones: how many titles of each source
 * hold each word that makes VARIANT_MIN_TWINS twins, counted by looking
 * each title's words up among those. The twins' ratio counts the unique
 * sources' titles; the sources' rates count every source's. */
static uint64_t *variant_words(const struct recset *rs, int col, const struct tally *t,
                               size_t *nvar)
{
    struct word_count *cand = xmalloc((t->nw + 1) * sizeof *cand);
    size_t ncand = 0;
    int nsrc = 1;

    for (size_t i = 0; i < t->nw; i++)
        if (t->w[i].n >= VARIANT_MIN_TWINS)
            cand[ncand++] = t->w[i];
    for (uint32_t i = 0; i < rs->n; i++)
        nsrc = rs->source[i] >= nsrc ? rs->source[i] + 1 : nsrc;
    /* a few sources in practice: ncand x nsrc counts */
    uint32_t *held = xcalloc(ncand * (size_t)nsrc + 1, sizeof *held);
    uint32_t *titles = xcalloc((size_t)nsrc, sizeof *titles);
    for (uint32_t i = 0; ncand > 0 && i < rs->n; i++) {
        const struct tokvec *v = title_of(rs, i, col);
        if (v == NULL || v->n == 0)
            continue;
        titles[rs->source[i]]++;
        for (uint32_t k = 0; k < v->n; k++) {
            struct word_count key = {v->t[k].h, 0};
            const struct word_count *at = bsearch(&key, cand, ncand, sizeof *cand, by_word);
            if (at != NULL)
                held[(size_t)(at - cand) * (size_t)nsrc + rs->source[i]]++;
        }
    }
    uint64_t *words = xmalloc((ncand + 1) * sizeof *words);
    size_t n = 0;
    for (size_t i = 0; i < ncand; i++) {
        const uint32_t *h = held + i * (size_t)nsrc;
        size_t in_unique = 0;
        for (int s = 0; s < nsrc; s++)
            in_unique += rs->source_unique[s] ? h[s] : 0;
        if (cand[i].n * VARIANT_MAX_RATIO >= in_unique && !source_skewed(h, titles, nsrc))
            words[n++] = cand[i].h;
    }
    free(held);
    free(titles);
    free(cand);
    *nvar = n;
    return words;
}

uint64_t *variants_learn(const struct recset *rs, int col, size_t budget, size_t *nvar,
                         struct variants_stats *st)
{
    struct tally t = {0};

    memset(st, 0, sizeof *st);
    twins_tally(rs, col, budget, &t, st);
    uint64_t *words = variant_words(rs, col, &t, nvar);
    free(t.raw);
    free(t.w);
    return words;
}

static int by_string(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* At debug level, the words learnt, sorted: what a change to this file
 * must keep, compared between two builds on the same data. */
static void log_learnt(const char **name, size_t nvar, const struct variants_stats *st)
{
    struct buf line = BUF_INIT;
    size_t n = 0;

    if (log_get_level() > LOG_DEBUG) /* the list is long at scale: made only to be read */
        return;
    for (size_t i = 0; i < nvar; i++)
        if (name[i] != NULL)
            name[n++] = name[i];
    qsort(name, n, sizeof *name, by_string);
    for (size_t i = 0; i < n; i++)
        buf_printf(&line, "%s%s", i > 0 ? " " : "", name[i]);
    log_debug("matching: %zu variant words from %zu twin keys in %zu pass%s of at most %zu: %s", n,
              st->keys, st->passes, st->passes == 1 ? "" : "es", st->most, buf_str(&line));
    buf_free(&line);
}

/* VARIANT_BUDGET, or for tests and benchmarks KASPARRO_VARIANT_BUDGET
 * bytes: the same words in more passes. */
static size_t budget(void)
{
    const char *v = getenv("KASPARRO_VARIANT_BUDGET");
    char *end;
    unsigned long long b = v != NULL ? strtoull(v, &end, 10) : 0;

    return b > 0 && *end == '\0' ? (size_t)b : VARIANT_BUDGET;
}

void variants_mark(struct recset *rs, int col)
{
    struct variants_stats st;
    size_t nvar;
    uint64_t *words = variants_learn(rs, col, budget(), &nvar, &st);
    const char **name = xcalloc(nvar + 1, sizeof *name);

    for (uint32_t i = 0; nvar > 0 && i < rs->n; i++) {
        /* the vectors are this working set's own, read-only once built */
        struct tokvec *v = (struct tokvec *)title_of(rs, i, col);
        for (uint32_t k = 0; v != NULL && k < v->n; k++) {
            uint64_t h = v->t[k].h;
            const uint64_t *at =
                v->t[k].digit ? NULL : bsearch(&h, words, nvar, sizeof *words, dedup_cmp_u64);
            v->t[k].variant = at != NULL;
            if (at != NULL && name[at - words] == NULL)
                name[at - words] = v->t[k].s;
        }
    }
    free(words);
    log_learnt(name, nvar, &st);
    free(name);
}

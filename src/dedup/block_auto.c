/*
 * block_auto.c — blocking derived from the data, for a [matching] section
 * without `blocking`: schema-agnostic token blocking with cardinality
 * pruning (after JedAI's token blocking and meta-blocking, Papadakis et al.).
 *
 * Every distinct word of a record's compared text fields is a key,
 * whatever field it sits in (a model number in one source's title meets the
 * same number in the other's model field). Words shared by more than
 * max(AUTO_MIN_CAP, 4 sqrt(n)) records are dropped: they would cost many
 * comparisons and tell little; so are words every record has. Each record then ranks the records it shares
 * words with by the cosine of their word sets, each word weighted by
 * ln(n / df), and keeps its AUTO_NEIGHBOURS best; a pair is compared when
 * either record keeps the other. The work is bounded by the number of
 * records times the neighbours, not by the size of the biggest block, and
 * a rare shared word (a part number, a surname) ranks a pair high however
 * many common words surround it.
 *
 * Ranking over all fields' words can leave out a pair whose title is the
 * same: other records of the same series share more words (common title
 * words, genres) and take the ten places. So records whose value of an
 * identifying field is identical after normalisation are compared too:
 * the title field, and every other compared text field whose values are
 * mostly distinct (at least half as many distinct values as filled ones;
 * a genre list or a city is not). A value shared by more than max_block
 * records is no identity and adds nothing, so the extra pairs stay below
 * records x max_block.
 *
 * Long descriptions drown a title the same way: a catalogue and a shop
 * describe one product in their own boilerplate, which a dozen other
 * listings of each share, and those take the ten places of both records
 * ("adobe dreamweaver cs3 [mac]" against "adobe dreamweaver cs3"). So
 * where the title is compared beside other text fields, its words alone
 * rank TITLE_NEIGHBOURS more neighbours of each record, with the same
 * weights and cap. Not its numbers: a rare code ranks a pair high among
 * all the words already, and a bare number ("Episode 5", "vol 2") names
 * no thing — counted, they put every fifth episode of one series beside
 * every other's.
 *
 * A schema without a compared text field (codes as integers, amounts,
 * dates) has no words: each compared value is then one key, so that
 * records sharing a code still meet rather than nothing being compared.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"
#include "kasparro/log.h"

#define AUTO_MAX_WORDS 64   /* words per record that become keys */
#define AUTO_MIN_CAP 100
#define AUTO_NEIGHBOURS 10
#define TITLE_NEIGHBOURS 3 /* by the title's words alone (title_apart) */

struct posting {
    uint32_t start, len; /* into the records sorted by word */
    float w2;            /* idf^2 */
};

struct auto_index {
    struct block_entry *by_rec;  /* (word, record), grouped by record */
    uint32_t *rec_start;         /* n + 1 */
    struct block_entry *by_word; /* sorted by word */
    struct idmap word;           /* word hash -> posting */
    struct posting *post;
    size_t npost;
    float *norm;                 /* per record */
};

static int64_t word_key(uint64_t h) { return (int64_t)(h >> 1) | 1; }

static bool col_compared(const struct match_plan *p, int c)
{
    for (int f = 0; f < p->ncmp; f++)
        if (p->cmp_col[f] == c)
            return true;
    return false;
}

static bool any_text_compared(const struct match_plan *p)
{
    for (int c = 0; c < p->ncols; c++)
        if (p->col_text[c] && col_compared(p, c))
            return true;
    return false;
}

static bool has_digit(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return true;
    return false;
}

/* Every record's distinct words of the compared text fields, or of the
 * one column `only` (>= 0). */
static void collect_words(const struct match_plan *p, const struct recset *rs, int only,
                          struct auto_index *ix, size_t *nentries)
{
    size_t cap = 4096, n = 0;
    bool words = any_text_compared(p);

    ix->by_rec = xmalloc(cap * sizeof *ix->by_rec);
    ix->rec_start = xmalloc(((size_t)rs->n + 1) * sizeof *ix->rec_start);
    for (uint32_t i = 0; i < rs->n; i++) {
        ix->rec_start[i] = (uint32_t)n;
        size_t first = n;
        for (int c = 0; c < p->ncols; c++) {
            const char *v = rs_val(rs, i, c);
            if (v == NULL || (words && !p->col_text[c]) || !col_compared(p, c) ||
                (only >= 0 && c != only))
                continue;
            while (*v != '\0' && n - first < AUTO_MAX_WORDS) {
                size_t len = words ? strcspn(v, " ") : strlen(v);
                uint64_t h = dedup_hash(v, len, 0x5eed);
                /* the title's numbers rank no neighbours: the words do */
                bool seen = only >= 0 && has_digit(v, len);
                for (size_t k = first; k < n && !seen; k++)
                    seen = ix->by_rec[k].key == h;
                if (!seen) {
                    if (n == cap)
                        ix->by_rec = xreallocarray(ix->by_rec, cap *= 2, sizeof *ix->by_rec);
                    ix->by_rec[n++] = (struct block_entry){h, i};
                }
                v += len;
                v += *v == ' ';
            }
        }
    }
    ix->rec_start[rs->n] = (uint32_t)n;
    *nentries = n;
}

static void index_words(const struct recset *rs, struct auto_index *ix, size_t n)
{
    ix->by_word = xmalloc((n ? n : 1) * sizeof *ix->by_word);
    memcpy(ix->by_word, ix->by_rec, n * sizeof *ix->by_word);
    block_sort_entries(ix->by_word, n);
    idmap_init(&ix->word, n / 2 + 16);
    ix->post = xmalloc((n ? n : 1) * sizeof *ix->post);
    for (size_t s = 0, e; s < n; s = e) {
        for (e = s; e < n && ix->by_word[e].key == ix->by_word[s].key; e++)
            ;
        double idf = log((double)rs->n / (double)(e - s));
        ix->post[ix->npost] = (struct posting){(uint32_t)s, (uint32_t)(e - s), (float)(idf * idf)};
        idmap_put(&ix->word, word_key(ix->by_word[s].key), (uint32_t)ix->npost++);
    }
    ix->norm = xcalloc(rs->n ? rs->n : 1, sizeof *ix->norm);
    for (uint32_t i = 0; i < rs->n; i++) {
        double s = 0;
        for (uint32_t k = ix->rec_start[i]; k < ix->rec_start[i + 1]; k++) {
            uint32_t w;
            idmap_get(&ix->word, word_key(ix->by_rec[k].key), &w);
            s += ix->post[w].w2;
        }
        ix->norm[i] = (float)sqrt(s);
    }
}

static void index_free(struct auto_index *ix)
{
    free(ix->by_rec);
    free(ix->rec_start);
    free(ix->by_word);
    idmap_free(&ix->word);
    free(ix->post);
    free(ix->norm);
}

struct best {
    uint32_t j;
    float score;
};

/* Keeps the `k` best of a small sorted list (best first). */
static int best_add(struct best *b, int n, int k, uint32_t j, float score)
{
    if (n == k && (score < b[n - 1].score || (score == b[n - 1].score && j > b[n - 1].j)))
        return n;
    int at = n < k ? n++ : n - 1;
    while (at > 0 && (b[at - 1].score < score || (b[at - 1].score == score && b[at - 1].j > j))) {
        b[at] = b[at - 1];
        at--;
    }
    b[at] = (struct best){j, score};
    return n;
}

/* Pairs whose value of an identifying text field is identical (above). */
static void block_same_value(const struct match_plan *p, const struct recset *rs,
                             const uint8_t *changed, bool within_source, long max_block,
                             struct block_pairset *out)
{
    struct block_entry *e = xmalloc((rs->n ? rs->n : 1) * sizeof *e);

    for (int c = 0; c < p->ncols; c++) {
        if (!p->col_text[c] || !col_compared(p, c))
            continue;
        size_t n = 0, distinct = 0;
        for (uint32_t i = 0; i < rs->n; i++) {
            const char *v = rs_val(rs, i, c);
            if (v != NULL && *v != '\0')
                e[n++] = (struct block_entry){dedup_hash(v, strlen(v), 0x5a3e), i};
        }
        block_sort_entries(e, n);
        for (size_t s = 0; s < n; s++)
            distinct += s == 0 || e[s].key != e[s - 1].key;
        if (c != p->title_col && distinct * 2 < n)
            continue;
        for (size_t s = 0, t; s < n; s = t) {
            bool any = changed == NULL;
            for (t = s; t < n && e[t].key == e[s].key; t++)
                any = any || changed[e[t].idx];
            if (t - s < 2 || (long)(t - s) > max_block || !any)
                continue;
            for (size_t a = s; a < t; a++)
                for (size_t b = a + 1; b < t; b++)
                    if (changed == NULL || changed[e[a].idx] || changed[e[b].idx])
                        block_pair_add(out, rs, e[a].idx, e[b].idx, within_source);
        }
    }
    free(e);
}

/* Each (changed) record's AUTO_NEIGHBOURS best by the cosine of the words
 * `only` selects (collect_words), paired with it. */
static void block_neighbours(const struct match_plan *p, const struct recset *rs, int only,
                             int keep, const uint8_t *changed, bool within_source,
                             struct block_pairset *out)
{
    struct auto_index ix = {0};
    size_t n;
    uint32_t cap = (uint32_t)fmax(AUTO_MIN_CAP, 4 * sqrt((double)rs->n));
    float *acc = xcalloc(rs->n ? rs->n : 1, sizeof *acc);
    uint32_t *touched = xmalloc((rs->n ? rs->n : 1) * sizeof *touched);

    collect_words(p, rs, only, &ix, &n);
    index_words(rs, &ix, n);
    log_debug("auto blocking%s: %zu words, %zu postings, cap %u", only >= 0 ? " (title)" : "", n,
              ix.npost, cap);
    for (uint32_t i = 0; i < rs->n; i++) {
        if (changed != NULL && !changed[i])
            continue;
        uint32_t nt = 0;
        for (uint32_t k = ix.rec_start[i]; k < ix.rec_start[i + 1]; k++) {
            uint32_t w;
            idmap_get(&ix.word, word_key(ix.by_rec[k].key), &w);
            const struct posting *po = &ix.post[w];
            /* a word every record has weighs nothing (ln 1): skipped, since a
             * record is listed in `touched` once, when its score leaves 0 */
            if (po->len < 2 || po->len > cap || po->w2 <= 0)
                continue;
            for (uint32_t q = po->start; q < po->start + po->len; q++) {
                uint32_t j = ix.by_word[q].idx;
                if (j == i || (!within_source && rs->source[j] == rs->source[i]))
                    continue;
                if (acc[j] == 0)
                    touched[nt++] = j;
                acc[j] += po->w2;
            }
        }
        struct best b[AUTO_NEIGHBOURS];
        int nb = 0;
        for (uint32_t t = 0; t < nt; t++) {
            uint32_t j = touched[t];
            float score = acc[j] / (ix.norm[i] * ix.norm[j]);
            acc[j] = 0;
            nb = best_add(b, nb, keep, j, score);
        }
        for (int k = 0; k < nb; k++)
            block_pair_add(out, rs, i, b[k].j, true);
    }
    free(acc);
    free(touched);
    index_free(&ix);
}

/* Whether the title is a compared text field and others are too: then its
 * words alone rank neighbours of their own (above). */
static bool title_apart(const struct match_plan *p)
{
    int t = p->title_col;
    if (t < 0 || !p->col_text[t] || !col_compared(p, t))
        return false;
    for (int c = 0; c < p->ncols; c++)
        if (c != t && p->col_text[c] && col_compared(p, c))
            return true;
    return false;
}

uint64_t *block_auto(const struct match_plan *p, const struct recset *rs, const uint8_t *changed,
                     bool within_source, long max_block, size_t *npairs)
{
    struct block_pairset out = {0};

    block_neighbours(p, rs, -1, AUTO_NEIGHBOURS, changed, within_source, &out);
    if (title_apart(p))
        block_neighbours(p, rs, p->title_col, TITLE_NEIGHBOURS, changed, within_source, &out);
    block_same_value(p, rs, changed, within_source, max_block, &out);
    *npairs = block_pairs_unique(out.p, out.n);
    return out.p;
}

/*
 * block.c — which pairs are worth comparing.
 *
 * Every record gets one key per blocking rule (several with `tokens`): a
 * hash of the normalised parts, seeded by the rule so keys of different
 * rules never meet. The (key, record) entries are radix-sorted; each run of
 * equal keys is a block. A block up to max_block records is compared pair
 * by pair; a larger one (a common word, a popular day) is sorted by the
 * records' titles and each record compared with its next neighbours only,
 * so no key can blow up into millions of pairs. Pairs are packed into 64
 * bits (lower index high) and made unique with another radix sort. In an
 * incremental pass only the blocks holding a changed record are sorted and
 * only pairs touching a changed record are kept.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

#define NEIGHBOURS 8

void block_sort_entries(struct block_entry *a, size_t n)
{
    if (n == 0)
        return; /* no keys at all: `a` may be NULL, which memcpy must not see */
    struct block_entry *tmp = xmalloc(n * sizeof *tmp);
    size_t *count = xmalloc(65536 * sizeof *count);

    for (int shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(a[i].key >> shift) & 0xffff]++;
        for (size_t i = 0, sum = 0; i < 65536; i++) {
            size_t c = count[i];
            count[i] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[(a[i].key >> shift) & 0xffff]++] = a[i];
        memcpy(a, tmp, n * sizeof *a);
    }
    free(tmp);
    free(count);
}

void dedup_sort_u64(uint64_t *a, size_t n)
{
    if (n == 0)
        return; /* no pairs at all: `a` may be NULL, which memcpy must not see */
    uint64_t *tmp = xmalloc(n * sizeof *tmp);
    size_t *count = xmalloc(65536 * sizeof *count);

    for (int shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(a[i] >> shift) & 0xffff]++;
        for (size_t i = 0, sum = 0; i < 65536; i++) {
            size_t c = count[i];
            count[i] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[(a[i] >> shift) & 0xffff]++] = a[i];
        memcpy(a, tmp, n * sizeof *a);
    }
    free(tmp);
    free(count);
}

/* Byte length of the first `chars` characters of s. */
static size_t char_prefix(const char *s, int chars)
{
    size_t i = 0;

    while (s[i] != '\0' && chars > 0) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        chars--;
    }
    return i;
}

static size_t char_count(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The sorted words of s, joined by blanks, cut to `chars` characters. */
static void sorted_words(const char *s, int chars, struct buf *out)
{
    size_t n;
    char **words = str_split_all(s, ' ', &n); /* a title may have any number */

    qsort(words, n, sizeof *words, cmp_str);
    buf_reset(out);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            buf_addc(out, ' ');
        buf_adds(out, words[i]);
    }
    out->len = char_prefix(buf_str(out), chars);
    if (out->data)
        out->data[out->len] = '\0';
    free(words);
}

/* Hashes one part into h; false when the value is missing. */
static bool part_hash(const struct rule_part *part, const char *v, struct buf *scratch,
                      uint64_t *h)
{
    long day;
    size_t len;

    if (v == NULL)
        return false;
    switch (part->fn) {
    case BK_PREFIX:
        *h = dedup_hash(v, char_prefix(v, part->n), *h);
        return true;
    case BK_SUFFIX:
        len = char_count(v);
        v += char_prefix(v, len > (size_t)part->n ? (int)(len - (size_t)part->n) : 0);
        *h = dedup_hash(v, strlen(v), *h);
        return true;
    case BK_SORTED:
        sorted_words(v, part->n, scratch);
        *h = dedup_hash(buf_str(scratch), scratch->len, *h);
        return true;
    case BK_DAY:
    case BK_YEAR:
        if (!cmp_parse_day(v, &day))
            return false;
        if (part->fn == BK_YEAR) /* its first four digits, which cmp_parse_day checked */
            day = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
        *h = dedup_hash(&day, sizeof day, *h);
        return true;
    default:
        *h = dedup_hash(v, strlen(v), *h);
        return true;
    }
}

struct keyset {
    struct block_entry *e;
    size_t n, cap;
};

static void key_add(struct keyset *k, uint64_t key, uint32_t idx)
{
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 4096;
        k->e = xreallocarray(k->e, k->cap, sizeof *k->e);
    }
    k->e[k->n++] = (struct block_entry){key, idx};
}

/* Keys of one rule for record i; a `tokens` part yields one key per word. */
static void rule_keys(const struct block_rule *r, int ri, const struct recset *rs, uint32_t i,
                      struct buf *scratch, struct keyset *out)
{
    uint64_t h = (uint64_t)ri * 0x9E3779B97F4A7C15ULL;
    int tokens_part = -1;

    for (int k = 0; k < r->nparts; k++) {
        const char *v = rs_val(rs, i, r->parts[k].col);
        if (r->parts[k].fn == BK_TOKENS) {
            if (v == NULL)
                return;
            tokens_part = k;
        } else if (!part_hash(&r->parts[k], v, scratch, &h)) {
            return;
        }
    }
    if (tokens_part < 0) {
        key_add(out, h, i);
        return;
    }
    const char *v = rs_val(rs, i, r->parts[tokens_part].col);
    while (*v != '\0') {
        size_t len = strcspn(v, " ");
        key_add(out, dedup_hash(v, len, h), i);
        v += len;
        v += *v == ' ';
    }
}

void block_pair_add(struct block_pairset *ps, const struct recset *rs, uint32_t a, uint32_t b,
                    bool within_source)
{
    if (a == b || (!within_source && rs->source[a] == rs->source[b]))
        return;
    if (a > b) {
        uint32_t t = a;
        a = b, b = t;
    }
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 4096;
        ps->p = xreallocarray(ps->p, ps->cap, sizeof *ps->p);
    }
    ps->p[ps->n++] = (uint64_t)a << 32 | b;
}

/* Record order by title (the first compared field), for big blocks. */
static const struct recset *rank_rs;
static int rank_col;
static int cmp_by_value(const void *x, const void *y)
{
    uint32_t ia = ((const struct block_entry *)x)->idx, ib = ((const struct block_entry *)y)->idx;
    const char *a = rs_val(rank_rs, ia, rank_col), *b = rs_val(rank_rs, ib, rank_col);
    int c = strcmp(a ? a : "", b ? b : "");
    /* equal titles by record order: the same neighbours on every pass */
    return c != 0 ? c : (ia > ib) - (ia < ib);
}

/* The first 8 bytes of s, zero-padded, as a number that orders like
 * strcmp: the radix sort does most of the ordering by title. */
static uint64_t title_prefix(const char *s)
{
    uint64_t k = 0;
    bool ended = false;

    for (int i = 0; i < 8; i++) {
        unsigned char c = ended ? 0 : (unsigned char)s[i];
        ended = c == 0;
        k = k << 8 | c;
    }
    return k;
}

/* Each record's place in title order: sorted by the titles' first 8 bytes
 * (stable, so in record order within), then runs of equal 8 bytes that go
 * on are sorted by the whole title; a run whose bytes end within the 8
 * holds one title and is in order already. */
static uint32_t *make_rank(const struct recset *rs, int col)
{
    struct block_entry *order = xmalloc((rs->n ? rs->n : 1) * sizeof *order);
    uint32_t *rank = xmalloc((rs->n ? rs->n : 1) * sizeof *rank);

    for (uint32_t i = 0; i < rs->n; i++) {
        const char *v = rs_val(rs, i, col);
        order[i] = (struct block_entry){title_prefix(v ? v : ""), i};
    }
    block_sort_entries(order, rs->n);
    rank_rs = rs;
    rank_col = col;
    for (uint32_t s = 0, e; s < rs->n; s = e) {
        for (e = s + 1; e < rs->n && order[e].key == order[s].key; e++)
            ;
        if (e - s > 1 && (order[s].key & 0xff) != 0)
            qsort(order + s, e - s, sizeof *order, cmp_by_value);
    }
    for (uint32_t i = 0; i < rs->n; i++)
        rank[order[i].idx] = i;
    free(order);
    return rank;
}

static const uint32_t *sort_rank;
static int cmp_by_rank(const void *x, const void *y)
{
    uint32_t a = sort_rank[((const struct block_entry *)x)->idx];
    uint32_t b = sort_rank[((const struct block_entry *)y)->idx];
    return a < b ? -1 : a > b;
}

static void block_emit(const struct match_plan *p, const struct recset *rs, struct block_entry *blk,
                       size_t n, const uint8_t *changed, bool within_source, long max_block,
                       uint32_t **rank, struct block_pairset *ps)
{
    size_t window = n - 1;

    if ((long)n > max_block) {
        if (*rank == NULL)
            *rank = make_rank(rs, p->cmp_col[0]);
        sort_rank = *rank;
        qsort(blk, n, sizeof *blk, cmp_by_rank);
        window = NEIGHBOURS;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n && j <= i + window; j++)
            if (changed == NULL || changed[blk[i].idx] || changed[blk[j].idx])
                block_pair_add(ps, rs, blk[i].idx, blk[j].idx, within_source);
}

/* An incremental pass emits only blocks that hold a changed record: the
 * entries of every other key are dropped before the sort, which then puts
 * in order the changed records' blocks rather than every record's keys.
 * The entries kept stay in record order, as the sort (stable) leaves
 * equal keys, so each block is the same as when all were sorted. */
static void keep_changed_blocks(struct keyset *k, const uint8_t *changed)
{
    struct idmap wanted; /* its 0 marks a free slot, so key 0 is held apart */
    bool want_zero = false;
    size_t n = 0, kept = 0;
    uint32_t unused;

    for (size_t i = 0; i < k->n; i++)
        n += changed[k->e[i].idx];
    idmap_init(&wanted, n);
    for (size_t i = 0; i < k->n; i++)
        if (changed[k->e[i].idx]) {
            if (k->e[i].key == 0)
                want_zero = true;
            else
                idmap_put(&wanted, (int64_t)k->e[i].key, 0);
        }
    for (size_t i = 0; i < k->n; i++)
        if (k->e[i].key == 0 ? want_zero : idmap_get(&wanted, (int64_t)k->e[i].key, &unused))
            k->e[kept++] = k->e[i];
    k->n = kept;
    idmap_free(&wanted);
}

uint64_t *block_pairs(const struct match_plan *p, const struct recset *rs, const uint8_t *changed,
                      bool within_source, long max_block, size_t *npairs)
{
    if (max_block < 2)
        max_block = 100;
    if (p->nrules == 0)
        return block_auto(p, rs, changed, within_source, max_block, npairs);
    struct keyset keys = {0};
    struct block_pairset ps = {0};
    struct buf scratch = BUF_INIT;
    uint32_t *rank = NULL;

    keys.cap = (size_t)rs->n * (size_t)p->nrules + 1; /* one key per rule, more with tokens */
    keys.e = xreallocarray(NULL, keys.cap, sizeof *keys.e);
    for (uint32_t i = 0; i < rs->n; i++)
        for (int r = 0; r < p->nrules; r++)
            rule_keys(&p->rules[r], r, rs, i, &scratch, &keys);
    buf_free(&scratch);
    if (changed != NULL)
        keep_changed_blocks(&keys, changed);
    block_sort_entries(keys.e, keys.n);
    for (size_t s = 0, e; s < keys.n; s = e) {
        bool any = changed == NULL;
        for (e = s; e < keys.n && keys.e[e].key == keys.e[s].key; e++)
            any = any || changed[keys.e[e].idx];
        if (e - s >= 2 && any)
            block_emit(p, rs, keys.e + s, e - s, changed, within_source, max_block, &rank,
                       &ps);
    }
    free(keys.e);
    free(rank);
    *npairs = block_pairs_unique(ps.p, ps.n);
    return ps.p;
}

size_t block_pairs_unique(uint64_t *pairs, size_t n)
{
    size_t k = 0;

    dedup_sort_u64(pairs, n);
    for (size_t i = 0; i < n; i++)
        if (k == 0 || pairs[k - 1] != pairs[i])
            pairs[k++] = pairs[i];
    return k;
}

/*
 * pairs.c — comparing two records: levels per comparison, the match
 * weight, and the explanation stored with a candidate.
 *
 * A field's weight is its level's log2(m/u), slid toward the neighbouring
 * level's by where the pair lies in its level's band: the level's weight
 * holds at the middle of the band, and halfway to the neighbour's at its
 * edge (where the neighbour's weight is in order: higher above, lower
 * below). The weight is so continuous in the similarity (ranking needs that:
 * without it every pair of one level pattern ties) while EM still counts
 * levels.
 *
 * Term-frequency adjustment: agreeing on a rare value ("Zyskowski") is
 * stronger evidence than agreeing on a common one ("Smith"). For an
 * identical value the weight moves by log2(mean / tf(value)), where mean is
 * the frequency of the value two agreeing records typically share
 * (sum c^2 / (n sum c)), so the adjustment averages to zero over agreeing
 * pairs and duplicates in the data do not bias it; capped at ±5 bits so
 * one field cannot decide alone.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

#define TF_CAP 5.0

struct tf_table {
    struct idmap counts[FS_MAX_FIELDS]; /* value hash -> records holding it */
    double mean_tf[FS_MAX_FIELDS];
    bool on[FS_MAX_FIELDS];
    uint32_t n;
};

static bool tf_applies(const struct comparison *c)
{
    return c->kind != CMP_NUMERIC && c->kind != CMP_DATE && c->kind != CMP_RELATIVE &&
           c->kind != CMP_NUMBERS && c->kind != CMP_VARIANTS;
}

static int64_t value_key(const char *v) { return (int64_t)(dedup_hash(v, strlen(v), 0) >> 1) | 1; }

/* The count of `key` among the n sorted keys (0 when absent). */
static uint32_t count_of(const uint64_t *keys, size_t n, uint64_t key)
{
    size_t lo = 0, hi = n;

    while (lo < hi) { /* first key >= key */
        size_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < n && keys[end] == key)
        end++;
    return (uint32_t)(end - lo);
}

/* One field: the values' hashes sorted, so that equal values are runs. An
 * incremental pass looks up only its changed records' values. */
static void tf_count(struct tf_table *tf, int f, int col, const struct recset *rs,
                     const uint8_t *changed)
{
    uint64_t *keys = xmalloc((rs->n ? rs->n : 1) * sizeof *keys);
    size_t n = 0, nchanged = 0;
    double sum2 = 0;

    for (uint32_t i = 0; i < rs->n; i++) {
        const char *v = rs_val(rs, i, col);
        if (v != NULL) {
            keys[n++] = (uint64_t)value_key(v);
            nchanged += changed != NULL && changed[i];
        }
    }
    dedup_sort_u64(keys, n);
    idmap_init(&tf->counts[f], changed != NULL ? nchanged : n);
    for (size_t s = 0, e; s < n; s = e) {
        for (e = s + 1; e < n && keys[e] == keys[s]; e++)
            ;
        sum2 += (double)(e - s) * (double)(e - s);
        if (changed == NULL)
            idmap_put(&tf->counts[f], (int64_t)keys[s], (uint32_t)(e - s));
    }
    for (uint32_t i = 0; changed != NULL && i < rs->n; i++) {
        const char *v = rs_val(rs, i, col);
        if (!changed[i] || v == NULL)
            continue;
        int64_t key = value_key(v);
        idmap_put(&tf->counts[f], key, count_of(keys, n, (uint64_t)key));
    }
    tf->mean_tf[f] = n > 0 ? sum2 / ((double)n * rs->n) : 0;
    free(keys);
}

struct tf_table *tf_build(const struct match_plan *p, const struct recset *rs,
                          const uint8_t *changed)
{
    struct tf_table *tf = xcalloc(1, sizeof *tf);

    tf->n = rs->n;
    for (int f = 0; f < p->ncmp; f++) {
        if (!tf_applies(&p->cmps[f]))
            continue;
        tf->on[f] = true;
        tf_count(tf, f, p->cmp_col[f], rs, changed);
    }
    return tf;
}

void tf_free(struct tf_table *tf)
{
    if (tf == NULL)
        return;
    for (int f = 0; f < FS_MAX_FIELDS; f++)
        if (tf->on[f])
            idmap_free(&tf->counts[f]);
    free(tf);
}

/* The change in weight for agreeing on value v of field f. */
static double tf_adjust(const struct tf_table *tf, int f, const char *v)
{
    uint32_t c = 0;

    if (!tf->on[f] || v == NULL || tf->n == 0 || tf->mean_tf[f] <= 0)
        return 0;
    idmap_get(&tf->counts[f], value_key(v), &c);
    double freq = (double)(c > 0 ? c : 1) / tf->n;
    double adj = log2(tf->mean_tf[f] / freq);
    return adj > TF_CAP ? TF_CAP : adj < -TF_CAP ? -TF_CAP : adj;
}

/* Only the comparisons of words read the word vectors: for the others the
 * load would be a cache miss per pair for nothing (levels.c). */
static bool reads_words(enum cmp_kind kind)
{
    return kind == CMP_TEXT || kind == CMP_NUMBERS || kind == CMP_VARIANTS;
}

static struct cmp_values values(const struct match_plan *p, const struct recset *rs, int f,
                                uint32_t a, uint32_t b)
{
    int col = p->cmp_col[f];
    size_t ia = (size_t)a * (size_t)rs->ncols + (size_t)col,
           ib = (size_t)b * (size_t)rs->ncols + (size_t)col;
    bool words = rs->tv != NULL && reads_words(p->cmps[f].kind);
    struct cmp_values v = {.a = rs->val[ia], .b = rs->val[ib], .ta = words ? rs->tv[ia] : NULL,
                           .tb = words ? rs->tv[ib] : NULL, .rare_codes = !rs->codes_apart};

    if (words && p->cmps[f].kind == CMP_NUMBERS && rs->ncode_cols > 0) {
        v.row_a = rs->tv + (size_t)a * (size_t)rs->ncols;
        v.row_b = rs->tv + (size_t)b * (size_t)rs->ncols;
        v.code_col = rs->code_col;
        v.ncode_cols = rs->ncode_cols;
    }
    return v;
}

void pair_levels(const struct match_plan *p, const struct recset *rs, uint32_t a, uint32_t b,
                 uint8_t *levels, uint8_t *fracs)
{
    double sim;

    for (int f = 0; f < p->ncmp; f++) {
        struct cmp_values v = values(p, rs, f, a, b);
        levels[f] = (uint8_t)comparison_level(&p->cmps[f], &v, &sim, &fracs[f]);
    }
}

double field_weight(const struct match_plan *p, const struct fs_model *fs,
                    const struct tf_table *tf, const struct recset *rs, uint32_t a, int f,
                    int level, uint8_t frac)
{
    int top = p->cmps[f].nlevels - 1;
    double w = fs_level_weight(fs, f, level);

    if (level == LEVEL_MISSING)
        return 0;
    if (level == top)
        return tf != NULL ? w + tf_adjust(tf, f, rs_val(rs, a, p->cmp_col[f])) : w;
    /* slide only where the weights rise with similarity: between levels
     * EM found out of order, the level's own weight is all there is */
    double t = frac / 255.0 - 0.5, up = fs_level_weight(fs, f, level + 1);
    if (t > 0 && up > w)
        return w + t * (up - w);
    if (t < 0 && level > LEVEL_DISAGREE) {
        double down = fs_level_weight(fs, f, level - 1);
        if (down < w)
            return w + t * (w - down);
    }
    return w;
}

double pair_weight(const struct match_plan *p, const struct fs_model *fs,
                   const struct tf_table *tf, const struct recset *rs, uint32_t a,
                   const uint8_t *levels, const uint8_t *fracs)
{
    double w = fs_prior_weight(fs);

    for (int f = 0; f < p->ncmp; f++)
        w += field_weight(p, fs, tf, rs, a, f, levels[f], fracs[f]);
    return w;
}

/* A date known only to its year or month (dates.c) is compared as "2003"
 * or "2003-05": the explanation shows it so, or a year would seem to be
 * "within 366 days" of a day 396 days after its 1 January. */
static void explain_dates_read(struct buf *json, const struct cmp_values *v)
{
    const char *side[] = {v->a, v->b}, *key[] = {"read_a", "read_b"};

    for (int i = 0; i < 2; i++)
        if (side[i] != NULL && strlen(side[i]) <= 7) {
            buf_printf(json, ",\"%s\":", key[i]);
            buf_add_json_str(json, side[i], strlen(side[i]));
        }
}

double pair_explain(const struct match_plan *p, const struct fs_model *fs,
                    const struct tf_table *tf, const struct recset *rs, uint32_t a, uint32_t b,
                    double one_to_one, struct buf *json)
{
    double pos = 0, neg = one_to_one < 0 ? -one_to_one : 0;

    buf_addc(json, '{');
    for (int f = 0; f < p->ncmp; f++) {
        double sim;
        uint8_t frac;
        const struct comparison *c = &p->cmps[f];
        struct cmp_values v = values(p, rs, f, a, b);
        int level = comparison_level(c, &v, &sim, &frac);
        if (f > 0)
            buf_addc(json, ',');
        const char *name = comparison_name(c);
        buf_add_json_str(json, name, strlen(name));
        buf_printf(json, ":{\"comparator\":\"%s\",\"level\":%d,\"label\":", cmp_kind_name(c->kind),
                   level);
        const char *label = comparison_level_label(c, level);
        buf_add_json_str(json, label, strlen(label));
        if (sim >= 0)
            buf_printf(json, ",\"similarity\":%.3f", sim);
        else
            buf_adds(json, ",\"similarity\":null");
        if (c->kind == CMP_DATE)
            explain_dates_read(json, &v);
        double w = field_weight(p, fs, tf, rs, a, f, level, frac);
        buf_printf(json, ",\"weight\":%.3f}", w);
        if (w > 0)
            pos += w;
        else
            neg -= w;
    }
    if (one_to_one != 0)
        buf_printf(json, ",\"" ONE_TO_ONE_KEY "\":{\"comparator\":\"one-to-one\",\"level\":null,"
                   "\"label\":\"rival candidates\",\"similarity\":null,\"weight\":%.3f}",
                   one_to_one);
    buf_addc(json, '}');
    return pos < neg ? pos : neg;
}

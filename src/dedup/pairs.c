/*
 * pairs.c — comparing two records: levels per comparison, the match
 * weight, and the explanation stored with a candidate.
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

struct tf_field {
    uint64_t *keys;
    uint32_t *counts;
    size_t mask;
    double mean_tf;
};

struct tf_table {
    struct tf_field f[FS_MAX_FIELDS];
    int nfields;
    uint32_t n;
};

static bool tf_applies(const struct comparison *c)
{
    return c->kind != CMP_NUMERIC && c->kind != CMP_DATE;
}

static uint32_t *tf_slot(struct tf_field *f, uint64_t h, bool insert)
{
    size_t i = (size_t)h & f->mask;

    while (f->keys[i] != 0 && f->keys[i] != h)
        i = (i + 1) & f->mask;
    if (f->keys[i] == 0) {
        if (!insert)
            return NULL;
        f->keys[i] = h;
        f->counts[i] = 0;
    }
    return &f->counts[i];
}

struct tf_table *tf_build(const struct match_plan *p, const struct recset *rs)
{
    struct tf_table *tf = xcalloc(1, sizeof *tf);
    size_t cap = 16;

    while (cap < (size_t)rs->n * 2)
        cap *= 2;
    tf->nfields = p->ncmp;
    tf->n = rs->n;
    for (int f = 0; f < p->ncmp; f++) {
        if (!tf_applies(&p->cmps[f]))
            continue;
        struct tf_field *t = &tf->f[f];
        t->keys = xcalloc(cap, sizeof *t->keys);
        t->counts = xmalloc(cap * sizeof *t->counts);
        t->mask = cap - 1;
        double sum = 0, sum2 = 0;
        for (uint32_t i = 0; i < rs->n; i++) {
            const char *v = rs_val(rs, i, p->cmp_col[f]);
            if (v != NULL) {
                uint32_t *c = tf_slot(t, dedup_hash(v, strlen(v), 0) | 1, true);
                sum2 += 2.0 * *c + 1; /* (c+1)^2 - c^2 */
                sum += 1;
                (*c)++;
            }
        }
        t->mean_tf = sum > 0 ? sum2 / (sum * rs->n) : 0;
    }
    return tf;
}

void tf_free(struct tf_table *tf)
{
    if (tf == NULL)
        return;
    for (int f = 0; f < tf->nfields; f++) {
        free(tf->f[f].keys);
        free(tf->f[f].counts);
    }
    free(tf);
}

/* The change in weight for agreeing on value v of field f. */
static double tf_adjust(const struct tf_table *tf, int f, const char *v)
{
    const struct tf_field *t = &tf->f[f];

    if (t->keys == NULL || v == NULL || tf->n == 0)
        return 0;
    uint32_t *c = tf_slot((struct tf_field *)t, dedup_hash(v, strlen(v), 0) | 1, false);
    double freq = c != NULL && *c > 0 ? (double)*c / tf->n : 1.0 / tf->n;
    double adj = t->mean_tf > 0 ? log2(t->mean_tf / freq) : 0;
    return adj > TF_CAP ? TF_CAP : adj < -TF_CAP ? -TF_CAP : adj;
}

void pair_levels(const struct match_plan *p, const struct recset *rs, uint32_t a, uint32_t b,
                 uint8_t *levels)
{
    double sim;

    for (int f = 0; f < p->ncmp; f++)
        levels[f] = (uint8_t)comparison_level(&p->cmps[f], rs_val(rs, a, p->cmp_col[f]),
                                              rs_val(rs, b, p->cmp_col[f]), &sim);
}

static double field_weight(const struct match_plan *p, const struct fs_model *fs,
                           const struct tf_table *tf, const struct recset *rs, uint32_t a, int f,
                           int level)
{
    double w = fs_level_weight(fs, f, level);

    if (tf != NULL && level == p->cmps[f].nlevels - 1)
        w += tf_adjust(tf, f, rs_val(rs, a, p->cmp_col[f]));
    return w;
}

double pair_weight(const struct match_plan *p, const struct fs_model *fs,
                   const struct tf_table *tf, const struct recset *rs, uint32_t a,
                   const uint8_t *levels)
{
    double w = fs_prior_weight(fs);

    for (int f = 0; f < p->ncmp; f++)
        w += field_weight(p, fs, tf, rs, a, f, levels[f]);
    return w;
}

void pair_explain(const struct match_plan *p, const struct fs_model *fs,
                  const struct tf_table *tf, const struct recset *rs, uint32_t a, uint32_t b,
                  struct buf *json)
{
    buf_addc(json, '{');
    for (int f = 0; f < p->ncmp; f++) {
        double sim;
        const struct comparison *c = &p->cmps[f];
        int level = comparison_level(c, rs_val(rs, a, p->cmp_col[f]),
                                     rs_val(rs, b, p->cmp_col[f]), &sim);
        if (f > 0)
            buf_addc(json, ',');
        buf_add_json_str(json, c->field, strlen(c->field));
        buf_printf(json, ":{\"comparator\":\"%s\",\"level\":%d,\"label\":", cmp_kind_name(c->kind),
                   level);
        const char *label = comparison_level_label(c, level);
        buf_add_json_str(json, label, strlen(label));
        if (sim >= 0)
            buf_printf(json, ",\"similarity\":%.3f", sim);
        else
            buf_adds(json, ",\"similarity\":null");
        buf_printf(json, ",\"weight\":%.3f}", field_weight(p, fs, tf, rs, a, f, level));
    }
    buf_addc(json, '}');
}

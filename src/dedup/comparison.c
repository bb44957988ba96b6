/*
 * comparison.c — from a comparator to comparison levels.
 *
 * Fellegi–Sunter needs discrete outcomes: each comparison yields a level,
 * 0 when either value is missing (no evidence either way, weight 0), 1 for
 * disagreement, then rising agreement up to the top level, "identical".
 * String similarities are cut at thresholds per comparator; numbers and
 * dates by distances (compare.published_at = date:3 means "within 3 days"
 * is one level, "within 9 days" the next one down; a date known only to
 * its year or month is compared by year or month, compare.c; `relative`
 * compares numbers by their relative difference).
 *
 * The numbers inside the title (CMP_NUMBERS, text.c) have levels of their
 * own: other numbers, some differ, one adds numbers, the same numbers, a
 * rare code shared, one record's code field in the other's title (a model
 * number one shop gives in its field and the other only in its title); so
 * have its variant words (CMP_VARIANTS): other ones, one adds some, the
 * same ones.
 *
 * `relative` compares the difference of two numbers to their size:
 * 95 against 100 is 5% apart, as 950 against 1000. That holds for amounts
 * (prices, weights, counts) and not for values measured from an arbitrary
 * origin, years above all: 1998 and 1999 are 0.05% apart, 1994 and 2003
 * 0.45%, both "within 5%". Where a field's values sit farther from zero
 * than they spread (the middle 90% of them span less than their low end,
 * as years do and prices, sizes and episode numbers do not), a difference
 * is a share of that span instead (comparison_spans, from the working
 * set's values, so a full and an incremental pass agree): years spanning
 * 1960–2010, one apart is 2%, nine apart 18%.
 *
 * Besides its level, a comparison says where in its level's band the pair
 * lies (0 at the band's weak end, 255 at its strong end): scoring slides
 * the weight between neighbouring levels with it (pairs.c), so two pairs a
 * little apart in similarity do not tie on one weight.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

/* values a field needs before its spread tells a span (comparison_spans) */
#define SPAN_MIN_VALUES 20

/* Similarity cut points of the middle levels, lowest first. */
static const struct {
    enum cmp_kind kind;
    int ncuts;
    double cut[CMP_MAX_CUTS];
} sim_cuts[] = {
    {CMP_JARO_WINKLER, 3, {0.80, 0.88, 0.94}},
    {CMP_LEVENSHTEIN, 3, {0.60, 0.75, 0.88}},
    {CMP_JACCARD, 3, {0.30, 0.55, 0.80}},
    {CMP_QGRAM, 3, {0.45, 0.65, 0.85}},
    {CMP_TEXT, 4, {0.25, 0.45, 0.65, 0.85}},
};

const char *cmp_kind_name(enum cmp_kind kind)
{
    return kind == CMP_NUMBERS    ? "numbers"
           : kind == CMP_VARIANTS ? "variants"
                                  : match_comparators[kind];
}

const char *comparison_name(const struct comparison *c) { return c->name; }

static bool is_distance(enum cmp_kind kind)
{
    return kind == CMP_NUMERIC || kind == CMP_DATE || kind == CMP_RELATIVE;
}

void comparison_init(struct comparison *c, const char *field, enum cmp_kind kind,
                     double tolerance)
{
    memset(c, 0, sizeof *c);
    c->field = field;
    c->kind = kind;
    c->tolerance = tolerance;
    /* the title's two parts name two keys of a candidate's fields (pairs.c) */
    if (kind == CMP_NUMBERS || kind == CMP_VARIANTS)
        snprintf(c->name, sizeof c->name, "%s (%s)", field,
                 kind == CMP_NUMBERS ? "numbers" : "variant words");
    else
        snprintf(c->name, sizeof c->name, "%s", field);
    switch (kind) {
    case CMP_EXACT: break;
    /* some differ, added, the same, a rare code; one's code field in the
     * other's title above them */
    case CMP_NUMBERS: c->ncuts = 4; break;
    case CMP_VARIANTS: c->ncuts = 1; break; /* one: a variant word added */
    case CMP_NUMERIC:
    case CMP_DATE:
        c->tolerance = tolerance > 0 ? tolerance : 1;
        c->ncuts = 2;
        c->cut[0] = c->tolerance;
        c->cut[1] = 3 * c->tolerance;
        break;
    case CMP_RELATIVE:
        c->tolerance = tolerance > 0 ? tolerance : 0.05;
        c->ncuts = 2;
        c->cut[0] = c->tolerance;
        c->cut[1] = 5 * c->tolerance;
        break;
    default:
        for (size_t i = 0; i < ARRAY_SIZE(sim_cuts); i++)
            if (sim_cuts[i].kind == kind) {
                c->ncuts = sim_cuts[i].ncuts;
                memcpy(c->cut, sim_cuts[i].cut, sizeof c->cut);
            }
        if (kind == CMP_QGRAM && c->tolerance < 1)
            c->tolerance = 2;
        break;
    }
    c->nlevels = c->ncuts + 3;
}

int comparison_parse(struct comparison *c, const struct match_field *mf, struct err *err)
{
    /* the comparator's name, then its tolerance after a colon, read whole */
    size_t len = strcspn(mf->comparator, ":");
    const char *colon = mf->comparator[len] == ':' ? mf->comparator + len + 1 : NULL;
    double tol = 0;

    for (int i = 0; match_comparators[i] != NULL; i++) {
        if (strlen(match_comparators[i]) != len ||
            strncmp(mf->comparator, match_comparators[i], len) != 0)
            continue;
        if (colon != NULL && (!parse_double(colon, &tol) || tol < 0))
            break;
        comparison_init(c, mf->field, (enum cmp_kind)i, tol);
        return 0;
    }
    /* config_load checked both; a configuration built by hand may not be */
    return err_code(err, EXIT_USAGE, "[matching] compare.%s: '%s' is not a comparator[:tolerance]",
                    mf->field, mf->comparator);
}

/* Level and band position of a similarity. */
static int level_from_sim(const struct comparison *c, double sim, uint8_t *frac)
{
    int k = c->ncuts - 1;

    while (k >= 0 && sim < c->cut[k])
        k--;
    double lo = k >= 0 ? c->cut[k] : 0, hi = k + 1 < c->ncuts ? c->cut[k + 1] : 1;
    double f = hi > lo ? (sim - lo) / (hi - lo) : 0;
    *frac = (uint8_t)lround(255 * (f < 0 ? 0 : f > 1 ? 1 : f));
    return k + 2;
}

/* Level and band position of a distance (cut[0] the tightest). */
static int level_from_distance(const struct comparison *c, double dist, uint8_t *frac)
{
    int k = 0;

    if (dist == 0) {
        *frac = 255;
        return c->nlevels - 1;
    }
    while (k < c->ncuts && dist > c->cut[k])
        k++;
    /* k = 0: within the tightest cut (the top band below identity) */
    double lo = k > 0 ? c->cut[k - 1] : 0, hi = k < c->ncuts ? c->cut[k] : lo;
    double f = hi > lo ? (hi - dist) / (hi - lo) : 0;
    *frac = (uint8_t)lround(255 * (f < 0 ? 0 : f > 1 ? 1 : f));
    return c->ncuts - k + 1;
}

static bool parse_number(const char *s, double *x)
{
    return parse_double(s, x) && isfinite(*x);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* The span of a column's values where they sit farther from zero than
 * they spread (the 5th to the 95th percentile narrower than the 5th is
 * high), else 0. Too few values say nothing of the field: 0. */
static double column_span(const struct recset *rs, int col)
{
    double *x = xmalloc((rs->n ? rs->n : 1) * sizeof *x);
    size_t n = 0;

    for (uint32_t i = 0; i < rs->n; i++) {
        const char *v = rs_val(rs, i, col);
        if (v != NULL && parse_number(v, &x[n]))
            n++;
    }
    double span = 0;
    if (n >= SPAN_MIN_VALUES) {
        qsort(x, n, sizeof *x, cmp_double);
        double lo = x[n / 20], hi = x[n - 1 - n / 20];
        if (lo > 0 && hi > lo && hi - lo < lo)
            span = hi - lo;
    }
    free(x);
    return span;
}

void comparison_spans(struct match_plan *p, const struct recset *rs)
{
    for (int f = 0; f < p->ncmp; f++)
        if (p->cmps[f].kind == CMP_RELATIVE)
            p->cmps[f].span = column_span(rs, p->cmp_col[f]);
}

/* Whether a code one record gives in a field of codes is in the other's
 * title, that field empty there (text_code_in_title). */
static bool code_field_in_title(const struct cmp_values *v)
{
    if (v->row_a == NULL || v->row_b == NULL)
        return false;
    for (int k = 0; k < v->ncode_cols; k++)
        if (text_code_in_title(v->ta, v->tb, v->row_a[v->code_col[k]], v->row_b[v->code_col[k]]))
            return true;
    return false;
}

int comparison_level(const struct comparison *c, const struct cmp_values *v, double *sim,
                     uint8_t *frac)
{
    const char *a = v->a, *b = v->b;

    *sim = -1;
    *frac = 0;
    if (a == NULL || b == NULL || *a == '\0' || *b == '\0')
        return LEVEL_MISSING;
    if (c->kind == CMP_NUMBERS && code_field_in_title(v)) {
        *frac = 255;
        return NUMBERS_CODE_FIELD;
    }
    if (c->kind == CMP_NUMBERS || c->kind == CMP_VARIANTS) {
        int level = c->kind == CMP_NUMBERS ? text_numbers_level(v->ta, v->tb, v->rare_codes)
                                           : text_variants_level(v->ta, v->tb);
        *frac = level == c->nlevels - 1 ? 255 : 128; /* no band: a level is all there is */
        return level;
    }
    if (is_distance(c->kind)) {
        double x, y, d;
        bool period_agrees = false;
        bool ok = c->kind == CMP_DATE ? cmp_date_distance(a, b, &d, &period_agrees)
                                      : parse_number(a, &x) && parse_number(b, &y);
        if (!ok) {
            *sim = strcmp(a, b) == 0; /* unparsable: equal or not */
            *frac = *sim == 1 ? 255 : 0;
            return *sim == 1 ? c->nlevels - 1 : LEVEL_DISAGREE;
        }
        if (period_agrees && d > c->cut[c->ncuts - 1])
            return LEVEL_MISSING; /* the year (month) agrees, and no level is as coarse */
        if (c->kind == CMP_NUMERIC)
            d = fabs(x - y);
        else if (c->kind == CMP_RELATIVE)
            d = fabs(x - y) / (c->span > 0 ? c->span : fmax(fabs(x), fabs(y))); /* 0 when both are 0 */
        if (!isfinite(d))
            d = 0;
        *sim = 1.0 / (1.0 + d / c->tolerance);
        return level_from_distance(c, d, frac);
    }
    if (strcmp(a, b) == 0) {
        *sim = 1;
        *frac = 255;
        return c->nlevels - 1;
    }
    switch (c->kind) {
    case CMP_JARO_WINKLER: *sim = cmp_jaro_winkler(a, b); break;
    case CMP_LEVENSHTEIN: *sim = cmp_levenshtein(a, b); break;
    case CMP_JACCARD: *sim = cmp_jaccard(a, b); break;
    case CMP_QGRAM: *sim = cmp_qgram(a, b, (int)c->tolerance); break;
    case CMP_TEXT: *sim = text_similarity(v->ta, v->tb, c->numbers_apart); break;
    default: *sim = 0; return LEVEL_DISAGREE;
    }
    return level_from_sim(c, *sim, frac);
}

const char *comparison_level_label(const struct comparison *c, int level)
{
    static _Thread_local char label[64];
    static const char *const numbers[] = {"missing", "other numbers", "some numbers differ",
                                          "numbers added", "the same numbers",
                                          "a rare code shared",
                                          "one's code field in the other's title"};

    static const char *const variants[] = {"missing", "other variant words",
                                           "a variant word added", "the same variant words"};

    if (c->kind == CMP_NUMBERS && level >= 0 && level < (int)ARRAY_SIZE(numbers))
        return numbers[level];
    if (c->kind == CMP_VARIANTS && level >= 0 && level < (int)ARRAY_SIZE(variants))
        return variants[level];
    if (level == LEVEL_MISSING)
        return "missing";
    if (level == c->nlevels - 1)
        return "identical";
    if (level == LEVEL_DISAGREE)
        return "different";
    if (is_distance(c->kind)) {
        double d = c->cut[c->ncuts - level + 1];
        if (c->kind == CMP_RELATIVE)
            snprintf(label, sizeof label, "within %g%%%s", 100 * d,
                     c->span > 0 ? " of the field's span" : "");
        else
            snprintf(label, sizeof label, "within %g%s", d,
                     c->kind != CMP_DATE ? "" : d == 1 ? " day" : " days");
        return label;
    }
    snprintf(label, sizeof label, "similar >= %.2f", c->cut[level - 2]);
    return label;
}

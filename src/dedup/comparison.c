/*
 * comparison.c — from a configured comparator to comparison levels.
 *
 * Fellegi–Sunter needs discrete outcomes: each comparison yields a level,
 * 0 when either value is missing (no evidence either way, weight 0), 1 for
 * disagreement, then rising agreement up to the top level, "identical".
 * String similarities are cut at thresholds per comparator; numbers and
 * dates by multiples of the tolerance (compare.published_at = date:3 means
 * "within 3 days" is one level, "within 9 days" the next one down).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

static const char *const kind_names[] = {"exact", "jaro_winkler", "levenshtein", "jaccard",
                                         "qgram", "numeric", "date"};

/* Similarity cut points of the middle levels, lowest first. */
static const double cuts[][3] = {
    [CMP_JARO_WINKLER] = {0.80, 0.88, 0.94},
    [CMP_LEVENSHTEIN] = {0.60, 0.75, 0.88},
    [CMP_JACCARD] = {0.30, 0.55, 0.80},
    [CMP_QGRAM] = {0.45, 0.65, 0.85},
};

const char *cmp_kind_name(enum cmp_kind kind) { return kind_names[kind]; }

int comparison_parse(struct comparison *c, const struct match_field *mf, struct err *err)
{
    char name[64];
    char *colon;

    snprintf(name, sizeof name, "%s", mf->comparator);
    colon = strchr(name, ':');
    if (colon != NULL)
        *colon++ = '\0';
    memset(c, 0, sizeof *c);
    c->field = mf->field;
    for (size_t i = 0; i < ARRAY_SIZE(kind_names); i++)
        if (strcmp(name, kind_names[i]) == 0)
            c->kind = (enum cmp_kind)i, c->nlevels = 1;
    if (c->nlevels == 0)
        return err_code(err, EXIT_USAGE, "[matching] compare.%s: unknown comparator '%s'",
                        mf->field, name);
    if (colon != NULL && (!parse_double(colon, &c->tolerance) || c->tolerance < 0))
        return err_code(err, EXIT_USAGE, "[matching] compare.%s: tolerance '%s' is not a "
                        "non-negative number", mf->field, colon);
    switch (c->kind) {
    case CMP_EXACT: c->nlevels = 3; break;
    case CMP_NUMERIC:
    case CMP_DATE:
        c->nlevels = 5;
        if (colon == NULL)
            c->tolerance = 1;
        break;
    case CMP_QGRAM:
        if (colon == NULL || c->tolerance < 1)
            c->tolerance = 2;
        c->nlevels = 6;
        break;
    default: c->nlevels = 6; break;
    }
    return 0;
}

static int level_from_sim(const struct comparison *c, double sim)
{
    const double *cut = cuts[c->kind];

    if (sim >= cut[2])
        return 4;
    if (sim >= cut[1])
        return 3;
    return sim >= cut[0] ? 2 : LEVEL_DISAGREE;
}

static int level_from_distance(const struct comparison *c, double dist, double *sim)
{
    double tol = c->tolerance > 0 ? c->tolerance : 1e-9;

    *sim = 1.0 / (1.0 + dist / tol);
    if (dist == 0)
        return 4;
    if (dist <= tol)
        return 3;
    return dist <= 3 * tol ? 2 : LEVEL_DISAGREE;
}

int comparison_level(const struct comparison *c, const char *a, const char *b, double *sim)
{
    *sim = -1;
    if (a == NULL || b == NULL || *a == '\0' || *b == '\0')
        return LEVEL_MISSING;
    if (c->kind == CMP_NUMERIC || c->kind == CMP_DATE) {
        double x, y;
        long dx, dy;
        if (c->kind == CMP_DATE && cmp_parse_day(a, &dx) && cmp_parse_day(b, &dy))
            return level_from_distance(c, fabs((double)(dx - dy)), sim);
        if (c->kind == CMP_NUMERIC && parse_double(a, &x) && parse_double(b, &y))
            return level_from_distance(c, fabs(x - y), sim);
        *sim = strcmp(a, b) == 0; /* unparsable: equal or not */
        return *sim == 1 ? 4 : LEVEL_DISAGREE;
    }
    if (strcmp(a, b) == 0) {
        *sim = 1;
        return c->nlevels - 1;
    }
    switch (c->kind) {
    case CMP_JARO_WINKLER: *sim = cmp_jaro_winkler(a, b); break;
    case CMP_LEVENSHTEIN: *sim = cmp_levenshtein(a, b); break;
    case CMP_JACCARD: *sim = cmp_jaccard(a, b); break;
    case CMP_QGRAM: *sim = cmp_qgram(a, b, (int)c->tolerance); break;
    default: *sim = 0; return LEVEL_DISAGREE;
    }
    return level_from_sim(c, *sim);
}

const char *comparison_level_label(const struct comparison *c, int level)
{
    static _Thread_local char label[64];

    if (level == LEVEL_MISSING)
        return "missing";
    if (level == c->nlevels - 1)
        return "identical";
    if (level == LEVEL_DISAGREE)
        return "different";
    if (c->kind == CMP_NUMERIC || c->kind == CMP_DATE) {
        snprintf(label, sizeof label, "within %g%s", c->tolerance * (level == 3 ? 1 : 3),
                 c->kind == CMP_DATE ? " days" : "");
        return label;
    }
    snprintf(label, sizeof label, "similar >= %.2f", cuts[c->kind][level - 2]);
    return label;
}

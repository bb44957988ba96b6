/*
 * plan.c — turning [matching] into a plan: which fields to load, which
 * comparisons to make, which fields form the exact-stage fingerprint and
 * which blocking keys pick the pairs worth comparing.
 *
 * config_load has already checked every name against [schema] and parsed
 * the blocking keys (config_match.c); here they become column numbers.
 * Without compare.FIELD keys the comparisons come from the field types, so
 * a configuration with only a schema and its mappings still matches:
 *   text       `text` (rare words weigh more, small typos forgiven)
 *   integer    `relative` (within 5%, within 25%)
 *   number     `relative` (within 5%, within 25%, within 50%)
 *   timestamp  `date` (same day, within 1, 31, 366 days)
 *   url,
 *   boolean    `exact`
 * The title's `text` comparison, derived or configured, brings one of the
 * numbers inside the titles and one of their variant words. Without a blocking setting, blocking is
 * derived from the data (block_auto.c).
 * A record is named by its title or, when it has none, by the first text
 * field the plan loads that it has, in [schema] order: a schema of movies
 * and people titles its people by their names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup_internal.h"

static int plan_col(struct match_plan *p, const char *field, struct err *err)
{
    for (int i = 0; i < p->ncols; i++)
        if (strcmp(p->cols[i], field) == 0)
            return i;
    const struct schema_field *f = config_field(p->cfg, field);
    if (f == NULL)
        return err_code(err, EXIT_USAGE, "[matching]: field '%s' is not a field of [schema]",
                        field);
    if (p->ncols == PLAN_MAX_COLS)
        return err_code(err, EXIT_USAGE, "[matching]: more than %d fields", PLAN_MAX_COLS);
    p->cols[p->ncols] = f->name;
    p->col_text[p->ncols] = f->type == FT_TEXT || f->type == FT_URL;
    p->col_url[p->ncols] = f->type == FT_URL;
    return p->ncols++;
}

static void derive_comparison(struct comparison *c, const struct schema_field *f)
{
    switch (f->type) {
    case FT_TEXT: comparison_init(c, f->name, CMP_TEXT, 0); break;
    case FT_INTEGER: comparison_init(c, f->name, CMP_RELATIVE, 0.05); break;
    case FT_NUMBER:
        /* amounts (prices, weights) that two sources quote apart by up to
         * half as often as not: a level of its own below 25%; an integer
         * (a count, an episode) half apart is another one */
        comparison_init(c, f->name, CMP_RELATIVE, 0.05);
        c->ncuts = 3;
        c->cut[2] = 0.5;
        c->nlevels = c->ncuts + 3;
        break;
    case FT_TIMESTAMP:
        comparison_init(c, f->name, CMP_DATE, 1);
        c->ncuts = 3;
        c->cut[0] = 1, c->cut[1] = 31, c->cut[2] = 366;
        c->nlevels = c->ncuts + 3;
        break;
    default: comparison_init(c, f->name, CMP_EXACT, 0); break;
    }
}

/* The title's `text` comparison brings one of the numbers inside its
 * values (another edition, version or model: text_numbers_level) and one
 * of its variant words (another edition or platform named in words:
 * text_variants_level), weighed by EM like any field, after every field
 * (the model holds two comparisons more than may be configured or derived,
 * so a schema of 16 fields still has them). */
static void plan_title_parts(struct match_plan *p)
{
    for (int f = 0, n = p->ncmp; f < n; f++) {
        if (p->cmps[f].kind != CMP_TEXT || p->cmp_col[f] != p->title_col)
            continue;
        for (enum cmp_kind k = CMP_NUMBERS; k <= CMP_VARIANTS && p->ncmp < FS_MAX_FIELDS; k++) {
            p->cmps[f].numbers_apart |= k == CMP_NUMBERS;
            comparison_init(&p->cmps[p->ncmp], p->cmps[f].field, k, 0);
            p->cmp_col[p->ncmp++] = p->cmp_col[f];
        }
    }
}

static int plan_comparisons(struct match_plan *p, struct err *err)
{
    const struct config *cfg = p->cfg;
    const struct match_cfg *m = &cfg->match;

    if (m->nfields > 0) {
        for (size_t i = 0; i < m->nfields && i < FS_MAX_FIELDS; i++) {
            if (comparison_parse(&p->cmps[p->ncmp], &m->fields[i], err) < 0 ||
                (p->cmp_col[p->ncmp] = plan_col(p, m->fields[i].field, err)) < 0)
                return -1;
            p->ncmp++;
        }
        return 0;
    }
    p->derived = true;
    for (size_t i = 0; i < cfg->nfields && p->ncmp < FS_MAX_FIELDS; i++) {
        derive_comparison(&p->cmps[p->ncmp], &cfg->fields[i]);
        if ((p->cmp_col[p->ncmp] = plan_col(p, cfg->fields[i].name, err)) < 0)
            return -1;
        p->ncmp++;
    }
    if (p->ncmp == 0)
        return err_code(err, EXIT_USAGE, "[matching]: [schema] declares no field to compare "
                        "records by");
    return 0;
}

/* The title, then the other text fields loaded, in [schema] order. */
static void plan_labels(struct match_plan *p)
{
    const struct config *cfg = p->cfg;

    p->label_cols[p->nlabels++] = p->title_col;
    for (size_t i = 0; i < cfg->nfields; i++) {
        if (cfg->fields[i].type != FT_TEXT)
            continue;
        for (int c = 0; c < p->ncols; c++)
            if (c != p->title_col && strcmp(p->cols[c], cfg->fields[i].name) == 0)
                p->label_cols[p->nlabels++] = c;
    }
}

char *match_plan_label_sql(const struct match_plan *p, struct db *db, const char *alias)
{
    struct buf b = BUF_INIT;

    buf_adds(&b, p->nlabels > 1 ? "coalesce(" : "");
    for (int k = 0; k < p->nlabels; k++) {
        char *q = db_field_sql(db, config_field(p->cfg, p->cols[p->label_cols[k]]), alias);
        buf_printf(&b, p->nlabels > 1 ? "%snullif(%s::text, '')" : "%s%s::text",
                   k ? ", " : "", q);
        free(q);
    }
    buf_adds(&b, p->nlabels > 1 ? ")" : "");
    return buf_detach(&b);
}

static int plan_blocking(struct match_plan *p, struct err *err)
{
    const struct match_cfg *m = &p->cfg->match;

    for (size_t i = 0; i < m->nblock_keys && p->nrules < PLAN_MAX_RULES; i++) {
        struct block_rule *r = &p->rules[p->nrules++];
        r->nparts = m->block_keys[i].nparts;
        for (int k = 0; k < r->nparts; k++) {
            const struct block_part *part = &m->block_keys[i].parts[k];
            if ((r->parts[k].col = plan_col(p, part->field, err)) < 0)
                return -1;
            r->parts[k].fn = part->fn;
            r->parts[k].n = part->n;
        }
    }
    return 0;
}

int match_plan_init(struct match_plan *p, const struct config *cfg, struct err *err)
{
    const struct match_cfg *m = &cfg->match;

    memset(p, 0, sizeof *p);
    p->cfg = cfg;
    if (plan_comparisons(p, err) < 0)
        return -1;
    for (size_t i = 0; i < m->nkey_names; i++) {
        if ((p->key_cols[p->nkeys] = plan_col(p, m->key_names[i], err)) < 0)
            return err_prefix(err, "key_fields");
        p->nkeys++;
    }
    if ((p->title_col = plan_col(p, config_title_field(cfg), err)) < 0)
        return err_prefix(err, "title_field");
    plan_title_parts(p);
    plan_labels(p);
    return plan_blocking(p, err);
}

void match_plan_signature(const struct match_plan *p, struct buf *out)
{
    for (int i = 0; i < p->ncmp; i++) {
        buf_printf(out, "%s%s=%s:%g", i ? "," : "", p->cmps[i].field,
                   cmp_kind_name(p->cmps[i].kind), p->cmps[i].tolerance);
        for (int k = 0; k < p->cmps[i].ncuts; k++)
            buf_printf(out, "%s%g", k ? "/" : "@", p->cmps[i].cut[k]);
    }
    /* other pairs make another model; said only when on, so that models
     * stored before it was part of the signature still fit */
    if (p->cfg->match.within_source)
        buf_adds(out, ";within_source");
}

void match_plan_url_form(const struct match_plan *p, struct buf *out)
{
    char *const *t = p->cfg->match.tracking;
    const char *const *d = match_tracking_default;
    bool compared = false;
    int i = 0;

    for (int f = 0; f < p->ncmp; f++)
        compared |= p->col_url[p->cmp_col[f]];
    if (!compared)
        return;
    buf_printf(out, "%d", DEDUP_URL_FORM);
    if (t == NULL) /* the default */
        return;
    while (t[i] != NULL && d[i] != NULL && strcmp(t[i], d[i]) == 0)
        i++;
    if (t[i] == NULL && d[i] == NULL)
        return;
    buf_addc(out, ';'); /* "2;" when none is dropped */
    for (i = 0; t[i] != NULL; i++)
        buf_printf(out, "%s%s", i ? "," : "", t[i]);
}

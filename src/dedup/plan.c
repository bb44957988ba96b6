/*
 * plan.c — turning [matching] into a plan: which fields to load, which
 * comparisons to make, which fields form the exact-stage fingerprint and
 * which blocking keys pick the pairs worth comparing.
 *
 * Blocking keys are written "FIELD[:FUNC]" joined by '+', several keys
 * separated by commas (kasparro.conf(5)); records sharing any key are
 * compared. Without a blocking setting, every key field's whole value and
 * its first four characters are keys.
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
    return p->ncols++;
}

static const struct {
    const char *name;
    enum block_fn fn;
    bool takes_n;
} block_fns[] = {
    {"prefix", BK_PREFIX, true}, {"suffix", BK_SUFFIX, true}, {"sorted", BK_SORTED, true},
    {"tokens", BK_TOKENS, false}, {"day", BK_DAY, false},     {"year", BK_YEAR, false},
};

static int parse_part(struct match_plan *p, char *text, struct block_part *part, struct err *err)
{
    char *fn = strchr(text, ':');

    if (fn != NULL)
        *fn++ = '\0';
    if ((part->col = plan_col(p, str_trim(text), err)) < 0)
        return err_prefix(err, "blocking key");
    part->fn = BK_VALUE;
    part->n = 0;
    if (fn == NULL)
        return 0;
    fn = str_trim(fn);
    for (size_t i = 0; i < ARRAY_SIZE(block_fns); i++) {
        size_t len = strlen(block_fns[i].name);
        if (strncmp(fn, block_fns[i].name, len) != 0)
            continue;
        long long n = 0;
        if (block_fns[i].takes_n ? !parse_ll(fn + len, &n) || n < 1 || n > 64
                                 : fn[len] != '\0')
            break;
        part->fn = block_fns[i].fn;
        part->n = (int)n;
        return 0;
    }
    return err_code(err, EXIT_USAGE, "[matching] blocking: unknown key function '%s' (prefixN, "
                    "suffixN, sortedN, tokens, day, year)", fn);
}

static int parse_rule(struct match_plan *p, char *text, struct err *err)
{
    struct block_rule *r;
    char *parts[4];

    if (p->nrules == PLAN_MAX_RULES)
        return err_code(err, EXIT_USAGE, "[matching] blocking: more than %d keys",
                        PLAN_MAX_RULES);
    r = &p->rules[p->nrules];
    r->nparts = (int)str_split(text, '+', parts, 4);
    for (int i = 0; i < r->nparts; i++)
        if (parse_part(p, parts[i], &r->parts[i], err) < 0)
            return -1;
    p->nrules += r->nparts > 0;
    return 0;
}

static int plan_blocking(struct match_plan *p, struct err *err)
{
    const char *spec = p->cfg->match.blocking;
    char *copy, *keys[PLAN_MAX_RULES + 1];
    int rc = 0;

    if (str_empty(spec)) {
        for (int i = 0; i < p->nkeys && p->nrules + 2 <= PLAN_MAX_RULES; i++) {
            p->rules[p->nrules++] = (struct block_rule){{{p->key_cols[i], BK_VALUE, 0}}, 1};
            p->rules[p->nrules++] = (struct block_rule){{{p->key_cols[i], BK_PREFIX, 4}}, 1};
        }
        return 0;
    }
    copy = xstrdup(spec);
    size_t n = str_split(copy, ',', keys, PLAN_MAX_RULES + 1);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = parse_rule(p, keys[i], err);
    free(copy);
    return rc;
}

int match_plan_init(struct match_plan *p, const struct config *cfg, struct err *err)
{
    const struct match_cfg *m = &cfg->match;
    char *copy, *names[PLAN_MAX_COLS];

    memset(p, 0, sizeof *p);
    p->cfg = cfg;
    if (m->nfields == 0)
        return err_code(err, EXIT_USAGE, "[matching]: no compare.FIELD keys: nothing to "
                        "compare records by");
    if (m->nfields > FS_MAX_FIELDS)
        return err_code(err, EXIT_USAGE, "[matching]: more than %d compared fields",
                        FS_MAX_FIELDS);
    for (size_t i = 0; i < m->nfields; i++) {
        if (comparison_parse(&p->cmps[i], &m->fields[i], err) < 0 ||
            (p->cmp_col[i] = plan_col(p, m->fields[i].field, err)) < 0)
            return -1;
        p->ncmp++;
    }
    copy = xstrdup(m->key_fields ? m->key_fields : "");
    size_t n = str_split(copy, ',', names, PLAN_MAX_COLS);
    for (size_t i = 0; i < n; i++) {
        if (*names[i] == '\0')
            continue;
        if ((p->key_cols[p->nkeys] = plan_col(p, names[i], err)) < 0) {
            free(copy);
            return err_prefix(err, "key_fields");
        }
        p->nkeys++;
    }
    free(copy);
    if ((p->title_col = plan_col(p, config_title_field(cfg), err)) < 0)
        return err_prefix(err, "title_field");
    return plan_blocking(p, err);
}

void match_plan_signature(const struct match_plan *p, struct buf *out)
{
    for (int i = 0; i < p->ncmp; i++)
        buf_printf(out, "%s%s=%s:%g", i ? "," : "", p->cmps[i].field,
                   cmp_kind_name(p->cmps[i].kind), p->cmps[i].tolerance);
}

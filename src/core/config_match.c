/*
 * config_match.c — the [matching] section checked against [schema] when the
 * file is loaded, so `kasparro config check` (and every command) rejects a
 * misspelt field or blocking function with its file and line instead of a
 * matching pass failing hours later.
 *
 * The blocking grammar lives here, once: keys separated by commas, each key
 * parts joined by '+', each part FIELD[:FUNC] (kasparro.conf(5)). The parsed
 * keys point at the [schema] field names; the matcher (src/dedup/plan.c)
 * only turns them into columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/config.h"
#include "kasparro/similar.h"
#include "kasparro/util.h"

const char *const match_comparators[] = {"exact", "jaro_winkler", "levenshtein", "jaccard",
                                         "qgram", "numeric", "date", "text", "relative", NULL};

const char *const match_tracking_default[] = {
    "utm_*",  "fbclid", "gclid",  "dclid", "gbraid", "wbraid", "msclkid", "yclid",
    "igshid", "mc_cid", "mc_eid", "_ga",   "_gl",    "_hsenc", "_hsmi",   NULL,
};

static const struct {
    const char *name;
    enum block_fn fn;
    bool takes_n;
} block_fns[] = {
    {"prefix", BK_PREFIX, true}, {"suffix", BK_SUFFIX, true}, {"sorted", BK_SORTED, true},
    {"tokens", BK_TOKENS, false}, {"day", BK_DAY, false},     {"year", BK_YEAR, false},
};

void config_match_line(struct match_cfg *m, const char *key, int line)
{
    if (strcmp(key, "blocking") == 0)
        m->blocking_line = line;
    else if (strcmp(key, "key_fields") == 0)
        m->key_fields_line = line;
    else if (strcmp(key, "title_field") == 0)
        m->title_field_line = line;
    else if (strcmp(key, "within_source") == 0)
        m->within_source_line = line;
    else if (strcmp(key, "url_tracking_params") == 0)
        m->url_tracking_params_line = line;
    else if (strcmp(key, "review") == 0)
        m->review_line = line;
}

/* Every mistake goes to `faults` and the check goes on to the next key,
 * name or part: one pass names them all. */
struct mcheck {
    const struct config *cfg;
    const char *file;
    struct config_faults *faults;
};

static int merr(struct mcheck *c, int line, const char *fmt, ...) PRINTF_LIKE(3, 4);
static int merr(struct mcheck *c, int line, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = config_faultv(c->faults, c->file, line, "[matching] ", fmt, ap);
    va_end(ap);
    return rc;
}

/* The [schema] name of `name`, or an error naming the nearest field. */
static const char *schema_name(struct mcheck *c, int line, const char *what, const char *name)
{
    const struct schema_field *f = config_field(c->cfg, name);
    const char *names[256];
    size_t n = 0;

    if (f != NULL)
        return f->name;
    for (size_t i = 0; i < c->cfg->nfields && n < ARRAY_SIZE(names); i++)
        names[n++] = c->cfg->fields[i].name;
    const char *best = sim_nearest(name, names, n, 0.75, NULL);
    merr(c, line, "%s: '%s' is not a field of [schema]%s%s%s", what, name,
         best ? " (did you mean '" : "", best ? best : "", best ? "'?)" : "");
    return NULL;
}

static int parse_part(struct mcheck *c, char *text, struct block_part *part)
{
    int line = c->cfg->match.blocking_line;
    char *fn = strchr(text, ':');

    if (fn != NULL)
        *fn++ = '\0';
    if (*str_trim(text) == '\0')
        return merr(c, line, "blocking: a key part names no field");
    if ((part->field = schema_name(c, line, "blocking", str_trim(text))) == NULL)
        return -1;
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
    return merr(c, line, "blocking: unknown key function '%s' for '%s' (prefixN, suffixN, "
                "sortedN with N from 1 to 64, tokens, day, year)", fn, part->field);
}

static int parse_blocking(struct mcheck *c, struct match_cfg *m)
{
    char *copy = xstrdup(m->blocking), *keys[MATCH_MAX_KEYS + 1];
    size_t n = str_split(copy, ',', keys, MATCH_MAX_KEYS + 1);
    int rc = 0;

    if (n > MATCH_MAX_KEYS) {
        free(copy);
        return merr(c, m->blocking_line, "blocking: more than %d keys", MATCH_MAX_KEYS);
    }
    m->block_keys = xcalloc(n ? n : 1, sizeof *m->block_keys);
    for (size_t i = 0; i < n; i++) {
        char *parts[BLOCK_MAX_PARTS + 1];
        struct block_key *k = &m->block_keys[m->nblock_keys];
        size_t np = str_split(keys[i], '+', parts, BLOCK_MAX_PARTS + 1);
        int key_rc = 0;
        if (np > BLOCK_MAX_PARTS) {
            rc = merr(c, m->blocking_line, "blocking: a key joins more than %d parts",
                      BLOCK_MAX_PARTS);
            continue;
        }
        if (np == 1 && *str_trim(parts[0]) == '\0')
            continue; /* "a, , b" or a trailing comma */
        for (size_t j = 0; j < np; j++)
            if (parse_part(c, parts[j], &k->parts[j]) < 0)
                key_rc = rc = -1;
        k->nparts = (int)np;
        m->nblock_keys += key_rc == 0;
    }
    free(copy);
    return rc;
}

static int parse_key_fields(struct mcheck *c, struct match_cfg *m)
{
    char *copy = xstrdup(m->key_fields), *names[MATCH_MAX_FIELDS + 1];
    size_t n = str_split(copy, ',', names, MATCH_MAX_FIELDS + 1);
    int rc = 0;

    if (n > MATCH_MAX_FIELDS)
        rc = merr(c, m->key_fields_line, "key_fields: more than %d fields", MATCH_MAX_FIELDS);
    m->key_names = xcalloc(n ? n : 1, sizeof *m->key_names);
    for (size_t i = 0; i < n && i < MATCH_MAX_FIELDS; i++) {
        if (*str_trim(names[i]) == '\0')
            continue;
        const char *f = schema_name(c, m->key_fields_line, "key_fields", str_trim(names[i]));
        if (f == NULL)
            rc = -1;
        else
            m->key_names[m->nkey_names++] = f;
    }
    free(copy);
    return rc;
}

/* A name of a query parameter, or a prefix of names ("utm_*"): the
 * characters a query's name holds, a '*' only at its end, never alone (it
 * would drop every parameter, and the page's own with them). */
static const char *tracking_fault(const char *name)
{
    size_t len = strlen(name);

    if (strcmp(name, "*") == 0)
        return "'*' alone would drop every parameter";
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch == '*' && i + 1 < len)
            return "a '*' ends a prefix and stands nowhere else";
        if (ch <= ' ' || ch == 0x7f || strchr("=&;#?", ch) != NULL)
            return "a parameter's name holds no blank, '=', '&', ';', '#' or '?'";
    }
    return NULL;
}

/* url_tracking_params: names separated by commas; empty drops none. */
static int parse_tracking(struct mcheck *c, struct match_cfg *m)
{
    size_t n = 0;

    if (m->url_tracking_params == NULL) {
        for (; match_tracking_default[n] != NULL; n++)
            ;
        m->tracking = xcalloc(n + 1, sizeof *m->tracking);
        for (size_t i = 0; i < n; i++)
            m->tracking[i] = xstrdup(match_tracking_default[i]);
        return 0;
    }
    char *copy = xstrdup(m->url_tracking_params), *names[MATCH_MAX_TRACKING + 1];
    size_t k = str_split(copy, ',', names, MATCH_MAX_TRACKING + 1);
    int rc = 0;

    m->tracking = xcalloc(k + 1, sizeof *m->tracking);
    if (k > MATCH_MAX_TRACKING)
        rc = merr(c, m->url_tracking_params_line, "url_tracking_params: more than %d names",
                  MATCH_MAX_TRACKING);
    for (size_t i = 0; i < k && i < MATCH_MAX_TRACKING; i++) {
        const char *name = str_trim(names[i]), *why = tracking_fault(name);
        if (*name == '\0')
            continue;
        if (why != NULL)
            rc = merr(c, m->url_tracking_params_line, "url_tracking_params: '%s': %s", name, why);
        else
            m->tracking[n++] = xstrdup(name);
    }
    free(copy);
    return rc;
}

/* compare.FIELD = KIND[:TOLERANCE]: the kind was checked as it was read. */
static int check_compare(struct mcheck *c, const struct match_field *f)
{
    const char *colon = strchr(f->comparator, ':');
    double tol;

    if (schema_name(c, f->line, "compare", f->field) == NULL)
        return -1;
    if (colon != NULL && (!parse_double(colon + 1, &tol) || tol < 0))
        return merr(c, f->line, "compare.%s: tolerance '%s' is not a non-negative number",
                    f->field, colon + 1);
    return 0;
}

int config_check_matching(struct config *cfg, const char *file, struct config_faults *f)
{
    struct mcheck c = {cfg, file, f};
    struct match_cfg *m = &cfg->match;
    int before = f->n;

    if (m->nfields > MATCH_MAX_FIELDS)
        merr(&c, m->fields[MATCH_MAX_FIELDS].line, "more than %d compare.FIELD keys",
             MATCH_MAX_FIELDS);
    for (size_t i = 0; i < m->nfields; i++)
        check_compare(&c, &m->fields[i]);
    if (!str_empty(m->key_fields))
        parse_key_fields(&c, m);
    if (!str_empty(m->title_field))
        schema_name(&c, m->title_field_line, "title_field", m->title_field);
    if (!str_empty(m->blocking))
        parse_blocking(&c, m);
    parse_tracking(&c, m);
    if (m->review_threshold > m->auto_threshold)
        merr(&c, m->review_line, "review (%.2f) is above auto (%.2f)", m->review_threshold,
             m->auto_threshold);
    if (f->n > before)
        return -1;
    /* With one source there is nothing else to match its records with: its
     * duplicates are what the user is after (as record linkage tools
     * deduplicate a single input), unless it says it lists each thing once. */
    if (m->within_source_line == 0)
        m->within_source = cfg->nsources == 1 && !cfg->sources[0].unique;
    return 0;
}

void config_match_free(struct match_cfg *m)
{
    for (size_t i = 0; i < m->nfields; i++) {
        free(m->fields[i].field);
        free(m->fields[i].comparator);
    }
    free(m->fields);
    free(m->key_fields);
    free(m->blocking);
    free(m->title_field);
    free(m->block_keys);
    free(m->key_names);
    for (size_t i = 0; m->tracking != NULL && m->tracking[i] != NULL; i++)
        free(m->tracking[i]);
    free(m->tracking);
    free(m->url_tracking_params);
}

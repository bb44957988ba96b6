/*
 * mapper.c — turning a source item into a row of the unified schema (see
 * mapper.h).
 *
 * The mapping is compiled once per source: each declared field gets the
 * source fields that feed it (the first with a value wins), CSV columns are
 * resolved against the header on the first row, JSON paths are looked up
 * with jval_path(). Per record the work is: find each value, coerce it
 * (coerce.c), build the raw payload, hash everything with XXH3-128, and tell
 * the drift tracker (drift.c) about fields nobody maps.
 *
 * A source without map. lines is mapped automatically: every declared
 * field reads the column or top-level key of its own name, exactly, else in
 * any case. Its records must carry one of them: a CSV header that names
 * none, or a first batch of JSON records none of which has one of the keys
 * (mapper_unmapped), means the source is not what the schema describes,
 * and the read stops (mapper_refusal) before anything is loaded. A JSON
 * record is judged with its batch, not alone: an API may write only the
 * keys a record has a value for, and its first record may be {"id": 1}.
 * A CSV column is found by its exact name, else in any case; a name that
 * only two columns have, each in another case, stops the read at the
 * header as well (refuse_cases): every record would be ambiguous alike.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xxhash.h>

#include "kasparro/drift.h"
#include "kasparro/jsonpath.h"
#include "kasparro/mapper.h"
#include "kasparro/strmap.h"

struct target {
    int field;          /* index into cfg->fields */
    const char *from;   /* source field: CSV column or JSON path */
    const char *format; /* strptime pattern for timestamps, or NULL */
    int col;            /* CSV column index, -1 when absent */
    long long carried;  /* records in which it had a value */
};

struct mapper {
    const struct config *cfg;
    const struct source_cfg *src;
    struct target *targets;
    size_t ntargets;
    int id_col;
    bool resolved;           /* CSV header looked at */
    bool automatic;          /* no map. lines: each field reads its own name */
    char *refusal;           /* why the read must stop (automatic, no field found; a CSV
                                column found only in two other cases) ... */
    const char *remedy;      /* ... and what to do about it */
    int *unmapped_cols;      /* CSV columns nobody reads */
    size_t nunmapped;
    struct strmap known;     /* JSON: mapped paths, their prefixes, the id path */
    struct strmap folded;    /* the same in lower case, each to its known path */
    struct buf lower;        /* watch_json_fields' path in lower case */
    struct drift *drift;
    long long nulled;
    long long identified;    /* records that had an id: their fields were looked at */
    bool carried;            /* automatic: a record carried one of the fields */
    long long uncarried;     /* automatic, before that: JSON records that carried none */
    char *first_names;       /* ... the first one's keys and location, for the refusal */
    char *first_location;
    int cursor_field;
    struct buf value;        /* the current raw value as text */
    enum jtype value_type;   /* JSON: what the value was */
    bool blank;              /* the value looked up was there, but empty or blanks */
    struct buf path;         /* JSON: the path watch_json_fields is at */
    char why[256];           /* why the last value found cannot be read */
    XXH3_state_t *xxh;
};

static const char *format_for(const struct source_cfg *src, const char *field)
{
    for (size_t i = 0; i < src->nformats; i++)
        if (strcmp(src->formats[i].from, field) == 0)
            return src->formats[i].to;
    return NULL;
}

static void lower_into(struct buf *out, const char *s, size_t len)
{
    buf_reset(out);
    for (size_t i = 0; i < len; i++)
        buf_addc(out, (char)tolower((unsigned char)s[i]));
}

/* Makes the first len bytes of path known (kind 1: a leaf, 2: a prefix),
 * and their lower case lead to them (known_in_any_case). */
static void know(struct mapper *m, const char *path, size_t len, int kind)
{
    struct strmap_entry *e = strmap_put(&m->known, path, len);
    struct buf lower = BUF_INIT;

    e->count |= kind;
    lower_into(&lower, path, len);
    struct strmap_entry *f = strmap_put(&m->folded, lower.data, len);
    if (f->value == NULL)
        f->value = e->key;
    buf_free(&lower);
}

static void know_path(struct mapper *m, const char *path)
{
    /* "author.name" makes "author" and "author.name" known; paths are
     * canonical (config.c), and so are the ones watch_json_fields builds */
    char *seg = xmalloc(strlen(path) + 1);
    const char *rest = path;

    while (json_path_next(&rest, seg, strlen(path) + 1, NULL, 0) > 0 && *rest != '\0')
        know(m, path, (size_t)(rest - 1 - path), 2);
    know(m, path, strlen(path), 1);
    free(seg);
}

struct mapper *mapper_new(const struct config *cfg, const struct source_cfg *src)
{
    struct mapper *m = xcalloc(1, sizeof *m);

    m->cfg = cfg;
    m->src = src;
    m->automatic = src->nmaps == 0;
    m->targets = xcalloc(src->nmaps + cfg->nfields, sizeof *m->targets);
    for (size_t f = 0; m->automatic && f < cfg->nfields; f++) {
        const char *name = cfg->fields[f].name;
        m->targets[m->ntargets++] = (struct target){
            (int)f, name, format_for(src, name), -1, 0};
        know_path(m, name);
    }
    for (size_t i = 0; i < src->nmaps; i++) {
        int f = config_field_index(cfg, src->maps[i].to);
        if (f < 0)
            BUG("mapping to undeclared field '%s' passed config checks", src->maps[i].to);
        m->targets[m->ntargets++] = (struct target){
            f, src->maps[i].from, format_for(src, src->maps[i].to), -1, 0};
        know_path(m, src->maps[i].from);
    }
    know_path(m, src->id_field);
    m->id_col = -1;
    m->cursor_field = src->cursor_field ? config_field_index(cfg, src->cursor_field) : -1;
    m->drift = drift_new();
    m->xxh = XXH3_createState();
    if (m->xxh == NULL)
        fatal("out of memory creating a hash state");
    return m;
}

void mapper_free(struct mapper *m)
{
    if (m == NULL)
        return;
    free(m->targets);
    free(m->refusal);
    free(m->first_names);
    free(m->first_location);
    free(m->unmapped_cols);
    strmap_free(&m->known, NULL);
    strmap_free(&m->folded, NULL); /* its values are known's keys */
    buf_free(&m->lower);
    drift_free(m->drift);
    buf_free(&m->value);
    buf_free(&m->path);
    XXH3_freeState(m->xxh);
    free(m);
}

void mapped_init(struct mapped *row, const struct config *cfg)
{
    memset(row, 0, sizeof *row);
    row->values = xcalloc(cfg->nfields + 1, sizeof *row->values);
    row->storage = xcalloc(cfg->nfields + 1, sizeof *row->storage);
}

void mapped_free(struct mapped *row, const struct config *cfg)
{
    for (size_t i = 0; i < cfg->nfields; i++)
        buf_free(&row->storage[i]);
    free(row->storage);
    free(row->values);
    buf_free(&row->source_id);
    buf_free(&row->payload);
}

/* The first header column from `from` on that `name` names exactly
 * (same_case) or ignoring case; -1 for none. The reader refuses a header
 * that names a column twice exactly (source_csv.c). */
static int column_named(const struct src_item *item, const char *name, bool same_case,
                        size_t from)
{
    for (size_t i = from; i < item->nheader; i++)
        if ((same_case ? strcmp : strcasecmp)(item->header[i], name) == 0)
            return (int)i;
    return -1;
}

/* A name no column has exactly but two have in other cases: which of the
 * two the source field means is not for kasparro to guess, and every
 * record would say so; the read stops at the header instead. */
static void refuse_cases(struct mapper *m, const struct src_item *item, const char *name,
                         int col, int twin)
{
    if (m->refusal != NULL)
        return;
    m->refusal = xasprintf("the header of %s has no column '%s' but two in other cases, '%s' "
                           "(column %d) and '%s' (column %d)", m->src->path, name,
                           item->header[col], col + 1, item->header[twin], twin + 1);
    m->remedy = "rename one, or map the exact name in";
}

/* The CSV column a source field path names: its segments joined by '.', so
 * map."a.b" and map.a.b name one column, and map."https://x.org/t" the
 * column https://x.org/t. */
static int column(struct mapper *m, const struct src_item *item, const char *path)
{
    char *joined = json_path_name(path);
    const char *name = joined != NULL ? joined : path; /* an id like my"id is its own name */
    int col = column_named(item, name, true, 0), twin;

    if (col < 0 && (col = column_named(item, name, false, 0)) >= 0 &&
        (twin = column_named(item, name, false, (size_t)col + 1)) >= 0)
        refuse_cases(m, item, name, col, twin);
    free(joined);
    return col;
}

/* First CSV row: find every mapped column and note the ones nobody reads. */
static void resolve_header(struct mapper *m, const struct src_item *item)
{
    m->resolved = true;
    m->id_col = column(m, item, m->src->id_field);
    for (size_t i = 0; i < m->ntargets; i++)
        m->targets[i].col = column(m, item, m->targets[i].from);
    m->unmapped_cols = xcalloc(item->nheader + 1, sizeof *m->unmapped_cols);
    for (size_t c = 0; c < item->nheader; c++) {
        bool used = (int)c == m->id_col;
        for (size_t i = 0; i < m->ntargets && !used; i++)
            used = m->targets[i].col == (int)c;
        if (!used)
            m->unmapped_cols[m->nunmapped++] = (int)c;
    }
}

/* What looking up a source field found. */
enum found { FOUND_NONE, FOUND, FOUND_BAD };

static enum found unreadable(struct mapper *m, const char *fmt, ...) PRINTF_LIKE(2, 3);
static enum found unreadable(struct mapper *m, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(m->why, sizeof m->why, fmt, ap);
    va_end(ap);
    return FOUND_BAD;
}

/* The text of the JSON value at `path` into m->value, exactly: a string's
 * bytes, a number's digits as written, true or false, an object or array
 * as written. A value that is there but cannot become text (a NUL, a lone
 * surrogate, a key given twice) is FOUND_BAD with m->why: never cut short
 * or guessed at. */
static enum found json_text(struct mapper *m, const struct jval *record, const char *path)
{
    bool twice;
    const struct jval *v = jval_path(record, path, &twice);

    buf_reset(&m->value);
    m->blank = false;
    if (twice)
        return unreadable(m, "the record holds '%s' twice", path);
    if (v == NULL || v->type == JT_NULL)
        return FOUND_NONE;
    m->value_type = v->type;
    switch (v->type) {
    case JT_STRING:
        if (v->unpaired)
            return unreadable(m, "the string holds an escaped UTF-16 surrogate without its "
                              "pair, which is no character");
        if (memchr(v->str, '\0', v->len) != NULL)
            return unreadable(m, "the string holds a NUL character (\\u0000), which a text "
                              "column cannot store");
        /* fall through */
    case JT_NUMBER:
        buf_add(&m->value, v->str, v->len);
        break;
    case JT_TRUE:
    case JT_FALSE:
        buf_adds(&m->value, v->type == JT_TRUE ? "true" : "false");
        break;
    default:
        jval_compact(v, &m->value);
    }
    m->blank = str_empty(m->value.data);
    return m->blank ? FOUND_NONE : FOUND; /* blanks are no value */
}

static enum found csv_text(struct mapper *m, const struct src_item *item, const char *from,
                           int col)
{
    buf_reset(&m->value);
    m->blank = false;
    if (col < 0 || (size_t)col >= item->ncols)
        return FOUND_NONE;
    buf_add(&m->value, item->cols[col], item->col_lens[col]);
    m->blank = str_empty(m->value.data);
    return m->blank ? FOUND_NONE : FOUND; /* blanks are no value */
}

static enum found value_of(struct mapper *m, const struct src_item *item, const char *from,
                           int col)
{
    return item->json != NULL ? json_text(m, item->json, from) : csv_text(m, item, from, col);
}

/* Automatic mapping: whether a top-level key names a field in any case. */
static bool names_field(const struct mapper *m, const char *key, size_t len)
{
    for (size_t f = 0; f < m->cfg->nfields; f++)
        if (strlen(m->cfg->fields[f].name) == len &&
            strncasecmp(m->cfg->fields[f].name, key, len) == 0)
            return true;
    return false;
}

/* The known path that member c of obj (at m->path, whose parent part
 * ends at `at`) is read as although its case differs: a lookup takes a
 * key in any case when none matches exactly (jdoc.c), so "Title" feeds
 * map.title unless the record also holds "title" or another "TITLE".
 * Looked up as the mapping does, the known path's last segment finds c. */
static struct strmap_entry *known_in_any_case(struct mapper *m, const struct jval *obj,
                                              const struct jval *c, size_t at)
{
    bool twice;

    lower_into(&m->lower, m->path.data, m->path.len);
    struct strmap_entry *f = strmap_get(&m->folded, m->lower.data, m->lower.len);
    if (f == NULL)
        return NULL;
    /* case changes no quoting: the known path's segment starts where c's does */
    const char *known = f->value, *seg = known + (at > 0 ? at + 1 : 0);
    if (jval_path(obj, seg, &twice) != c)
        return NULL;
    return strmap_get(&m->known, known, strlen(known));
}

/* Reports the keys under m->path that no mapping reads. */
static void watch_json_fields(struct mapper *m, const struct jval *obj, const char *location,
                              int depth)
{
    size_t at = m->path.len;

    for (const struct jval *c = obj->child; c != NULL; c = c->next) {
        m->path.len = at;
        json_path_append(&m->path, c->key, c->keylen);
        struct strmap_entry *e = strmap_get(&m->known, m->path.data, m->path.len);
        if (e == NULL)
            e = known_in_any_case(m, obj, c, at);
        if (e == NULL && depth == 0 && m->automatic && names_field(m, c->key, c->keylen))
            continue;
        if (e == NULL)
            drift_unmapped(m->drift, m->path.data, m->path.len, location);
        else if ((e->count & 2) && c->type == JT_OBJECT && depth < 4)
            watch_json_fields(m, c, location, depth + 1);
    }
    m->path.len = at;
}

static void watch_fields(struct mapper *m, const struct src_item *item)
{
    if (item->json != NULL) {
        buf_reset(&m->path);
        watch_json_fields(m, item->json, item->location, 0);
        return;
    }
    for (size_t i = 0; i < m->nunmapped; i++) {
        int c = m->unmapped_cols[i];
        if ((size_t)c < item->ncols && !str_empty(item->cols[c]))
            drift_unmapped(m->drift, item->header[c], strlen(item->header[c]), item->location);
    }
}

static void build_payload(struct mapper *m, const struct src_item *item, struct mapped *row)
{
    buf_reset(&row->payload);
    if (item->json != NULL && item->raw != NULL) {
        buf_add(&row->payload, item->raw, item->raw_len); /* the source printed it already */
        return;
    }
    if (item->json != NULL) {
        jval_compact(item->json, &row->payload);
        return;
    }
    buf_addc(&row->payload, '{');
    for (size_t i = 0; i < item->ncols; i++) {
        const char *name = i < item->nheader ? item->header[i] : "";
        char num[32];
        if (i >= item->nheader) {
            snprintf(num, sizeof num, "%zu", i + 1);
            name = num;
        }
        if (i > 0)
            buf_addc(&row->payload, ',');
        buf_add_json_str(&row->payload, name, strlen(name));
        buf_addc(&row->payload, ':');
        buf_add_json_str(&row->payload, item->cols[i], item->col_lens[i]);
    }
    buf_addc(&row->payload, '}');
    (void)m;
}

static void hash_row(struct mapper *m, struct mapped *row)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char present = 1, absent = 0;
    XXH128_hash_t h;
    XXH128_canonical_t canon;

    XXH3_128bits_reset(m->xxh);
    XXH3_128bits_update(m->xxh, row->source_id.data, row->source_id.len + 1);
    for (size_t f = 0; f < m->cfg->nfields; f++) {
        if (row->values[f] == NULL) {
            XXH3_128bits_update(m->xxh, &absent, 1);
        } else {
            XXH3_128bits_update(m->xxh, &present, 1);
            XXH3_128bits_update(m->xxh, row->values[f], row->storage[f].len + 1);
        }
    }
    XXH3_128bits_update(m->xxh, row->payload.data, row->payload.len);
    h = XXH3_128bits_digest(m->xxh);
    XXH128_canonicalFromHash(&canon, h);
    for (int i = 0; i < 16; i++) {
        row->hash[i] = canon.digest[i];
        row->hash_hex[2 * i] = hex[canon.digest[i] >> 4];
        row->hash_hex[2 * i + 1] = hex[canon.digest[i] & 15];
    }
    row->hash_hex[32] = '\0';
}

static int reject(struct reject *why, const char *field, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
static int reject(struct reject *why, const char *field, const char *fmt, ...)
{
    va_list ap;

    snprintf(why->field, sizeof why->field, "%s", field ? field : "");
    va_start(ap, fmt);
    vsnprintf(why->reason, sizeof why->reason, fmt, ap);
    va_end(ap);
    return 1;
}

/* A number or time with digits in it that did not read is most often written
 * in the source's own notation, which a format.FIELD line reads: say so where
 * the operator meets the value. */
static void hint_format(const struct mapper *m, const struct schema_field *field, char *reason,
                        size_t len)
{
    bool dated = field->type == FT_TIMESTAMP;
    size_t n = strlen(reason);

    if ((field->type != FT_INTEGER && field->type != FT_NUMBER && !dated) ||
        strpbrk(m->value.data, "0123456789") == NULL || n >= len)
        return;
    snprintf(reason + n, len - n, " (a 'format.%s' line in [source %s] declares how the source "
             "writes %s)", field->name, m->src->name, dated ? "times" : "numbers");
}

/* Why a CSV record has no value for the source field `from` at column
 * `col`: when the header has no such column, every record will miss it, and
 * the reason says so with the header's first columns ("" when it has). */
static const char *no_column(const struct src_item *item, const char *from, int col, char *out,
                             size_t len)
{
    char *name;
    size_t at;

    if (item->json != NULL || col >= 0)
        return "";
    name = json_path_name(from);
    at = (size_t)snprintf(out, len, ": the header has no column '%s' (it has ",
                          name != NULL ? name : from);
    free(name);
    for (size_t c = 0; c < item->nheader && c < 5 && at < len; c++)
        at += (size_t)snprintf(out + at, len - at, "%s'%s'", c > 0 ? ", " : "", item->header[c]);
    if (at < len)
        snprintf(out + at, len - at, "%s)", item->nheader > 5 ? ", ..." : "");
    return out;
}

/* no_column for a field of [schema]: its first mapping, when none of its
 * mappings has a column. */
static const char *field_no_column(const struct mapper *m, const struct src_item *item, int field,
                                   char *out, size_t len)
{
    const struct target *first = NULL;

    for (size_t i = 0; i < m->ntargets; i++) {
        if (m->targets[i].field != field)
            continue;
        if (m->targets[i].col >= 0)
            return "";
        if (first == NULL)
            first = &m->targets[i];
    }
    return first != NULL ? no_column(item, first->from, -1, out, len) : "";
}

static int map_field(struct mapper *m, const struct src_item *item, size_t f, struct mapped *row,
                     struct reject *why)
{
    const struct schema_field *field = &m->cfg->fields[f];
    struct target *hit = NULL;
    enum found got = FOUND_NONE;
    char reason[400];

    row->values[f] = NULL;
    for (size_t i = 0; i < m->ntargets && got == FOUND_NONE; i++)
        if (m->targets[i].field == (int)f &&
            (got = value_of(m, item, m->targets[i].from, m->targets[i].col)) != FOUND_NONE)
            hit = &m->targets[i];
    if (hit == NULL)
        return field->required ? reject(why, field->name, "missing required field '%s'%s",
                                        field->name,
                                        field_no_column(m, item, (int)f, reason, sizeof reason))
                               : 0;
    hit->carried++;
    int rc = -1;
    if (got == FOUND_BAD)
        snprintf(reason, sizeof reason, "%s", m->why);
    else if ((rc = mapper_coerce(field->type, m->value.data, m->value.len, hit->format,
                                 &row->storage[f], reason, sizeof reason)) == 0) {
        row->values[f] = row->storage[f].data;
        return 0;
    }
    /* a declared format is a promise about every value: one that breaks it
     * is quarantined, not quietly nulled (it often means the format is
     * wrong); a value read but out of range is no matter of format */
    if (got != FOUND_BAD && hit->format == NULL && rc != MAPPER_OUT_OF_RANGE)
        hint_format(m, field, reason, sizeof reason);
    if (field->required || hit->format != NULL)
        return reject(why, field->name, "field '%s': %s", field->name, reason);
    m->nulled++;
    drift_unreadable(m->drift, field->name, reason, item->location);
    return 0;
}

/* Automatic mapping: whether the item has a column or top-level key named
 * like a field of [schema] (null or empty counts: the name is there). */
static bool carries_a_field(const struct mapper *m, const struct src_item *item)
{
    for (size_t i = 0; i < m->ntargets; i++) {
        bool twice;
        if (item->json == NULL ? m->targets[i].col >= 0
                               : jval_path(item->json, m->targets[i].from, &twice) != NULL ||
                                     twice)
            return true;
    }
    return false;
}

/* The names an item has (the header's columns, the record's keys), the
 * first few, into out. */
static void item_names(const struct src_item *item, struct buf *out)
{
    size_t n = 0;
    bool more = false;

    if (item->json == NULL) {
        for (; n < item->nheader && n < 8; n++)
            buf_printf(out, "%s'%s'", n > 0 ? ", " : "", item->header[n]);
        more = n < item->nheader;
    } else {
        const struct jval *c = item->json->child;
        for (; c != NULL && n < 8; c = c->next, n++) {
            buf_printf(out, "%s'", n > 0 ? ", " : "");
            buf_add(out, c->key, strnlen(c->key, c->keylen));
            buf_addc(out, '\'');
        }
        more = c != NULL;
    }
    if (n == 0)
        buf_adds(out, "nothing");
    else if (more)
        buf_adds(out, ", ...");
}

/* Why an automatically mapped source's read stops: what it is, where it was
 * read, the names it expected and the ones it met (a CSV header's, or the
 * first JSON record's). */
static void refuse(struct mapper *m, bool json, const char *names)
{
    struct buf msg = {0};

    /* the run names the source before the message ("shop: no map. ...") */
    buf_printf(&msg, "no map. lines, so each field of [schema] reads the %s of its own name, "
               "but ", json ? "key" : "column");
    if (json && m->uncarried == 1)
        buf_printf(&msg, "the one record of %s (%s) has none of them", m->src->url,
                   m->first_location);
    else if (json)
        buf_printf(&msg, "none of the first %lld records of %s has any of them", m->uncarried,
                   m->src->url);
    else
        buf_printf(&msg, "the header of %s has none of them", m->src->path);
    /* the first eight: the message is kept with the run (run_sources.error) */
    size_t n = m->cfg->nfields < 8 ? m->cfg->nfields : 8;
    buf_adds(&msg, ": expected ");
    for (size_t f = 0; f < n; f++)
        buf_printf(&msg, "%s'%s'", f == 0 ? "" : f + 1 == m->cfg->nfields ? " or " : ", ",
                   m->cfg->fields[f].name);
    if (n < m->cfg->nfields)
        buf_printf(&msg, ", ... (%zu fields)", m->cfg->nfields);
    buf_printf(&msg, " (in any case); ");
    if (json && m->uncarried > 1)
        buf_printf(&msg, "the first (%s) has %s", m->first_location, names);
    else
        buf_printf(&msg, "it has %s", names);
    m->remedy = json ? "map the source's own names with map.KEY = FIELD lines in"
                     : "map the source's own names with map.COLUMN = FIELD lines in";
    free(m->refusal);
    m->refusal = msg.data;
}

/* An automatically mapped record's fields looked at: false when the source
 * must be refused now (a CSV header without any of the fields). A JSON
 * record without them is counted, and judged with its batch. */
static bool judge_carried(struct mapper *m, const struct src_item *item)
{
    struct buf names = BUF_INIT;

    if (!m->automatic || m->carried)
        return true;
    if (carries_a_field(m, item))
        return m->carried = true;
    if (item->json != NULL && m->uncarried++ > 0)
        return true; /* only the first one's names are said */
    item_names(item, &names);
    if (item->json == NULL) {
        refuse(m, false, names.data);
        buf_free(&names);
        return false;
    }
    m->first_names = buf_detach(&names);
    m->first_location = xstrdup(item->location);
    return true;
}

int mapper_unmapped(struct mapper *m)
{
    if (!m->automatic || m->carried || m->uncarried == 0)
        return 0;
    refuse(m, true, m->first_names);
    return -1;
}

char *mapper_refusal(const struct mapper *m, const char *outcome)
{
    if (m->refusal == NULL)
        return NULL;
    return xasprintf("%s; %s: %s [source %s]", m->refusal, outcome, m->remedy, m->src->name);
}

/* An item that could not be read: named by its id when its columns are
 * there and the id among the readable ones (source.h). */
static int reject_unreadable(struct mapper *m, const struct src_item *item, struct mapped *row,
                             struct reject *why)
{
    if (item->json == NULL && item->cols != NULL &&
        value_of(m, item, m->src->id_field, m->id_col) == FOUND)
        buf_add(&row->source_id, m->value.data, m->value.len);
    return reject(why, NULL, "%s", item->error);
}

int mapper_apply(struct mapper *m, const struct src_item *item, struct mapped *row,
                 struct reject *why)
{
    buf_reset(&row->source_id);
    if (item->json == NULL && item->cols != NULL && !m->resolved)
        resolve_header(m, item);
    if (item->json == NULL && m->refusal != NULL) /* a CSV header's holds for every line */
        return -1;
    if (item->error != NULL)
        return reject_unreadable(m, item, row, why);
    watch_fields(m, item);

    enum found id = value_of(m, item, m->src->id_field, m->id_col);
    char lacks[300];
    /* an id written as "" (or blanks) is there to see in the record: said
     * as such, not as a key or column the record lacks */
    if (id == FOUND_NONE && m->blank)
        return reject(why, m->src->id_field, "empty id (field '%s')%s", m->src->id_field,
                      m->value.len > 0 ? ": only blanks" : "");
    if (id == FOUND_NONE)
        return reject(why, m->src->id_field, "missing id (field '%s')%s", m->src->id_field,
                      no_column(item, m->src->id_field, m->id_col, lacks, sizeof lacks));
    if (id == FOUND_BAD)
        return reject(why, m->src->id_field, "unreadable id (field '%s'): %s", m->src->id_field,
                      m->why);
    /* an object, array or boolean identifies nothing: taken as text, every
     * record whose id is {} or true would be one record */
    if (item->json != NULL && m->value_type != JT_STRING && m->value_type != JT_NUMBER)
        return reject(why, m->src->id_field, "unreadable id (field '%s'): %s %s, not a string "
                      "or a number", m->src->id_field,
                      m->value_type == JT_ARRAY ? "an array" : m->value_type == JT_OBJECT ?
                      "an object" : "a boolean", m->value.data);
    /* the id as the source wrote it: " a" and "a" are two records (a CSV
     * source's `trim` has already trimmed unquoted fields when it is on) */
    buf_add(&row->source_id, m->value.data, m->value.len);
    if (!judge_carried(m, item))
        return -1;
    m->identified++;
    for (size_t f = 0; f < m->cfg->nfields; f++)
        if (map_field(m, item, f, row, why) != 0)
            return 1;
    build_payload(m, item, row);
    hash_row(m, row);
    return 0;
}

const char *mapper_cursor_value(const struct mapper *m, const struct mapped *row)
{
    return m->cursor_field < 0 ? NULL : row->values[m->cursor_field];
}

long long mapper_nulled(const struct mapper *m) { return m->nulled; }

cJSON *mapper_drift(const struct mapper *m)
{
    const char **missing = xcalloc(m->ntargets + 1, sizeof *missing);
    const char **pool = xcalloc(m->cfg->nfields + 1, sizeof *pool);
    size_t nmissing = 0, npool = 0;
    cJSON *report;

    /* a field is "in no record" only if some record's fields were looked
     * at: when every record lacked its id, nothing is known of the others */
    for (size_t i = 0; i < m->ntargets && m->identified > 0 && !m->automatic; i++)
        if (m->targets[i].carried == 0)
            missing[nmissing++] = m->targets[i].from;
    /* an automatic source lacking a field is no drift (a source holds some
     * of the schema's fields); its uncarried fields are the guesses' pool */
    for (size_t f = 0; f < m->cfg->nfields; f++) {
        bool taken = false;
        for (size_t i = 0; i < m->ntargets; i++)
            taken |= m->targets[i].field == (int)f && (!m->automatic || m->targets[i].carried);
        if (!taken)
            pool[npool++] = m->cfg->fields[f].name;
    }
    report = drift_report(m->drift, missing, nmissing, pool, npool);
    free(missing);
    free(pool);
    return report;
}

/*
 * fold.c — search folding (see fold.h). One table, built once from
 * utf8proc, maps each letter of the scripts people search in (Latin,
 * Greek, Cyrillic, full-width Latin) to its folded letter when that is a
 * single character; combining marks go. fold_text() and the SQL side both
 * read the table, so a needle folded here matches a value folded by
 * PostgreSQL's translate() in kasparro.fold(), the SQL function
 * fold_sql_functions() writes with the table as literals. A letter whose
 * folding is several characters (ß → ss) is kept: translate() maps one to
 * one.
 *
 * translate() finds each character of the text by walking `from` from its
 * start (and `to` as far again), so the SQL table is ordered by how often
 * titles use its characters, not by code point, and holds the letters that
 * fold to themselves too: a character missing from `from` costs the whole
 * walk. With the lower-case letters first, a search over 400,000 titles,
 * 30% of them not ASCII, went from 21–28 s to 2.1 s (docs/architecture.md).
 */
#include "kasparro/fold.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "kasparro/buf.h"

struct cp_range {
    utf8proc_int32_t lo, hi;
};

static const struct cp_range folded_ranges[] = {
    {0x41, 0x5a},     {0xc0, 0x24f},    {0x370, 0x3ff},   {0x400, 0x52f},
    {0x1e00, 0x1eff}, {0x1f00, 0x1fff}, {0xff21, 0xff3a}, {0xff41, 0xff5a},
};
#define MARKS_LO 0x300
#define MARKS_HI 0x36f

/* The SQL table's order: the space and ASCII's letters as often as English
 * uses them, then lower-case Latin-1, Cyrillic and Greek, digits and the
 * rest of ASCII, capitals, the rarer blocks; each character once (the
 * ranges leave out the space and the letters of sql_first). */
static const char sql_first[] = " etaoinshrdlcumwfgypbvkjxqz";
static const struct cp_range sql_order[] = {
    {0xdf, 0xff},     {0x430, 0x45f},   {0x3ac, 0x3ce},   {0x30, 0x39},
    {0x21, 0x2f},     {0x3a, 0x60},     {0x7b, 0x7e},     {0xc0, 0xde},
    {0x400, 0x42f},   {0x370, 0x3ab},   {0x3cf, 0x3ff},   {0x100, 0x24f},
    {0x460, 0x52f},   {0x1e00, 0x1fff}, {0xff21, 0xff3a}, {0xff41, 0xff5a},
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct buf sql_from, sql_to, trgm_from, trgm_to;
static utf8proc_int32_t *table; /* folded_ranges flattened: folded letter or itself */
static size_t table_len;

static utf8proc_int32_t fold_one(utf8proc_int32_t cp)
{
    utf8proc_int32_t out[8];
    utf8proc_ssize_t n = utf8proc_decompose_char(
        cp, out, 8, UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT,
        NULL);
    return n == 1 ? out[0] : cp;
}

static void add_char(struct buf *b, utf8proc_int32_t cp)
{
    utf8proc_uint8_t enc[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, enc);
    buf_add(b, enc, (size_t)n);
}

static utf8proc_int32_t folded(utf8proc_int32_t cp)
{
    size_t k = 0;

    for (size_t r = 0; r < ARRAY_SIZE(folded_ranges); r++) {
        if (cp >= folded_ranges[r].lo && cp <= folded_ranges[r].hi)
            return table[k + (size_t)(cp - folded_ranges[r].lo)];
        k += (size_t)(folded_ranges[r].hi - folded_ranges[r].lo + 1);
    }
    return cp >= MARKS_LO && cp <= MARKS_HI ? -1 : cp;
}

/* fold_trigrams()'s table: sql_from's, with the rest of ASCII (not its
 * capitals: lowered before) right after sql_first, since keys and titles
 * hold digits and dashes, then the characters beyond ASCII, each to its
 * folded letter made ASCII (fold.h); the combining marks last, dropped. */
static void build_trgm(void)
{
    buf_adds(&trgm_from, sql_first);
    buf_adds(&trgm_to, sql_first);
    for (utf8proc_int32_t cp = 0x21; cp < 0x7f; cp++)
        if (strchr(sql_first, cp) == NULL && (cp < 'A' || cp > 'Z')) {
            add_char(&trgm_from, cp);
            add_char(&trgm_to, cp);
        }
    for (size_t r = 0; r < ARRAY_SIZE(sql_order); r++)
        for (utf8proc_int32_t cp = sql_order[r].lo; cp <= sql_order[r].hi; cp++) {
            utf8proc_int32_t f = folded(cp);
            if (cp < 0x80)
                continue;
            add_char(&trgm_from, cp);
            add_char(&trgm_to, f < 0x80 ? f : 'a' + f % 26);
        }
    for (utf8proc_int32_t cp = MARKS_LO; cp <= MARKS_HI; cp++)
        add_char(&trgm_from, cp);
}

static void build(void)
{
    for (size_t r = 0; r < ARRAY_SIZE(folded_ranges); r++)
        table_len += (size_t)(folded_ranges[r].hi - folded_ranges[r].lo + 1);
    table = xmalloc(table_len * sizeof *table);
    size_t k = 0;
    for (size_t r = 0; r < ARRAY_SIZE(folded_ranges); r++)
        for (utf8proc_int32_t cp = folded_ranges[r].lo; cp <= folded_ranges[r].hi; cp++)
            table[k++] = fold_one(cp);
    buf_adds(&sql_from, sql_first);
    buf_adds(&sql_to, sql_first);
    for (size_t r = 0; r < ARRAY_SIZE(sql_order); r++)
        for (utf8proc_int32_t cp = sql_order[r].lo; cp <= sql_order[r].hi; cp++) {
            add_char(&sql_from, cp);
            add_char(&sql_to, folded(cp));
        }
    for (utf8proc_int32_t cp = MARKS_LO; cp <= MARKS_HI; cp++)
        add_char(&sql_from, cp); /* past the end of `to`: dropped */
    build_trgm();
}

/* `lit` as a dollar-quoted literal; the tables hold one '$' and no two
 * characters that could close it. */
static void add_literal(struct buf *b, const char *lit)
{
    if (strstr(lit, "$t$") != NULL)
        abort(); /* cannot happen: each character of a table is there once */
    buf_printf(b, "$t$%s$t$", lit);
}

/* The CASE that folds t through translate(…, from, to), ASCII text by
 * lower() alone (fold.h). */
static void add_fold_case(struct buf *b, const char *from, const char *to)
{
    buf_adds(b, "CASE WHEN octet_length(t) = length(t) THEN lower(t COLLATE \"C\") "
                "ELSE translate(lower(t COLLATE \"C\"), ");
    add_literal(b, from);
    buf_adds(b, ", ");
    add_literal(b, to);
    buf_adds(b, ") END");
}

char *fold_sql_functions(void)
{
    struct buf b = BUF_INIT;

    pthread_once(&once, build);
    buf_adds(&b, "CREATE OR REPLACE FUNCTION kasparro.fold(t text) RETURNS text LANGUAGE sql "
                 "IMMUTABLE PARALLEL SAFE AS $body$SELECT ");
    add_fold_case(&b, sql_from.data, sql_to.data);
    buf_adds(&b, "$body$;\nCREATE OR REPLACE FUNCTION kasparro.fold_trigrams(t text) "
                 "RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $body$SELECT ");
    add_fold_case(&b, trgm_from.data, trgm_to.data);
    buf_adds(&b, "$body$;\n");
    return buf_detach(&b);
}

char *fold_text(const char *s)
{
    struct buf out = BUF_INIT;
    size_t len = strlen(s), i = 0;

    pthread_once(&once, build);
    buf_adds(&out, "");
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            buf_addc(&out, s[i++]);
            continue;
        }
        if ((cp = folded(cp)) >= 0)
            add_char(&out, cp);
        i += (size_t)n;
    }
    return buf_detach(&out);
}

bool fold_contains(const char *hay, const char *folded_needle)
{
    char *f = fold_text(hay);
    bool hit = strstr(f, folded_needle) != NULL;

    free(f);
    return hit;
}

enum fold_trigram fold_trigram_class(uint32_t cp)
{
    utf8proc_int32_t f;

    pthread_once(&once, build);
    if (cp < 0x80)
        return isalnum((int)cp) ? FOLD_TRIGRAM_WORD : FOLD_TRIGRAM_OTHER;
    if (cp >= MARKS_LO && cp <= MARKS_HI)
        return FOLD_TRIGRAM_DROPPED;
    for (size_t r = 0; r < ARRAY_SIZE(sql_order); r++)
        if ((utf8proc_int32_t)cp >= sql_order[r].lo && (utf8proc_int32_t)cp <= sql_order[r].hi) {
            f = folded((utf8proc_int32_t)cp); /* as build_trgm maps it */
            return f >= 0x80 || isalnum((int)f) ? FOLD_TRIGRAM_WORD : FOLD_TRIGRAM_OTHER;
        }
    return FOLD_TRIGRAM_OTHER; /* kept as it is: CJK, symbols */
}

void fold_sql(const char **from, const char **to)
{
    pthread_once(&once, build);
    *from = sql_from.data;
    *to = sql_to.data;
}

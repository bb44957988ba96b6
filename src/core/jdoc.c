/*
 * jdoc.c — exact JSON documents (see jdoc.h): yajl's events built into a
 * tree that remembers every token as the source wrote it.
 *
 * yajl reports each value through a callback, after lexing its token; the
 * byte count it has consumed then marks where the token ends. Between the
 * end of one token and the start of the next there is only what yajl has
 * already checked to be whitespace, ',' or ':', so skipping those finds
 * where the next token starts: that is how a value's `tok` is known
 * without lexing anything here. Nodes and decoded strings come from an
 * arena freed with the document.
 */
#include "kasparro/jdoc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "kasparro/jsonpath.h"
#include "kasparro/utf8.h"

struct chunk {
    struct chunk *next;
    size_t used, cap;
    max_align_t data[];
};

struct jdoc {
    char *text;
    size_t len;
    struct jval *root;
    struct chunk *chunks;
};

static void *arena_alloc(struct jdoc *d, size_t n)
{
    struct chunk *c = d->chunks;

    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (c == NULL || c->used + n > c->cap) {
        size_t cap = n > 64 * 1024 ? n : 64 * 1024;
        c = xmalloc(sizeof *c + cap);
        c->next = d->chunks;
        c->used = 0;
        c->cap = cap;
        d->chunks = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

static const char *arena_copy(struct jdoc *d, const void *s, size_t len)
{
    char *p = arena_alloc(d, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

struct frame {
    struct jval *v;
    struct jval *tail;
};

struct builder {
    struct jdoc *d;
    yajl_handle h;
    size_t at;      /* where the last token seen ends */
    bool finishing; /* in yajl_complete_parse: its offsets are not ours */
    struct frame *stack;
    size_t depth, cap;
    /* the member name waiting for its value */
    const char *key, *ktok;
    size_t keylen, ktoklen;
    bool key_unpaired;
    char why[160];
};

/* The token just lexed: from the end of the previous one (past whitespace,
 * ',' and ':') to what yajl has consumed. */
static void token(struct builder *b, size_t *start, size_t *end)
{
    const char *t = b->d->text;
    size_t s = b->at, e;

    while (s < b->d->len && t[s] != '\0' && strchr(" \t\n\r,:", t[s]) != NULL)
        s++;
    if (b->finishing) { /* a number that ends the text */
        e = b->d->len;
        while (e > s && strchr(" \t\n\r", t[e - 1]) != NULL)
            e--;
    } else {
        e = yajl_get_bytes_consumed(b->h);
    }
    *start = s;
    *end = b->at = e;
}

static unsigned hex4(const char *p)
{
    unsigned v = 0;

    for (int i = 0; i < 4; i++)
        v = v * 16 + (unsigned)(isdigit((unsigned char)p[i])
                                    ? p[i] - '0'
                                    : tolower((unsigned char)p[i]) - 'a' + 10);
    return v;
}

/* Whether a string token (quotes included; yajl has checked its escapes)
 * holds an escaped UTF-16 surrogate without its other half. */
static bool unpaired_surrogate(const char *tok, size_t len)
{
    if (memmem(tok, len, "\\u", 2) == NULL)
        return false;
    for (size_t i = 1; i + 1 < len; i++) {
        if (tok[i] != '\\')
            continue;
        if (tok[++i] != 'u')
            continue;
        unsigned cp = hex4(tok + i + 1);
        i += 4;
        if (cp >= 0xdc00 && cp <= 0xdfff)
            return true;
        if (cp < 0xd800 || cp > 0xdbff)
            continue;
        if (i + 7 >= len || tok[i + 1] != '\\' || tok[i + 2] != 'u')
            return true;
        cp = hex4(tok + i + 3);
        if (cp < 0xdc00 || cp > 0xdfff)
            return true;
        i += 6;
    }
    return false;
}

static struct jval *add(struct builder *b, enum jtype type)
{
    struct jval *v = arena_alloc(b->d, sizeof *v);
    size_t start, end;

    token(b, &start, &end);
    v->type = type;
    v->tok = b->d->text + start;
    v->toklen = end - start;
    if (b->depth == 0) {
        b->d->root = v;
        return v;
    }
    struct frame *f = &b->stack[b->depth - 1];
    if (f->v->type == JT_OBJECT) {
        v->key = b->key;
        v->keylen = b->keylen;
        v->ktok = b->ktok;
        v->ktoklen = b->ktoklen;
        v->key_unpaired = b->key_unpaired;
    }
    if (f->tail == NULL)
        f->v->child = v;
    else
        f->tail->next = v;
    f->tail = v;
    f->v->n++;
    return v;
}

static int on_null(void *ctx)
{
    add(ctx, JT_NULL);
    return 1;
}

static int on_bool(void *ctx, int yes)
{
    add(ctx, yes ? JT_TRUE : JT_FALSE);
    return 1;
}

/* yajl passes the number's text too, but in complete_parse it may sit in a
 * buffer of its own: the token in the document is the same text. */
static int on_number(void *ctx, const char *s, size_t len)
{
    struct builder *b = ctx;
    struct jval *v = add(b, JT_NUMBER);

    (void)s, (void)len;
    v->str = arena_copy(b->d, v->tok, v->toklen);
    v->len = v->toklen;
    return 1;
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
    struct builder *b = ctx;
    struct jval *v = add(b, JT_STRING);

    v->str = arena_copy(b->d, s, len);
    v->len = len;
    v->unpaired = unpaired_surrogate(v->tok, v->toklen);
    return 1;
}

static int on_key(void *ctx, const unsigned char *s, size_t len)
{
    struct builder *b = ctx;
    size_t start, end;

    token(b, &start, &end);
    b->key = arena_copy(b->d, s, len);
    b->keylen = len;
    b->ktok = b->d->text + start;
    b->ktoklen = end - start;
    b->key_unpaired = unpaired_surrogate(b->ktok, b->ktoklen);
    return 1;
}

static int open_container(struct builder *b, enum jtype type)
{
    if (b->depth == JDOC_MAX_DEPTH) {
        snprintf(b->why, sizeof b->why, "nested deeper than %d levels", JDOC_MAX_DEPTH);
        return 0;
    }
    struct jval *v = add(b, type);
    if (b->depth == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->stack = xreallocarray(b->stack, b->cap, sizeof *b->stack);
    }
    b->stack[b->depth++] = (struct frame){v, NULL};
    return 1;
}

static int close_container(void *ctx)
{
    struct builder *b = ctx;
    struct jval *v = b->stack[--b->depth].v;

    b->at = yajl_get_bytes_consumed(b->h);
    v->toklen = b->at - (size_t)(v->tok - b->d->text);
    return 1;
}

static int on_start_map(void *ctx) { return open_container(ctx, JT_OBJECT); }
static int on_start_array(void *ctx) { return open_container(ctx, JT_ARRAY); }

static const yajl_callbacks callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_bool,
    .yajl_number = on_number, /* the text as written: never a double */
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_key,
    .yajl_end_map = close_container,
    .yajl_start_array = on_start_array,
    .yajl_end_array = close_container,
};

/* yajl's message, one line, without its trailing newline. */
static void yajl_reason(struct builder *b, char *out, size_t len)
{
    unsigned char *msg = yajl_get_error(b->h, 0, NULL, 0);
    snprintf(out, len, "%s", (const char *)msg);
    yajl_free_error(b->h, msg);
    out[strcspn(out, "\n")] = '\0';
    if (str_starts(out, "lexical error: ") || str_starts(out, "parse error: "))
        memmove(out, strchr(out, ':') + 2, strlen(strchr(out, ':') + 2) + 1);
    size_t n = strlen(out);
    if (n > 0 && out[n - 1] == '.')
        out[n - 1] = '\0';
}

struct jdoc *jdoc_parse(const char *text, size_t len, char *why, size_t whylen)
{
    struct jdoc *d = xcalloc(1, sizeof *d);
    struct builder b = {.d = d};
    size_t valid = utf8_valid_prefix(text, len);
    yajl_status st;

    d->text = xmalloc(len + 1);
    memcpy(d->text, text, len);
    d->text[len] = '\0';
    d->len = len;
    /* yajl takes a vertical tab or a form feed for whitespace; JSON does
     * not, and a string may not hold one raw either */
    const char *odd = valid < len ? NULL : strpbrk(d->text, "\v\f");
    if (valid < len || odd != NULL) {
        snprintf(why, whylen, "malformed JSON near byte %zu: %s",
                 odd ? (size_t)(odd - d->text) : valid,
                 odd                   ? "a vertical tab or form feed, which JSON does not allow"
                 : text[valid] == '\0' ? "a NUL byte"
                                       : "not UTF-8");
        jdoc_free(d);
        return NULL;
    }
    b.h = yajl_alloc(&callbacks, NULL, &b);
    st = yajl_parse(b.h, (const unsigned char *)d->text, len);
    if (st == yajl_status_ok) {
        b.finishing = true;
        st = yajl_complete_parse(b.h);
    }
    if (st != yajl_status_ok) {
        char reason[160];
        size_t at = b.finishing ? len : yajl_get_bytes_consumed(b.h);
        if (b.why[0] != '\0')
            snprintf(reason, sizeof reason, "%s", b.why);
        else
            yajl_reason(&b, reason, sizeof reason);
        snprintf(why, whylen, "malformed JSON near byte %zu: %s%s", at, reason,
                 b.finishing ? " (the text ends early)" : "");
        jdoc_free(d);
        d = NULL;
    }
    yajl_free(b.h);
    free(b.stack);
    return d;
}

const struct jval *jdoc_root(const struct jdoc *d) { return d->root; }

void jdoc_free(struct jdoc *d)
{
    if (d == NULL)
        return;
    while (d->chunks != NULL) {
        struct chunk *next = d->chunks->next;
        free(d->chunks);
        d->chunks = next;
    }
    free(d->text);
    free(d);
}

static bool same_key(const struct jval *m, const char *key, size_t len, bool fold)
{
    if (m->key_unpaired || m->keylen != len)
        return false;
    if (!fold)
        return memcmp(m->key, key, len) == 0;
    for (size_t i = 0; i < len; i++)
        if (tolower((unsigned char)m->key[i]) != tolower((unsigned char)key[i]))
            return false;
    return true;
}

/* The member named key: exactly, else ignoring case; NULL when absent or
 * when two members answer (then *ambiguous). */
static const struct jval *member(const struct jval *obj, const char *key, bool *ambiguous)
{
    size_t len = strlen(key);

    for (int fold = 0; fold < 2; fold++) {
        const struct jval *hit = NULL;
        for (const struct jval *m = obj->child; m != NULL; m = m->next) {
            if (!same_key(m, key, len, fold))
                continue;
            if (hit != NULL) {
                *ambiguous = true;
                return NULL;
            }
            hit = m;
        }
        if (hit != NULL)
            return hit;
    }
    return NULL;
}

static const struct jval *step(const struct jval *v, const char *seg, bool *ambiguous)
{
    if (v->type == JT_ARRAY) {
        char *end;
        long i = strtol(seg, &end, 10);
        const struct jval *e = v->child;
        if (*end != '\0' || end == seg || i < 0)
            return NULL;
        while (e != NULL && i-- > 0)
            e = e->next;
        return e;
    }
    return v->type == JT_OBJECT ? member(v, seg, ambiguous) : NULL;
}

const struct jval *jval_path(const struct jval *v, const char *path, bool *ambiguous)
{
    char small[256], *seg;
    size_t cap;
    int rc = 0;
    bool twice = false;

    if (path != NULL) {
        cap = strlen(path) + 1;
        seg = cap <= sizeof small ? small : xmalloc(cap);
        while (v != NULL && (rc = json_path_next(&path, seg, cap, NULL, 0)) > 0)
            v = step(v, seg, &twice);
        if (seg != small)
            free(seg);
    }
    if (ambiguous != NULL)
        *ambiguous = twice;
    return rc < 0 ? NULL : v;
}

void jval_compact(const struct jval *v, struct buf *out)
{
    if (v->type != JT_ARRAY && v->type != JT_OBJECT) {
        buf_add(out, v->tok, v->toklen);
        return;
    }
    buf_addc(out, v->type == JT_ARRAY ? '[' : '{');
    for (const struct jval *c = v->child; c != NULL; c = c->next) {
        if (c != v->child)
            buf_addc(out, ',');
        if (v->type == JT_OBJECT) {
            buf_add(out, c->ktok, c->ktoklen);
            buf_addc(out, ':');
        }
        jval_compact(c, out);
    }
    buf_addc(out, v->type == JT_ARRAY ? ']' : '}');
}

const char *jval_kind(const struct jval *v)
{
    static const char *kinds[] = {
        [JT_NULL] = "null",       [JT_FALSE] = "a boolean", [JT_TRUE] = "a boolean",
        [JT_NUMBER] = "a number", [JT_STRING] = "a string", [JT_ARRAY] = "an array",
        [JT_OBJECT] = "an object"};
    return v == NULL ? "nothing" : kinds[v->type];
}

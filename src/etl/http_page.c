/*
 * http_page.c — from a fetched body to its records, or to a message that
 * tells an operator what came instead.
 *
 * APIs fail in ways a status code does not show: a proxy's HTML error page
 * served with 200, a JSON error object where the records should be, a body
 * cut short. Each gets its own message, with an excerpt of what arrived, so
 * "page 2: expected JSON, got text/html: 'Bad Gateway'" can be read
 * without re-running anything. jdoc.h does the parsing, strictly and
 * exactly; where it stopped becomes "malformed JSON near byte 1234: ...".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kasparro/http.h"
#include "kasparro/jsonpath.h"
#include "kasparro/textenc.h"
#include "kasparro/utf8.h"

/* Whether a Content-Type promises JSON; none (file://) is taken on trust.
 * It only chooses the message when the body is not JSON: JSON files served
 * by object stores come as application/octet-stream, and many web apps
 * serve their JSON as text/html, so a body that parses as JSON is JSON
 * whatever its label says. */
static bool json_content_type(const char *ct)
{
    return ct == NULL || strcasestr(ct, "json") != NULL;
}

static bool markup(const struct buf *body)
{
    const char *p = buf_str(body);

    while (isspace((unsigned char)*p))
        p++;
    return *p == '<';
}

static int page_error(char *why, size_t len, struct jdoc **doc, const char *fmt, ...)
    PRINTF_LIKE(4, 5);
static int page_error(char *why, size_t len, struct jdoc **doc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    jdoc_free(*doc);
    *doc = NULL;
    return -1;
}

/* The charset= a Content-Type declares, unquoted, into out; false for none. */
static bool declared_charset(const char *ct, char *out, size_t len)
{
    const char *p = ct ? strcasestr(ct, "charset=") : NULL;
    size_t n;

    if (p == NULL)
        return false;
    p += strlen("charset=");
    if (*p == '"')
        p++;
    n = strcspn(p, "\"; \t");
    snprintf(out, len, "%.*s", (int)n, p);
    return n > 0;
}

/* The charset an HTML page declares in a <meta> tag among its first 1024
 * bytes, where browsers look for it before parsing: <meta charset="x">, or
 * http-equiv's content="text/html; charset=x". A scan for the tags and the
 * word inside them, no HTML parser: an error page is only quoted. */
static bool meta_charset(const struct buf *body, char *out, size_t len)
{
    char head[1025];
    size_t n = body->len < sizeof head - 1 ? body->len : sizeof head - 1;

    memcpy(head, buf_str(body), n);
    head[n] = '\0';
    char *tag = head;
    while ((tag = strcasestr(tag, "<meta")) != NULL) {
        char *end = strchr(tag, '>');
        if (end != NULL)
            *end = '\0'; /* charset= must be inside this tag */
        char *p = strcasestr(tag, "charset=");
        if (p != NULL) {
            p += strlen("charset=");
            p += strspn(p, "\"' ");
            size_t v = strcspn(p, "\"'; \t/");
            snprintf(out, len, "%.*s", (int)v, p);
            return v > 0;
        }
        if (end == NULL)
            return false;
        tag = end + 1;
    }
    return false;
}

/* An excerpt's bytes as UTF-8: read in the charset the response declares
 * when they are not UTF-8 (an HTML error page in latin-1 is not converted
 * with the records) — in its Content-Type, else in the page's own <meta> —
 * else every byte that is no UTF-8 as '?', so that no message carries
 * bytes a terminal or a JSON reader cannot show. */
static char *excerpt_utf8(const struct http_response *r, const char *text, size_t n)
{
    char charset[64], *s;
    size_t outlen;
    unsigned char bad;
    int enc = declared_charset(r->content_type, charset, sizeof charset) ||
                      meta_charset(&r->body, charset, sizeof charset)
                  ? config_encoding_named(charset)
                  : -1;

    if (utf8_valid_prefix(text, n) == n)
        return xstrdup(text);
    if (enc == ENC_LATIN1 || enc == ENC_CP1252) {
        struct textenc *t = textenc_open((enum csv_encoding)enc);
        s = textenc_to_utf8(t, text, n, &outlen, &bad);
        textenc_close(t);
        if (s != NULL)
            return s;
    }
    s = xstrdup(text);
    for (size_t i = utf8_valid_prefix(s, n); i < n; i += utf8_valid_prefix(s + i, n - i))
        s[i++] = '?';
    return s;
}

void http_body_excerpt(const struct http_response *r, char *out, size_t len)
{
    /* an HTML page by its words, an HTTP error's JSON by its message
     * (http_excerpt.c); else the body's first characters */
    char *words = markup(&r->body) ? http_html_words(buf_str(&r->body), r->body.len)
                  : r->status >= 400 ? http_json_error_words(buf_str(&r->body), r->body.len)
                                     : NULL;
    const char *p = words != NULL ? words : buf_str(&r->body);
    char text[480];
    size_t n = 0;

    /* whitespace runs as one space, control characters as '?' */
    for (; *p != '\0' && n < sizeof text - 1; p++) {
        unsigned char c = (unsigned char)*p;
        if (isspace(c)) {
            if (n > 0 && text[n - 1] != ' ')
                text[n++] = ' ';
            continue;
        }
        text[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    text[n] = '\0';
    free(words);
    char *u = excerpt_utf8(r, text, n);
    utf8_fit(out, len, str_trim(u), HTTP_EXCERPT_CELLS);
    free(u);
}

/* A body read in t's encoding that holds a UTF-8 character (a UTF-8 part
 * pasted into a windows-1252 one): 1 with what t makes of the first in
 * why, in the words of a CSV file's warning; else 0. Only bodies that are
 * not UTF-8 come here, so the common one costs nothing. */
static int utf8_inside(const struct http_response *r, struct textenc *t, const char *source,
                       char *why, size_t whylen)
{
    const char *p = r->body.data, *end = p + r->body.len;
    char where[64];

    for (; p < end; p++) {
        size_t k = (unsigned char)*p >= 0x80 ? textenc_utf8_at(p, (size_t)(end - p)) : 0;
        if (k == 0)
            continue;
        snprintf(where, sizeof where, "at offset %zu of the response", (size_t)(p - r->body.data));
        textenc_utf8_note(t, p, k, where, "the response", source, why, whylen);
        return 1;
    }
    return 0;
}

int http_body_to_utf8(struct http_response *r, enum csv_encoding fallback, const char *source,
                      char *why, size_t whylen)
{
    size_t valid = utf8_valid_prefix(r->body.data, r->body.len), n;
    char charset[64];
    bool declared = declared_charset(r->content_type, charset, sizeof charset);
    int enc = declared ? config_encoding_named(charset) : (int)fallback;
    unsigned char bad;

    /* UTF-8, or a NUL byte in it, which the JSON parser names; or an HTML
     * page, which http_page_parse names as that */
    if (valid == r->body.len || r->body.data[valid] == '\0' || markup(&r->body))
        return 0;
    if (enc < 0) {
        snprintf(why, whylen, "the response is not UTF-8 (byte %zu is 0x%02X) and declares "
                 "charset=%s, which kasparro does not read (utf-8, latin-1, windows-1252)", valid,
                 (unsigned char)r->body.data[valid], charset);
        return -1;
    }
    if (enc == ENC_UTF8) {
        snprintf(why, whylen, "the response is not UTF-8 (byte %zu is 0x%02X)%s", valid,
                 (unsigned char)r->body.data[valid],
                 declared ? ", though it declares charset=utf-8"
                          : "; if the API writes latin-1 or windows-1252 without saying so, set "
                            "encoding = latin-1 or windows-1252");
        return -1;
    }
    struct textenc *t = textenc_open((enum csv_encoding)enc);
    char *u = textenc_to_utf8(t, r->body.data, r->body.len, &n, &bad);
    int rc = u != NULL ? utf8_inside(r, t, declared ? NULL : source, why, whylen) : -1;
    textenc_close(t);
    if (u == NULL) {
        const char *at = memchr(r->body.data, bad, r->body.len);
        char where[64];
        snprintf(where, sizeof where, "at offset %zu of the response",
                 at != NULL ? (size_t)(at - r->body.data) : 0);
        textenc_cp1252_fault(r->body.data, r->body.len, bad, where, "the response",
                             declared ? NULL : source, why, whylen);
        return -1;
    }
    buf_reset(&r->body);
    buf_add(&r->body, u, n);
    free(u);
    return rc;
}

/* When `path` finds nothing because a value on the way is null
 * ({"data": null} for "data.items"), that value's path (caller frees);
 * else NULL. */
static char *null_on_path(const struct jval *root, const char *path)
{
    size_t cap = strlen(path) + 1;
    char *seg = xmalloc(cap), *prefix = NULL;
    const char *p = path;

    while (json_path_next(&p, seg, cap, NULL, 0) > 0) {
        size_t n = (size_t)(p - path);
        const struct jval *v;
        prefix = xstrndup(path, n > 0 && path[n - 1] == '.' ? n - 1 : n);
        v = jval_path(root, prefix, NULL);
        if (v != NULL && v->type == JT_NULL)
            break;
        free(prefix);
        prefix = NULL;
        if (v == NULL)
            break;
    }
    free(seg);
    return prefix;
}

int http_page_parse(const struct http_response *r, const char *records_path, bool null_empty,
                    struct jdoc **doc, const struct jval **records, char *why, size_t whylen)
{
    static const struct jval no_records = {.type = JT_ARRAY};
    char excerpt[4 * HTTP_EXCERPT_CELLS], reason[256];
    bool twice;

    *doc = NULL;
    *records = NULL;
    http_body_excerpt(r, excerpt, sizeof excerpt);
    /* 204 No Content is the server's own word that there is nothing: a
     * page without records (what an empty answer with 200 does not say) */
    if (r->status == 204 && r->body.len == 0) {
        *doc = jdoc_parse("null", 4, reason, sizeof reason);
        *records = &no_records;
        return 0;
    }
    if (r->body.len == 0)
        return page_error(why, whylen, doc, "empty response, expected JSON");
    if (markup(&r->body))
        return page_error(why, whylen, doc, "expected JSON, got %s: '%s'",
                          r->content_type ? r->content_type : "markup", excerpt);
    if ((*doc = jdoc_parse(buf_str(&r->body), r->body.len, reason, sizeof reason)) == NULL &&
        !json_content_type(r->content_type))
        return page_error(why, whylen, doc, "expected JSON, got %s: '%s'", r->content_type,
                          excerpt);
    if (*doc == NULL)
        return page_error(why, whylen, doc, "%s", reason);
    *records = jval_path(jdoc_root(*doc), records_path, &twice);
    if (twice)
        return page_error(why, whylen, doc, "the response holds '%s' twice", records_path);
    if (*records == NULL && !str_empty(records_path)) {
        /* a null on the way to the records says no records as a null array
         * does: {"data": null} for data.items */
        char *gone = null_on_path(jdoc_root(*doc), records_path);
        if (gone != NULL && null_empty) {
            free(gone);
            *records = &no_records;
            return 0;
        }
        if (gone != NULL) {
            page_error(why, whylen, doc, "'%s' is null, so the response holds no '%s' (an API "
                       "that answers null for no records wants null_records = empty)", gone,
                       records_path);
            free(gone);
            return -1;
        }
    }
    if (*records == NULL)
        return page_error(why, whylen, doc, "no '%s' in the response: '%s'", records_path, excerpt);
    /* an API written in Go answers a nil slice, no records, with null; an
     * error answer can hold null too, so only the source's setting says
     * which this one means */
    if ((*records)->type == JT_NULL && null_empty) {
        *records = &no_records;
        return 0;
    }
    if ((*records)->type == JT_NULL)
        return page_error(why, whylen, doc, "%s%s%s is null, not an array of records (an API "
                          "that answers null for no records wants null_records = empty)",
                          str_empty(records_path) ? "the response" : "'",
                          str_empty(records_path) ? "" : records_path,
                          str_empty(records_path) ? "" : "'");
    if ((*records)->type != JT_ARRAY) {
        if (str_empty(records_path))
            return page_error(why, whylen, doc,
                              "the response is %s, not an array of records "
                              "(set 'records' to the path of the array)",
                              jval_kind(*records));
        return page_error(why, whylen, doc, "'%s' is %s, not an array of records", records_path,
                          jval_kind(*records));
    }
    return 0;
}

/*
 * http_excerpt.c — the words of an error body, for the message that quotes
 * it (http_body_excerpt, http_page.c).
 *
 * A server says why it refused a request in its body, and an operator
 * should read that without re-running anything. Its first bytes rarely
 * say it: an HTML error page starts with its <!DOCTYPE> and <head>, a JSON
 * error body with its braces and keys. So an HTML page is quoted by its
 * words: the text of its <title>, then the text of the page, its tags,
 * comments, scripts and styles left out, a heading that repeats the title
 * left out, and the common character references (&amp;, &#233;) read. It
 * is a scan for a message, bounded by HTML_SCAN bytes of the page and
 * WORDS_MAX bytes of words, not an HTML parser. A JSON error body is quoted
 * by its code and message ({"error": "invalid_token", "error_description":
 * "..."}, {"message": "..."}, {"detail": ...}, {"errors": [{"message": ...}]}),
 * read with cJSON. NULL when there are no such words: the caller quotes the
 * body's first characters instead.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <utf8proc.h>

#include "kasparro/buf.h"
#include "kasparro/http.h"

enum { HTML_SCAN = 64 * 1024, WORDS_MAX = 600 };

/* A character reference at p (which starts with '&'), read into out:
 * the bytes of p it took, 0 when it is none kasparro reads (the '&' is
 * then text). */
static size_t reference(const char *p, const char *end, char *out, size_t *outlen)
{
    static const struct {
        const char *name;
        const char *text;
    } named[] = {{"&amp;", "&"},  {"&lt;", "<"},   {"&gt;", ">"},
                 {"&quot;", "\""}, {"&apos;", "'"}, {"&nbsp;", " "}};
    char *stop;
    unsigned long c;

    for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
        size_t n = strlen(named[i].name);
        if ((size_t)(end - p) >= n && strncasecmp(p, named[i].name, n) == 0) {
            *outlen = strlen(named[i].text);
            memcpy(out, named[i].text, *outlen);
            return n;
        }
    }
    if (end - p < 4 || p[1] != '#')
        return 0;
    if (p[2] == 'x' || p[2] == 'X')
        c = strtoul(p + 3, &stop, 16);
    else
        c = strtoul(p + 2, &stop, 10);
    if (stop >= end || *stop != ';' || !isxdigit((unsigned char)stop[-1]))
        return 0;
    /* NUL, a surrogate or past U+10FFFF is no character: the '&' is text */
    if (c == 0 || c > 0x10FFFF || !utf8proc_codepoint_valid((utf8proc_int32_t)c))
        return 0;
    *outlen = (size_t)utf8proc_encode_char((utf8proc_int32_t)c, (utf8proc_uint8_t *)out);
    return (size_t)(stop + 1 - p);
}

/* The text between two tags, trimmed and with its whitespace runs as one
 * space, added to the words: the title, then what does not repeat it. */
struct words {
    struct buf all;
    struct buf chunk;
    char *title;      /* once its closing tag was met */
    bool in_title;
};

static void chunk_end(struct words *w)
{
    char *t = w->chunk.data;
    size_t n = w->chunk.len;

    while (n > 0 && t[n - 1] == ' ')
        n--;
    if (n == 0) {
        buf_reset(&w->chunk);
        return;
    }
    t[n] = '\0';
    w->chunk.len = n;
    if (w->in_title) /* a title is one chunk, tags inside it aside */
        return;
    if (w->title == NULL || strcasecmp(t, w->title) != 0) {
        if (w->all.len > 0)
            buf_addc(&w->all, ' ');
        buf_adds(&w->all, t);
    }
    buf_reset(&w->chunk);
}

static void chunk_add(struct words *w, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (isspace((unsigned char)s[i])) {
            if (w->chunk.len > 0 && w->chunk.data[w->chunk.len - 1] != ' ')
                buf_addc(&w->chunk, ' ');
        } else {
            buf_add(&w->chunk, &s[i], 1);
        }
    }
}

/* The tag at p ('<'): where it ends, and what it means for the words (a
 * title begins or ends; a script's or style's text is passed over). */
static const char *tag(struct words *w, const char *p, const char *end)
{
    const char *name = p + 1 + (p[1] == '/'), *q;
    size_t n = 0;

    if ((size_t)(end - p) >= 4 && memcmp(p, "<!--", 4) == 0) {
        q = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
        return q != NULL ? q + 3 : end;
    }
    while (name + n < end && isalnum((unsigned char)name[n]))
        n++;
    q = memchr(p, '>', (size_t)(end - p));
    q = q != NULL ? q + 1 : end;
    chunk_end(w);
    if (n == 5 && strncasecmp(name, "title", 5) == 0 && p[1] != '/' && w->title == NULL) {
        w->in_title = true;
    } else if (n == 5 && strncasecmp(name, "title", 5) == 0 && w->in_title) {
        w->in_title = false;
        w->title = xstrdup(buf_str(&w->chunk));
        buf_reset(&w->chunk);
        if (w->title[0] != '\0') /* the title leads the words */
            buf_printf(&w->all, "%s%s", w->all.len > 0 ? " " : "", w->title);
    } else if (p[1] != '/' && ((n == 6 && strncasecmp(name, "script", 6) == 0) ||
                               (n == 5 && strncasecmp(name, "style", 5) == 0))) {
        char close[10] = "</";
        memcpy(close + 2, name, n);
        for (const char *s = q; s + n + 2 <= end; s++)
            if (strncasecmp(s, close, n + 2) == 0)
                return s;
        return end;
    }
    return q;
}

char *http_html_words(const char *body, size_t len)
{
    const char *p = body, *end = body + (len < HTML_SCAN ? len : HTML_SCAN);
    struct words w = {BUF_INIT, BUF_INIT, NULL, false};

    while (p < end && w.all.len < WORDS_MAX) {
        if (*p == '<') {
            p = tag(&w, p, end);
        } else if (*p == '&') {
            char ref[8];
            size_t n, took = reference(p, end, ref, &n);
            chunk_add(&w, took > 0 ? ref : p, took > 0 ? n : 1);
            p += took > 0 ? took : 1;
        } else {
            chunk_add(&w, p++, 1);
        }
    }
    w.in_title = false;
    chunk_end(&w);
    free(w.title);
    buf_free(&w.chunk);
    if (w.all.len == 0) {
        buf_free(&w.all);
        return NULL;
    }
    return buf_detach(&w.all);
}

/* The first member of `o` among `keys` that is a non-empty string. */
static const char *string_member(const cJSON *o, const char *const *keys)
{
    for (; *keys != NULL; keys++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, *keys);
        if (cJSON_IsString(v) && v->valuestring[0] != '\0')
            return v->valuestring;
    }
    return NULL;
}

char *http_json_error_words(const char *body, size_t len)
{
    static const char *const messages[] = {"message", "error_description", "detail",
                                           "title", NULL};
    cJSON *root = cJSON_ParseWithLength(body, len), *err, *errors;
    const char *code = NULL, *msg = NULL;
    char *words = NULL;

    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return NULL;
    }
    err = cJSON_GetObjectItemCaseSensitive(root, "error");
    errors = cJSON_GetObjectItemCaseSensitive(root, "errors");
    if (cJSON_IsString(err) && err->valuestring[0] != '\0')
        code = err->valuestring;
    msg = string_member(root, messages);
    if (msg == NULL && cJSON_IsObject(err)) /* {"error": {"code": 404, "message": ...}} */
        msg = string_member(err, messages);
    if (msg == NULL && cJSON_IsArray(errors)) {
        const cJSON *first = cJSON_GetArrayItem(errors, 0);
        msg = cJSON_IsString(first) ? first->valuestring : string_member(first, messages);
    }
    if (code != NULL && msg != NULL && strcmp(code, msg) != 0)
        words = xasprintf("%s: %s", code, msg);
    else if (code != NULL || msg != NULL)
        words = xstrdup(msg != NULL ? msg : code);
    cJSON_Delete(root);
    return words;
}

/*
 * http_page.c — from a fetched body to its records, or to a message that
 * tells an operator what came instead.
 *
 * APIs fail in ways a status code does not show: a proxy's HTML error page
 * served with 200, a JSON error object where the records should be, a body
 * cut short. Each gets its own message, with an excerpt of what arrived, so
 * "page 2: expected JSON, got text/html: '<title>Bad Gateway'" can be read
 * without re-running anything. cJSON does the parsing; the position it
 * stopped at becomes "malformed JSON near byte 1234".
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kasparro/http.h"
#include "kasparro/jsonpath.h"
#include "kasparro/utf8.h"

/* No Content-Type (file://) is taken on trust; the body still has to parse. */
static bool json_content_type(const char *ct)
{
    return ct == NULL || strcasestr(ct, "json") != NULL || strncasecmp(ct, "text/plain", 10) == 0;
}

static bool markup(const struct buf *body)
{
    const char *p = buf_str(body);

    while (isspace((unsigned char)*p))
        p++;
    return *p == '<';
}

void http_body_excerpt(const struct http_response *r, char *out, size_t len)
{
    const char *b = buf_str(&r->body), *title = strcasestr(b, "<title>");
    const char *p = title != NULL ? title : b;
    char text[240];
    size_t n = 0;

    /* whitespace runs as one space, control characters as '?' */
    for (; *p != '\0' && n < sizeof text - 1; p++) {
        unsigned char c = (unsigned char)*p;
        if (title != NULL && strncasecmp(p, "</title>", 8) == 0)
            break;
        if (isspace(c)) {
            if (n > 0 && text[n - 1] != ' ')
                text[n++] = ' ';
            continue;
        }
        text[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    text[n] = '\0';
    utf8_fit(out, len, str_trim(text), 50);
}

const char *http_json_kind(const cJSON *j)
{
    return cJSON_IsObject(j)   ? "an object"
           : cJSON_IsArray(j)  ? "an array"
           : cJSON_IsString(j) ? "a string"
           : cJSON_IsNumber(j) ? "a number"
           : cJSON_IsBool(j)   ? "a boolean"
           : cJSON_IsNull(j)   ? "null"
                               : "something else";
}

static int page_error(char *why, size_t len, cJSON **doc, const char *fmt, ...) PRINTF_LIKE(4, 5);
static int page_error(char *why, size_t len, cJSON **doc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    cJSON_Delete(*doc);
    *doc = NULL;
    return -1;
}

int http_page_parse(const struct http_response *r, const char *records_path, cJSON **doc,
                    const cJSON **records, char *why, size_t whylen)
{
    const char *end = NULL, *body = buf_str(&r->body);
    char excerpt[64];

    *doc = NULL;
    *records = NULL;
    http_body_excerpt(r, excerpt, sizeof excerpt);
    if (r->body.len == 0)
        return page_error(why, whylen, doc, "empty response, expected JSON");
    if (!json_content_type(r->content_type) || markup(&r->body))
        return page_error(why, whylen, doc, "expected JSON, got %s: '%s'",
                          r->content_type ? r->content_type : "markup", excerpt);
    /* the length includes the terminating NUL so that trailing garbage is
     * an error rather than silently ignored */
    *doc = cJSON_ParseWithLengthOpts(body, r->body.len + 1, &end, true);
    if (*doc == NULL) {
        size_t at = end != NULL && end >= body ? (size_t)(end - body) : 0;
        return page_error(why, whylen, doc, "malformed JSON near byte %zu%s", at,
                          at + 1 >= r->body.len ? " (the response ends early)" : "");
    }
    *records = json_path(*doc, records_path);
    if (*records == NULL)
        return page_error(why, whylen, doc, "no '%s' in the response: '%s'", records_path, excerpt);
    if (!cJSON_IsArray(*records)) {
        if (str_empty(records_path))
            return page_error(why, whylen, doc,
                              "the response is %s, not an array of records "
                              "(set 'records' to the path of the array)",
                              http_json_kind(*records));
        return page_error(why, whylen, doc, "'%s' is %s, not an array of records", records_path,
                          http_json_kind(*records));
    }
    return 0;
}

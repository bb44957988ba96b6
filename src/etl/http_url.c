/*
 * http_url.c — the URLs of the http_json source: templates, query
 * parameters, Link headers, and URLs fit to print.
 *
 * libcurl's URL API does the parsing, encoding and relative resolution;
 * this file only decides what goes where. Placeholders are substituted as
 * plain text ({dir} verbatim, every other value URL-encoded) because a
 * template may put them anywhere, path included; parameters without a
 * placeholder are appended to the query with curl_url_set's
 * CURLU_APPENDQUERY, which encodes them.
 */
#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kasparro/http.h"

bool http_url_has(const char *tmpl, const char *name)
{
    size_t n = strlen(name);

    for (const char *p = strchr(tmpl, '{'); p != NULL; p = strchr(p + 1, '{'))
        if (strncmp(p + 1, name, n) == 0 && p[1 + n] == '}')
            return true;
    return false;
}

static void add_value(struct buf *out, const char *name, const char *value)
{
    char *esc;

    if (strcmp(name, "dir") == 0) {
        buf_adds(out, value);
        return;
    }
    esc = curl_easy_escape(NULL, value, 0);
    buf_adds(out, esc != NULL ? esc : "");
    curl_free(esc);
}

char *http_url_expand(const char *tmpl, const char *const *names, const char *const *values, int n)
{
    struct buf out = BUF_INIT;
    const char *p = tmpl;

    while (*p != '\0') {
        const char *close = p[0] == '{' ? strchr(p, '}') : NULL;
        int i = 0;
        for (; close != NULL && i < n; i++)
            if (strlen(names[i]) == (size_t)(close - p - 1) &&
                strncmp(p + 1, names[i], (size_t)(close - p - 1)) == 0)
                break;
        if (close != NULL && i < n) {
            add_value(&out, names[i], values[i] != NULL ? values[i] : "");
            p = close + 1;
        } else {
            buf_addc(&out, *p++);
        }
    }
    return buf_detach(&out);
}

int http_url_add_param(char **url, const char *name, const char *value)
{
    CURLU *u = curl_url();
    char *q = xasprintf("%s=%s", name, value);
    char *res = NULL;
    int rc = -1;

    if (curl_url_set(u, CURLUPART_URL, *url, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_QUERY, q, CURLU_APPENDQUERY | CURLU_URLENCODE) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &res, 0) == CURLUE_OK) {
        free(*url);
        *url = xstrdup(res);
        rc = 0;
    }
    curl_free(res);
    free(q);
    curl_url_cleanup(u);
    return rc;
}

static bool secret_name(const char *name, size_t len)
{
    static const char *words[] = {"key",       "token", "secret", "password",   "passwd",
                                  "signature", "sig",   "auth",   "credential", "session"};
    char lower[64];

    if (len >= sizeof lower)
        len = sizeof lower - 1;
    for (size_t i = 0; i < len; i++)
        lower[i] = (char)tolower((unsigned char)name[i]);
    lower[len] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(words); i++)
        if (strstr(lower, words[i]) != NULL)
            return true;
    return false;
}

/* The query with the values of secret-looking parameters masked. */
static char *redact_query(const char *query)
{
    struct buf out = BUF_INIT;
    const char *p = query;

    while (*p != '\0') {
        size_t len = strcspn(p, "&");
        const char *eq = memchr(p, '=', len);
        if (out.len > 0)
            buf_addc(&out, '&');
        if (eq != NULL && secret_name(p, (size_t)(eq - p))) {
            buf_add(&out, p, (size_t)(eq - p));
            buf_adds(&out, "=***");
        } else {
            buf_add(&out, p, len);
        }
        p += len;
        if (*p == '&')
            p++;
    }
    return buf_detach(&out);
}

char *http_url_redact(const char *url)
{
    CURLU *u = curl_url();
    char *query = NULL, *res = NULL, *out;

    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
        curl_url_cleanup(u);
        /* unparsable: keep what cannot hold a secret */
        return xstrndup(url, strcspn(url, "?@"));
    }
    curl_url_set(u, CURLUPART_USER, NULL, 0);
    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
    if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK && query != NULL) {
        char *masked = redact_query(query);
        curl_url_set(u, CURLUPART_QUERY, masked, 0);
        free(masked);
    }
    curl_url_get(u, CURLUPART_URL, &res, 0);
    out = xstrdup(res != NULL ? res : "");
    curl_free(query);
    curl_free(res);
    curl_url_cleanup(u);
    return out;
}

/* Whether the parameters of one link (after its "<...>") say rel="next". */
static bool rel_is_next(const char *params, size_t len)
{
    const char *end = params + len;

    for (const char *p = params; p < end; p++) {
        if (strncasecmp(p, "rel=", 4) != 0 || (p > params && isalnum((unsigned char)p[-1])))
            continue;
        p += 4;
        bool quoted = *p == '"';
        p += quoted;
        /* rel may list several relation types: rel="next last" */
        while (p < end && *p != (quoted ? '"' : ';') && *p != ',') {
            size_t n = strcspn(p, quoted ? "\" " : "; ,");
            if (n == 4 && strncasecmp(p, "next", 4) == 0)
                return true;
            p += n;
            while (p < end && *p == ' ')
                p++;
        }
    }
    return false;
}

static char *resolve(const char *base, const char *ref, size_t len)
{
    CURLU *u = curl_url();
    char *r = xstrndup(ref, len), *res = NULL, *out = NULL;

    if (curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, r, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &res, 0) == CURLUE_OK)
        out = xstrdup(res);
    curl_free(res);
    free(r);
    curl_url_cleanup(u);
    return out;
}

/* scheme://host:port of `url` (the scheme's default port when none is
 * written), lower case; NULL when it does not parse. Caller frees. */
static char *origin(const char *url)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *out = NULL;

    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
        out = xasprintf("%s://%s:%s", scheme, host, port);
        for (char *c = out; *c; c++)
            *c = (char)tolower((unsigned char)*c);
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return out;
}

bool http_url_same_origin(const char *a, const char *b)
{
    char *oa = origin(a), *ob = origin(b);
    bool same = oa != NULL && ob != NULL && strcmp(oa, ob) == 0;

    free(oa);
    free(ob);
    return same;
}

char *http_link_next(const char *link, const char *base)
{
    const char *p = link;

    while (p != NULL && (p = strchr(p, '<')) != NULL) {
        const char *close = strchr(p, '>');
        if (close == NULL)
            return NULL;
        /* this link's parameters run to the next "<" (or the end) */
        const char *next = strchr(close, '<');
        size_t plen = next != NULL ? (size_t)(next - close) : strlen(close);
        if (rel_is_next(close + 1, plen - 1))
            return resolve(base, p + 1, (size_t)(close - p - 1));
        p = next;
    }
    return NULL;
}

/*
 * url.c — a URL as the page it names, for matching.
 *
 * Two sources rarely write one page's address alike: one adds campaign
 * parameters (?utm_source=partner), another a fragment, a trailing slash,
 * "www." or the other scheme. Compared as written, they disagree, and the
 * model learns that a shared URL means little. Before a url field is
 * normalised like text (normalize.c), it is cut to the page: the host in
 * lower case without "www.", a port only when it is not the scheme's, the
 * path without its trailing slash, and the query's parameters in order
 * without the ones that track a visit rather than name a page (utm_*,
 * click ids: [matching] url_tracking_params, match_tracking_default).
 * The scheme and the fragment go: http and https serve one page, a
 * fragment is a place in it. The path and the query keep their
 * case, which is theirs (RFC 3986 §6.2.2.1: only the scheme and the host
 * have none), and so does the normalised form (normalize.c). Percent-
 * encodings are normalised as RFC 3986 §6.2.2.2 says: an encoded
 * unreserved character is that character (%7E is ~, %41 is A), and the
 * hex of the encodings that stay is upper case; a host in another script
 * is written in punycode (IDNA2008 with UTS #46's mapping, libidn2), as a
 * source that encoded it would. libidn2 is called on the UTF-8 host
 * itself: libcurl's own CURLU_PUNYCODE reads the host in the locale's
 * charset and fails under the C locale, and the form must not depend on
 * the environment a pass runs in. libcurl's URL API does the parsing; a
 * value it cannot parse is compared as written, like text.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <idn2.h>

#include "kasparro/dedup_internal.h"

/* Whether a parameter says how a visitor came rather than which page: its
 * name, in any case, is one of `tracking` ([matching] url_tracking_params)
 * or begins with one that ends in '*'. */
static bool is_tracking(const char *param, size_t len, const char *const *tracking)
{
    const char *eq = memchr(param, '=', len);
    size_t name = eq != NULL ? (size_t)(eq - param) : len;

    for (int i = 0; tracking[i] != NULL; i++) {
        size_t n = strlen(tracking[i]);
        bool prefix = n > 0 && tracking[i][n - 1] == '*';
        n -= prefix;
        if ((prefix ? name >= n : name == n) && strncasecmp(param, tracking[i], n) == 0)
            return true;
    }
    return false;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static bool unreserved(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

/* s[0..len) with its percent-encodings normalised: an unreserved character
 * decoded, the hex of any other in upper case (RFC 3986 §6.2.2.2). */
static void add_encoded(struct buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";

    if (memchr(s, '%', len) == NULL) { /* most links: nothing encoded */
        buf_add(out, s, len);
        return;
    }
    for (size_t i = 0; i < len; i++) {
        int hi = s[i] == '%' && i + 2 < len ? hex_digit(s[i + 1]) : -1;
        int lo = hi >= 0 ? hex_digit(s[i + 2]) : -1;
        if (lo < 0) {
            buf_addc(out, s[i]);
        } else if (unreserved(hi * 16 + lo)) {
            buf_addc(out, (char)(hi * 16 + lo));
            i += 2;
        } else {
            buf_addc(out, '%');
            buf_addc(out, hex[hi]);
            buf_addc(out, hex[lo]);
            i += 2;
        }
    }
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The query's parameters that name the page, sorted, joined by '&'. */
static void add_query(struct buf *out, const char *query, const char *const *tracking)
{
    struct buf q = BUF_INIT;
    size_t n = 0, cap = 8;
    char **kept = xmalloc(cap * sizeof *kept);

    /* encodings first (utm%5Fsource is utm_source); an encoded '&' or ';'
     * stays encoded, so the parameters split alike after */
    add_encoded(&q, query, strlen(query));
    buf_addc(&q, '\0');
    for (char *p = q.data; *p != '\0';) {
        size_t len = strcspn(p, "&;");
        char *next = p + len + (p[len] != '\0');
        if (len > 0 && !is_tracking(p, len, tracking)) {
            if (n == cap)
                kept = xreallocarray(kept, cap *= 2, sizeof *kept);
            kept[n++] = p;
        }
        p[len] = '\0';
        p = next;
    }
    qsort(kept, n, sizeof *kept, by_string);
    for (size_t i = 0; i < n; i++) {
        buf_addc(out, i == 0 ? '?' : '&');
        buf_adds(out, kept[i]);
    }
    free(kept);
    buf_free(&q);
}

static char *url_part(CURLU *u, CURLUPart what, unsigned flags)
{
    char *s = NULL;

    return curl_url_get(u, what, &s, flags) == CURLUE_OK ? s : NULL;
}

/* The host in lower case without "www.", in punycode when it is written
 * in another script (a name IDNA refuses stays as written). */
static void add_host(struct buf *out, const char *host)
{
    char *ace = NULL;
    bool ascii = true;

    for (const char *c = host; *c != '\0' && ascii; c++)
        ascii = (unsigned char)*c < 0x80;
    if (!ascii && idn2_lookup_u8((const uint8_t *)host, (uint8_t **)&ace,
                                 IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) != IDN2_OK &&
        idn2_lookup_u8((const uint8_t *)host, (uint8_t **)&ace,
                       IDN2_NFC_INPUT | IDN2_TRANSITIONAL) != IDN2_OK)
        ace = NULL;
    const char *h = ace != NULL ? ace : host;
    for (h += strncasecmp(h, "www.", 4) == 0 ? 4 : 0; *h != '\0'; h++) /* hosts have no case */
        buf_addc(out, (char)tolower((unsigned char)*h));
    idn2_free(ace);
}

static void add_page(struct buf *out, CURLU *u, const char *const *tracking)
{
    char *host = url_part(u, CURLUPART_HOST, 0);
    /* the port only when the URL gives one that is not its scheme's own */
    char *port = url_part(u, CURLUPART_PORT, CURLU_NO_DEFAULT_PORT);
    char *path = url_part(u, CURLUPART_PATH, 0), *query = url_part(u, CURLUPART_QUERY, 0);
    size_t plen = path != NULL ? strlen(path) : 0;

    add_host(out, host != NULL ? host : "");
    if (port != NULL)
        buf_printf(out, ":%s", port);
    while (plen > 0 && path[plen - 1] == '/')
        plen--;
    add_encoded(out, path != NULL ? path : "", plen);
    if (query != NULL)
        add_query(out, query, tracking);
    curl_free(host), curl_free(port), curl_free(path), curl_free(query);
}

bool dedup_url_page(struct buf *out, const char *url, char *const *tracking)
{
    CURLU *u = curl_url();
    bool parsed =
        u != NULL && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK;

    if (parsed)
        add_page(out, u, tracking != NULL ? (const char *const *)tracking : match_tracking_default);
    else
        buf_adds(out, url);
    curl_url_cleanup(u);
    return parsed;
}

void dedup_url_normalize_into(struct buf *out, const char *url, char *const *tracking)
{
    struct buf page = BUF_INIT;
    bool link = dedup_url_page(&page, url, tracking);

    if (page.len > 0 && link)
        dedup_normalize_link_into(out, page.data, page.len);
    else if (page.len > 0)
        dedup_normalize_into(out, page.data, page.len);
    buf_free(&page);
}

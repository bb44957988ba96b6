/*
 * server.c — the HTTP server: libmicrohttpd's daemon, the dispatcher and
 * the access log (see httpd.h).
 *
 * DESIGN: libmicrohttpd parses HTTP and owns the sockets and threads (an
 * internal thread pool, epoll where there is one); we never read a byte of
 * the protocol ourselves. A request's struct is made, and its start time
 * taken, when its request line is read (the URI log callback, which alone
 * sees the target as sent: its size, and a %00 in the path, which the
 * decoded path ends at). The access callback is then called several times
 * per request: first with the headers read (a target or headers too large
 * are answered at once, 414 and 431, as a body over [http] max_body is
 * 413), then with body data (kept up to max_body), then a last time to
 * answer. Answering is the dispatcher: a target or headers too large (414,
 * 431), a NUL in the path or an HTTP/1.1 request without one Host header
 * (400); then the key (401) before anything about the routes, so a client
 * without one learns neither which exist nor their limits; then the route
 * (404, 405 with Allow; a path is served only as the table writes it, no
 * stray slash), the key's role (403), the body's size (413), the text of
 * the path's parameters (UTF-8), every query parameter against the route's
 * declaration (400 naming it), the body's media type (415:
 * application/json) and the body (UTF-8, then JSON, a null member taken
 * as absent); then the handler, and its result wrapped. libmicrohttpd's
 * completion callback then logs one JSON line and counts the request in
 * the metrics, whatever happened to it once its headers were read. What
 * libmicrohttpd refuses itself, with its own HTML page (a head over the
 * connection's memory, HTTP/2.0 sent as text), is logged and counted too:
 * by the completion callback when its line was read, else from the one
 * sign of it there is, libmicrohttpd's log message (on_mhd_log). Bytes
 * with no request line in them get no answer and no message from it: the
 * close of their connection (on_connection) is logged instead. A JSON 200
 * to GET carries an ETag, and If-None-Match with it is answered 304
 * (conditional); OPTIONS answers the methods a path takes.
 *
 * Handlers run on the pool threads and block on PostgreSQL; each thread
 * handles one request at a time, so the connection pool never holds more
 * connections than there are threads.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <linux/tcp.h> /* struct tcp_info with tcpi_bytes_received */
#include <netdb.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "httpd-private.h"
#include "kasparro/clock.h"
#include "kasparro/log.h"
#include "kasparro/utf8.h"

const char *httpd_listen_address(const struct config *cfg, const char *dflt)
{
    const char *v = getenv("KASPARRO_HTTP_LISTEN");

    if (v == NULL || *v == '\0')
        v = cfg->http.listen;
    if (v == NULL || *v == '\0')
        v = dflt;
    if (v == NULL || strcmp(v, "off") == 0 || strcmp(v, "none") == 0)
        return NULL;
    return v;
}

const char *http_role_name(enum http_role r)
{
    return r == ROLE_OPERATOR ? "operator" : r == ROLE_VIEWER ? "viewer" : "none";
}

/* An incoming X-Request-Id is kept when it is short and plain; else ours
 * (c NULL: no connection to read one from). */
static void request_id(struct MHD_Connection *c, char *out, size_t len)
{
    const char *in = c != NULL ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-Id")
                               : NULL;
    unsigned char rnd[8];

    if (in != NULL && strlen(in) >= 1 && strlen(in) < len &&
        strspn(in, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
            strlen(in)) {
        snprintf(out, len, "%s", in);
        return;
    }
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        memset(rnd, 0, sizeof rnd);
    snprintf(out, len, "%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3], rnd[4],
             rnd[5], rnd[6], rnd[7]);
}

/* Is `etag` among the entity tags of an If-None-Match list ("*" is any)?
 * Compared weakly (RFC 9110 13.1.2): W/ does not count. */
static bool etag_listed(const char *list, const char *etag)
{
    const char *e = etag + (strncmp(etag, "W/", 2) == 0 ? 2 : 0);
    size_t elen = strlen(e);

    for (const char *p = list; *p != '\0';) {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m > 0 && (p[m - 1] == ' ' || p[m - 1] == '\t'))
            m--;
        if (m == 1 && *p == '*')
            return true;
        const char *t = p + (m > 2 && strncmp(p, "W/", 2) == 0 ? 2 : 0);
        if ((size_t)(p + m - t) == elen && strncmp(t, e, elen) == 0)
            return true;
        p += n;
    }
    return false;
}

/* A 200 to GET or HEAD with JSON data carries an ETag of what it says
 * (data and meta, not the request id or the latency, which differ every
 * time): a client that sends it back in If-None-Match gets 304 without a
 * body while nothing changed, so polling /runs or /queue costs a status
 * line. Weak: the text is cJSON's, not promised byte for byte. */
static void conditional(struct http_req *r, struct reply *rep)
{
    unsigned long long h = 1469598103934665603ULL;
    char *texts[2];

    if (rep->status != 200 || rep->data == NULL || rep->raw != NULL ||
        (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0))
        return;
    texts[0] = cJSON_PrintUnformatted(rep->data);
    texts[1] = rep->meta != NULL ? cJSON_PrintUnformatted(rep->meta) : xstrdup("");
    for (int k = 0; k < 2; k++) {
        for (const unsigned char *c = (const unsigned char *)texts[k]; *c; c++)
            h = (h ^ *c) * 1099511628211ULL;
        h = (h ^ 0xff) * 1099511628211ULL; /* data "a" meta "" is not data "" meta "a" */
        free(texts[k]);
    }
    snprintf(rep->etag, sizeof rep->etag, "W/\"%016llx\"", h);
    const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (inm != NULL && etag_listed(inm, rep->etag)) {
        rep->status = MHD_HTTP_NOT_MODIFIED;
        cJSON_Delete(rep->data);
        rep->data = NULL;
    }
}

static enum MHD_Result send_reply(struct http_req *r, struct reply *rep)
{
    size_t len = 0;
    /* a 304 has no body (RFC 9110 15.4.5) */
    char *body = rep->status == MHD_HTTP_NOT_MODIFIED ? NULL : reply_body(r, rep, &len);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    enum MHD_Result ok;

    if (body != NULL)
        MHD_add_response_header(resp, "Content-Type",
                                rep->content_type ? rep->content_type : "application/json");
    if (rep->etag[0] != '\0')
        MHD_add_response_header(resp, "ETag", rep->etag);
    MHD_add_response_header(resp, "X-Request-Id", r->id);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (rep->status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(resp, "WWW-Authenticate",
                                rep->bad_token
                                    ? "Bearer realm=\"kasparro\", error=\"invalid_token\""
                                    : "Bearer realm=\"kasparro\"");
    if (rep->allow != NULL)
        MHD_add_response_header(resp, "Allow", rep->allow);
    if (rep->location != NULL)
        MHD_add_response_header(resp, "Location", rep->location);
    if (rep->retry_after > 0) {
        char secs[16];
        snprintf(secs, sizeof secs, "%d", rep->retry_after);
        MHD_add_response_header(resp, "Retry-After", secs);
    }
    r->status = rep->status;
    r->bytes = len;
    ok = MHD_queue_response(r->conn, (unsigned)rep->status, resp);
    MHD_destroy_response(resp);
    cJSON_Delete(rep->data);
    cJSON_Delete(rep->meta);
    return ok;
}

/* 401 or 403, or 0 when the request may go on. Keys are never logged:
 * only the matched key's name is kept. With no route (a path or method
 * none serves), any valid key: a client without one learns nothing of
 * the routes (404, 405) or their limits (413) first. */
static int authorise(struct http_req *r, struct reply *rep, const struct route *route)
{
    struct httpd *h = r->h;
    const char *auth = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                   MHD_HTTP_HEADER_AUTHORIZATION);
    const struct http_key *k = NULL;
    bool open, bearer = auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0;

    pthread_mutex_lock(&h->lock);
    open = route != NULL && h->open[route - http_routes];
    if (bearer) {
        /* blanks after the key are the header's, not the key's (RFC 9110
         * 5.5): libmicrohttpd keeps them, and a key pasted from a file
         * with one was refused as not valid */
        const char *from = auth + 7 + strspn(auth + 7, " \t");
        size_t n = strlen(from);
        while (n > 0 && (from[n - 1] == ' ' || from[n - 1] == '\t'))
            n--;
        char *key = xstrndup(from, n);
        k = apikeys_find(&h->keys, key);
        explicit_bzero(key, n);
        free(key);
        if (k != NULL) {
            snprintf(r->key_name, sizeof r->key_name, "%s", k->name);
            r->role = k->role;
        }
    }
    pthread_mutex_unlock(&h->lock);
    if (open)
        return 0;
    if (auth == NULL)
        return reply_error(rep, MHD_HTTP_UNAUTHORIZED, "unauthorized",
                           "%s needs an API key: 'Authorization: Bearer KEY'",
                           route ? route->path : r->path);
    if (!bearer) {
        /* name the scheme (its word only: what follows is a credential) */
        size_t n = strcspn(auth, " \t");
        bool word = n > 0 && n <= 32 && strspn(auth, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM"
                                                     "NOPQRSTUVWXYZ0123456789-._~+/") == n;
        if (n == 6 && strncasecmp(auth, "Bearer", 6) == 0)
            return reply_error(rep, MHD_HTTP_UNAUTHORIZED, "unauthorized", "the Authorization "
                               "header holds no key after 'Bearer'");
        return reply_error(rep, MHD_HTTP_UNAUTHORIZED, "unauthorized",
                           "the Authorization header %s%.*s%s; this API takes only Bearer keys "
                           "('Authorization: Bearer KEY')", word ? "uses the scheme '" :
                           "is not 'Bearer KEY'", word ? (int)n : 0, auth, word ? "'" : "");
    }
    if (k == NULL) {
        /* a client library tells a key to renew from one never sent by this */
        rep->bad_token = true;
        return reply_error(rep, MHD_HTTP_UNAUTHORIZED, "unauthorized",
                           "the API key is not valid (expected 'Authorization: Bearer KEY')");
    }
    if (route != NULL && r->role < route->role)
        return reply_error(rep, MHD_HTTP_FORBIDDEN, "forbidden",
                           "key '%s' has the %s role; %s %s needs %s", r->key_name,
                           http_role_name(r->role), route->method, route->path,
                           http_role_name(route->role));
    return 0;
}

static enum MHD_Result count_host(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    (void)value;
    *(int *)cls += strcasecmp(key, "Host") == 0;
    return MHD_YES;
}

/* The size of the headers as sent: each "Name: value" and its CRLF. */
static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key,
                                       size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    (void)key;
    (void)value;
    *(size_t *)cls += key_size + 2 + value_size + 2;
    return MHD_YES;
}

/* What precedes the body: a target over HTTPD_MAX_TARGET (414), headers
 * over HTTPD_MAX_HEADERS (431), a path a %00 put a NUL in (400: it used
 * to be cut there, so /sources/a%00b answered for source 'a'). */
static int check_head(struct http_req *r, struct reply *rep)
{
    size_t headers = 0;

    if (r->target_len > HTTPD_MAX_TARGET)
        return reply_error(rep, 414, "uri_too_long", "the request's target (path and query) is "
                           "%zu bytes, over the %d this server takes", r->target_len,
                           HTTPD_MAX_TARGET);
    MHD_get_connection_values_n(r->conn, MHD_HEADER_KIND, add_header_size, &headers);
    if (headers > HTTPD_MAX_HEADERS)
        return reply_error(rep, 431, "headers_too_large", "the request's headers are %zu bytes, "
                           "over the %d this server takes", headers, HTTPD_MAX_HEADERS);
    if (r->nul_at > 0)
        return reply_error(rep, 400, "bad_request", "the path holds a NUL byte (%%00) at byte "
                           "%zu of %zu, which no path may", r->nul_at, r->path_len);
    return 0;
}

/* RFC 9112 3.2: a server answers 400 to an HTTP/1.1 request without a
 * Host header or with more than one (libmicrohttpd takes either). */
static int check_host(struct http_req *r, struct reply *rep)
{
    int n = 0;

    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_host, &n);
    if (n > 1)
        return reply_error(rep, 400, "bad_request", "the request has %d Host headers; "
                           "HTTP/1.1 takes one", n);
    if (n == 0 && r->http11)
        return reply_error(rep, 400, "bad_request", "the request has no Host header, "
                           "which HTTP/1.1 requires");
    return 0;
}

/* Text that is not UTF-8 (or holds a NUL, which %00 decodes to): 400
 * naming `what` and the first bad byte. Checked before any handler, for
 * such a value used to reach PostgreSQL, whose refusal came back as a 500
 * "internal" error, or to be echoed in a message that was then no JSON. */
static int check_text(struct reply *rep, const char *code, const char *what, const char *v,
                      size_t len)
{
    size_t at = utf8_valid_prefix(v, len);

    if (at == len)
        return 0;
    if (v[at] == '\0') /* what a URL's %00 decodes to */
        return reply_error(rep, 400, code, "%s holds a NUL byte%s at byte %zu of %zu, which no "
                           "text may", what, strcmp(code, "bad_body") != 0 ? " (%00)" : "",
                           at + 1, len);
    return reply_error(rep, 400, code, "%s is not UTF-8: byte %zu of %zu is 0x%02x", what,
                       at + 1, len, (unsigned char)v[at]);
}

/* The route's path parameters as the path decoded them ('{name}'). */
static int check_path_text(struct http_req *r, struct reply *rep)
{
    const char *p = r->route->path;
    char what[96];

    for (int i = 0; i < r->npath && (p = strchr(p, '{')) != NULL; i++, p++) {
        snprintf(what, sizeof what, "path parameter '%.*s'", (int)strcspn(p + 1, "}"), p + 1);
        if (check_text(rep, "bad_parameter", what, r->pathv[i], strlen(r->pathv[i])) < 0)
            return -1;
    }
    return 0;
}

struct param_check {
    struct http_req *r;
    struct reply *rep;
    bool failed;
    char seen[32][64];
    int nseen;
};

static enum MHD_Result check_one(void *cls, enum MHD_ValueKind kind, const char *key,
                                 size_t key_size, const char *value, size_t value_size)
{
    struct param_check *pc = cls;
    const struct http_param *p = route_param(pc->r->route, key);
    char why[256];

    (void)kind;
    /* "?&&" or a trailing "&": nothing between the separators, as a form
     * with no field would send; a value with no name is an error */
    if (key_size == 0 && (value == NULL || value_size == 0))
        return MHD_YES;
    if (key_size == 0) {
        reply_error(pc->rep, 400, "bad_parameter", "a parameter has a value and no name "
                    "('=%.*s')", (int)value_size, value);
        goto fail;
    }
    if (check_text(pc->rep, "bad_parameter", "a parameter's name", key, key_size) < 0)
        goto fail;
    snprintf(why, sizeof why, "parameter '%s'", key);
    if (value != NULL && check_text(pc->rep, "bad_parameter", why, value, value_size) < 0)
        goto fail;
    for (int i = 0; i < pc->nseen; i++)
        if (strcmp(pc->seen[i], key) == 0) {
            reply_error(pc->rep, 400, "bad_parameter", "parameter '%s' is given twice", key);
            goto fail;
        }
    if (pc->nseen < 32)
        snprintf(pc->seen[pc->nseen++], sizeof pc->seen[0], "%s", key);
    if (p == NULL && (pc->r->route->flags & ROUTE_FIELD_FILTERS) &&
        config_field(pc->r->cfg, key) != NULL)
        return MHD_YES; /* a field filter: the handler checks its value */
    if (p == NULL) {
        reply_error(pc->rep, 400, "bad_parameter", "unknown parameter '%s' for %s %s", key,
                    pc->r->route->method, pc->r->route->path);
        goto fail;
    }
    if (route_check_value(p, value ? value : "", why, sizeof why) < 0) {
        reply_error(pc->rep, 400, "bad_parameter", "parameter '%s': %s", key, why);
        goto fail;
    }
    return MHD_YES;
fail:
    pc->failed = true;
    return MHD_NO;
}

static int check_params(struct http_req *r, struct reply *rep)
{
    struct param_check pc = {.r = r, .rep = rep};

    MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, check_one, &pc);
    return pc.failed ? -1 : 0;
}

static const char *json_kind(const cJSON *j)
{
    return cJSON_IsArray(j)    ? "an array"
           : cJSON_IsString(j) ? "a string"
           : cJSON_IsNumber(j) ? "a number"
           : cJSON_IsBool(j)   ? "a boolean"
                               : "null";
}

/* 400 naming where the body stops being JSON: byte `at` (0-based) and
 * what is there, printable characters only. */
static int body_not_json(struct http_req *r, struct reply *rep, size_t at, const char *what)
{
    char near[24];
    size_t n = 0;

    for (size_t i = at; i < r->body.len && n < 16; i++)
        near[n++] = r->body.data[i] >= 0x20 && r->body.data[i] < 0x7f ? r->body.data[i] : '?';
    near[n] = '\0';
    return reply_error(rep, 400, "bad_body", "the body is not %s: at byte %zu of %zu ('%s')",
                       what, at + 1, r->body.len, near);
}

/* Whether a body that is no JSON fails for want of what would follow it
 * (a value, a quote, a brace): cJSON puts an error at the end of the input
 * on its last byte, so `{"reason":` read as an error at ':'. Parsed again
 * with two blanks more, such a body fails on the second: past the first,
 * which only a parse that was still going reaches (cJSON may place an error
 * one byte after the byte at fault, so the first blank is not enough:
 * `{"a": 1,}` fails there). */
static bool body_cut_short(const struct buf *body)
{
    char *padded = xmalloc(body->len + 2);
    const char *end = NULL;
    cJSON *j;
    bool cut;

    memcpy(padded, body->data, body->len);
    padded[body->len] = padded[body->len + 1] = ' ';
    j = cJSON_ParseWithLengthOpts(padded, body->len + 2, &end, false);
    cut = j == NULL && end != NULL && (size_t)(end - padded) > body->len;
    cJSON_Delete(j);
    free(padded);
    return cut;
}

/* Where the body ends inside a string (a quote opened and never closed):
 * the opening quote's offset, or -1. Read as JSON's lexer does: outside a
 * string a quote opens one; inside, a backslash takes the next byte and a
 * quote closes it. */
static long open_string_at(const struct buf *body)
{
    long open = -1;

    for (size_t i = 0; i < body->len; i++) {
        if (open < 0 && body->data[i] == '"')
            open = (long)i;
        else if (open >= 0 && body->data[i] == '\\')
            i++;
        else if (open >= 0 && body->data[i] == '"')
            open = -1;
    }
    return open;
}

/* Is `name` one of the comma-separated names in `list`? */
static bool listed(const char *list, const char *name)
{
    size_t len = strlen(name);

    for (const char *at = list; len > 0 && *at != '\0'; at += strspn(at, ", ")) {
        size_t n = strcspn(at, ",");
        if (n == len && strncmp(at, name, len) == 0)
            return true;
        at += n;
    }
    return false;
}

/* Each member of the body must be one the route takes: a misspelt one
 * ("source" for "sources") would otherwise be ignored, and the request
 * done without it (a run of every source). */
static int check_members(struct http_req *r, struct reply *rep)
{
    const char *takes = r->route->body_members ? r->route->body_members : "";
    const cJSON *m;

    cJSON_ArrayForEach(m, r->json) {
        if (!listed(takes, m->string))
            return reply_error(rep, 400, "bad_body", "body: unknown member '%s' for %s %s (it "
                               "takes %s)", m->string, r->route->method, r->route->path, takes);
        /* the parser keeps both and readers take the first: which one the
         * client meant is not ours to guess (the members before are known
         * ones, so this looks at a few) */
        for (const cJSON *e = r->json->child; e != m; e = e->next)
            if (strcmp(e->string, m->string) == 0)
                return reply_error(rep, 400, "bad_body", "body: member '%s' is given twice",
                                   m->string);
    }
    return 0;
}

/* A member given as null is one not given: a client that writes an unset
 * field as null ("reason": null) was refused where leaving it out is
 * accepted. Handlers then never see a null member. */
static void drop_nulls(cJSON *obj)
{
    cJSON *m = obj->child, *next;

    for (; m != NULL; m = next) {
        next = m->next;
        if (cJSON_IsNull(m))
            cJSON_Delete(cJSON_DetachItemViaPointer(obj, m));
    }
}

/* A parameter of the body's media type that may come with JSON: none but
 * a UTF-8 charset (JSON between systems is UTF-8, RFC 8259), quoted or not. */
static bool json_param_ok(const char *p, size_t n)
{
    char s[32];
    size_t k = 0;

    for (size_t i = 0; i < n && k < sizeof s - 1; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '"')
            s[k++] = p[i];
    s[k] = '\0';
    return k == 0 || strcasecmp(s, "charset=utf-8") == 0;
}

/* A body is JSON only when it says so: one sent as a form (curl -d's
 * default) or as text was read as JSON all the same, so a client whose
 * encoding went wrong learnt it from a parse error about its content.
 * 415 naming the route and the type received, whatever Accept says. */
static int check_media_type(struct http_req *r, struct reply *rep)
{
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_TYPE);
    const char *p = ct ? ct + strspn(ct, " \t") : "";
    size_t n = strcspn(p, ";");
    bool ok = n >= 16 && strncasecmp(p, "application/json", 16) == 0 &&
              16 + strspn(p + 16, " \t") == n;

    for (p += n; ok && *p == ';'; p += n) {
        n = strcspn(++p, ";");
        ok = json_param_ok(p, n);
    }
    if (ok)
        return 0;
    if (ct == NULL)
        return reply_error(rep, 415, "unsupported_media_type", "%s %s takes a JSON body "
                           "(Content-Type: application/json); this one came without a "
                           "Content-Type", r->route->method, r->route->path);
    return reply_error(rep, 415, "unsupported_media_type", "%s %s takes a JSON body "
                       "(Content-Type: application/json), not '%s'", r->route->method,
                       r->route->path, ct);
}

static int parse_body(struct http_req *r, struct reply *rep)
{
    const char *end = NULL;

    if (r->body.len == 0)
        return 0;
    if (!(r->route->flags & ROUTE_BODY))
        return reply_error(rep, 400, "bad_request", "%s %s takes no body", r->route->method,
                           r->route->path);
    if (check_media_type(r, rep) < 0 ||
        check_text(rep, "bad_body", "the body", r->body.data,
                   r->body.len) < 0)
        return -1;
    r->json = cJSON_ParseWithLengthOpts(r->body.data, r->body.len, &end, false);
    /* cJSON places an unclosed string's error at its opening quote (or the
     * byte after it), which named the start of a string that is fine: the
     * fault is where the body ends */
    long open = r->json == NULL && end != NULL ? open_string_at(&r->body) : -1;
    if (open >= 0 && end - r->body.data >= open && end - r->body.data <= open + 1)
        return reply_error(rep, 400, "bad_body", "the body is not valid JSON: it ends (at byte "
                           "%zu) inside the string that opens at byte %ld; was it cut short?",
                           r->body.len, open + 1);
    if (r->json == NULL && body_cut_short(&r->body))
        return reply_error(rep, 400, "bad_body", "the body is not valid JSON: it ends (at byte "
                           "%zu) before its value does; was it cut short?", r->body.len);
    if (r->json == NULL)
        return body_not_json(r, rep, end ? (size_t)(end - r->body.data) : 0, "valid JSON");
    end += strspn(end, " \t\r\n");
    if (end < r->body.data + r->body.len)
        return body_not_json(r, rep, (size_t)(end - r->body.data), "one JSON value (more follows)");
    if (!cJSON_IsObject(r->json))
        return reply_error(rep, 400, "bad_body", "the body is %s, not a JSON object",
                           json_kind(r->json));
    if (check_members(r, rep) < 0)
        return -1;
    drop_nulls(r->json);
    return 0;
}

/* OPTIONS on a path a route serves: 200, the methods in the Allow header
 * and as data.allow (RFC 9110 9.3.7). It used to be a 405. */
static void reply_options(struct reply *rep, const char *allow)
{
    size_t n;
    char **names = str_split_all(allow, ',', &n);

    rep->data = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(rep->data, cJSON_CreateString(names[i]));
    free(names);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "allow", rep->data);
    rep->data = o;
}

/* 404, naming the path meant when a stray slash is all that is wrong. */
static void not_found(struct http_req *r, struct reply *rep)
{
    char *meant = route_meant(r->path);

    reply_error(rep, MHD_HTTP_NOT_FOUND, "not_found", "no route %s %s%s%s%s; GET "
                "/openapi.json lists them", r->method, r->path, meant ? " (did you mean " : "",
                meant ? meant : "", meant ? "?)" : "");
    free(meant);
}

/* The order a client can rely on: a request that can be read (414, 431,
 * 400 for a NUL in the path), a well-formed one (400), the key
 * (401, 403), then the route (404, 405), the body's size (413), the path's
 * and the query's parameters (400), the body's media type (415) and the
 * body (400). */
static void dispatch(struct http_req *r, struct reply *rep)
{
    char allow[96];
    bool path_known;
    const struct route *route;

    if (check_head(r, rep) < 0 || check_host(r, rep) < 0)
        return;
    route = route_match(r->method, r->path, r->pathv, &r->npath, &path_known, allow, sizeof allow);
    r->route = route;
    if (authorise(r, rep, route) < 0)
        return;
    if (route == NULL && path_known) {
        /* every path answers OPTIONS: the methods it takes, as a 405 says them */
        snprintf(allow + strlen(allow), sizeof allow - strlen(allow), ", OPTIONS");
        rep->allow = xstrdup(allow);
        if (strcmp(r->method, "OPTIONS") == 0)
            reply_options(rep, allow);
        else
            reply_error(rep, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
                        "%s is not allowed on %s (allowed: %s)", r->method, r->path, allow);
        return;
    }
    if (route == NULL) {
        not_found(r, rep);
        return;
    }
    if (r->body_too_big) {
        reply_error(rep, 413, "body_too_large",
                    "the body is larger than %zu bytes ([http] max_body)", r->h->max_body);
        return;
    }
    if (check_path_text(r, rep) < 0 || check_params(r, rep) < 0 || parse_body(r, rep) < 0)
        return;
    route->handler(r, rep);
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The path of a target as libmicrohttpd decodes it (%XX with two hex
 * digits is a byte; any other '%' stays): its length, and where its first
 * NUL is (1-based; 0 none). */
static void path_decoded(const char *target, size_t *len, size_t *nul_at)
{
    size_t n = 0;

    *nul_at = 0;
    for (const char *p = target; *p != '\0' && *p != '?'; n++) {
        int hi = p[0] == '%' ? hex_digit(p[1]) : -1, lo = hi >= 0 ? hex_digit(p[2]) : -1;
        if (lo >= 0 && hi == 0 && lo == 0 && *nul_at == 0)
            *nul_at = n + 1;
        p += lo >= 0 ? 3 : 1;
    }
    *len = n;
}

/* A connection's own state (libmicrohttpd's socket context, on_connection):
 * how many request lines were read on it. */
struct http_conn {
    unsigned long lines;
};

/* The request of this thread whose line was read last and whose headers
 * are not yet (NULL: none): a refusal libmicrohttpd logs meanwhile is
 * most likely its (on_mhd_log). */
static _Thread_local struct http_req *heads_pending;

/* Request lines libmicrohttpd refused on this thread (on_mhd_log) whose
 * connections have not closed yet: their close finds no line read on them,
 * as a close on garbage does, and must not log them a second time. The
 * message names no connection, but each connection stays on its pool
 * thread from accept to close, so the thread's count is theirs. */
static _Thread_local unsigned lines_refused;

/* libmicrohttpd's first sight of a request, its request line read: the
 * request's state begins here, with the target as sent. The path that
 * on_request gets is decoded, and a %00 in it ends it there. From here on
 * libmicrohttpd calls on_completed for the request, whatever happens; it
 * is in flight (what a stop waits for) once its headers are read. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct http_req *r = xcalloc(1, sizeof *r);
    size_t n = strcspn(uri, "?");

    r->h = cls;
    r->conn = conn;
    r->t0 = clock_mono();
    r->target_len = strlen(uri);
    r->sent_path = xstrndup(uri, n < HTTPD_LOGGED_PATH ? n : HTTPD_LOGGED_PATH);
    path_decoded(uri, &r->path_len, &r->nul_at);
    heads_pending = r;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    if (ci != NULL && ci->socket_context != NULL)
        ((struct http_conn *)ci->socket_context)->lines++;
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **req_cls)
{
    struct httpd *h = cls;
    struct http_req *r = *req_cls;
    struct reply rep = {.status = 200};

    if (r == NULL) /* on_uri always comes first */
        *req_cls = r = on_uri(h, url, conn);
    if (r->path == NULL) { /* the first call: the headers are read */
        struct reply head = {.status = 200};
        if (heads_pending == r)
            heads_pending = NULL;
        r->path = xstrdup(url);
        snprintf(r->method, sizeof r->method, "%s", method);
        r->http11 = strcmp(version, MHD_HTTP_VERSION_1_1) == 0;
        request_id(conn, r->id, sizeof r->id);
        pthread_mutex_lock(&h->lock);
        r->cfg = config_ref(h->cfg);
        h->in_flight++;
        pthread_mutex_unlock(&h->lock);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        r->body_too_big = cl != NULL && strtoull(cl, NULL, 10) > h->max_body;
        if (!r->body_too_big && check_head(r, &head) == 0)
            return MHD_YES;
        /* answer 413 (414, 431) at once, without reading a body we would refuse */
    } else if (r->status != 0) { /* answered early (413): the rest is discarded */
        *upload_size = 0;
        return MHD_YES;
    } else if (*upload_size > 0) {
        if (!r->body_too_big && r->body.len + *upload_size <= h->max_body)
            buf_add(&r->body, upload_data, *upload_size);
        else
            r->body_too_big = true;
        *upload_size = 0;
        return MHD_YES;
    }
    dispatch(r, &rep);
    if (rep.cancelled && atomic_load(&h->stopping)) {
        /* not the time limit the message names: the stop cancelled it */
        reply_error(&rep, 503, "shutting_down", "the server is stopping and cancelled this "
                    "request's query; try again once it is back");
        rep.retry_after = REPLY_RETRY_AFTER;
    }
    conditional(r, &rep);
    enum MHD_Result ok = send_reply(r, &rep);
    free((char *)rep.allow);
    free((char *)rep.location);
    free(rep.raw);
    if (r->db != NULL) {
        pool_put(&h->pool, r->db);
        r->db = NULL;
    }
    return ok;
}

/* The client's address, as digits ("" when libmicrohttpd has none). */
static void client_address(struct MHD_Connection *conn, char *addr, size_t len)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

    addr[0] = '\0';
    if (ci != NULL && ci->client_addr != NULL)
        getnameinfo(ci->client_addr, ci->client_addr->sa_family == AF_INET6
                                         ? sizeof(struct sockaddr_in6)
                                         : sizeof(struct sockaddr_in),
                    addr, (socklen_t)len, NULL, 0, NI_NUMERICHOST);
}

/* The metrics and the access log line of a request that was answered. */
static void log_request(struct httpd *h, struct http_req *r, enum MHD_RequestTerminationCode why)
{
    double secs = clock_mono() - r->t0;
    int route = r->route ? (int)(r->route - http_routes) : HTTP_MAX_ROUTES;
    metrics_record(&h->metrics, route, r->status, secs);
    if (h->access_log) {
        cJSON *f = cJSON_CreateObject();
        char addr[INET6_ADDRSTRLEN];
        client_address(r->conn, addr, sizeof addr);
        cJSON_AddStringToObject(f, "request_id", r->id);
        if (r->method[0] != '\0')
            cJSON_AddStringToObject(f, "method", r->method);
        else
            cJSON_AddNullToObject(f, "method");
        cJSON_AddStringToObject(f, "route", r->route ? r->route->path : "(none)");
        char *path = utf8_sanitize(r->path, strlen(r->path)); /* the log is JSON too */
        cJSON_AddStringToObject(f, "path", path);
        free(path);
        cJSON_AddNumberToObject(f, "status", r->status);
        cJSON_AddNumberToObject(f, "latency_ms", secs * 1000);
        if (r->refusal == NULL) /* libmicrohttpd's page: not counted */
            cJSON_AddNumberToObject(f, "bytes", (double)r->bytes);
        if (r->key_name[0])
            cJSON_AddStringToObject(f, "key", r->key_name);
        else
            cJSON_AddNullToObject(f, "key");
        cJSON_AddStringToObject(f, "client", addr);
        if (r->refusal != NULL) { /* answered before its headers were read */
            cJSON_AddStringToObject(f, "answered_by", "libmicrohttpd");
            cJSON_AddStringToObject(f, "error", r->refusal);
        } else if (why != MHD_REQUEST_TERMINATED_COMPLETED_OK)
            cJSON_AddStringToObject(f, "aborted", why == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED
                                                      ? "timeout"
                                                      : "connection closed");
        /* a load balancer's probe or a scrape, every few seconds all day,
         * would bury the requests people make: they show at debug level */
        bool probe = r->route != NULL && config_http_is_openable(r->route->path) &&
                     r->status < 400;
        log_fields(probe ? LOG_DEBUG : LOG_INFO, f, "http request");
    }
}

/* A request libmicrohttpd answered itself, with its own HTML page, after
 * reading its line and before its headers (431: headers over the
 * connection's memory; 400: a header line it cannot read): logged and
 * counted like the others, with the status it sent and the path as sent.
 * One whose client left before its headers has nothing to log. */
static void log_refused_head(struct httpd *h, struct http_req *r,
                             enum MHD_RequestTerminationCode why)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_HTTP_STATUS);

    if (why != MHD_REQUEST_TERMINATED_WITH_ERROR || ci == NULL || ci->http_status < 400)
        return;
    r->status = (int)ci->http_status;
    r->refusal = r->status == 431 ? "headers over the connection's memory"
                                  : "a header line not HTTP";
    r->path = r->sent_path;
    r->sent_path = NULL;
    request_id(r->conn, r->id, sizeof r->id);
    log_request(h, r, why);
    free(r->path);
}

/* Once per request whose line libmicrohttpd read (on_uri): the metrics and
 * the access log, then the end of the request's state. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode why)
{
    struct httpd *h = cls;
    struct http_req *r = *req_cls;

    (void)conn;
    if (r == NULL)
        return;
    *req_cls = NULL;
    if (heads_pending == r)
        heads_pending = NULL;
    if (r->path == NULL) { /* never in flight */
        log_refused_head(h, r, why);
        free(r->sent_path);
        free(r);
        return;
    }
    log_request(h, r, why);
    if (r->db != NULL)
        pool_put(&h->pool, r->db);
    for (int i = 0; i < r->npath; i++)
        free(r->pathv[i]);
    cJSON_Delete(r->json);
    buf_free(&r->body);
    config_free(r->cfg);
    free(r->path);
    free(r->sent_path);
    free(r);
    pthread_mutex_lock(&h->lock);
    if (--h->in_flight == 0)
        pthread_cond_broadcast(&h->drained);
    pthread_mutex_unlock(&h->lock);
}

/* A request libmicrohttpd refused with its own HTML page before it called
 * any function of ours for it: a request line over the connection's
 * memory (414), an HTTP version it does not speak (505: HTTP/2.0 sent as
 * text), a line it cannot read (400). Nothing of it reaches us but this
 * message, on the thread serving its connection, which names no
 * connection: the line has the status and what it means, not the path,
 * the method or the client. */
static void log_refused_line(struct httpd *h, int status)
{
    char id[40];

    metrics_record(&h->metrics, HTTP_MAX_ROUTES, status, 0);
    if (!h->access_log)
        return;
    cJSON *f = cJSON_CreateObject();
    request_id(NULL, id, sizeof id);
    cJSON_AddStringToObject(f, "request_id", id);
    cJSON_AddNullToObject(f, "method");
    cJSON_AddStringToObject(f, "route", "(none)");
    cJSON_AddNullToObject(f, "path");
    cJSON_AddNumberToObject(f, "status", status);
    cJSON_AddNullToObject(f, "key");
    cJSON_AddStringToObject(f, "answered_by", "libmicrohttpd");
    cJSON_AddStringToObject(f, "error", status == 414   ? "request line over the connection's memory"
                                        : status == 505 ? "HTTP version not supported (1.0 and "
                                                          "1.1 are)"
                                                        : "request line not HTTP");
    log_fields(LOG_INFO, f, "http request");
}

/* A connection libmicrohttpd closed as soon as it accepted it: its client
 * already held [http] max_connections_per_client (a client opening
 * connections and sending nothing, or a byte at a time, to hold them), or,
 * rarely, the server max_connections (libmicrohttpd says the same of
 * both). A warning, at most one a minute, counting those since the last. */
static void say_refused(struct httpd *h)
{
    double now = clock_mono();
    int n = 0;

    pthread_mutex_lock(&h->lock);
    h->refused++;
    if (h->refused_said == 0 || now - h->refused_said >= 60) {
        n = h->refused;
        h->refused = 0;
        h->refused_said = now;
    }
    pthread_mutex_unlock(&h->lock);
    if (n > 0)
        log_warn("http: closed %d connection%s as soon as accepted: the client held [http] "
                 "max_connections_per_client (%ld) already, or the server max_connections "
                 "(at most one such warning a minute)", n, n == 1 ? "" : "s",
                 h->max_per_client);
}

/* libmicrohttpd's messages are debugging, but for a request it answered
 * itself (its text, "Error processing request (HTTP response code is N
 * ...", is the one sign of it): that one is logged as a request. One
 * answered after its line was read (431, or a 400 to a header line) is
 * the request's on this thread whose headers are pending, and
 * on_completed logs it with its path and client. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    int status = 0;

    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    log_debug("http: %s", msg);
    if (strcmp(msg, "Server reached connection limit. Closing inbound connection.") == 0)
        say_refused(cls);
    else if (sscanf(msg, "Error processing request (HTTP response code is %d", &status) == 1 &&
        status >= 400 && status != 431 && (status != 400 || heads_pending == NULL)) {
        log_refused_line(cls, status);
        lines_refused++;
    }
}

/* Where the listen address in force comes from, for a message about it:
 * the variable, the file's line, or the face's default. */
static void listen_origin(const struct config *cfg, const char *listen, char *out, size_t len)
{
    const char *env = getenv("KASPARRO_HTTP_LISTEN");

    if (env != NULL && strcmp(env, listen) == 0)
        snprintf(out, len, "listen '%s' (KASPARRO_HTTP_LISTEN)", listen);
    else if (cfg->http.listen != NULL && strcmp(cfg->http.listen, listen) == 0)
        snprintf(out, len, "config '%s' line %d: [http] listen '%s'",
                 cfg->path ? cfg->path : "(defaults)", cfg->http.listen_line, listen);
    else
        snprintf(out, len, "listen '%s'", listen);
}

/* "HOST:PORT", "[V6]:PORT" or ":PORT" into a socket address; an error
 * (EXIT_USAGE) names where the address was given. */
static int resolve(const struct config *cfg, const char *listen, struct sockaddr_storage *ss,
                   struct err *err)
{
    char host[128], port[16], where[PATH_MAX + 160];
    const char *colon = strrchr(listen, ':');
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV}, *res;
    int rc;
    char *end = NULL;
    long n = colon != NULL ? strtol(colon + 1, &end, 10) : -1;

    listen_origin(cfg, listen, where, sizeof where);
    /* a port past 65535 was taken modulo 65536 (99999 listened on 34463):
     * the configuration's listen is checked when it is read, the variable
     * only here */
    if (colon == NULL || colon[1] == '\0' || !isdigit((unsigned char)colon[1]) || *end != '\0' ||
        n > 65535)
        return err_code(err, EXIT_USAGE, "http: %s is not HOST:PORT with a port 0-65535 (like "
                        "127.0.0.1:8000, [::1]:8000 or :8000) or off", where);
    snprintf(port, sizeof port, "%ld", n);
    if (listen[0] == '[' && colon > listen && colon[-1] == ']')
        snprintf(host, sizeof host, "%.*s", (int)(colon - listen - 2), listen + 1);
    else
        snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
    if ((rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res)) != 0)
        return err_code(err, EXIT_USAGE, "http: %s: host '%s' does not resolve: %s", where, host,
                        gai_strerror(rc));
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return 0;
}

int httpd_check_listen(const struct config *cfg, const char *dflt, struct err *err)
{
    const char *listen = httpd_listen_address(cfg, dflt);
    struct sockaddr_storage ss;

    return listen != NULL ? resolve(cfg, listen, &ss, err) : 0;
}

static char *read_pem(const struct config *cfg, const char *path, const char *key,
                      struct err *err)
{
    char *full = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", cfg->dir, path);
    struct buf b = BUF_INIT;
    FILE *f = fopen(full, "r");
    char chunk[4096];
    size_t n;

    if (f == NULL) {
        err_code(err, EXIT_USAGE, "http: [http] %s: unable to open '%s': %m", key, full);
        free(full);
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    fclose(f);
    free(full);
    return buf_detach(&b);
}

/* Which routes [http] open serves without a key (the configuration
 * refused any other path when it was read). */
static void parse_open(const struct config *cfg, bool open[HTTP_MAX_ROUTES])
{
    size_t n;
    char **items;

    memset(open, 0, sizeof(bool) * HTTP_MAX_ROUTES);
    if (cfg->http.open == NULL)
        return;
    items = str_split_all(cfg->http.open, ',', &n);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < http_nroutes; k++)
            if (config_http_is_openable(items[i]) && strcmp(http_routes[k].path, items[i]) == 0)
                open[k] = true;
    free(items);
}

/* Whether the PEM file a reloaded configuration names differs from the one
 * the server runs with (NULL: none); a file that does not read differs. */
static bool pem_changed(const char *running, const struct config *cfg, const char *path)
{
    struct err ignore = {0};
    char *now;
    bool changed;

    if (path == NULL || running == NULL)
        return path != NULL || running != NULL;
    now = read_pem(cfg, path, "tls", &ignore);
    changed = now == NULL || strcmp(now, running) != 0;
    free(now);
    return changed;
}

/* What the server reads once, when it starts: a reload that changes any
 * of it says so rather than seem to have applied it (a new port, or a
 * renewed certificate reloaded with SIGHUP). */
static void say_restart_only(const struct httpd *h, const struct config *was,
                             const struct config *cfg)
{
    const struct http_cfg *o = &was->http, *n = &cfg->http;
    const struct {
        const char *key;
        bool changed;
    } keys[] = {
        {"listen", !str_eq(httpd_listen_address(was, NULL), httpd_listen_address(cfg, NULL))},
        {"tls_cert", pem_changed(h->tls_cert, cfg, n->tls_cert)},
        {"tls_key", pem_changed(h->tls_key, cfg, n->tls_key)},
        {"max_body", o->max_body != n->max_body},
        {"max_connections", o->max_connections != n->max_connections},
        {"max_connections_per_client",
         o->max_connections_per_client != n->max_connections_per_client},
        {"timeout", o->timeout_s != n->timeout_s},
        {"threads", o->threads != n->threads},
        {"access_log", o->access_log != n->access_log},
    };
    struct buf b = BUF_INIT;

    for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
        if (keys[i].changed)
            buf_printf(&b, "%s%s", b.len ? ", " : "", keys[i].key);
    if (b.len > 0)
        log_warn("http: [http] %s changed: the server keeps its running settings until the "
                 "process restarts", b.data);
    buf_free(&b);
}

/* What a configuration gives the request threads, read before any of it
 * is applied. */
struct httpd_settings {
    struct http_keys keys;
    bool open[HTTP_MAX_ROUTES];
    struct config *cfg;
};

struct httpd_settings *httpd_prepare(const struct config *cfg, struct err *err)
{
    struct httpd_settings *st = xcalloc(1, sizeof *st);

    if (apikeys_load(cfg, &st->keys, err) < 0) {
        free(st);
        return NULL;
    }
    parse_open(cfg, st->open);
    st->cfg = config_ref((struct config *)cfg);
    return st;
}

void httpd_apply(struct httpd *h, struct httpd_settings *st)
{
    struct http_keys old;
    struct config *prev;

    if (st->keys.n == 0)
        log_warn("http: no API key is configured ([http] viewer_keys_env, operator_keys_env, "
                 "key_file): every route that is not open answers 401");
    if (h->cfg != NULL) /* a reload: only this thread changes h->cfg */
        say_restart_only(h, h->cfg, st->cfg);
    pthread_mutex_lock(&h->lock);
    old = h->keys;
    h->keys = st->keys;
    memcpy(h->open, st->open, sizeof st->open);
    prev = h->cfg;
    h->cfg = st->cfg;
    pthread_mutex_unlock(&h->lock);
    apikeys_free(&old);
    config_free(prev);
    free(st);
}

void httpd_settings_free(struct httpd_settings *st)
{
    if (st == NULL)
        return;
    apikeys_free(&st->keys);
    config_free(st->cfg);
    free(st);
}

/* Request threads: [http] threads, but no more than connections allowed.
 * libmicrohttpd shares the connection limit among its threads, and a
 * thread left with none never stops: MHD_stop_daemon waited for it for
 * ever, and the daemon with it (max_connections = 2, threads = 4). */
static long request_threads(const struct config *cfg)
{
    long n = cfg->http.threads > 0 ? cfg->http.threads : 1;

    return n > cfg->http.max_connections ? cfg->http.max_connections : n;
}

/* The TCP states (the kernel's tcp_states.h, not in a header of the C
 * library beside linux/tcp.h) a socket may be in once its peer's FIN came
 * (CLOSE also after a reset, when none came). */
enum { TCP_STATE_TIME_WAIT = 6, TCP_STATE_CLOSE = 7, TCP_STATE_CLOSE_WAIT = 8,
       TCP_STATE_LAST_ACK = 9, TCP_STATE_CLOSING = 11 };

/* The bytes of data the kernel received on a connection's socket; 0 when
 * none came, or it cannot say (a kernel before 4.6). Its count takes the
 * peer's FIN for a byte, which is none. */
static unsigned long long bytes_received(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    struct tcp_info ti;
    socklen_t len = sizeof ti;

    memset(&ti, 0, sizeof ti);
    if (ci == NULL || getsockopt(ci->connect_fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0 ||
        len < offsetof(struct tcp_info, tcpi_data_segs_in) + sizeof ti.tcpi_data_segs_in ||
        ti.tcpi_data_segs_in == 0)
        return 0;
    bool fin = ti.tcpi_state == TCP_STATE_CLOSE_WAIT || ti.tcpi_state == TCP_STATE_LAST_ACK ||
               ti.tcpi_state == TCP_STATE_CLOSING || ti.tcpi_state == TCP_STATE_TIME_WAIT ||
               ti.tcpi_state == TCP_STATE_CLOSE;
    return ti.tcpi_bytes_received - (fin && ti.tcpi_bytes_received > 1);
}

/* A connection closed on bytes that held no request line (GARBAGE, a
 * line with no blank, a TLS handshake that failed): libmicrohttpd closes
 * it without an answer, a log message or a call of any other callback of
 * ours, so this is the one place it shows. Logged as the access log logs
 * a request, status null, and counted as status "none"; a connection that
 * sent nothing (a port probe, a client's spare connection) is not. */
static void log_no_line(struct httpd *h, struct MHD_Connection *conn)
{
    unsigned long long n = bytes_received(conn);
    char id[40], addr[INET6_ADDRSTRLEN], why[128];

    if (n == 0)
        return;
    metrics_record(&h->metrics, HTTP_MAX_ROUTES, 0, 0);
    if (!h->access_log)
        return;
    cJSON *f = cJSON_CreateObject();
    request_id(NULL, id, sizeof id);
    client_address(conn, addr, sizeof addr);
    snprintf(why, sizeof why, "no HTTP request line in the %llu byte%s received; closed without "
             "an answer", n, n == 1 ? "" : "s");
    cJSON_AddStringToObject(f, "request_id", id);
    cJSON_AddNullToObject(f, "method");
    cJSON_AddStringToObject(f, "route", "(none)");
    cJSON_AddNullToObject(f, "path");
    cJSON_AddNullToObject(f, "status");
    cJSON_AddNullToObject(f, "key");
    cJSON_AddStringToObject(f, "client", addr);
    cJSON_AddStringToObject(f, "answered_by", "libmicrohttpd");
    cJSON_AddStringToObject(f, "error", why);
    log_fields(LOG_INFO, f, "http request");
}

/* libmicrohttpd's word on a connection: opened (its state made), closed
 * (before its socket is: whether a request line was ever read on it). */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct http_conn *c = *socket_context;

    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        *socket_context = xcalloc(1, sizeof *c);
        return;
    }
    if (c != NULL && c->lines == 0) {
        if (lines_refused > 0 && bytes_received(conn) > 0)
            lines_refused--; /* logged as refused already */
        else
            log_no_line(cls, conn);
    }
    free(c);
    *socket_context = NULL;
}

static struct MHD_Daemon *start_mhd(struct httpd *h, const struct config *cfg,
                                    const struct sockaddr_storage *ss)
{
    /* ITC: MHD_quiesce_daemon needs it to stop listening from its threads */
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
    struct MHD_OptionItem tls[3] = {{MHD_OPTION_END, 0, NULL}};

    if (ss->ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (h->tls) {
        flags |= MHD_USE_TLS;
        tls[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, h->tls_cert};
        tls[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, h->tls_key};
    }
    /* the logger first: MHD reports what it makes of the later options */
    return MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, h,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, h,
        MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)request_threads(cfg),
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->http.max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->http.max_connections_per_client,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->http.timeout_s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, h,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTPD_CONNECTION_MEMORY,
        MHD_OPTION_ARRAY, tls,
        MHD_OPTION_END);
}

struct httpd *httpd_start(const struct config *cfg, const char *listen, struct engine *engine,
                          struct sched *sched, struct err *err)
{
    struct httpd *h = xcalloc(1, sizeof *h);
    struct sockaddr_storage ss;

    if (http_nroutes > HTTP_MAX_ROUTES)
        BUG("http: %zu routes, room for %d", http_nroutes, HTTP_MAX_ROUTES);
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->drained, NULL);
    h->engine = engine;
    h->sched = sched;
    h->max_body = (size_t)cfg->http.max_body;
    h->max_per_client = cfg->http.max_connections_per_client;
    h->access_log = cfg->http.access_log;
    h->started = clock_now();
    pool_init(&h->pool, (int)request_threads(cfg));
    struct httpd_settings *st;
    if (resolve(cfg, listen, &ss, err) < 0 || (st = httpd_prepare(cfg, err)) == NULL)
        goto fail;
    httpd_apply(h, st);
    if (cfg->http.tls_cert != NULL) { /* and tls_key: the file has both or neither */
        h->tls = true;
        if ((h->tls_cert = read_pem(cfg, cfg->http.tls_cert, "tls_cert", err)) == NULL ||
            (h->tls_key = read_pem(cfg, cfg->http.tls_key, "tls_key", err)) == NULL)
            goto fail;
    }
    if ((h->mhd = start_mhd(h, cfg, &ss)) == NULL) {
        err_set(err, "http: unable to listen on '%s'%s: %m", listen,
                h->tls ? " (or the TLS certificate and key do not load)" : "");
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
    h->port = di ? di->port : 0;
    char host[INET6_ADDRSTRLEN] = "?";
    getnameinfo((struct sockaddr *)&ss, ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                                 : sizeof(struct sockaddr_in),
                host, sizeof host, NULL, 0, NI_NUMERICHOST);
    snprintf(h->address, sizeof h->address, ss.ss_family == AF_INET6 ? "[%s]:%d" : "%s:%d",
             host, h->port);
    log_fields(LOG_INFO, cJSON_CreateObject(), "http: listening on %s%s (%ld thread%s)",
               h->address, h->tls ? " with TLS" : "", request_threads(cfg),
               request_threads(cfg) == 1 ? "" : "s");
    return h;
fail:
    httpd_stop(h);
    return NULL;
}

int httpd_port(const struct httpd *h) { return h->port; }

/* Up to `secs` for the requests in flight to be answered: how many are left. */
static int wait_drained(struct httpd *h, int secs)
{
    struct timespec at;
    int left;

    clock_deadline(CLOCK_REALTIME, secs, &at);
    pthread_mutex_lock(&h->lock);
    while (h->in_flight > 0 && pthread_cond_timedwait(&h->drained, &h->lock, &at) == 0)
        ;
    left = h->in_flight;
    pthread_mutex_unlock(&h->lock);
    return left;
}

/* Waits up to HTTPD_DRAIN_S for the requests in flight to be answered;
 * then cancels their queries, which answer 503 shutting_down (a query
 * waiting on a lock used to keep the daemon from stopping), and waits up
 * to HTTPD_CANCEL_S more. */
static void drain(struct httpd *h)
{
    int left = wait_drained(h, HTTPD_DRAIN_S);

    if (left > 0) {
        atomic_store(&h->stopping, true);
        int n = pool_cancel_busy(&h->pool);
        log_warn("http: %d request%s still in flight after %ds; cancelled %d quer%s", left,
                 left == 1 ? "" : "s", HTTPD_DRAIN_S, n, n == 1 ? "y" : "ies");
        left = wait_drained(h, HTTPD_CANCEL_S);
    }
    if (left > 0)
        log_warn("http: %d request%s still in flight after %ds; closing %s", left,
                 left == 1 ? "" : "s", HTTPD_DRAIN_S + HTTPD_CANCEL_S, left == 1 ? "it" : "them");
}

/* A stop (a deploy's restart) first stops accepting, then lets the requests
 * in flight be answered: closing at once cut their clients off with no
 * answer. */
void httpd_stop(struct httpd *h)
{
    if (h == NULL)
        return;
    if (h->mhd != NULL) {
        MHD_socket s = MHD_quiesce_daemon(h->mhd);
        if (s != MHD_INVALID_SOCKET)
            close(s);
        drain(h);
        MHD_stop_daemon(h->mhd);
    }
    pool_destroy(&h->pool);
    apikeys_free(&h->keys);
    config_free(h->cfg);
    free(h->tls_cert);
    free(h->tls_key);
    pthread_cond_destroy(&h->drained);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

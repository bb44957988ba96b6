/*
 * http_fetch.c — GETs for one source: up to `concurrency` at once through
 * libcurl's multi interface, each retried by the policy of http_retry.c and
 * started only when the source's token bucket allows.
 *
 * Requests live in one list sorted by tag (page number, offset, request
 * number), so when slots or tokens are scarce the page the reader needs
 * soonest goes first. The reader asks for one tag at a time
 * (http_fetch_take); while it waits, every other transfer progresses too,
 * and finished responses wait in the list until they are taken or dropped.
 * A failure is therefore reported only when its page is the one needed: a
 * speculative fetch beyond the last page that fails is dropped unseen.
 *
 * The loop never sleeps longer than 100 ms, so a set cancel flag stops a
 * run promptly even during a long Retry-After. A request that would retry
 * later than retry_deadline after its first attempt fails instead. TLS verification is libcurl's
 * default and never turned off. Redirects are followed only when no
 * authentication header is configured: libcurl would send a custom header
 * to whatever host a redirect names.
 */
#include <ctype.h>
#include <curl/curl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kasparro/clock.h"
#include "kasparro/http.h"
#include "kasparro/log.h"

enum req_state { REQ_WAITING, REQ_RUNNING, REQ_DONE };

struct request {
    struct http_response resp;
    struct http_fetch *fetch;
    CURL *easy;
    enum req_state state;
    double not_before; /* monotonic; a retry waits until then */
    double started;
    double first_started; /* of the first attempt: retry_deadline counts from it */
    bool too_big;
    char errbuf[CURL_ERROR_SIZE];
    struct request *next;
};

struct http_fetch {
    struct http_opts o;
    CURLM *multi;
    struct curl_slist *headers;
    struct ratelimit rl;
    struct request *reqs; /* sorted by tag */
    int running;
    long long requests, retries, bytes;
    uint64_t rng;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_setup(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

struct http_fetch *http_fetch_new(const struct http_opts *opts)
{
    struct http_fetch *f = xcalloc(1, sizeof *f);

    pthread_once(&curl_once, curl_setup);
    f->o = *opts;
    if (f->o.concurrency < 1)
        f->o.concurrency = 1;
    f->multi = curl_multi_init();
    if (f->multi == NULL)
        fatal("out of memory (curl_multi_init)");
    f->headers = curl_slist_append(NULL, "Accept: application/json");
    if (opts->auth_line != NULL)
        f->headers = curl_slist_append(f->headers, opts->auth_line);
    ratelimit_init(&f->rl, opts->rate_limit, opts->burst, clock_mono());
    f->rng = ((uint64_t)(clock_mono() * 1e9) ^ ((uint64_t)getpid() << 32) ^ (uintptr_t)f) | 1;
    return f;
}

/* xorshift64*: uniform in [0, 1); only jitter depends on it. */
static double random_unit(struct http_fetch *f)
{
    f->rng ^= f->rng >> 12;
    f->rng ^= f->rng << 25;
    f->rng ^= f->rng >> 27;
    return (double)((f->rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    struct request *r = arg;
    size_t len = size * n;
    long long max = r->fetch->o.max_body;

    r->fetch->bytes += (long long)len;
    /* CURLOPT_MAXFILESIZE only sees a Content-Length; chunked bodies are
     * stopped here */
    if (max > 0 && (long long)(r->resp.body.len + len) > max) {
        r->too_big = true;
        return 0;
    }
    buf_add(&r->resp.body, data, len);
    return len;
}

static CURL *make_easy(struct http_fetch *f, struct request *r)
{
    CURL *e = curl_easy_init();

    if (e == NULL)
        fatal("out of memory (curl_easy_init)");
    curl_easy_setopt(e, CURLOPT_URL, r->resp.url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,file");
    curl_easy_setopt(e, CURLOPT_USERAGENT, HTTP_USER_AGENT);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, f->headers);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (f->o.ca_file != NULL)
        curl_easy_setopt(e, CURLOPT_CAINFO, f->o.ca_file);
    if (f->o.connect_timeout_ms > 0)
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, f->o.connect_timeout_ms);
    if (f->o.timeout_ms > 0)
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, f->o.timeout_ms);
    if (f->o.max_body > 0)
        curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->o.max_body);
    if (f->o.auth_line == NULL) {
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
        curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    }
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    return e;
}

void http_fetch_add(struct http_fetch *f, long long tag, const char *url)
{
    struct request *r = xcalloc(1, sizeof *r), **at = &f->reqs;

    r->resp.tag = tag;
    r->resp.url = xstrdup(url);
    r->fetch = f;
    r->state = REQ_WAITING;
    while (*at != NULL && (*at)->resp.tag <= tag)
        at = &(*at)->next;
    r->next = *at;
    *at = r;
}

static void start(struct http_fetch *f, struct request *r, double now)
{
    buf_reset(&r->resp.body);
    r->too_big = false;
    r->errbuf[0] = '\0';
    if (r->easy == NULL)
        r->easy = make_easy(f, r);
    curl_multi_add_handle(f->multi, r->easy);
    r->state = REQ_RUNNING;
    r->started = now;
    if (r->resp.attempts == 0)
        r->first_started = now;
    f->running++;
    f->requests++;
    if (r->resp.attempts++ > 0)
        f->retries++;
}

/* Starts what may start; returns the seconds until something else may (a
 * retry's time comes, a token arrives), or -1 when nothing waits. */
static double start_ready(struct http_fetch *f, double now)
{
    double wake = -1;

    for (struct request *r = f->reqs; r != NULL && f->running < f->o.concurrency; r = r->next) {
        if (r->state != REQ_WAITING)
            continue;
        if (r->not_before > now) {
            if (wake < 0 || r->not_before - now < wake)
                wake = r->not_before - now;
            continue;
        }
        double w = ratelimit_take(&f->rl, now);
        if (w > 0) {
            if (wake < 0 || w < wake)
                wake = w;
            break;
        }
        start(f, r, now);
    }
    return wake;
}

static void size_text(long long n, char *out, size_t len)
{
    static const struct {
        long long unit;
        const char *suffix;
    } units[] = {{1024LL * 1024 * 1024, "G"}, {1024LL * 1024, "M"}, {1024, "k"}};

    for (size_t i = 0; i < ARRAY_SIZE(units); i++)
        if (n >= units[i].unit && n % units[i].unit == 0) {
            snprintf(out, len, "%lld%s", n / units[i].unit, units[i].suffix);
            return;
        }
    snprintf(out, len, "%lld bytes", n);
}

/* Whether one attempt failed; if so, what went wrong (lower case first) and
 * whether another attempt may go better. */
static bool attempt_failed(struct request *r, CURLcode rc, bool *retryable, char *what, size_t len)
{
    long status = r->resp.status;
    bool too_big = r->too_big || rc == CURLE_FILESIZE_EXCEEDED;

    *retryable = false;
    if (too_big && status >= 400) {
        rc = CURLE_OK; /* a large error page is still the error it reports */
    } else if (too_big) {
        char size[32];
        size_text(r->fetch->o.max_body, size, sizeof size);
        snprintf(what, len, "response larger than max_body (%s)", size);
        return true;
    }
    if (rc != CURLE_OK) {
        err_copy(what, len, r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc));
        /* "Operation timed out" reads as a message of ours; "SSL ..." stays */
        if (islower((unsigned char)what[1]))
            what[0] = (char)tolower((unsigned char)what[0]);
        *retryable = http_retry_transport(rc);
        return true;
    }
    if (status >= 300 && status <= 399 && r->fetch->o.auth_line != NULL) {
        char *loc = NULL;
        curl_easy_getinfo(r->easy, CURLINFO_REDIRECT_URL, &loc);
        char *shown = loc ? http_url_redact(loc) : xstrdup("?");
        err_format(what, len,
                   "HTTP %ld: redirected to '%s', which is not followed with an auth "
                   "header (set url to the final address)",
                   status, shown);
        free(shown);
        return true;
    }
    if (status >= 300) {
        snprintf(what, len, "HTTP %ld", status);
        *retryable = http_retry_status(status);
        return true;
    }
    return false;
}

static void keep_headers(struct request *r)
{
    char *ct = NULL;
    struct curl_header *h;

    curl_easy_getinfo(r->easy, CURLINFO_CONTENT_TYPE, &ct);
    if (ct != NULL)
        r->resp.content_type = xstrdup(ct);
    for (size_t i = 0; curl_easy_header(r->easy, "Link", i, CURLH_HEADER, -1, &h) == CURLHE_OK;
         i++) {
        r->resp.link_next = http_link_next(h->value, r->resp.url);
        if (r->resp.link_next != NULL || h->amount <= i + 1)
            break;
    }
}

/* How long to wait before the next attempt; *after: the Retry-After asked. */
static long retry_wait(struct http_fetch *f, struct request *r, curl_off_t *after)
{
    *after = 0;
    if (r->resp.status > 0)
        curl_easy_getinfo(r->easy, CURLINFO_RETRY_AFTER, after);
    return http_retry_wait_ms(&f->o.retry, r->resp.attempts, (long long)*after, random_unit(f));
}

static void schedule_retry(struct http_fetch *f, struct request *r, const char *what, double now,
                           long wait, curl_off_t after)
{
    char *url = http_url_redact(r->resp.url);
    cJSON *fields = cJSON_CreateObject();

    r->state = REQ_WAITING;
    r->not_before = now + (double)wait / 1000;
    cJSON_AddStringToObject(fields, "url", url);
    cJSON_AddNumberToObject(fields, "status", (double)r->resp.status);
    cJSON_AddNumberToObject(fields, "attempt", r->resp.attempts);
    cJSON_AddNumberToObject(fields, "wait_ms", (double)wait);
    if (after != 0)
        cJSON_AddNumberToObject(fields, "retry_after", (double)after);
    log_fields(LOG_WARN, fields, "%s from '%s': retry %d of %d in %.2fs", what, url,
               r->resp.attempts, f->o.retry.retries, (double)wait / 1000);
    free(url);
}

/* "retry_deadline (2m) leaves no time for the next wait (60.0s)" */
static void past_deadline(const struct http_fetch *f, long wait, char *out, size_t len)
{
    char deadline[32];
    long ms = f->o.retry.deadline_ms;

    if (ms % 1000 == 0)
        format_duration(ms / 1000, deadline, sizeof deadline);
    else
        snprintf(deadline, sizeof deadline, "%ldms", ms);
    snprintf(out, len, "retry_deadline (%s) leaves no time for the next wait (%.1fs)", deadline,
             (double)wait / 1000);
}

static void finish(struct http_fetch *f, struct request *r, CURLcode rc)
{
    double now = clock_mono();
    bool retryable;
    char what[sizeof r->resp.error - 160];

    curl_multi_remove_handle(f->multi, r->easy);
    f->running--;
    r->resp.seconds = now - r->started;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->resp.status);
    if (!attempt_failed(r, rc, &retryable, what, sizeof what)) {
        keep_headers(r);
        r->state = REQ_DONE;
        return;
    }
    if (retryable && r->resp.attempts <= f->o.retry.retries) {
        curl_off_t after;
        long wait = retry_wait(f, r, &after);
        if (http_retry_in_time(&f->o.retry, now - r->first_started, wait)) {
            schedule_retry(f, r, what, now, wait, after);
            return;
        }
        past_deadline(f, wait, r->resp.stopped, sizeof r->resp.stopped);
    }
    r->state = REQ_DONE;
    r->resp.failed = true;
    keep_headers(r);
    if (r->resp.attempts == 1)
        err_copy(r->resp.error, sizeof r->resp.error, what);
    else if (rc == CURLE_OK || r->resp.status >= 400)
        err_format(r->resp.error, sizeof r->resp.error, "%s after %d attempts", what,
                   r->resp.attempts);
    else
        err_format(r->resp.error, sizeof r->resp.error, "%s; gave up after %d attempts", what,
                   r->resp.attempts);
}

static void collect(struct http_fetch *f)
{
    CURLMsg *m;
    int left;

    while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
        struct request *r = NULL;
        if (m->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        finish(f, r, m->data.result);
    }
}

static void response_clear(struct http_response *r)
{
    free(r->url);
    buf_free(&r->body);
    free(r->content_type);
    free(r->link_next);
}

static void request_free(struct http_fetch *f, struct request *r)
{
    if (r->state == REQ_RUNNING) {
        curl_multi_remove_handle(f->multi, r->easy);
        f->running--;
    }
    if (r->easy != NULL)
        curl_easy_cleanup(r->easy);
    response_clear(&r->resp);
    free(r);
}

static struct request **find(struct http_fetch *f, long long tag)
{
    struct request **at = &f->reqs;

    while (*at != NULL && (*at)->resp.tag != tag)
        at = &(*at)->next;
    if (*at == NULL)
        BUG("http_fetch_take: no request %lld", tag);
    return at;
}

static struct http_response *hand_over(struct http_fetch *f, struct request **at)
{
    struct request *r = *at;
    struct http_response *resp = xmalloc(sizeof *resp);

    *at = r->next;
    *resp = r->resp;
    memset(&r->resp, 0, sizeof r->resp);
    request_free(f, r);
    return resp;
}

int http_fetch_take(struct http_fetch *f, long long tag, struct http_response **out,
                    struct err *err)
{
    struct request **at = find(f, tag);

    for (;;) {
        if (f->o.cancel != NULL && atomic_load(f->o.cancel))
            return err_set(err, "stopped before the end (cancelled)");
        if ((*at)->state == REQ_DONE) {
            *out = hand_over(f, at);
            return 1;
        }
        int still;
        curl_multi_perform(f->multi, &still);
        collect(f);
        if ((*at)->state == REQ_DONE)
            continue;
        /* after collect(), so a retry just scheduled is counted in */
        double wake = start_ready(f, clock_mono());
        long curl_ms = -1;
        int ms = 100;
        curl_multi_timeout(f->multi, &curl_ms);
        if (curl_ms >= 0 && curl_ms < ms)
            ms = (int)curl_ms;
        if (wake >= 0 && ceil(wake * 1000) < ms)
            ms = (int)ceil(wake * 1000);
        curl_multi_poll(f->multi, NULL, 0, ms, NULL);
    }
}

void http_fetch_drop_from(struct http_fetch *f, long long tag)
{
    struct request **at = &f->reqs;

    while (*at != NULL) {
        struct request *r = *at;
        if (r->resp.tag >= tag) {
            *at = r->next;
            request_free(f, r);
        } else {
            at = &r->next;
        }
    }
}

void http_fetch_counts(const struct http_fetch *f, long long *requests, long long *retries,
                       long long *bytes)
{
    *requests = f->requests;
    *retries = f->retries;
    *bytes = f->bytes;
}

void http_response_free(struct http_response *r)
{
    if (r == NULL)
        return;
    response_clear(r);
    free(r);
}

void http_fetch_free(struct http_fetch *f)
{
    if (f == NULL)
        return;
    http_fetch_drop_from(f, LLONG_MIN);
    curl_multi_cleanup(f->multi);
    curl_slist_free_all(f->headers);
    free(f);
}

/*
 * http.h — the machinery behind the http_json source: retry policy, rate
 * limit, URLs and the concurrent fetcher.
 *
 * source_http.c (pagination and items) sits on top of four small pieces:
 * - http_retry.c: the pure policy: which outcomes are worth retrying and how
 *   long to wait before the next attempt (exponential backoff with full
 *   jitter, Retry-After honoured but clamped);
 * - ratelimit.c: a token bucket, one per source, that every request of the
 *   source (first attempts and retries alike) must pass;
 * - http_url.c: URL templates ({page} {offset} {limit} {cursor} {dir}),
 *   query parameters, Link headers, and URLs with their secrets masked for
 *   messages and logs;
 * - http_fetch.c: libcurl's multi interface running up to `concurrency`
 *   transfers, retrying, rate limiting and honouring the cancel flag.
 * http_page.c turns a fetched body into a JSON document and its record
 * array, or a message that says what came instead.
 */
#ifndef KASPARRO_HTTP_H
#define KASPARRO_HTTP_H

#include <cjson/cJSON.h>

#include "kasparro/jdoc.h"
#include <stdatomic.h>
#include <stdbool.h>

#include "kasparro/buf.h"
#include "kasparro/config.h"
#include "kasparro/err.h"

#define HTTP_USER_AGENT "kasparro/0.1"

/* --- retry policy (http_retry.c) --- */

struct retry_policy {
    int retries;  /* retries after the first attempt */
    long base_ms; /* backoff ceiling of the first retry */
    long max_ms;  /* cap on any single wait, Retry-After included */
    long deadline_ms; /* no retry whose wait ends later than this after the first
                         attempt started; 0: none */
};

/* 408, 429 and 5xx are worth another attempt; anything else is an answer. */
bool http_retry_status(long status);
/* Transport failures that another attempt may not meet (timeouts, refused
 * or reset connections, partial bodies); `code` is a CURLcode. */
bool http_retry_transport(int code);
/* The wait in milliseconds before retry number `attempt` (1 = the first
 * retry). Without a usable Retry-After (`retry_after_s` <= 0: absent, or a
 * date in the past) it is full jitter: `unit` (uniform in [0, 1)) times
 * min(max_ms, base_ms * 2^(attempt-1)). A Retry-After is honoured but never
 * beyond max_ms. */
long http_retry_wait_ms(const struct retry_policy *p, int attempt, long long retry_after_s,
                        double unit);
/* Whether a retry after `wait_ms` starts within the deadline, `elapsed_s`
 * after the request's first attempt started. */
bool http_retry_in_time(const struct retry_policy *p, double elapsed_s, long wait_ms);

/* --- token bucket (ratelimit.c) --- */

struct ratelimit {
    double rate;  /* tokens per second; 0: unlimited */
    double burst; /* bucket size */
    double tokens;
    double last; /* when tokens was computed (monotonic seconds) */
};

void ratelimit_init(struct ratelimit *rl, double rate, long burst, double now);
/* Takes a token and returns 0 when a request may start at `now`; otherwise
 * takes nothing and returns the seconds until one may. */
double ratelimit_take(struct ratelimit *rl, double now);

/* --- URLs (http_url.c) --- */

/* Replaces {NAME} placeholders by the values of `names`/`values` (n pairs;
 * values are URL-encoded, except {dir}'s) and returns the new URL. */
char *http_url_expand(const char *tmpl, const char *const *names, const char *const *values, int n);
/* True when `tmpl` has the placeholder {NAME}. */
bool http_url_has(const char *tmpl, const char *name);
/* Appends name=value (URL-encoded) to the query; -1 when the URL is bad. */
int http_url_add_param(char **url, const char *name, const char *value);
/* The URL for messages and logs: no user:password, and the values of query
 * parameters whose names suggest secrets (key, token, secret, password,
 * signature, auth) replaced by "***". Caller frees. */
char *http_url_redact(const char *url);
/* The target of rel="next" in a Link header value, resolved against `base`;
 * NULL when there is none. Caller frees. */
char *http_link_next(const char *link, const char *base);
/* True when both URLs name the same scheme, host and port (the default
 * port of the scheme when none is written); false when either is bad. */
bool http_url_same_origin(const char *a, const char *b);

/* --- the fetcher (http_fetch.c) --- */

struct http_opts {
    const char *auth_line; /* "Header: value", or NULL; never logged */
    const char *ca_file;
    long connect_timeout_ms;
    long timeout_ms;
    long long max_body;
    struct retry_policy retry;
    double rate_limit;
    long burst;
    int concurrency;
    const atomic_bool *cancel;
};

/* One request's final outcome: a body to parse, or why there is none. */
struct http_response {
    long long tag;
    char *url;   /* as requested */
    long status; /* 0 for file:// */
    struct buf body;
    char *content_type; /* or NULL */
    char *link_next;    /* rel="next" of the Link header, absolute; or NULL */
    int attempts;
    double seconds; /* of the last attempt */
    bool failed;
    char error[512]; /* when failed: "HTTP 503 after 6 attempts" */
    /* when failed short of its retries, why they stopped: "retry_deadline
     * (2m) leaves no time for the next wait (60.0s)"; else "" */
    char stopped[128];
};

struct http_fetch;

struct http_fetch *http_fetch_new(const struct http_opts *opts);
void http_fetch_free(struct http_fetch *f);
/* Queues a GET of `url`, known by `tag` (a page number, offset, request
 * number). Requests start in tag order as concurrency and the rate allow. */
void http_fetch_add(struct http_fetch *f, long long tag, const char *url);
/* Runs transfers until the request `tag` is finished for good (answered, or
 * failed after its retries) and hands it over (caller frees with
 * http_response_free); other requests go on meanwhile. -1 with err when
 * cancelled. */
int http_fetch_take(struct http_fetch *f, long long tag, struct http_response **out,
                    struct err *err);
/* Forgets every request whose tag is >= `tag`, running or not. */
void http_fetch_drop_from(struct http_fetch *f, long long tag);
void http_fetch_counts(const struct http_fetch *f, long long *requests, long long *retries,
                       long long *bytes);
void http_response_free(struct http_response *r);

/* --- pages (http_page.c) --- */

/* Makes `r`'s body UTF-8. A body that is UTF-8 already stays as it is (JSON
 * between systems is UTF-8, and servers label UTF-8 JSON ISO-8859-1 by
 * default); one that is not is read in the charset its Content-Type
 * declares, else in `fallback` (the encoding = of [source `source`]). -1
 * with a message in `why` when neither can read it; 1 with a warning in
 * `why` when it was read so but holds a UTF-8 character (loaded as two or
 * three others, "Ã©"); else 0. */
int http_body_to_utf8(struct http_response *r, enum csv_encoding fallback, const char *source,
                      char *why, size_t whylen);
/* Parses `r`'s body as exact JSON (jdoc.h: strict, every number's digits
 * and every string's bytes kept; *doc, caller frees) and finds the record
 * array at `records_path` (*records, inside *doc, or an empty array when
 * it is null and `null_empty`). -1 with a message in `why` when the body
 * is not JSON ("malformed JSON near byte 1234: ...", "expected JSON, got
 * text/html: 'Bad Gateway'") or has no record array. */
int http_page_parse(const struct http_response *r, const char *records_path, bool null_empty,
                    struct jdoc **doc, const struct jval **records, char *why, size_t whylen);
/* A short, printable excerpt of a body for messages, at most
 * HTTP_EXCERPT_CELLS cells: an HTML page's words (its title, then its
 * text), an HTTP error's JSON message, else the body's first characters. */
enum { HTTP_EXCERPT_CELLS = 80 };
void http_body_excerpt(const struct http_response *r, char *out, size_t len);
/* The words of an HTML page, tags, comments, scripts and styles left out
 * (its title first, a heading repeating it once), or NULL; caller frees. */
char *http_html_words(const char *body, size_t len);
/* An error's code and message in a JSON body ({"error": "...",
 * "message": "..."}), or NULL; caller frees. */
char *http_json_error_words(const char *body, size_t len);

#endif

/*
 * source_http.c — the http_json source: pages of JSON records over HTTP (or
 * file://), in one of five pagination styles, yielded in source order.
 *
 * Every page is known by a tag: its page number (page), its offset
 * (offset), or its request number (none, cursor, link). Page and offset
 * styles know every page's URL in advance, so the fetcher (http_fetch.c)
 * works ahead: up to `concurrency` pages are in flight while the reader
 * takes them in tag order. When the API says how far it goes (pages_path,
 * total_path) only the first page is fetched alone and then exactly the
 * pages that exist; otherwise pages are fetched speculatively and the end
 * is the first empty page, a short one (when we sent the page size), or
 * has_more false, and whatever was fetched beyond it is dropped unseen.
 * Cursor and link styles learn each URL from the page before, so they are
 * sequential, though the next page is requested as soon as the current one
 * is parsed, while the loader works through its records.
 *
 * The resume point is the page the last item came from plus how many of
 * its records were yielded: {"page":4,"skip":7}, {"offset":300,"skip":2},
 * {"cursor":"abc","request":5,"skip":0}, {"url":"...","request":3,"skip":3}.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xxhash.h>

#include "kasparro/http.h"
#include "kasparro/log.h"
#include "kasparro/source.h"
#include "kasparro/strmap.h"

struct source {
    const struct source_cfg *cfg;
    const char *dir;
    char *since;     /* incremental lower bound, or NULL */
    char *auth_line; /* "Header: value"; never printed */
    struct http_fetch *fetch;
    bool sends_size;    /* the server was told the page size */
    bool knows_end;     /* pages_path or total_path is configured */
    long long step;     /* between tags: page_size for offsets, else 1 */
    long long start;    /* the first tag of a whole read */
    long long end;      /* the first tag past the end (page, offset); LLONG_MAX unknown */
    long long api_end;  /* the same, as far as the API has said; LLONG_MAX unknown */
    bool limited;       /* cursor, link: max_pages dropped a next page */
    long long next_tag; /* the next page to request (page, offset) */
    long long cur;      /* the page being read */
    char *cur_token;    /* cursor, link: the cursor or URL it was fetched with */
    char *next_token;   /* cursor, link: for the page after it; NULL at the end */
    struct strmap tokens; /* cursor, link: the tokens this read's pages were fetched
                             with, by hash, each counting its request (see token_at) */
    char *refused;      /* link: why the next page is not requested; the read fails
                           with it once this page's records are yielded */
    struct jdoc *doc;
    const struct jval *next_rec; /* the next record of the page to yield */
    int nrec, rec; /* records on the page, yielded of them */
    int skip;      /* resume: records of the first page yielded before */
    bool done;
    bool failed;        /* a page failed: the read ended without reaching its end */
    bool resumed;       /* the read began past the source's first record */
    long long seen;     /* records on the pages of this read, those skipped included */
    char early[160];    /* an empty page ended the read before the end the API announced */
    long long pos_tag, pos_skip; /* the resume point after the last item */
    char *pos_token;
    struct buf raw;    /* the record being yielded, compact */
    char *page_url;    /* the current page's, masked (http_url_redact) */
    char error[64];
    long long pages, total;
    bool total_guessed; /* total is pages_path's count times a full page, an estimate for
                           progress until the last page says how many it holds */
    long long per_page; /* records on a full page, once known */
    XXH64_hash_t last_body; /* page, offset: the body of the page before, hashed */
    bool utf8_warned;       /* a body read as latin-1 or windows-1252 held UTF-8: said */
};

static bool sequential(const struct source *s)
{
    return !pagination_ahead(s->cfg->pagination);
}

/* "page 3", "offset 200", "request 4": how messages name a page. */
static const char *page_label(const struct source *s, long long tag, char *buf, size_t len)
{
    enum pagination p = s->cfg->pagination;

    snprintf(buf, len, "%s %lld",
             p == PAGE_OFFSET                     ? "offset"
             : p == PAGE_CURSOR || p == PAGE_LINK ? "request"
                                                  : "page",
             tag);
    return buf;
}

static const char *or_default(const char *v, const char *dflt) { return str_empty(v) ? dflt : v; }

/* The parameter a value travels in when the template has no placeholder
 * for it; NULL: it is not sent. */
static const char *param_for(const struct source *s, const char *what)
{
    const struct source_cfg *c = s->cfg;
    enum pagination p = c->pagination;

    if (strcmp(what, "page") == 0)
        return p == PAGE_PAGE ? or_default(c->page_param, "page") : NULL;
    if (strcmp(what, "offset") == 0)
        return p == PAGE_OFFSET ? or_default(c->offset_param, "offset") : NULL;
    if (strcmp(what, "cursor") == 0)
        return p == PAGE_CURSOR ? or_default(c->cursor_param, "cursor") : NULL;
    if (strcmp(what, "since") == 0)
        return c->since_param;
    /* limit: offset pagination needs it; the others send it when asked */
    return p == PAGE_OFFSET ? or_default(c->limit_param, "limit")
           : c->size_param  ? c->size_param
                            : c->limit_param;
}

/* The URL of page `tag`; `token` is the cursor (cursor style). */
static char *page_url(const struct source *s, long long tag, const char *token, struct err *err)
{
    const struct source_cfg *c = s->cfg;
    char page[32], offset[32], limit[32];
    const char *const *names = config_url_placeholders;
    const char *values[CONFIG_URL_PLACEHOLDERS] = {page, offset, limit, token, s->since, s->dir};

    if (c->pagination == PAGE_OFFSET) {
        snprintf(offset, sizeof offset, "%lld", tag);
        snprintf(page, sizeof page, "%lld", tag / c->page_size + c->start_page);
    } else {
        snprintf(page, sizeof page, "%lld", tag);
        snprintf(offset, sizeof offset, "%lld", (tag - c->start_page) * c->page_size);
    }
    snprintf(limit, sizeof limit, "%ld", c->page_size);
    char *url = http_url_expand(c->url, names, values, CONFIG_URL_PLACEHOLDERS);
    for (size_t i = 0; i < CONFIG_URL_PLACEHOLDERS - 1; i++) { /* {dir} is no parameter */
        const char *param = param_for(s, names[i]);
        if (param == NULL || values[i] == NULL || http_url_has(c->url, names[i]))
            continue;
        if (http_url_add_param(&url, param, values[i]) < 0) {
            err_code(err, EXIT_USAGE, "source '%s': url '%s' is not a valid URL", c->name, c->url);
            free(url);
            return NULL;
        }
    }
    return url;
}

/* Page and offset styles: keeps up to `concurrency` pages in flight ahead. */
static int fill_window(struct source *s, struct err *err)
{
    long long ahead = (long long)s->cfg->concurrency + (s->doc != NULL);
    long long limit = s->cur + ahead * s->step;

    if (s->pages == 0 && s->knows_end)
        limit = s->cur + s->step; /* the first page says how many there are */
    while (s->next_tag < limit && s->next_tag < s->end) {
        char *url = page_url(s, s->next_tag, NULL, err);
        if (url == NULL)
            return -1;
        http_fetch_add(s->fetch, s->next_tag, url);
        free(url);
        s->next_tag += s->step;
    }
    return 0;
}

/* The API says where its records end (page and offset styles). */
static void shorten_end(struct source *s, long long end)
{
    if (end < s->api_end)
        s->api_end = end;
    if (end >= s->end)
        return;
    s->end = end;
    http_fetch_drop_from(s->fetch, end);
    if (s->next_tag > end)
        s->next_tag = end;
}

/* The value at a configured path of the page, NULL when unset or absent. */
static const struct jval *page_value(const struct source *s, const char *path)
{
    return str_empty(path) ? NULL : jval_path(jdoc_root(s->doc), path, NULL);
}

static bool number_at(const struct source *s, const char *path, double *out)
{
    const struct jval *n = page_value(s, path);

    return n != NULL && (n->type == JT_NUMBER || n->type == JT_STRING) &&
           parse_double(n->str, out);
}

/* What has_more_path says: 0 no more (the JSON false, 0, or a string that
 * says no as a boolean setting would: "false", "no", "off", "0", in any
 * case, as APIs that write every value as text say it), 1 more (true, any
 * other number, a string that says yes or such a number), -1 nothing
 * (absent, null, anything else). */
static int has_more(const struct source *s)
{
    const struct jval *m = page_value(s, s->cfg->has_more_path);
    double n;
    int yes;

    if (m == NULL)
        return -1;
    if (m->type == JT_TRUE || m->type == JT_FALSE)
        return m->type == JT_TRUE;
    if (m->type == JT_STRING && (yes = parse_bool(m->str)) >= 0)
        return yes;
    if ((m->type == JT_NUMBER || m->type == JT_STRING) && parse_double(m->str, &n))
        return n != 0;
    return -1;
}

static bool says_no_more(const struct source *s) { return has_more(s) == 0; }

/* An empty page that says itself more records follow (has_more_path) ends
 * the read as a gap too, whatever the style, when nothing else said so. */
static void empty_yet_more(struct source *s, const char *label)
{
    if (s->nrec == 0 && s->early[0] == '\0' && has_more(s) == 1)
        snprintf(s->early, sizeof s->early, "%s was empty, yet the API's %s says more follow",
                 label, s->cfg->has_more_path);
}

/* An empty page ends a read. Before the end that the API's own total or
 * page count announced, it is no end of the records but a gap (a page
 * the server failed to fill, records shifting while they are read): the
 * read ends there, but not as complete, so nothing it did not reach is
 * taken for deleted. A total the empty page itself lowers is believed. */
static void empty_before_end(struct source *s, const char *label)
{
    char last[48], said[48];
    long long last_tag = s->start + (s->api_end - s->start - 1) / s->step * s->step;

    if (s->api_end != LLONG_MAX && s->cur < s->api_end) {
        if (s->total >= 0 && !str_empty(s->cfg->total_path))
            snprintf(said, sizeof said, "total (%lld records)", s->total);
        else
            snprintf(said, sizeof said, "page count (%lld)", (s->api_end - s->start) / s->step);
        snprintf(s->early, sizeof s->early, "%s was empty where the API's %s says %s is its last",
                 label, said, page_label(s, last_tag, last, sizeof last));
    }
    shorten_end(s, s->cur);
}

/* What this page says about where the read ends (page and offset styles).
 * An API that caps the page size below page_size would make offsets skip
 * records and a total count the wrong pages: when the total says more
 * follows a page shorter than asked for, that is an error, not an end. */
static int learn_end(struct source *s, const char *label, struct err *err)
{
    const struct source_cfg *c = s->cfg;
    double pages, total;

    if (s->per_page == 0) /* what a full page holds; the API's choice unless we sent one */
        s->per_page = s->sends_size || s->nrec == 0 ? c->page_size : s->nrec;
    if (number_at(s, c->total_path, &total)) {
        long long end = c->pagination == PAGE_OFFSET
                            ? (long long)total
                            : c->start_page + (long long)ceil(total / (double)s->per_page);
        s->total = (long long)total;
        if (s->sends_size && s->nrec > 0 && s->nrec < c->page_size && s->cur + s->step < end)
            return err_set(err,
                           "source '%s': %s: %d records where page_size is %ld, yet the total "
                           "(%lld) says more follow; the API caps its pages: set page_size to "
                           "%d",
                           c->name, label, s->nrec, c->page_size, s->total, s->nrec);
        shorten_end(s, end);
    }
    if (number_at(s, c->pages_path, &pages)) {
        shorten_end(s, s->start + (long long)pages * s->step);
        if (s->total < 0 || s->total_guessed) {
            s->total = (long long)pages * s->per_page;
            s->total_guessed = true;
        }
        /* the last page: every page before it was full */
        if (s->total_guessed && s->cur + s->step >= s->end && s->end == s->api_end) {
            s->total = (s->cur - s->start) / s->step * s->per_page + s->nrec;
            s->total_guessed = false;
        }
    }
    if (s->nrec == 0) {
        empty_before_end(s, label);
        empty_yet_more(s, label);
    } else if (says_no_more(s) || (s->nrec < c->page_size && s->sends_size && !s->knows_end &&
                                 str_empty(c->has_more_path)))
        shorten_end(s, s->cur + s->step);
    return 0;
}

/* Page and offset styles: an API that does not read the page parameter
 * (a misspelt page_param, say) answers every page with the first, and one
 * that clamps the page number answers every page past the end with the
 * last: either way the read would never end. A page that is the one before
 * it, byte for byte, and holds records, stops it. */
static int same_as_before(struct source *s, const struct http_response *r, const char *label,
                          struct err *err)
{
    const struct source_cfg *c = s->cfg;
    XXH64_hash_t h = XXH3_64bits(r->body.data, r->body.len);
    char before[48], why[160];
    bool again = s->pages > 1 && s->nrec > 0 && h == s->last_body;

    s->last_body = h;
    if (!again)
        return 0;
    if (s->cur - s->step == s->start)
        snprintf(why, sizeof why, "the API does not read the %s (is %s right?)",
                 c->pagination == PAGE_OFFSET ? "offset" : "page number",
                 c->pagination == PAGE_OFFSET ? "offset_param" : "page_param");
    else
        snprintf(why, sizeof why, "the API repeats its last page past the end (pages_path, "
                 "total_path or has_more_path would say where it ends)");
    return err_set(err, "source '%s': %s is %s again, byte for byte: %s; stopping rather than "
                   "reading it forever", c->name, label,
                   page_label(s, s->cur - s->step, before, sizeof before), why);
}

/* Cursor, link: the request a token was fetched with in this read, or 0.
 * An API whose cursors go round (A, B, A, ...) would be read forever, as
 * one that hands a page its own cursor would; the tokens are kept as
 * hashes, so a long read's memory does not grow with their length. */
static long long token_at(struct source *s, const char *token, long long note)
{
    char key[17];
    struct strmap_entry *e;

    snprintf(key, sizeof key, "%016llx",
             (unsigned long long)XXH3_64bits(token, strlen(token)));
    if (note == 0)
        return (e = strmap_get(&s->tokens, key, 16)) != NULL ? e->count : 0;
    e = strmap_put(&s->tokens, key, 16);
    if (e->count == 0)
        e->count = note;
    return e->count;
}

/* The token of the page after this one, NULL at the end (cursor, link). */
static int learn_next(struct source *s, const struct http_response *r, char *label, struct err *err)
{
    const struct source_cfg *c = s->cfg;
    double total;
    const struct jval *n = NULL;

    free(s->next_token);
    s->next_token = NULL;
    if (number_at(s, c->total_path, &total))
        s->total = (long long)total;
    /* an empty page ends the read; short of the API's total, not complete
     * (a resumed read does not know how many came before it) */
    if (s->nrec == 0 && !s->resumed && s->total > s->seen)
        snprintf(s->early, sizeof s->early,
                 "%s was empty, yet the API's total (%lld) says %lld more records follow",
                 label, s->total, s->total - s->seen);
    empty_yet_more(s, label);
    if (s->nrec == 0 || says_no_more(s) || c->pagination == PAGE_NONE)
        return 0;
    if (c->pagination == PAGE_LINK) {
        /* the authentication header goes with every request: a link to
         * another host would hand it the secret, as a redirect would */
        if (r->link_next != NULL && s->auth_line != NULL &&
            !http_url_same_origin(r->link_next, r->url)) {
            char *shown = http_url_redact(r->link_next);
            s->refused = xasprintf("source '%s': %s: the next link goes to another host ('%s'), "
                                   "which is not followed with an auth header", c->name, label,
                                   shown);
            free(shown);
            return 0;
        }
        if (r->link_next != NULL)
            s->next_token = xstrdup(r->link_next);
    } else if ((n = page_value(s, c->cursor_path)) != NULL &&
               (n->type == JT_NUMBER || (n->type == JT_STRING && n->len > 0))) {
        /* a cursor goes back as the API wrote it: a number's digits too */
        if (n->unpaired || strlen(n->str) != n->len)
            return err_set(err, "source '%s': %s: the next cursor (%s) holds a NUL or a lone "
                           "surrogate, which no URL can carry", c->name, label, c->cursor_path);
        s->next_token = xstrndup(n->str, n->len);
    }
    if (s->cur_token != NULL)
        token_at(s, s->cur_token, s->cur);
    long long again = s->next_token != NULL ? token_at(s, s->next_token, 0) : 0;
    char before[48];
    if (s->next_token != NULL && str_eq(s->next_token, s->cur_token))
        return err_set(err,
                       "source '%s': %s: the next %s is this page's own ('%s'); stopping "
                       "rather than reading it forever",
                       c->name, label, c->pagination == PAGE_LINK ? "link" : "cursor",
                       s->next_token);
    if (again > 0)
        return err_set(err,
                       "source '%s': %s: the next %s ('%s') is the one %s was fetched with; "
                       "the API's %ss go round: stopping rather than reading them forever",
                       c->name, label, c->pagination == PAGE_LINK ? "link" : "cursor",
                       s->next_token, page_label(s, again, before, sizeof before),
                       c->pagination == PAGE_LINK ? "link" : "cursor");
    if (s->next_token != NULL && c->max_pages > 0 && s->cur >= c->max_pages) {
        free(s->next_token);
        s->next_token = NULL;
        s->limited = true;
    }
    return 0;
}

static int request_next_token(struct source *s, struct err *err)
{
    char *url;

    if (s->next_token == NULL)
        return 0;
    url = s->cfg->pagination == PAGE_LINK ? xstrdup(s->next_token)
                                          : page_url(s, s->cur + 1, s->next_token, err);
    if (url == NULL)
        return -1;
    http_fetch_add(s->fetch, s->cur + 1, url);
    free(url);
    return 0;
}

static int fetch_failed(struct source *s, const struct http_response *r, const char *label,
                        struct err *err)
{
    char excerpt[4 * HTTP_EXCERPT_CELLS] = "", *url = http_url_redact(r->url);
    const char *hint = "";

    if (r->status >= 400 && r->body.len > 0)
        http_body_excerpt(r, excerpt, sizeof excerpt);
    if ((r->status == 401 || r->status == 403) && s->auth_line == NULL)
        hint = "; the API may want auth_header_env";
    /* what happened, what the server said, where; then why no retry was left */
    err_set(err, "source '%s': %s: %s%s%s%s (%s)%s%s%s", s->cfg->name, label, r->error,
            excerpt[0] ? ": '" : "", excerpt, excerpt[0] ? "'" : "", url,
            r->stopped[0] ? "; " : "", r->stopped, hint);
    free(url);
    return -1;
}

/* The body made UTF-8 (http_body_to_utf8); a UTF-8 character in a body
 * read as latin-1 or windows-1252 is warned of once per read, as a CSV
 * file's is. */
static int body_utf8(struct source *s, struct http_response *r, const char *label, char *why,
                     size_t whylen)
{
    int rc = http_body_to_utf8(r, s->cfg->encoding, s->cfg->name, why, whylen);

    if (rc > 0 && !s->utf8_warned) {
        char *url = http_url_redact(r->url);
        s->utf8_warned = true;
        log_warn("source '%s': %s: %s (%s)", s->cfg->name, label, why, url);
        free(url);
    }
    return rc < 0 ? -1 : 0;
}

static int load_page(struct source *s, struct err *err)
{
    struct http_response *r = NULL;
    char label[48], why[512];
    int rc = -1;

    page_label(s, s->cur, label, sizeof label);
    if (!sequential(s) && fill_window(s, err) < 0)
        return -1;
    if (http_fetch_take(s->fetch, s->cur, &r, err) < 0)
        return err_prefix(err, "source '%s': %s", s->cfg->name, label);
    if (r->failed) {
        fetch_failed(s, r, label, err);
        goto out;
    }
    const struct jval *records;
    if (body_utf8(s, r, label, why, sizeof why) < 0 ||
        http_page_parse(r, s->cfg->records_path, s->cfg->null_records == NULL_RECORDS_EMPTY,
                        &s->doc, &records, why, sizeof why) < 0) {
        char *url = http_url_redact(r->url);
        err_set(err, "source '%s': %s: %s (%s)", s->cfg->name, label, why, url);
        free(url);
        goto out;
    }
    s->nrec = records->n > INT_MAX ? INT_MAX : (int)records->n;
    s->rec = s->skip < s->nrec ? s->skip : s->nrec;
    s->next_rec = records->child;
    for (int i = 0; i < s->rec; i++)
        s->next_rec = s->next_rec->next;
    s->skip = 0;
    s->pages++;
    s->seen += s->nrec;
    cJSON *f = cJSON_CreateObject();
    free(s->page_url);
    s->page_url = http_url_redact(r->url);
    cJSON_AddStringToObject(f, "url", s->page_url);
    cJSON_AddNumberToObject(f, "status", (double)r->status);
    cJSON_AddNumberToObject(f, "bytes", (double)r->body.len);
    cJSON_AddNumberToObject(f, "records", s->nrec);
    log_fields(LOG_DEBUG, f, "%s: %d records, %zu bytes in %.3fs", label, s->nrec, r->body.len,
               r->seconds);
    if (sequential(s))
        rc = learn_next(s, r, label, err) < 0 ? -1 : request_next_token(s, err);
    else if (same_as_before(s, r, label, err) == 0)
        rc = learn_end(s, label, err) < 0 ? -1 : fill_window(s, err);
out:
    http_response_free(r);
    return rc;
}

/* The current page is read to its end: on to the next, or done. */
static void next_page(struct source *s)
{
    jdoc_free(s->doc);
    s->doc = NULL;
    s->next_rec = NULL;
    if (sequential(s)) {
        free(s->cur_token);
        s->cur_token = s->next_token;
        s->next_token = NULL;
        s->done = s->cur_token == NULL;
        s->cur++;
    } else {
        s->cur += s->step;
        s->done = s->cur >= s->end;
    }
}

static int yield(struct source *s, struct src_item *item)
{
    const struct jval *rec = s->next_rec;
    char label[48];

    memset(item, 0, sizeof *item);
    if (s->pos_tag != s->cur) {
        s->pos_tag = s->cur;
        free(s->pos_token);
        s->pos_token = s->cur_token ? xstrdup(s->cur_token) : NULL;
    }
    s->pos_skip = ++s->rec;
    snprintf(item->location, sizeof item->location, "%s, record %d",
             page_label(s, s->cur, label, sizeof label), s->rec);
    s->next_rec = rec->next;
    buf_reset(&s->raw);
    jval_compact(rec, &s->raw);
    item->raw = s->raw.data;
    item->raw_len = s->raw.len;
    item->origin = s->page_url;
    if (rec->type != JT_OBJECT) {
        /* the quarantine keeps it; the read goes on */
        snprintf(s->error, sizeof s->error, "the record is %s, not an object", jval_kind(rec));
        item->error = s->error;
        return 1;
    }
    item->json = rec;
    return 1;
}

static int http_next(struct source *s, struct src_item *item, struct err *err)
{
    for (;;) {
        if (s->doc != NULL && s->rec < s->nrec)
            return yield(s, item);
        if (s->refused != NULL) /* the page's records are in: the read ends here, failed */
            return err_set(err, "%s", s->refused);
        if (s->doc != NULL)
            next_page(s);
        if (s->done)
            return 0;
        if (load_page(s, err) < 0) {
            s->failed = true;
            return -1;
        }
    }
}

/* The header line from the variable auth_header_env names; its value is in
 * no message, whatever goes wrong. */
static int auth_from_env(struct source *s, struct err *err)
{
    const char *name = s->cfg->auth_header_env, *v;

    if (str_empty(name))
        return 0;
    v = getenv(name);
    if (v == NULL || v[0] == '\0')
        return err_code(err, EXIT_USAGE,
                        "source '%s': auth_header_env names the environment "
                        "variable '%s', which is %s",
                        s->cfg->name, name, v == NULL ? "not set" : "empty");
    if (strpbrk(v, "\r\n") != NULL)
        return err_code(err, EXIT_USAGE,
                        "source '%s': the value of '%s' holds a line break, "
                        "which no header value may",
                        s->cfg->name, name);
    s->auth_line = xasprintf("%s: %s", or_default(s->cfg->auth_header, "Authorization"), v);
    return 0;
}

/* Continues where `pos` says; false when it does not fit this pagination. */
static bool resume_at(struct source *s, const cJSON *pos)
{
    static const char *keys[] = {[PAGE_NONE] = NULL,
                                 [PAGE_PAGE] = "page",
                                 [PAGE_OFFSET] = "offset",
                                 [PAGE_CURSOR] = "cursor",
                                 [PAGE_LINK] = "url"};
    enum pagination p = s->cfg->pagination;
    const cJSON *skip = cJSON_GetObjectItem(pos, "skip");
    const cJSON *at = keys[p] ? cJSON_GetObjectItem(pos, keys[p]) : NULL;
    const cJSON *req = cJSON_GetObjectItem(pos, "request");

    if (!cJSON_IsNumber(skip) || skip->valuedouble < 0 || skip->valuedouble > INT_MAX ||
        (keys[p] != NULL && at == NULL))
        return false;
    if (p == PAGE_PAGE || p == PAGE_OFFSET) {
        if (!cJSON_IsNumber(at) || at->valuedouble < (double)s->start)
            return false;
        s->cur = s->next_tag = (long long)at->valuedouble;
    } else if (p == PAGE_CURSOR || p == PAGE_LINK) {
        if (!cJSON_IsString(at) && !(p == PAGE_CURSOR && cJSON_IsNull(at)))
            return false;
        s->cur_token = cJSON_IsString(at) ? xstrdup(at->valuestring) : NULL;
        if (cJSON_IsNumber(req) && req->valuedouble >= 1)
            s->cur = (long long)req->valuedouble;
    }
    s->skip = (int)skip->valuedouble;
    s->resumed = true;
    return true;
}

static void http_close(struct source *s);

static struct source *http_open(const struct source_open *how, struct err *err)
{
    const struct source_cfg *c = how->src;
    struct source *s = xcalloc(1, sizeof *s);
    enum pagination p = c->pagination;

    s->cfg = c;
    s->dir = how->cfg->dir;
    s->total = -1;
    s->end = s->api_end = LLONG_MAX;
    s->step = p == PAGE_OFFSET ? c->page_size : 1;
    s->start = p == PAGE_PAGE ? c->start_page : p == PAGE_OFFSET ? 0 : 1;
    s->cur = s->next_tag = s->start;
    s->sends_size = http_url_has(c->url, "limit") || param_for(s, "limit") != NULL;
    s->knows_end = !str_empty(c->pages_path) || !str_empty(c->total_path);
    if (!sequential(s) && c->max_pages > 0)
        s->end = s->start + c->max_pages * s->step;
    if (how->cursor != NULL && (c->since_param != NULL || http_url_has(c->url, "since")))
        s->since = xstrdup(how->cursor);
    if (auth_from_env(s, err) < 0) {
        http_close(s);
        return NULL;
    }
    if (how->resume != NULL && !resume_at(s, how->resume)) {
        char *text = cJSON_PrintUnformatted(how->resume);
        log_warn("resume point %s does not fit pagination '%s'; reading from the start", text,
                 pagination_name(p));
        cJSON_free(text);
    }
    struct http_opts o = {
        .auth_line = s->auth_line,
        .ca_file = c->ca_file,
        .connect_timeout_ms = c->connect_timeout_ms,
        .timeout_ms = c->timeout_ms,
        .max_body = c->max_body,
        .retry = {.retries = c->retries,
                  .base_ms = c->retry_base_ms,
                  .max_ms = c->retry_max_ms,
                  .deadline_ms = c->retry_deadline_ms},
        .rate_limit = c->rate_limit,
        .burst = c->burst,
        .concurrency = sequential(s) ? 1 : c->concurrency,
        .cancel = how->cancel,
    };
    s->fetch = http_fetch_new(&o);
    if (sequential(s)) {
        char *url = p == PAGE_LINK && s->cur_token != NULL ? xstrdup(s->cur_token)
                                                           : page_url(s, s->cur, s->cur_token, err);
        if (url == NULL) {
            http_close(s);
            return NULL;
        }
        if (p == PAGE_LINK && s->cur_token == NULL)
            s->cur_token = xstrdup(url);
        http_fetch_add(s->fetch, s->cur, url);
        free(url);
    }
    s->pos_tag = s->cur;
    s->pos_skip = s->skip;
    s->pos_token = s->cur_token ? xstrdup(s->cur_token) : NULL;
    s->done = !sequential(s) && s->cur >= s->end;
    return s;
}

static cJSON *http_position(struct source *s)
{
    cJSON *pos = cJSON_CreateObject();

    switch (s->cfg->pagination) {
    case PAGE_PAGE:
        cJSON_AddNumberToObject(pos, "page", (double)s->pos_tag);
        break;
    case PAGE_OFFSET:
        cJSON_AddNumberToObject(pos, "offset", (double)s->pos_tag);
        break;
    case PAGE_CURSOR:
    case PAGE_LINK:
        if (s->pos_token != NULL)
            cJSON_AddStringToObject(pos, s->cfg->pagination == PAGE_LINK ? "url" : "cursor",
                                    s->pos_token);
        else
            cJSON_AddNullToObject(pos, "cursor");
        cJSON_AddNumberToObject(pos, "request", (double)s->pos_tag);
        break;
    case PAGE_NONE:
        break;
    }
    cJSON_AddNumberToObject(pos, "skip", (double)s->pos_skip);
    return pos;
}

static void http_stats(struct source *s, struct source_stats *out)
{
    out->pages = s->pages;
    http_fetch_counts(s->fetch, &out->requests, &out->retries, &out->bytes);
    /* an estimate serves progress while reading; a read that ended without
     * learning the count says it does not know */
    out->total = s->total_guessed && (s->done || s->failed) ? -1 : s->total;
    if (s->done && s->early[0] != '\0')
        snprintf(out->cut_short, sizeof out->cut_short, "%s", s->early);
    /* a page limit ends a read that the API has not ended (or ends later) */
    else if (s->done && (s->limited || (!sequential(s) && s->end < s->api_end)))
        snprintf(out->cut_short, sizeof out->cut_short,
                 "max_pages = %ld stopped the read before the API said it had no more pages",
                 s->cfg->max_pages);
}

static void http_close(struct source *s)
{
    if (s == NULL)
        return;
    http_fetch_free(s->fetch);
    if (s->auth_line != NULL)
        explicit_bzero(s->auth_line, strlen(s->auth_line));
    free(s->auth_line);
    free(s->since);
    free(s->cur_token);
    free(s->next_token);
    strmap_free(&s->tokens, NULL);
    free(s->refused);
    free(s->pos_token);
    free(s->page_url);
    buf_free(&s->raw);
    jdoc_free(s->doc);
    free(s);
}

const struct source_ops source_http_ops = {
    .kind = "http_json",
    .open = http_open,
    .next = http_next,
    .position = http_position,
    .stats = http_stats,
    .close = http_close,
};

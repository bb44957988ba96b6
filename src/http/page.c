/*
 * page.c — one paging scheme for every listing: the `cursor` parameter
 * and meta.count / meta.next, as /data has them, so a client walks /data,
 * /runs, /decisions, /queue and /entities with one loop.
 *
 * A cursor is opaque to clients: base64url of "FINGERPRINT.A.B", the
 * fingerprint a hash of the route and the filters it was given with (a
 * cursor is refused with other ones). /data keeps its keyset (A the last
 * record id, B the watermark; h-data.c). Newest-first listings (runs,
 * decisions) are keyset too: "FINGERPRINT.b.ID", ID the last item served,
 * and the next page is what is older (`--before`), so a run or a decision
 * made during a walk neither repeats an item nor pushes one out of it
 * (that walk ends where it began; the next one starts with the new
 * items). The queue's and the entities' orders are their indexes'
 * (migration 018), so they resume after a key of their own:
 * "FINGERPRINT.k.KEY", KEY the text the listing made of the last item
 * served (its place in the order), and the next page is what follows that
 * place now. Either way a page reads one item more than it serves, to
 * know whether another follows.
 *
 * Older servers' cursors: a newest-first cursor also counted the items
 * served ("FINGERPRINT.SERVED.ID"), which nothing read; it still resumes
 * after ID. Before the keyset, every listing's cursor counted the items
 * served under a fingerprint without the way of paging ("OFFSET.ANCHOR"
 * of the route and filters alone), and the queue's and the entities'
 * did until migration 018: no place can be made of a count, so such a
 * cursor is refused as an older server's, telling the client to start
 * from the first page, not as one of other filters or none this server
 * gave (cursor_older) — whatever filters it is given with, since
 * dropping them would not make it read.
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "httpd-private.h"

unsigned long page_hash(const char *s)
{
    unsigned long h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h & 0xffffffffu;
}

/* A cursor's text at most, encoded (3 bytes are 4) or not. */
#define CURSOR_MAX 256
/* What a key cursor wraps at most: 240 characters encoded. */
#define CURSOR_PLAIN 180

int cursor_bad(struct reply *rep)
{
    return reply_error(rep, 400, "bad_parameter", "parameter 'cursor': not a cursor this "
                       "server gave (use meta.next of the previous page)");
}

/* base64url of `plain`, without padding. */
static char *cursor_wrap(const char *plain, int n)
{
    unsigned char out[CURSOR_MAX + 4];
    int len = EVP_EncodeBlock(out, (const unsigned char *)plain, n);

    for (int i = 0; i < len; i++)
        out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
    while (len > 0 && out[len - 1] == '=')
        out[--len] = '\0';
    return xstrdup((char *)out);
}

char *cursor_encode(unsigned long fp, long long a, long long b)
{
    char plain[128], bs[32] = "";

    if (b != 0)
        snprintf(bs, sizeof bs, "%lld", b);
    return cursor_wrap(plain, snprintf(plain, sizeof plain, "%08lx.%lld.%s", fp, a, bs));
}

/* The text a cursor wraps, in plain[CURSOR_MAX]; -1 after a 400 reply
 * when it is not base64url of a short text. */
static int cursor_unwrap(const char *c, char *plain, struct reply *rep)
{
    char in[CURSOR_MAX + 4];
    size_t len = strlen(c);
    int n;

    if (len == 0 || len > CURSOR_PLAIN / 3 * 4)
        return cursor_bad(rep);
    snprintf(in, sizeof in, "%s", c);
    for (size_t i = 0; i < len; i++)
        in[i] = in[i] == '-' ? '+' : in[i] == '_' ? '/' : in[i];
    while (len % 4 != 0)
        in[len++] = '=';
    in[len] = '\0';
    if ((n = EVP_DecodeBlock((unsigned char *)plain, (unsigned char *)in, (int)len)) < 0)
        return cursor_bad(rep);
    plain[n] = '\0';
    return 0;
}

/* A cursor of fingerprint `got` where `fp` is the request's. */
static int cursor_owned(unsigned long got, unsigned long fp, struct reply *rep)
{
    if (got != fp)
        return reply_error(rep, 400, "bad_parameter", "parameter 'cursor': it belongs to a "
                           "query with other filters; start again without a cursor");
    return 0;
}

int cursor_decode(const char *c, unsigned long fp, long long *a, long long *b, struct reply *rep)
{
    char plain[CURSOR_MAX];
    unsigned long got;

    if (cursor_unwrap(c, plain, rep) < 0)
        return -1;
    *b = 0;
    if (sscanf(plain, "%8lx.%lld.%lld", &got, a, b) < 2 || *a < 0 || *b < 0)
        return cursor_bad(rep);
    return cursor_owned(got, fp, rep);
}

/* The 400 reply to a cursor of an older server's format (see above). */
static int cursor_old(struct reply *rep)
{
    return reply_error(rep, 400, "bad_parameter", "parameter 'cursor': its format is an older "
                       "server's, which this one no longer reads; start again from the first "
                       "page, without a cursor");
}

/* A walk of a listing (see above). */
struct page_walk {
    unsigned long fp;  /* the route, its filters and how it pages */
    long long last;    /* newest first: the id of the last item served */
    char key[CURSOR_PLAIN]; /* by key: the last item's place; "" first */
    long long limit;
    enum walk_by { WALK_NEWEST, WALK_KEY } by;
};

static enum MHD_Result add_filter(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    /* an empty piece ("?&&") is no filter (server.c ignores it) */
    if (*key != '\0' && strcmp(key, "cursor") != 0 && strcmp(key, "limit") != 0)
        buf_printf(cls, "%s=%s&", key, value ? value : "");
    return MHD_YES;
}

/* True when `plain` has the shape of an older server's cursor,
 * "FINGERPRINT.A.[B]", whatever the walk it was given for: one that
 * counted the items served, or a newest-first one that also named the
 * last (cursor_decode_newest resumes that one on its own walk). Its
 * fingerprint is not asked: a cursor no server gives any more is refused
 * as an older server's even when its filters are not the request's, for
 * the client has to start again from the first page either way, and that
 * is what it has to be told (not to drop its filters). */
static bool cursor_older(const char *plain)
{
    unsigned long got;
    long long a, b;
    int end = 0, tail = 0;

    if (sscanf(plain, "%8lx.%lld.%n", &got, &a, &end) < 2 || end == 0)
        return false;
    return plain[end] == '\0' ||
           (sscanf(plain + end, "%lld%n", &b, &tail) == 1 && plain[end + tail] == '\0');
}

/* A key cursor's place, "FINGERPRINT.k.KEY", into w->key. */
static int cursor_decode_key(const char *c, struct page_walk *w, struct reply *rep)
{
    char plain[CURSOR_MAX];
    unsigned long got;
    int at = 0;

    if (cursor_unwrap(c, plain, rep) < 0)
        return -1;
    if (sscanf(plain, "%8lx.k.%n", &got, &at) < 1 || at == 0 || plain[at] == '\0')
        return cursor_older(plain) ? cursor_old(rep) : cursor_bad(rep);
    snprintf(w->key, sizeof w->key, "%s", plain + at);
    return cursor_owned(got, w->fp, rep);
}

/* A newest-first cursor's last id, "FINGERPRINT.b.ID", or an older
 * server's "FINGERPRINT.SERVED.ID" of the same walk, into w->last. */
static int cursor_decode_newest(const char *c, struct page_walk *w, struct reply *rep)
{
    char plain[CURSOR_MAX];
    unsigned long got;
    long long served;
    int end = 0;

    if (cursor_unwrap(c, plain, rep) < 0)
        return -1;
    if (sscanf(plain, "%8lx.b.%lld%n", &got, &w->last, &end) == 2 && plain[end] == '\0' &&
        w->last > 0)
        return cursor_owned(got, w->fp, rep);
    if (sscanf(plain, "%8lx.%lld.%lld%n", &got, &served, &w->last, &end) == 3 &&
        plain[end] == '\0' && served >= 0 && w->last > 0 && got == w->fp)
        return 0;
    w->last = 0;
    return cursor_older(plain) ? cursor_old(rep) : cursor_bad(rep);
}

/* Reads limit (default: the route table's) and the cursor; -1 after a 400 reply.
 * Each way of paging has its own fingerprint: a cursor whose numbers
 * meant something else is refused, not resumed wrongly. */
static int page_start(struct http_req *r, struct reply *rep, struct page_walk *w, enum walk_by by)
{
    static const char *const prefix[] = {[WALK_NEWEST] = "keyset:", [WALK_KEY] = "key:"};
    struct buf f = BUF_INIT;
    const char *c = req_param(r, "cursor");

    memset(w, 0, sizeof *w);
    w->limit = req_declared_int(r, "limit");
    w->by = by;
    buf_printf(&f, "%s%s?", prefix[by], r->route->name);
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_filter, &f);
    w->fp = page_hash(f.data);
    buf_free(&f);
    if (c == NULL)
        return 0;
    return by == WALK_KEY ? cursor_decode_key(c, w, rep) : cursor_decode_newest(c, w, rep);
}

static long long item_id(const cJSON *list, int i)
{
    return (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(list, i), "id"));
}

/* The cursor of the page after `page`, whose last item is served-1. */
static char *page_next(const struct page_walk *w, const cJSON *page, int served, page_key key)
{
    char plain[CURSOR_PLAIN];

    if (w->by == WALK_NEWEST)
        return cursor_wrap(plain, snprintf(plain, sizeof plain, "%08lx.b.%lld", w->fp,
                                           item_id(page, served - 1)));
    char *k = key(cJSON_GetArrayItem(page, served - 1));
    int n = snprintf(plain, sizeof plain, "%08lx.k.%s", w->fp, k);
    free(k);
    return cursor_wrap(plain, n < (int)sizeof plain ? n : (int)sizeof plain - 1);
}

/* The page of the walk as the reply's data, with meta.count and meta.next. */
static void page_serve(struct http_req *r, struct reply *rep, struct page_walk *w,
                       page_fetch fetch, page_fetch_after fetch_after, page_key key)
{
    cJSON *page = w->by == WALK_KEY ? fetch_after(r, rep, w->key[0] ? w->key : NULL, w->limit + 1)
                                    : fetch(r, rep, w->last, w->limit + 1);
    int served;

    if (page == NULL)
        return;
    served = cJSON_GetArraySize(page);
    bool more = served > w->limit;
    if (more)
        cJSON_Delete(cJSON_DetachItemFromArray(page, --served));
    if (rep->meta == NULL)
        rep->meta = cJSON_CreateObject();
    cJSON_AddNumberToObject(rep->meta, "count", served);
    if (more) {
        char *next = page_next(w, page, served, key);
        cJSON_AddStringToObject(rep->meta, "next", next);
        free(next);
    } else {
        cJSON_AddNullToObject(rep->meta, "next");
    }
    rep->data = page;
}

void page_list(struct http_req *r, struct reply *rep, page_fetch fetch)
{
    struct page_walk w;

    if (page_start(r, rep, &w, WALK_NEWEST) < 0 || req_db(r, rep) == NULL)
        return;
    page_serve(r, rep, &w, fetch, NULL, NULL);
}

void page_list_after(struct http_req *r, struct reply *rep, page_fetch_after fetch,
                     page_key key)
{
    struct page_walk w;

    if (page_start(r, rep, &w, WALK_KEY) < 0 || req_db(r, rep) == NULL)
        return;
    page_serve(r, rep, &w, NULL, fetch, key);
}

/*
 * page.c — one paging scheme for every listing: the `cursor` parameter
 * and meta.count / meta.next, as /data has them, so a client walks /data,
 * /runs, /decisions, /queue and /entities with one loop.
 *
 * A cursor is opaque to clients: base64url of "FINGERPRINT.A.B", the
 * fingerprint a hash of the route and the filters it was given with (a
 * cursor is refused with other ones). /data keeps its keyset (A the last
 * record id, B the watermark; h-data.c). The other listings are their
 * commands' and views' orders (largest entity first, the queue's most
 * informative pair first), which no key of a row resumes, so A counts the
 * items served so far; the page is cut out of the list read from its top.
 * Newest-first listings (runs, decisions) also carry in B the newest id of
 * the first page: what came after it is at the top on later pages and is
 * skipped, so a run or a decision made during a walk neither repeats an
 * item nor pushes one out of it (that walk ends where it began; the next
 * one starts with the new items).
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

char *cursor_encode(unsigned long fp, long long a, long long b)
{
    char plain[128], bs[32] = "";
    unsigned char out[200];
    int n, len;

    if (b != 0)
        snprintf(bs, sizeof bs, "%lld", b);
    n = snprintf(plain, sizeof plain, "%08lx.%lld.%s", fp, a, bs);
    len = EVP_EncodeBlock(out, (unsigned char *)plain, n);
    for (int i = 0; i < len; i++)
        out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
    while (len > 0 && out[len - 1] == '=')
        out[--len] = '\0';
    return xstrdup((char *)out);
}

int cursor_decode(const char *c, unsigned long fp, long long *a, long long *b, struct reply *rep)
{
    char in[200], plain[160];
    size_t len = strlen(c);
    unsigned long got;
    int n;

    if (len == 0 || len > 150)
        goto bad;
    snprintf(in, sizeof in, "%s", c);
    for (size_t i = 0; i < len; i++)
        in[i] = in[i] == '-' ? '+' : in[i] == '_' ? '/' : in[i];
    while (len % 4 != 0)
        in[len++] = '=';
    in[len] = '\0';
    if ((n = EVP_DecodeBlock((unsigned char *)plain, (unsigned char *)in, (int)len)) < 0)
        goto bad;
    plain[n] = '\0';
    *b = 0;
    if (sscanf(plain, "%8lx.%lld.%lld", &got, a, b) < 2 || *a < 0 || *b < 0)
        goto bad;
    if (got != fp)
        return reply_error(rep, 400, "bad_parameter", "parameter 'cursor': it belongs to a "
                           "query with other filters; start again without a cursor");
    return 0;
bad:
    return reply_error(rep, 400, "bad_parameter", "parameter 'cursor': not a cursor this "
                       "server gave (use meta.next of the previous page)");
}

/* A walk of a listing by offset (see above for why not keyset). */
struct page_walk {
    unsigned long fp;  /* the route and its filters */
    long long offset;  /* items served on the pages before */
    long long anchor;  /* newest_first: the newest id when the walk began */
    long long limit;
    bool newest_first; /* ordered by "id" descending */
};

static enum MHD_Result add_filter(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    if (strcmp(key, "cursor") != 0 && strcmp(key, "limit") != 0)
        buf_printf(cls, "%s=%s&", key, value ? value : "");
    return MHD_YES;
}

/* Reads limit (default `limit`) and the cursor; -1 after a 400 reply. */
static int page_start(struct http_req *r, struct reply *rep, struct page_walk *w, long long limit)
{
    struct buf f = BUF_INIT;
    const char *c = req_param(r, "cursor");

    memset(w, 0, sizeof *w);
    w->limit = req_int(r, "limit", limit);
    buf_printf(&f, "%s?", r->route->name);
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_filter, &f);
    w->fp = page_hash(f.data);
    buf_free(&f);
    return c != NULL ? cursor_decode(c, w->fp, &w->offset, &w->anchor, rep) : 0;
}

static long long item_id(const cJSON *list, int i)
{
    return (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(list, i), "id"));
}

/* Newest first: how many items at the top came after the walk began. */
static int newer(const cJSON *list, long long anchor)
{
    int n = 0, size = cJSON_GetArraySize(list);

    while (anchor > 0 && n < size && item_id(list, n) > anchor)
        n++;
    return n;
}

/* The page of the walk as the reply's data, with meta.count and meta.next. */
static void page_serve(struct http_req *r, struct reply *rep, struct page_walk *w,
                       page_fetch fetch)
{
    cJSON *all = NULL, *page;
    long long want = 0;
    int skip = 0, size, served;

    /* newest first, the items that came meanwhile are read too: again
     * while more came than the last read allowed for (a few times at most) */
    for (int tries = 0; tries < 4; tries++) {
        cJSON_Delete(all);
        want = w->offset + skip + w->limit + 1;
        if ((all = fetch(r, rep, want)) == NULL)
            return;
        int now = w->newest_first ? newer(all, w->anchor) : 0;
        if (now <= skip)
            break;
        skip = now;
    }
    size = cJSON_GetArraySize(all);
    if (w->newest_first && w->anchor == 0 && size > 0)
        w->anchor = item_id(all, 0); /* the first page */
    long long start = w->offset + skip;
    served = start >= size ? 0 : (int)(size - start < w->limit ? size - start : w->limit);
    page = cJSON_CreateArray();
    for (int i = 0; i < served; i++)
        cJSON_AddItemToArray(page, cJSON_DetachItemFromArray(all, (int)start));
    if (rep->meta == NULL)
        rep->meta = cJSON_CreateObject();
    cJSON_AddNumberToObject(rep->meta, "count", served);
    if (size == want || size > start + served) {
        char *next = cursor_encode(w->fp, w->offset + served, w->anchor);
        cJSON_AddStringToObject(rep->meta, "next", next);
        free(next);
    } else {
        cJSON_AddNullToObject(rep->meta, "next");
    }
    cJSON_Delete(all);
    rep->data = page;
}

void page_list(struct http_req *r, struct reply *rep, long long limit, bool newest_first,
               page_fetch fetch)
{
    struct page_walk w;

    if (page_start(r, rep, &w, limit) < 0 || req_db(r, rep) == NULL)
        return;
    w.newest_first = newest_first;
    page_serve(r, rep, &w, fetch);
}

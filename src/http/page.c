/*
 * page.c — one paging scheme for every listing: the `cursor` parameter
 * and meta.count / meta.next, as /data has them, so a client walks /data,
 * /runs, /decisions, /queue and /entities with one loop.
 *
 * A cursor is opaque to clients: base64url of "FINGERPRINT.A.B", the
 * fingerprint a hash of the route and the filters it was given with (a
 * cursor is refused with other ones). /data keeps its keyset (A the last
 * record id, B the watermark; h-data.c). Newest-first listings (runs,
 * decisions) are keyset too: B is the id of the last item served and the
 * next page is what is older (`--before`), so a run or a decision made
 * during a walk neither repeats an item nor pushes one out of it (that
 * walk ends where it began; the next one starts with the new items). The
 * others are their views' orders (largest entity first, the queue's most
 * informative pair first), which no key of a row resumes, so A counts the
 * items served so far and the view skips them in its query (OFFSET): a
 * deep page reads the keys before it, not their rows. Either way a page
 * reads one item more than it serves, to know whether another follows.
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

/* A walk of a listing (see above). */
struct page_walk {
    unsigned long fp;  /* the route, its filters and how it pages */
    long long offset;  /* items served on the pages before */
    long long last;    /* newest_first: the id of the last item served */
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

/* Reads limit (default `limit`) and the cursor; -1 after a 400 reply. A
 * keyset walk's fingerprint differs from an offset walk's: a cursor
 * whose B meant something else is refused, not resumed wrongly. */
static int page_start(struct http_req *r, struct reply *rep, struct page_walk *w, long long limit,
                      bool newest_first)
{
    struct buf f = BUF_INIT;
    const char *c = req_param(r, "cursor");

    memset(w, 0, sizeof *w);
    w->limit = req_int(r, "limit", limit);
    w->newest_first = newest_first;
    buf_printf(&f, "%s%s?", newest_first ? "keyset:" : "", r->route->name);
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_filter, &f);
    w->fp = page_hash(f.data);
    buf_free(&f);
    return c != NULL ? cursor_decode(c, w->fp, &w->offset, &w->last, rep) : 0;
}

static long long item_id(const cJSON *list, int i)
{
    return (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(list, i), "id"));
}

/* The page of the walk as the reply's data, with meta.count and meta.next. */
static void page_serve(struct http_req *r, struct reply *rep, struct page_walk *w,
                       page_fetch fetch)
{
    cJSON *page = fetch(r, rep, w->newest_first ? w->last : w->offset, w->limit + 1);
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
        char *next = cursor_encode(w->fp, w->offset + served,
                                   w->newest_first ? item_id(page, served - 1) : 0);
        cJSON_AddStringToObject(rep->meta, "next", next);
        free(next);
    } else {
        cJSON_AddNullToObject(rep->meta, "next");
    }
    rep->data = page;
}

void page_list(struct http_req *r, struct reply *rep, long long limit, bool newest_first,
               page_fetch fetch)
{
    struct page_walk w;

    if (page_start(r, rep, &w, limit, newest_first) < 0 || req_db(r, rep) == NULL)
        return;
    page_serve(r, rep, &w, fetch);
}

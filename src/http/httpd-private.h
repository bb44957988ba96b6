/*
 * httpd-private.h — what the files of src/http share: the route table, a
 * request as handlers see it, the reply they fill, keys, the connection
 * pool and the request metrics.
 *
 * A handler reads its validated parameters through req_*(), gets a
 * database connection with req_db(), and fills a struct reply: either data
 * (wrapped in {"data":...,"meta":...}) or an error (reply_error,
 * reply_err). The dispatcher (server.c) has already matched the route,
 * checked the key and the role, and rejected unknown or malformed query
 * parameters, so handlers never repeat those checks.
 */
#ifndef KASPARRO_HTTPD_PRIVATE_H
#define KASPARRO_HTTPD_PRIVATE_H

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>

#include "kasparro/buf.h"
#include "kasparro/db.h"
#include "kasparro/httpd.h"

enum http_role { ROLE_NONE, ROLE_VIEWER, ROLE_OPERATOR };
const char *http_role_name(enum http_role r);

/* --- routes (routes.c) --------------------------------------------------- */

enum param_type { P_INT, P_STRING, P_BOOL, P_TIME, P_LIST, P_RATIO, P_ENUM };

struct http_param {
    const char *name;
    enum param_type type;
    long long min, max; /* P_INT */
    const char *doc;
    /* P_ENUM: whether v is one of the values taken; names (when not
     * NULL) gets them all, "a, b or c" */
    bool (*choose)(const char *v, struct buf *names);
    long long dflt; /* P_INT: the value when it is not given (0: none);
                     * handlers read it here (req_declared_int) */
};

enum route_flags {
    /* [http] open may serve a route without a key when config_http_openable
     * names its path (the configuration checks the list when it is read) */
    ROUTE_FIELD_FILTERS = 1 << 1, /* declared fields are query parameters too */
    ROUTE_TAIL = 1 << 2,          /* the last path parameter takes the rest of the path */
    ROUTE_BODY = 1 << 3,          /* takes an optional JSON object body */
    ROUTE_ID = 1 << 4,            /* {id} is a positive integer (a run's, a pair's, a
                                   * decision's): its handler checks it, and
                                   * /openapi.json describes it so */
};

struct http_req;
struct reply;

struct route {
    const char *method;
    const char *path; /* "/runs/{id}" */
    const char *name; /* operationId; also the metrics label */
    enum http_role role;
    int flags;
    void (*handler)(struct http_req *req, struct reply *rep);
    const char *summary;
    const struct http_param *params; /* query parameters; ends with {0} */
    const char *statuses;            /* besides 200 and the auth ones: "404 409" */
    const char *body_doc;            /* ROUTE_BODY: what the body may hold */
    const char *body_members;        /* ROUTE_BODY: the members it takes, "a, b" */
};

#define HTTP_MAX_ROUTES 32
/* A stop waits this long for the requests in flight to be answered, then
 * cancels their statements and waits HTTPD_CANCEL_S more for the answers. */
#define HTTPD_DRAIN_S 10
#define HTTPD_CANCEL_S 5
#define HTTP_MAX_PATH_PARAMS 3
/* A request's target (path and query) and headers past these sizes are
 * answered 414 and 431 in JSON. libmicrohttpd reads them into the
 * connection's memory, HTTPD_CONNECTION_MEMORY, and refuses what does not
 * fit itself, with a fixed HTML page no option of it replaces: that memory
 * is made four times these, so only far larger requests meet its page
 * (which the access log then records, server.c). */
#define HTTPD_MAX_TARGET (32 * 1024)
#define HTTPD_MAX_HEADERS (32 * 1024)
#define HTTPD_CONNECTION_MEMORY (128 * 1024)
#define HTTPD_LOGGED_PATH 256
extern const struct route http_routes[];
extern const size_t http_nroutes;

/* Matches method and path: the route, with its path parameters in vals.
 * NULL when nothing matches; *path_known tells a path served by another
 * method (405), with the methods in allow. */
const struct route *route_match(const char *method, const char *path,
                                char *vals[HTTP_MAX_PATH_PARAMS], int *nvals, bool *path_known,
                                char *allow, size_t allow_len);
/* The path a client with a stray slash meant ("/runs/", "//runs": "/runs")
 * when a route serves it; NULL else. Paths are never normalised: a route
 * answers its own path only. */
char *route_meant(const char *path);
const struct http_param *route_param(const struct route *r, const char *name);
/* A whole number written as digits alone (a '-' before them): no blank,
 * no '+'; the number in *out. */
bool route_number(const char *v, long long *out);
/* Checks one query value against its declared type; -1 with a message. */
int route_check_value(const struct http_param *p, const char *value, char *why, size_t len);

/* The OpenAPI 3 description of the route table. */
cJSON *openapi_document(const struct config *cfg);

/* --- keys (auth.c) ------------------------------------------------------- */

struct http_key {
    char name[64];
    enum http_role role;
    unsigned char hash[32]; /* SHA-256 of the key */
};

struct http_keys {
    struct http_key *v;
    size_t n;
};

/* Reads the keys [http] names; -1 with err (EXIT_USAGE) naming the
 * variable or file:line at fault. */
int apikeys_load(const struct config *cfg, struct http_keys *out, struct err *err);
void apikeys_free(struct http_keys *k);
/* The key whose hash matches `presented`, comparing every key in constant
 * time; NULL when none does. */
const struct http_key *apikeys_find(const struct http_keys *k, const char *presented);

/* --- database connections (pool.c) -------------------------------------- */

struct http_pool {
    pthread_mutex_t lock;
    struct db **idle;
    int nidle, cap;
    struct db **busy; /* taken by a request: what a stop cancels */
    int nbusy, busy_cap;
};

void pool_init(struct http_pool *p, int cap);
/* An idle connection, or a new one; NULL with err (EXIT_DB) when the
 * database is unreachable. */
struct db *pool_get(struct http_pool *p, struct err *err);
/* Back to the pool, or closed when it broke. */
void pool_put(struct http_pool *p, struct db *db);
/* Asks the server to cancel the statement each taken connection has in
 * flight (a stop whose requests outlast the drain); how many it asked. */
int pool_cancel_busy(struct http_pool *p);
void pool_destroy(struct http_pool *p);

/* --- request metrics (metrics.c) ----------------------------------------- */

#define HTTP_NSTATUS 502 /* 100 to 599, "none" and "other" (metrics.c) */
#define HTTP_NBUCKETS 12
extern const double http_buckets[HTTP_NBUCKETS];

struct http_metrics {
    /* [route][status]; the last route row is "unmatched" */
    atomic_ullong requests[HTTP_MAX_ROUTES + 1][HTTP_NSTATUS];
    atomic_ullong latency[HTTP_MAX_ROUTES + 1][HTTP_NBUCKETS + 1];
    atomic_ullong latency_us[HTTP_MAX_ROUTES + 1];
};

void metrics_record(struct http_metrics *m, int route, int status, double seconds);
/* The Prometheus exposition (text format 0.0.4) of everything. */
char *metrics_render(struct httpd *h, struct db *db, size_t *len);

/* --- the server and a request (server.c, reply.c) ------------------------ */

struct httpd {
    struct MHD_Daemon *mhd;
    pthread_mutex_t lock; /* guards cfg, keys, open, in_flight */
    pthread_cond_t drained; /* in_flight fell to 0 */
    int in_flight;          /* requests begun and not yet completed */
    atomic_bool stopping;   /* the drain ran out: their queries are cancelled */
    int refused;            /* connections refused since the last warning (lock) */
    double refused_said;    /* when that warning was logged (clock_mono; lock) */
    struct config *cfg;
    struct http_keys keys;
    bool open[HTTP_MAX_ROUTES]; /* served without a key */
    struct engine *engine;
    struct sched *sched;
    struct http_pool pool;
    struct http_metrics metrics;
    char address[128];
    int port;
    bool tls;
    bool access_log;
    size_t max_body;
    long max_per_client; /* [http] max_connections_per_client */
    double started;
    char *tls_cert, *tls_key; /* PEM, kept for MHD */
};

struct http_req {
    struct httpd *h;
    struct MHD_Connection *conn;
    const struct route *route; /* NULL until matched */
    char id[40];
    double t0;
    char method[16];
    bool http11;  /* HTTP/1.1: a Host header is required */
    size_t target_len; /* the request target (path and query) as sent */
    size_t path_len;   /* the path decoded, a NUL in it included */
    size_t nul_at;     /* where a %00 put a NUL in the path (1-based); 0: none */
    char *path;        /* decoded, up to a NUL */
    char *sent_path;   /* the path as sent, cut at HTTPD_LOGGED_PATH bytes: what
                        * the log names for a request libmicrohttpd refused
                        * before its headers were read */
    const char *refusal; /* why it refused it, for the log; NULL: not refused */
    char *pathv[HTTP_MAX_PATH_PARAMS];
    int npath;
    struct buf body;
    bool body_too_big;
    cJSON *json;       /* the parsed body (ROUTE_BODY), or NULL */
    char key_name[64]; /* "" when no key */
    enum http_role role;
    struct config *cfg; /* a reference for the request's life */
    struct db *db;      /* from the pool, when asked */
    int status;
    size_t bytes;
};

struct reply {
    int status;
    cJSON *data;
    cJSON *meta; /* extra meta fields, merged with request_id and latency */
    char *raw;   /* a non-JSON body (metrics) or a preformatted one */
    size_t raw_len;
    const char *content_type;
    char code[32];
    char message[1024];
    const char *allow;    /* 405 */
    const char *location; /* 202 */
    int retry_after;      /* seconds, for a Retry-After header; 0: none */
    bool cancelled;       /* the answer is to a cancelled statement (57014) */
    bool bad_token;       /* 401 to a bearer key that is no key (RFC 6750 invalid_token) */
    char etag[24];        /* W/"16 hex digits" of a 200's data and meta (server.c); "" none */
};

/* What a 503 "timeout" asks a client to wait (the Retry-After header). */
#define REPLY_RETRY_AFTER 5

/* Parameter access for handlers (values already validated). */
const char *req_param(struct http_req *r, const char *name);
long long req_int(struct http_req *r, const char *name, long long dflt);
/* A P_INT parameter of the route, or the default its table row declares. */
long long req_declared_int(struct http_req *r, const char *name);
double req_double(struct http_req *r, const char *name, double dflt);
bool req_bool(struct http_req *r, const char *name);
double req_time(struct http_req *r, const char *name); /* 0: absent */
/* The request's connection; NULL after setting a 503 reply. */
struct db *req_db(struct http_req *r, struct reply *rep);
/* "api:NAME": who acts in audit rows and run records. */
const char *req_actor(struct http_req *r, char *buf, size_t len);

/* Sets an error reply; returns -1. */
int reply_error(struct reply *rep, int status, const char *code, const char *fmt, ...)
    PRINTF_LIKE(4, 5);
/* An error from a module: EXIT_USAGE 400, EXIT_BUSY 409, EXIT_DB 503, else
 * `fail_status` (404 for lookups, 409 for decisions). */
int reply_err(struct reply *rep, const struct err *err, int fail_status);
/* Runs a command (argv with --json) on the request's connection as the
 * key's actor and returns its parsed output; NULL after setting the reply
 * (its failure as reply_err with fail_status). */
/* A listing command's first `want` items as reply_command gives them
 * (`COMMAND --json --limit WANT`, and `--before BEFORE` unless 0), with
 * "--OPTION VALUE" for each query parameter given of opts' {parameter,
 * option} pairs (at most REPLY_LISTING_OPTS): a route's filters as its
 * command's. */
#define REPLY_LISTING_OPTS 8
cJSON *reply_listing(struct http_req *r, struct reply *rep, const char *command, long long want,
                     long long before, const char *const opts[][2], size_t n);
cJSON *reply_command(struct http_req *r, struct reply *rep, int argc, char **argv,
                     int fail_status);
/* The source a query parameter names, checked as the commands check
 * --source: one the configuration has, a run read or a record names; else
 * 400 bad_parameter naming the parameter (as /runs?source= answers through
 * reply_listing), whatever route it filters. 0, or -1 after the reply. */
int reply_source_param(struct http_req *r, struct reply *rep, const char *param);
/* The response body: {"data":..,"meta":..} or {"error":..,"meta":..}. */
char *reply_body(struct http_req *r, struct reply *rep, size_t *len);

/* --- paging (page.c) ----------------------------------------------------- */

/* FNV-1a of s, 32 bits: the fingerprint of a cursor's filters. */
unsigned long page_hash(const char *s);
/* The opaque cursor of fingerprint fp and two numbers (b 0: none). */
char *cursor_encode(unsigned long fp, long long a, long long b);
/* A cursor's numbers; -1 after a 400 reply when it is not one this server
 * gave, or belongs to other filters than fp's. */
int cursor_decode(const char *c, unsigned long fp, long long *a, long long *b, struct reply *rep);
/* The 400 reply to a cursor this server did not give; -1. */
int cursor_bad(struct reply *rep);

/* At most `want` items of a newest-first listing (ordered by "id"
 * descending), those older than id `from` (0: from the top); NULL after
 * setting the reply. */
typedef cJSON *(*page_fetch)(struct http_req *r, struct reply *rep, long long from,
                             long long want);
/* A newest-first listing's handler: the page the request's limit (default:
 * the route table's) and cursor ask for, as the reply's data with
 * meta.count and meta.next. */
void page_list(struct http_req *r, struct reply *rep, page_fetch fetch);
/* A listing walked by a place in its order (queue, entities): `key` is the text
 * `page_key` made of the last item served (NULL: the first page), and the
 * page is what follows that place now; NULL after setting the reply. */
typedef cJSON *(*page_fetch_after)(struct http_req *r, struct reply *rep, const char *key,
                                   long long want);
/* The place of a listed item, allocated: a short ASCII text (under 160
 * characters) its page_fetch_after reads back. */
typedef char *(*page_key)(const cJSON *item);
/* page_list for a listing walked by key. */
void page_list_after(struct http_req *r, struct reply *rep, page_fetch_after fetch,
                     page_key key);

/* Handlers. */
void h_health(struct http_req *r, struct reply *rep);
void h_data(struct http_req *r, struct reply *rep);
void h_record(struct http_req *r, struct reply *rep);
void h_entities(struct http_req *r, struct reply *rep);
void h_entity(struct http_req *r, struct reply *rep);
void h_queue(struct http_req *r, struct reply *rep);
void h_candidate(struct http_req *r, struct reply *rep);
void h_approve(struct http_req *r, struct reply *rep);
void h_reject(struct http_req *r, struct reply *rep);
void h_decisions(struct http_req *r, struct reply *rep);
void h_undo(struct http_req *r, struct reply *rep);
void h_runs(struct http_req *r, struct reply *rep);
void h_run(struct http_req *r, struct reply *rep);
void h_run_start(struct http_req *r, struct reply *rep);
void h_stats(struct http_req *r, struct reply *rep);
void h_sources(struct http_req *r, struct reply *rep);
void h_source(struct http_req *r, struct reply *rep);
void h_compare(struct http_req *r, struct reply *rep);
void h_metrics(struct http_req *r, struct reply *rep);
void h_openapi(struct http_req *r, struct reply *rep);

#endif

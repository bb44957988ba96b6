/*
 * routes.c — the route table: the one list of what the HTTP API serves.
 *
 * Each row says the method and path, the role it needs, its query
 * parameters with their types, the statuses it answers besides the common
 * ones, and its handler. The dispatcher (server.c) matches and checks
 * requests against it, the metrics label requests with its names, and
 * openapi_document() turns it into /openapi.json: adding a route is adding
 * a row, and its description follows.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "httpd-private.h"
#include "kasparro/audit.h"
#include "kasparro/clock.h"
#include "kasparro/dedup.h"
#include "kasparro/run.h"

/* The values of the P_ENUM parameters: the lists the commands check
 * against, so a route and its command refuse the same values. */
static bool among(const char *const *names, const char *v, struct buf *out)
{
    for (size_t i = 0; out != NULL && names[i] != NULL; i++)
        buf_printf(out, "%s%s", i == 0 ? "" : names[i + 1] != NULL ? ", " : " or ", names[i]);
    return v != NULL && audit_listed(names, v);
}

static bool run_status(const char *v, struct buf *names)
{
    if (names != NULL)
        run_status_list(names);
    return v != NULL && run_status_parse(v) >= 0;
}

static bool decision_action(const char *v, struct buf *names)
{
    return among(decision_actions, v, names);
}

static bool queue_order(const char *v, struct buf *names)
{
    return among(dedup_orders, v, names);
}

/* Every listing pages alike (page.c): meta.next is null on the last page. */
#define CURSOR {"cursor", P_STRING, 0, 0, "the meta.next of the previous page", NULL, 0}
#define LIMIT(dflt, max)                                                                           \
    {"limit", P_INT, 1, max, "at most this many (default " #dflt ", max " #max ")", NULL, dflt}

static const struct http_param p_data[] = {
    {"source", P_STRING, 0, 0, "only records of this source (configured, or read once: else 400)",
     NULL, 0},
    {"entity", P_STRING, 0, 0, "only records of this entity (id or key)", NULL, 0},
    {"since", P_INT, 0, 1LL << 62, "only records changed after this change sequence number", NULL,
     0},
    {"updated_after", P_TIME, 0, 0,
     "only records updated after this time (ISO 8601, or 7d, 12h ago)", NULL, 0},
    {"q", P_STRING, 0, 0, "the record's title contains this text (case and accents ignored)", NULL,
     0},
    {"include_deleted", P_BOOL, 0, 0, "include soft-deleted records (default false)", NULL, 0},
    {"fields", P_LIST, 0, 0, "declared fields to return, comma separated (default all)", NULL, 0},
    LIMIT(100, 1000),
    CURSOR,
    {0},
};
static const struct http_param p_entities[] = {
    {"search", P_STRING, 0, 0, "title or key contains this text", NULL, 0},
    {"members", P_BOOL, 0, 0, "each entity with its live records", NULL, 0},
    LIMIT(50, 1000),
    CURSOR,
    {0},
};
static const struct http_param p_queue[] = {
    {"min", P_RATIO, 0, 0, "only candidates with probability at least this (0 to 1)", NULL, 0},
    {"max", P_RATIO, 0, 0, "only candidates with probability at most this (0 to 1)", NULL, 0},
    {"order", P_ENUM, 0, 0, "uncertainty (closest to 0.5 first, default) or score", queue_order, 0},
    LIMIT(50, 1000),
    CURSOR,
    {0},
};
static const struct http_param p_runs[] = {
    {"status", P_ENUM, 0, 0, "only runs with this status (with source: the source's)", run_status,
     0},
    {"source", P_STRING, 0, 0, "only runs that read this source, with its own status, counts and error "
     "(configured, or read once: else 400)", NULL, 0},
    {"since", P_TIME, 0, 0, "only runs started since this time (ISO 8601, or 7d, 12h ago)", NULL,
     0},
    LIMIT(20, 1000),
    CURSOR,
    {0},
};
static const struct http_param p_compare[] = {
    {"a", P_INT, 1, 1LL << 62, "the earlier run (default: the completed run before b)", NULL, 0},
    {"b", P_INT, 1, 1LL << 62, "the later run (default: the latest completed run)", NULL, 0},
    {0},
};
static const struct http_param p_decisions[] = {
    {"action", P_ENUM, 0, 0, "only this decision: approve, reject, split, restore or undo",
     decision_action, 0},
    {"actor", P_STRING, 0, 0, "only decisions by this actor (api:NAME for a key)", NULL, 0},
    {"since", P_TIME, 0, 0, "only decisions since this time (ISO 8601, or 7d, 12h ago)", NULL, 0},
    LIMIT(50, 1000),
    CURSOR,
    {0},
};
static const struct http_param p_none[] = {{0}};

const struct route http_routes[] = {
    {"GET", "/health", "health", ROLE_VIEWER, 0, h_health,
     "database reachable, schema version, scheduler state, last run; 503 when the database is "
     "not, or the scheduler thread is stuck", p_none, "503", NULL, NULL},
    {"GET", "/data", "data", ROLE_VIEWER, ROUTE_FIELD_FILTERS, h_data,
     "normalized records in a stable order, keyset-paginated; declared fields filter by "
     "equality (?category=travel); a source or entity nothing knows is 400 bad_parameter, as "
     "on every route a source filters", p_data, "", NULL, NULL},
    {"GET", "/data/{source}/{source_id}", "record", ROLE_VIEWER, ROUTE_TAIL, h_record,
     "one record with its raw payload", p_none, "404", NULL, NULL},
    {"GET", "/entities", "entities", ROLE_VIEWER, 0, h_entities,
     "live entities, largest first", p_entities, "", NULL, NULL},
    {"GET", "/entities/{id}", "entity", ROLE_VIEWER, 0, h_entity,
     "one entity (by id or key) with its members", p_none, "404", NULL, NULL},
    {"GET", "/queue", "queue", ROLE_VIEWER, 0, h_queue,
     "candidate pairs waiting for review; to_confirm: true on an automatic merge listed for an "
     "operator to confirm (still merged); stale: true (with stale_note) on a pair scored "
     "while a decision since undone stood, until the next pass scores it again",
     p_queue, "", NULL, NULL},
    {"GET", "/queue/{id}", "candidate", ROLE_VIEWER, ROUTE_ID, h_candidate,
     "one candidate pair with the explanation of its score, and whether the score is stale "
     "(stale, stale_note)", p_none, "404", NULL, NULL},
    {"POST", "/queue/{id}/approve", "approve", ROLE_OPERATOR, ROUTE_BODY | ROUTE_ID, h_approve,
     "merge the pair's records into one entity", p_none, "404 409",
     "{\"reason\": \"why\"} (optional)", "reason"},
    {"POST", "/queue/{id}/reject", "reject", ROLE_OPERATOR, ROUTE_BODY | ROUTE_ID, h_reject,
     "keep the pair's records apart, now and after later runs", p_none, "404 409",
     "{\"reason\": \"why\"} (optional)", "reason"},
    {"GET", "/decisions", "decisions", ROLE_VIEWER, 0, h_decisions,
     "operator decisions, newest first: who approved, rejected, split, restored or undid "
     "what, when and why, and which decision undid it", p_decisions, "", NULL, NULL},
    {"POST", "/decisions/{id}/undo", "undo", ROLE_OPERATOR, ROUTE_ID, h_undo,
     "revert a decision exactly, as 'kasparro undo ID': an approve, reject or split, or a "
     "restore (its records deleted again, those changed or read again since kept)", p_none,
     "404 409", NULL, NULL},
    {"GET", "/runs", "runs", ROLE_VIEWER, 0, h_runs,
     "recent runs, newest first, with their counts and anomalies", p_runs, "", NULL, NULL},
    {"POST", "/runs", "run_start", ROLE_OPERATOR, ROUTE_BODY, h_run_start,
     "start a run now: 202 with its id, 409 when one is in progress (and who holds it)", p_none,
     "202 409 503",
     "{\"sources\": [\"name\", ...], \"full\": true, \"allow_mass_delete\": false} (all optional)",
     "sources, full, allow_mass_delete"},
    {"GET", "/runs/{id}", "run", ROLE_VIEWER, ROUTE_ID, h_run,
     "one run: per-source counts, drift, quarantine summary", p_none, "404", NULL, NULL},
    {"GET", "/stats", "stats", ROLE_VIEWER, 0, h_stats,
     "per source and overall: records live and deleted, last success and failure, durations "
     "p50/p95 and throughput of recent whole reads (not failed, not resumed)", p_none, "", NULL,
     NULL},
    {"GET", "/sources", "sources", ROLE_VIEWER, 0, h_sources,
     "the sources, as 'kasparro sources --json': the configured ones (kind, sync, location, "
     "records live and deleted, checkpoint, how the latest run went and deletions held), then "
     "those removed from the configuration whose records are live (configured: false)", p_none,
     "", NULL, NULL},
    {"GET", "/sources/{name}", "source", ROLE_VIEWER, 0, h_source,
     "one source, as a row of /sources; 410 for one removed from the configuration with no live "
     "record left (GET /runs?source= lists its runs), 404 for a name nothing knows", p_none,
     "404 410", NULL, NULL},
    {"GET", "/compare-runs", "compare_runs", ROLE_VIEWER, 0, h_compare,
     "per-source deltas between two runs, each flagged when it is an anomaly", p_compare, "404",
     NULL, NULL},
    {"GET", "/metrics", "metrics", ROLE_VIEWER, 0, h_metrics,
     "Prometheus metrics (text format 0.0.4)", p_none, "", NULL, NULL},
    {"GET", "/openapi.json", "openapi", ROLE_VIEWER, 0, h_openapi,
     "this description, generated from the route table", p_none, "", NULL, NULL},
};
const size_t http_nroutes = ARRAY_SIZE(http_routes);

/* Splits "/a/b/c" into its segments (in place), keeping empty ones: a
 * trailing or doubled slash is a path of its own, not the route's ("/runs/"
 * is "runs" and ""). Returns the count, max + 1 when there are more. */
static int segments(char *path, char **out, int max)
{
    int n = 0;
    char *s = path + (*path == '/');

    for (;;) {
        if (n == max)
            return max + 1;
        out[n++] = s;
        if ((s = strchr(s, '/')) == NULL)
            return n;
        *s++ = '\0';
    }
}

/* Does `path` match route r? Path parameters into vals (allocated). A
 * parameter is never empty; the tail takes the rest of the path as it is. */
static bool match_path(const struct route *rt, const char *path, char **vals, int *nvals)
{
    char pat[128], *ps[16], *xs[64];
    char *copy = xstrdup(path);
    int np, nx, k = 0;
    bool tail = false, ok = true;

    snprintf(pat, sizeof pat, "%s", rt->path);
    np = segments(pat, ps, 16);
    nx = segments(copy, xs, 64);
    if (np > 0 && (rt->flags & ROUTE_TAIL) && ps[np - 1][0] == '{')
        tail = true;
    if (nx < np || (nx > np && !tail))
        ok = false;
    for (int i = 0; ok && i < np; i++) {
        if (ps[i][0] != '{') {
            ok = strcmp(ps[i], xs[i]) == 0;
            continue;
        }
        if (xs[i][0] == '\0')
            ok = false;
        else if (tail && i == np - 1) /* the rest, slashes included */
            vals[k++] = xstrdup(path + (xs[i] - copy));
        else
            vals[k++] = xstrdup(xs[i]);
    }
    free(copy);
    if (!ok)
        while (k > 0)
            free(vals[--k]);
    *nvals = k;
    return ok;
}

char *route_meant(const char *path)
{
    char *p = xstrdup(path), *w = p;
    char *vals[HTTP_MAX_PATH_PARAMS];
    int n = 0;

    for (const char *c = path; *c; c++)
        if (*c != '/' || w == p || w[-1] != '/')
            *w++ = *c;
    if (w > p + 1 && w[-1] == '/')
        w--;
    *w = '\0';
    for (size_t i = 0; strcmp(p, path) != 0 && i < http_nroutes; i++)
        if (match_path(&http_routes[i], p, vals, &n)) {
            while (n > 0)
                free(vals[--n]);
            return p;
        }
    free(p);
    return NULL;
}

const struct route *route_match(const char *method, const char *path,
                                char *vals[HTTP_MAX_PATH_PARAMS], int *nvals, bool *path_known,
                                char *allow, size_t allow_len)
{
    size_t used = 0;

    *path_known = false;
    allow[0] = '\0';
    for (size_t i = 0; i < http_nroutes; i++) {
        char *v[HTTP_MAX_PATH_PARAMS];
        int n;
        if (!match_path(&http_routes[i], path, v, &n))
            continue;
        if (strcmp(http_routes[i].method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(http_routes[i].method, "GET") == 0)) {
            memcpy(vals, v, sizeof(char *) * (size_t)n);
            *nvals = n;
            return &http_routes[i];
        }
        for (int k = 0; k < n; k++)
            free(v[k]);
        *path_known = true;
        /* a GET route answers HEAD too (libmicrohttpd leaves the body out) */
        used += (size_t)snprintf(allow + used, allow_len - used, "%s%s%s", used ? ", " : "",
                                 http_routes[i].method,
                                 strcmp(http_routes[i].method, "GET") == 0 ? ", HEAD" : "");
        if (used >= allow_len)
            used = allow_len - 1;
    }
    *nvals = 0;
    return NULL;
}

const struct http_param *route_param(const struct route *r, const char *name)
{
    for (const struct http_param *p = r->params; p != NULL && p->name != NULL; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

bool route_number(const char *v, long long *out)
{
    size_t n = strspn(v + (*v == '-'), "0123456789");

    /* parse_ll takes " 5", "5 " and "+5" as 5: a client that sent a blank
     * around a number (limit=%205, /runs/1%20) sent no number */
    return n > 0 && v[(*v == '-') + n] == '\0' && parse_ll(v, out);
}

int route_check_value(const struct http_param *p, const char *v, char *why, size_t len)
{
    long long n;
    double t;

    switch (p->type) {
    case P_INT:
        if (!route_number(v, &n) || n < p->min || n > p->max) {
            snprintf(why, len, "'%s' is not an integer from %lld to %lld", v, p->min, p->max);
            return -1;
        }
        return 0;
    case P_RATIO:
        if (*v == '\0' || isspace((unsigned char)*v) || isspace((unsigned char)v[strlen(v) - 1]) ||
            !parse_double(v, &t) || t < 0 || t > 1) {
            snprintf(why, len, "'%s' is not a number from 0 to 1", v);
            return -1;
        }
        return 0;
    case P_BOOL:
        if (*v != '\0' && parse_bool(v) < 0) {
            snprintf(why, len, "'%s' is not true or false", v);
            return -1;
        }
        return 0;
    case P_TIME:
        if (clock_parse(v, &t) < 0 && parse_duration(v) < 0) {
            snprintf(why, len, "'%s' is not a time (like 2026-11-28T10:00:00Z) or a duration "
                     "ago (like 7d, 12h)", v);
            return -1;
        }
        return 0;
    case P_ENUM:
        if (!p->choose(v, NULL)) {
            struct buf names = BUF_INIT;
            p->choose(NULL, &names);
            snprintf(why, len, "'%s' is not one of %s", v, names.data);
            buf_free(&names);
            return -1;
        }
        return 0;
    case P_STRING:
    case P_LIST:
        if (*v == '\0') {
            snprintf(why, len, "is empty");
            return -1;
        }
        return 0;
    }
    return 0;
}

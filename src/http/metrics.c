/*
 * metrics.c — GET /metrics in the Prometheus text format (0.0.4), written
 * here (no C client library for it is in Debian; the format is small).
 *
 * Two kinds of figures. What the server saw itself — requests by route and
 * status, their latency histogram — is counted with atomics on the request
 * path (metrics_record) and cannot be lost between scrapes. What the
 * database knows — runs by status, records by source and state, throughput,
 * run durations, queue depth, quarantine and drift, the scheduler's lag —
 * is read at scrape time in one statement, so the numbers agree with each
 * other and with `kasparro runs` and /stats. Labels are low-cardinality:
 * route, status, source. When the database is unreachable the scrape still
 * answers, with kasparro_database_up 0.
 */
#include <stdlib.h>
#include <string.h>

#include "httpd-private.h"
#include "kasparro/clock.h"

const double http_buckets[HTTP_NBUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                            0.1,   0.25,   0.5,   1,    2.5,   10};
/* Every status from 100 to 599 has its own count ([s - 100]): what
 * libmicrohttpd answers itself (414, 431, 505) or a status added later
 * was counted as "other", which said neither which nor how many. Status 0,
 * "none", is a request given no answer (its client left first, or a
 * connection closed on bytes that were no request line, server.c). */
#define STATUS_NONE (HTTP_NSTATUS - 2)
#define STATUS_OTHER (HTTP_NSTATUS - 1)
static const double run_buckets[] = {1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 21600};

static int status_index(int status)
{
    if (status == 0)
        return STATUS_NONE;
    return status >= 100 && status < 100 + STATUS_NONE ? status - 100 : STATUS_OTHER;
}

void metrics_record(struct http_metrics *m, int route, int status, double seconds)
{
    int b = 0;

    while (b < HTTP_NBUCKETS && seconds > http_buckets[b])
        b++;
    atomic_fetch_add(&m->requests[route][status_index(status)], 1);
    atomic_fetch_add(&m->latency[route][b], 1);
    atomic_fetch_add(&m->latency_us[route], (unsigned long long)(seconds * 1e6));
}

static void family(struct buf *b, const char *name, const char *type, const char *help)
{
    buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value with \\, \" and \n escaped. */
static void label(struct buf *b, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\' || *v == '"')
            buf_addc(b, '\\');
        if (*v == '\n') {
            buf_adds(b, "\\n");
            continue;
        }
        buf_addc(b, *v);
    }
}

static const char *route_label(int i) { return i < (int)http_nroutes ? http_routes[i].name : "unmatched"; }

static void http_families(struct buf *b, struct http_metrics *m)
{
    family(b, "kasparro_http_requests_total", "counter", "HTTP requests by route and status.");
    for (int r = 0; r <= HTTP_MAX_ROUTES; r++) {
        if (r >= (int)http_nroutes && r != HTTP_MAX_ROUTES)
            continue;
        for (int s = 0; s < HTTP_NSTATUS; s++) {
            unsigned long long n = atomic_load(&m->requests[r][s]);
            if (n == 0)
                continue;
            buf_printf(b, "kasparro_http_requests_total{route=\"%s\",status=\"", route_label(r));
            if (s < STATUS_NONE)
                buf_printf(b, "%d", s + 100);
            else
                buf_adds(b, s == STATUS_NONE ? "none" : "other");
            buf_printf(b, "\"} %llu\n", n);
        }
    }
    family(b, "kasparro_http_request_duration_seconds", "histogram",
           "HTTP request latency by route, from the first byte read to the last written.");
    for (int r = 0; r <= HTTP_MAX_ROUTES; r++) {
        unsigned long long cum = 0;
        if (r >= (int)http_nroutes && r != HTTP_MAX_ROUTES)
            continue;
        for (int k = 0; k <= HTTP_NBUCKETS; k++) {
            cum += atomic_load(&m->latency[r][k]);
            if (k < HTTP_NBUCKETS)
                buf_printf(b, "kasparro_http_request_duration_seconds_bucket{route=\"%s\","
                           "le=\"%g\"} %llu\n", route_label(r), http_buckets[k], cum);
        }
        buf_printf(b, "kasparro_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} "
                   "%llu\n", route_label(r), cum);
        buf_printf(b, "kasparro_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n",
                   route_label(r), (double)atomic_load(&m->latency_us[r]) / 1e6);
        buf_printf(b, "kasparro_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                   route_label(r), cum);
    }
}

/* Everything the database knows, as (family, label, value) rows. */
static const char *sql_figures =
    "SELECT 'runs', status, count(*)::float8 FROM kasparro.runs GROUP BY status "
    "UNION ALL SELECT 'records', source || CASE WHEN is_deleted THEN '/deleted' ELSE '/live' END, "
    "  count(*) FROM kasparro.records GROUP BY source, is_deleted "
    "UNION ALL SELECT 'queue', '', count(*) FROM kasparro.match_candidates WHERE status = 'pending' "
    "UNION ALL SELECT 'quarantine', source, count(*) FROM kasparro.quarantine GROUP BY source "
    "UNION ALL SELECT 'lag', '', greatest(0, extract(epoch FROM now() - next_fire_at)) "
    "  FROM kasparro.scheduler WHERE NOT paused "
    "UNION ALL (SELECT DISTINCT ON (source) 'rate', source, "
    "  fetched / nullif(extract(epoch FROM finished_at - started_at), 0) "
    "  FROM kasparro.run_sources WHERE finished_at IS NOT NULL ORDER BY source, run_id DESC) "
    "UNION ALL (SELECT DISTINCT ON (source) 'drift', source, jsonb_array_length(drift) "
    "  FROM kasparro.run_sources WHERE finished_at IS NOT NULL ORDER BY source, run_id DESC) "
    "UNION ALL (SELECT DISTINCT ON (source) 'success', source, extract(epoch FROM finished_at) "
    "  FROM kasparro.run_sources WHERE status = 'succeeded' ORDER BY source, run_id DESC) "
    "UNION ALL SELECT 'duration', le::text, (SELECT count(*) FROM kasparro.runs "
    "  WHERE finished_at IS NOT NULL AND status NOT IN ('missed', 'skipped') "
    "  AND extract(epoch FROM finished_at - started_at) <= le) "
    "  FROM unnest($1::float8[]) AS le "
    "UNION ALL SELECT 'duration_sum', '', coalesce(sum(extract(epoch FROM finished_at - started_at)), 0) "
    "  FROM kasparro.runs WHERE finished_at IS NOT NULL AND status NOT IN ('missed', 'skipped') "
    "UNION ALL SELECT 'duration_count', '', count(*) FROM kasparro.runs "
    "  WHERE finished_at IS NOT NULL AND status NOT IN ('missed', 'skipped')";

struct db_family {
    const char *key, *name, *type, *label, *help;
};

static const struct db_family db_families[] = {
    {"runs", "kasparro_runs", "gauge", "status", "Runs recorded, by status."},
    {"records", "kasparro_records", "gauge", "source/state",
     "Records by source and state (live or deleted)."},
    {"rate", "kasparro_source_rows_per_second", "gauge", "source",
     "Records fetched per second by the source's last read."},
    {"queue", "kasparro_queue_depth", "gauge", NULL, "Candidate pairs waiting for review."},
    {"quarantine", "kasparro_quarantined_records", "gauge", "source",
     "Records quarantined, by source (all runs)."},
    {"drift", "kasparro_drift_warnings", "gauge", "source",
     "Drift warnings of the source's last read."},
    {"success", "kasparro_source_last_success_timestamp_seconds", "gauge", "source",
     "When the source was last read successfully."},
    {"lag", "kasparro_scheduler_lag_seconds", "gauge", NULL,
     "How far past its due time the next scheduled run is (0 when on time)."},
};

static void db_row(struct buf *b, const struct db_family *f, const char *lv, const char *v)
{
    buf_adds(b, f->name);
    if (f->label != NULL && strcmp(f->label, "source/state") == 0) {
        const char *slash = strrchr(lv, '/');
        char source[256];
        snprintf(source, sizeof source, "%.*s", (int)(slash - lv), lv);
        buf_adds(b, "{source=\"");
        label(b, source);
        buf_printf(b, "\",state=\"%s\"}", slash + 1);
    } else if (f->label != NULL) {
        buf_printf(b, "{%s=\"", f->label);
        label(b, lv);
        buf_adds(b, "\"}");
    }
    buf_printf(b, " %s\n", v);
}

static void db_families_out(struct buf *b, const PGresult *r)
{
    for (size_t k = 0; k < ARRAY_SIZE(db_families); k++) {
        const struct db_family *f = &db_families[k];
        family(b, f->name, f->type, f->help);
        for (int i = 0; i < PQntuples(r); i++)
            if (strcmp(PQgetvalue(r, i, 0), f->key) == 0 && !PQgetisnull(r, i, 2))
                db_row(b, f, PQgetvalue(r, i, 1), PQgetvalue(r, i, 2));
    }
    family(b, "kasparro_run_duration_seconds", "histogram", "Durations of finished runs.");
    const char *count = "0";
    for (int i = 0; i < PQntuples(r); i++) {
        const char *key = PQgetvalue(r, i, 0);
        if (strcmp(key, "duration") == 0)
            buf_printf(b, "kasparro_run_duration_seconds_bucket{le=\"%g\"} %s\n",
                       atof(PQgetvalue(r, i, 1)), PQgetvalue(r, i, 2));
        else if (strcmp(key, "duration_count") == 0)
            count = PQgetvalue(r, i, 2);
    }
    buf_printf(b, "kasparro_run_duration_seconds_bucket{le=\"+Inf\"} %s\n", count);
    for (int i = 0; i < PQntuples(r); i++)
        if (strcmp(PQgetvalue(r, i, 0), "duration_sum") == 0)
            buf_printf(b, "kasparro_run_duration_seconds_sum %s\n", PQgetvalue(r, i, 2));
    buf_printf(b, "kasparro_run_duration_seconds_count %s\n", count);
}

char *metrics_render(struct httpd *h, struct db *db, size_t *len)
{
    struct buf b = BUF_INIT, le = BUF_INIT;
    struct err err = {0};
    PGresult *r = NULL;

    for (size_t i = 0; i < ARRAY_SIZE(run_buckets); i++)
        buf_printf(&le, "%s%g", i ? "," : "{", run_buckets[i]);
    buf_adds(&le, "}");
    if (db != NULL)
        r = db_exec(db, &err, sql_figures, DB_PARAMS(le.data));
    buf_free(&le);
    family(&b, "kasparro_database_up", "gauge", "1 when the database answered this scrape.");
    buf_printf(&b, "kasparro_database_up %d\n", r != NULL);
    if (r != NULL)
        db_families_out(&b, r);
    PQclear(r);
    family(&b, "kasparro_http_uptime_seconds", "gauge", "Seconds since the HTTP server started.");
    buf_printf(&b, "kasparro_http_uptime_seconds %.3f\n", clock_now() - h->started);
    http_families(&b, &h->metrics);
    *len = b.len;
    return buf_detach(&b);
}

void h_metrics(struct http_req *r, struct reply *rep)
{
    struct err err = {0};

    if (r->db == NULL)
        r->db = pool_get(&r->h->pool, &err); /* NULL: the scrape says the database is down */
    rep->raw = metrics_render(r->h, r->db, &rep->raw_len);
    rep->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

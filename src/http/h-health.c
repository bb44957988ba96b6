/*
 * h-health.c — GET /health: is the database reachable, at which schema
 * version, what the scheduler is doing and how the last run went. 200 when
 * the database answers with a schema this kasparro can use, 503 when it
 * does not answer or holds another kasparro's migrations (a newer one
 * upgraded it: this process can start no run and open no new connection,
 * so a load balancer or container engine must stop counting on it), and
 * 503 too when the scheduler thread is stuck: its heartbeat is overdue
 * (sched_stalled), so no fire time is claimed while the process still
 * answers. The rest is reported either way, with how long the database
 * took to answer and this process's own clock.
 */
#include "httpd-private.h"
#include "kasparro/clock.h"
#include "kasparro/sched.h"

static const char *sql_last_run =
    "SELECT id, status, round(extract(epoch FROM now() - coalesce(finished_at, started_at)), 1) "
    "FROM kasparro.runs WHERE status NOT IN ('missed', 'skipped') ORDER BY id DESC LIMIT 1";

/* The scheduler's part; true when its thread is stuck. */
static bool scheduler_json(struct httpd *h, cJSON *out)
{
    cJSON *s = cJSON_AddObjectToObject(out, "scheduler");
    struct sched_snapshot snap;
    double now = clock_mono(), stalled;

    if (h->sched == NULL) {
        cJSON_AddStringToObject(s, "state", "not running in this process");
        return false;
    }
    sched_snapshot(h->sched, &snap);
    stalled = sched_stalled(&snap, now);
    cJSON_AddStringToObject(s, "state", stalled > 0 ? "stalled" : snap.state);
    cJSON_AddNumberToObject(s, "heartbeat_age_seconds",
                            (double)(long long)((now - snap.heartbeat) * 10) / 10);
    if (snap.view.next_fire > 0) {
        char when[40];
        clock_format(snap.view.next_due > 0 ? snap.view.next_due : snap.view.next_fire, when,
                     sizeof when);
        cJSON_AddStringToObject(s, "next_fire_at", when);
    } else {
        cJSON_AddNullToObject(s, "next_fire_at");
    }
    if (stalled > 0) {
        char why[256];
        snprintf(why, sizeof why, "the scheduler thread has given no sign of life for %.0fs "
                 "(%d ticks of %gs past its sleep): it is stuck, and claims no fire time",
                 stalled, SCHED_STALL_TICKS, sched_tick());
        cJSON_AddStringToObject(s, "error", why);
    } else if (snap.error[0]) {
        cJSON_AddStringToObject(s, "error", snap.error);
    }
    return stalled > 0;
}

void h_health(struct http_req *r, struct reply *rep)
{
    struct err err = {0};
    char now[40];
    cJSON *d = cJSON_CreateObject(), *db = cJSON_AddObjectToObject(d, "database");
    double asked = clock_mono();
    int version = -1, usable = req_db(r, rep) != NULL ? db_schema_check(r->db, &version, &err) : -1;
    PGresult *res = version >= 0 ? db_exec(r->db, &err, sql_last_run, 0, NULL) : NULL;
    bool reached = res != NULL, ok = reached && usable >= 0;

    cJSON_AddBoolToObject(db, "reachable", reached);
    /* how long the database took to answer (a connection when the pool had
     * none, then its two questions): a monitor's early sign of trouble */
    if (reached)
        cJSON_AddNumberToObject(db, "latency_ms",
                                (double)(long long)((clock_mono() - asked) * 100000) / 100);
    if (version >= 0)
        cJSON_AddNumberToObject(db, "schema_version", version);
    if (!ok)
        cJSON_AddStringToObject(db, "error", err.msg[0] ? err.msg : rep->message);
    cJSON_AddNumberToObject(db, "schema_expected", db_known_version());
    bool stalled = scheduler_json(r->h, d);
    if (reached && PQntuples(res) == 1) {
        cJSON *run = cJSON_AddObjectToObject(d, "last_run");
        cJSON_AddNumberToObject(run, "id", (double)db_ll(res, 0, 0));
        cJSON_AddStringToObject(run, "status", db_str(res, 0, 1));
        cJSON_AddNumberToObject(run, "age_seconds", db_double(res, 0, 2));
    } else {
        cJSON_AddNullToObject(d, "last_run");
    }
    PQclear(res);
    cJSON_AddStringToObject(d, "status", !ok        ? reached ? "incompatible" : "unavailable"
                                         : stalled ? "stalled"
                                                   : "ok");
    cJSON_AddNumberToObject(d, "uptime_seconds", (double)(long long)(clock_now() - r->h->started));
    /* the clock this daemon schedules by, not the database's: a monitor
     * compares it with its own to catch a host whose clock drifted */
    cJSON_AddStringToObject(d, "time", clock_format(clock_now(), now, sizeof now));
    /* the body is the health report either way; only the status differs */
    rep->code[0] = '\0';
    rep->status = ok && !stalled ? 200 : 503;
    /* an unreachable database is waited out, as every route's 503 says,
     * whether the pool had no connection or a broken one; a stuck
     * scheduler or a newer schema is not */
    rep->retry_after = !reached ? REPLY_RETRY_AFTER : 0;
    rep->data = d;
}

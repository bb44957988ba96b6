/*
 * h-runs.c — runs over HTTP: the list (the `runs` command's JSON, anomalies
 * included), one run (runview), starting one (the engine), comparing two
 * (runcompare) and the statistics (runstats).
 *
 * POST /runs hands the request to the face's engine and waits until the
 * run has recorded itself, so the 202 carries its id; a run already going
 * in this process, or holding the run lock in another, answers 409 naming
 * it (the engine's and run_execute's own checks, not a second query).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "httpd-private.h"
#include "kasparro/clock.h"
#include "kasparro/cmd.h"
#include "kasparro/engine.h"
#include "kasparro/runcompare.h"
#include "kasparro/runstats.h"
#include "kasparro/runview.h"

/* How long POST /runs waits for the run to record itself. */
#define RUN_START_WAIT 30.0

/* The `runs` command's list, `want` runs older than run `from` (0: the
 * newest). */
static cJSON *runs_fetch(struct http_req *r, struct reply *rep, long long from, long long want)
{
    static const char *const opts[][2] = {
        {"status", "--status"}, {"source", "--source"}, {"since", "--since"}};

    return reply_listing(r, rep, "runs", want, from, opts, ARRAY_SIZE(opts));
}

void h_runs(struct http_req *r, struct reply *rep) { page_list(r, rep, runs_fetch); }

void h_run(struct http_req *r, struct reply *rep)
{
    struct err err = {0};
    long long id;

    if (!route_number(r->pathv[0], &id) || id <= 0) {
        reply_error(rep, 400, "bad_parameter", "'%s' is not a run id (a positive number)",
                    r->pathv[0]);
        return;
    }
    if (req_db(r, rep) == NULL)
        return;
    if ((rep->data = runview_json(r->db, id, &err)) == NULL)
        reply_err(rep, &err, 404);
}

/* Both runs, b alone (the completed run before it) or neither (the last
 * two completed), as `compare-runs` takes them: a alone could be the
 * latest completed run compared with itself, and two equal runs an empty
 * comparison that reads as "nothing changed". */
void h_compare(struct http_req *r, struct reply *rep)
{
    struct err err = {0};
    long long a = req_int(r, "a", 0), b = req_int(r, "b", 0);

    if (a > 0 && b == 0) {
        reply_error(rep, 400, "bad_parameter", "parameter 'a' needs 'b': give both runs, b "
                    "alone (compared with the completed run before it) or neither (the last two "
                    "completed runs)");
        return;
    }
    if (a > 0 && a == b) {
        reply_error(rep, 400, "bad_parameter", "parameters 'a' and 'b' are both run %lld: a run "
                    "compared with itself has no differences", a);
        return;
    }
    if (req_db(r, rep) == NULL)
        return;
    rep->data = runcompare(r->db, &r->cfg->anomaly, a, b, &err);
    if (rep->data == NULL)
        reply_err(rep, &err, 404);
}

void h_stats(struct http_req *r, struct reply *rep)
{
    struct err err = {0};

    if (req_db(r, rep) == NULL)
        return;
    if ((rep->data = runstats_json(r->db, RUNSTATS_RECENT, &err)) == NULL)
        reply_err(rep, &err, 500);
    else
        runstats_mark_configured(rep->data, r->cfg);
}

/* The run request from the optional body. */
static int run_request(struct http_req *r, struct reply *rep, struct run_request *req)
{
    const cJSON *sources = cJSON_GetObjectItem(r->json, "sources"), *s;
    const char *flags[] = {"full", "allow_mass_delete"};

    for (int i = 0; i < 2; i++) {
        const cJSON *f = cJSON_GetObjectItem(r->json, flags[i]);
        if (f != NULL && !cJSON_IsBool(f))
            return reply_error(rep, 400, "bad_body", "body: '%s' must be true or false",
                               flags[i]);
    }
    req->full = cJSON_IsTrue(cJSON_GetObjectItem(r->json, "full"));
    req->allow_mass_delete = cJSON_IsTrue(cJSON_GetObjectItem(r->json, "allow_mass_delete"));
    if (sources == NULL)
        return 0;
    if (!cJSON_IsArray(sources))
        return reply_error(rep, 400, "bad_body", "body: 'sources' must be an array of names");
    /* no name is not every name: a client whose own selection came out
     * empty would otherwise start a run of every source */
    if (cJSON_GetArraySize(sources) == 0)
        return reply_error(rep, 400, "bad_body", "body: 'sources' is empty; leave it out to "
                           "run every source");
    req->sources = xcalloc((size_t)cJSON_GetArraySize(sources) + 1, sizeof *req->sources);
    cJSON_ArrayForEach(s, sources) {
        struct err err = {0};
        if (!cJSON_IsString(s))
            return reply_error(rep, 400, "bad_body", "body: 'sources' must be an array of names");
        if (config_source_find(r->cfg, s->valuestring, &err) == NULL)
            return reply_error(rep, 400, "bad_body", "body: %s", err.msg);
        req->sources[req->nsources++] = s->valuestring;
    }
    return 0;
}

/* After a submit: the new run's id, or 0 with the reason it did not start. */
static long long wait_started(struct engine *e, long long before, struct reply *rep)
{
    double deadline = clock_mono() + RUN_START_WAIT;
    struct progress p;
    struct run_result res;
    char why[512];

    for (;;) {
        engine_snapshot(e, &p);
        if (p.run_id > before)
            return p.run_id;
        if (!engine_busy(e)) {
            engine_last_result(e, &res, why, sizeof why);
            if (res.run_id > before)
                return res.run_id;
            struct err err = {.code = res.exit_code ? res.exit_code : EXIT_FAIL};
            snprintf(err.msg, sizeof err.msg, "run not started: %s", why);
            reply_err(rep, &err, 500);
            return 0;
        }
        if (clock_mono() >= deadline)
            return -1;
        usleep(5000);
    }
}

void h_run_start(struct http_req *r, struct reply *rep)
{
    char actor[96];
    struct run_request req = {.trigger = TRIGGER_MANUAL, .actor = req_actor(r, actor, sizeof actor)};
    struct engine *e = r->h->engine;
    struct err err = {0};
    struct progress before;

    if (e == NULL) {
        reply_error(rep, 503, "no_engine", "this server runs no engine; start runs where "
                    "'kasparro daemon' or the console runs");
        return;
    }
    if (run_request(r, rep, &req) < 0)
        goto out;
    engine_snapshot(e, &before);
    if (engine_submit(e, &req, &err) < 0) {
        reply_err(rep, &err, 409);
        goto out;
    }
    long long id = wait_started(e, before.run_id, rep);
    if (id == 0)
        goto out;
    rep->status = 202;
    rep->data = cJSON_CreateObject();
    if (id > 0) {
        cJSON_AddNumberToObject(rep->data, "run_id", (double)id);
        rep->location = xasprintf("/runs/%lld", id);
    } else {
        cJSON_AddNullToObject(rep->data, "run_id");
    }
    cJSON_AddStringToObject(rep->data, "status", "started");
    cJSON_AddStringToObject(rep->data, "actor", actor);
out:
    free(req.sources);
}

/*
 * h-dedup.c — entities and the confidence queue over HTTP: the dedup views
 * the console's Entities and Review screens read (dedup_entities,
 * dedup_entity, dedup_queue, dedup_candidate), and the decisions an
 * operator makes (dedup_approve, dedup_reject), audited under the key's
 * name as "api:NAME".
 *
 * The decisions and their undoing are the `decisions` and `undo` commands
 * themselves, run for the request (reply_command): the same filters, the
 * same undo of an approve, reject, split or restore, the same messages
 * and audit rows, by the key's name.
 */
#include <string.h>

#include "httpd-private.h"
#include "kasparro/dedup.h"

/* A path id: a positive integer, else 400 naming it. */
static int path_id(struct http_req *r, struct reply *rep, const char *what, long long *id)
{
    if (!route_number(r->pathv[0], id) || *id <= 0)
        return reply_error(rep, 400, "bad_parameter", "'%s' is not a %s id (a positive number)",
                           r->pathv[0], what);
    return 0;
}

/* The common end: a view's result, or its error as `fail_status`. */
static void reply_view(struct reply *rep, cJSON *data, const struct err *err, int fail_status)
{
    if (data == NULL)
        reply_err(rep, err, fail_status);
    else
        rep->data = data;
}

/* An entity's place in the listing as a cursor keeps it: id and size. */
static char *entities_key(const cJSON *entity)
{
    struct entity_after k;

    dedup_entity_key(entity, &k);
    return xasprintf("%lld,%lld", k.id, k.size);
}

/* The entities from the largest, `want` of them after the place `key`
 * (NULL: from the start); meta.total counts all. */
static cJSON *entities_fetch(struct http_req *r, struct reply *rep, const char *key,
                             long long want)
{
    struct err err = {0};
    struct entity_after after;
    long long total = 0;
    int end = 0;

    if (key != NULL && (sscanf(key, "%lld,%lld%n", &after.id, &after.size, &end) != 2 ||
                        key[end] != '\0' || after.id <= 0)) {
        cursor_bad(rep);
        return NULL;
    }
    cJSON *list = dedup_entities(r->db, r->cfg, req_param(r, "search"), 0, key ? &after : NULL,
                                 want, req_bool(r, "members"), &total, &err);

    if (list == NULL) {
        reply_err(rep, &err, 500);
    } else {
        cJSON_Delete(rep->meta);
        rep->meta = cJSON_CreateObject();
        cJSON_AddNumberToObject(rep->meta, "total", (double)total);
    }
    return list;
}

void h_entities(struct http_req *r, struct reply *rep)
{
    page_list_after(r, rep, entities_fetch, entities_key);
}

void h_entity(struct http_req *r, struct reply *rep)
{
    struct err err = {0};

    if (req_db(r, rep) == NULL)
        return;
    reply_view(rep, dedup_entity(r->db, r->cfg, r->pathv[0], &err), &err, 404);
}

/* A pair's place in the queue's order as a cursor keeps it: its id and
 * the values both orders sort on, each written to be read back exactly. */
static char *queue_key(const cJSON *pair)
{
    struct queue_after k;

    dedup_queue_key(pair, &k);
    return xasprintf("%lld,%.17g,%.17g,%.17g", k.id, k.probability, k.weight, k.disagreement);
}

/* The queue in its order, `want` pairs of it after the place `key` (NULL:
 * from the start). */
static cJSON *queue_fetch(struct http_req *r, struct reply *rep, const char *key, long long want)
{
    struct err err = {0};
    struct queue_after after;
    const char *order = req_param(r, "order");
    int end = 0;

    if (key != NULL && (sscanf(key, "%lld,%lf,%lf,%lf%n", &after.id, &after.probability,
                               &after.weight, &after.disagreement, &end) != 4 ||
                        key[end] != '\0' || after.id <= 0)) {
        cursor_bad(rep);
        return NULL;
    }
    cJSON *list = dedup_queue(r->db, r->cfg, req_double(r, "min", 0), req_double(r, "max", 1),
                              order && strcmp(order, "score") == 0 ? ORDER_SCORE
                                                                   : ORDER_UNCERTAINTY,
                              0, key ? &after : NULL, want, &err);

    if (list == NULL)
        reply_err(rep, &err, 500);
    return list;
}

void h_queue(struct http_req *r, struct reply *rep)
{
    double min = req_double(r, "min", 0), max = req_double(r, "max", 1);

    /* as `queue` refuses it: an empty answer would read as an empty queue */
    if (min > max) {
        reply_error(rep, 400, "bad_parameter", "parameters 'min' and 'max': %g is above %g, and "
                    "no candidate lies between them", min, max);
        return;
    }
    page_list_after(r, rep, queue_fetch, queue_key);
}

void h_candidate(struct http_req *r, struct reply *rep)
{
    struct err err = {0};
    long long id;

    if (path_id(r, rep, "candidate", &id) < 0 || req_db(r, rep) == NULL)
        return;
    reply_view(rep, dedup_candidate(r->db, r->cfg, id, &err), &err, 404);
}

typedef int (*decide_fn)(struct db *db, const struct config *cfg, long long candidate,
                         const char *actor, const char *reason, long long *decision,
                         struct err *err);

/* 404 for a candidate that does not exist, 409 for one decided meanwhile or
 * kept apart by a constraint; the decision and the candidate as it is now. */
static void decide(struct http_req *r, struct reply *rep, decide_fn fn, const char *verb)
{
    struct err err = {0};
    long long id, decision;
    char actor[96];
    cJSON *c;
    const cJSON *reason = cJSON_GetObjectItem(r->json, "reason");

    if (path_id(r, rep, "candidate", &id) < 0 || req_db(r, rep) == NULL)
        return;
    if (reason != NULL && !cJSON_IsString(reason)) {
        reply_error(rep, 400, "bad_body", "body: 'reason' must be a string");
        return;
    }
    if ((c = dedup_candidate(r->db, r->cfg, id, &err)) == NULL) {
        reply_err(rep, &err, 404);
        return;
    }
    cJSON_Delete(c);
    if (fn(r->db, r->cfg, id, req_actor(r, actor, sizeof actor),
           reason ? reason->valuestring : NULL, &decision, &err) < 0) {
        reply_err(rep, &err, 409);
        return;
    }
    rep->data = cJSON_CreateObject();
    cJSON_AddNumberToObject(rep->data, "candidate", (double)id);
    cJSON_AddNumberToObject(rep->data, "decision", (double)decision);
    cJSON_AddStringToObject(rep->data, "status", verb);
    cJSON_AddStringToObject(rep->data, "actor", actor);
}

void h_approve(struct http_req *r, struct reply *rep) { decide(r, rep, dedup_approve, "approved"); }
void h_reject(struct http_req *r, struct reply *rep) { decide(r, rep, dedup_reject, "rejected"); }

/* The decisions `decisions` lists, newest first, `want` of those older
 * than decision `from` (0: the newest). */
static cJSON *decisions_fetch(struct http_req *r, struct reply *rep, long long from,
                              long long want)
{
    static const char *const opts[][2] = {
        {"action", "--action"}, {"actor", "--actor"}, {"since", "--since"}};

    return reply_listing(r, rep, "decisions", want, from, opts, ARRAY_SIZE(opts));
}

void h_decisions(struct http_req *r, struct reply *rep)
{
    page_list(r, rep, decisions_fetch);
}

/* 404 for a decision that does not exist, 409 for one that cannot be
 * undone (undone already, an undo itself, overtaken by a later one). */
void h_undo(struct http_req *r, struct reply *rep)
{
    struct err err = {0};
    long long id;
    cJSON *d;
    char *argv[] = {"undo", "--json", r->pathv[0], NULL};

    if (path_id(r, rep, "decision", &id) < 0 || req_db(r, rep) == NULL)
        return;
    if ((d = dedup_decision(r->db, id, &err)) == NULL) {
        reply_err(rep, &err, 404);
        return;
    }
    cJSON_Delete(d);
    rep->data = reply_command(r, rep, 3, argv, 409);
}

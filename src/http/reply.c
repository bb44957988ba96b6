/*
 * reply.c — what handlers read and write: validated parameters, the
 * request's database connection, and the JSON envelope every response has
 * ({"data":...,"meta":{request_id, api_latency_ms, ...}} or
 * {"error":{"code","message"},"meta":...}), and a command of the cmd
 * layer run for a handler (reply_command), so a route and the shell
 * command share one implementation.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpd-private.h"
#include "kasparro/clock.h"
#include "kasparro/cmd.h"
#include "kasparro/utf8.h"

const char *req_param(struct http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

long long req_int(struct http_req *r, const char *name, long long dflt)
{
    const char *v = req_param(r, name);
    long long n;

    return v != NULL && route_number(v, &n) ? n : dflt;
}

long long req_declared_int(struct http_req *r, const char *name)
{
    const struct http_param *p = route_param(r->route, name);

    if (p == NULL || p->type != P_INT)
        BUG("http: %s %s declares no integer '%s'", r->route->method, r->route->path, name);
    return req_int(r, name, p->dflt);
}

double req_double(struct http_req *r, const char *name, double dflt)
{
    const char *v = req_param(r, name);
    double d;

    return v != NULL && parse_double(v, &d) ? d : dflt;
}

bool req_bool(struct http_req *r, const char *name)
{
    const char *v = req_param(r, name);
    return v != NULL && (*v == '\0' || parse_bool(v) == 1);
}

double req_time(struct http_req *r, const char *name)
{
    const char *v = req_param(r, name);
    double t = 0;
    long long ago;

    if (v == NULL)
        return 0;
    if (clock_parse(v, &t) == 0)
        return t;
    if ((ago = parse_duration(v)) >= 0)
        return clock_now() - (double)ago;
    return 0;
}

/* The database cannot be reached, or the connection was lost (a restart,
 * a failover): like a timeout, a state a client outlasts by waiting. */
static int reply_unavailable(struct reply *rep, const char *msg)
{
    reply_error(rep, 503, "database_unavailable", "%s", msg);
    rep->retry_after = REPLY_RETRY_AFTER;
    return -1;
}

struct db *req_db(struct http_req *r, struct reply *rep)
{
    struct err err = {0};

    if (r->db == NULL && (r->db = pool_get(&r->h->pool, &err)) == NULL)
        reply_unavailable(rep, err.msg);
    return r->db;
}

const char *req_actor(struct http_req *r, char *buf, size_t len)
{
    snprintf(buf, len, "api:%s", r->key_name[0] ? r->key_name : "anonymous");
    return buf;
}

/* The modules' messages point a shell's user at a command ("no run 9;
 * 'kasparro runs' lists them"); over HTTP they point at the route that
 * does the same. */
static const char *const http_words[][2] = {
    {"'kasparro runs' lists them", "GET /runs lists them"},
    {"'kasparro queue' lists them", "GET /queue lists them"},
    {"'kasparro decisions' lists them", "GET /decisions lists them"},
    {"'kasparro entities' lists them", "GET /entities lists them"},
    {"'kasparro export records' lists them", "GET /data lists them"},
    {"'kasparro sources' lists them", "GET /sources lists them"},
    {"'kasparro run' starts one", "POST /runs starts one"},
};

static void say_http(char *msg, size_t size)
{
    for (size_t i = 0; i < ARRAY_SIZE(http_words); i++) {
        char *at = strstr(msg, http_words[i][0]);
        if (at == NULL)
            continue;
        char *rest = xstrdup(at + strlen(http_words[i][0]));
        snprintf(at, size - (size_t)(at - msg), "%s%s", http_words[i][1], rest);
        free(rest);
    }
}

int reply_error(struct reply *rep, int status, const char *code, const char *fmt, ...)
{
    va_list ap;

    rep->status = status;
    snprintf(rep->code, sizeof rep->code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(rep->message, sizeof rep->message, fmt, ap);
    va_end(ap);
    /* a message may quote what the client sent, which need not be UTF-8:
     * the reply is JSON all the same, its bad bytes written \xNN */
    if (!utf8_valid(rep->message, strlen(rep->message))) {
        char *safe = utf8_sanitize(rep->message, strlen(rep->message));
        snprintf(rep->message, sizeof rep->message, "%s", safe);
        free(safe);
    }
    say_http(rep->message, sizeof rep->message);
    cJSON_Delete(rep->data);
    rep->data = NULL;
    return -1;
}

/* A statement the database ended at a time limit it keeps for the API's
 * sessions (statement_timeout, lock_timeout; db_session_interactive): the
 * server is busy or the question large, not broken, so 503 with a
 * Retry-After, the one answer a client can act on by waiting. 57014 is a
 * cancel request as well (db_error tells which): another session's (an
 * administrator's pg_cancel_backend) is 503 `cancelled`, and when the
 * daemon's stop cancelled it the server answers for the stop (server.c). */
static bool reply_timeout(struct reply *rep, const struct err *err)
{
    if (!err_sqlstate(err, SQLSTATE_QUERY_CANCELED) && !err_sqlstate(err, SQLSTATE_LOCK_NOT_AVAILABLE))
        return false;
    rep->cancelled = err_sqlstate(err, SQLSTATE_QUERY_CANCELED);
    if (rep->cancelled && !err->timed_out)
        reply_error(rep, 503, "cancelled", "%s; try again", err->msg);
    else
        reply_error(rep, 503, "timeout", "the database ended the query at the time limit it "
                    "sets for the API's sessions (statement_timeout or lock_timeout of the "
                    "database or role): %s; try again later, or ask for less", err->msg);
    rep->retry_after = REPLY_RETRY_AFTER;
    return true;
}

/* A failure the handler did not foresee: fail_status names what it
 * expects (404 for a thing that may not exist, 409 for a decision that may
 * clash). A statement the server refused is neither, whatever the handler
 * expected — the client can do nothing about it — except a serialization
 * failure or a deadlock (class 40), a conflict with another writer. */
static int reply_failure(struct reply *rep, const struct err *err, int status)
{
    if (reply_timeout(rep, err))
        return -1;
    if (err->sqlstate[0] != '\0' && !err_sqlstate(err, "40"))
        status = 500;
    return reply_error(rep, status,
                       status == 404 ? "not_found" : status == 409 ? "conflict" : "internal",
                       "%s", err->msg);
}

int reply_err(struct reply *rep, const struct err *err, int fail_status)
{
    switch (err->code) {
    case EXIT_USAGE:
        return reply_error(rep, 400, "bad_request", "%s", err->msg);
    case EXIT_BUSY:
        return reply_error(rep, 409, "busy", "%s", err->msg);
    case EXIT_DB:
        return reply_unavailable(rep, err->msg);
    default:
        return reply_failure(rep, err, fail_status);
    }
}

cJSON *reply_command(struct http_req *r, struct reply *rep, int argc, char **argv,
                     int fail_status)
{
    char *text = NULL, actor[96];
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    struct cmd_ctx ctx = {.cfg = r->cfg, .db = r->db, .out = out,
                          .actor = req_actor(r, actor, sizeof actor), .origin = ORIGIN_DAEMON};
    int rc = cmd_run(&ctx, argc, argv);
    cJSON *json = NULL;

    fclose(out);
    if (rc != EXIT_OK)
        reply_err(rep, &ctx.err, fail_status);
    else if ((json = cJSON_Parse(text)) == NULL)
        reply_error(rep, 500, "internal", "'%s --json' printed no JSON", argv[0]);
    free(text);
    return json;
}

char *reply_body(struct http_req *r, struct reply *rep, size_t *len)
{
    cJSON *doc, *meta;
    char *text;

    if (rep->raw != NULL && rep->code[0] == '\0') {
        *len = rep->raw_len;
        text = rep->raw;
        rep->raw = NULL;
        return text;
    }
    doc = cJSON_CreateObject();
    meta = rep->meta ? rep->meta : cJSON_CreateObject();
    rep->meta = NULL;
    if (rep->code[0] != '\0') {
        cJSON *e = cJSON_AddObjectToObject(doc, "error");
        cJSON_AddStringToObject(e, "code", rep->code);
        cJSON_AddStringToObject(e, "message", rep->message);
        rep->content_type = NULL;
    } else {
        cJSON_AddItemToObject(doc, "data", rep->data ? rep->data : cJSON_CreateNull());
        rep->data = NULL;
    }
    cJSON_AddStringToObject(meta, "request_id", r->id);
    cJSON_AddNumberToObject(meta, "api_latency_ms",
                            (double)(long long)((clock_mono() - r->t0) * 1e5) / 100);
    cJSON_AddItemToObject(doc, "meta", meta);
    text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    *len = strlen(text);
    return text;
}

/* The command refused the value of an option a query parameter gave it
 * ("option '--source': no source 'x' …"): the client wrote the parameter,
 * so the answer names that. */
static void say_parameter(struct reply *rep, const char *const opts[][2], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char option[64];
        snprintf(option, sizeof option, "option '%s': ", opts[i][1]);
        if (strncmp(rep->message, option, strlen(option)) != 0)
            continue;
        char *rest = xstrdup(rep->message + strlen(option));
        snprintf(rep->message, sizeof rep->message, "parameter '%s': %s", opts[i][0], rest);
        snprintf(rep->code, sizeof rep->code, "bad_parameter");
        free(rest);
        return;
    }
}

int reply_source_param(struct http_req *r, struct reply *rep, const char *param)
{
    const char *v = req_param(r, param);
    char option[64];
    struct cmd_ctx ctx = {.cfg = r->cfg, .db = r->db};

    if (v == NULL || cmd_source_known(&ctx, param, v) == 0)
        return 0;
    snprintf(option, sizeof option, "--%s", param);
    const char *const opts[][2] = {{param, option}};
    reply_err(rep, &ctx.err, 500);
    if (strcmp(rep->code, "bad_request") == 0)
        say_parameter(rep, opts, 1);
    return -1;
}

cJSON *reply_listing(struct http_req *r, struct reply *rep, const char *command, long long want,
                     long long before, const char *const opts[][2], size_t n)
{
    char limit[32], older[32];
    char *argv[6 + 2 * REPLY_LISTING_OPTS + 1] = {(char *)command, "--json", "--limit", limit};
    int argc = 4;

    snprintf(limit, sizeof limit, "%lld", want);
    if (before > 0) {
        snprintf(older, sizeof older, "%lld", before);
        argv[argc++] = "--before";
        argv[argc++] = older;
    }
    for (size_t i = 0; i < n && i < REPLY_LISTING_OPTS; i++) {
        const char *v = req_param(r, opts[i][0]);
        if (v != NULL) {
            argv[argc++] = (char *)opts[i][1];
            argv[argc++] = (char *)v;
        }
    }
    cJSON *data = reply_command(r, rep, argc, argv, 500);
    if (data == NULL && rep->status == 400)
        say_parameter(rep, opts, n);
    return data;
}

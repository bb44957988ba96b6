/*
 * openapi.c — /openapi.json, generated from the route table (routes.c):
 * one operation per route with its path and query parameters, the role it
 * needs, its body when it takes one, and the statuses it answers. The
 * declared [schema] fields of the running configuration are listed as
 * /data's filter parameters, typed as they are declared.
 */
#include <stdlib.h>
#include <string.h>

#include "httpd-private.h"

#ifndef KASPARRO_VERSION
#define KASPARRO_VERSION "0.1.0"
#endif

static const char *status_text(int status)
{
    switch (status) {
    case 200: return "OK";
    case 202: return "accepted";
    case 304: return "not modified: If-None-Match named the ETag the 200 carried, and the "
                     "answer is the same (no body)";
    case 400: return "a bad parameter or body (the message names it)";
    case 401: return "no API key, or not a valid one";
    case 403: return "the key's role may not do this";
    case 404: return "no such object";
    case 405: return "another method is served on this path";
    case 409: return "conflict: busy, or already decided";
    case 410: return "gone: the object was there and is no longer (the message says where "
                     "what is left of it is)";
    case 413: return "the body is larger than [http] max_body";
    case 414: return "the request's target (path and query) is over 32 KiB (uri_too_long)";
    case 415: return "the body is not sent as application/json (a charset may only be UTF-8)";
    case 431: return "the request's headers are over 32 KiB (headers_too_large)";
    case 500: return "internal: a failure on the server's side (the message says which)";
    case 503: return "the database is unreachable or the connection to it was lost "
                     "(database_unavailable), or it ended the query at the statement_timeout or "
                     "lock_timeout of the database or role the API connects as (timeout), "
                     "or another session cancelled the query (cancelled: pg_cancel_backend), "
                     "or the server is stopping and cancelled the query (shutting_down); "
                     "each with a Retry-After header";
    default: return "see the message";
    }
}

static void add_response(cJSON *responses, int status, const char *ref)
{
    char code[8];
    cJSON *r = cJSON_CreateObject();

    snprintf(code, sizeof code, "%d", status);
    cJSON_AddStringToObject(r, "description", status_text(status));
    if (status == 304) { /* no body */
        cJSON_AddItemToObject(responses, code, r);
        return;
    }
    cJSON *content = cJSON_AddObjectToObject(r, "content");
    cJSON *mt = cJSON_AddObjectToObject(content, status == 200 && ref == NULL
                                                     ? "text/plain"
                                                     : "application/json");
    cJSON *schema = cJSON_AddObjectToObject(mt, "schema");
    if (ref != NULL)
        cJSON_AddStringToObject(schema, "$ref", ref);
    else
        cJSON_AddStringToObject(schema, "type", "string");
    if (status == 503) {
        cJSON *h = cJSON_AddObjectToObject(cJSON_AddObjectToObject(r, "headers"), "Retry-After");
        cJSON_AddStringToObject(h, "description", "the seconds to wait before asking again");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(h, "schema"), "type", "integer");
    }
    cJSON_AddItemToObject(responses, code, r);
}

static const char *schema_type(enum param_type t)
{
    return t == P_INT ? "integer" : t == P_BOOL ? "boolean" : t == P_RATIO ? "number" : "string";
}

static cJSON *parameter(const char *name, const char *in, const char *type, const char *doc,
                        bool required)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "name", name);
    cJSON_AddStringToObject(p, "in", in);
    cJSON_AddBoolToObject(p, "required", required);
    cJSON_AddStringToObject(p, "description", doc);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "schema"), "type", type);
    return p;
}

/* The bounds the dispatcher checks a number against, and the default a
 * handler takes, in its schema: a client generated from the description
 * used to learn them from a 400 (limit=5000) or not at all. */
static void add_bounds(cJSON *schema, const struct http_param *q)
{
    if (q->type == P_RATIO) {
        cJSON_AddNumberToObject(schema, "minimum", 0);
        cJSON_AddNumberToObject(schema, "maximum", 1);
    } else if (q->type == P_INT) {
        cJSON_AddNumberToObject(schema, "minimum", (double)q->min);
        cJSON_AddNumberToObject(schema, "maximum", (double)q->max);
        if (q->dflt != 0)
            cJSON_AddNumberToObject(schema, "default", (double)q->dflt);
    }
}

/* A P_ENUM parameter's values as the schema's enum, from the list its
 * check prints ("a, b or c"): a client generated from the description
 * knows them. */
static void add_enum(cJSON *schema, const struct http_param *q)
{
    struct buf names = BUF_INIT;
    cJSON *values = cJSON_AddArrayToObject(schema, "enum");

    q->choose(NULL, &names);
    for (char *s = names.data, *next; s != NULL && *s != '\0'; s = next) {
        size_t n = strcspn(s, ", ");
        next = s + n;
        next += strspn(next, ", ");
        if (strncmp(next, "or ", 3) == 0)
            next += 3;
        s[n] = '\0';
        cJSON_AddItemToArray(values, cJSON_CreateString(s));
    }
    buf_free(&names);
}

static const char *field_schema_type(enum field_type t)
{
    return t == FT_INTEGER ? "integer" : t == FT_NUMBER ? "number" : t == FT_BOOLEAN ? "boolean"
                                                                                     : "string";
}

static cJSON *operation(const struct route *rt, const struct config *cfg)
{
    cJSON *op = cJSON_CreateObject(), *params = cJSON_CreateArray(), *responses;
    char desc[512];

    cJSON_AddStringToObject(op, "operationId", rt->name);
    cJSON_AddStringToObject(op, "summary", rt->summary);
    snprintf(desc, sizeof desc, "Role: %s%s.", http_role_name(rt->role),
             config_http_is_openable(rt->path) ? " (or none, when [http] open lists it)" : "");
    cJSON_AddStringToObject(op, "description", desc);
    for (const char *p = strchr(rt->path, '{'); p != NULL; p = strchr(p + 1, '{')) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(strcspn(p + 1, "}")), p + 1);
        bool id = (rt->flags & ROUTE_ID) && strcmp(name, "id") == 0;
        cJSON *param = parameter(name, "path", id ? "integer" : "string", name, true);
        if (id)
            cJSON_AddNumberToObject(cJSON_GetObjectItem(param, "schema"), "minimum", 1);
        cJSON_AddItemToArray(params, param);
    }
    for (const struct http_param *q = rt->params; q != NULL && q->name != NULL; q++) {
        cJSON *p = parameter(q->name, "query", schema_type(q->type), q->doc, false);
        if (q->type == P_ENUM)
            add_enum(cJSON_GetObjectItem(p, "schema"), q);
        add_bounds(cJSON_GetObjectItem(p, "schema"), q);
        cJSON_AddItemToArray(params, p);
    }
    for (size_t i = 0; (rt->flags & ROUTE_FIELD_FILTERS) && i < cfg->nfields; i++) {
        char doc[160];
        snprintf(doc, sizeof doc, "declared field '%s' (%s): records whose value equals this",
                 cfg->fields[i].name, field_type_name(cfg->fields[i].type));
        cJSON_AddItemToArray(params, parameter(cfg->fields[i].name, "query",
                                               field_schema_type(cfg->fields[i].type), doc,
                                               false));
    }
    cJSON_AddItemToObject(op, "parameters", params);
    if (rt->flags & ROUTE_BODY) {
        cJSON *body = cJSON_AddObjectToObject(op, "requestBody");
        cJSON_AddBoolToObject(body, "required", false);
        cJSON_AddStringToObject(body, "description", rt->body_doc);
        cJSON *mt = cJSON_AddObjectToObject(cJSON_AddObjectToObject(body, "content"),
                                            "application/json");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(mt, "schema"), "type", "object");
    }
    responses = cJSON_AddObjectToObject(op, "responses");
    bool raw = strcmp(rt->name, "metrics") == 0;
    if (!strstr(rt->statuses, "202"))
        add_response(responses, 200, raw ? NULL : "#/components/schemas/Envelope");
    /* a JSON answer to GET carries an ETag (server.c: conditional) */
    if (strcmp(rt->method, "GET") == 0 && !raw && strcmp(rt->name, "openapi") != 0)
        add_response(responses, 304, NULL);
    /* /health's 503 is its report, the same envelope as its 200 */
    bool report = strcmp(rt->name, "health") == 0;
    for (const char *s = rt->statuses; *s; s += strspn(s, " ")) {
        int status = atoi(s);
        add_response(responses, status, status < 300 || report ? "#/components/schemas/Envelope"
                                                               : "#/components/schemas/Error");
        s += strcspn(s, " ");
    }
    if (report)
        cJSON_ReplaceItemInObject(cJSON_GetObjectItem(responses, "503"), "description",
                                  cJSON_CreateString("the report, its status unavailable (the "
                                                     "database does not answer: with "
                                                     "Retry-After), incompatible or stalled"));
    add_response(responses, 400, "#/components/schemas/Error");
    add_response(responses, 414, "#/components/schemas/Error");
    add_response(responses, 431, "#/components/schemas/Error");
    if (rt->flags & ROUTE_BODY) {
        add_response(responses, 413, "#/components/schemas/Error");
        add_response(responses, 415, "#/components/schemas/Error");
    }
    add_response(responses, 500, "#/components/schemas/Error");
    /* every route asks the database, but a scrape answers 200 without it
     * (kasparro_database_up 0) */
    if (!raw && strcmp(rt->name, "openapi") != 0 && cJSON_GetObjectItem(responses, "503") == NULL)
        add_response(responses, 503, "#/components/schemas/Error");
    if (strcmp(rt->name, "openapi") == 0) /* the document itself, no envelope */
        cJSON_ReplaceItemInObject(cJSON_GetObjectItem(responses, "200"), "content",
                                  cJSON_Parse("{\"application/json\":{\"schema\":{"
                                              "\"type\":\"object\",\"description\":"
                                              "\"this OpenAPI document\"}}}"));
    if (!config_http_is_openable(rt->path) || rt->role > ROLE_NONE) {
        add_response(responses, 401, "#/components/schemas/Error");
        add_response(responses, 403, "#/components/schemas/Error");
    }
    if (rt->role > ROLE_NONE) {
        cJSON *sec = cJSON_CreateObject();
        cJSON_AddItemToObject(sec, "bearer", cJSON_CreateArray());
        cJSON_AddItemToArray(cJSON_AddArrayToObject(op, "security"), sec);
    }
    return op;
}

static cJSON *components(void)
{
    static const char *spec =
        "{\"securitySchemes\":{\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\"}},"
        "\"schemas\":{"
        "\"Meta\":{\"type\":\"object\",\"required\":[\"request_id\",\"api_latency_ms\"],"
        "\"properties\":{\"request_id\":{\"type\":\"string\"},"
        "\"api_latency_ms\":{\"type\":\"number\"},"
        "\"count\":{\"type\":\"integer\"},"
        "\"next\":{\"type\":\"string\",\"nullable\":true}}},"
        "\"Envelope\":{\"type\":\"object\",\"required\":[\"data\",\"meta\"],"
        "\"properties\":{\"data\":{},\"meta\":{\"$ref\":\"#/components/schemas/Meta\"}}},"
        "\"Error\":{\"type\":\"object\",\"required\":[\"error\",\"meta\"],"
        "\"properties\":{\"error\":{\"type\":\"object\",\"required\":[\"code\",\"message\"],"
        "\"properties\":{\"code\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"}}},"
        "\"meta\":{\"$ref\":\"#/components/schemas/Meta\"}}}}}";
    return cJSON_Parse(spec);
}

cJSON *openapi_document(const struct config *cfg)
{
    cJSON *doc = cJSON_CreateObject(), *paths;

    cJSON_AddStringToObject(doc, "openapi", "3.0.3");
    cJSON *info = cJSON_AddObjectToObject(doc, "info");
    cJSON_AddStringToObject(info, "title", "kasparro");
    cJSON_AddStringToObject(info, "version", KASPARRO_VERSION);
    cJSON_AddStringToObject(info, "description",
                            "The data kasparro unifies, its runs, statistics and metrics. "
                            "Responses carry meta.request_id and meta.api_latency_ms.");
    paths = cJSON_AddObjectToObject(doc, "paths");
    for (size_t i = 0; i < http_nroutes; i++) {
        const struct route *rt = &http_routes[i];
        cJSON *item = cJSON_GetObjectItem(paths, rt->path);
        char method[16];
        if (item == NULL)
            item = cJSON_AddObjectToObject(paths, rt->path);
        snprintf(method, sizeof method, "%s", rt->method);
        for (char *c = method; *c; c++)
            *c = (char)(*c - 'A' + 'a');
        cJSON_AddItemToObject(item, method, operation(rt, cfg));
    }
    cJSON_AddItemToObject(doc, "components", components());
    return doc;
}

void h_openapi(struct http_req *r, struct reply *rep)
{
    cJSON *doc = openapi_document(r->cfg);

    rep->raw = cJSON_PrintUnformatted(doc);
    rep->raw_len = strlen(rep->raw);
    cJSON_Delete(doc);
}

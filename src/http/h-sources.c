/*
 * h-sources.c — GET /sources and /sources/{name}: the configured sources
 * with what the database knows of them (records, checkpoint, the latest
 * run), which /stats cannot say of a source that has neither records nor
 * runs yet. Both are the `sources --json` command run for the request
 * (reply_command): one rendering for the shell, the console and HTTP.
 */
#include "httpd-private.h"
#include "kasparro/config.h"

void h_sources(struct http_req *r, struct reply *rep)
{
    char *argv[] = {"sources", "--json", NULL};

    if (req_db(r, rep) == NULL)
        return;
    rep->data = reply_command(r, rep, 2, argv, 500);
}

/* 404 for a source the configuration does not name; the row alone. */
void h_source(struct http_req *r, struct reply *rep)
{
    struct err err = {0};
    char *argv[] = {"sources", "--json", r->pathv[0], NULL};
    cJSON *list;

    if (config_source_find(r->cfg, r->pathv[0], &err) == NULL) {
        reply_error(rep, 404, "not_found", "%s", err.msg);
        return;
    }
    if (req_db(r, rep) == NULL || (list = reply_command(r, rep, 3, argv, 404)) == NULL)
        return;
    rep->data = cJSON_DetachItemFromArray(list, 0);
    cJSON_Delete(list);
}

/*
 * h-sources.c — GET /sources and /sources/{name}: the configured sources
 * with what the database knows of them (records, checkpoint, the latest
 * run), which /stats cannot say of a source that has neither records nor
 * runs yet, then those removed from the configuration whose records are
 * still live ("configured": false). Both are the `sources --json` command run for the request
 * (reply_command): one rendering for the shell, the console and HTTP.
 */
#include "httpd-private.h"
#include <stdio.h>
#include <string.h>

void h_sources(struct http_req *r, struct reply *rep)
{
    char *argv[] = {"sources", "--json", NULL};

    if (req_db(r, rep) == NULL)
        return;
    rep->data = reply_command(r, rep, 2, argv, 500);
}

/* A source by name, as `sources NAME --json` gives it: a configured one,
 * or one removed from the configuration whose records are live. One
 * removed that has no live record left (retired, purged) is not a row of
 * the listing (the command's row says "configured": false, 0 records) but
 * its runs still name it: 410, pointing at them. 404 only
 * for a name the command does not know at all (its usage error). */
void h_source(struct http_req *r, struct reply *rep)
{
    char *argv[] = {"sources", "--json", r->pathv[0], NULL};
    cJSON *list;

    if (req_db(r, rep) == NULL)
        return;
    if ((list = reply_command(r, rep, 3, argv, 404)) == NULL) {
        char msg[sizeof rep->message];
        snprintf(msg, sizeof msg, "%s", rep->message);
        if (strcmp(rep->code, "bad_request") == 0)
            reply_error(rep, 404, "not_found", "%s", msg);
        return;
    }
    cJSON *row = cJSON_GetArrayItem(list, 0);
    if (row != NULL && !(cJSON_IsFalse(cJSON_GetObjectItem(row, "configured")) &&
                         cJSON_GetNumberValue(cJSON_GetObjectItem(row, "records")) == 0))
        rep->data = cJSON_DetachItemFromArray(list, 0);
    else
        reply_error(rep, 410, "gone", "source '%s' was removed from the configuration and has "
                    "no live record left; GET /runs?source=%s lists the runs that read it",
                    r->pathv[0], r->pathv[0]);
    cJSON_Delete(list);
}

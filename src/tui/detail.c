/*
 * detail.c — the record detail: one record in full, in the pager, with
 * keys that act on it.
 *
 * `detail RECORD` (d on Entities and Review, Enter on Deleted) loads
 * `show-record --json RECORD` through the worker and shows the text
 * `kasparro show-record` prints (recordview_text: the same function), so
 * the console's view and the shell's never differ. While it is open, the
 * "record" key table comes before the pager's: r restores the record, x
 * splits it out of its entity, a and X approve or reject the pair it was
 * opened from (--candidate). Those keys fill {record}, {entity} and
 * {candidate} from the detail itself, not from the screen beneath, and
 * close it: the screen reloads and the message line says what was done.
 * One that asks first closes it once answered, and only when its command
 * went ahead: "n" leaves the record to read (ui_answered). {deleted} is the
 * record when it is deleted: r on a live one says it is live ("no_deleted",
 * which the placeholder's error takes), not asks to restore it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kasparro/recordview.h"
#include "tui-private.h"

struct detail_req {
    long long record;
    long long candidate; /* 0: none */
};

static void add_id(cJSON *subject, const char *name, long long id)
{
    char buf[24];

    snprintf(buf, sizeof buf, "%lld", id);
    cJSON_AddStringToObject(subject, name, buf);
}

static void detail_loaded(struct tui *t, struct job *j)
{
    struct detail_req *req = j->arg;
    char title[64];

    if (j->rc != EXIT_OK || j->json == NULL) {
        ui_message(t, PA_BAD, "%s", j->err.msg[0] ? j->err.msg : "unable to show the record");
        free(req);
        return;
    }
    char *text = recordview_text(j->json, (size_t)t->uctx.width);
    cJSON *subject = cJSON_CreateObject();
    const char *key =
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(j->json, "entity"), "key"));
    bool deleted = cJSON_IsTrue(cJSON_GetObjectItem(j->json, "deleted"));
    add_id(subject, "record", req->record);
    if (deleted) { /* r restores a deleted record; a live one says so, unasked */
        add_id(subject, "deleted", req->record);
    } else {
        char *why = xasprintf("record %lld is live: nothing to restore", req->record);
        cJSON_AddStringToObject(subject, "no_deleted", why);
        free(why);
    }
    if (key != NULL)
        cJSON_AddStringToObject(subject, "entity", key);
    if (req->candidate > 0)
        add_id(subject, "candidate", req->candidate);
    snprintf(title, sizeof title, "record %lld: %sx split%s", req->record,
             deleted ? "r restore, " : "",
             req->candidate > 0 ? ", a approve, X reject the pair" : "");
    pager_free(t->pager);
    t->pager = pager_new(title, text, NULL);
    t->pager->keys = "record";
    t->pager->subject = subject;
    t->dirty = true;
    free(text);
    free(req);
}

int tui_detail(struct tui *t, long long record, long long candidate, struct err *err)
{
    struct detail_req *req = xcalloc(1, sizeof *req);
    char line[64];

    (void)err;
    req->record = record;
    req->candidate = candidate;
    snprintf(line, sizeof line, "show-record --json %lld", record);
    worker_submit(t->worker, line, JOB_JSON | JOB_RETRY | JOB_OWNS_ARG, detail_loaded, req, 0);
    return 0;
}

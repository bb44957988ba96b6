/*
 * screen-schedule.c — the Schedule screen: the ingestion schedule and what
 * became of its recent fire times.
 *
 * Everything comes from `schedule --json` (the stored schedule, shared by
 * every console and daemon): the cron expression and zone, paused or not,
 * the policy, the next fire times, the last run, the counts of missed and
 * skipped fire times, and the recent ones as a list. p pauses, r resumes,
 * t runs the job now.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/clock.h"
#include "kasparro/util.h"
#include "tui-private.h"

struct schedule_screen {
    cJSON *view; /* the schedule --json object */
    struct list recent;
};

static void fmt_fire(const cJSON *row, char *buf, size_t len)
{
    const char *s = json_str(row, "scheduled_for");
    snprintf(buf, len, "%s", s ? s : "(triggered)");
}

static enum paint_attr recent_attr(const cJSON *row)
{
    return status_attr(json_str(row, "status"));
}

static const struct list_col recent_cols[] = {
    {"scheduled_for", "FIRE TIME", 20, 0, fmt_fire, NULL},
    {"status", "STATUS", 11, 0, NULL, recent_attr},
    {"run", "RUN", 5, LC_RIGHT, NULL, NULL},
    {"started_at", "STARTED", 20, 0, NULL, NULL},
    {"error", "NOTE", 10, LC_FLEX, NULL, NULL},
};

static void schedule_init(struct screen *s)
{
    struct schedule_screen *ss = xcalloc(1, sizeof *ss);
    list_init(&ss->recent, recent_cols, (int)ARRAY_SIZE(recent_cols), "scheduled_for",
              "no fire time has come yet");
    s->priv = ss;
}

static void schedule_free(struct screen *s)
{
    struct schedule_screen *ss = s->priv;
    cJSON_Delete(ss->view);
    list_free(&ss->recent);
    free(ss);
}

/* "in 1h02m" from an ISO time; a day or more away in days and hours
 * ("in 6d16h", a weekly schedule's; it used to say "in 160h12m", and a
 * yearly one's "in 10765h24m"). */
static void until(const char *iso, char *buf, size_t len)
{
    double t, d;
    char span[32];

    buf[0] = '\0';
    if (iso == NULL || clock_parse(iso, &t) < 0)
        return;
    d = t - clock_now();
    if (d >= 86400)
        snprintf(buf, len, "  in %s",
                 format_duration((long long)d / 3600 * 3600, span, sizeof span));
    else if (d >= 0)
        snprintf(buf, len, "  in %ldh%02ldm", (long)d / 3600, (long)d % 3600 / 60);
}

static int draw_state(struct schedule_screen *ss, int y, int x, int w)
{
    const cJSON *v = ss->view, *up = cJSON_GetObjectItemCaseSensitive(v, "upcoming"), *t;
    const cJSON *last = cJSON_GetObjectItemCaseSensitive(v, "last_run");
    bool paused = cJSON_IsTrue(cJSON_GetObjectItem(v, "paused"));
    bool enabled = cJSON_IsTrue(cJSON_GetObjectItem(v, "enabled"));
    char buf[64];
    int y0 = y, i = 0;

    paint_textf(y++, x, w, !enabled || paused ? PA_WARN : PA_TITLE, "Schedule %s (%s) \xc2\xb7 %s",
                json_str(v, "cron") ? json_str(v, "cron") : "?",
                json_str(v, "timezone") ? json_str(v, "timezone") : "UTC",
                !enabled ? "disabled in the configuration"
                : paused ? "PAUSED"
                         : "active");
    char grace[32], jitter[32];
    long long jitter_s = (long long)json_num(v, "jitter_s", 0);
    paint_textf(y++, x, w, PA_NORMAL, "policy: grace %s, coalesce %s, jitter %s",
                format_duration((long long)json_num(v, "grace_s", 0), grace, sizeof grace),
                cJSON_IsTrue(cJSON_GetObjectItem(v, "coalesce")) ? "on" : "off",
                jitter_s ? format_duration(jitter_s, jitter, sizeof jitter) : "none");
    /* paused, no time fires: they are what resuming would give */
    cJSON_ArrayForEach(t, up)
    {
        char in[32];
        until(i == 0 && !paused ? t->valuestring : NULL, in, sizeof in);
        paint_textf(y++, x, w, PA_NORMAL, "%-*s%s%s", paused ? 11 : 8,
                    i++ > 0 ? "" : paused ? "on resume:" : "next:", json_text(t, buf, sizeof buf),
                    in);
    }
    if (cJSON_IsObject(last))
        paint_textf(y++, x, w, status_attr(json_str(last, "status")),
                    "last run: %.0f %s, started %s by %s", json_num(last, "run", 0),
                    json_str(last, "status"), json_str(last, "started_at"),
                    json_str(last, "actor"));
    else
        paint_text(y++, x, w, "last run: none from the schedule yet", PA_NORMAL);
    paint_textf(y++, x, w,
                json_num(v, "missed", 0) + json_num(v, "skipped", 0) > 0 ? PA_WARN : PA_NORMAL,
                "missed %.0f \xc2\xb7 skipped %.0f (all time)", json_num(v, "missed", 0),
                json_num(v, "skipped", 0));
    return y - y0 + 1;
}

/* What this console's own scheduler thread is doing: a thread stuck on
 * the database publishes nothing, so its heartbeat is read now (ui.c
 * wakes when it falls due). */
static int draw_thread(const struct tui *t, int y, int x, int w)
{
    const struct sched_snapshot *sn = &t->sched_snap;
    struct sched_snapshot beat;
    double stalled;

    if (t->sched == NULL) {
        paint_text(y, x, w, "this console's scheduler: not running (the Log screen says why)",
                   PA_WARN);
        return 1;
    }
    sched_snapshot(t->sched, &beat);
    if ((stalled = sched_stalled(&beat, clock_mono())) > 0) { /* as /health says */
        paint_textf(y, x, w, PA_BAD, "this console's scheduler: stalled \xc2\xb7 stuck for %.0fs, "
                    "claims no fire time", stalled);
        return 1;
    }
    paint_textf(y, x, w, sn->error[0] ? PA_BAD : PA_NORMAL, "this console's scheduler: %s%s%s",
                sn->state[0] ? sn->state : "starting",
                sn->error[0] || sn->last_event[0] ? " \xc2\xb7 " : "",
                sn->error[0] ? sn->error : sn->last_event);
    return 1;
}

static void schedule_draw(struct screen *s, int y, int x, int h, int w)
{
    struct schedule_screen *ss = s->priv;

    if (ss->view == NULL) {
        screen_draw_note(s, y, x, h, w);
        return;
    }
    int used = draw_state(ss, y, x, w);
    used += draw_thread(s->t, y + used - 1, x, w) + 1;
    list_draw(&ss->recent, y + used, x, h - used, w);
}

static void schedule_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct schedule_screen *ss = s->priv;
    cJSON *recent;

    (void)t;
    if (screen_load_failed(s, j))
        return;
    cJSON_Delete(ss->view);
    ss->view = j->json;
    j->json = NULL;
    recent = cJSON_DetachItemFromObjectCaseSensitive(ss->view, "recent");
    list_set_rows(&ss->recent, recent);
}

static void schedule_refresh(struct screen *s)
{
    if (screen_has_command(s, "schedule", "the scheduler"))
        screen_load(s, "schedule --json", schedule_loaded, 0);
}

static struct list *schedule_focus(struct screen *s)
{
    return &((struct schedule_screen *)s->priv)->recent;
}

static const char *schedule_field(struct screen *s, const char *name, char *buf, size_t len)
{
    return screen_list_field(schedule_focus(s), name, buf, len);
}

const struct screen_ops screen_schedule_ops = {
    .init = schedule_init,
    .free = schedule_free,
    .draw = schedule_draw,
    .load = schedule_refresh,
    .focus = schedule_focus,
    .field = schedule_field,
};

/*
 * screen-runs.c — the Runs screen: the run in progress, live, and the
 * history.
 *
 * The top panel is the engine's progress board as of the last wake-up (no
 * query): per source its stage, a progress bar with the share done and an
 * ETA when the source knows its size (an API's total, a file's bytes), the
 * records so far and the rate. It stays after the run, showing how it
 * ended, until the next one. Below it, the history at a glance: one
 * sparkline each for how long the recent runs took, how many rows a second
 * they read and how long the review queue was after them, oldest on the
 * left, the selected run's cell marked; each scaled from 0 to its largest
 * value, which the line prints with the newest. Then `runs --json`: status,
 * trigger, when, how long, and the counts. Enter shows `show-run` for the
 * selected run (per-source counts, drift warnings, quarantine, errors).
 * The charts read the rows the list loaded: no query of their own. f keeps
 * the runs of one status (`runs --status`), charts included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/clock.h"
#include "kasparro/out.h"
#include "kasparro/runview.h"
#include "tui-private.h"

#define HISTORY_MAX 256     /* runs in a chart, at most */
#define HISTORY_ROWS 4      /* a title and three charts */
#define HISTORY_LIST_ROWS 8 /* rows the list below keeps, or no charts */
#define HISTORY_LABEL 9     /* cells before a chart */
#define HISTORY_SUMMARY 30  /* cells after it: "last … · max …" */
#define RUNS_EMPTY "no runs yet; r runs every source now"

struct runs_screen {
    struct list list;
    char status[16]; /* only runs of this status; "" for all */
    char empty[64];  /* what the list says when no run has it */
};

static void fmt_started(const cJSON *row, char *buf, size_t len)
{
    const char *s = json_str(row, "started_at"); /* YYYY-MM-DDTHH:MM:SSZ */
    char at[32];

    s = s ? out_time(s, at, sizeof at) : "-";
    snprintf(buf, len, "%s", strlen(s) >= 16 ? s + 5 : s); /* MM-DD HH:MM */
    if (strlen(buf) > 11)
        buf[11] = '\0';
}

/* 4.2s, 42s, 4m02s, 4h02m: as few cells as say it (not "0m42s") */
static void fmt_span(double secs, char *buf, size_t len)
{
    long s = (long)(secs + 0.5);
    if (secs < 0)
        snprintf(buf, len, "-");
    else if (secs < 9.95)
        snprintf(buf, len, "%.1fs", secs);
    else if (s < 60)
        snprintf(buf, len, "%lds", s);
    else if (s < 3600)
        snprintf(buf, len, "%ldm%02lds", s / 60, s % 60);
    else
        snprintf(buf, len, "%ldh%02ldm", s / 3600, s % 3600 / 60);
}

static void fmt_seconds(const cJSON *row, char *buf, size_t len)
{
    fmt_span(json_num(row, "seconds", -1), buf, len);
}

enum paint_attr status_attr(const char *st)
{
    switch (run_status_parse(st)) { /* a source's statuses are a run's too */
    case RUN_SUCCEEDED:
        return PA_GOOD;
    case RUN_FAILED:
    case RUN_ABANDONED:
        return PA_BAD;
    case RUN_RUNNING:
        return PA_TITLE;
    case RUN_PARTIAL:
    case RUN_INTERRUPTED:
    case RUN_MISSED:
    case RUN_SKIPPED:
        return PA_WARN;
    }
    return PA_NORMAL; /* none, or not a status */
}

static enum paint_attr row_status_attr(const cJSON *row)
{
    return status_attr(json_str(row, "status"));
}

/* A run whose numbers moved far from the previous run's (runcompare.h):
 * "!" in its own column, the first reason where an error would be. */
static bool has_anomaly(const cJSON *row)
{
    return cJSON_GetArraySize(cJSON_GetObjectItem(row, "anomalies")) > 0;
}

static void fmt_anomaly(const cJSON *row, char *buf, size_t len)
{
    snprintf(buf, len, "%s", has_anomaly(row) ? "!" : "");
}

static enum paint_attr anomaly_attr(const cJSON *row)
{
    return has_anomaly(row) ? PA_WARN : PA_NORMAL;
}

static void fmt_error(const cJSON *row, char *buf, size_t len)
{
    const char *e = json_str(row, "error");
    const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(row, "anomalies"), 0);
    const cJSON *silent = cJSON_GetObjectItem(row, "silent_seconds");

    if (e == NULL && cJSON_IsNumber(silent)) { /* left 'running' by a process gone */
        char *said = runview_silence(silent->valuedouble, false, NULL, NULL, ORIGIN_CONSOLE, true);
        snprintf(buf, len, "%s (Enter: why)", said);
        free(said);
    } else if (e == NULL && cJSON_IsString(a))
        snprintf(buf, len, "anomaly: %s", a->valuestring);
    else
        snprintf(buf, len, "%s", e ? e : "");
}

/* What matching did: "merged/queued", in warning colour when the model
 * warned in that run (show-run says what); empty when matching did not
 * run. */
static void fmt_matched(const cJSON *row, char *buf, size_t len)
{
    if (cJSON_IsNumber(cJSON_GetObjectItem(row, "merged")))
        snprintf(buf, len, "%.0f/%.0f", json_num(row, "merged", 0), json_num(row, "queued", 0));
    else
        snprintf(buf, len, "-");
}

static enum paint_attr match_attr(const cJSON *row)
{
    return json_num(row, "match_warnings", 0) > 0 ? PA_WARN : PA_NORMAL;
}

/* The records deleted, and what became of the deletions held ("held 50",
 * "applied 50", "discarded", "superseded"; runview_deleted), in warning
 * colour while some wait for a decision. */
static void fmt_deleted(const cJSON *row, char *buf, size_t len)
{
    const char *d = json_str(row, "deletions");
    char n[32];

    if (d == NULL) /* "-" for a fire time that never ran */
        d = json_text(cJSON_GetObjectItem(row, "soft_deleted"), n, sizeof n);
    snprintf(buf, len, "%s", d);
}

static enum paint_attr deleted_attr(const cJSON *row)
{
    const cJSON *h;

    cJSON_ArrayForEach(h, cJSON_GetObjectItem(row, "holds"))
        if (cJSON_IsNull(cJSON_GetObjectItem(h, "decision")))
            return PA_WARN;
    return PA_NORMAL;
}

/* A pane too narrow for them all leaves columns out as `kasparro runs`
 * does on a terminal: TRIGGER, UPD and SAME, then TIME and MATCHED, so
 * that ERROR keeps room to say what it is about and a long DEL ("3, held
 * 50") pushes no count off the edge. Enter shows the run whole. What a
 * first load grows, FETCHED and NEW, keeps room for seven and six digits:
 * the run in progress fills them without moving the columns; so do the
 * counts a re-read grows, UPD and SAME (five and six), and TIME (six
 * cells), wherever that room costs no column (LC_ROOMY): a refresh moves
 * no column a digit. (At 80 columns their room would leave TRIGGER out.) */
static const struct list_col run_cols[] = {
    {"anomalies", "!", 1, 0, fmt_anomaly, anomaly_attr},
    {"id", "RUN", 4, LC_RIGHT, NULL, NULL},
    {"status", "STATUS", 11, 0, NULL, row_status_attr},
    {"trigger", "TRIGGER", 8, LC_OPTIONAL, NULL, NULL},
    {"started_at", "STARTED", 11, 0, fmt_started, NULL},
    {"seconds", "TIME", 6, LC_RIGHT | LC_OPTIONAL | COL_RANK(1) | LC_ROOMY, fmt_seconds, NULL},
    {"fetched", "FETCHED", 7, LC_RIGHT | LC_STEADY, NULL, NULL},
    {"inserted", "NEW", 6, LC_RIGHT | LC_STEADY, NULL, NULL},
    {"updated", "UPD", 5, LC_RIGHT | LC_OPTIONAL | LC_ROOMY, NULL, NULL},
    {"unchanged", "SAME", 6, LC_RIGHT | LC_OPTIONAL | LC_ROOMY, NULL, NULL},
    {"quarantined", "BAD", 3, LC_RIGHT, NULL, NULL},
    {"soft_deleted", "DEL", 3, LC_RIGHT, fmt_deleted, deleted_attr},
    {"merged", "MATCHED", 7, LC_RIGHT | LC_OPTIONAL | COL_RANK(1), fmt_matched, match_attr},
    {"error", "ERROR", 0, LC_FLEX | LC_KEEPS_END, fmt_error, NULL},
};

static void runs_init(struct screen *s)
{
    struct runs_screen *rs = xcalloc(1, sizeof *rs);
    list_init(&rs->list, run_cols, (int)ARRAY_SIZE(run_cols), "id", RUNS_EMPTY);
    s->priv = rs;
}

static void runs_free(struct screen *s)
{
    struct runs_screen *rs = s->priv;
    list_free(&rs->list);
    free(rs);
}

/* The share of a source done, when it can be known; -1 otherwise. */
static double source_done(const struct progress_source *ps)
{
    if (ps->finished > 0 && run_status_parse(ps->status) == RUN_SUCCEEDED)
        return 1;
    if (ps->total > 0)
        return (double)ps->fetched / (double)ps->total;
    if (ps->size > 0)
        return (double)ps->bytes / (double)ps->size;
    return -1;
}

static void draw_source(const struct progress_source *ps, double now, int y, int x, int w)
{
    double frac = source_done(ps), rate = progress_rate(ps, now);
    /* the bar takes what the counts and "ETA 59m59s" leave (67 cells with
     * the name and stage): at 80 columns the ETA was cut */
    int bar = w - 67 > 30 ? 30 : w - 67;
    char eta[32] = "", span[16];
    int cx = x + 2;

    paint_cell(y, cx, 14, ps->name, false, PA_NORMAL);
    cx += 15;
    paint_cell(y, cx, 9, ps->finished > 0 && ps->status[0] ? ps->status : ps->stage, false,
               status_attr(ps->finished > 0 ? ps->status : NULL));
    cx += 10;
    if (frac >= 0 && bar >= 6) {
        paint_bar(y, cx, bar, frac);
        paint_textf(y, cx + bar + 1, 4, PA_NORMAL, "%3.0f%%", frac * 100);
    }
    cx += (bar >= 6 ? bar : 0) + 6;
    if (ps->finished <= 0 && frac > 0.001 && frac < 1 && ps->started > 0) {
        fmt_span((now - ps->started) * (1 - frac) / frac, span, sizeof span);
        snprintf(eta, sizeof eta, "ETA %5s", span); /* 59s after 1m00s: no cell erased */
    }
    paint_textf(y, cx, x + w - cx, PA_NORMAL, "%9lld rec %7.0f/s %s", ps->fetched, rate, eta);
}

/* The recent runs that ran (not a fire time missed or skipped, not one
 * still going or abandoned), oldest first, as three series. */
struct history {
    int n;
    double secs[HISTORY_MAX], rate[HISTORY_MAX], queue[HISTORY_MAX];
    enum paint_attr attr[HISTORY_MAX];
};

static bool run_ran(const cJSON *row)
{
    switch (run_status_parse(json_str(row, "status"))) {
    case RUN_SUCCEEDED:
    case RUN_PARTIAL:
    case RUN_FAILED:
    case RUN_INTERRUPTED:
        return true;
    default:
        return false;
    }
}

/* At most `max` runs from the loaded rows (newest first), the selected
 * run's cells marked. */
static void history_collect(const struct list *l, int max, struct history *hs)
{
    const cJSON *sel = list_selected(l), *r;
    double sel_id = sel ? json_num(sel, "id", -1) : -1;
    int k = 0;

    if (max > HISTORY_MAX)
        max = HISTORY_MAX;
    cJSON_ArrayForEach(r, l->all) {
        if (k >= max)
            break;
        if (run_ran(r))
            k++;
    }
    hs->n = k;
    cJSON_ArrayForEach(r, l->all) {
        if (k == 0)
            break;
        if (!run_ran(r))
            continue;
        double secs = json_num(r, "seconds", 0);
        k--; /* newest first in, oldest first out */
        hs->secs[k] = secs;
        hs->rate[k] = secs > 0 ? json_num(r, "fetched", 0) / secs : 0;
        hs->queue[k] = json_num(r, "queue_depth", -1);
        hs->attr[k] = json_num(r, "id", 0) == sel_id ? PA_SELECTED
                                                     : status_attr(json_str(r, "status"));
    }
}

static double series_max(const double *v, int n)
{
    double max = 0;
    for (int i = 0; i < n; i++)
        if (v[i] > max)
            max = v[i];
    return max;
}

static void fmt_rate(double v, char *buf, size_t len)
{
    char n[32];
    snprintf(buf, len, "%s/s", out_count((long long)(v + 0.5), n, sizeof n));
}

static void fmt_depth(double v, char *buf, size_t len)
{
    if (v < 0)
        snprintf(buf, len, "-");
    else
        out_count((long long)v, buf, len);
}

/* One chart: its label, the cells, then the newest value and the largest. */
static void draw_series(int y, int x, int w, const char *label, const double *v,
                        const struct history *hs, void (*fmt)(double, char *, size_t))
{
    double max = series_max(v, hs->n);
    char last[32], most[32];

    paint_text(y, x + 2, HISTORY_LABEL - 2, label, PA_HEADER);
    paint_spark(y, x + HISTORY_LABEL, v, hs->attr, hs->n, max);
    fmt(v[hs->n - 1], last, sizeof last);
    fmt(max, most, sizeof most);
    paint_textf(y, x + HISTORY_LABEL + hs->n + 2, w - HISTORY_LABEL - hs->n - 2, PA_NORMAL,
                "last %s \xc2\xb7 max %s", last, most);
}

/* The charts, when two runs or more ran and there is room; rows used. */
static int draw_history(const struct list *l, int y, int x, int h, int w)
{
    struct history hs;

    if (h < HISTORY_ROWS + HISTORY_LIST_ROWS || w < HISTORY_LABEL + HISTORY_SUMMARY + 8)
        return 0;
    history_collect(l, w - HISTORY_LABEL - HISTORY_SUMMARY, &hs);
    if (hs.n < 2)
        return 0;
    paint_textf(y, x, w, PA_TITLE, "The last %d runs, oldest on the left, the selected one marked",
                hs.n);
    draw_series(y + 1, x, w, "time", hs.secs, &hs, fmt_span);
    draw_series(y + 2, x, w, "rows/s", hs.rate, &hs, fmt_rate);
    draw_series(y + 3, x, w, "queue", hs.queue, &hs, fmt_depth);
    return HISTORY_ROWS;
}

/* The run's error as the list loaded it, which says what became of the
 * deletions it held once they were decided (runview_error); the error
 * the run ended with until the list has the run. */
static const char *active_error(const struct progress *p, const struct list *l)
{
    const cJSON *r;

    cJSON_ArrayForEach(r, l->all)
        if (json_num(r, "id", 0) == (double)p->run_id)
            return json_str(r, "error") ? json_str(r, "error") : "";
    return p->error;
}

/* The run this console's engine is doing (or did last), or a newer one
 * another process carries (elsewhere.c); rows used. */
static int draw_active(struct tui *t, const struct list *l, int y, int x, int h, int w)
{
    const struct progress *p = elsewhere_board(t);
    double now = clock_now(), end = p->active ? now : p->finished;
    const char *error = p->active ? "" : active_error(p, l);
    char span[16], stage[sizeof p->stage + sizeof p->step + 2];
    int rows = 1;

    if (p->run_id <= 0 || h < 6)
        return 0;
    /* at least four cells, so that 9.9s becomes " 11s": a tick rewrites
     * the digits that changed and erases nothing */
    fmt_span(p->started > 0 ? end - p->started : 0, span, sizeof span);
    /* what the stage does now (matching: "dedup: scoring 12345 pairs"),
     * as the sources' rows below say what loading does */
    bool silent = elsewhere_silence(t, p, stage, sizeof stage); /* its process died, or hangs */
    if (!silent)
        snprintf(stage, sizeof stage, "%s%s%s", p->active ? p->stage : "finished",
                 p->active && p->step[0] ? ": " : "", p->active ? p->step : "");
    paint_textf(y, x, w, silent ? PA_WARN : p->active ? PA_TITLE : status_attr(p->status),
                "Run %lld %s \xc2\xb7 %s by %s \xc2\xb7 %s \xc2\xb7 %4s", p->run_id,
                p->active ? "running" : p->status, p->trigger, p->actor, stage, span);
    for (int i = 0; i < p->nsources && rows < h / 2; i++, rows++)
        draw_source(&p->sources[i], p->active ? now : end, y + rows, x, w);
    if (error[0] && rows < h / 2)
        paint_text(y + rows++, x + 2, w - 2, error, PA_BAD);
    if (silent && rows < h / 2)
        paint_text(y + rows++, x + 2, w - 2, "Enter on its row says why and how it is cleared",
                   PA_WARN);
    return rows + 1;
}

/* The run going (here or elsewhere) has taken until now: its row, as
 * last loaded, said how long it had taken then, and stayed there while a
 * source or matching took its time (2.0s under a header counting 14s). */
static void active_row_time(const struct progress *p, struct list *l)
{
    cJSON *r;

    if (!p->active || p->started <= 0 || l->rows == NULL)
        return;
    cJSON_ArrayForEach(r, l->rows)
        if (json_num(r, "id", 0) == (double)p->run_id) {
            cJSON_ReplaceItemInObject(r, "seconds", cJSON_CreateNumber(clock_now() - p->started));
            return;
        }
}

static void runs_draw(struct screen *s, int y, int x, int h, int w)
{
    struct runs_screen *rs = s->priv;
    int used = draw_active(s->t, &rs->list, y, x, h, w);

    active_row_time(elsewhere_board(s->t), &rs->list);
    if (rs->list.rows == NULL && s->note[0]) {
        screen_draw_note(s, y + used, x, h - used, w);
        return;
    }
    if (rs->status[0] && h - used > 2)
        paint_textf(y + used++, x, w, PA_TITLE, "Only %s runs (f, then Enter, shows all)",
                    rs->status);
    used += draw_history(&rs->list, y + used, x, h - used, w);
    list_draw(&rs->list, y + used, x, h - used, w);
}

static void runs_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct runs_screen *rs = s->priv;

    (void)t;
    screen_take_rows(s, j, &rs->list);
}

static void runs_refresh(struct screen *s)
{
    struct runs_screen *rs = s->priv;
    char line[96];

    snprintf(line, sizeof line, "runs --json --limit 500%s%s", rs->status[0] ? " --status " : "",
             rs->status);
    screen_load(s, line, runs_loaded, 0);
}

static int runs_filter(struct screen *s, const char *arg, struct err *err)
{
    struct runs_screen *rs = s->priv;

    if (arg != NULL && *arg != '\0' && run_status_parse(arg) < 0) {
        struct buf names = BUF_INIT;
        run_status_list(&names);
        err_code(err, EXIT_USAGE, "the Runs screen keeps the runs of one status (%s), not '%s'",
                 names.data, arg);
        buf_free(&names);
        return -1;
    }
    snprintf(rs->status, sizeof rs->status, "%s", arg ? arg : "");
    snprintf(rs->empty, sizeof rs->empty, "no %s runs", rs->status);
    rs->list.empty = rs->status[0] ? rs->empty : RUNS_EMPTY;
    runs_refresh(s);
    return 0;
}

static struct list *runs_focus(struct screen *s) { return &((struct runs_screen *)s->priv)->list; }

/* {running}: the run this console's engine is doing, which C cancels;
 * with none, C says so at once ("no_running") rather than ask first and
 * then say there was none to cancel. */
static const char *runs_field(struct screen *s, const char *name, char *buf, size_t len)
{
    const struct tui *t = s->t;
    bool busy = t->engine != NULL && engine_busy(t->engine);

    if (strcmp(name, "running") == 0) {
        if (!busy || !t->prog.active || t->prog.run_id <= 0)
            return NULL;
        snprintf(buf, len, "%lld", t->prog.run_id);
        return buf;
    }
    if (strcmp(name, "no_running") == 0)
        return busy ? "a run is starting: C cancels it once the board shows it"
                    : "no run is in progress in this console";
    return screen_list_field(runs_focus(s), name, buf, len);
}

static void runs_complete(struct screen *s, enum cmd_arg_kind kind, void (*add)(const char *word))
{
    if (kind == ARG_RUN)
        screen_complete_list(runs_focus(s), "id", add);
}

const struct screen_ops screen_runs_ops = {
    .init = runs_init,
    .free = runs_free,
    .draw = runs_draw,
    .load = runs_refresh,
    .focus = runs_focus,
    .field = runs_field,
    .filter = runs_filter,
    .complete = runs_complete,
};

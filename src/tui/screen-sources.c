/*
 * screen-sources.c — the Sources screen: each configured source, what the
 * database knows of it, and how its last run went.
 *
 * The list is `sources --json` (records, checkpoint, last run, drift
 * count). Below it, the selected source in detail: its configuration (read
 * from the loaded config, no query), its checkpoint, and the drift warnings
 * of its last run, loaded with `show-run RUN --json`. r runs this source
 * now, R a full run. A source removed from the configuration whose records
 * are still live (`sources` lists it after the others, "configured":
 * false) is named in the warning colour, with no settings and what
 * `retire` does about it; X retires it, after a question.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/source.h"
#include "tui-private.h"

struct sources_screen {
    struct list list;
    cJSON *last_run; /* show-run of the selected source's last run */
    long long last_run_id;
};

static void fmt_sync(const cJSON *row, char *buf, size_t len)
{
    const char *s = json_str(row, "sync");
    snprintf(buf, len, "%s", s && strcmp(s, "incremental") == 0 ? "incr" : s ? s : "-");
}

static enum paint_attr last_status_attr(const cJSON *row)
{
    return status_attr(json_str(row, "last_status"));
}

static bool removed(const cJSON *row)
{
    return cJSON_IsFalse(cJSON_GetObjectItem(row, "configured"));
}

static enum paint_attr name_attr(const cJSON *row)
{
    return removed(row) ? PA_WARN : PA_NORMAL;
}

static const struct list_col source_cols[] = {
    {"name", "SOURCE", 16, 0, NULL, name_attr},
    {"kind", "KIND", 9, 0, NULL, NULL},
    {"sync", "SYNC", 4, 0, fmt_sync, NULL},
    {"enabled", "ON", 3, 0, NULL, NULL},
    {"records", "RECORDS", 8, LC_RIGHT, NULL, NULL},
    {"deleted", "DEL", 6, LC_RIGHT, NULL, NULL},
    {"last_run", "RUN", 5, LC_RIGHT, NULL, NULL},
    {"last_status", "STATUS", 9, 0, NULL, last_status_attr},
    {"drift_warnings", "DRIFT", 5, LC_RIGHT, NULL, NULL},
    {"last_error", "ERROR", 0, LC_FLEX, NULL, NULL},
};

static void sources_init(struct screen *s)
{
    struct sources_screen *ss = xcalloc(1, sizeof *ss);
    list_init(&ss->list, source_cols, (int)ARRAY_SIZE(source_cols), "name",
              "no sources are configured");
    s->priv = ss;
}

static void sources_free(struct screen *s)
{
    struct sources_screen *ss = s->priv;
    list_free(&ss->list);
    cJSON_Delete(ss->last_run);
    free(ss);
}

/* "3 fields mapped", or "mapped automatically" for a source without map.
 * lines (each field from the column or key of its own name). */
static const char *mapped_text(const struct source_cfg *src, char *out, size_t len)
{
    if (src->nmaps == 0)
        return "mapped automatically";
    snprintf(out, len, "%zu fields mapped", src->nmaps);
    return out;
}

#define DETAIL_WRAP 3 /* rows a detail line may take, at most */

/* A detail line, `indent` cells in: wrapped over the rows left (at most
 * DETAIL_WRAP) rather than cut at the pane's edge, so a wide terminal
 * shows as much of it as it has room for. */
static void PRINTF_LIKE(7, 8) detail_line(int *y, int end, int x, int w, int indent,
                                          enum paint_attr a, const char *fmt, ...)
{
    va_list ap;
    char *text;
    int max = end - *y < DETAIL_WRAP ? end - *y : DETAIL_WRAP;

    if (max <= 0)
        return;
    va_start(ap, fmt);
    text = xvasprintf(fmt, ap);
    va_end(ap);
    *y += paint_wrap(*y, x + indent, w - indent, max, text, a);
    free(text);
}

/* Where the source reads, how, its id and mapping: one line, wrapped when
 * wider than the pane, or, when the location alone is wider than a line,
 * two: the location keeps its end, the file's name, and gives up the
 * folders it is in. */
static void config_lines(const struct config *cfg, const struct source_cfg *src, int *y, int end,
                         int x, int w)
{
    char buf[32];
    struct buf how = BUF_INIT;
    const char *file = src->kind == SRC_CSV ? "file " : "";
    int room = w - 2 - (int)strlen(file);

    config_source_describe(src, &how);
    char *loc = source_location(cfg, src);
    const char *mapped = mapped_text(src, buf, sizeof buf);
    size_t cells = utf8_width(loc);
    if (room > 1 && cells > (size_t)room && *y + 1 < end) {
        paint_textf((*y)++, x, w, PA_NORMAL, "  %s\xe2\x80\xa6%s", file,
                    loc + utf8_skip(loc, cells - (size_t)room + 1));
        detail_line(y, end, x, w, 2, PA_NORMAL, "%s \xc2\xb7 id %s \xc2\xb7 %s", buf_str(&how),
                    src->id_field ? src->id_field : "-", mapped);
    } else {
        detail_line(y, end, x, w, 2, PA_NORMAL, "%s%s \xc2\xb7 %s \xc2\xb7 id %s \xc2\xb7 %s", file, loc,
                    buf_str(&how), src->id_field ? src->id_field : "-", mapped);
    }
    buf_free(&how);
    free(loc);
}

/* The drift warnings of this source in its last run. */
static const cJSON *source_drift(const struct sources_screen *ss, const char *name)
{
    const cJSON *srcs = cJSON_GetObjectItemCaseSensitive(ss->last_run, "sources"), *s;

    cJSON_ArrayForEach(s, srcs) if (str_eq(json_str(s, "source"),
                                           name)) return cJSON_GetObjectItemCaseSensitive(s,
                                                                                          "drift");
    return NULL;
}

/* A source removed from the configuration: what it left, and its note
 * (what `retire` does about it). */
static void draw_removed(const cJSON *row, int y, int x, int h, int w)
{
    const char *name = json_str(row, "name");
    int end = y + h;

    paint_textf(y++, x, w, PA_TITLE, "%s \xc2\xb7 not in the configuration", name ? name : "?");
    const char *note = json_str(row, "last_error"), *status = json_str(row, "last_status");
    detail_line(&y, end, x, w, 2, PA_WARN, "%s", note ? note : "");
    if (y < end && status != NULL)
        paint_textf(y++, x, w, PA_NORMAL,
                    "  %.0f live, %.0f deleted records \xc2\xb7 last read by run %.0f: %s",
                    json_num(row, "records", 0), json_num(row, "deleted", 0),
                    json_num(row, "last_run", 0), status);
    else if (y < end)
        paint_textf(y++, x, w, PA_NORMAL, "  %.0f live, %.0f deleted records",
                    json_num(row, "records", 0), json_num(row, "deleted", 0));
}

static void draw_detail(struct screen *s, const cJSON *row, int y, int x, int h, int w)
{
    struct sources_screen *ss = s->priv;
    const char *name = json_str(row, "name");
    const struct source_cfg *src = name ? config_source(s->t->ctx->cfg, name) : NULL;
    int end = y + h;

    if (removed(row)) {
        draw_removed(row, y, x, h, w);
        return;
    }

    paint_textf(y++, x, w, PA_TITLE, "%s \xc2\xb7 %s, %s sync%s", name ? name : "?",
                json_str(row, "kind") ? json_str(row, "kind") : "?",
                json_str(row, "sync") ? json_str(row, "sync") : "?",
                cJSON_IsTrue(cJSON_GetObjectItem(row, "enabled")) ? "" : " (disabled)");
    if (src != NULL)
        config_lines(s->t->ctx->cfg, src, &y, end, x, w);
    const char *synced = json_str(row, "last_full_sync");
    char at[32];
    char cursor[512]; /* an API's cursor may be long: the line wraps */
    detail_line(&y, end, x, w, 2, PA_NORMAL,
                "checkpoint: cursor %s \xc2\xb7 unfinished read %s \xc2\xb7 last full sync %s",
                json_text(cJSON_GetObjectItem(row, "cursor"), cursor, sizeof cursor),
                cJSON_IsTrue(cJSON_GetObjectItem(row, "resumable")) ? "yes" : "no",
                synced ? out_time(synced, at, sizeof at) : "never");
    if (json_str(row, "last_status") != NULL)
        detail_line(&y, end, x, w, 2, status_attr(json_str(row, "last_status")),
                    "last run %.0f: %s%s%s", json_num(row, "last_run", 0),
                    json_str(row, "last_status"), json_str(row, "last_error") ? ": " : "",
                    json_str(row, "last_error") ? json_str(row, "last_error") : "");
    if (json_str(row, "last_incomplete") != NULL)
        detail_line(&y, end, x, w, 2, PA_WARN, "not a complete read, so nothing was deleted: %s",
                    json_str(row, "last_incomplete"));
    const cJSON *drift = source_drift(ss, name), *d;
    if (cJSON_GetArraySize(drift) > 0)
        detail_line(&y, end, x, w, 2, PA_WARN, "drift warnings in run %lld:", ss->last_run_id);
    cJSON_ArrayForEach(d, drift)
        detail_line(&y, end, x, w, 4, PA_WARN, "%s", json_str(d, "message"));
}

static void sources_draw(struct screen *s, int y, int x, int h, int w)
{
    struct sources_screen *ss = s->priv;
    int top = screen_split(h);
    const cJSON *row = list_selected(&ss->list);

    if (ss->list.rows == NULL && s->note[0]) {
        screen_draw_note(s, y, x, h, w);
        return;
    }
    list_draw(&ss->list, y, x, top, w);
    if (row != NULL && h - top > 2)
        draw_detail(s, row, y + top + 1, x, h - top - 1, w);
}

static void last_run_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct sources_screen *ss = s->priv;

    (void)t;
    if (j->rc != EXIT_OK || j->json == NULL || j->tag != ss->last_run_id)
        return;
    cJSON_Delete(ss->last_run);
    ss->last_run = j->json;
    j->json = NULL;
}

/* Loads the selected source's last run, for its drift warnings. */
static void sources_selected(struct screen *s)
{
    struct sources_screen *ss = s->priv;
    const cJSON *row = list_selected(&ss->list);

    screen_load_detail(s, "show-run", row ? (long long)json_num(row, "last_run", 0) : 0,
                       &ss->last_run_id, last_run_loaded);
}

static void sources_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct sources_screen *ss = s->priv;

    (void)t;
    if (!screen_take_rows(s, j, &ss->list))
        return;
    ss->last_run_id = 0; /* its last run may have changed */
    sources_selected(s);
}

static void sources_refresh(struct screen *s)
{
    screen_load(s, "sources --json", sources_loaded, 0);
}

static struct list *sources_focus(struct screen *s)
{
    return &((struct sources_screen *)s->priv)->list;
}

static const char *sources_field(struct screen *s, const char *name, char *buf, size_t len)
{
    return screen_list_field(sources_focus(s), name, buf, len);
}

/* Source names, the removed ones included (which `retire` takes). */
static void sources_complete(struct screen *s, enum cmd_arg_kind kind,
                             void (*add)(const char *word))
{
    if (kind == ARG_SOURCE)
        screen_complete_list(sources_focus(s), "name", add);
}

const struct screen_ops screen_sources_ops = {
    .init = sources_init,
    .free = sources_free,
    .draw = sources_draw,
    .load = sources_refresh,
    .focus = sources_focus,
    .field = sources_field,
    .selected = sources_selected,
    .complete = sources_complete,
};

/*
 * screen-log.c — the Log screen: the engine's (and everyone's) log lines.
 *
 * Lines arrive through the log sink (logq.c) and are kept here, the newest
 * LOG_KEEP of them. The screen shows those at or above a chosen level
 * (`filter debug|info|warn|error`, keys d/i/w/e); choosing a level below
 * the logger's threshold lowers the threshold, so `d` really brings debug
 * lines. The view follows new lines while the selection is on the last one.
 * Enter shows the selected line's whole message (`echo {msg}`).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui-private.h"

#define LOG_KEEP 5000
#define LOG_EMPTY "no log lines yet"

struct kept {
    struct log_entry *e;
    bool shown; /* passes the filter: it has a row in the list */
};

struct log_screen {
    struct kept ring[LOG_KEEP];
    int head, n;
    enum log_level min;
    struct list list;
    char empty[96]; /* what the list says when the level hides every line */
};

static void fmt_time(const cJSON *row, char *buf, size_t len)
{
    time_t secs = (time_t)json_num(row, "time", 0);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(buf, len, "%H:%M:%S", &tm);
}

static enum paint_attr level_attr(const cJSON *row)
{
    const char *l = json_str(row, "level");
    if (l != NULL && strcmp(l, "error") == 0)
        return PA_BAD;
    if (l != NULL && strcmp(l, "warn") == 0)
        return PA_WARN;
    if (l != NULL && strcmp(l, "debug") == 0)
        return PA_DIM;
    return PA_NORMAL;
}

static const struct list_col log_cols[] = {
    {"time", "TIME", 8, 0, fmt_time, NULL},
    {"level", "LEVEL", 5, 0, NULL, level_attr},
    {"run", "RUN", 4, LC_RIGHT, NULL, NULL},
    {"source", "SOURCE", 14, 0, NULL, NULL},
    {"msg", "MESSAGE", 20, LC_FLEX, NULL, level_attr},
};

static cJSON *entry_row(const struct log_entry *e)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "time", e->time);
    cJSON_AddStringToObject(o, "level", log_level_name(e->level));
    if (e->run_id > 0)
        cJSON_AddNumberToObject(o, "run", (double)e->run_id);
    else
        cJSON_AddNullToObject(o, "run");
    if (e->source != NULL)
        cJSON_AddStringToObject(o, "source", e->source);
    else
        cJSON_AddNullToObject(o, "source");
    cJSON_AddStringToObject(o, "msg", e->msg);
    return o;
}

static void show(struct log_screen *ls, struct kept *k)
{
    k->shown = k->e->level >= ls->min;
    if (!k->shown)
        return;
    if (ls->list.rows == NULL)
        ls->list.rows = cJSON_CreateArray();
    cJSON_AddItemToArray(ls->list.rows, entry_row(k->e));
    ls->list.n++;
}

static void rebuild(struct log_screen *ls)
{
    list_set_rows(&ls->list, NULL);
    for (int i = 0; i < ls->n; i++)
        show(ls, &ls->ring[(ls->head + i) % LOG_KEEP]);
    ls->list.sel = ls->list.n > 0 ? ls->list.n - 1 : 0;
}

/* Drops the oldest line (and its row). */
static void drop_oldest(struct log_screen *ls)
{
    struct kept *k = &ls->ring[ls->head];

    if (k->shown) {
        cJSON_DeleteItemFromArray(ls->list.rows, 0);
        ls->list.n--;
        ls->list.sel = ls->list.sel > 0 ? ls->list.sel - 1 : 0;
        ls->list.top = ls->list.top > 0 ? ls->list.top - 1 : 0;
    }
    log_entry_free(k->e);
    ls->head = (ls->head + 1) % LOG_KEEP;
    ls->n--;
}

void screen_log_append(struct screen *s, struct log_entry *list)
{
    struct log_screen *ls = s->priv;
    bool follow = ls->list.n == 0 || ls->list.sel >= ls->list.n - 1;

    for (struct log_entry *e = list, *next; e != NULL; e = next) {
        next = e->next;
        e->next = NULL;
        if (ls->n == LOG_KEEP)
            drop_oldest(ls);
        struct kept *k = &ls->ring[(ls->head + ls->n) % LOG_KEEP];
        k->e = e;
        ls->n++;
        show(ls, k);
    }
    if (follow && ls->list.n > 0)
        ls->list.sel = ls->list.n - 1;
    if (s->t->cur == SCREEN_LOG)
        s->t->dirty = true;
}

static void log_init_screen(struct screen *s)
{
    struct log_screen *ls = xcalloc(1, sizeof *ls);

    ls->min = log_get_level();
    list_init(&ls->list, log_cols, (int)ARRAY_SIZE(log_cols), NULL, LOG_EMPTY);
    ls->list.own_rows = true; /* appended line by line; filtered by level */
    s->priv = ls;
}

static void log_free(struct screen *s)
{
    struct log_screen *ls = s->priv;

    while (ls->n > 0)
        drop_oldest(ls);
    list_free(&ls->list);
    free(ls);
}

static void log_draw(struct screen *s, int y, int x, int h, int w)
{
    struct log_screen *ls = s->priv;

    paint_textf(y, x, w, PA_TITLE, "Log: %s and above (d i w e choose)", log_level_name(ls->min));
    /* lines kept, all below the level: said so, not "no log lines yet" */
    snprintf(ls->empty, sizeof ls->empty,
             "no line at %s or above; %d below it (d shows every line)", log_level_name(ls->min),
             ls->n);
    ls->list.empty = ls->n > 0 ? ls->empty : LOG_EMPTY;
    list_draw(&ls->list, y + 1, x, h - 1, w);
}

static void log_refresh(struct screen *s) { s->stale = false; }

static struct list *log_focus(struct screen *s) { return &((struct log_screen *)s->priv)->list; }

static int log_filter(struct screen *s, const char *arg, struct err *err)
{
    struct log_screen *ls = s->priv;
    int level = log_parse_level(arg);

    if (level < 0)
        return err_code(err, EXIT_USAGE, "unknown log level '%s' (debug, info, warn, error)",
                        arg ? arg : "");
    ls->min = (enum log_level)level;
    if (ls->min < log_get_level())
        log_set_level(ls->min);
    rebuild(ls);
    return 0;
}

/* {msg} and the other columns of the selected line, for bindings (Enter
 * shows the whole message, which a narrow terminal cuts). */
static const char *log_field(struct screen *s, const char *name, char *buf, size_t len)
{
    return screen_list_field(log_focus(s), name, buf, len);
}

const struct screen_ops screen_log_ops = {
    .init = log_init_screen,
    .free = log_free,
    .draw = log_draw,
    .load = log_refresh,
    .focus = log_focus,
    .filter = log_filter,
    .field = log_field,
};

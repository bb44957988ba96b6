/*
 * screen.c — the screens: switching between them and loading their data.
 *
 * A screen is a struct screen_ops (screen-*.c): it draws itself from what
 * it last loaded and knows which commands load it. Loading goes through
 * the command worker: screen_load() submits a `--json` listing command and
 * the screen's callback gets the parsed array on the UI thread. A screen
 * whose data changed in the database while it was hidden is only marked
 * stale, and reloads when it is shown again; the one on screen reloads at
 * once. A load asked for while the same load is in flight is remembered
 * and done once afterwards, so a burst of notifications costs one query.
 *
 * When a screen's command does not exist in this build (its part of
 * kasparro has not landed), the screen says so instead of failing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/utf8.h"
#include "kasparro/out.h"
#include "tui-private.h"

#define SCREEN_ROW(id, name, title) {&screen_##name##_ops, #name, title},
static const struct {
    const struct screen_ops *ops;
    const char *name, *title;
} all_screens[NSCREENS] = {TUI_SCREENS(SCREEN_ROW)};
#undef SCREEN_ROW

const char *const *tui_screen_names(void)
{
    static const char *names[NSCREENS + 1];
    for (int i = 0; i < NSCREENS; i++)
        names[i] = all_screens[i].name;
    return names;
}

void screens_init(struct tui *t)
{
    for (int i = 0; i < NSCREENS; i++) {
        struct screen *s = &t->screens[i];
        memset(s, 0, sizeof *s);
        s->ops = all_screens[i].ops;
        s->id = (enum screen_id)i;
        s->name = all_screens[i].name;
        s->title = all_screens[i].title;
        s->t = t;
        s->stale = true;
        if (s->ops->init != NULL)
            s->ops->init(s);
    }
}

void screens_free(struct tui *t)
{
    for (int i = 0; i < NSCREENS; i++)
        if (t->screens[i].ops != NULL && t->screens[i].ops->free != NULL)
            t->screens[i].ops->free(&t->screens[i]);
}

static int screen_index(const char *which, int cur, struct err *err)
{
    long long n;

    if (strcmp(which, "next") == 0)
        return (cur + 1) % NSCREENS;
    if (strcmp(which, "previous") == 0 || strcmp(which, "prev") == 0)
        return (cur + NSCREENS - 1) % NSCREENS;
    if (cmd_parse_ll(which, &n) && n >= 1 && n <= NSCREENS)
        return (int)n - 1;
    for (int i = 0; i < NSCREENS; i++)
        if (strcmp(all_screens[i].name, which) == 0)
            return i;
    /* the choices come from the screens themselves, so a new one is named */
    struct buf names = BUF_INIT;
    for (int i = 0; i < NSCREENS; i++)
        buf_printf(&names, "%s, ", all_screens[i].name);
    err_code(err, EXIT_USAGE, "unknown screen '%s' (%s1-%d, next or previous)", which, names.data,
             NSCREENS);
    buf_free(&names);
    return -1;
}

void screen_show(struct tui *t, int i)
{
    struct screen *s = &t->screens[i];

    t->cur = i;
    pager_free(t->pager);
    t->pager = NULL;
    if (s->ops->enter != NULL)
        s->ops->enter(s);
    if (s->stale)
        s->ops->load(s);
    t->dirty = true;
}

int tui_screen_select(struct tui *t, const char *which, struct err *err)
{
    int i = screen_index(which, t->cur, err);

    if (i < 0)
        return -1;
    screen_show(t, i);
    return 0;
}

/* ---- loading ---- */

struct load {
    struct screen *s;
    job_done_fn done;
    bool counted; /* a screen's main load (tag 0), which is coalesced */
};

static void load_done(struct tui *t, struct job *j)
{
    struct load *ld = j->arg;
    struct screen *s = ld->s;

    if (ld->counted)
        s->loading--;
    j->arg = s; /* what the screen's callback works on */
    ld->done(t, j);
    if (s->again && s->loading == 0) {
        s->again = false;
        s->ops->load(s);
    }
    free(ld);
    t->dirty = true;
}

bool screen_load(struct screen *s, const char *line, job_done_fn done, long long tag)
{
    struct load *ld;

    if (s->loading > 0 && tag == 0) {
        s->again = true;
        return false;
    }
    ld = xcalloc(1, sizeof *ld);
    ld->s = s;
    ld->done = done;
    ld->counted = tag == 0;
    if (ld->counted) {
        s->loading++;
        s->stale = false;
    }
    worker_submit(s->t->worker, line, JOB_JSON | JOB_RETRY | JOB_OWNS_ARG, load_done, ld, tag);
    return true;
}

bool screen_has_command(struct screen *s, const char *name, const char *what)
{
    struct err err = {0};
    const struct cmd_entry *e = cmd_find(name, &err);

    if (e != NULL && strcmp(e->name, name) == 0)
        return true;
    snprintf(s->note, sizeof s->note, "not available yet: this build has no '%s' command (%s)",
             name, what);
    return false;
}

bool screen_load_failed(struct screen *s, struct job *j)
{
    if (j->rc == EXIT_OK && j->json != NULL)
        return false;
    if (j->rc == EXIT_OK)
        snprintf(s->note, sizeof s->note, "'%s' did not print JSON", j->line);
    else
        snprintf(s->note, sizeof s->note, "%s", j->err.msg[0] ? j->err.msg : "failed to load");
    s->note[strcspn(s->note, "\n")] = '\0';
    return true;
}

bool screen_take_rows(struct screen *s, struct job *j, struct list *l)
{
    if (screen_load_failed(s, j))
        return false;
    s->note[0] = '\0';
    list_set_rows(l, j->json);
    j->json = NULL;
    return true;
}

void screen_load_detail(struct screen *s, const char *command, long long id, long long *loaded,
                        job_done_fn done)
{
    char line[128];

    if (id <= 0 || id == *loaded)
        return;
    *loaded = id;
    snprintf(line, sizeof line, "%s --json %lld", command, id);
    screen_load(s, line, done, id);
}

/* Centred; a note wider than the screen wraps between words (a refused
 * filter names what it takes at the end of its message). */
void screen_draw_note(struct screen *s, int y, int x, int h, int w)
{
    size_t off[8], len[8];
    int rows = 0;

    for (size_t at = 0; s->note[at] != '\0' && rows < (int)ARRAY_SIZE(off); rows++) {
        off[rows] = at;
        len[rows] = w > 0 ? utf8_wrap(s->note + at, (size_t)w) : strlen(s->note + at);
        at += len[rows];
        while (s->note[at] == ' ') /* a row does not begin with the space it broke at */
            at++;
    }
    for (int i = 0; i < rows; i++) {
        char row[sizeof s->note];
        snprintf(row, sizeof row, "%.*s", (int)len[i], s->note + off[i]);
        int nw = (int)utf8_width(row);
        int cx = nw < w ? x + (w - nw) / 2 : x;
        paint_text(y + (h - rows) / 2 + i, cx, w - (cx - x), row, PA_DIM);
    }
}

const char *screen_list_field(struct list *l, const char *name, char *buf, size_t len)
{
    const cJSON *row = list_selected(l);
    const cJSON *v = row ? cJSON_GetObjectItemCaseSensitive(row, name) : NULL;

    if (v == NULL || cJSON_IsNull(v))
        return NULL;
    return json_text(v, buf, len);
}

void screen_complete_list(const struct list *l, const char *key, void (*add)(const char *word))
{
    char buf[128];
    const cJSON *r;

    if (l->rows != NULL)
        cJSON_ArrayForEach(r, l->rows)
            add(json_text(cJSON_GetObjectItemCaseSensitive(r, key), buf, sizeof buf));
}

long long screen_list_total(const struct list *l, const char *key)
{
    const cJSON *row = l->rows != NULL ? l->rows->child : NULL;
    double total = row != NULL ? json_num(row, key, l->n) : 0;

    return total > l->n ? (long long)total : l->n;
}

const char *screen_count_text(const struct list *l, const char *key, const char *noun, char *buf,
                              size_t len)
{
    long long total = screen_list_total(l, key);
    const cJSON *row = l->rows != NULL ? l->rows->child : NULL;
    /* a count that stopped (entities --search): "50 of more than 1,000" */
    bool more = row != NULL && cJSON_IsFalse(cJSON_GetObjectItem(row, "total_exact"));
    char n[32], all[32];

    out_count(more ? total - 1 : total, all, sizeof all);
    if (total > l->n)
        snprintf(buf, len, "%s of %s%s %s", out_count(l->n, n, sizeof n), more ? "more than " : "",
                 all, noun);
    else
        snprintf(buf, len, "%s %s", all, noun);
    return buf;
}

bool screen_page_more(const struct list *l, const char *key, long long *limit, long long step)
{
    if (l->n == 0 || l->sel < l->n - 1 || screen_list_total(l, key) <= l->n || *limit > l->n)
        return false;
    *limit += step;
    return true;
}

int screen_split(int h)
{
    int top = h / 2;
    if (top < 4)
        top = h > 8 ? 4 : h;
    return top;
}

bool screen_follows_undo(struct screen *s, const struct cmd_entry *e)
{
    (void)s;
    return strcmp(e->name, "undo") == 0;
}

void screen_undone(struct tui *t, const cJSON *json, char *first, size_t len)
{
    const cJSON *cands = cJSON_GetObjectItemCaseSensitive(json, "candidates");
    const char *action = json_str(json, "action");
    int n = cJSON_GetArraySize(cands);
    char what[64] = "";

    first[0] = '\0';
    if (n > 0)
        snprintf(first, len, "%.0f", cJSON_GetNumberValue(cands->child));
    if (n == 1)
        snprintf(what, sizeof what, ": %s of candidate %s", action ? action : "?", first);
    else if (n > 1)
        snprintf(what, sizeof what, ": %s of %d candidates", action ? action : "?", n);
    ui_message(t, PA_GOOD, "decision %.0f undone (decision %.0f)%s", json_num(json, "undone", 0),
               json_num(json, "decision", 0), what);
}

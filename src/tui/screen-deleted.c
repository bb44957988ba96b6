/*
 * screen-deleted.c — the Deleted screen: soft-deleted records with the run
 * that deleted them, and the deletions the mass-delete guard held.
 *
 * Two lists: on top, when there are any, the held sets awaiting a decision
 * (`held --json`: run, source, how many); below, the soft-deleted records
 * (`deleted --json`, f filters by source, configured or not). h moves
 * the focus between them.
 * On a record, r restores it (or, with records marked by Space, the marked
 * ones after one question) and R everything its deletion deleted: its
 * run's, or, on a record its source's retire deleted (RUN says "retired",
 * as `deleted` does), the retire's ({restore_deletion}: "restore --run 7"
 * or "restore --retired old-crm", asked by {restore_deletion_prompt}; {run}
 * there used to expand to nothing and point at the held sets); u undoes the
 * latest restore not undone yet, deleting its records again, after a
 * question that names it ({restore_prompt}: "undo restore decision 12 (the
 * 4 records run 7 deleted), deleting them again?") and by its id, so
 * the answer undoes what the question named even if another restore came
 * meanwhile; it used to ask "undo the latest restore?"; on a held
 * set, i shows its records, a applies the deletions and x discards them
 * (both after a question). {run} and {source} in those bindings are the
 * focused row's; with no deleted record to act on, the focus is on the
 * held sets (after `make run`, i a x used to say "nothing selected"). The
 * headline counts every deleted record ("1,000 of 1,682
 * records"); moving past the last one loaded loads the next page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "tui-private.h"

struct deleted_screen {
    struct list list;
    struct list held;
    bool on_held; /* the focus is on the held sets */
    char source[128];
    char empty[192]; /* what the list says when the source has no deleted record */
    long long limit; /* records loaded at most; grows when the selection reaches the end */
    long long restore; /* the latest restore not undone (0: none known) */
    char restore_what[96]; /* as `decisions` says it: "the 4 records run 7 deleted" */
};

#define DELETED_PAGE 1000
#define DELETED_EMPTY "no record is soft-deleted"

/* The run that deleted the record, or "retired" (`deleted --json`:
 * "retired": true, deleted_by_run null). */
static void fmt_run(const cJSON *row, char *buf, size_t len)
{
    const cJSON *run = cJSON_GetObjectItem(row, "deleted_by_run");

    if (cJSON_IsNumber(run))
        snprintf(buf, len, "%.0f", run->valuedouble);
    else
        snprintf(buf, len, "%s",
                 cJSON_IsTrue(cJSON_GetObjectItem(row, "retired")) ? "retired" : "-");
}

static const struct list_col deleted_cols[] = {
    {"id", "RECORD", 7, LC_RIGHT, NULL, NULL},
    {"source", "SOURCE", 16, 0, NULL, NULL},
    {"source_id", "SOURCE ID", 12, 0, NULL, NULL},
    {"deleted_at", "DELETED AT", 19, LC_TIME, NULL, NULL},
    {"deleted_by_run", "RUN", 7, LC_RIGHT, fmt_run, NULL},
    {"title", "TITLE", 10, LC_FLEX, NULL, NULL},
};

static const struct list_col held_cols[] = {
    {"run", "RUN", 5, LC_RIGHT, NULL, NULL},
    {"source", "SOURCE", 16, 0, NULL, NULL},
    {"held", "HELD", 7, LC_RIGHT, NULL, NULL},
    {"would_delete", "MISSED", 7, LC_RIGHT, NULL, NULL}, /* as `held` names it */
    {"live", "LIVE", 7, LC_RIGHT, NULL, NULL},
    {"state", "STATE", 10, 0, NULL, NULL},
    {"reason", "REASON", 10, LC_FLEX, NULL, NULL},
};

static void deleted_init(struct screen *s)
{
    struct deleted_screen *ds = xcalloc(1, sizeof *ds);
    list_init(&ds->list, deleted_cols, (int)ARRAY_SIZE(deleted_cols), "id", DELETED_EMPTY);
    ds->list.markable = true;
    list_init(&ds->held, held_cols, (int)ARRAY_SIZE(held_cols), "run", NULL);
    ds->limit = DELETED_PAGE;
    s->priv = ds;
}

static void deleted_free(struct screen *s)
{
    struct deleted_screen *ds = s->priv;
    list_free(&ds->list);
    list_free(&ds->held);
    free(ds);
}

static struct list *deleted_focus(struct screen *s)
{
    struct deleted_screen *ds = s->priv;
    return ds->on_held && ds->held.n > 0 ? &ds->held : &ds->list;
}

static void deleted_draw(struct screen *s, int y, int x, int h, int w)
{
    struct deleted_screen *ds = s->priv;
    bool held_focus = deleted_focus(s) == &ds->held;

    if (ds->list.rows == NULL) {
        screen_draw_note(s, y, x, h, w);
        return;
    }
    if (ds->held.n > 0) {
        int rows = ds->held.n + 1 < h / 3 ? ds->held.n + 1 : h / 3;
        paint_textf(y, x, w, held_focus ? PA_WARN : PA_DIM,
                    "Held deletions awaiting a decision: %d (%s%si shows, a applies, "
                    "x discards)",
                    ds->held.n, held_focus && ds->list.n == 0 ? "" : "h ",
                    held_focus ? ds->list.n == 0 ? "" : "goes to the records, " : "comes here, ");
        list_draw(&ds->held, y + 1, x, rows, w);
        y += rows + 2;
        h -= rows + 2;
    }
    char count[96], marks[32];
    paint_textf(y, x, w, held_focus ? PA_DIM : PA_TITLE,
                "Deleted%s%s \xc2\xb7 %s%s (r restores, R all its run or retire deleted)",
                ds->source[0] ? " from " : "", ds->source,
                screen_count_text(&ds->list, "total", ds->list.n == 1 ? "record" : "records",
                                  count, sizeof count),
                list_marks_text(&ds->list, marks, sizeof marks));
    list_draw(&ds->list, y + 1, x, h - 1, w);
}

static void deleted_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct deleted_screen *ds = s->priv;

    (void)t;
    /* a filter the command refused (no such source): its message, not the
     * rows of the filter before */
    if (!screen_take_rows(s, j, &ds->list) && j->rc == EXIT_USAGE)
        list_set_rows(&ds->list, NULL);
}

static void held_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct deleted_screen *ds = s->priv;

    (void)t;
    if (j->rc == EXIT_OK && j->json != NULL) {
        list_set_rows(&ds->held, j->json);
        j->json = NULL;
        if (ds->held.n == 0)
            ds->on_held = false; /* nothing left to decide: back to the records */
        else if (ds->list.n == 0)
            ds->on_held = true; /* no record to act on: the keys act on the held sets */
    }
}

/* The latest restore not undone, from `decisions --action restore`. */
static void restores_loaded(struct tui *t, struct job *j)
{
    struct deleted_screen *ds = ((struct screen *)j->arg)->priv;
    const cJSON *d;

    (void)t;
    if (j->rc != EXIT_OK || j->json == NULL)
        return;
    ds->restore = 0;
    cJSON_ArrayForEach(d, j->json) {
        if (cJSON_IsNumber(cJSON_GetObjectItem(d, "undone_by")))
            continue;
        ds->restore = (long long)json_num(d, "id", 0);
        snprintf(ds->restore_what, sizeof ds->restore_what, "%s",
                 json_str(d, "what") ? json_str(d, "what") : "");
        break;
    }
}

static void deleted_load(struct screen *s)
{
    struct deleted_screen *ds = s->priv;
    struct buf line = BUF_INIT;
    struct err none = {0};

    if (!screen_has_command(s, "deleted", "soft deletes"))
        return;
    buf_printf(&line, "deleted --json --limit %lld", ds->limit);
    if (ds->source[0] != '\0')
        buf_printf(&line, " --source '%s'", ds->source); /* source names have no quotes */
    /* first: the worker runs jobs in order, so the restore u names is
     * known by the time the list shows what a restore changed */
    if (cmd_find("decisions", &none) != NULL)
        screen_load(s, "decisions --json --action restore --limit 50", restores_loaded, 2);
    if (screen_load(s, buf_str(&line), deleted_loaded, 0) && cmd_find("held", &none) != NULL)
        screen_load(s, "held --json", held_loaded, 1);
    buf_free(&line);
}

static int deleted_filter(struct screen *s, const char *arg, struct err *err)
{
    struct deleted_screen *ds = s->priv;

    /* A source taken out of the configuration still has deleted records
     * under its name: `deleted --source` says whether one was ever read.
     * Only a quote, which no source name has, is refused here. */
    if (arg != NULL && strchr(arg, '\'') != NULL &&
        config_source_find(s->t->ctx->cfg, arg, err) == NULL)
        return -1;
    snprintf(ds->source, sizeof ds->source, "%s", arg ? arg : "");
    snprintf(ds->empty, sizeof ds->empty, "no record from %s is soft-deleted", ds->source);
    ds->list.empty = ds->source[0] ? ds->empty : DELETED_EMPTY;
    ds->limit = DELETED_PAGE;
    deleted_load(s);
    return 0;
}

static int deleted_next_focus(struct screen *s, struct err *err)
{
    struct deleted_screen *ds = s->priv;

    if (ds->held.n == 0 && !ds->on_held)
        return err_set(err, "no deletions are held");
    if (ds->on_held && ds->list.n == 0)
        return err_set(err, "%s: the held deletions keep the focus", ds->list.empty);
    ds->on_held = !ds->on_held;
    return 0;
}

/* {restore_deletion}: the command that restores everything the selected
 * record's deletion deleted, its run's or its source's retire's (on a held
 * set, its run's, as {run} gave before); {restore_deletion_prompt}: the
 * question R asks first. */
static const char *deletion_field(struct deleted_screen *ds, struct list *l, bool prompt, char *buf,
                                  size_t len)
{
    const cJSON *row = list_selected(l);
    const cJSON *run = cJSON_GetObjectItem(row, l == &ds->list ? "deleted_by_run" : "run");
    const char *source = json_str(row, "source");

    if (cJSON_IsNumber(run))
        snprintf(buf, len, prompt ? "restore every record run %.0f deleted?" : "restore --run %.0f",
                 run->valuedouble);
    else if (cJSON_IsTrue(cJSON_GetObjectItem(row, "retired")) && source != NULL)
        snprintf(buf, len,
                 prompt ? "restore every record retiring source %s deleted?"
                        : "restore --retired %s",
                 source);
    else
        return NULL; /* nothing selected */
    return buf;
}

static const char *deleted_field(struct screen *s, const char *name, char *buf, size_t len)
{
    struct deleted_screen *ds = s->priv;
    struct list *l = deleted_focus(s);

    /* none known: `undo --restore` says whether there is one */
    if (strcmp(name, "restore") == 0) {
        if (ds->restore == 0)
            return "--restore";
        snprintf(buf, len, "%lld", ds->restore);
        return buf;
    }
    if (strcmp(name, "restore_prompt") == 0) {
        if (ds->restore == 0)
            return "undo the latest restore, deleting its records again?";
        snprintf(buf, len, "undo restore decision %lld (%s), deleting them again?", ds->restore,
                 ds->restore_what);
        return buf;
    }
    if (strcmp(name, "restore_deletion") == 0)
        return deletion_field(ds, l, false, buf, len);
    if (strcmp(name, "restore_deletion_prompt") == 0)
        return deletion_field(ds, l, true, buf, len);
    /* a held set is no record (Enter, r): with none deleted, h has nowhere
     * to go, so not "h (focus) moves to the other list" (ui.c) */
    if (strcmp(name, "no_id") == 0)
        return l == &ds->held && ds->list.n == 0
                   ? "a held set is not a record, and no record is soft-deleted; i shows the "
                     "records the set would delete"
                   : NULL;
    /* on a record, {run} is the run that deleted it */
    if (l == &ds->list && strcmp(name, "run") == 0)
        name = "deleted_by_run";
    return screen_list_field(l, name, buf, len);
}

/* The selection reached the last record loaded: load the next page too. */
static void deleted_selected(struct screen *s)
{
    struct deleted_screen *ds = s->priv;

    if (deleted_focus(s) == &ds->list &&
        screen_page_more(&ds->list, "total", &ds->limit, DELETED_PAGE))
        deleted_load(s);
}

static void deleted_complete(struct screen *s, enum cmd_arg_kind kind,
                             void (*add)(const char *word))
{
    struct deleted_screen *ds = s->priv;

    if (kind == ARG_RECORD)
        screen_complete_list(&ds->list, "id", add);
    /* a removed source whose records are all deleted (retired) is listed
     * here alone, and is what `restore --retired` takes */
    if (kind == ARG_SOURCE)
        screen_complete_list(&ds->list, "source", add);
    if (kind == ARG_RUN)
        screen_complete_list(&ds->held, "run", add);
}

const struct screen_ops screen_deleted_ops = {
    .init = deleted_init,
    .free = deleted_free,
    .draw = deleted_draw,
    .load = deleted_load,
    .focus = deleted_focus,
    .field = deleted_field,
    .filter = deleted_filter,
    .next_focus = deleted_next_focus,
    .selected = deleted_selected,
    .complete = deleted_complete,
};

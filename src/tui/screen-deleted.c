/*
 * screen-deleted.c — the Deleted screen: soft-deleted records, with the run
 * that deleted them.
 *
 * The list is `deleted --json` (f filters by source). r restores the
 * selected record, R everything its run deleted (after a question).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "tui-private.h"

struct deleted_screen {
    struct list list;
    char source[128];
};

static const struct list_col deleted_cols[] = {
    {"id", "RECORD", 7, LC_RIGHT, NULL, NULL},
    {"source", "SOURCE", 16, 0, NULL, NULL},
    {"source_id", "SOURCE ID", 12, 0, NULL, NULL},
    {"deleted_at", "DELETED AT", 19, 0, NULL, NULL},
    {"deleted_by_run", "RUN", 5, LC_RIGHT, NULL, NULL},
    {"title", "TITLE", 10, LC_FLEX, NULL, NULL},
};

static void deleted_init(struct screen *s)
{
    struct deleted_screen *ds = xcalloc(1, sizeof *ds);
    list_init(&ds->list, deleted_cols, (int)ARRAY_SIZE(deleted_cols), "id",
              "no record is soft-deleted");
    s->priv = ds;
}

static void deleted_free(struct screen *s)
{
    struct deleted_screen *ds = s->priv;
    list_free(&ds->list);
    free(ds);
}

static void deleted_draw(struct screen *s, int y, int x, int h, int w)
{
    struct deleted_screen *ds = s->priv;

    if (ds->list.rows == NULL) {
        screen_draw_note(s, y, x, h, w);
        return;
    }
    paint_textf(y, x, w, PA_TITLE,
                "Deleted%s%s \xc2\xb7 %d record%s (r restores, R restores "
                "the run's)",
                ds->source[0] ? " from " : "", ds->source, ds->list.n, ds->list.n == 1 ? "" : "s");
    list_draw(&ds->list, y + 1, x, h - 1, w);
}

static void deleted_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct deleted_screen *ds = s->priv;

    (void)t;
    screen_take_rows(s, j, &ds->list);
}

static void deleted_load(struct screen *s)
{
    struct deleted_screen *ds = s->priv;
    struct buf line = BUF_INIT;

    if (!screen_has_command(s, "deleted", "soft deletes"))
        return;
    buf_adds(&line, "deleted --json");
    if (ds->source[0] != '\0')
        buf_printf(&line, " --source '%s'", ds->source); /* source names have no quotes */
    screen_load(s, buf_str(&line), deleted_loaded, 0);
    buf_free(&line);
}

static int deleted_filter(struct screen *s, const char *arg, struct err *err)
{
    struct deleted_screen *ds = s->priv;

    if (arg != NULL && *arg != '\0' && config_source(s->t->ctx->cfg, arg) == NULL)
        return err_code(err, EXIT_USAGE, "unknown source '%s'", arg);
    snprintf(ds->source, sizeof ds->source, "%s", arg ? arg : "");
    deleted_load(s);
    return 0;
}

static struct list *deleted_focus(struct screen *s)
{
    return &((struct deleted_screen *)s->priv)->list;
}

static const char *deleted_field(struct screen *s, const char *name, char *buf, size_t len)
{
    /* {run} is the run that deleted the record */
    return screen_list_field(deleted_focus(s), strcmp(name, "run") == 0 ? "deleted_by_run" : name,
                             buf, len);
}

static void deleted_complete(struct screen *s, enum cmd_arg_kind kind,
                             void (*add)(const char *word))
{
    if (kind == ARG_RECORD)
        screen_complete_list(deleted_focus(s), "id", add);
}

const struct screen_ops screen_deleted_ops = {
    .name = "deleted",
    .title = "Deleted",
    .init = deleted_init,
    .free = deleted_free,
    .draw = deleted_draw,
    .load = deleted_load,
    .focus = deleted_focus,
    .field = deleted_field,
    .filter = deleted_filter,
    .complete = deleted_complete,
};

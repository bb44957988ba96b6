/*
 * screen-deleted.c — the Deleted screen (being written: waits for 'deleted').
 */
#include <stdlib.h>

#include "tui-private.h"

struct deleted_screen {
    struct list list;
};

static const struct list_col deleted_cols[] = {
    {"id", "ID", 10, 0, NULL, NULL},
};

static void deleted_init(struct screen *s)
{
    struct deleted_screen *ps = xcalloc(1, sizeof *ps);
    list_init(&ps->list, deleted_cols, (int)ARRAY_SIZE(deleted_cols), "id", "nothing here");
    s->priv = ps;
}

static void deleted_free(struct screen *s)
{
    struct deleted_screen *ps = s->priv;
    list_free(&ps->list);
    free(ps);
}

static void deleted_draw(struct screen *s, int y, int x, int h, int w)
{
    struct deleted_screen *ps = s->priv;
    if (ps->list.rows == NULL) {
        screen_draw_note(s, y, x, h, w);
        return;
    }
    list_draw(&ps->list, y, x, h, w);
}

static void deleted_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct deleted_screen *ps = s->priv;

    (void)t;
    if (screen_load_failed(s, j))
        return;
    list_set_rows(&ps->list, j->json);
    j->json = NULL;
}

static void deleted_refresh(struct screen *s)
{
    if (screen_has_command(s, "deleted", "soft deletes"))
        screen_load(s, "deleted --json", deleted_loaded, 0);
}

static struct list *deleted_focus(struct screen *s) { return &((struct deleted_screen *)s->priv)->list; }

static const char *deleted_field(struct screen *s, const char *name, char *buf, size_t len)
{
    return screen_list_field(deleted_focus(s), name, buf, len);
}

const struct screen_ops screen_deleted_ops = {
    .name = "deleted",
    .title = "Deleted",
    .init = deleted_init,
    .free = deleted_free,
    .draw = deleted_draw,
    .load = deleted_refresh,
    .focus = deleted_focus,
    .field = deleted_field,
};

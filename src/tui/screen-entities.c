/*
 * screen-entities.c — the Entities screen (being written: waits for 'entities').
 */
#include <stdlib.h>

#include "tui-private.h"

struct entities_screen {
    struct list list;
};

static const struct list_col entities_cols[] = {
    {"key", "ID", 10, 0, NULL, NULL},
};

static void entities_init(struct screen *s)
{
    struct entities_screen *ps = xcalloc(1, sizeof *ps);
    list_init(&ps->list, entities_cols, (int)ARRAY_SIZE(entities_cols), "key", "nothing here");
    s->priv = ps;
}

static void entities_free(struct screen *s)
{
    struct entities_screen *ps = s->priv;
    list_free(&ps->list);
    free(ps);
}

static void entities_draw(struct screen *s, int y, int x, int h, int w)
{
    struct entities_screen *ps = s->priv;
    if (ps->list.rows == NULL) {
        screen_draw_note(s, y, x, h, w);
        return;
    }
    list_draw(&ps->list, y, x, h, w);
}

static void entities_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct entities_screen *ps = s->priv;

    (void)t;
    if (screen_load_failed(s, j))
        return;
    list_set_rows(&ps->list, j->json);
    j->json = NULL;
}

static void entities_refresh(struct screen *s)
{
    if (screen_has_command(s, "entities", "entity unification"))
        screen_load(s, "entities --json", entities_loaded, 0);
}

static struct list *entities_focus(struct screen *s) { return &((struct entities_screen *)s->priv)->list; }

static const char *entities_field(struct screen *s, const char *name, char *buf, size_t len)
{
    return screen_list_field(entities_focus(s), name, buf, len);
}

const struct screen_ops screen_entities_ops = {
    .name = "entities",
    .title = "Entities",
    .init = entities_init,
    .free = entities_free,
    .draw = entities_draw,
    .load = entities_refresh,
    .focus = entities_focus,
    .field = entities_field,
};

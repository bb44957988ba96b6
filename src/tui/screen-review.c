/*
 * screen-review.c — the Review screen (being written: waits for 'queue').
 */
#include <stdlib.h>

#include "tui-private.h"

struct review_screen {
    struct list list;
};

static const struct list_col review_cols[] = {
    {"id", "ID", 10, 0, NULL, NULL},
};

static void review_init(struct screen *s)
{
    struct review_screen *ps = xcalloc(1, sizeof *ps);
    list_init(&ps->list, review_cols, (int)ARRAY_SIZE(review_cols), "id", "nothing here");
    s->priv = ps;
}

static void review_free(struct screen *s)
{
    struct review_screen *ps = s->priv;
    list_free(&ps->list);
    free(ps);
}

static void review_draw(struct screen *s, int y, int x, int h, int w)
{
    struct review_screen *ps = s->priv;
    if (ps->list.rows == NULL) {
        screen_draw_note(s, y, x, h, w);
        return;
    }
    list_draw(&ps->list, y, x, h, w);
}

static void review_loaded(struct tui *t, struct job *j)
{
    struct screen *s = j->arg;
    struct review_screen *ps = s->priv;

    (void)t;
    if (screen_load_failed(s, j))
        return;
    list_set_rows(&ps->list, j->json);
    j->json = NULL;
}

static void review_refresh(struct screen *s)
{
    if (screen_has_command(s, "queue", "entity unification"))
        screen_load(s, "queue --json", review_loaded, 0);
}

static struct list *review_focus(struct screen *s) { return &((struct review_screen *)s->priv)->list; }

static const char *review_field(struct screen *s, const char *name, char *buf, size_t len)
{
    return screen_list_field(review_focus(s), name, buf, len);
}

const struct screen_ops screen_review_ops = {
    .name = "review",
    .title = "Review",
    .init = review_init,
    .free = review_free,
    .draw = review_draw,
    .load = review_refresh,
    .focus = review_focus,
    .field = review_field,
};

int tui_bulk_approve(struct tui *t, double min, struct err *err)
{
    (void)t;
    (void)min;
    return err_set(err, "not available yet");
}

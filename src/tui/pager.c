/*
 * pager.c — the overlay that shows multi-line text: a command's output
 * (`show-run 12`, `help approve`) or the help overlay. It covers the main
 * area until closed, scrolls both ways (tables can be wider than the
 * terminal) and searches. Its keys are the "pager" key table.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/fold.h"
#include "kasparro/utf8.h"
#include "tui-private.h"

struct pager *pager_new(const char *title, const char *text)
{
    struct pager *p = xcalloc(1, sizeof *p);
    const char *s = text ? text : "";

    p->title = xstrdup(title);
    while (*s != '\0') {
        size_t len = strcspn(s, "\n");
        p->lines = xreallocarray(p->lines, (size_t)p->n + 1, sizeof *p->lines);
        p->lines[p->n++] = xstrndup(s, len);
        s += len;
        if (*s == '\n')
            s++;
    }
    return p;
}

void pager_draw(struct pager *p, int y, int x, int h, int w)
{
    char where[64];

    if (h < 2)
        return;
    p->height = h - 1;
    if (p->top > p->n - p->height)
        p->top = p->n - p->height > 0 ? p->n - p->height : 0;
    paint_fill(y, x, w, PA_STATUS);
    snprintf(where, sizeof where, " %d-%d of %d  q closes ", p->n ? p->top + 1 : 0,
             p->top + p->height < p->n ? p->top + p->height : p->n, p->n);
    int ww = (int)utf8_width(where);
    paint_text(y, x + 1, w - ww - 2, p->title, PA_STATUS);
    paint_text(y, x + w - ww, ww, where, PA_STATUS);
    for (int i = 0; i < p->height; i++) {
        paint_fill(y + 1 + i, x, w, PA_NORMAL);
        if (p->top + i < p->n)
            paint_text_skip(y + 1 + i, x, w, p->lines[p->top + i], (size_t)p->xoff, PA_NORMAL);
    }
}

bool pager_move(struct pager *p, const char *how)
{
    if (strcmp(how, "right") == 0)
        p->xoff += 8;
    else if (strcmp(how, "left") == 0)
        p->xoff = p->xoff > 8 ? p->xoff - 8 : 0;
    else
        return move_step(how, &p->top, p->height, p->n - p->height > 0 ? p->n - p->height : 0);
    return true;
}

bool pager_search(struct pager *p, const char *text, bool backward)
{
    char *folded = fold_text(text); /* case and accents ignored */
    bool found = false;

    for (int step = 1; step <= p->n && !found; step++) {
        int i = ((backward ? p->top - step : p->top + step) % p->n + p->n) % p->n;
        if (fold_contains(p->lines[i], folded)) {
            p->top = i;
            found = true;
        }
    }
    free(folded);
    return found;
}

void pager_free(struct pager *p)
{
    if (p == NULL)
        return;
    for (int i = 0; i < p->n; i++)
        free(p->lines[i]);
    free(p->lines);
    free(p->title);
    free(p);
}

/*
 * pager.c — the overlay that shows multi-line text: a command's output
 * (`show-run 12`, `help approve`) or the help overlay. It covers the main
 * area until closed, scrolls and searches. Lines wider than the terminal
 * wrap, between words where they can, so nothing is out of sight; Right scrolls sideways instead (a wide
 * table reads better cut than wrapped), and Left back to the first column
 * wraps again. Its keys are the "pager" key table.
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

/* The rows on screen: a line per row when scrolled sideways, else each
 * line cut into rows of at most w cells (rebuilt when the width
 * changes). */
static void layout_rows(struct pager *p, int w)
{
    bool wrap = p->xoff == 0;

    if (p->rows_w == (wrap ? w : -1) && p->row_line != NULL)
        return;
    /* the top row stays on the line it showed */
    int top_line = p->row_line != NULL && p->top < p->nrows ? p->row_line[p->top] : p->top;
    free(p->row_line);
    free(p->row_off);
    p->row_line = NULL;
    p->row_off = NULL;
    p->nrows = 0;
    p->top = 0;
    for (int i = 0; i < p->n; i++) {
        size_t off = 0, len = strlen(p->lines[i]);
        do {
            p->row_line = xreallocarray(p->row_line, (size_t)p->nrows + 1, sizeof *p->row_line);
            p->row_off = xreallocarray(p->row_off, (size_t)p->nrows + 1, sizeof *p->row_off);
            if (i == top_line && off == 0)
                p->top = p->nrows;
            p->row_line[p->nrows] = i;
            p->row_off[p->nrows++] = off;
            size_t step = wrap && w > 0 ? utf8_wrap(p->lines[i] + off, (size_t)w) : len - off;
            off += step > 0 ? step : len - off;
        } while (off < len);
    }
    p->rows_w = wrap ? w : -1;
}

void pager_draw(struct pager *p, int y, int x, int h, int w)
{
    char where[64];

    if (h < 2)
        return;
    layout_rows(p, w);
    p->height = h - 1;
    if (p->top > p->nrows - p->height)
        p->top = p->nrows - p->height > 0 ? p->nrows - p->height : 0;
    paint_fill(y, x, w, PA_STATUS);
    int first = p->nrows ? p->row_line[p->top] + 1 : 0;
    int last = p->nrows ? p->row_line[p->top + p->height < p->nrows ? p->top + p->height - 1
                                                                    : p->nrows - 1] + 1
                        : 0;
    snprintf(where, sizeof where, " %d-%d of %d  q closes ", first, last, p->n);
    int ww = (int)utf8_width(where);
    paint_text(y, x + 1, w - ww - 2, p->title, PA_STATUS);
    paint_text(y, x + w - ww, ww, where, PA_STATUS);
    for (int i = 0; i < p->height; i++) {
        int r = p->top + i;
        paint_fill(y + 1 + i, x, w, PA_NORMAL);
        if (r >= p->nrows)
            continue;
        const char *line = p->lines[p->row_line[r]] + p->row_off[r];
        if (p->xoff > 0) {
            paint_text_skip(y + 1 + i, x, w, line, (size_t)p->xoff, PA_NORMAL);
        } else { /* exactly this row's piece: no "…", the next row goes on */
            size_t len = r + 1 < p->nrows && p->row_line[r + 1] == p->row_line[r]
                             ? p->row_off[r + 1] - p->row_off[r]
                             : strlen(line);
            char *piece = xstrndup(line, len);
            paint_text(y + 1 + i, x, w, piece, PA_NORMAL);
            free(piece);
        }
    }
}

bool pager_move(struct pager *p, const char *how)
{
    if (strcmp(how, "right") == 0)
        p->xoff += 8;
    else if (strcmp(how, "left") == 0)
        p->xoff = p->xoff > 8 ? p->xoff - 8 : 0;
    else
        return move_step(how, &p->top, p->height,
                         p->nrows - p->height > 0 ? p->nrows - p->height : 0);
    return true;
}

bool pager_search(struct pager *p, const char *text, bool backward)
{
    char *folded = fold_text(text); /* case and accents ignored */
    bool found = false;

    int at = p->nrows > 0 ? p->row_line[p->top] : 0;

    for (int step = 1; step <= p->n && !found; step++) {
        int i = ((backward ? at - step : at + step) % p->n + p->n) % p->n;
        if (fold_contains(p->lines[i], folded)) {
            for (p->top = 0; p->top < p->nrows && p->row_line[p->top] != i; p->top++)
                ;
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
    free(p->row_line);
    free(p->row_off);
    cJSON_Delete(p->subject);
    free(p->title);
    free(p);
}

const char *pager_field(const struct pager *p, const char *name)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p->subject, name));
}

/*
 * pager.c — the overlay that shows multi-line text: a command's output
 * (`show-run 12`, `help approve`) or the help overlay. It covers the main
 * area until closed, scrolls and searches. Lines wider than the terminal
 * wrap, between words where they can, so nothing is out of sight, and
 * their continuation rows hang under the value as the command line's
 * detail views indent them (hang_cells). A table's lines (the command says
 * where its tables are: out.h's spans) wrap only under their last column
 * when it begins in the first half of the pane (a command's summary);
 * else they are cut at the edge with "…", since a table wrapped across
 * its columns no longer lines up. Right scrolls every line sideways, and
 * Left back to the first column wraps the others again. Its keys are the
 * "pager" key table.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/fold.h"
#include "kasparro/utf8.h"
#include "tui-private.h"

struct pager *pager_new(const char *title, const char *text, const struct out_spans *tables)
{
    struct pager *p = xcalloc(1, sizeof *p);
    const char *s = text ? text : "";

    p->title = xstrdup(title);
    while (*s != '\0') {
        size_t len = strcspn(s, "\n");
        p->lines = xreallocarray(p->lines, (size_t)p->n + 1, sizeof *p->lines);
        p->table_col = xreallocarray(p->table_col, (size_t)p->n + 1, sizeof *p->table_col);
        p->table_col[p->n] = (int)out_spans_last_col(tables, (size_t)(s - text));
        p->lines[p->n++] = xstrndup(s, len);
        s += len;
        if (*s == '\n')
            s++;
    }
    return p;
}

/* Where a wrapped line's continuation rows begin, in cells: under the
 * value of a "  label    value" line (after the first gap of two spaces or
 * more that follows the label), else under the line's own first
 * character. Never more than half the width: a narrow pane keeps room for
 * the text. */
static int hang_cells(const char *line, int w)
{
    size_t lead = strspn(line, " "), at = lead;
    const char *gap = strstr(line + lead, "  ");

    if (gap != NULL && line[lead] != '\0') {
        at = (size_t)(gap - line) + strspn(gap, " ");
        if (line[at] == '\0')
            at = lead;
    }
    int cells = (int)utf8_nwidth(line, at);
    if (cells > w / 2)
        cells = (int)lead <= w / 2 ? (int)lead : 0;
    return cells;
}

static void add_row(struct pager *p, int line, size_t off, size_t len, int indent)
{
    p->row_line = xreallocarray(p->row_line, (size_t)p->nrows + 1, sizeof *p->row_line);
    p->row_off = xreallocarray(p->row_off, (size_t)p->nrows + 1, sizeof *p->row_off);
    p->row_len = xreallocarray(p->row_len, (size_t)p->nrows + 1, sizeof *p->row_len);
    p->row_indent = xreallocarray(p->row_indent, (size_t)p->nrows + 1, sizeof *p->row_indent);
    p->row_line[p->nrows] = line;
    p->row_off[p->nrows] = off;
    p->row_len[p->nrows] = len;
    p->row_indent[p->nrows++] = indent;
}

/* A table's line that is cut rather than wrapped at width w. */
static bool cut_line(const struct pager *p, int line, int w)
{
    return p->table_col[line] >= 0 &&
           !out_wraps_under_last((size_t)p->table_col[line], (size_t)w);
}

/* The rows on screen: a line per row when scrolled sideways or cut, else
 * each line cut into rows of at most w cells, the continuation rows
 * indented (rebuilt when the width changes). */
static void layout_rows(struct pager *p, int w)
{
    bool wrap = p->xoff == 0;

    if (p->rows_w == (wrap ? w : -1) && p->row_line != NULL)
        return;
    /* the top row stays on the line it showed */
    int top_line = p->row_line != NULL && p->top < p->nrows ? p->row_line[p->top] : p->top;
    free(p->row_line);
    free(p->row_off);
    free(p->row_len);
    free(p->row_indent);
    p->row_line = NULL;
    p->row_off = NULL;
    p->row_len = NULL;
    p->row_indent = NULL;
    p->nrows = 0;
    p->top = 0;
    for (int i = 0; i < p->n; i++) {
        const char *line = p->lines[i];
        size_t off = 0, len = strlen(line);
        bool wraps = wrap && w > 0 && !cut_line(p, i, w);
        int hang = !wraps ? 0 : p->table_col[i] >= 0 ? p->table_col[i] : hang_cells(line, w);
        int indent = 0;
        do {
            if (i == top_line && off == 0)
                p->top = p->nrows;
            size_t step = wraps ? utf8_wrap(line + off, (size_t)(w - indent)) : len - off;
            if (step == 0)
                step = len - off;
            /* the row as it fits; the next never begins with the gap it broke at */
            add_row(p, i, off, step, indent);
            off += step;
            off += strspn(line + off, " ");
            indent = hang;
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
    /* rows as they are on screen, a wrapped line's each counted: the
     * operator checks "1-20 of 40" against the rows shown */
    int first = p->nrows ? p->top + 1 : 0;
    int last = p->top + p->height < p->nrows ? p->top + p->height : p->nrows;
    snprintf(where, sizeof where, " %d-%d of %d  q closes ", first, last, p->nrows);
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
        } else if (cut_line(p, p->row_line[r], w)) { /* "…" where it is cut */
            paint_text(y + 1 + i, x, w, line, PA_NORMAL);
        } else { /* exactly this row's piece: no "…", the next row goes on */
            char *piece = xstrndup(line, p->row_len[r]);
            int in = p->row_indent[r];
            paint_text(y + 1 + i, x + in, w - in, piece, PA_NORMAL);
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
    free(p->table_col);
    free(p->row_line);
    free(p->row_off);
    free(p->row_len);
    free(p->row_indent);
    cJSON_Delete(p->subject);
    free(p->title);
    pager_free(p->under);
    free(p);
}

const char *pager_field(const struct pager *p, const char *name)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p->subject, name));
}

/*
 * list.c — the list widget: rows, a selection, scrolling, search, columns.
 *
 * Screens show what `--json` listing commands print: an array of objects.
 * The list keeps that array as its rows and draws the columns a screen
 * declares (a key of the object, a title, a width or a share of what is
 * left), so a screen is mostly a column table. When the rows are replaced
 * after a reload, the selection stays on the row with the same id (id_key)
 * rather than the same position: a NOTIFY-driven reload never makes the
 * operator approve the wrong candidate.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/fold.h"
#include "kasparro/utf8.h"
#include "tui-private.h"

#define LIST_FIT_MAX 40

void list_init(struct list *l, const struct list_col *cols, int ncols, const char *id_key,
               const char *empty)
{
    memset(l, 0, sizeof *l);
    l->cols = cols;
    l->ncols = ncols;
    l->id_key = id_key;
    l->empty = empty;
}

const char *json_text(const cJSON *v, char *buf, size_t len)
{
    if (v == NULL || cJSON_IsNull(v))
        snprintf(buf, len, "-");
    else if (cJSON_IsString(v))
        return v->valuestring;
    else if (cJSON_IsBool(v))
        snprintf(buf, len, "%s", cJSON_IsTrue(v) ? "yes" : "no");
    else if (cJSON_IsNumber(v) && v->valuedouble == (double)(long long)v->valuedouble)
        snprintf(buf, len, "%lld", (long long)v->valuedouble);
    else if (cJSON_IsNumber(v))
        snprintf(buf, len, "%.3f", v->valuedouble);
    else {
        char *s = cJSON_PrintUnformatted(v);
        snprintf(buf, len, "%s", s ? s : "?");
        cJSON_free(s);
    }
    return buf;
}

const char *json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

double json_num(const cJSON *obj, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

void list_set_rows(struct list *l, cJSON *rows)
{
    char was[256] = "", buf[256];
    const cJSON *sel = list_selected(l);

    if (sel != NULL && l->id_key != NULL)
        snprintf(was, sizeof was, "%s",
                 json_text(cJSON_GetObjectItemCaseSensitive(sel, l->id_key), buf, sizeof buf));
    cJSON_Delete(l->rows);
    l->rows = cJSON_IsArray(rows) ? rows : NULL;
    if (l->rows == NULL)
        cJSON_Delete(rows);
    l->n = l->rows ? cJSON_GetArraySize(l->rows) : 0;
    if (was[0] != '\0')
        list_select(l, was);
    if (l->sel >= l->n)
        l->sel = l->n > 0 ? l->n - 1 : 0;
}

bool list_select(struct list *l, const char *id)
{
    char buf[256];
    int i = 0;

    for (const cJSON *r = l->rows ? l->rows->child : NULL; r; r = r->next, i++)
        if (strcmp(json_text(cJSON_GetObjectItemCaseSensitive(r, l->id_key), buf, sizeof buf),
                   id) == 0) {
            l->sel = i;
            return true;
        }
    return false;
}

const cJSON *list_selected(const struct list *l)
{
    if (l->rows == NULL || l->n == 0)
        return NULL;
    return cJSON_GetArrayItem(l->rows, l->sel);
}

bool move_step(const char *how, int *pos, int shown, int last)
{
    int page = shown > 1 ? shown - 1 : 1;

    if (strcmp(how, "down") == 0)
        ++*pos;
    else if (strcmp(how, "up") == 0)
        --*pos;
    else if (strcmp(how, "page-down") == 0)
        *pos += page;
    else if (strcmp(how, "page-up") == 0)
        *pos -= page;
    else if (strcmp(how, "top") == 0)
        *pos = 0;
    else if (strcmp(how, "bottom") == 0)
        *pos = last;
    else
        return false;
    if (*pos > last)
        *pos = last;
    if (*pos < 0)
        *pos = 0;
    return true;
}

bool list_move(struct list *l, const char *how)
{
    if (strcmp(how, "left") == 0 || strcmp(how, "right") == 0)
        return true; /* nothing to scroll sideways */
    return move_step(how, &l->sel, l->height, l->n - 1);
}

static const char *cell_text(const struct list_col *c, const cJSON *row, char *buf, size_t len)
{
    if (c->format != NULL) {
        c->format(row, buf, len);
        return buf;
    }
    return json_text(cJSON_GetObjectItemCaseSensitive(row, c->key), buf, len);
}

/* `folded`: the search text through fold_text (case and accents ignored). */
static bool row_matches(const struct list *l, const cJSON *row, const char *folded)
{
    char buf[1024];

    for (int c = 0; c < l->ncols; c++)
        if (fold_contains(cell_text(&l->cols[c], row, buf, sizeof buf), folded))
            return true;
    return false;
}

bool list_search(struct list *l, const char *text, bool backward)
{
    char *folded = fold_text(text);
    bool found = false;

    for (int step = 1; step <= l->n && !found; step++) {
        int i = ((backward ? l->sel - step : l->sel + step) % l->n + l->n) % l->n;
        if (row_matches(l, cJSON_GetArrayItem(l->rows, i), folded)) {
            l->sel = i;
            found = true;
        }
    }
    free(folded);
    return found;
}

/* The widest cell of column c over every row (not only those in view, so
 * the columns stay put while scrolling), the title included. */
static int widest(const struct list *l, int c)
{
    char buf[1024];
    int most = (int)utf8_width(l->cols[c].title);

    for (const cJSON *r = l->rows ? l->rows->child : NULL; r != NULL; r = r->next) {
        int cells = (int)utf8_width(cell_text(&l->cols[c], r, buf, sizeof buf));
        if (cells > most)
            most = cells;
    }
    return most;
}

/* Fixed columns take their width, widened to their widest cell (up to
 * LIST_FIT_MAX cells): an id or a count is never cut, whatever its length.
 * Flexible ones share the rest. */
static void layout(const struct list *l, int w, int *widths)
{
    int fixed = 0, nflex = 0;

    for (int c = 0; c < l->ncols; c++) {
        widths[c] = l->cols[c].width;
        if (l->cols[c].flags & LC_FLEX) {
            nflex++;
        } else {
            int most = widest(l, c);
            if (most > widths[c])
                widths[c] = most < LIST_FIT_MAX ? most : LIST_FIT_MAX;
            fixed += widths[c];
        }
        fixed += c > 0;
    }
    int room = w - fixed;
    for (int c = 0; c < l->ncols; c++)
        if ((l->cols[c].flags & LC_FLEX) && room / (nflex ? nflex : 1) > widths[c])
            widths[c] = room / (nflex ? nflex : 1);
}

/* How many columns (from the left) are drawn in w cells: each whole, but
 * for a flexible one, which may be cut ("…"). */
static int columns_shown(const struct list *l, const int *widths, int w)
{
    int c = 0;

    for (int cx = 0; c < l->ncols && cx < w; cx += widths[c++] + 1)
        if (cx + widths[c] > w && !(l->cols[c].flags & LC_FLEX))
            break;
    return c;
}

static void draw_row(const struct list *l, const cJSON *row, const int *widths, int ncols, int y,
                     int x, int w, bool selected)
{
    char buf[1024];
    int cx = x;

    if (selected)
        paint_fill(y, x, w, PA_SELECTED);
    for (int c = 0; c < ncols; c++) {
        const struct list_col *col = &l->cols[c];
        int cw = widths[c] < x + w - cx ? widths[c] : x + w - cx;
        enum paint_attr a = selected ? PA_SELECTED : col->attr ? col->attr(row) : PA_NORMAL;
        paint_cell(y, cx, cw, cell_text(col, row, buf, sizeof buf), col->flags & LC_RIGHT, a);
        cx += cw + 1;
    }
}

void list_draw(struct list *l, int y, int x, int h, int w)
{
    int widths[32], cx = x, ncols;

    if (h < 2 || l->ncols > 32)
        return;
    layout(l, w, widths);
    ncols = columns_shown(l, widths, w);
    for (int c = 0; c < ncols; c++) {
        int cw = widths[c] < x + w - cx ? widths[c] : x + w - cx;
        paint_cell(y, cx, cw, l->cols[c].title, l->cols[c].flags & LC_RIGHT, PA_HEADER);
        cx += cw + 1;
    }
    if (ncols < l->ncols) /* columns that do not fit whole are left out, and say so */
        paint_text(y, x + w - 1, 1, "\xe2\x80\xba", PA_HEADER);
    h--;
    y++;
    l->height = h;
    if (l->n == 0) {
        paint_text(y, x, w, l->empty ? l->empty : "nothing to show", PA_DIM);
        return;
    }
    if (l->sel < l->top)
        l->top = l->sel;
    if (l->sel >= l->top + h)
        l->top = l->sel - h + 1;
    if (l->top > l->n - h)
        l->top = l->n - h > 0 ? l->n - h : 0;
    int i = 0;
    for (const cJSON *r = l->rows->child; r != NULL && i < l->top + h; r = r->next, i++)
        if (i >= l->top)
            draw_row(l, r, widths, ncols, y + i - l->top, x, w, i == l->sel);
}

void list_free(struct list *l)
{
    cJSON_Delete(l->rows);
    l->rows = NULL;
    l->n = 0;
}

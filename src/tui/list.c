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
 *
 * Any list can be narrowed to the rows containing a text and ordered by a
 * column, over the rows loaded (a screen that pages past a cap narrows
 * what it loaded; Entities and the others that filter in the database keep
 * their own `filter`). Both make `rows` a view: an array of references to
 * the loaded objects, rebuilt when the rows are replaced.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    l->sort_col = -1;
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

static void drop_view(struct list *l)
{
    if (l->rows != l->all)
        cJSON_Delete(l->rows); /* a view, or the rows of a screen that owns them */
    l->rows = NULL;
}

static void build_view(struct list *l);

/* The id of the selected row into was ("" when none), to select it again
 * once the rows are rebuilt. */
static void selected_id(const struct list *l, char *was, size_t len)
{
    char buf[256];
    const cJSON *sel = list_selected(l);

    was[0] = '\0';
    if (sel != NULL && l->id_key != NULL)
        snprintf(was, len, "%s",
                 json_text(cJSON_GetObjectItemCaseSensitive(sel, l->id_key), buf, sizeof buf));
}

void list_set_rows(struct list *l, cJSON *rows)
{
    char was[256];

    selected_id(l, was, sizeof was);
    drop_view(l);
    cJSON_Delete(l->all);
    l->all = cJSON_IsArray(rows) ? rows : NULL;
    if (l->all == NULL)
        cJSON_Delete(rows);
    build_view(l);
    list_marks_prune(l);
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
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, c->key);
    if ((c->flags & LC_TIME) && cJSON_IsString(v))
        return out_time(v->valuestring, buf, len); /* as the command's text shows it */
    return json_text(v, buf, len);
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

/* A row's sort key in one column: its number, or its text folded. */
struct sort_key {
    cJSON *row;
    int pos;
    bool is_num;
    double num;
    char *text;
};

static int sort_desc; /* qsort has no argument: set around the one call */

static int cmp_keys(const void *pa, const void *pb)
{
    const struct sort_key *a = pa, *b = pb;
    int c;

    if (a->is_num && b->is_num)
        c = a->num < b->num ? -1 : a->num > b->num;
    else if (a->is_num != b->is_num)
        c = a->is_num ? -1 : 1; /* numbers before "-" and words */
    else
        c = strcmp(a->text, b->text);
    if (sort_desc)
        c = -c;
    return c != 0 ? c : a->pos - b->pos; /* stable */
}

static void sort_view(struct list *l, cJSON *view)
{
    const struct list_col *col = &l->cols[l->sort_col];
    int n = cJSON_GetArraySize(view), i = 0;
    struct sort_key *keys = xcalloc((size_t)n + 1, sizeof *keys);
    char buf[1024];

    for (cJSON *r = view->child; r != NULL; r = r->next, i++) {
        /* a formatted cell sorts by its number when its field is one (the
         * Deleted screen's RUN: a run's id, else "retired") */
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, col->key);
        keys[i].row = r;
        keys[i].pos = i;
        keys[i].is_num = cJSON_IsNumber(v);
        keys[i].num = keys[i].is_num ? v->valuedouble : 0;
        keys[i].text = fold_text(cell_text(col, r, buf, sizeof buf));
    }
    sort_desc = l->sort_desc;
    qsort(keys, (size_t)n, sizeof *keys, cmp_keys);
    view->child = NULL; /* relinked in order */
    for (i = 0; i < n; i++) {
        keys[i].row->next = keys[i].row->prev = NULL;
        cJSON_AddItemToArray(view, keys[i].row);
        free(keys[i].text);
    }
    free(keys);
}

/* `rows`: `all` as it is, or the rows containing the filter, in order. */
static void build_view(struct list *l)
{
    drop_view(l);
    l->rows = l->all;
    if (l->all != NULL && (l->filter != NULL || l->sort_col >= 0)) {
        char *folded = l->filter ? fold_text(l->filter) : NULL;
        l->rows = cJSON_CreateArray();
        for (const cJSON *r = l->all->child; r != NULL; r = r->next)
            if (folded == NULL || row_matches(l, r, folded))
                cJSON_AddItemToArray(l->rows, cJSON_CreateObjectReference(r->child));
        free(folded);
        if (l->sort_col >= 0)
            sort_view(l, l->rows);
    }
    l->n = l->rows ? cJSON_GetArraySize(l->rows) : 0;
}

/* Rebuilds the view, the selection kept on its row where it still is. */
static void rebuild_view(struct list *l)
{
    char was[256];

    selected_id(l, was, sizeof was);
    build_view(l);
    l->sel = l->top = 0;
    if (was[0] != '\0')
        list_select(l, was);
}

int list_filter(struct list *l, const char *text, struct err *err)
{
    if (l->own_rows)
        return err_set(err, "this list is not filtered by text");
    free(l->filter);
    l->filter = text != NULL && *text != '\0' ? xstrdup(text) : NULL;
    rebuild_view(l);
    return 0;
}

int list_sort(struct list *l, const char *column, struct err *err)
{
    if (l->own_rows)
        return err_set(err, "this list keeps its own order");
    if (column == NULL) {
        /* each column up, then down, then as loaded */
        if (l->sort_col >= 0 && !l->sort_desc)
            l->sort_desc = true;
        else {
            l->sort_col = l->sort_col + 1 < l->ncols ? l->sort_col + 1 : -1;
            l->sort_desc = false;
        }
    } else {
        int c = 0;
        while (c < l->ncols && strcasecmp(column, l->cols[c].title) != 0 &&
               strcasecmp(column, l->cols[c].key ? l->cols[c].key : "") != 0)
            c++;
        if (c == l->ncols)
            return err_set(err, "no column '%s' to order by", column);
        l->sort_desc = c == l->sort_col && !l->sort_desc;
        l->sort_col = c;
    }
    rebuild_view(l);
    return 0;
}

/* A column's title, with an arrow when the rows are ordered by it. */
static const char *col_title(const struct list *l, int c, char *buf, size_t len)
{
    if (c != l->sort_col)
        return l->cols[c].title;
    snprintf(buf, len, "%s%s", l->cols[c].title, l->sort_desc ? "\xe2\x96\xbc" : "\xe2\x96\xb2");
    return buf;
}

/* The widest cell of column c over every row (not only those in view, so
 * the columns stay put while scrolling), the title included unless
 * `cells_only`. */
static int widest_of(const struct list *l, int c, bool cells_only)
{
    char buf[1024];
    int most = cells_only ? 0 : (int)utf8_width(col_title(l, c, buf, sizeof buf));

    for (const cJSON *r = l->rows ? l->rows->child : NULL; r != NULL; r = r->next) {
        int cells = (int)utf8_width(cell_text(&l->cols[c], r, buf, sizeof buf));
        if (cells > most)
            most = cells;
    }
    return most;
}

static int widest(const struct list *l, int c) { return widest_of(l, c, false); }

/* The cells the widest last clause of column c takes alone (out_end_width). */
static size_t widest_end(const struct list *l, int c)
{
    char buf[1024];
    size_t most = 0;

    for (const cJSON *r = l->rows ? l->rows->child : NULL; r != NULL; r = r->next) {
        size_t cells = out_end_width(cell_text(&l->cols[c], r, buf, sizeof buf));
        if (cells > most)
            most = cells;
    }
    return most;
}

/* The column as the shell's tables fit theirs (out_cols_drop): at `width`
 * cells, a flexible one at its widest cell, which it keeps up to 15; one
 * with nothing to say in any row (no run has an error) is not fitted
 * (COL_JSON_ONLY): it takes no column's place. */
static struct out_col fit_col(const struct list *l, int c, int width)
{
    const struct list_col *col = &l->cols[c];
    char buf[128];
    int flags = (col->flags & (LC_OPTIONAL | COL_RANK(3) | LC_KEEPS_END)) |
                (col->flags & LC_FLEX ? COL_ELASTIC : 0);
    int title = (int)utf8_width(col_title(l, c, buf, sizeof buf));

    if (col->flags & LC_FLEX) { /* one pass over the rows: widest() is this and the title */
        int cells = widest_of(l, c, true);
        if (cells == 0)
            flags |= COL_JSON_ONLY;
        else
            width = cells > title ? cells : title;
    }
    return (struct out_col){(size_t)width, (size_t)title, flags,
                            col->flags & LC_KEEPS_END ? widest_end(l, c) : 0};
}

/* Fixed columns take the width of their widest cell or title (up to
 * LIST_FIT_MAX cells): an id or a count is never cut, whatever its length,
 * and a column of short values ("articles-csv" under a 16-cell SOURCE)
 * leaves the rest to the flexible ones, a title at 80 columns. Before any
 * row is loaded they take their declared width. In a pane too narrow for
 * them all the optional ones leave, rank by rank, as in the shell's
 * tables (-1: left out). Flexible ones share the rest. */
/* The columns' widths before the pane's width is looked at, and which of
 * them leave (COL_JSON_ONLY in fit); LC_ROOMY columns steady or not.
 * Columns shown. */
static int fit_widths(const struct list *l, int w, bool roomy, int *widths, struct out_col *fit)
{
    bool loaded = l->rows != NULL && l->rows->child != NULL;
    int shown = 0;

    for (int c = 0; c < l->ncols; c++) {
        int steady = l->cols[c].flags & LC_STEADY || (roomy && (l->cols[c].flags & LC_ROOMY));
        widths[c] = l->cols[c].width;
        if (!(l->cols[c].flags & LC_FLEX)) {
            int most = widest(l, c);
            if ((loaded && !steady) || most > widths[c])
                widths[c] = most < LIST_FIT_MAX || (l->cols[c].flags & LC_SHARES) ? most
                                                                                    : LIST_FIT_MAX;
        }
        fit[c] = fit_col(l, c, widths[c]);
    }
    out_cols_drop(fit, (size_t)l->ncols, 1, w > 0 ? (size_t)w : 1);
    for (int c = 0; c < l->ncols; c++)
        shown += !(fit[c].flags & COL_JSON_ONLY);
    return shown;
}

static void layout(const struct list *l, int w, int *widths)
{
    int fixed = 0, nflex = 0, n = 0;
    struct out_col fit[32];
    int roomy[32];
    struct out_col roomy_fit[32];

    /* LC_ROOMY columns keep their width where that costs no column */
    int with = fit_widths(l, w, true, roomy, roomy_fit);
    if (fit_widths(l, w, false, widths, fit) <= with) {
        memcpy(widths, roomy, sizeof roomy);
        memcpy(fit, roomy_fit, sizeof roomy_fit);
    }
    for (int c = 0; c < l->ncols; c++) {
        if ((fit[c].flags & COL_JSON_ONLY) && !(l->cols[c].flags & LC_FLEX))
            widths[c] = -1;
        else if (l->cols[c].flags & LC_FLEX)
            nflex++;
        else
            fixed += widths[c];
        fixed += widths[c] >= 0 && n++ > 0;
    }
    for (int c = 0; c < l->ncols; c++) /* LC_SHARES: half of its room and the flexible ones' */
        if ((l->cols[c].flags & LC_SHARES) && widths[c] >= 0 && nflex > 0) {
            int half = (w - fixed + widths[c]) / 2;
            int cap = half > l->cols[c].width ? half : l->cols[c].width;
            if (widths[c] > cap) {
                fixed -= widths[c] - cap;
                widths[c] = cap;
            }
        }
    int room = w - fixed;
    for (int c = 0; c < l->ncols; c++)
        if ((l->cols[c].flags & LC_FLEX) && widths[c] >= 0 &&
            room / (nflex ? nflex : 1) > widths[c])
            widths[c] = room / (nflex ? nflex : 1);
}

/* How many columns (from the left) are drawn in w cells, those left out
 * (-1) skipped: each whole, but for a flexible one, which may be cut ("…")
 * to no fewer cells than its title has (an "E…" under ERROR says nothing:
 * the column is left out). */
static int columns_shown(const struct list *l, const int *widths, int w)
{
    int c = 0;

    for (int cx = 0; c < l->ncols && cx < w; c++) {
        if (widths[c] < 0)
            continue;
        int room = w - cx < widths[c] ? w - cx : widths[c];
        if (l->cols[c].flags & LC_FLEX ? room < (int)utf8_width(l->cols[c].title)
                                       : room < widths[c])
            break;
        cx += widths[c] + 1;
    }
    return c;
}

/* Whether a column from `from` on that was not left out is not drawn: a
 * flexible one with nothing to say in any row (ERROR when no run failed)
 * hides nothing, and is no reason for the "›" that says columns are. */
static bool columns_cut(const struct list *l, const int *widths, int from)
{
    for (int c = from; c < l->ncols; c++)
        if (widths[c] >= 0 && !((l->cols[c].flags & LC_FLEX) && widest_of(l, c, true) == 0))
            return true;
    return false;
}

/* s in `cells`, its middle left out ("tidewater-bets-on-o…metry-001"):
 * the end of a key tells it from its neighbours. */
static void cut_middle(char *buf, size_t len, const char *s, int cells)
{
    int tail = (cells - 1) / 3;
    const char *end = s + utf8_skip(s, utf8_width(s) - (size_t)tail);

    utf8_fit(buf, len, s, (size_t)(cells - tail)); /* the head, ending in "…" */
    snprintf(buf + strlen(buf), len - strlen(buf), "%s", end);
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
        if (widths[c] < 0)
            continue;
        int cw = widths[c] < x + w - cx ? widths[c] : x + w - cx;
        enum paint_attr a = selected ? PA_SELECTED : col->attr ? col->attr(row) : PA_NORMAL;
        const char *text = cell_text(col, row, buf, sizeof buf);
        char end[1024 + 8];
        if ((col->flags & LC_KEEPS_END) && cw > 0) {
            out_fit_end(end, sizeof end, text, (size_t)cw);
            text = end;
        } else if ((col->flags & LC_SHARES) && cw > 8 && (int)utf8_width(text) > cw) {
            cut_middle(end, sizeof end, text, cw);
            text = end;
        }
        paint_cell(y, cx, cw, text, col->flags & LC_RIGHT, a);
        cx += cw + 1;
    }
}

void list_draw(struct list *l, int y, int x, int h, int w)
{
    int widths[32], cx = x, ncols;
    char title[128];

    if (l->filter != NULL && h >= 3) { /* what the rows are narrowed to, first */
        paint_textf(y++, x, w, PA_WARN, "rows containing '%s': %d of %d \xc2\xb7 / and Enter: all",
                    l->filter, l->n, l->all ? cJSON_GetArraySize(l->all) : 0);
        h--;
    }
    if (h < 2 || l->ncols > 32)
        return;
    int gutter = list_marks_gutter(l); /* the mark column, while rows are marked */
    if (gutter > 0)
        list_mark_draw(l, NULL, y, x, false);
    x += gutter;
    w -= gutter;
    cx = x;
    layout(l, w, widths);
    ncols = columns_shown(l, widths, w);
    for (int c = 0; c < ncols; c++) {
        if (widths[c] < 0)
            continue;
        int cw = widths[c] < x + w - cx ? widths[c] : x + w - cx;
        paint_cell(y, cx, cw, col_title(l, c, title, sizeof title), l->cols[c].flags & LC_RIGHT,
                   PA_HEADER);
        cx += cw + 1;
    }
    if (columns_cut(l, widths, ncols)) /* columns that do not fit whole are left out: say so */
        paint_text(y, x + w - 1, 1, "\xe2\x80\xba", PA_HEADER);
    h--;
    y++;
    l->height = h;
    l->rows_y = y;
    l->rows_x = x;
    l->rows_w = w;
    if (l->n == 0 && l->filter != NULL) {
        paint_textf(y, x, w, PA_DIM, "no row contains '%s'", l->filter);
        return;
    }
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
        if (i >= l->top) {
            draw_row(l, r, widths, ncols, y + i - l->top, x, w, i == l->sel);
            if (gutter > 0)
                list_mark_draw(l, r, y + i - l->top, x - gutter, i == l->sel);
        }
}

bool list_click(struct list *l, int y, int x)
{
    int i = l->top + y - l->rows_y;

    if (y < l->rows_y || y >= l->rows_y + l->height || x < l->rows_x ||
        x >= l->rows_x + l->rows_w || i >= l->n)
        return false;
    l->sel = i;
    return true;
}

void list_free(struct list *l)
{
    drop_view(l);
    cJSON_Delete(l->all);
    l->all = NULL;
    l->n = 0;
    free(l->filter);
    l->filter = NULL;
    list_marks_clear(l);
}

/*
 * out.c — tables and JSON output for commands (see out.h).
 *
 * A table keeps every cell as text plus, for JSON, a typed value; rows are
 * printed only at the end, when column widths are known. A table wider than
 * the reader's width (a terminal's, or the console pane's) first writes its
 * COL_TERSE times short, then leaves out COL_OPTIONAL columns, rank by
 * rank, until the others fit with its labels still readable
 * (out_cols_drop, which the console's lists follow too), then cuts its
 * COL_ELASTIC columns (titles, names, errors: the row's id is beside them)
 * with "…" to the cells left, a COL_YIELDS label first, as htop and ps cut
 * their command column: the table stays a table. On a terminal COL_WIDE
 * columns are then cut too, and a table still wider is written a row at a
 * time, its long values wrapped under themselves, so nothing wraps to the
 * first column. The console's pager
 * cuts a wide table at its edge and scrolls it sideways instead; it learns
 * where the tables are from ctx->tables. A pipe or --json gets every cell
 * whole: only a reader with a width has cells cut.
 */
#include "kasparro/out.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "kasparro/buf.h"
#include "kasparro/clock.h"

struct column {
    char *key;
    char *title;
    bool tersed; /* its times were written short (COL_TERSE) */
};

struct cell {
    char *text;
    cJSON *json;
};

struct table {
    struct column *cols;
    struct out_col *fit; /* per column: its width, its title's, its flags */
    size_t ncols;
    struct cell *cells; /* rows * ncols */
    size_t nrows;
    size_t filled;      /* cells written in the current row */
    long long total;    /* rows in all (table_total), or -1 */
    bool more;          /* total - 1 is what a count stopped at (table_total_more) */
    long long offset;   /* rows of the order before the first shown (--offset) */
    char *noun;
    char *next;         /* "--before 57": what shows the next page (table_next), or NULL */
};

struct table *table_new(void)
{
    struct table *t = xcalloc(1, sizeof(struct table));
    t->total = -1;
    return t;
}

void table_total(struct table *t, long long total, const char *noun)
{
    t->total = total;
    free(t->noun);
    t->noun = xstrdup(noun);
}

void table_total_more(struct table *t, long long more_than, const char *noun)
{
    table_total(t, more_than + 1, noun);
    t->more = true;
}

void table_offset(struct table *t, long long offset) { t->offset = offset; }

void table_next(struct table *t, const char *option, long long value)
{
    free(t->next);
    t->next = xasprintf("--%s %lld", option, value);
}

const char *out_number(double v, char *buf, size_t len)
{
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, len, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

/* Six decimals always, so a column of them lines up digit under digit.
 * The model never knows a pair for certain: a probability stored at 1
 * (where the weight outruns a double, +30 bits and more) or rounding to
 * it reads ">0.999999", as one rounding to 0 reads "<0.000001". */
const char *out_prob(double p, char *buf, size_t len)
{
    snprintf(buf, len, "%.6f", p);
    if (strtod(buf, NULL) >= 1)
        snprintf(buf, len, ">0.999999");
    else if (strtod(buf, NULL) <= 0)
        snprintf(buf, len, "<0.000001");
    return buf;
}

const char *out_count(long long n, char *buf, size_t len)
{
    char digits[32];
    int nd = snprintf(digits, sizeof digits, "%lld", n < 0 ? -n : n);
    size_t o = 0;

    if (n < 0 && o + 1 < len)
        buf[o++] = '-';
    for (int i = 0; i < nd && o + 2 < len; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

void table_col(struct table *t, const char *key, const char *title, int flags)
{
    t->cols = xreallocarray(t->cols, t->ncols + 1, sizeof *t->cols);
    t->fit = xreallocarray(t->fit, t->ncols + 1, sizeof *t->fit);
    t->fit[t->ncols] = (struct out_col){utf8_width(title), utf8_width(title), flags, 0};
    t->cols[t->ncols++] = (struct column){xstrdup(key), xstrdup(title), false};
}

void table_row(struct table *t)
{
    if (t->nrows > 0 && t->filled != t->ncols)
        BUG("table row %zu has %zu of %zu cells", t->nrows, t->filled, t->ncols);
    t->cells = xreallocarray(t->cells, (t->nrows + 1) * t->ncols, sizeof *t->cells);
    memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof *t->cells);
    t->nrows++;
    t->filled = 0;
}

static void put(struct table *t, char *text, cJSON *json)
{
    if (t->nrows == 0 || t->filled >= t->ncols)
        BUG("table cell outside a row");
    struct cell *c = &t->cells[(t->nrows - 1) * t->ncols + t->filled];
    struct out_col *col = &t->fit[t->filled++];
    size_t w = utf8_width(text);

    c->text = text;
    c->json = json;
    if (w > col->width)
        col->width = w;
    if ((col->flags & COL_KEEPS_END) && w > 0 && (w = out_end_width(text)) > col->end)
        col->end = w;
}

/* Text cells show on one line: newlines and tabs become spaces. */
static char *one_line(const char *s)
{
    char *copy = xstrdup(s);
    for (char *p = copy; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    return copy;
}

void table_str(struct table *t, const char *s)
{
    if (s == NULL)
        put(t, xstrdup("-"), cJSON_CreateNull());
    else
        put(t, one_line(s), cJSON_CreateString(s));
}

const char *out_time(const char *iso, char *buf, size_t len)
{
    size_t n = strlen(iso);

    /* only the exact form SQL_UTC_ISO writes is shortened */
    if (n != 20 || iso[10] != 'T' || iso[19] != 'Z')
        return iso;
    snprintf(buf, len, "%.10s %.8s", iso, iso + 11);
    return buf;
}

void table_time(struct table *t, const char *iso)
{
    char text[32];

    if (iso == NULL)
        table_null(t);
    else
        put(t, xstrdup(out_time(iso, text, sizeof text)), cJSON_CreateString(iso));
}

void table_int(struct table *t, long long v)
{
    put(t, xasprintf("%lld", v), cJSON_CreateNumber((double)v));
}

void table_num(struct table *t, double v, int decimals)
{
    put(t, xasprintf("%.*f", decimals, v), cJSON_CreateNumber(v));
}

void table_bool(struct table *t, bool v)
{
    put(t, xstrdup(v ? "yes" : "no"), cJSON_CreateBool(v));
}

void table_null(struct table *t) { put(t, xstrdup("-"), cJSON_CreateNull()); }

void table_json(struct table *t, const char *text, cJSON *json)
{
    put(t, one_line(text), json);
}

size_t table_rows(const struct table *t) { return t->nrows; }

static size_t terminal_width(FILE *out)
{
    struct winsize ws;

    if (out == stdout && isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
        ws.ws_col > 20)
        return ws.ws_col;
    return 0;
}

size_t out_width(const struct cmd_ctx *ctx)
{
    return ctx->width > 0 ? (size_t)ctx->width : terminal_width(ctx->out);
}

/* The cells a narrowed column keeps at the least: its title, and CUT_MIN
 * (fewer say nothing: "missing…"); a column narrower than that keeps its
 * own width. Optional columns leave before a label is cut below
 * READ_MIN, the cells in which a reason or an error starts to say what
 * it is about ("deletions held: w…"). */
#define CUT_MIN 10
#define READ_MIN 15

static size_t at_least(const struct out_col *c, size_t cells)
{
    size_t floor = c->title > cells ? c->title : cells;
    return c->width < floor ? c->width : floor;
}

static size_t narrowest(const struct out_col *c) { return at_least(c, CUT_MIN); }

/* Cells a line of columns `gap` cells apart takes with the columns of
 * `flag` at `cells` (or their title, or their own width when less; flag 0:
 * every column at its width). A COL_WHOLE column keeps its width unless
 * `flag` names COL_WHOLE too. */
static size_t cols_width(const struct out_col *cols, size_t ncols, size_t gap, int flag,
                         size_t cells)
{
    size_t total = 0;

    for (size_t i = 0, n = 0; i < ncols; i++) {
        const struct out_col *c = &cols[i];
        bool cut = (c->flags & flag) && (!(c->flags & COL_WHOLE) || (flag & COL_WHOLE));
        if (!(c->flags & COL_JSON_ONLY))
            total += (cut ? at_least(c, cells) : c->width) + (n++ ? gap : 0);
    }
    return total;
}

static size_t width_narrowed(const struct table *t, int flag, size_t cells)
{
    return cols_width(t->fit, t->ncols, 2, flag, cells);
}

size_t table_width(const struct table *t) { return width_narrowed(t, 0, 0); }

/* Narrows the text columns of `flag` until the table fits `width` cells,
 * none below its narrowest: the other columns keep their width, a column
 * within its share of the cells left keeps its own, and the rest share
 * what remains (htop's and ps's free-text column; print_cell cuts with
 * "…"). Stays wider than `width` when the other columns leave too little. */
static void narrow(struct table *t, size_t width, int flag)
{
    size_t other = table_width(t), room, n = 0; /* other: the cells of the rest */

    if (width == 0 || other <= width)
        return;
    bool *cut = xcalloc(t->ncols, sizeof *cut);
    for (size_t i = 0; i < t->ncols; i++)
        if ((t->fit[i].flags & flag) && !(t->fit[i].flags & COL_JSON_ONLY)) {
            cut[i] = true;
            other -= t->fit[i].width;
            n++;
        }
    room = width > other ? width - other : 0;
    for (bool again = true; again && n > 0;) {
        again = false;
        for (size_t i = 0; i < t->ncols; i++)
            if (cut[i] && t->fit[i].width <= room / n) { /* whole: more for the rest */
                cut[i] = false;
                again = true;
                room -= t->fit[i].width;
                n--;
            }
    }
    for (size_t i = 0; i < t->ncols; i++)
        if (cut[i]) {
            size_t share = (room + n - 1) / n, floor = narrowest(&t->fit[i]);
            t->fit[i].width = share > floor ? share : floor;
            room -= share;
            n--;
        }
    free(cut);
}

/* A cell padded to its column, cut with "…" only when the column was
 * narrowed for a reader's width: a cell of any length (a run's 4 KiB
 * error) is written whole to a pipe. */
/* The head before the clause keeps at least this many cells with its "…"
 * ("would dele…"); fewer say nothing, and the clause stands alone after a
 * "…" ("…above max_ratio 10%"). */
#define END_HEAD_MIN 10

/* Where the last clause of `s` begins: its last "; ", else its last ", ";
 * NULL when it has neither. */
static const char *last_clause(const char *s)
{
    const char *sep = NULL, *p;

    for (p = s; (p = strstr(p, "; ")) != NULL; p++)
        sep = p;
    for (p = s; sep == NULL && (p = strstr(p, ", ")) != NULL; p++)
        sep = p; /* the last ", " only when there is no "; " */
    return sep;
}

/* `s` with its hints as the console writes them, without "kasparro "
 * ("'apply-deletes 2'"): what a terminal too narrow for the clause a shell
 * copies whole still shows of it. NULL when that changes nothing. */
static char *hints_short(const char *s)
{
    char *copy = xstrdup(s);

    cmd_console_hints(copy);
    if (strcmp(copy, s) != 0)
        return copy;
    free(copy);
    return NULL;
}

static size_t end_width(const char *s)
{
    const char *sep = last_clause(s);

    return sep ? utf8_width(sep) - 2 + 1 : 0;
}

size_t out_end_width(const char *s)
{
    char *shorter = hints_short(s);
    size_t w = end_width(shorter != NULL ? shorter : s);

    free(shorter);
    return w;
}

/* out_fit_end for a clause that fits `cells` (false when it does not). */
static bool fit_end(char *buf, size_t buflen, const char *s, size_t cells, size_t *width)
{
    const char *sep = last_clause(s);
    size_t tail = sep ? utf8_width(sep) : 0; /* the separator and the clause */

    if (sep == NULL || tail - 2 + 1 > cells || buflen < strlen(sep) + 8)
        return false;
    if (tail + END_HEAD_MIN > cells) {
        snprintf(buf, buflen, "\xe2\x80\xa6%s", sep + 2);
        *width = tail - 2 + 1;
        return true;
    }
    char *before = xstrndup(s, (size_t)(sep - s));
    size_t head = utf8_fit(buf, buflen - strlen(sep), before, cells - tail);
    free(before);
    strcat(buf, sep);
    *width = head + tail;
    return true;
}

size_t out_fit_end(char *buf, size_t buflen, const char *s, size_t cells)
{
    size_t width;

    if (utf8_width(s) <= cells)
        return utf8_fit(buf, buflen, s, cells);
    if (fit_end(buf, buflen, s, cells, &width))
        return width;
    /* what to do, as the console names it, rather than nothing of it */
    char *shorter = hints_short(s);
    bool fits = shorter != NULL && fit_end(buf, buflen, shorter, cells, &width);
    free(shorter);
    return fits ? width : utf8_fit(buf, buflen, s, cells);
}

static void print_cell(FILE *out, const struct out_col *c, const char *text, bool last)
{
    size_t w = utf8_width(text), len = strlen(text) + 4; /* room for "…" */
    char *fitted = w > c->width ? xmalloc(len) : NULL;

    if (fitted != NULL)
        w = (c->flags & COL_KEEPS_END) ? out_fit_end(fitted, len, text, c->width)
                                       : utf8_fit(fitted, len, text, c->width);
    size_t pad = c->width > w ? c->width - w : 0;
    if (c->flags & COL_RIGHT)
        fprintf(out, "%*s%s", (int)pad, "", fitted ? fitted : text);
    else
        fprintf(out, "%s%*s", fitted ? fitted : text, last ? 0 : (int)pad, "");
    free(fitted);
}

static const char *line_text(const struct table *t, long row, size_t col)
{
    return row < 0 ? t->cols[col].title : t->cells[(size_t)row * t->ncols + col].text;
}

/* One text line: the titles (row < 0) or a row's cells, text columns only.
 * Empty cells at the end are left out, so no line ends in blanks (a flag
 * column, or a field one side lacks, would otherwise pad it). */
static void print_line(struct table *t, struct cmd_ctx *ctx, long row)
{
    size_t end = 0;

    for (size_t i = 0; i < t->ncols; i++)
        if (!(t->fit[i].flags & COL_JSON_ONLY) && line_text(t, row, i)[0] != '\0')
            end = i + 1;
    for (size_t i = 0, n = 0; i < end; i++) {
        if (t->fit[i].flags & COL_JSON_ONLY)
            continue;
        fputs(n++ ? "  " : "", ctx->out);
        print_cell(ctx->out, &t->fit[i], line_text(t, row, i), i + 1 == end);
    }
    fputc('\n', ctx->out);
}

/* The cells a line takes with its elastic columns at READ_MIN, or with
 * `ends`, those that keep their end at the cells their last clause needs. */
static size_t readable_width(const struct out_col *cols, size_t ncols, size_t gap, bool ends)
{
    size_t total = cols_width(cols, ncols, gap, COL_ELASTIC, READ_MIN);

    for (size_t i = 0; ends && i < ncols; i++) {
        const struct out_col *c = &cols[i];
        size_t at = at_least(c, READ_MIN), need = c->end < c->width ? c->end : c->width;
        if ((c->flags & COL_ELASTIC) && !(c->flags & COL_JSON_ONLY) && !(c->flags & COL_WHOLE) &&
            need > at)
            total += need - at;
    }
    return total;
}

/* Leaves optional columns out, rank by rank, until the line fits. */
static void drop_until(struct out_col *cols, size_t ncols, size_t gap, size_t width, bool ends)
{
    for (int rank = 0; rank < 4; rank++)
        for (size_t i = 0; i < ncols; i++) {
            int flags = cols[i].flags;
            if (readable_width(cols, ncols, gap, ends) <= width)
                return;
            if ((flags & COL_OPTIONAL) && ((flags >> 8) & 3) == rank)
                cols[i].flags |= COL_JSON_ONLY;
        }
}

void out_cols_drop(struct out_col *cols, size_t ncols, size_t gap, size_t width)
{
    if (width == 0)
        return;
    drop_until(cols, ncols, gap, width, false);
    /* a held read's error says what to do last: worth more than a column,
     * but only when leaving columns out lets it show */
    struct out_col *all = xreallocarray(NULL, ncols, sizeof *cols);
    memcpy(all, cols, ncols * sizeof *cols);
    for (size_t i = 0; i < ncols; i++)
        if (all[i].flags & COL_OPTIONAL)
            all[i].flags |= COL_JSON_ONLY;
    if (readable_width(all, ncols, gap, true) <= width)
        drop_until(cols, ncols, gap, width, true);
    free(all);
}

/* The cell at which the last text column begins. */
static size_t last_col_start(const struct table *t)
{
    size_t at = 0, start = 0;

    for (size_t i = 0, n = 0; i < t->ncols; i++)
        if (!(t->fit[i].flags & COL_JSON_ONLY)) {
            start = at + (n ? 2 : 0);
            at = start + t->fit[i].width;
            n++;
        }
    return start;
}

static void spans_add(struct out_spans *s, long start, long end, size_t last_col)
{
    if (start < 0 || end <= start)
        return;
    s->start = xreallocarray(s->start, s->n + 1, sizeof *s->start);
    s->end = xreallocarray(s->end, s->n + 1, sizeof *s->end);
    s->last_col = xreallocarray(s->last_col, s->n + 1, sizeof *s->last_col);
    s->start[s->n] = (size_t)start;
    s->end[s->n] = (size_t)end;
    s->last_col[s->n++] = last_col;
}

void out_spans_free(struct out_spans *s)
{
    free(s->start);
    free(s->end);
    free(s->last_col);
    *s = (struct out_spans){0};
}

long out_spans_last_col(const struct out_spans *s, size_t at)
{
    for (size_t i = 0; s != NULL && i < s->n; i++)
        if (at >= s->start[i] && at < s->end[i])
            return (long)s->last_col[i];
    return -1;
}

bool out_wraps_under_last(size_t last_col, size_t width) { return last_col <= width / 2; }

/* Whether cutting the table at `width` cells would hide its text: a
 * COL_WIDE column (a reason, an error, a title) holding more than its title
 * of which less than half is within the width. Numbers cut off are a
 * scroll away, and so is a title's tail; a reason cut off is what the
 * reader came for. */
static bool cut_hides_text(const struct table *t, size_t width)
{
    size_t at = 0;

    for (size_t i = 0, n = 0; i < t->ncols; i++) {
        const struct out_col *c = &t->fit[i];
        if (c->flags & COL_JSON_ONLY)
            continue;
        at += n++ ? 2 : 0;
        size_t shown = width > at ? width - at : 0;
        if ((c->flags & (COL_WIDE | COL_ELASTIC)) && c->width > c->title && shown * 2 < c->width)
            return true;
        at += c->width;
    }
    return false;
}

/* One "TITLE  value" line of a block. On a terminal a value wider than
 * the cells right of its title wraps between words onto lines hung under
 * it (`hang`), so it reads as one value; the terminal would start them at
 * the first column, under the titles. Elsewhere (the pager hangs its own,
 * a pipe has no width) the value is written on its line whole. */
static void print_field(FILE *out, const char *title, const char *v, size_t hang,
                        size_t terminal)
{
    struct buf b = BUF_INIT;
    size_t room = terminal > hang + CUT_MIN ? terminal - hang : 0;

    buf_printf(&b, "%s%*s", title, (int)(hang - utf8_width(title)), "");
    buf_add_wrapped(&b, v, (int)hang, room);
    fprintf(out, "%s\n", b.data);
    buf_free(&b);
}

/* Writes a COL_TERSE column's times short, from the ISO form its JSON
 * keeps: "12-07 05:26" within half a year of now, else "2025-12-07" (ls -l
 * drops the seconds and the year the same way). */
static void terse(struct table *t, size_t col)
{
    struct out_col *c = &t->fit[col];
    double now = clock_now(), at;

    c->flags &= ~COL_TERSE;
    c->width = c->title;
    t->cols[col].tersed = true;
    for (size_t r = 0; r < t->nrows; r++) {
        struct cell *cell = &t->cells[r * t->ncols + col];
        const char *iso = cJSON_GetStringValue(cell->json);
        char text[32];
        if (iso != NULL && clock_parse(iso, &at) == 0) {
            time_t secs = (time_t)at;
            struct tm tm;
            gmtime_r(&secs, &tm);
            strftime(text, sizeof text, fabs(now - at) < 183 * 86400.0 ? "%m-%d %H:%M" : "%Y-%m-%d",
                     &tm);
            free(cell->text);
            cell->text = xstrdup(text);
        }
        if (utf8_width(cell->text) > c->width)
            c->width = utf8_width(cell->text);
    }
}

/* A table too wide for `width` with its labels readable (out_cols_drop's
 * measure) writes its COL_TERSE times short before any optional column
 * leaves: a time's seconds matter less than a column. */
static void terse_times(struct table *t, size_t width)
{
    if (width == 0 || cols_width(t->fit, t->ncols, 2, COL_ELASTIC, READ_MIN) <= width)
        return;
    for (size_t i = 0; i < t->ncols; i++)
        if ((t->fit[i].flags & COL_TERSE) && !(t->fit[i].flags & COL_JSON_ONLY))
            terse(t, i);
}

/* Each row as a block of "TITLE  value" lines, a blank line between rows
 * (psql's expanded display); values are whole, wrapped under themselves
 * (print_field). Empty cells are left out; the optional columns a narrow
 * table left out are back, a row at a time has room for them. */
static void print_expanded(struct table *t, struct cmd_ctx *ctx)
{
    size_t label = 0, terminal = ctx->tables != NULL ? 0 : terminal_width(ctx->out);

    for (size_t i = 0; i < t->ncols; i++)
        if (t->fit[i].flags & COL_OPTIONAL)
            t->fit[i].flags &= ~COL_JSON_ONLY;
    for (size_t i = 0; i < t->ncols; i++)
        if (!(t->fit[i].flags & COL_JSON_ONLY) && utf8_width(t->cols[i].title) > label)
            label = utf8_width(t->cols[i].title);
    for (size_t r = 0; r < t->nrows; r++) {
        fputs(r ? "\n" : "", ctx->out);
        for (size_t i = 0; i < t->ncols; i++) {
            const char *v = line_text(t, (long)r, i), *iso = NULL;
            char full[32];
            if (t->cols[i].tersed) /* a row at a time has room for the seconds */
                iso = cJSON_GetStringValue(t->cells[r * t->ncols + i].json);
            if (iso != NULL)
                v = out_time(iso, full, sizeof full);
            if ((t->fit[i].flags & COL_JSON_ONLY) || v[0] == '\0')
                continue;
            print_field(ctx->out, t->cols[i].title, v, label + 2, terminal);
        }
    }
}

/* Whether a table is shown a row at a time: in the console's pager when
 * cutting it at the pane's edge would hide its text; on a terminal when it
 * is wider than the terminal even with its text columns shortened, since
 * the terminal would wrap each row across the columns below (psql's
 * expanded display, \x auto). */
static bool expands(const struct table *t, const struct cmd_ctx *ctx, size_t width,
                    size_t terminal)
{
    if (ctx->tables != NULL)
        return width > 0 && table_width(t) > width &&
               !out_wraps_under_last(last_col_start(t), width) && cut_hides_text(t, width);
    return terminal > 0 && table_width(t) > terminal;
}

/* What a cap or an offset left out: "50 of 1,682 NOUN shown", or past an
 * offset "51-100 of 1,682 NOUN shown" with the offset of the next page. */
static void print_shown(const struct table *t, struct cmd_ctx *ctx)
{
    char first[32], last[32], count[32], total[48];
    long long end = t->offset + (long long)t->nrows;

    if (t->total < 0 || (t->offset == 0 && t->total <= end))
        return;
    out_count(end, last, sizeof last);
    out_count(t->more ? t->total - 1 : t->total, count, sizeof count);
    snprintf(total, sizeof total, "%s%s", t->more ? "more than " : "", count);
    if (t->offset == 0 && t->next != NULL) {
        fprintf(ctx->out, "%s of %s %s shown; %s shows the next\n", last, total, t->noun,
                t->next);
        return;
    }
    if (t->offset == 0) {
        fprintf(ctx->out, "%s of %s %s shown; --limit N or --limit all shows more\n", last, total,
                t->noun);
        return;
    }
    fprintf(ctx->out, "%s-%s of %s %s shown", out_count(t->offset + 1, first, sizeof first), last,
            total, t->noun);
    if (end < t->total)
        fprintf(ctx->out, "; --offset %lld shows the next", end);
    fputc('\n', ctx->out);
}

static void print_text(struct table *t, struct cmd_ctx *ctx, const char *empty)
{
    if (t->nrows == 0) {
        if (empty != NULL)
            fprintf(ctx->out, "%s\n", empty);
        return;
    }
    size_t width = out_width(ctx), terminal = terminal_width(ctx->out);
    terse_times(t, width);
    out_cols_drop(t->fit, t->ncols, 2, width);
    narrow(t, width, COL_YIELDS);
    narrow(t, width, COL_ELASTIC);
    narrow(t, terminal, COL_WIDE);
    if (expands(t, ctx, width, terminal)) {
        print_expanded(t, ctx);
    } else {
        long start = ctx->tables != NULL ? ftell(ctx->out) : -1;
        print_line(t, ctx, -1);
        for (size_t r = 0; r < t->nrows; r++)
            print_line(t, ctx, (long)r);
        if (ctx->tables != NULL)
            spans_add(ctx->tables, start, ftell(ctx->out), last_col_start(t));
    }
    print_shown(t, ctx);
}

static void print_json(struct table *t, struct cmd_ctx *ctx)
{
    cJSON *arr = cJSON_CreateArray();

    for (size_t r = 0; r < t->nrows; r++) {
        cJSON *obj = cJSON_CreateObject();
        for (size_t i = 0; i < t->ncols; i++) {
            struct cell *c = &t->cells[r * t->ncols + i];
            cJSON_AddItemToObject(obj, t->cols[i].key, c->json);
            c->json = NULL;
        }
        if (t->total >= 0)
            cJSON_AddNumberToObject(obj, "total", (double)t->total);
        cJSON_AddItemToArray(arr, obj);
    }
    out_json(ctx, arr);
}

void table_print(struct table *t, struct cmd_ctx *ctx, const char *empty)
{
    if (ctx->json)
        print_json(t, ctx);
    else
        print_text(t, ctx, empty);
    table_free(t);
}

void table_free(struct table *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++) {
        free(t->cells[i].text);
        cJSON_Delete(t->cells[i].json);
    }
    for (size_t i = 0; i < t->ncols; i++) {
        free(t->cols[i].key);
        free(t->cols[i].title);
    }
    free(t->cells);
    free(t->cols);
    free(t->fit);
    free(t->noun);
    free(t->next);
    free(t);
}

void out_printf(struct cmd_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(ctx->out, fmt, ap);
    va_end(ap);
}

void out_json(struct cmd_ctx *ctx, cJSON *json)
{
    char *s = cJSON_PrintUnformatted(json);

    if (s == NULL)
        fatal("out of memory printing JSON");
    fprintf(ctx->out, "%s\n", s);
    cJSON_free(s);
    cJSON_Delete(json);
}

void out_ok(struct cmd_ctx *ctx, cJSON *extra, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = xvasprintf(fmt, ap);
    va_end(ap);
    if (ctx->json) {
        cJSON *obj = extra ? extra : cJSON_CreateObject();
        cJSON_AddBoolToObject(obj, "ok", 1);
        cJSON_AddStringToObject(obj, "message", msg);
        out_json(ctx, obj);
    } else {
        fprintf(ctx->out, "%s\n", msg);
        cJSON_Delete(extra);
    }
    free(msg);
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

/*
 * out.h — what commands print: text for people, JSON for scripts.
 *
 * A listing command describes columns once and adds cells; table_print()
 * writes aligned text (widths measured in terminal cells, so UTF-8 titles
 * line up) or, with --json, an array of objects keyed by column with typed
 * values. Detail commands build a cJSON object and call out_json() in JSON
 * mode, or write text with out_printf(). One-line results go through
 * out_ok(), which prints {"ok":true,"message":...} in JSON mode.
 */
#ifndef KASPARRO_OUT_H
#define KASPARRO_OUT_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "kasparro/cmd.h"
#include "kasparro/utf8.h"

enum col_flags {
    COL_RIGHT = 1 << 0,     /* right-align (numbers) */
    COL_WIDE = 1 << 1,      /* text the reader came for (a quarantine reason): on a terminal
                               cut to fit once the optional columns are out, to 10 cells at
                               the least; else the table is shown a row at a time */
    COL_JSON_ONLY = 1 << 2, /* in --json output only, not in the text table */
    COL_OPTIONAL = 1 << 3,  /* left out of a text table too wide for the reader's width,
                               one at a time, rank by rank (COL_RANK) in the order
                               declared, until the rest fits with its labels at 15 cells
                               (back when it is shown a row at a time) */
    COL_ELASTIC = 1 << 4,   /* a label the row's id already names (a title, a record's
                               name, a note, an error show-run has whole): takes the cells
                               the other columns leave on a terminal or in the console's
                               pager, cut with "…", so the table stays a table; never an
                               id, a count or a time */
    COL_YIELDS = 1 << 5,    /* an elastic column that gives its cells up first: cut to its
                               narrowest before the other labels are cut (decisions'
                               reason yields to what was decided) */
    COL_TERSE = 1 << 6,     /* a table_time column written short on a reader too narrow
                               for the table, as ls -l writes times: "12-07 05:26" within
                               half a year of now, "2025-12-07" before; done before any
                               optional column leaves */
    COL_WHOLE = 1 << 7,     /* an elastic column the optional columns leave for: they go
                               before it is cut at all, not only before it is cut to a few
                               cells
                               (decisions' WHAT, which says nothing when half of it shows) */
    COL_KEEPS_END = 1 << 12, /* a reason or an error whose last clause is what the reader
                               needs (why: "above max_ratio 10%"; what to do: "'apply-deletes
                               4' or 'discard-deletes 4'"): a cut keeps it (out_fit_end) */
};
/* With COL_OPTIONAL: left out only after every optional column of a lower
 * rank (0, the default, to 3), so the declared order need not be the
 * order in which columns leave. */
#define COL_RANK(n) ((n) << 8)

/* A column as the fitting to a reader's width sees it: its cells (the
 * widest of its values and its title), its title's cells, its flags, and
 * for a COL_KEEPS_END column the cells its widest last clause takes alone
 * after "…" (out_end_width; 0: none). */
struct out_col {
    size_t width;
    size_t title;
    int flags;
    size_t end;
};
/* Leaves the optional columns out (sets COL_JSON_ONLY), one at a time,
 * rank by rank (COL_RANK) and in the order given within a rank, until a
 * line of the columns, `gap` cells apart, fits `width` with its elastic
 * columns at 15 cells: a column goes before a note or an error is cut to
 * its first few words. Then, if leaving out more of them lets a COL_KEEPS_END column
 * show its last clause (what to do: "'apply-deletes 4' or ..."), as many
 * more leave as that takes; if even all of them would not, none does.
 * Text tables do it, and the console's lists with the same flags (width
 * 0: nothing leaves). */
void out_cols_drop(struct out_col *cols, size_t ncols, size_t gap, size_t width);

struct table;

struct table *table_new(void);
/* key: JSON key; title: text header. */
void table_col(struct table *t, const char *key, const char *title, int flags);
void table_row(struct table *t);
void table_str(struct table *t, const char *s); /* NULL -> null / "-" */
void table_int(struct table *t, long long v);
void table_num(struct table *t, double v, int decimals);
void table_bool(struct table *t, bool v);
void table_null(struct table *t);
/* A time as SQL_UTC_ISO writes it: the same in JSON, "YYYY-MM-DD HH:MM:SS"
 * (UTC) in the text; NULL -> null / "-". */
void table_time(struct table *t, const char *iso);
/* A cell whose JSON value differs from its text (e.g. a nested object). */
void table_json(struct table *t, const char *text, cJSON *json);
size_t table_rows(const struct table *t);
/* Cells a text line of the table takes, columns at their natural width. */
size_t table_width(const struct table *t);
/* How many rows there are in all when the table shows only some (a --limit
 * cut them): with --json every row carries it as "total"; the text ends
 * with "50 of 1,682 NOUN shown; --limit N or --limit all shows more" when
 * rows are missing. Counts that say what a cap hid, never just the rows. */
void table_total(struct table *t, long long total, const char *noun);
/* table_total for a count that stopped at `more_than`: the text says
 * "50 of more than 1,000 NOUN shown", and --json's "total" is more_than + 1
 * (as many as were counted). */
void table_total_more(struct table *t, long long more_than, const char *noun);
/* The rows of the order before the first one shown (--offset): the text
 * then ends "51-100 of 1,682 NOUN shown; --offset 100 shows the next". */
void table_offset(struct table *t, long long offset);
/* A listing paged by key (--before ID): when rows are missing, the text
 * ends "50 of 1,682 NOUN shown; --OPTION VALUE shows the next" (VALUE: the
 * last row's key) instead of naming --limit. */
void table_next(struct table *t, const char *option, long long value);
/* Where a command's output held text tables: byte spans of ctx->out, each
 * a table's header and rows, and the cell at which its last column begins.
 * The console's pager wraps those lines only under their last column (a
 * summary, a note) and cuts the others at the pane's edge, scrolling them
 * sideways, where it wraps the rest of the output. */
struct out_spans {
    size_t *start, *end, *last_col;
    size_t n;
};
void out_spans_free(struct out_spans *s);
/* The cell at which the last column begins of the table whose span holds
 * byte offset `at` of the output; -1 when no table's does. */
long out_spans_last_col(const struct out_spans *s, size_t at);
/* Whether a table whose last column begins at cell `last_col` wraps its
 * lines under that column in a pane `width` cells wide (it begins in the
 * left half: a summary, a note); else they are cut at the edge. */
bool out_wraps_under_last(size_t last_col, size_t width);

/* utf8_fit, but for text whose last clause (after its last "; ", else its
 * last ", ") is what the reader needs: when it must be cut and the clause
 * fits with a few cells of what comes before it, the cut falls before the
 * clause: "would delete 48 of…, above max_ratio 10%". A clause too long
 * for `cells` whose hints name commands as a shell types them ("'kasparro
 * apply-deletes 2' or ...") is shown as the console names them, if that
 * fits ("…'apply-deletes 2' or 'discard-deletes 2'"). Returns the width. */
size_t out_fit_end(char *buf, size_t buflen, const char *s, size_t cells);
/* The fewest cells in which out_fit_end shows the last clause of `s`
 * ("…" and the clause, its hints as short as the console writes them); 0
 * when it has none. */
size_t out_end_width(const char *s);

/* Prints and frees. `empty` is the text shown when there are no rows. When
 * ctx->tables is set (the console's pager reads the output), the text
 * table's span is added to it; a table wider than ctx->width that the
 * pager would cut through text is printed a row at a time instead, as
 * "TITLE  value" lines. */
void table_print(struct table *t, struct cmd_ctx *ctx, const char *empty);
void table_free(struct table *t);

/* Cells the reader sees, for a command choosing its layout: ctx->width
 * when set (the console's screen), else the terminal's when stdout is one;
 * 0 when unknown (a pipe, a file). */
size_t out_width(const struct cmd_ctx *ctx);
void out_printf(struct cmd_ctx *ctx, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* v in the fewest digits that read back as v: 0.99985, never a rounded
 * 1.000 (a threshold or probability an operator compares). */
const char *out_number(double v, char *buf, size_t len);
/* A probability with 6 decimals (0.500000, 0.999850): ">0.999999" for one
 * that would read 1, which the model never knows for certain (it stores 1
 * where it caps), "<0.000001" for one that would read 0. */
const char *out_prob(double p, char *buf, size_t len);
/* "2026-11-28T10:00:00Z" as a table shows it, "2026-11-28 10:00:00"; any
 * other text as it is. */
const char *out_time(const char *iso, char *buf, size_t len);
/* Reading the JSON views commands build: a member's string (NULL unless a
 * string) or number (dflt unless a number). */
const char *json_str(const cJSON *obj, const char *key);
double json_num(const cJSON *obj, const char *key, double dflt);
/* n with thousands separators, "612,034", into buf (at least 32 bytes). */
const char *out_count(long long n, char *buf, size_t len);
/* Prints and frees `json`. */
void out_json(struct cmd_ctx *ctx, cJSON *json);
/* A confirmation line, or {"ok":true,"message":...,...extra} with --json. */
void out_ok(struct cmd_ctx *ctx, cJSON *extra, const char *fmt, ...) PRINTF_LIKE(3, 4);

#endif

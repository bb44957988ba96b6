/*
 * cmd-show-match.c — `kasparro show-match ID`: both records of a candidate
 * side by side, field by field, with each field's weight and the total —
 * a text waterfall of why the pair scored what it did. A value too long for
 * a side-by-side column (an article's body) is cut there and printed in full
 * below the table, so no line is thousands of cells wide. For a reader
 * narrower than the table (an 80-column terminal, the console's pager) the
 * fields are stacked instead: a line each, its two values in full below.
 * Two records an operator's rejection or split keeps apart say so, with
 * the decision, above the table and in its last row: a pair that scores
 * as the same but is not merged is explained there.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/buf.h"
#include "kasparro/dedup.h"
#include "kasparro/out.h"
#include "kasparro/utf8.h"
#include "kasparro/util.h"

#define SHOW_MATCH_CELL 60 /* cells of a value in the side-by-side table */

static const char *str_or_dash(cJSON *v)
{
    return cJSON_IsString(v) ? v->valuestring : "-";
}

static bool compared(cJSON *c, const char *field)
{
    cJSON *f;

    cJSON_ArrayForEach(f, cJSON_GetObjectItem(c, "fields"))
        if (strcmp(str_or_dash(cJSON_GetObjectItem(f, "field")), field) == 0)
            return true;
    return false;
}

/* One line of the waterfall: the prior, a field, or the total. */
struct match_row {
    const char *field, *a, *b; /* a and b NULL: a line with no values */
    const char *label;
    double weight;
    bool weighed;
    const char *after; /* after the weight: the total's "= p 0.998302", or NULL */
};

struct match_rows {
    struct match_row *row;
    size_t n;
    char empty[48];   /* "(12 fields)": the compared fields empty on both sides */
    char apart[64];   /* "decision 12 (split)": the cannot-link's */
    char total_p[48]; /* "= p 0.998302": the probability the total weight makes */
};

static void add_row(struct match_rows *rs, const char *field, const char *a, const char *b,
                    const char *label, double weight, bool weighed)
{
    rs->row = xreallocarray(rs->row, rs->n + 1, sizeof *rs->row);
    rs->row[rs->n++] = (struct match_row){field, a, b, label, weight, weighed, NULL};
}

/* The prior, every compared field either record has (those neither has
 * as one line), the fields no comparison reads (both records in full), the
 * total: strings point into c. */
static void collect_rows(cJSON *c, struct match_rows *rs)
{
    cJSON *f, *vb = cJSON_GetObjectItem(cJSON_GetObjectItem(c, "b"), "fields");
    int empty = 0;

    add_row(rs, "(prior)", NULL, NULL, "",
            cJSON_GetNumberValue(cJSON_GetObjectItem(c, "prior_weight")), true);
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(c, "fields")) {
        if (dedup_field_empty(f)) {
            empty++;
            continue;
        }
        add_row(rs, str_or_dash(cJSON_GetObjectItem(f, "field")),
                str_or_dash(cJSON_GetObjectItem(f, "a")), str_or_dash(cJSON_GetObjectItem(f, "b")),
                str_or_dash(cJSON_GetObjectItem(f, "label")),
                cJSON_GetNumberValue(cJSON_GetObjectItem(f, "weight")), true);
    }
    if (empty > 0) {
        snprintf(rs->empty, sizeof rs->empty, "(%d field%s)", empty, empty == 1 ? "" : "s");
        add_row(rs, rs->empty, NULL, NULL, "empty on both sides", 0, false);
    }
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(cJSON_GetObjectItem(c, "a"), "fields"))
        if (!compared(c, f->string))
            add_row(rs, f->string, str_or_dash(f),
                    str_or_dash(cJSON_GetObjectItem(vb, f->string)), "not compared", 0, false);
    add_row(rs, "(total)", NULL, NULL, "", cJSON_GetNumberValue(cJSON_GetObjectItem(c, "weight")),
            true);
    /* the total ends in the probability it makes, as on the Review screen
     * and in --json's "probability" (the same number, printed as P is) */
    char p[32];
    snprintf(rs->total_p, sizeof rs->total_p, "= p %s",
             out_prob(cJSON_GetNumberValue(cJSON_GetObjectItem(c, "probability")), p, sizeof p));
    rs->row[rs->n - 1].after = rs->total_p;
    /* whatever the total, an operator's rejection or split keeps them apart */
    cJSON *apart = cJSON_GetObjectItem(c, "kept_apart");
    if (cJSON_IsObject(apart)) {
        snprintf(rs->apart, sizeof rs->apart, "decision %lld (%s)",
                 (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(apart, "decision")),
                 str_or_dash(cJSON_GetObjectItem(apart, "action")));
        add_row(rs, "(kept apart)", NULL, NULL, rs->apart, 0, false);
    }
}

/* A weight as a bar: a sign a bit, at most 20. */
static void weight_bar(double w, char *bar, size_t len)
{
    size_t n = (size_t)(w < 0 ? -w : w);

    if (n > 20)
        n = 20;
    if (n >= len)
        n = len - 1;
    memset(bar, w < 0 ? '-' : '+', n);
    bar[n] = '\0';
}

/* The rows whose values were cut in the table, in table order. */
struct long_fields {
    const struct match_row **row;
    size_t n;
};

/* Whether the full text of a row's two values is listed already: the
 * title's numbers and variant words compare the title itself. */
static bool long_listed(const struct long_fields *lf, const struct match_row *r)
{
    for (size_t i = 0; i < lf->n; i++)
        if (strcmp(lf->row[i]->a, r->a) == 0 && strcmp(lf->row[i]->b, r->b) == 0)
            return true;
    return false;
}

/* One side's value, cut to SHOW_MATCH_CELL; whether it was cut. */
static bool value_cell(struct table *t, const char *value)
{
    char cut[4 * SHOW_MATCH_CELL + 8];

    if (utf8_width(value) <= SHOW_MATCH_CELL) {
        table_str(t, value);
        return false;
    }
    utf8_fit(cut, sizeof cut, value, SHOW_MATCH_CELL);
    table_str(t, cut);
    return true;
}

/* A row's two values; a row with a cut value is noted once for the full
 * text below the table. */
static void value_cells(struct table *t, const struct match_row *r, struct long_fields *lf)
{
    bool cut_a = value_cell(t, r->a), cut_b = value_cell(t, r->b);

    if ((cut_a || cut_b) && !long_listed(lf, r)) {
        lf->row = xreallocarray(lf->row, lf->n + 1, sizeof *lf->row);
        lf->row[lf->n++] = r;
    }
}

/* "  A: text", the text's further lines (and its rows, when wider than
 * `width`) under its first */
static void add_sides(struct buf *b, const char *a, const char *v, size_t width)
{
    buf_adds(b, "  A: ");
    buf_add_indented(b, a, 5, false, width);
    buf_adds(b, "  B: ");
    buf_add_indented(b, v, 5, false, width);
}

static struct table *side_by_side(const struct match_rows *rs, struct long_fields *lf)
{
    struct table *t = table_new();
    char bar[24];

    table_col(t, "field", "FIELD", 0);
    table_col(t, "a", "A", COL_WIDE);
    table_col(t, "b", "B", COL_WIDE);
    table_col(t, "label", "COMPARISON", 0);
    table_col(t, "weight", "WEIGHT", COL_RIGHT);
    table_col(t, "bar", "", 0);
    for (size_t i = 0; i < rs->n; i++) {
        const struct match_row *r = &rs->row[i];
        table_row(t);
        table_str(t, r->field);
        if (r->a != NULL) {
            value_cells(t, r, lf);
        } else {
            table_str(t, "");
            table_str(t, "");
        }
        table_str(t, r->label);
        if (r->weighed && r->a != NULL)
            weight_bar(r->weight, bar, sizeof bar);
        else
            bar[0] = '\0';
        if (r->weighed)
            table_num(t, r->weight, 2);
        else
            table_str(t, "");
        table_str(t, r->after != NULL ? r->after : bar);
    }
    return t;
}

static void print_side_by_side(struct cmd_ctx *ctx, struct table *t,
                               const struct long_fields *lf)
{
    struct buf b = BUF_INIT;

    table_print(t, ctx, NULL);
    for (size_t i = 0; i < lf->n; i++) {
        buf_printf(&b, "\n%s in full\n", lf->row[i]->field);
        add_sides(&b, lf->row[i]->a, lf->row[i]->b, out_width(ctx));
    }
    out_printf(ctx, "%s", buf_str(&b));
    buf_free(&b);
}

/* For a reader narrower than the table: a line per field (its comparison
 * and weight), its two values in full below it. */
static void print_stacked(struct cmd_ctx *ctx, const struct match_rows *rs, size_t width)
{
    size_t fw = 0, lw = 0;
    struct buf b = BUF_INIT;
    char bar[24];

    for (size_t i = 0; i < rs->n; i++) {
        if (utf8_width(rs->row[i].field) > fw)
            fw = utf8_width(rs->row[i].field);
        if (utf8_width(rs->row[i].label) > lw)
            lw = utf8_width(rs->row[i].label);
    }
    for (size_t i = 0; i < rs->n; i++) {
        const struct match_row *r = &rs->row[i];
        buf_printf(&b, "%s%*s  %s%*s", r->field, (int)(fw - utf8_width(r->field)), "", r->label,
                   (int)(lw - utf8_width(r->label)), "");
        if (r->weighed) {
            weight_bar(r->a != NULL ? r->weight : 0, bar, sizeof bar);
            buf_printf(&b, "  %+7.2f%s%s", r->weight, bar[0] ? "  " : "", bar);
        }
        if (r->after != NULL)
            buf_printf(&b, "  %s", r->after);
        while (b.len > 0 && b.data[b.len - 1] == ' ') /* a line with no weight */
            b.data[--b.len] = '\0';
        buf_addc(&b, '\n');
        if (r->a != NULL)
            add_sides(&b, r->a, r->b, width);
    }
    out_printf(ctx, "%s", buf_str(&b));
    buf_free(&b);
}

static void print_side(struct cmd_ctx *ctx, const char *label, cJSON *r)
{
    out_printf(ctx, "%s: record %lld, %s '%s'%s", label,
               (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "id")),
               str_or_dash(cJSON_GetObjectItem(r, "source")),
               str_or_dash(cJSON_GetObjectItem(r, "source_id")),
               cJSON_IsTrue(cJSON_GetObjectItem(r, "deleted")) ? " (deleted)" : "");
    if (cJSON_IsString(cJSON_GetObjectItem(r, "entity_key")))
        out_printf(ctx, ", entity %s", str_or_dash(cJSON_GetObjectItem(r, "entity_key")));
    out_printf(ctx, "\n");
}

/* The decision that keeps the pair's records apart (dedup_apart_text). */
static void print_apart(struct cmd_ctx *ctx, cJSON *apart)
{
    char *text = dedup_apart_text(apart, cmd_prefix(ctx->origin));

    out_printf(ctx, "%s\n", text);
    free(text);
}

static int show_match_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    long long id;

    if (cmd_arg_id(ctx, args->argv[0], "candidate", &id) < 0)
        return EXIT_USAGE;
    cJSON *c = dedup_candidate(ctx->db, ctx->cfg, id, &ctx->err);
    if (c == NULL)
        return -1;
    if (ctx->json) {
        out_json(ctx, c);
        return EXIT_OK;
    }
    char prob[32];
    const char *status = str_or_dash(cJSON_GetObjectItem(c, "status"));
    /* pending and merged: listed from the review budget's room (budget.c) */
    bool listed = strcmp(status, "pending") == 0 &&
                  cJSON_IsTrue(cJSON_GetObjectItem(c, "to_confirm"));
    out_printf(ctx, "candidate %lld: %s%s, probability %s (weight %+.2f bits)\n", id, status,
               listed ? " and merged, to confirm" : "",
               out_prob(cJSON_GetNumberValue(cJSON_GetObjectItem(c, "probability")), prob,
                        sizeof prob),
               cJSON_GetNumberValue(cJSON_GetObjectItem(c, "weight")));
    if (cJSON_IsString(cJSON_GetObjectItem(c, "decided_by")))
        out_printf(ctx, "decided by %s at %s%s%s\n", str_or_dash(cJSON_GetObjectItem(c, "decided_by")),
                   str_or_dash(cJSON_GetObjectItem(c, "decided_at")),
                   cJSON_IsString(cJSON_GetObjectItem(c, "reason")) ? ": " : "",
                   cJSON_IsString(cJSON_GetObjectItem(c, "reason"))
                       ? cJSON_GetObjectItem(c, "reason")->valuestring : "");
    if (cJSON_IsString(cJSON_GetObjectItem(c, "note")))
        out_printf(ctx, "note: %s\n", cJSON_GetObjectItem(c, "note")->valuestring);
    if (cJSON_IsString(cJSON_GetObjectItem(c, "stale_note")))
        out_printf(ctx, "stale: %s\n", cJSON_GetObjectItem(c, "stale_note")->valuestring);
    if (cJSON_IsObject(cJSON_GetObjectItem(c, "kept_apart")))
        print_apart(ctx, cJSON_GetObjectItem(c, "kept_apart"));
    print_side(ctx, "A", cJSON_GetObjectItem(c, "a"));
    print_side(ctx, "B", cJSON_GetObjectItem(c, "b"));
    struct match_rows rows = {0};
    struct long_fields long_fields = {0};
    collect_rows(c, &rows);
    struct table *t = side_by_side(&rows, &long_fields);
    size_t width = out_width(ctx);
    if (width > 0 && table_width(t) > width) {
        table_free(t);
        print_stacked(ctx, &rows, width);
    } else {
        print_side_by_side(ctx, t, &long_fields);
    }
    free(rows.row);
    free(long_fields.row);
    cJSON_Delete(c);
    return EXIT_OK;
}

const struct cmd_entry cmd_show_match_entry = {
    .name = "show-match",
    .usage = "[--json] ID",
    .summary = "show a candidate pair side by side with the weight of each field",
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_CANDIDATE,
    .exec = show_match_exec,
};

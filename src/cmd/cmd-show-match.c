/*
 * cmd-show-match.c — `kasparro show-match ID`: both records of a candidate
 * side by side, field by field, with each field's weight and the total —
 * a text waterfall of why the pair scored what it did. A value too long for
 * a side-by-side column (an article's body) is cut there and printed in full
 * below the table, so no line is thousands of cells wide.
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

/* The fields whose value was cut in the table, in table order. */
struct long_fields {
    const char **name;
    size_t n;
};

/* One side's value, cut to SHOW_MATCH_CELL; a cut field is noted once (its
 * two sides come one after the other) for the full text below the table. */
static void value_cell(struct table *t, const char *field, const char *value,
                       struct long_fields *lf)
{
    char cut[4 * SHOW_MATCH_CELL + 8];

    if (utf8_width(value) <= SHOW_MATCH_CELL) {
        table_str(t, value);
        return;
    }
    utf8_fit(cut, sizeof cut, value, SHOW_MATCH_CELL);
    table_str(t, cut);
    if (lf->n > 0 && strcmp(lf->name[lf->n - 1], field) == 0)
        return;
    lf->name = xreallocarray(lf->name, lf->n + 1, sizeof *lf->name);
    lf->name[lf->n++] = field;
}

static const char *field_value(cJSON *side, const char *field)
{
    return str_or_dash(cJSON_GetObjectItem(cJSON_GetObjectItem(side, "fields"), field));
}

/* "  A: text", the text's further lines under its first */
static void print_in_full(struct cmd_ctx *ctx, cJSON *c, const struct long_fields *lf)
{
    struct buf b = BUF_INIT;

    for (size_t i = 0; i < lf->n; i++) {
        buf_printf(&b, "\n%s in full\n  A: ", lf->name[i]);
        buf_add_indented(&b, field_value(cJSON_GetObjectItem(c, "a"), lf->name[i]), 5, false);
        buf_adds(&b, "  B: ");
        buf_add_indented(&b, field_value(cJSON_GetObjectItem(c, "b"), lf->name[i]), 5, false);
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
    out_printf(ctx, "candidate %lld: %s, probability %s (weight %+.2f bits)\n", id,
               str_or_dash(cJSON_GetObjectItem(c, "status")),
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
    print_side(ctx, "A", cJSON_GetObjectItem(c, "a"));
    print_side(ctx, "B", cJSON_GetObjectItem(c, "b"));
    struct long_fields long_fields = {0};
    struct table *t = table_new();
    table_col(t, "field", "FIELD", 0);
    table_col(t, "a", "A", COL_WIDE);
    table_col(t, "b", "B", COL_WIDE);
    table_col(t, "label", "COMPARISON", 0);
    table_col(t, "weight", "WEIGHT", COL_RIGHT);
    table_col(t, "bar", "", 0);
    table_row(t);
    table_str(t, "(prior)");
    table_str(t, "");
    table_str(t, "");
    table_str(t, "");
    double prior = cJSON_GetNumberValue(cJSON_GetObjectItem(c, "prior_weight"));
    table_num(t, prior, 2);
    table_str(t, "");
    cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(c, "fields")) {
        double w = cJSON_GetNumberValue(cJSON_GetObjectItem(f, "weight"));
        char bar[40] = "";
        int n = (int)(w < 0 ? -w : w);
        for (int k = 0; k < n && k < 20; k++)
            bar[k] = w < 0 ? '-' : '+';
        const char *field = str_or_dash(cJSON_GetObjectItem(f, "field"));
        table_row(t);
        table_str(t, field);
        value_cell(t, field, str_or_dash(cJSON_GetObjectItem(f, "a")), &long_fields);
        value_cell(t, field, str_or_dash(cJSON_GetObjectItem(f, "b")), &long_fields);
        table_str(t, str_or_dash(cJSON_GetObjectItem(f, "label")));
        table_num(t, w, 2);
        table_str(t, bar);
    }
    /* the fields no comparison reads: both records in full */
    cJSON *va = cJSON_GetObjectItem(cJSON_GetObjectItem(c, "a"), "fields");
    cJSON *vb = cJSON_GetObjectItem(cJSON_GetObjectItem(c, "b"), "fields");
    cJSON_ArrayForEach(f, va) {
        if (compared(c, f->string))
            continue;
        table_row(t);
        table_str(t, f->string);
        value_cell(t, f->string, str_or_dash(f), &long_fields);
        value_cell(t, f->string, str_or_dash(cJSON_GetObjectItem(vb, f->string)), &long_fields);
        table_str(t, "not compared");
        table_str(t, "");
        table_str(t, "");
    }
    table_row(t);
    table_str(t, "(total)");
    table_str(t, "");
    table_str(t, "");
    table_str(t, "");
    table_num(t, cJSON_GetNumberValue(cJSON_GetObjectItem(c, "weight")), 2);
    table_str(t, "");
    bool json = ctx->json;
    table_print(t, ctx, NULL);
    ctx->json = json;
    print_in_full(ctx, c, &long_fields);
    free(long_fields.name);
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

/*
 * cmd-queue.c — `kasparro queue`: the confidence queue, most uncertain
 * first (the decisions that teach the most) or by score.
 */
#include <stdlib.h>
#include <string.h>

#include "kasparro/audit.h"
#include "kasparro/dedup.h"
#include "kasparro/out.h"

/* What the model learnt from: every row carries the same three values.
 * Decisions label pairs (a split one per member it parts), so the counts
 * are of labelled pairs: the model's at its estimate, the links' now. */
static void queue_model_line(const cJSON *row, char *line, size_t size)
{
    double learnt = cJSON_GetNumberValue(cJSON_GetObjectItem(row, "labels"));
    double now = cJSON_GetNumberValue(cJSON_GetObjectItem(row, "decisions"));
    const char *at = cJSON_GetStringValue(cJSON_GetObjectItem(row, "learned_at"));

    if (learnt < 1 && now < 1)
        snprintf(line, size,
                 "no decisions yet: the model was estimated from the records alone%s%s\n",
                 at ? ", at " : "", at ? at : "");
    else if (learnt == now)
        snprintf(line, size, "the model learnt from the %.0f pair%s the decisions label%s%s\n", now,
                 now == 1 ? "" : "s", at ? ", last at " : "", at ? at : "");
    else
        snprintf(line, size,
                 "the model learnt from %.0f labelled pair%s%s%s; the decisions now label %.0f: "
                 "the next run or dedup --rescan learns from them\n",
                 learnt, learnt == 1 ? "" : "s", at ? ", at " : "", at ? at : "", now);
}

static int queue_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    double min, max;
    long long limit, offset;
    int order;

    if (cmd_opt_double(ctx, args, "min", 0, 0, 1, &min) < 0 ||
        cmd_opt_double(ctx, args, "max", 1, 0, 1, &max) < 0 ||
        cmd_opt_limit(ctx, args, 50, &limit) < 0 ||
        cmd_opt_ll(ctx, args, "offset", 0, 0, &offset) < 0 ||
        cmd_opt_choice(ctx, args, "order", "an order", ORDER_UNCERTAINTY, &order) < 0)
        return EXIT_USAGE;
    if (min > max)
        return cmd_opt_error(&ctx->err, "min", "%g is above --max %g: no candidate lies "
                             "between them", min, max);
    cJSON *q = dedup_queue(ctx->db, ctx->cfg, min, max, (enum dedup_order)order, offset, NULL,
                           limit, &ctx->err);
    if (q == NULL)
        return -1;
    struct table *t = table_new();
    table_col(t, "id", "ID", COL_RIGHT);
    table_col(t, "probability", "P", COL_RIGHT);
    table_col(t, "a", "RECORD A", COL_ELASTIC);
    table_col(t, "b", "RECORD B", COL_ELASTIC);
    table_col(t, "merged", "MERGED", COL_JSON_ONLY);
    table_col(t, "to_confirm", "TO CONFIRM", COL_JSON_ONLY);
    table_col(t, "note", "NOTE", COL_JSON_ONLY);
    table_col(t, "in_range", "IN RANGE", COL_JSON_ONLY);
    table_col(t, "disagreement", "DISAGREEMENT", COL_JSON_ONLY);
    table_col(t, "labels", "LABELS", COL_JSON_ONLY);
    table_col(t, "learned_at", "LEARNED AT", COL_JSON_ONLY);
    table_col(t, "decisions", "DECISIONS", COL_JSON_ONLY);
    table_col(t, "stale", "STALE", COL_JSON_ONLY);
    table_col(t, "stale_note", "STALE NOTE", COL_JSON_ONLY);
    cJSON *c;
    long nstale = 0, nmerged = 0;
    long long total = cJSON_GetArraySize(q) > 0
                          ? (long long)cJSON_GetNumberValue(
                                cJSON_GetObjectItem(cJSON_GetArrayItem(q, 0), "in_range"))
                          : 0;
    cJSON_ArrayForEach(c, q)
    {
        table_row(t);
        table_int(t, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(c, "id")));
        double p = cJSON_GetNumberValue(cJSON_GetObjectItem(c, "probability"));
        char prob[32];
        bool stale = cJSON_IsTrue(cJSON_GetObjectItem(c, "stale"));
        out_prob(p, prob, sizeof prob);
        if (stale) /* scored while a decision since undone stood: the footer says */
            snprintf(prob + strlen(prob), sizeof prob - strlen(prob), "~");
        nstale += stale;
        bool merged = cJSON_IsTrue(cJSON_GetObjectItem(c, "merged"));
        if (merged) /* merged already, listed to confirm: the footer says */
            snprintf(prob + strlen(prob), sizeof prob - strlen(prob), "=");
        nmerged += merged;
        table_json(t, prob, cJSON_CreateNumber(p));
        const char *side[] = {"a", "b"};
        for (int k = 0; k < 2; k++) {
            cJSON *r = cJSON_GetObjectItem(c, side[k]);
            char *text = xasprintf("%lld %s: %s",
                                   (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "id")),
                                   cJSON_GetStringValue(cJSON_GetObjectItem(r, "source")),
                                   cJSON_GetStringValue(cJSON_GetObjectItem(r, "title"))
                                       ? cJSON_GetStringValue(cJSON_GetObjectItem(r, "title"))
                                       : "-");
            table_json(t, text, cJSON_Duplicate(r, 1));
            free(text);
        }
        table_json(t, merged ? "yes" : "no", cJSON_CreateBool(merged));
        bool listed = cJSON_IsTrue(cJSON_GetObjectItem(c, "to_confirm"));
        table_json(t, listed ? "yes" : "no", cJSON_CreateBool(listed));
        cJSON *note = cJSON_GetObjectItem(c, "note");
        table_json(t, cJSON_IsString(note) ? note->valuestring : "-",
                   cJSON_IsString(note) ? cJSON_Duplicate(note, 1) : cJSON_CreateNull());
        table_int(t, total);
        table_num(t, cJSON_GetNumberValue(cJSON_GetObjectItem(c, "disagreement")), 3);
        table_int(t, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(c, "labels")));
        cJSON *at = cJSON_GetObjectItem(c, "learned_at");
        table_json(t, cJSON_IsString(at) ? at->valuestring : "-", cJSON_Duplicate(at, 1));
        table_int(t, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(c, "decisions")));
        table_json(t, stale ? "yes" : "no", cJSON_CreateBool(stale));
        cJSON *why = cJSON_GetObjectItem(c, "stale_note");
        table_json(t, cJSON_IsString(why) ? why->valuestring : "-",
                   cJSON_IsString(why) ? cJSON_Duplicate(why, 1) : cJSON_CreateNull());
    }
    char model[200] = "";
    if (cJSON_GetArraySize(q) > 0)
        queue_model_line(cJSON_GetArrayItem(q, 0), model, sizeof model);
    cJSON_Delete(q);
    table_total(t, total, "pending candidates");
    table_offset(t, offset);
    char *none = offset > 0 ? xasprintf("no pending candidates after the first %lld", offset)
                            : xstrdup("the review queue is empty");
    table_print(t, ctx, none);
    free(none);
    if (!ctx->json && model[0] != '\0')
        out_printf(ctx, "%s", model);
    if (!ctx->json && nmerged > 0)
        out_printf(ctx, "= merged automatically and listed for an operator to confirm, some "
                   "evidence being against %s or the model least sure of %s: approve keeps "
                   "it, reject splits it\n",
                   nmerged == 1 ? "it" : "them", nmerged == 1 ? "it" : "them");
    if (!ctx->json && nstale > 0)
        out_printf(ctx, "~ %ld scored while a decision since undone stood (show-match says "
                   "which): the next run or dedup --rescan scores %s again\n", nstale,
                   nstale == 1 ? "it" : "them");
    return EXIT_OK;
}

static const struct cmd_opt queue_opts[] = {
    {"min", 0, "P", "only candidates with probability at least P"},
    {"max", 0, "P", "only candidates with probability at most P"},
    {"order", 0, "uncertainty|score",
     "what teaches the model most first (default: closest to 0.5, then the most "
     "contradictory), or highest first",
     .choices = dedup_orders},
    {"limit", 'n', "N|all", "show at most N candidates (default 50), or all"},
    {"offset", 0, "N", "skip the first N candidates of the order (a script's next page)"},
    {0},
};

const struct cmd_entry cmd_queue_entry = {
    .name = "queue",
    .usage = "[--min P] [--max P] [--order uncertainty|score] [--limit N|all] [--offset N] "
             "[--json]",
    .summary = "list the candidate pairs waiting for review",
    .opts = queue_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_DB | CMD_LISTING,
    .exec = queue_exec,
};

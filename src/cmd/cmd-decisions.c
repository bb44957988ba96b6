/*
 * cmd-decisions.c — `kasparro decisions`: operator decisions with their
 * ids, newest first — who approved, rejected, split, restored or undid
 * what, when and why, and which decision undid it. The id is what `undo` takes and what
 * `audit --object decision:N` finds.
 */
#include <stdlib.h>

#include "kasparro/audit.h"
#include "kasparro/dedup.h"
#include "kasparro/out.h"

static int decisions_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *action = cmd_opt(args, "action");
    long long limit, total, before;
    double since;

    if (action != NULL && !audit_listed(decision_actions, action)) {
        char *all = audit_names(decision_actions);
        cmd_opt_error(&ctx->err, "action", "'%s' is not a decision (%s)", action, all);
        free(all);
        return EXIT_USAGE;
    }
    if (cmd_opt_limit(ctx, args, 50, &limit) < 0 || cmd_opt_time(ctx, args, "since", &since) < 0 ||
        cmd_opt_ll(ctx, args, "before", 0, 1, &before) < 0)
        return EXIT_USAGE;
    cJSON *list = dedup_decisions(ctx->db, action, cmd_opt(args, "actor"), since, before, limit,
                                  &total, &ctx->err);
    if (list == NULL)
        return ctx->err.code;
    struct table *t = table_new();
    /* On a narrow terminal what was decided keeps the cells: the time
     * loses its seconds, UNDONE BY leaves (the undo's own row says "undo
     * of decision N") and the reason yields its cells, before WHAT is cut */
    table_col(t, "id", "ID", COL_RIGHT);
    table_col(t, "at", "AT (UTC)", COL_TERSE);
    table_col(t, "actor", "ACTOR", 0);
    table_col(t, "action", "ACTION", 0);
    table_col(t, "what", "WHAT", COL_ELASTIC | COL_WHOLE);
    table_col(t, "reason", "REASON", COL_ELASTIC | COL_YIELDS);
    table_col(t, "undone_by", "UNDONE BY", COL_RIGHT | COL_OPTIONAL);
    const char *json_only[] = {"candidates", "record", "entity", "undoes"};
    for (size_t k = 0; k < ARRAY_SIZE(json_only); k++)
        table_col(t, json_only[k], json_only[k], COL_JSON_ONLY);
    cJSON *d, *last = cJSON_GetArrayItem(list, cJSON_GetArraySize(list) - 1);
    if (last != NULL)
        table_next(t, "before", (long long)json_num(last, "id", 0));
    cJSON_ArrayForEach(d, list) {
        table_row(t);
        const char *strs[] = {"actor", "action", "what", "reason"};
        table_int(t, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(d, "id")));
        table_time(t, cJSON_GetStringValue(cJSON_GetObjectItem(d, "at")));
        for (size_t k = 0; k < ARRAY_SIZE(strs); k++)
            table_str(t, cJSON_GetStringValue(cJSON_GetObjectItem(d, strs[k])));
        cJSON *undone = cJSON_GetObjectItem(d, "undone_by");
        if (cJSON_IsNumber(undone))
            table_int(t, (long long)undone->valuedouble);
        else
            table_null(t);
        for (size_t k = 0; k < ARRAY_SIZE(json_only); k++)
            table_json(t, "", cJSON_DetachItemFromObject(d, json_only[k]));
    }
    cJSON_Delete(list);
    table_total(t, total, "decisions");
    table_print(t, ctx,
                action || cmd_opt(args, "actor") || since > 0 || before > 0 ? "no decisions match"
                                                                            : "no decisions yet");
    return EXIT_OK;
}

static const struct cmd_opt decisions_opts[] = {
#define DECISION_WORD(a) #a
    {"action", 0, "ACTION", "only this decision, one of " AUDIT_DECISIONS(DECISION_WORD, ", "),
     .choices = decision_actions},
    {"actor", 0, "NAME", "only decisions by NAME"},
    {"since", 0, "TIME", "only decisions since TIME (ISO 8601, or a duration ago: 7d)"},
    {"before", 0, "ID", "only decisions older than decision ID (the next page after it)",
     .kind = ARG_DECISION},
    {"limit", 'n', "N|all", "show at most N (default 50), or all"},
    {0},
};

const struct cmd_entry cmd_decisions_entry = {
    .name = "decisions",
    .usage = "[--action ACTION] [--actor NAME] [--since TIME] [--before ID] [--limit N|all] "
             "[--json]",
    .summary = "operator decisions with their ids: who decided what, when and why",
    .opts = decisions_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_DB | CMD_LISTING,
    .exec = decisions_exec,
};

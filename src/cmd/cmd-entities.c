/*
 * cmd-entities.c — `kasparro entities [--search TEXT]`: live entities,
 * largest first.
 */
#include "kasparro/dedup.h"
#include "kasparro/out.h"

static int entities_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    long long limit;

    if (cmd_opt_ll(ctx, args, "limit", 50, 1, &limit) < 0)
        return EXIT_USAGE;
    cJSON *list = dedup_entities(ctx->db, cmd_opt(args, "search"), (long)limit, &ctx->err);
    if (list == NULL)
        return ctx->err.code;
    struct table *t = table_new();
    table_col(t, "id", "ID", COL_RIGHT);
    table_col(t, "key", "KEY", 0);
    table_col(t, "size", "RECORDS", COL_RIGHT);
    table_col(t, "title", "TITLE", COL_WIDE);
    cJSON *e;
    cJSON_ArrayForEach(e, list) {
        table_row(t);
        table_int(t, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "id")));
        table_str(t, cJSON_GetStringValue(cJSON_GetObjectItem(e, "key")));
        table_int(t, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "size")));
        table_str(t, cJSON_GetStringValue(cJSON_GetObjectItem(e, "title")));
    }
    cJSON_Delete(list);
    table_print(t, ctx, "no entities");
    return EXIT_OK;
}

static const struct cmd_opt entities_opts[] = {
    {"search", 's', "TEXT", "only entities whose title or key contains TEXT"},
    {"limit", 'n', "N", "show at most N entities (default 50)"},
    {0},
};

const struct cmd_entry cmd_entities_entry = {
    .name = "entities",
    .usage = "[--search TEXT] [--limit N] [--json]",
    .summary = "list entities, largest first",
    .opts = entities_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_DB | CMD_LISTING,
    .exec = entities_exec,
};

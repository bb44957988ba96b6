/*
 * cmd-entities.c — `kasparro entities [--search TEXT] [--members]`: live
 * entities, largest first, with how many there are in all; --members adds
 * each one's live records (in --json, with their source ids, how they
 * joined and the confidence). A search counts its matches up to 1,000
 * ("50 of more than 1,000 entities shown"), which the page comes back
 * without waiting for a count of every one (0.25 s for a needle a tenth of
 * 400,000 entities hold); --count counts them all. --json keeps "total" in
 * every row, a lower bound when "total_exact" is false.
 */
#include <stdlib.h>

#include "kasparro/buf.h"
#include "kasparro/dedup.h"
#include "kasparro/out.h"

/* "articles-csv:17, partner-feed:PF-3" */
static char *members_text(const cJSON *members)
{
    struct buf b = BUF_INIT;
    const cJSON *m;

    buf_adds(&b, "");
    cJSON_ArrayForEach(m, members)
        buf_printf(&b, "%s%s:%s", b.len ? ", " : "",
                   cJSON_GetStringValue(cJSON_GetObjectItem(m, "source")),
                   cJSON_GetStringValue(cJSON_GetObjectItem(m, "source_id")));
    return buf_detach(&b);
}

static int entities_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    long long limit, offset, total;
    bool members = cmd_flag(args, "members"), exact;

    if (cmd_opt_limit(ctx, args, 50, &limit) < 0 ||
        cmd_opt_ll(ctx, args, "offset", 0, 0, &offset) < 0)
        return EXIT_USAGE;
    cJSON *list = dedup_entities_capped(ctx->db, ctx->cfg, cmd_opt(args, "search"), offset, limit,
                                        members, cmd_flag(args, "count"), &total, &exact,
                                        &ctx->err);
    if (list == NULL)
        return -1;
    struct table *t = table_new();
    table_col(t, "id", "ID", COL_RIGHT);
    table_col(t, "key", "KEY", 0);
    table_col(t, "size", "RECORDS", COL_RIGHT);
    table_col(t, "title", "TITLE", COL_ELASTIC);
    if (members)
        table_col(t, "members", "MEMBERS", COL_ELASTIC);
    table_col(t, "total_exact", "", COL_JSON_ONLY);
    cJSON *e;
    cJSON_ArrayForEach(e, list) {
        table_row(t);
        table_int(t, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "id")));
        table_str(t, cJSON_GetStringValue(cJSON_GetObjectItem(e, "key")));
        table_int(t, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "size")));
        table_str(t, cJSON_GetStringValue(cJSON_GetObjectItem(e, "title")));
        if (members) {
            cJSON *m = cJSON_DetachItemFromObject(e, "members");
            char *text = members_text(m);
            table_json(t, text, m);
            free(text);
        }
        table_bool(t, exact);
    }
    cJSON_Delete(list);
    if (exact)
        table_total(t, total, "entities");
    else
        table_total_more(t, total - 1, "entities");
    table_offset(t, offset);
    char *none = offset > 0 ? xasprintf("no %s after the first %lld", cmd_opt(args, "search")
                                                   ? "matching entities" : "entities", offset)
                : xstrdup(cmd_opt(args, "search") ? "no entity matches" : "no entities");
    table_print(t, ctx, none);
    free(none);
    return EXIT_OK;
}

static const struct cmd_opt entities_opts[] = {
    {"search", 's', "TEXT", "only entities whose title or key contains TEXT"},
    {"count", 0, NULL, "count every match of a search (else counting stops at 1,000)"},
    {"members", 'm', NULL, "also each entity's live records (source and source id)"},
    {"limit", 'n', "N|all", "show at most N entities (default 50), or all"},
    {"offset", 0, "N", "skip the first N entities of the order (a script's next page)"},
    {0},
};

const struct cmd_entry cmd_entities_entry = {
    .name = "entities",
    .usage = "[--search TEXT] [--count] [--members] [--limit N|all] [--offset N] [--json]",
    .summary = "list entities, largest first",
    .opts = entities_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_DB | CMD_LISTING,
    .exec = entities_exec,
};

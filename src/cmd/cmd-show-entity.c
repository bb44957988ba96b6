/*
 * cmd-show-entity.c — `kasparro show-entity ID|KEY`: an entity, its
 * canonical title and its members (remembered deleted ones marked), and
 * the records an operator's rejection or split keeps its members from.
 */
#include "kasparro/dedup.h"
#include "kasparro/out.h"

static const char *json_or_dash(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
    return s ? s : "-";
}

/* The records a member is kept from, and by which decision: why records
 * that look alike are not in this entity. */
static void print_apart(struct cmd_ctx *ctx, cJSON *apart)
{
    cJSON *k;

    if (cJSON_GetArraySize(apart) == 0)
        return;
    out_printf(ctx, "kept apart (a rejection or split; '%sundo DECISION' reverts one):\n",
               cmd_prefix(ctx->origin));
    cJSON_ArrayForEach(k, apart) {
        cJSON *o = cJSON_GetObjectItem(k, "other"), *reason = cJSON_GetObjectItem(k, "reason");
        const char *key = cJSON_GetStringValue(cJSON_GetObjectItem(o, "entity_key"));
        out_printf(ctx, "  record %lld from record %lld (%s '%s'%s%s): decision %lld, %s by %s "
                   "at %s%s%s\n",
                   (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(k, "record")),
                   (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(o, "id")),
                   cJSON_GetStringValue(cJSON_GetObjectItem(o, "source")),
                   cJSON_GetStringValue(cJSON_GetObjectItem(o, "source_id")),
                   key ? ", entity " : "", key ? key : "",
                   (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(k, "decision")),
                   dedup_action_done(json_str(k, "action")), json_or_dash(k, "actor"),
                   json_or_dash(k, "at"),
                   cJSON_IsString(reason) ? ": " : "", cJSON_IsString(reason) ? reason->valuestring : "");
    }
}

static int show_entity_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    cJSON *e = dedup_entity(ctx->db, ctx->cfg, args->argv[0], &ctx->err);

    if (e == NULL)
        return -1;
    if (ctx->json) {
        out_json(ctx, e);
        return EXIT_OK;
    }
    out_printf(ctx, "entity %lld %s: %s\n%lld live record%s%s\n",
               (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "id")),
               cJSON_GetStringValue(cJSON_GetObjectItem(e, "key")),
               cJSON_GetStringValue(cJSON_GetObjectItem(e, "title")),
               (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(e, "size")),
               cJSON_GetNumberValue(cJSON_GetObjectItem(e, "size")) == 1 ? "" : "s",
               cJSON_IsTrue(cJSON_GetObjectItem(e, "deleted")) ? " (deleted: no live record)" : "");
    struct table *t = table_new();
    table_col(t, "record", "RECORD", COL_RIGHT);
    table_col(t, "source", "SOURCE", 0);
    table_col(t, "source_id", "SOURCE ID", 0);
    table_col(t, "method", "METHOD", 0);
    table_col(t, "confidence", "CONF", COL_RIGHT);
    table_col(t, "title", "TITLE", COL_ELASTIC);
    cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItem(e, "members")) {
        bool live = cJSON_IsTrue(cJSON_GetObjectItem(m, "live"));
        table_row(t);
        table_int(t, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(m, "record")));
        table_str(t, cJSON_GetStringValue(cJSON_GetObjectItem(m, "source")));
        table_str(t, cJSON_GetStringValue(cJSON_GetObjectItem(m, "source_id")));
        table_str(t, live ? cJSON_GetStringValue(cJSON_GetObjectItem(m, "method")) : "deleted");
        table_num(t, cJSON_GetNumberValue(cJSON_GetObjectItem(m, "confidence")), 3);
        table_str(t, cJSON_GetStringValue(cJSON_GetObjectItem(m, "title")));
    }
    table_print(t, ctx, NULL);
    print_apart(ctx, cJSON_GetObjectItem(e, "kept_apart"));
    cJSON_Delete(e);
    return EXIT_OK;
}

const struct cmd_entry cmd_show_entity_entry = {
    .name = "show-entity",
    .usage = "[--json] ID|KEY",
    .summary = "show an entity and its member records",
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_ENTITY,
    .exec = show_entity_exec,
};

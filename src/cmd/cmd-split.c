/*
 * cmd-split.c — `kasparro split ENTITY RECORD`: take a record out of its
 * entity and keep it out (later matching respects it; undo reverts it).
 * With --json it says where the record went: "from" the entity it left,
 * "to" the one it is in now (of its own), each by id and key.
 */
#include <stdio.h>

#include "kasparro/dedup.h"
#include "kasparro/out.h"

static const char *sql_entity_of =
    "SELECT e.id, e.key FROM kasparro.entity_members m JOIN kasparro.entities e "
    "ON e.id = m.entity_id WHERE m.record_id = $1 AND m.live";
/* the entity as dedup_split finds it, by key or id */
static const char *sql_entity_known =
    "SELECT EXISTS (SELECT 1 FROM kasparro.entities WHERE key = $1 OR id::text = $1)";

/* {"id", "key"} of the entity the record is a live member of, or NULL. */
static cJSON *entity_of(struct cmd_ctx *ctx, long long record)
{
    char rec[24];
    PGresult *r;
    cJSON *o = NULL;

    snprintf(rec, sizeof rec, "%lld", record);
    if ((r = db_exec(ctx->db, &ctx->err, sql_entity_of, DB_PARAMS(rec))) == NULL)
        return NULL;
    if (PQntuples(r) == 1) {
        o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)db_ll(r, 0, 0));
        cJSON_AddStringToObject(o, "key", db_str(r, 0, 1));
    }
    PQclear(r);
    return o;
}

/* The record of `split ENTITY RECORD`, the entity said first: with both
 * missing, the message named the record alone, the second thing typed. A
 * record that is no record at all (exit 2) is said before either. */
static int split_record(struct cmd_ctx *ctx, struct cmd_args *args, long long *record)
{
    PGresult *r;
    bool known;

    if (cmd_arg_record(ctx, args->argv[1], record) == 0)
        return 0;
    if (ctx->err.code == EXIT_USAGE || ctx->db == NULL)
        return -1;
    if ((r = db_exec(ctx->db, &ctx->err, sql_entity_known, DB_PARAMS(args->argv[0]))) == NULL)
        return -1;
    known = db_bool(r, 0, 0);
    PQclear(r);
    if (!known) {
        err_clear(&ctx->err);
        err_missing_name(&ctx->err, "entity", args->argv[0]);
    }
    return -1;
}

static int split_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    long long record, decision;
    cJSON *from, *to;

    if (split_record(ctx, args, &record) < 0)
        return -1;
    if ((from = entity_of(ctx, record)) == NULL && ctx->err.msg[0] != '\0')
        return -1;
    if (dedup_split(ctx->db, ctx->cfg, args->argv[0], record, ctx->actor,
                    cmd_opt(args, "reason"), &decision, &ctx->err) < 0) {
        cJSON_Delete(from);
        return -1;
    }
    if ((to = entity_of(ctx, record)) == NULL && ctx->err.msg[0] != '\0') {
        cJSON_Delete(from);
        return -1;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "record", (double)record);
    cJSON_AddNumberToObject(o, "decision", (double)decision);
    cJSON_AddItemToObject(o, "from", from ? from : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "to", to ? to : cJSON_CreateNull());
    /* the text stays one short line: the console shows a longer one in a pager */
    out_ok(ctx, o, "record %lld split from entity '%s' (decision %lld)", record, args->argv[0],
           decision);
    return EXIT_OK;
}

static const struct cmd_opt split_opts[] = {
    {"reason", 'r', "TEXT", "why, for the audit log"},
    {0},
};

const struct cmd_entry cmd_split_entry = {
    .name = "split",
    .usage = "[--reason TEXT] [--json] ENTITY RECORD",
    .summary = "take a record out of its entity and keep it out",
    .opts = split_opts,
    .min_args = 2,
    .max_args = 2,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_ENTITY,
    .exec = split_exec,
};

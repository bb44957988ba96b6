/*
 * cmd-undo.c — `kasparro undo [--restore] [DECISION]`: revert a decision
 * exactly: by default the latest approve, reject or split not yet undone
 * (never a restore, which the Review screen's bare undo must not delete
 * again), with --restore the latest restore. A restore is undone by the
 * deletes module, which deletes its records again; every other decision by
 * entity unification.
 */
#include "kasparro/dedup.h"
#include "kasparro/deletes.h"
#include "kasparro/out.h"

/* What came back, so one can trace it (and the console select it). */
static cJSON *undone_json(struct cmd_ctx *ctx, long long undone, long long undo, cJSON **d)
{
    *d = dedup_decision(ctx->db, undone, &ctx->err);
    if (*d == NULL)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    const char *action = cJSON_GetStringValue(cJSON_GetObjectItem(*d, "action"));
    cJSON_AddNumberToObject(o, "undone", (double)undone);
    cJSON_AddNumberToObject(o, "decision", (double)undo);
    cJSON_AddStringToObject(o, "action", action ? action : "");
    cJSON_AddItemToObject(o, "candidates", cJSON_DetachItemFromObject(*d, "candidates"));
    return o;
}

static const char *field(const cJSON *d, const char *name)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(d, name));
    return s ? s : "";
}

static int undo_match(struct cmd_ctx *ctx, long long which)
{
    long long undone, undo;
    cJSON *d;

    if (dedup_undo(ctx->db, ctx->cfg, which, ctx->actor, &undone, &undo, &ctx->err) < 0)
        return -1;
    cJSON *o = undone_json(ctx, undone, undo, &d);
    if (o == NULL)
        return -1;
    out_ok(ctx, o, "decision %lld undone (decision %lld): %s %s", undone, undo, field(d, "action"),
           field(d, "what"));
    cJSON_Delete(d);
    return EXIT_OK;
}

/* "; 2 kept: record 45 changed since, record 46 read again since" */
static void kept_text(struct buf *b, const struct restore_undo *u)
{
    const cJSON *k;
    int shown = 0;

    if (u->nkept == 0)
        return;
    buf_printf(b, "; %lld kept:", u->nkept);
    cJSON_ArrayForEach(k, u->kept)
        if (shown++ < 5)
            buf_printf(b, "%s record %.0f %s", shown > 1 ? "," : "",
                       cJSON_GetNumberValue(cJSON_GetObjectItem(k, "record")), field(k, "why"));
    if (u->nkept > 5)
        buf_printf(b, " and %lld more", u->nkept - 5);
}

static int undo_restore(struct cmd_ctx *ctx, long long restore)
{
    struct restore_undo u;
    struct buf kept = BUF_INIT;
    cJSON *d;
    int rc = -1;

    if (deletes_undo_restore(ctx->db, restore, ctx->cfg->retention_s, ctx->actor, &u,
                             &ctx->err) < 0)
        goto out;
    cmd_rematch(ctx);
    cJSON *o = undone_json(ctx, restore, u.undo, &d);
    if (o == NULL)
        goto out;
    cJSON_AddNumberToObject(o, "deleted", (double)u.deleted);
    cJSON_AddNumberToObject(o, "kept", (double)u.nkept);
    cJSON_AddItemToObject(o, "kept_records", u.kept);
    kept_text(&kept, &u);
    u.kept = NULL;
    buf_adds(&kept, "");
    out_ok(ctx, o,
           "decision %lld undone (decision %lld): restore %s: %lld record%s deleted again%s",
           restore, u.undo, field(d, "what"), u.deleted, u.deleted == 1 ? "" : "s", kept.data);
    cJSON_Delete(d);
    rc = EXIT_OK;
out:
    cJSON_Delete(u.kept);
    buf_free(&kept);
    return rc;
}

static int undo_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    long long which = 0, decision;
    int restore;

    if (args->argc == 1 && cmd_arg_id(ctx, args->argv[0], "decision", &which) < 0)
        return EXIT_USAGE;
    restore = deletes_undo_target(ctx->db, which, cmd_flag(args, "restore"), &decision, &ctx->err);
    if (restore < 0)
        return -1;
    return restore ? undo_restore(ctx, decision) : undo_match(ctx, decision);
}

static const struct cmd_opt undo_opts[] = {
    {"restore", 0, NULL, "the latest restore not yet undone (with DECISION: only if a restore)"},
    {0},
};

const struct cmd_entry cmd_undo_entry = {
    .name = "undo",
    .usage = "[--restore] [--json] [DECISION]",
    .summary = "revert an approve, reject or split (default: the latest), or a restore",
    .opts = undo_opts,
    .max_args = 1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_DECISION,
    .exec = undo_exec,
};

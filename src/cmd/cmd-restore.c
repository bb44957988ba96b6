/*
 * cmd-restore.c — `kasparro restore RECORD...` (ids, or SOURCE/ID),
 * `kasparro restore --run RUN` and `kasparro restore --retired SOURCE`:
 * undo soft deletions, of the records named, of everything one run
 * deleted or of everything retiring a source deleted, in one transaction,
 * audited with the actor, as one decision whose id `undo` takes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/deletes.h"
#include "kasparro/out.h"

extern const struct cmd_entry cmd_restore_entry;

/* What the restored records' sources do at their next complete read
 * (deletes.h: again), after "; " — "" when no source deletes them. */
static void restore_again_text(const struct restore_result *res, char *buf, size_t len)
{
    bool one = res->again_nsources == 1;
    char some[48];
    const char *what = res->again == res->restored ? (res->again == 1 ? "it" : "them") : some;

    buf[0] = '\0';
    if (res->again == 0)
        return;
    snprintf(some, sizeof some, "%lld of them", res->again);
    snprintf(buf, len, "; source%s %s delete%s %s again if %s next complete read still lacks %s",
             one ? "" : "s", res->again_sources, one ? "s" : "", what, one ? "its" : "their",
             res->again == 1 ? "it" : "them");
}

/* A record that names nothing may be one deleted and purged since, or
 * mistyped: said where the deleted ones are listed, rather than the live
 * ones, unless the error already names the record meant (a source's own id
 * given for kasparro's). */
static int restore_not_there(struct cmd_ctx *ctx, enum cmd_record_miss why, const char *arg,
                             long long id)
{
    if (why == RECORD_MISS_ID)
        return err_set(&ctx->err, "no record %lld; '%sdeleted' lists deleted records", id,
                       cmd_prefix(ctx->origin));
    if (why == RECORD_MISS_SOURCE_REC)
        return err_set(&ctx->err, "no record '%s'; '%sdeleted' lists deleted records", arg,
                       cmd_prefix(ctx->origin));
    return -1;
}

/* Exactly one of RECORD..., --run and --retired. */
static int restore_what(struct cmd_ctx *ctx, const struct cmd_args *args)
{
    int named = (args->argc > 0) + (cmd_opt(args, "run") != NULL) +
                (cmd_opt(args, "retired") != NULL);

    if (named == 1)
        return 0;
    return err_code(&ctx->err, EXIT_USAGE,
                    "restore: name records (RECORD...), a run (--run RUN) or a retired source "
                    "(--retired SOURCE), not %s\nusage: %srestore %s",
                    named ? "several" : "none", cmd_prefix(ctx->origin), cmd_restore_entry.usage);
}

static int restore_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *run_opt = cmd_opt(args, "run"), *retired = cmd_opt(args, "retired");
    long long run = 0, *ids;
    struct restore_result res;
    int rc;

    if (restore_what(ctx, args) < 0)
        return EXIT_USAGE;
    if (run_opt != NULL && cmd_arg_id(ctx, run_opt, "run", &run) < 0)
        return err_prefix(&ctx->err, "option '--run'");
    /* a name no source ever had is a usage error, as for --source (and
     * retire); one with nothing retired fails in deletes_restore (exit 1) */
    if (retired != NULL && cmd_opt_source_named(ctx, args, "retired", &retired) < 0)
        return -1;
    ids = xcalloc((size_t)args->argc + 1, sizeof *ids);
    for (int i = 0; i < args->argc; i++) {
        enum cmd_record_miss why;
        if (cmd_arg_record_why(ctx, args->argv[i], &ids[i], &why) < 0) {
            rc = restore_not_there(ctx, why, args->argv[i], ids[i]);
            free(ids);
            return rc;
        }
    }
    rc = deletes_restore(ctx->db, ctx->cfg, ids, (size_t)args->argc, run, retired, ctx->actor,
                         &res, &ctx->err);
    free(ids);
    if (rc < 0)
        return -1;
    cmd_rematch(ctx);
    cJSON *extra = cJSON_CreateObject();
    cJSON_AddNumberToObject(extra, "restored", (double)res.restored);
    cJSON_AddNumberToObject(extra, "not_deleted", (double)res.not_deleted);
    if (res.decision > 0)
        cJSON_AddNumberToObject(extra, "decision", (double)res.decision);
    else
        cJSON_AddNullToObject(extra, "decision");
    cJSON_AddNumberToObject(extra, "deleted_again_if_missing", (double)res.again);
    char undo[64] = "", again[400];
    if (res.decision > 0)
        snprintf(undo, sizeof undo, " (decision %lld; 'undo %lld' reverts it)", res.decision,
                 res.decision);
    restore_again_text(&res, again, sizeof again);
    if (run_opt != NULL && res.restored == 0) { /* asked for a change none needs: exit 1 */
        cJSON_Delete(extra);
        return err_set(&ctx->err, "nothing to restore: no record run %lld deleted is deleted now",
                       run);
    }
    if (run_opt != NULL)
        out_ok(ctx, extra, "restored %lld record%s deleted by run %lld%s%s", res.restored,
               res.restored == 1 ? "" : "s", run, undo, again);
    else if (retired != NULL)
        out_ok(ctx, extra, "restored %lld record%s of retired source '%s'%s%s", res.restored,
               res.restored == 1 ? "" : "s", retired, undo, again);
    else
        out_ok(ctx, extra, "restored %lld record%s%s%s", res.restored,
               res.restored == 1 ? "" : "s", undo, again);
    return EXIT_OK;
}

static const struct cmd_opt restore_opts[] = {
    {"run", 0, "RUN", "restore every record this run deleted", .kind = ARG_RUN},
    {"retired", 0, "SOURCE", "restore every record retiring this source deleted",
     .kind = ARG_SOURCE},
    {0},
};

const struct cmd_entry cmd_restore_entry = {
    .name = "restore",
    .usage = "[--json] RECORD... | --run RUN | --retired SOURCE",
    .summary = "undo soft deletions: of the records named, of everything a run deleted, or of "
               "a retired source",
    .opts = restore_opts,
    .max_args = -1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_RECORD,
    .exec = restore_exec,
};

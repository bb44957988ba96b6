/*
 * cmd-apply-deletes.c — `kasparro apply-deletes RUN`: the operator's yes to
 * deletions the mass-delete guard held in a run. Deletes the held records
 * that are still missing (a record seen again since stays), in one
 * transaction, audited with the actor; `restore --run RUN` undoes it.
 */
#include "kasparro/deletes.h"
#include "kasparro/out.h"

static int apply_deletes_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    struct held_result res;
    const char *source;
    long long run;

    if (cmd_arg_id(ctx, args->argv[0], "run", &run) < 0)
        return EXIT_USAGE;
    if (cmd_opt_source(ctx, args, &source) < 0)
        return -1;
    if (held_decide(ctx->db, run, source, HELD_APPLY, ctx->actor, &res,
                    &ctx->err) < 0)
        return -1;
    cmd_rematch(ctx);
    cJSON *extra = cJSON_CreateObject();
    cJSON_AddNumberToObject(extra, "deleted", (double)res.deleted);
    cJSON_AddNumberToObject(extra, "kept", (double)res.kept);
    out_ok(ctx, extra,
           "applied the deletions run %lld held: %lld record%s soft-deleted, %lld "
           "kept (seen again or already deleted)",
           run, res.deleted, res.deleted == 1 ? "" : "s", res.kept);
    return EXIT_OK;
}

static const struct cmd_opt apply_deletes_opts[] = {
    {"source", 0, "SOURCE", "only the deletions held for this source", .kind = ARG_SOURCE},
    {0},
};

const struct cmd_entry cmd_apply_deletes_entry = {
    .name = "apply-deletes",
    .usage = "[--source SOURCE] [--json] RUN",
    .summary = "soft-delete the records the mass-delete guard held in a run",
    .opts = apply_deletes_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_RUN,
    .exec = apply_deletes_exec,
};

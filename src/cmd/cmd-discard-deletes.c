/*
 * cmd-discard-deletes.c — `kasparro discard-deletes RUN`: the operator's no
 * to deletions the mass-delete guard held in a run. Nothing is deleted; the
 * decision is recorded and audited with the actor.
 */
#include "kasparro/deletes.h"
#include "kasparro/out.h"

static int discard_deletes_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    struct held_result res;
    const char *source;
    long long run;

    if (cmd_arg_id(ctx, args->argv[0], "run", &run) < 0)
        return EXIT_USAGE;
    if (cmd_opt_source(ctx, args, &source) < 0)
        return -1;
    if (held_decide(ctx->db, run, source, HELD_DISCARD, ctx->actor, &res,
                    &ctx->err) < 0)
        return -1;
    cJSON *extra = cJSON_CreateObject();
    cJSON_AddNumberToObject(extra, "kept", (double)res.kept);
    out_ok(ctx, extra, "discarded the deletions run %lld held: %lld record%s kept", run, res.kept,
           res.kept == 1 ? "" : "s");
    return EXIT_OK;
}

static const struct cmd_opt discard_deletes_opts[] = {
    {"source", 0, "SOURCE", "only the deletions held for this source", .kind = ARG_SOURCE},
    {0},
};

const struct cmd_entry cmd_discard_deletes_entry = {
    .name = "discard-deletes",
    .usage = "[--source SOURCE] [--json] RUN",
    .summary = "keep the records the mass-delete guard held in a run: delete nothing",
    .opts = discard_deletes_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_RUN,
    .exec = discard_deletes_exec,
};

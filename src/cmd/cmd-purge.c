/*
 * cmd-purge.c — `kasparro purge`: hard-delete records soft-deleted longer
 * than [retention] keep_deleted (or --older-than), with their raw
 * payloads, in batches; each purged record leaves an audit row with its key
 * fields. --dry-run only counts. Exits 3 while another purge runs.
 *
 * An --older-than shorter than keep_deleted reaches records the retention
 * still keeps (--older-than 0: every soft-deleted record, none of them
 * restorable after). When it would purge any, it asks for --yes the way
 * `approve --above` does: without it, it is a dry run that states the exact
 * counts, in a shell and in the console alike.
 */
#include "kasparro/clock.h"
#include "kasparro/deletes.h"
#include "kasparro/out.h"

/* How many records soft-deleted within keep_deleted `req` would purge, in
 * `early`; *res is the dry run of req itself. */
static int count_early(struct cmd_ctx *ctx, const struct purge_request *req,
                       struct purge_result *res, long long *early)
{
    struct purge_request dry = *req, kept = *req;
    struct purge_result due;

    dry.dry_run = kept.dry_run = true;
    kept.older_than = ctx->cfg->retention_s;
    if (retention_purge(ctx->db, &dry, res, &ctx->err) < 0 ||
        retention_purge(ctx->db, &kept, &due, &ctx->err) < 0)
        return -1;
    *early = res->purged - due.purged;
    return 0;
}

/* The dry run a purge into the retention period is without --yes. */
static int ask_yes(struct cmd_ctx *ctx, const struct purge_result *res, long long early)
{
    char when[32], keep[32];
    cJSON *extra = cJSON_CreateObject();

    clock_format(res->cutoff, when, sizeof when);
    format_duration(ctx->cfg->retention_s, keep, sizeof keep);
    cJSON_AddBoolToObject(extra, "dry_run", true);
    cJSON_AddNumberToObject(extra, "would_purge", (double)res->purged);
    cJSON_AddNumberToObject(extra, "within_retention", (double)early);
    cJSON_AddStringToObject(extra, "deleted_before", when);
    out_ok(ctx, extra, "would purge %lld record%s soft-deleted before %s, %lld of them deleted "
           "less than keep_deleted (%s) ago; add --yes to purge them", res->purged,
           res->purged == 1 ? "" : "s", when, early, keep);
    return EXIT_OK;
}

static int purge_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *older = cmd_opt(args, "older-than");
    struct purge_request req = {
        .older_than = older ? parse_duration(older) : ctx->cfg->retention_s,
        .batch = ctx->cfg->purge_batch,
        .dry_run = cmd_flag(args, "dry-run"),
        .actor = ctx->actor,
    };
    struct purge_result res;
    char when[32];

    if (req.older_than < 0) {
        cmd_opt_error(&ctx->err, "older-than", "'%s' is not a duration (like "
                 "90d, 12h)", older);
        return EXIT_USAGE;
    }
    if (req.older_than < ctx->cfg->retention_s && !req.dry_run && !cmd_flag(args, "yes")) {
        long long early;
        if (count_early(ctx, &req, &res, &early) < 0)
            return -1;
        if (early > 0)
            return ask_yes(ctx, &res, early);
    }
    if (retention_purge(ctx->db, &req, &res, &ctx->err) < 0)
        return -1;
    clock_format(res.cutoff, when, sizeof when);
    cJSON *extra = cJSON_CreateObject();
    cJSON_AddBoolToObject(extra, "dry_run", req.dry_run);
    cJSON_AddNumberToObject(extra, req.dry_run ? "would_purge" : "purged", (double)res.purged);
    cJSON_AddStringToObject(extra, "deleted_before", when);
    if (!req.dry_run)
        cJSON_AddNumberToObject(extra, "batches", (double)res.batches);
    out_ok(ctx, extra, "%s %lld record%s soft-deleted before %s",
           req.dry_run ? "would purge" : "purged", res.purged, res.purged == 1 ? "" : "s", when);
    return EXIT_OK;
}

static const struct cmd_opt purge_opts[] = {
    {"older-than", 0, "DURATION",
     "purge records deleted longer ago than this (default: "
     "[retention] keep_deleted)"},
    {"dry-run", 'n', NULL, "only count what would be purged"},
    {"yes", 'y', NULL,
     "with --older-than shorter than keep_deleted: really purge the records the retention "
     "still keeps (without, only the counts are stated)"},
    {0},
};

const struct cmd_entry cmd_purge_entry = {
    .name = "purge",
    .usage = "[--older-than DURATION [--yes]] [--dry-run] [--json]",
    .summary = "hard-delete records soft-deleted longer ago than the retention period",
    .opts = purge_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .exec = purge_exec,
};

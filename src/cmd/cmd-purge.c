/*
 * cmd-purge.c — `kasparro purge`: hard-delete records soft-deleted longer
 * than [retention] keep_deleted (or --older-than), with their raw
 * payloads, in batches; each purged record leaves an audit row with its key
 * fields. --dry-run only counts. Exits 3 while another purge runs.
 */
#include "kasparro/clock.h"
#include "kasparro/deletes.h"
#include "kasparro/out.h"

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
        err_code(&ctx->err, EXIT_USAGE, "option '--older-than': '%s' is not a duration (like "
                 "90d, 12h)", older);
        return EXIT_USAGE;
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
    {0},
};

const struct cmd_entry cmd_purge_entry = {
    .name = "purge",
    .usage = "[--older-than DURATION] [--dry-run] [--json]",
    .summary = "hard-delete records soft-deleted longer ago than the retention period",
    .opts = purge_opts,
    .max_args = 0,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .exec = purge_exec,
};

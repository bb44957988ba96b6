/*
 * decide.c — `approve ID...` and `reject ID...`: the candidates named on
 * one command line are one decision, so one `undo` reverts them all (the
 * console's bulk approval and marked sets are such lines).
 */
#include <stdlib.h>

#include "kasparro/buf.h"
#include "kasparro/dedup.h"
#include "kasparro/out.h"

int cmd_decide(struct cmd_ctx *ctx, struct cmd_args *args, bool approve)
{
    long long *ids = xcalloc((size_t)args->argc + 1, sizeof *ids), decision;
    size_t n = 0;
    const char *verb = approve ? "approved" : "rejected";
    int rc = EXIT_USAGE;

    for (int i = 0; i < args->argc; i++) {
        long long id;
        bool seen = false;
        if (cmd_arg_id(ctx, args->argv[i], "candidate", &id) < 0)
            goto out;
        for (size_t k = 0; k < n; k++)
            seen |= ids[k] == id;
        if (!seen)
            ids[n++] = id;
    }
    if (dedup_decide(ctx->db, ctx->cfg, ids, n, approve, ctx->actor, cmd_opt(args, "reason"),
                     &decision, &ctx->err) < 0) {
        rc = -1;
        if (n > 1)
            err_prefix(&ctx->err, "none of the %zu candidates was %s", n, verb);
        goto out;
    }
    cJSON *o = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(o, "candidates");
    struct buf text = BUF_INIT;
    for (size_t k = 0; k < n; k++) {
        cJSON_AddItemToArray(list, cJSON_CreateNumber((double)ids[k]));
        if (k < 10)
            buf_printf(&text, "%s%lld", k ? ", " : "", ids[k]);
    }
    if (n > 10)
        buf_printf(&text, " and %zu more", n - 10);
    cJSON_AddNumberToObject(o, "decision", (double)decision);
    if (n == 1) {
        cJSON_AddNumberToObject(o, "candidate", (double)ids[0]);
        out_ok(ctx, o, "candidate %lld %s (decision %lld)", ids[0], verb, decision);
    } else {
        out_ok(ctx, o, "%zu candidates %s as decision %lld (one undo reverts them all): %s", n,
               verb, decision, text.data);
    }
    buf_free(&text);
    rc = EXIT_OK;
out:
    free(ids);
    return rc;
}

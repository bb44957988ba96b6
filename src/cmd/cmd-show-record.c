/*
 * cmd-show-record.c — `kasparro show-record RECORD` (an id, or SOURCE/ID as
 * the source names it): one record in full: every schema field, the
 * payload as the source gave it, its entity, the pairs it is in, the runs
 * that changed it and its history (recordview.c). The console's record
 * detail is this text in its pager.
 */
#include <stdlib.h>

#include "kasparro/out.h"
#include "kasparro/recordview.h"

static int show_record_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    long long id;
    cJSON *rec;

    if (cmd_arg_record(ctx, args->argv[0], &id) < 0)
        return -1;
    if ((rec = recordview_json(ctx->db, ctx->cfg, id, &ctx->err)) == NULL)
        return -1;
    if (ctx->json) {
        out_json(ctx, rec);
        return EXIT_OK;
    }
    char *text = recordview_text(rec, out_width(ctx));
    out_printf(ctx, "%s", text);
    free(text);
    cJSON_Delete(rec);
    return EXIT_OK;
}

const struct cmd_entry cmd_show_record_entry = {
    .name = "show-record",
    .usage = "[--json] RECORD",
    .summary = "show a record in full: fields, payload, entity, pairs, history",
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .arg_kind = ARG_RECORD,
    .exec = show_record_exec,
};

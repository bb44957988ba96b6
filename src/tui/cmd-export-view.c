/*
 * cmd-export-view.c — `export-view FILE [--format csv|jsonl]` (console):
 * write the rows the current screen's list shows, as filtered and ordered,
 * to FILE as CSV or JSON lines (src/tui/export.c). `export` writes whole
 * tables from the shell; this writes what the operator is looking at.
 */
#include "kasparro/rowout.h"
#include "kasparro/tui.h"

static int export_view_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    char said[1024];

    if (tui_export_view(ctx->console, args->argv[0], cmd_opt(args, "format"), said, sizeof said,
                        &ctx->err) < 0) /* a bad option says so as every command does */
        return ctx->err.code == EXIT_USAGE ? -1 : err_prefix(&ctx->err, "export-view");
    fprintf(ctx->out, "%s\n", said);
    return EXIT_OK;
}

static const struct cmd_opt export_view_opts[] = {
    {"format", 'f', "csv|jsonl",
     "CSV with a header line, or one JSON object a line (default: "
     "from FILE's name: .jsonl, .ndjson and .json are JSON lines)",
     .choices = rowout_formats},
    {0},
};

const struct cmd_entry cmd_export_view_entry = {
    .name = "export-view",
    .usage = "FILE [--format csv|jsonl]",
    .summary = "write the rows the current screen's list shows to a file (CSV or JSON lines)",
    .opts = export_view_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_CONSOLE_ONLY,
    .arg_kind = ARG_FILE,
    .exec = export_view_exec,
};

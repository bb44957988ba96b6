/*
 * cmd-export.c — `kasparro export records|queue`: what kasparro decided,
 * for programs outside it. `records` is every live record with its entity
 * (record → entity), `queue` the pending candidates with both sides'
 * source ids; CSV or JSON lines, to standard output or a file. A file is
 * written beside its final name and renamed when complete, so a reader
 * never sees half an export.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasparro/dedup.h"
#include "kasparro/out.h"
#include "kasparro/rowout.h"

static int put_row(cJSON *row, void *arg)
{
    struct rowout *w = arg;
    return rowout_put(w, row);
}

/* Streams the rows into fp; -1 with err filled, 1 when fp is a pipe whose
 * reader left (`export records | head`: it has what it wanted). */
static int write_rows(struct cmd_ctx *ctx, enum dedup_export what, FILE *fp,
                      enum rowout_format format, const char *name, long long *rows)
{
    struct rowout *w = rowout_new(fp, format);
    int rc = dedup_export(ctx->db, ctx->cfg, what, put_row, w, &ctx->err);
    int error = rowout_error(w);

    if (rc == 0 && fflush(fp) != 0) {
        rc = -1;
        error = errno;
    }
    *rows = rowout_rows(w);
    rowout_free(w);
    if (rc < 0 && error == EPIPE)
        return 1;
    if (rc < 0 && error != 0)
        err_set(&ctx->err, "export: unable to write %s: %s", name, strerror(error));
    return rc;
}

struct export_job {
    struct cmd_ctx *ctx;
    enum dedup_export what;
};

static int put_export(struct rowout *w, void *arg, struct err *err)
{
    struct export_job *job = arg;
    return dedup_export(job->ctx->db, job->ctx->cfg, job->what, put_row, w, err);
}

static int export_to_file(struct cmd_ctx *ctx, enum dedup_export what, const char *path,
                          enum rowout_format format, long long *rows)
{
    struct export_job job = {ctx, what};

    if (rowout_file(path, format, put_export, &job, rows, &ctx->err) < 0)
        return err_prefix(&ctx->err, "export");
    return 0;
}

static int export_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
    const char *what = args->argv[0], *output = cmd_opt(args, "output"),
               *format_opt = cmd_opt(args, "format");
    enum rowout_format format = output ? rowout_format_of(output) : ROWOUT_CSV;
    enum dedup_export kind;
    long long rows = 0;
    char count[32];

    if (strcmp(what, "records") == 0) {
        kind = EXPORT_RECORDS;
    } else if (strcmp(what, "queue") == 0) {
        kind = EXPORT_QUEUE;
    } else {
        err_code(&ctx->err, EXIT_USAGE, "export: '%s' is not records or queue", what);
        return EXIT_USAGE;
    }
    if (format_opt != NULL && rowout_format_parse(format_opt, &format) < 0) {
        err_code(&ctx->err, EXIT_USAGE, "export: --format must be csv or jsonl, not '%s'",
                 format_opt);
        return EXIT_USAGE;
    }
    if (output == NULL && ctx->origin == ORIGIN_CONSOLE) {
        err_code(&ctx->err, EXIT_USAGE, "export: in the console, name a file: export %s "
                 "--output FILE", what);
        return EXIT_USAGE;
    }
    if (output == NULL)
        return write_rows(ctx, kind, ctx->out, format, "standard output", &rows) < 0 ? -1
                                                                                     : EXIT_OK;
    if (export_to_file(ctx, kind, output, format, &rows) < 0)
        return -1;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "file", output);
    cJSON_AddNumberToObject(o, "rows", (double)rows);
    out_ok(ctx, o, "%s %s written to '%s' (%s)", out_count(rows, count, sizeof count),
           kind == EXPORT_QUEUE ? "pending candidates" : "live records", output,
           format == ROWOUT_JSONL ? "JSON lines" : "CSV");
    return EXIT_OK;
}

static const struct cmd_opt export_opts[] = {
    {"format", 'f', "csv|jsonl", "CSV with a header line (default), or one JSON object a line"},
    {"output", 'o', "FILE", "write FILE (replaced whole when complete) instead of standard "
                            "output; FILE.jsonl means JSON lines"},
    {0},
};

static const char *const export_subcommands[] = {"records", "queue", NULL};

const struct cmd_entry cmd_export_entry = {
    .name = "export",
    .usage = "records|queue [--format csv|jsonl] [--output FILE] [--json]",
    .summary = "write every live record with its entity, or the review queue with source ids",
    .opts = export_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = CMD_NEEDS_DB | CMD_JSON,
    .subcommands = export_subcommands,
    .exec = export_exec,
};

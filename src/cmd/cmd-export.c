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
#include <sys/stat.h>

#include "kasparro/dedup.h"
#include "kasparro/out.h"
#include "kasparro/rowout.h"

static int put_row(cJSON *row, void *arg)
{
    struct rowout *w = arg;
    return rowout_put(w, row);
}

static int put_columns(const char *const *names, int n, void *arg)
{
    return rowout_header(arg, names, (size_t)n);
}

struct export_job {
    struct cmd_ctx *ctx;
    enum dedup_export what;
};

static int put_export(struct rowout *w, void *arg, struct err *err)
{
    struct export_job *job = arg;
    struct db_stream_to to = {.columns = put_columns, .each = put_row, .arg = w};
    return dedup_export(job->ctx->db, job->ctx->cfg, job->what, &to, err);
}

/* Streams the rows to standard output; -1 with err filled, 1 when it is a
 * pipe whose reader left (`export records | head`: it has what it wanted). */
static int export_to_stdout(struct cmd_ctx *ctx, struct export_job *job,
                            enum rowout_format format)
{
    struct rowout *w = rowout_new(ctx->out, format);
    int rc = put_export(w, job, &ctx->err);
    int error = rowout_error(w);

    if (rc == 0 && fflush(ctx->out) != 0) {
        rc = -1;
        error = errno;
    }
    rowout_free(w);
    if (rc < 0 && error == EPIPE)
        return 1;
    if (rc < 0 && error != 0)
        err_set(&ctx->err, "export: unable to write standard output: %s", strerror(error));
    return rc;
}

/* A folder given as --output would be written whole to a temporary file
 * beside it before the rename into it fails: said first, with a name the
 * operator could have meant. */
static int export_check_output(struct cmd_ctx *ctx, const char *output, const char *what,
                               enum rowout_format format)
{
    struct stat st;

    if (output == NULL || stat(output, &st) < 0 || !S_ISDIR(st.st_mode))
        return 0;
    return cmd_opt_error(&ctx->err, "output", "'%s' is a folder; name a file, such as "
                         "'%s%s%s.%s'",
                    output, output, output[strlen(output) - 1] == '/' ? "" : "/", what,
                    format == ROWOUT_JSONL ? "jsonl" : "csv");
}

static const char *const export_subcommands[] = {"records", "queue", NULL};

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
        return cmd_subcommand_error(&ctx->err, "export", export_subcommands, what);
    }
    if (format_opt != NULL && rowout_format_parse(format_opt, &format) < 0)
        return cmd_opt_error(&ctx->err, "format", "'%s' is not a format (csv, jsonl)",
                             format_opt);
    /* to standard output the rows are the output: --json asks for them as
     * JSON (lines); with --output it is the confirmation that is JSON */
    if (output == NULL && ctx->json) {
        if (format_opt != NULL && format != ROWOUT_JSONL) {
            return cmd_opt_error(&ctx->err, "format", "'%s' is not what --json writes to "
                                 "standard output (JSON lines)", format_opt);
        }
        format = ROWOUT_JSONL;
    }
    if (output == NULL && ctx->origin == ORIGIN_CONSOLE) {
        err_code(&ctx->err, EXIT_USAGE, "export: in the console, name a file: export %s "
                 "--output FILE", what);
        return EXIT_USAGE;
    }
    if (export_check_output(ctx, output, what, format) < 0)
        return EXIT_USAGE;
    struct export_job job = {ctx, kind};
    if (output == NULL)
        return export_to_stdout(ctx, &job, format) < 0 ? -1 : EXIT_OK;
    if (rowout_file(output, format, put_export, &job, &rows, &ctx->err) < 0)
        return err_prefix(&ctx->err, "export");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "file", output);
    cJSON_AddNumberToObject(o, "rows", (double)rows);
    out_ok(ctx, o, "%s %s written to '%s' (%s)", out_count(rows, count, sizeof count),
           kind == EXPORT_QUEUE ? "pending candidates" : "live records", output,
           format == ROWOUT_JSONL ? "JSON lines" : "CSV");
    return EXIT_OK;
}

static const struct cmd_opt export_opts[] = {
    {"format", 'f', "csv|jsonl", "CSV with a header line (default), or one JSON object a line",
     .choices = rowout_formats},
    {"output", 'o', "FILE",
     "write FILE (replaced whole when complete) instead of standard "
     "output; FILE.jsonl (.ndjson, .json) means JSON lines"},
    {0},
};

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
